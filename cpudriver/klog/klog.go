// Package klog is where the CPU driver's packages report to the console:
// whole lines, each written at once, so that lines from different cores
// do not interleave. Package main sets Output on every core before
// anything runs; until then, and in host tests that leave it nil,
// reports are dropped.
package klog

import "fmt"

// Output writes one line (ending in a newline) to the console.
var Output func(line string)

// Printf formats a report and writes it as one line; a missing final
// newline is added.
func Printf(format string, args ...any) {
	if Output == nil {
		return
	}
	s := fmt.Sprintf(format, args...)
	if len(s) == 0 || s[len(s)-1] != '\n' {
		s += "\n"
	}
	Output(s)
}
