package probe

import (
	"fmt"
	"unsafe"
)

// Checks reports a test program's checks, one line each:
// "PROGRAM: NAME: ok" or "PROGRAM: NAME: FAILED (DETAIL)", and counts the
// failures.
type Checks struct {
	Program string // the prefix of each line
	Failed  int    // checks that failed so far
}

// Check reports one check.
func (c *Checks) Check(name string, ok bool, detail string) {
	if ok {
		fmt.Printf("%s: %s: ok\n", c.Program, name)
		return
	}
	fmt.Printf("%s: %s: FAILED (%s)\n", c.Program, name, detail)
	c.Failed++
}

// Word returns a pointer to the 64-bit word at address va, memory the
// program mapped itself (a capability's Frame), which Go does not know.
func Word(va uintptr) *uint64 { return (*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&va))) }
