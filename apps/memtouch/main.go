// Command memtouch maps the given number of MiB (default 64) of anonymous
// memory, writes every page, checks what it wrote, unmaps it, and does so
// -rounds times (3); it prints "memtouch: N MiB xR ok". Each page gets
// content of its own (pattern.go: words derived from the page's index and
// a seed drawn for the round), so a page that turns up at the wrong place,
// or stays from an earlier round, is seen. Since a process's
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
//
// With -hold D it is a witness for other programs: it fills every word of
// the memory, prints "memtouch: holding N MiB for D", waits D, checks
// every word ("memtouch: N MiB unchanged after D"), and asks the SKB,
// through its core's monitor, what it knows of its core ("memtouch: core C
// in the SKB: ..."): the core and its monitor still answer.
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"multikernel/cap"
	"multikernel/libos/capability"
	"multikernel/libos/probe"
	"multikernel/libos/skbclient"
	"multikernel/libos/sys"
)

func main() {
	rounds := flag.Int("rounds", 3, "times to map, write and unmap the memory")
	node := flag.Int("node", -1, "also take 8 MiB of RAM of this NUMA node")
	nodes := flag.Int("nodes", 4, "nodes to report the core's RAM of")
	watch := flag.Int("watch", -1, "only wait until the core's RAM of this node comes and goes")
	hold := flag.Duration("hold", 0, "fill the memory, keep it this long, check it and ask the SKB about the core")
	flag.Parse()
	if *watch >= 0 {
		watchRAM(*watch, *nodes)
		return
	}
	mib := 64
	if flag.NArg() > 0 {
		n, err := strconv.Atoi(flag.Arg(0))
		if err != nil || n <= 0 {
			fmt.Fprintln(os.Stderr, "usage: memtouch [-rounds R] [-node N] [-nodes N] [-watch N] [-hold D] [MiB]")
			os.Exit(2)
		}
		mib = n
	}
	if *hold > 0 {
		holdAndCheck(mib, *hold)
		return
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

// touch maps mib MiB, writes every page (three words of its own pattern,
// after checking they read as zero), checks them and unmaps the memory.
func touch(mib int) {
	b, err := syscall.Mmap(-1, 0, mib<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		fail("mmap: %v", err)
	}
	seed := rand.Uint64()
	words := unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
	pages := uint64(len(words) / pageWords)
	for i := uint64(0); i < pages; i++ {
		for _, w := range sampled(i) {
			if v := words[i*pageWords+w]; v != 0 {
				fail("page %d, word %d: %#x in fresh memory, want zero", i, w, v)
			}
			words[i*pageWords+w] = pageWord(seed, i, w)
		}
	}
	for i := uint64(0); i < pages; i++ {
		for _, w := range sampled(i) {
			if v, want := words[i*pageWords+w], pageWord(seed, i, w); v != want {
				fail("page %d, word %d: %#x, want %#x (seed %#x)", i, w, v, want, seed)
			}
		}
	}
	if err := syscall.Munmap(b); err != nil {
		fail("munmap: %v", err)
	}
}

// holdAndCheck fills mib MiB, every word, waits d, checks every word, and
// asks the SKB about the core through its monitor.
func holdAndCheck(mib int, d time.Duration) {
	b, err := syscall.Mmap(-1, 0, mib<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		fail("mmap: %v", err)
	}
	seed := rand.Uint64()
	words := unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
	for j := range words {
		words[j] = pageWord(seed, uint64(j/pageWords), uint64(j%pageWords))
	}
	fmt.Printf("memtouch: holding %d MiB for %v\n", mib, d)
	time.Sleep(d)
	changed, first := 0, -1
	for j := range words {
		if words[j] != pageWord(seed, uint64(j/pageWords), uint64(j%pageWords)) {
			if first < 0 {
				first = j
			}
			changed++
		}
	}
	if changed > 0 {
		fail("%d of %d words changed while held, the first at offset %#x: %#x, want %#x (seed %#x)", changed, len(words),
			first*8, words[first], pageWord(seed, uint64(first/pageWords), uint64(first%pageWords)), seed)
	}
	fmt.Printf("memtouch: %d MiB unchanged after %v\n", mib, d)
	core, _, err := sys.CPU()
	if err != nil {
		fail("getcpu: %v", err)
	}
	ans, err := skbclient.Query(fmt.Sprintf("core(%d, A, N)", core))
	if err != nil || len(ans) != 1 || ans[0] == "false" {
		fail("the SKB on core %d: %v, %v", core, ans, err)
	}
	fmt.Printf("memtouch: core %d in the SKB: %s\n", core, ans[0])
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
	seed := rand.Uint64()
	for off := uintptr(0); off < size; off += pageSize {
		for _, w := range sampled(uint64(off / pageSize)) {
			*probe.Word(va + off + uintptr(w)*8) = pageWord(seed, uint64(off/pageSize), w)
		}
	}
	for off := uintptr(0); off < size; off += pageSize {
		for _, w := range sampled(uint64(off / pageSize)) {
			if *probe.Word(va + off + uintptr(w)*8) != pageWord(seed, uint64(off/pageSize), w) {
				fail("the memory of node %d lost a value at %#x", n, off+uintptr(w)*8)
			}
		}
	}
	capability.Unmap(va)
	capability.Delete(f)
	capability.Delete(s)
	fmt.Printf("memtouch: 8 MiB of node %d at %#x: ok\n", n, in.Base)
}
