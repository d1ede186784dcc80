// Package linuxabi holds the small decisions of the Linux system-call
// interface that both of the CPU driver's Linux personalities make: the one
// beneath its own runtime (package ring0, nosplit, allocation-free) and the
// one for programs in ring 3 (package proc). Every function is //go:nosplit
// and allocation-free so that ring0 may call it.
package linuxabi

// SigprocmaskHow values of rt_sigprocmask.
const (
	SigBlock   = 0
	SigUnblock = 1
	SigSetmask = 2
)

// Sigmask returns the signal mask after rt_sigprocmask(how, set) on cur;
// ok is false for an unknown how (EINVAL).
//
//go:nosplit
func Sigmask(how int, cur, set uint64) (mask uint64, ok bool) {
	switch how {
	case SigBlock:
		return cur | set, true
	case SigUnblock:
		return cur &^ set, true
	case SigSetmask:
		return set, true
	}
	return cur, false
}

// FileStatusFlags returns a descriptor's status flags after F_SETFL arg:
// the access mode (the low two bits) cannot change.
//
//go:nosplit
func FileStatusFlags(cur, arg uint64) uint64 { return cur&3 | arg&^3 }
