// Command memtouch maps the given number of MiB (default 64) of anonymous
// memory, writes every page, checks what it wrote, unmaps it, and does so
// -rounds times (3); it prints "memtouch: N MiB xR ok". Since a process's
// pages come from the RAM capabilities of its core (docs/capabilities.md),
// asking for more than the core started with shows the memory service
// at work: memtouch then prints the core's RAM capabilities by node and
// how many grants of the memory service the core received, as
// "memtouch: core RAM by node [A B ...] MiB, N grants".
//
// With -node N it also asks for 8 MiB of RAM of node N (capability
// AllocRAM), checks with the SKB that the memory lies on node N, and
// writes and reads it through a Frame mapped from it: "memtouch: 8 MiB
// of node N at BASE: ok".
//
// With -watch N it touches nothing: it waits until its core holds RAM of
// node N (another program there borrowed some), then until it holds none
// again (that program ended and its core gave the memory back), and
// prints "memtouch: the core's RAM of node N came and went back".
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"

	"multikernel/cap"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
	"multikernel/libos/skbclient"
)

func main() {
	rounds := flag.Int("rounds", 3, "times to map, write and unmap the memory")
	node := flag.Int("node", -1, "also take 8 MiB of RAM of this NUMA node")
	nodes := flag.Int("nodes", 4, "nodes to report the core's RAM of")
	watch := flag.Int("watch", -1, "only wait until the core's RAM of this node comes and goes")
	flag.Parse()
	if *watch >= 0 {
		watchRAM(*watch, *nodes)
		return
	}
	mib := 64
	if flag.NArg() > 0 {
		n, err := strconv.Atoi(flag.Arg(0))
		if err != nil || n <= 0 {
			fmt.Fprintln(os.Stderr, "usage: memtouch [-rounds R] [-node N] [-nodes N] [MiB]")
			os.Exit(2)
		}
		mib = n
	}
	if *node >= 0 {
		fromNode(*node)
	}
	for round := 0; round < *rounds; round++ {
		touch(mib)
	}
	fmt.Printf("memtouch: %d MiB x%d ok\n", mib, *rounds)
	byNode, grants, err := capability.MemInfo(*nodes)
	if err != nil {
		fail("memory report: %v", err)
	}
	for i := range byNode {
		byNode[i] >>= 20
	}
	fmt.Printf("memtouch: core RAM by node %v MiB, %d grants\n", byNode, grants)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "memtouch: "+format+"\n", args...)
	os.Exit(1)
}

// watchRAM waits until the core holds RAM of node n, then until it holds
// none again, two minutes at most each.
func watchRAM(n, nodes int) {
	if n >= nodes {
		fail("-watch %d: only %d nodes reported", n, nodes)
	}
	for _, want := range []bool{true, false} {
		deadline := time.Now().Add(2 * time.Minute)
		for {
			byNode, _, err := capability.MemInfo(nodes)
			if err != nil {
				fail("memory report: %v", err)
			}
			if byNode[n] > 0 == want {
				break
			}
			if time.Now().After(deadline) {
				fail("the core's RAM of node %d: still %d bytes, waiting for it to %s", n, byNode[n], map[bool]string{true: "come", false: "go back"}[want])
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	fmt.Printf("memtouch: the core's RAM of node %d came and went back\n", n)
}

// touch maps mib MiB, writes every page, checks it and unmaps it.
func touch(mib int) {
	b, err := syscall.Mmap(-1, 0, mib<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		fail("mmap: %v", err)
	}
	for i := 0; i < len(b); i += 4096 {
		if b[i] != 0 {
			fail("page at offset %#x not zero: %#x", i, b[i])
		}
		b[i] = byte(i>>12) | 1
	}
	for i := 0; i < len(b); i += 4096 {
		if b[i] != byte(i>>12)|1 {
			fail("page at offset %#x lost its value", i)
		}
	}
	if err := syscall.Munmap(b); err != nil {
		fail("munmap: %v", err)
	}
}

// fromNode takes 8 MiB of node n, checks where it lies, and uses it.
func fromNode(n int) {
	const size, va = 8 << 20, 0x500000000000
	s, err := capability.AllocRAM(size, n)
	if err != nil {
		fail("8 MiB of node %d: %v", n, err)
	}
	in, err := capability.Identify(s)
	if err != nil || in.Type != cap.RAM || in.Size != size {
		fail("8 MiB of node %d: got %v, %v", n, in, err)
	}
	ans, err := skbclient.Query(fmt.Sprintf("memory_region(B, S, %d), B =< %d, %d =< B + S", n, in.Base, in.Base+size))
	if err != nil || len(ans) == 0 || ans[0] == "false" {
		fail("8 MiB of node %d at %#x: the SKB has no region of node %d there (%v, %v)", n, in.Base, n, ans, err)
	}
	f, err := capability.Retype(s, cap.Frame, 0, size, 1)
	if err == nil {
		err = capability.Map(f, va, syscall.PROT_READ|syscall.PROT_WRITE)
	}
	if err != nil {
		fail("mapping the memory of node %d: %v", n, err)
	}
	for off := uintptr(0); off < size; off += 4096 {
		*probe.Word(va + off) = uint64(off) | 1
	}
	for off := uintptr(0); off < size; off += 4096 {
		if *probe.Word(va + off) != uint64(off)|1 {
			fail("the memory of node %d lost a value at %#x", n, off)
		}
	}
	capability.Unmap(va)
	capability.Delete(f)
	capability.Delete(s)
	fmt.Printf("memtouch: 8 MiB of node %d at %#x: ok\n", n, in.Base)
}
