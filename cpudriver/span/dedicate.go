package span

// Dedicated cores (docs/kcore.md): a thread of a spanning program may
// take a core of the program for itself alone (a kernel core). The
// program's other threads then leave that core and are not placed or
// moved there while it stays dedicated. These are the mask rules; the
// CPU driver keeps the mask in the program's span page.

// Dedicate returns the dedicated mask once core c, a core of the
// program (cores), is dedicated, given the mask old: ok is false if c is
// dedicated already, is not one of cores, or would leave no core of the
// program for its other threads.
func Dedicate(old, cores uint64, c int) (uint64, bool) {
	if c < 0 || c > 63 {
		return old, false
	}
	bit := uint64(1) << c
	next := old | bit
	if cores&bit == 0 || old&bit != 0 || cores&^next == 0 {
		return old, false
	}
	return next, true
}

// Undedicated returns the cores of mask that a thread may use when the
// cores of dedicated are dedicated to other threads: mask less them;
// when that leaves none, the program's cores (cores) less them, so that
// a thread whose every core was taken still has somewhere to run; 0 only
// if every core of the program is dedicated.
func Undedicated(mask, cores, dedicated uint64) uint64 {
	if m := mask &^ dedicated; m != 0 {
		return m
	}
	return cores &^ dedicated
}
