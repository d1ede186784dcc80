package main

import (
	"strings"
	"testing"
)

// TestParseMemclone reads apps/corey's lines, and nothing else.
func TestParseMemclone(t *testing.T) {
	got := map[key][]point{}
	for _, l := range []string{
		"[core 0 corey] corey: memclone mmap cores 4 page-ns 1066490 free-ns 4169450 shootdown-messages 12 calls-home 40 claims 600 foreign-tables 9",
		"corey: memclone private cores 16 page-ns 22701 free-ns 1535582 shootdown-messages 3 calls-home 0 claims 0 foreign-tables 0",
		"corey: memclone private cores x page-ns 1 free-ns 1 shootdown-messages 0 calls-home 0 claims 0 foreign-tables 0",
		"corey: mempass range cores 2 page-ns 5",
		"corey: done",
	} {
		parseLine(got, "memclone", "ours", l)
	}
	if p := got[key{"ours mmap", 4}]; len(p) != 1 || p[0].pageNs != 1066490 || p[0].freeNs != 4169450 ||
		p[0].msgs != 12 || p[0].home != 40 || p[0].claims != 600 || p[0].tables != 9 {
		t.Errorf("mmap at 4 cores: %+v", p)
	}
	if p := got[key{"ours private", 16}]; len(p) != 1 || p[0].msgs != 3 {
		t.Errorf("private at 16 cores: %+v", p)
	}
	if len(got) != 2 {
		t.Errorf("%d figures, want 2: %v", len(got), got)
	}
	md := memcloneMarkdown(config{cores: 16, mb: 16, runs: 1}, header{"a host", "/x/vmlinuz-6.1.0-1-amd64", "0.5"}, got)
	for _, want := range []string{memcloneHeading, "| 4 | 1066490 | 0 | 0 | - | - |", "| 16 | 0 | 22701 | 0 | - | - |",
		"| 4 | 12 | 40 | 600 | 9 | 0 | 0 | 0 | 0 |", "| 16 | 0 | 0 | 0 | 0 | 3 | 0 | 0 | 0 |", "Linux 6.1.0-1-amd64"} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
}

// TestParseShares reads the shares lines, their contention counts too.
func TestParseShares(t *testing.T) {
	got := map[key][]point{}
	parseLine(got, "shares", "ours", "corey: shares global cores 4 op-ns 68861 contended 30")
	parseLine(got, "shares", "ours", "corey: shares local cores 4 op-ns 6411 contended 0")
	parseLine(got, "shares", "linux", "corey: shares dup cores 4 op-ns 12822 contended 0")
	if p := got[key{"ours global", 4}]; len(p) != 1 || p[0].pageNs != 68861 || p[0].contended != 30 {
		t.Fatalf("global: %+v", p)
	}
	md := sharesMarkdown(config{cores: 4, runs: 1}, header{host: "a host"}, got)
	if !strings.Contains(md, "| 4 | 68861 | 30 | 6411 | 0 | 12822 | 0 | 0 | 0.50 |") {
		t.Errorf("section:\n%s", md)
	}
}

// TestParseMempass reads mempass's lines into its section.
func TestParseMempass(t *testing.T) {
	got := map[key][]point{}
	for _, l := range []string{"corey: mempass range cores 2 page-ns 3650 shootdown-messages 0 calls-home 1 claims 2 foreign-tables 3", "corey: mempass mmap cores 2 page-ns 4326",
		"corey: memclone mmap cores 2 page-ns 1 free-ns 1 shootdown-messages 0"} {
		parseLine(got, "mempass", "ours", l)
	}
	parseLine(got, "mempass", "linux", "corey: mempass mmap cores 2 page-ns 7300")
	if len(got) != 3 {
		t.Fatalf("%d figures, want 3: %v", len(got), got)
	}
	md := mempassMarkdown(config{cores: 4, mb: 4, runs: 1}, header{host: "a host"}, got)
	if !strings.Contains(md, "| 2 | 4326 | 3650 | 7300 | 0.50 | 0.84 |") || !strings.Contains(md, "| 2 | 0 | 0 | 0 | 0 | 0 | 1 | 2 | 3 |") {
		t.Errorf("section:\n%s", md)
	}
}
