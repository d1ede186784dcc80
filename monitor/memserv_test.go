package main

import (
	"fmt"
	"testing"
)

func TestParseNodeList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
	}{
		{"Ns = [1,0,3,2]\n", []int{1, 0, 3, 2}},
		{"Ns = [0]", []int{0}},
		{"Ns = []", nil},
		{"false\n", nil},
		{"Ns = [1,x]", nil},
		{"Ns = [1,99]", nil},
	} {
		if got := parseNodeList(tc.in); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("parseNodeList(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
