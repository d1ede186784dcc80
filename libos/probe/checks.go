package probe

import (
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"unsafe"
)

// Checks reports a test program's checks, one line each:
// "PROGRAM: NAME: ok" or "PROGRAM: NAME: FAILED (DETAIL)", and counts the
// failures. Its methods may be called from several goroutines at once
// (threads pinned to different cores); use it by pointer.
type Checks struct {
	Program string // the prefix of each line
	Failed  int    // checks that failed so far; guarded by mu

	mu sync.Mutex
}

// Check reports one check.
func (c *Checks) Check(name string, ok bool, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		fmt.Printf("%s: %s: ok\n", c.Program, name)
		return
	}
	fmt.Printf("%s: %s: FAILED (%s)\n", c.Program, name, detail)
	c.Failed++
}

// Checkf is Check with the detail formatted (only when it failed).
func (c *Checks) Checkf(name string, ok bool, format string, args ...any) {
	detail := ""
	if !ok {
		detail = fmt.Sprintf(format, args...)
	}
	c.Check(name, ok, detail)
}

// End prints "PROGRAM: PASS", or "PROGRAM: FAILED" if a check failed,
// and exits with status 0 or 1.
func (c *Checks) End() {
	c.mu.Lock()
	failed := c.Failed
	c.mu.Unlock()
	if failed > 0 {
		fmt.Printf("%s: FAILED\n", c.Program)
		os.Exit(1)
	}
	fmt.Printf("%s: PASS\n", c.Program)
	os.Exit(0)
}

// ReadFaults reports whether reading b[0] faults, with
// runtime/debug.SetPanicOnFault on for the read.
func ReadFaults(b []byte) bool {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	return Faults(func() { sinkByte += b[0] })
}

// sinkByte keeps ReadFaults' load from being optimized away.
var sinkByte byte

// Word returns a pointer to the 64-bit word at address va, memory the
// program mapped itself (a capability's Frame), which Go does not know.
func Word(va uintptr) *uint64 { return (*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&va))) }
