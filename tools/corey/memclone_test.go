package main

import (
	"strings"
	"testing"
)

// TestParseMemclone reads apps/corey's lines, and nothing else.
func TestParseMemclone(t *testing.T) {
	got := map[key][]point{}
	for _, l := range []string{
		"[core 0 corey] corey: memclone mmap cores 4 page-ns 1066490 free-ns 4169450 shootdown-messages 0",
		"corey: memclone private cores 16 page-ns 22701 free-ns 1535582 shootdown-messages 3",
		"corey: memclone private cores x page-ns 1 free-ns 1 shootdown-messages 0",
		"corey: done",
	} {
		parseMemclone(got, "ours", l)
	}
	if p := got[key{"ours mmap", 4}]; len(p) != 1 || p[0].pageNs != 1066490 || p[0].freeNs != 4169450 {
		t.Errorf("mmap at 4 cores: %+v", p)
	}
	if p := got[key{"ours private", 16}]; len(p) != 1 || p[0].msgs != 3 {
		t.Errorf("private at 16 cores: %+v", p)
	}
	if len(got) != 2 {
		t.Errorf("%d figures, want 2: %v", len(got), got)
	}
	md := memcloneMarkdown(config{cores: 16, mb: 16, runs: 1}, "a host", "/x/vmlinuz-6.1.0-1-amd64", "0.5", got)
	for _, want := range []string{memcloneHeading, "| 4 | 1066490 | 0 | 0 | - | - | 0 |", "| 16 | 0 | 22701 | 0 | - | - | 3 |", "Linux 6.1.0-1-amd64"} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
}
