package main

import (
	"reflect"
	"testing"
)

func TestCreators(t *testing.T) {
	dump := []byte(`goroutine 1 [running]:
main.main()
	/x/main.go:10 +0x1
goroutine 7 [chan receive]:
multikernel/cpudriver/proc.(*Process).serveCall(...)
created by multikernel/cpudriver/proc.onSpanCall in goroutine 5
	/x/span_calls.go:150 +0x2
goroutine 8 [chan receive]:
created by multikernel/cpudriver/proc.onSpanCall in goroutine 5
goroutine 9 [select]:
created by multikernel/cpudriver/notify.Start.func1
`)
	got := creators(dump, 8)
	want := []creator{{"multikernel/cpudriver/proc.onSpanCall", 2}, {"multikernel/cpudriver/notify.Start.func1", 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("creators = %v, want %v", got, want)
	}
	if got := creators(dump, 1); len(got) != 1 || got[0].n != 2 {
		t.Errorf("top 1 = %v", got)
	}
	if got := creators(nil, 3); len(got) != 0 {
		t.Errorf("empty dump: %v", got)
	}
}
