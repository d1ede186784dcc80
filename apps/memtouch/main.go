// Command memtouch maps the given number of MiB (default 64) of anonymous
// memory, writes every page, checks what it wrote, unmaps it, and does so
// three times; it prints "memtouch: N MiB x3 ok". Since a process's pages
// come from the RAM capabilities of its core (docs/capabilities.md),
// asking for more than the CPU driver's own pool holds shows they do.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

func main() {
	mib := 64
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n <= 0 {
			fmt.Fprintln(os.Stderr, "usage: memtouch [MiB]")
			os.Exit(2)
		}
		mib = n
	}
	for round := 0; round < 3; round++ {
		b, err := syscall.Mmap(-1, 0, mib<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			fmt.Fprintln(os.Stderr, "memtouch: mmap:", err)
			os.Exit(1)
		}
		for i := 0; i < len(b); i += 4096 {
			if b[i] != 0 {
				fmt.Fprintf(os.Stderr, "memtouch: page at offset %#x not zero: %#x\n", i, b[i])
				os.Exit(1)
			}
			b[i] = byte(i>>12) | 1
		}
		for i := 0; i < len(b); i += 4096 {
			if b[i] != byte(i>>12)|1 {
				fmt.Fprintf(os.Stderr, "memtouch: page at offset %#x lost its value\n", i)
				os.Exit(1)
			}
		}
		if err := syscall.Munmap(b); err != nil {
			fmt.Fprintln(os.Stderr, "memtouch: munmap:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("memtouch: %d MiB x3 ok\n", mib)
}
