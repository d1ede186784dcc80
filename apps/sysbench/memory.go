//go:build linux

package main

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// mmapMunmap times n mappings of one anonymous private page, each
// unmapped at once and never touched.
func mmapMunmap(n int) (time.Duration, error) {
	size := uintptr(os.Getpagesize())
	const prot = syscall.PROT_READ | syscall.PROT_WRITE
	const flags = syscall.MAP_PRIVATE | syscall.MAP_ANON
	start := time.Now()
	for range n {
		addr, _, e := syscall.RawSyscall6(syscall.SYS_MMAP, 0, size, prot, flags, ^uintptr(0), 0)
		if e != 0 {
			return 0, fmt.Errorf("mmap of %d bytes: %v", size, e)
		}
		if _, _, e := syscall.RawSyscall(syscall.SYS_MUNMAP, addr, size, 0); e != 0 {
			return 0, fmt.Errorf("munmap(%#x, %d): %v", addr, size, e)
		}
	}
	return time.Since(start), nil
}

// pageFaults maps pages fresh pages of anonymous memory and times writing
// one byte to each, each write a demand-zero fault.
func pageFaults(pages int) (time.Duration, error) {
	step := os.Getpagesize()
	b, err := syscall.Mmap(-1, 0, pages*step, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return 0, fmt.Errorf("mmap %d bytes: %w", pages*step, err)
	}
	defer syscall.Munmap(b)
	// 4 KiB pages on both systems; a kernel without huge pages may refuse.
	_ = syscall.Madvise(b, syscall.MADV_NOHUGEPAGE)
	start := time.Now()
	for i := 0; i < len(b); i += step {
		b[i] = 1
	}
	return time.Since(start), nil
}
