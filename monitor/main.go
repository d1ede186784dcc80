// Command monitor is the user-mode monitor the CPU driver starts on every
// core (DESIGN.md decision 7). It will carry all cross-core coordination
// (URPC channels to the other monitors, distributed capability operations,
// the name service); today it reports itself up and then waits.
package main

import (
	"fmt"
	"os"
	"time"

	"multikernel/libos/sys"
)

func main() {
	core, _, err := sys.CPU()
	if err != nil {
		fmt.Fprintln(os.Stderr, "monitor: getcpu:", err)
		os.Exit(1)
	}
	fmt.Printf("monitor %d up\n", core)
	if err := sys.MonitorUp(); err != nil {
		fmt.Fprintln(os.Stderr, "monitor: telling the CPU driver:", err)
		os.Exit(1)
	}
	for {
		time.Sleep(time.Hour)
	}
}
