// Command trace turns the trace a traced boot wrote (`make run TRACE=DIR`
// leaves DIR/trace.bin; docs/trace.md) into trace-event JSON, which
// Perfetto and chrome://tracing open, and a timeline picture: one lane
// per core, a mark per event coloured by class, an arrow per message of
// the CPU drivers' mesh. -from and -to choose a window of the trace (ms
// since boot). It prints what the trace holds and every damaged, lost or
// cut-off chunk it found.
//
//	go run ./tools/trace [-json OUT.json] [-png OUT.png|OUT.svg] [-from MS] [-to MS] TRACE.bin
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"multikernel/tools/trace/tracefile"
)

func main() {
	jsonOut := flag.String("json", "", "trace-event JSON to write (default: the input's name with .json)")
	picOut := flag.String("png", "", "timeline picture to write, .png or .svg (default: the input's name with .png)")
	from := flag.Float64("from", 0, "start of the window, ms since boot")
	to := flag.Float64("to", 0, "end of the window, ms since boot (0: the end)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: trace [-json OUT.json] [-png OUT.png|OUT.svg] [-from MS] [-to MS] TRACE.bin")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *from < 0 || *to < 0 || (*to > 0 && *to < *from) {
		flag.Usage()
		os.Exit(2)
	}
	in := flag.Arg(0)
	base := strings.TrimSuffix(in, ".bin")
	if *jsonOut == "" {
		*jsonOut = base + ".json"
	}
	if *picOut == "" {
		*picOut = base + ".png"
	}
	w := tracefile.Window{From: uint64(*from * 1e6), To: uint64(*to * 1e6)}
	if err := tracefile.Convert(in, *jsonOut, *picOut, w, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "trace:", err)
		os.Exit(1)
	}
}
