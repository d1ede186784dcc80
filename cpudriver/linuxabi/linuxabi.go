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

// fcntl commands.
const (
	FGetfd = 1
	FSetfd = 2
	FGetfl = 3
	FSetfl = 4
)

// Fcntl applies fcntl(cmd, arg) to a descriptor's close-on-exec flag and
// status flags and returns the call's result; ok is false for a command
// not supported (EINVAL). F_SETFL cannot change the access mode (the low
// two bits).
//
//go:nosplit
func Fcntl(cmd int, arg uint64, cloexec *bool, flags *uint64) (ret uint64, ok bool) {
	switch cmd {
	case FGetfd:
		if *cloexec {
			return 1, true
		}
		return 0, true
	case FSetfd:
		*cloexec = arg&1 != 0
		return 0, true
	case FGetfl:
		return *flags, true
	case FSetfl:
		*flags = *flags&3 | arg&^3
		return 0, true
	}
	return 0, false
}
