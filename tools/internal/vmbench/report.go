package vmbench

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// Machine describes the host: CPU model, CPU count and QEMU version.
func Machine(qemu string) string {
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

// HostLoad returns the host's load averages over 1, 5 and 15 minutes as
// uptime prints them ("1.52, 1.10, 0.98"), or "unknown".
func HostLoad() string {
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

// LoadText describes the host's load before the first run and after the
// last, for the report.
func LoadText(before, after string) string {
	return fmt.Sprintf("load average %s before, %s after (1, 5, 15 minutes)", before, after)
}

// ShellQuote quotes args for a POSIX shell where they need it.
func ShellQuote(args []string) string {
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
Every figure comes with the command that produced it, the Machine it ran on and the date, so that
it can be reproduced and compared; each section is self-contained, and a benchmark command
replaces only its own section when it records new figures.
`

// ReplaceSection returns doc with the section that starts at the line
// heading (up to the next "## " heading) replaced by section, or with
// section appended if there is none. An empty doc starts with benchIntro.
func ReplaceSection(doc, heading, section string) string {
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

// RecordSection writes section into BENCHMARKS.md in place of the section
// under heading (or at its end).
func RecordSection(heading, section string) error {
	old, err := os.ReadFile("BENCHMARKS.md")
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.WriteFile("BENCHMARKS.md", []byte(ReplaceSection(string(old), heading, section)), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "recorded in BENCHMARKS.md")
	return nil
}

// KernelVersion returns the version in a vmlinuz-VERSION file name.
func KernelVersion(path string) string {
	v, ok := strings.CutPrefix(filepath.Base(path), "vmlinuz-")
	if !ok {
		return filepath.Base(path)
	}
	return v
}

// MedianOf returns the median of xs (the lower middle for an even count).
func MedianOf[T int | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// Setup checks what every run of a benchmark command needs: at least one
// run, QEMU (qemu), the repository root as working directory (tool is
// the command's package path, for the hint) and files (built by `make
// all`). It returns QEMU's path.
func Setup(qemu string, runs int, tool string, files ...string) (string, error) {
	if runs < 1 {
		return "", fmt.Errorf("-runs %d: want at least 1", runs)
	}
	path, err := exec.LookPath(qemu)
	if err != nil {
		return "", fmt.Errorf("%s not found: install Debian's qemu-system-x86 package (`make deps` does it as root)", qemu)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return "", fmt.Errorf("run it from the repository root (go run %s)", tool)
	}
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return "", fmt.Errorf("%v: run `make all` first", err)
		}
	}
	return path, nil
}
