// Command cpudriver is the multikernel's CPU driver: one copy runs in ring 0
// on every core, each with its own Go runtime. The ring-0 layer beneath the
// runtime is package ring0; this package is what runs once the runtime is
// up: it brings the core up, and on the bootstrap core it discovers the
// machine and starts the other cores.
package main

import (
	"fmt"

	"multikernel/cpudriver/ring0"
)

func main() {
	c := ring0.Core()
	fmt.Printf("core %d apic %d node %d up\n", c.Index, c.APICID, c.Node)
	free, total := ring0.FreeMemory()
	fmt.Printf("core %d: %d KiB free of %d KiB\n", c.Index, free>>10, total>>10)
	ring0.HaltForever()
}
