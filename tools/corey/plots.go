package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"multikernel/tools/internal/plot"
)

// line is one plotted line: its system in got ("ours mmap"), its legend
// name and the figure it shows of a point.
type line struct {
	system, name string
	of           func(point) float64
}

// figure makes a plot of lines against got's core counts.
func figure(title, ylabel string, got map[key][]point, lines []line) plot.Figure {
	f := plot.Figure{Title: title, XLabel: "cores", YLabel: ylabel, LogY: true}
	counts := coreCounts(got)
	for _, n := range counts {
		f.XTicks = append(f.XTicks, float64(n))
	}
	for _, l := range lines {
		s := plot.Series{Name: l.name}
		for _, n := range counts {
			if len(got[key{l.system, n}]) == 0 {
				continue
			}
			s.X = append(s.X, float64(n))
			s.Y = append(s.Y, median(got, l.system, n, l.of))
		}
		f.Series = append(f.Series, s)
	}
	return f
}

// plots returns b's figures and their file names: the time per page (or
// operation) of every variant, ours and Linux's (lx), and the counts the
// multikernel's variants made (shootdown messages and calls sent home;
// for shares, the contended lock acquisitions).
func plots(b bench, got map[key][]point, lx string) ([]string, []plot.Figure) {
	unit := "ns per page"
	if b.name == "shares" {
		unit = "ns per add and remove (Linux dup: dup and close)"
	}
	var times, counts []line
	for _, v := range strings.Split(b.ours, ",") {
		sys := "ours " + v
		times = append(times, line{sys, "multikernel: " + v, func(p point) float64 { return p.pageNs }})
		if b.name == "shares" {
			counts = append(counts, line{sys, "multikernel " + v + ": contended", func(p point) float64 { return float64(p.contended) }})
			continue
		}
		counts = append(counts,
			line{sys, "multikernel " + v + ": shootdown messages", func(p point) float64 { return float64(p.msgs) }},
			line{sys, "multikernel " + v + ": calls home", func(p point) float64 { return float64(p.home) }})
	}
	for _, v := range strings.Split(b.linux, ",") {
		times = append(times, line{"linux " + v, lx + ": " + v, func(p point) float64 { return p.pageNs }})
	}
	what := "counts of the whole program"
	if b.name == "shares" {
		what = "contended lock acquisitions"
	}
	return []string{"corey-" + b.name, "corey-" + b.name + "-counts"}, []plot.Figure{
		figure("Corey's "+b.name+": time", unit, got, times),
		figure("Corey's "+b.name+": "+what, "count (medians)", got, counts),
	}
}

// writePlots writes b's figures into dir as PNG and SVG and returns the
// Markdown that shows them (the SVGs, by their path from the repository's
// root). A figure with nothing to draw (every count 0) is left out and
// said so.
func writePlots(b bench, got map[key][]point, lx, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	names, figs := plots(b, got, lx)
	var md strings.Builder
	md.WriteString("\n")
	for i, f := range figs {
		base := filepath.Join(dir, names[i])
		switch err := plot.Write(f, base); {
		case err == nil:
			fmt.Fprintf(&md, "![%s](%s.svg)\n", f.Title, filepath.ToSlash(base))
		case errors.Is(err, plot.ErrEmpty):
			fmt.Fprintf(&md, "(%s: nothing to plot, every figure 0)\n", f.Title)
		default:
			return "", err
		}
	}
	return md.String(), nil
}
