// Command monitor is the user-mode monitor the CPU driver starts on every
// core (docs/decisions.md, 7). It connects to every other core's monitor
// over URPC (docs/urpc.md), answers their messages, and on core 0 runs the
// boot-time work (boot.go): it starts the SKB, waits until every monitor
// that is up has said hello, lets programs start, and then gathers the
// matrix of round-trip times between all pairs of monitors for the SKB;
// with -matrix, -bench, -caprace or -capbench it gathers the matrix
// before programs start, prints it (-matrix), and runs the latency
// benchmark (-bench) and the capability race and benchmark.
// Distributed capability operations and the name service join it later.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"multikernel/libos/sys"
)

func main() {
	matrix := flag.Bool("matrix", false, "core 0: print the round-trip matrix gathered at boot")
	bench := flag.Bool("bench", false, "core 0: run the URPC latency benchmark after boot")
	capRace := flag.Bool("caprace", false, "core 0: race every core's retypes of one shared capability and check the outcome")
	capBench := flag.Bool("capbench", false, "core 0: time two-phase retypes across 1 to 16 cores")
	rounds := flag.Int("rounds", 0, "probes per pair for the round-trip matrix (0: 100 before the boot-time options, 24 in the background)")
	poll := flag.Int64("poll", 0, "ns the waitset polls before it sleeps (0: adaptive default; negative: sleep at once)")
	flag.Parse()
	core, node, err := sys.CPU()
	if err != nil {
		fmt.Fprintln(os.Stderr, "monitor: getcpu:", err)
		os.Exit(1)
	}
	// Connecting waits for nobody: a hello to a monitor that is not up
	// yet waits in its channel.
	m, err := connect(core, node, time.Duration(*poll))
	if err != nil {
		// Without its channels the monitor has nothing to serve: it
		// does not report up, and a poweroff run fails.
		fmt.Fprintf(os.Stderr, "monitor %d: %v\n", core, err)
		os.Exit(1)
	}
	fmt.Printf("monitor %d up\n", core)
	if err := sys.MonitorUp(); err != nil {
		fmt.Fprintln(os.Stderr, "monitor: telling the CPU driver:", err)
		os.Exit(1)
	}
	if core == 0 {
		// It tells the CPU driver when the boot is done (boot.go).
		m.boot(bootFlags{matrix: *matrix, bench: *bench, capRace: *capRace, capBench: *capBench}, *rounds)
	}
	m.serve()
}
