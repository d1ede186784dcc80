package main

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// stats summarises a set of timings.
type stats struct {
	N                int
	Median, Min, Max time.Duration
}

// summarize returns the median (the mean of the middle two for an even
// count), minimum and maximum of ds; all zero for none.
func summarize(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return stats{N: n, Median: m, Min: s[0], Max: s[n-1]}
}

// seconds formats d in seconds with three decimals.
func seconds(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

// machine describes the host: CPU model, CPU count and QEMU version.
func machine(qemu string) string {
	model := "unknown CPU"
	count := 0
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(l, ":")
			if !ok {
				continue
			}
			switch strings.TrimSpace(k) {
			case "model name":
				model = strings.TrimSpace(v)
			case "processor":
				count++
			}
		}
	}
	q := "QEMU version unknown"
	if out, err := exec.Command(qemu, "--version").Output(); err == nil {
		q, _, _ = strings.Cut(string(out), "\n")
	}
	return fmt.Sprintf("%s, %d CPUs (/proc/cpuinfo); %s, TCG", model, count, q)
}

// hostLoad returns the host's load averages over 1, 5 and 15 minutes as
// uptime prints them ("1.52, 1.10, 0.98"), or "unknown".
func hostLoad() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// loadText describes the host's load before the first run and after the
// last, for the report.
func loadText(before, after string) string {
	return fmt.Sprintf("load average %s before, %s after (1, 5, 15 minutes)", before, after)
}

// shellQuote quotes args for a POSIX shell where they need it.
func shellQuote(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && !strings.ContainsFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=,:@+", r))
		}) {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}

// benchIntro opens a new BENCHMARKS.md.
const benchIntro = `# Benchmarks

Measured figures of the multikernel, each against the alternative measured in the same run.
Every figure comes with the command that produced it, the machine it ran on and the date, so that
it can be reproduced and compared; each section is self-contained, and a benchmark command
replaces only its own section when it records new figures.
`

// replaceSection returns doc with the section that starts at the line
// heading (up to the next "## " heading) replaced by section, or with
// section appended if there is none. An empty doc starts with benchIntro.
func replaceSection(doc, heading, section string) string {
	section = strings.TrimRight(section, "\n") + "\n"
	if strings.TrimSpace(doc) == "" {
		return benchIntro + "\n" + section
	}
	lines := strings.SplitAfter(doc, "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimRight(l, "\r\n") == heading {
			start = i
			break
		}
	}
	if start < 0 {
		return strings.TrimRight(doc, "\n") + "\n\n" + section
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "## ") {
			end = i
			break
		}
	}
	rest := strings.Join(lines[end:], "")
	if rest != "" {
		section += "\n"
	}
	return strings.Join(lines[:start], "") + section + rest
}
