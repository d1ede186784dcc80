package main

import (
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"multikernel/cpudriver/physmem"
	"multikernel/cpudriver/ring0"
)

// Start-up of the application cores (Intel SDM vol. 3, 9.4.4.1: INIT, then
// two STARTUP IPIs). The bootstrap core prepares, for each core, in memory
// of that core's node: a private copy of the CPU driver's writable segment
// (from the pristine bytes of the ELF module), page tables mapping the
// shared text read-only, the copy, and the direct map, a parameter block,
// and the rest of the core's share of the node's memory for its pool.

// Trampoline page layout (boot/loader.inc TR_*).
const (
	trampBase     = 0x8000
	trTableOff    = 0x800
	trEntrySize   = 16
	trEntries     = 64
	trEntry64Off  = 0x7F0
	trCountOff    = 0x7F8
	icrINIT       = 0x4500 // INIT, level assert
	icrSTARTUP    = 0x4600 // STARTUP; low byte is the vector (page number)
	coreImageSize = 4 << 20
)

// apPlan is one application core to start.
type apPlan struct {
	index  int
	apic   uint32
	node   int
	memory []span // its share of its node's memory
}

// buildCore prepares core a's memory and returns the CR3 (below 4 GiB) and
// the virtual address of its parameter block.
func buildCore(a apPlan, k *kernelImage, sh uintptr, args uint64) (cr3, params uint64, err error) {
	p := &physmem.Pool{DirectMap: ring0.DirectMap}
	for _, s := range a.memory {
		p.AddRange(s.base, s.end)
	}
	root, err := kernelTables(p, k, copyData(p), true)
	if err != nil {
		return 0, 0, fmt.Errorf("core %d (node %d): %v", a.index, a.node, err)
	}
	pp, ok := p.AllocZeroed()
	if !ok {
		return 0, 0, fmt.Errorf("core %d (node %d): out of memory", a.index, a.node)
	}
	hz, base, epoch := ring0.ClockBase()
	pmPort, pmMask, pmZero := ring0.PMTimer()
	cp := paramsAt(pp)
	*cp = ring0.CoreParams{
		Magic: ring0.CoreParamsMagic, Index: uint64(a.index), APICID: uint64(a.apic),
		Node: uint64(a.node), TSCHz: hz, TSCBase: base, EpochNs: epoch,
		LAPICHz: ring0.LAPICRate(), PhysGiB: ring0.PhysGiB(), Shared: uint64(sh),
		Oops: uint64(uintptr(unsafe.Pointer(&sharedAt(sh).Oops[a.index]))),
		Args: args, MBI: ring0.MBIAddr(),
		PMPort: uint64(pmPort), PMMask: uint64(pmMask), PMZero: uint64(pmZero), NowNs: ring0.Nanotime(),
	}
	if ring0.NX() {
		cp.NX = 1
	}
	cp.BootBytes = (p.TotalPages() - p.FreePages()) * physmem.PageSize
	for i := 0; i < 8; i++ {
		b, e, ok := p.Unused(i)
		if !ok {
			break
		}
		cp.Ranges[i] = [2]uint64{b, e}
		cp.NRanges++
	}
	return root, uint64(ring0.DirectMap) + pp, nil
}

// paramsAt returns the parameter block at physical address pa.
func paramsAt(pa uint64) *ring0.CoreParams {
	return (*ring0.CoreParams)(unsafe.Pointer(&physBytes(pa, 4096)[0]))
}

// startCores writes the trampoline and its table, sends INIT and STARTUP
// to every planned core at once and waits until each reports up or the
// bound passes. It returns the indexes of the cores that did not come up.
func startCores(plans []apPlan, entries [][2]uint64, sh *sharedLayout, bound time.Duration) []int {
	h := ring0.LoaderHandoff()
	page := physBytes(trampBase, 4096)
	clear(page)
	copy(page, physBytes(h.Tramp, int(h.TrampSize)))
	w := func(off int, v uint64) { *(*uint64)(unsafe.Pointer(&page[off])) = v }
	w(trEntry64Off, ring0.KentryAddr())
	w(trCountOff, uint64(len(entries)))
	for i, e := range entries {
		off := trTableOff + i*trEntrySize
		w(off, uint64(plans[i].apic)|e[0]<<32)
		w(off+8, e[1])
		sh.setStatus(plans[i].index, coreStarting)
	}
	// Each core's parameter block gets the bootstrap core's clock every
	// few milliseconds until the core is up (CoreParams.NowNs).
	refresh := func() {
		for i, a := range plans {
			if sh.status(a.index) != coreUp {
				atomic.StoreInt64(&paramsAt(entries[i][1]-uint64(ring0.DirectMap)).NowNs, ring0.Nanotime())
			}
		}
	}
	for _, a := range plans {
		ring0.SendIPI(a.apic, icrINIT)
	}
	time.Sleep(10 * time.Millisecond)
	for round := 0; round < 2; round++ {
		refresh()
		for _, a := range plans {
			if sh.status(a.index) == coreStarting {
				ring0.SendIPI(a.apic, icrSTARTUP|trampBase>>12)
			}
		}
		time.Sleep(time.Millisecond)
	}
	deadline := time.Now().Add(bound)
	for {
		var missing []int
		for _, a := range plans {
			if sh.status(a.index) != coreUp {
				missing = append(missing, a.index)
			}
		}
		if len(missing) == 0 || time.Now().After(deadline) {
			return missing
		}
		refresh()
		time.Sleep(5 * time.Millisecond)
	}
}
