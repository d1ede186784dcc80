package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlots checks what memclone's and shares' figures plot, and that
// writePlots writes both files of each and shows the SVGs.
func TestPlots(t *testing.T) {
	got := map[key][]point{}
	for _, l := range []string{
		"corey: memclone mmap cores 1 page-ns 1000 free-ns 5 shootdown-messages 0 calls-home 10 claims 0 foreign-tables 0",
		"corey: memclone mmap cores 2 page-ns 2000 free-ns 5 shootdown-messages 4 calls-home 20 claims 3 foreign-tables 1",
		"corey: memclone private cores 1 page-ns 900 free-ns 5 shootdown-messages 0 calls-home 1 claims 0 foreign-tables 0",
		"corey: memclone private cores 2 page-ns 950 free-ns 5 shootdown-messages 0 calls-home 2 claims 0 foreign-tables 0",
	} {
		parseLine(got, "memclone", "ours", l)
	}
	parseLine(got, "memclone", "linux", "corey: memclone mmap cores 2 page-ns 700 free-ns 5")
	names, figs := plots(benches["memclone"], got, "Linux 6.1")
	if len(figs) != 2 || names[0] != "corey-memclone" || names[1] != "corey-memclone-counts" {
		t.Fatalf("figures %v", names)
	}
	time := figs[0]
	if len(time.Series) != 3 || time.Series[2].Name != "Linux 6.1: mmap" || len(time.Series[2].X) != 1 || time.Series[2].Y[0] != 700 {
		t.Errorf("time figure: %+v", time.Series)
	}
	if s := time.Series[1]; s.Name != "multikernel: private" || len(s.Y) != 2 || s.Y[1] != 950 {
		t.Errorf("private series: %+v", s)
	}
	if len(time.XTicks) != 2 || time.XTicks[1] != 2 {
		t.Errorf("ticks %v", time.XTicks)
	}
	counts := figs[1]
	if len(counts.Series) != 4 || counts.Series[0].Name != "multikernel mmap: shootdown messages" || counts.Series[0].Y[1] != 4 ||
		counts.Series[3].Name != "multikernel private: calls home" || counts.Series[3].Y[1] != 2 {
		t.Errorf("counts figure: %+v", counts.Series)
	}
	dir := t.TempDir()
	md, err := writePlots(benches["memclone"], got, "Linux 6.1", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		for _, ext := range []string{".png", ".svg"} {
			if fi, err := os.Stat(filepath.Join(dir, n+ext)); err != nil || fi.Size() == 0 {
				t.Errorf("%s%s: %v", n, ext, err)
			}
		}
		if !strings.Contains(md, filepath.ToSlash(filepath.Join(dir, n))+".svg)") {
			t.Errorf("markdown does not show %s:\n%s", n, md)
		}
	}
	shares := map[key][]point{}
	parseLine(shares, "shares", "ours", "corey: shares global cores 2 op-ns 600 contended 0")
	_, figs = plots(benches["shares"], shares, "Linux")
	if len(figs[0].Series) != 5 || figs[1].Series[0].Name != "multikernel global: contended" {
		t.Errorf("shares figures: %+v", figs)
	}
	md, err = writePlots(benches["shares"], shares, "Linux", dir)
	if err != nil || !strings.Contains(md, "nothing to plot") {
		t.Errorf("shares with no contention: %v\n%s", err, md)
	}
}
