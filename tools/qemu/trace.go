package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"multikernel/cpudriver/trace"
	"multikernel/tools/qemu/qemuargs"
	"multikernel/tools/trace/tracefile"
)

// setUpTrace makes a traced boot of c: dir is made, QEMU's debug console
// writes dir/trace.bin, and the kernel command line gets the trace
// option (with classes, if given), unless it has one already.
func setUpTrace(c *qemuargs.Config, dir, classes string) error {
	if _, err := trace.ParseClasses(classes); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(filepath.Join(dir, "trace.bin"))
	if err != nil {
		return err
	}
	os.Remove(abs) // a trace of an earlier boot is not this one's
	c.TraceFile = abs
	for _, w := range strings.Fields(c.Cmdline) {
		if w == "trace" || strings.HasPrefix(w, "trace=") {
			return nil
		}
	}
	opt := "trace"
	if classes != "" {
		opt += "=" + classes
	}
	c.Cmdline = strings.TrimSpace(c.Cmdline + " " + opt)
	return nil
}

// finishTrace turns dir/trace.bin into dir/trace.json and dir/trace.png
// once QEMU has ended, saying what it holds.
func finishTrace(dir string) {
	bin := filepath.Join(dir, "trace.bin")
	err := tracefile.Convert(bin, filepath.Join(dir, "trace.json"), filepath.Join(dir, "trace.png"), tracefile.Window{}, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qemu: trace:", err)
	}
}
