package main

// childExits makes the clone-like system call nr (clone, fork, vfork,
// clone3) with the given arguments; a child it makes exits at once
// without running Go code. It returns the call's RAX (raw_amd64.s).
func childExits(nr, a0, a1, a2, a3, a4, a5 uintptr) uintptr

// archSetFS makes arch_prctl(ARCH_SET_FS, addr) and restores the
// thread's FS base right after, signals blocked (raw_amd64.s); it returns
// the call's RAX.
func archSetFS(addr uintptr) uintptr
