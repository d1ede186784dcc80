package main

import (
	"strings"
	"testing"
)

func TestParseURPCLine(t *testing.T) {
	line := "[core 0 monitor] urpc-bench: core 0 -> core 3 (node 0 -> 1), median of 400: one-way polling 1950 cycles (0.75 us), blocked 220532 cycles (85.11 us), blocked/polling 113.1x"
	p, ok := parseURPCLine(line)
	if !ok {
		t.Fatalf("not parsed: %q", line)
	}
	want := urpcPair{label: "core 0 -> core 3 (node 0 -> 1)", pollCyc: 1950, blockCyc: 220532, pollUs: 0.75, blockUs: 85.11}
	if p != want {
		t.Errorf("parsed %+v, want %+v", p, want)
	}
	if _, ok := parseURPCLine("urpc-bench: core 0: a probe failed (timeout)"); ok {
		t.Errorf("a failure line parsed as figures")
	}
}

func TestURPCMarkdown(t *testing.T) {
	runs := map[string][]urpcPair{"a": {
		{label: "a", pollCyc: 100, blockCyc: 1000, pollUs: 1, blockUs: 10},
		{label: "a", pollCyc: 300, blockCyc: 3000, pollUs: 3, blockUs: 30},
		{label: "a", pollCyc: 200, blockCyc: 2000, pollUs: 2, blockUs: 20},
	}}
	md := urpcMarkdown(config{smp: 4, nodes: 2, runs: 3, command: "go run ./tools/bootbench -urpc"}, "today", "here", []string{"a"}, runs, []string{"mesh: x"})
	for _, want := range []string{urpcHeading, "| a | 200 cycles (2.00 µs) | 2000 cycles (20.00 µs) | 10.0× |", "* mesh: x", "go run ./tools/bootbench -urpc"} {
		if !strings.Contains(md, want) {
			t.Errorf("the section lacks %q:\n%s", want, md)
		}
	}
}

func TestParseCapsLine(t *testing.T) {
	p, ok := parseCapsLine("[core 0 monitor] cap-bench: two-phase retype across 16 cores (tree), median of 200: 23201126 cycles (8948.7 us)")
	if !ok || p != (capsPoint{cores: 16, how: "tree", cycles: 23201126, us: 8948.7}) {
		t.Errorf("parsed %+v, %v", p, ok)
	}
	md := capsMarkdown(config{smp: 16, nodes: 4, runs: 1}, "d", "h",
		map[string][]capsPoint{capsKey(1, "unicast"): {{1, "unicast", 100, 1}}, capsKey(2, "tree"): {{2, "tree", 300, 3}}},
		map[string][]int{"map": {7000}})
	if !strings.Contains(md, "| 2 | tree | 300 cycles (3.0 µs) | 3.0× |") || !strings.Contains(md, "| map of that Frame | 7.0 µs |") {
		t.Errorf("markdown:\n%s", md)
	}
}
