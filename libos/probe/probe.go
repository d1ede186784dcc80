// Package probe helps programs test what the system lets them do: Faults
// runs a memory access and reports whether it faulted, which a program
// that called runtime/debug.SetPanicOnFault(true) sees as a recovered
// panic instead of its death.
//
// Checks reports a test program's checks, and Word reaches memory a
// program mapped through a capability.
//
// It runs in ring 3, in test programs (apps/captest, apps/capshare,
// apps/devcaps, apps/memtouch).
package probe

// Faults runs f and reports whether it panicked (with SetPanicOnFault on,
// a fault at any address does).
func Faults(f func()) (faulted bool) {
	defer func() {
		if recover() != nil {
			faulted = true
		}
	}()
	f()
	return false
}
