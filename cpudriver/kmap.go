package main

import (
	"fmt"

	"multikernel/cpudriver/elf"
	"multikernel/cpudriver/pagetable"
	"multikernel/cpudriver/physmem"
	"multikernel/cpudriver/ring0"
)

// kernelImage is what every core maps of the CPU driver: its ELF module
// (whose writable segment bytes stay pristine: the bootstrap core's live
// copy is the one the loader made) and where the loader put the image.
type kernelImage struct {
	file  *elf.File
	pbase uint64 // physical address of the loader's copy
	vbase uint64 // its virtual address
}

func loadKernelImage(module []byte, pbase, vbase uint64) (*kernelImage, error) {
	f, err := elf.Parse(module)
	if err != nil {
		return nil, fmt.Errorf("CPU driver module: %v", err)
	}
	return &kernelImage{file: f, pbase: pbase, vbase: vbase}, nil
}

// dataPageFunc returns the physical page that backs the writable-segment
// page at va (seg is its segment).
type dataPageFunc func(seg *elf.Segment, va uint64) (uint64, error)

// kernelTables builds a core's page tables in pages from p: the direct
// map of physical memory (2 MiB pages, not executable), the CPU driver's
// text and read-only data shared read-only at the loader's copy, and its
// writable segment at the pages data returns (read-write, not executable).
// With identity set, the first GiB is also mapped at its physical address,
// for the trampoline (the core drops it in earlyInit).
func kernelTables(p *physmem.Pool, k *kernelImage, data dataPageFunc, identity bool) (uint64, error) {
	alloc := func() (uint64, error) {
		pa, ok := p.AllocZeroed()
		if !ok {
			return 0, fmt.Errorf("out of memory building page tables")
		}
		return pa, nil
	}
	nx := uint64(0)
	if ring0.NX() {
		nx = pagetable.NoExecute
	}
	root, err := alloc()
	if err != nil {
		return 0, err
	}
	if root >= 1<<32 {
		root = ring0.AllocPage() // an AP loads CR3 in 32-bit mode
	}
	pdpt, err := alloc()
	if err != nil {
		return 0, err
	}
	for g := uint64(0); g < ring0.PhysGiB() && g < 512; g++ {
		pd, err := alloc()
		if err != nil {
			return 0, err
		}
		w := physWords(pd)
		for i := uint64(0); i < 512; i++ {
			w[i] = g<<30 | i<<21 | pagetable.Present | pagetable.Writable | pagetable.Huge | nx
		}
		physWords(pdpt)[g] = pd | pagetable.Present | pagetable.Writable
	}
	physWords(root)[256] = pdpt | pagetable.Present | pagetable.Writable
	if identity {
		// The first GiB at its physical address, executable (the
		// trampoline runs there), in tables of its own.
		ipdpt, err := alloc()
		if err != nil {
			return 0, err
		}
		ipd, err := alloc()
		if err != nil {
			return 0, err
		}
		for i := uint64(0); i < 512; i++ {
			physWords(ipd)[i] = i<<21 | pagetable.Present | pagetable.Writable | pagetable.Huge
		}
		physWords(ipdpt)[0] = ipd | pagetable.Present | pagetable.Writable
		physWords(root)[0] = ipdpt | pagetable.Present | pagetable.Writable
	}
	for i := range k.file.Segments {
		seg := &k.file.Segments[i]
		for va := seg.VAddr &^ 4095; va < seg.VAddr+seg.MemSize; va += 4096 {
			var pa, flags uint64
			if seg.Flags&elf.FlagW != 0 {
				if pa, err = data(seg, va); err != nil {
					return 0, err
				}
				flags = pagetable.Writable | nx
			} else {
				pa = k.pbase + (va - k.vbase)
				if seg.Flags&elf.FlagX == 0 {
					flags = nx
				}
			}
			if st := pagetable.Map(p, root, va, pa, flags); st != pagetable.OK {
				return 0, fmt.Errorf("mapping the CPU driver at %#x failed (%d)", va, st)
			}
		}
	}
	return root, nil
}

// copyData returns a dataPageFunc that backs each writable page with a
// fresh page from p holding the pristine bytes of the ELF module.
func copyData(p *physmem.Pool) dataPageFunc {
	return func(seg *elf.Segment, va uint64) (uint64, error) {
		pa, ok := p.AllocZeroed()
		if !ok {
			return 0, fmt.Errorf("out of memory copying the writable segment")
		}
		// The page covers [va, va+4096); the segment's file bytes start at
		// seg.VAddr, which need not be page aligned.
		lo, hi := max(va, seg.VAddr), min(va+4096, seg.VAddr+uint64(len(seg.Data)))
		if lo < hi {
			copy(physBytes(pa+(lo-va), int(hi-lo)), seg.Data[lo-seg.VAddr:hi-seg.VAddr])
		}
		return pa, nil
	}
}

// liveData is the dataPageFunc of the bootstrap core: its writable segment
// stays where the loader put it.
func liveData(k *kernelImage) dataPageFunc {
	return func(_ *elf.Segment, va uint64) (uint64, error) { return k.pbase + (va - k.vbase), nil }
}

// switchTables moves the bootstrap core from the loader's page tables to
// tables of its own built like every other core's, keeping its runtime's
// heap mappings.
func switchTables(k *kernelImage, mem []span) ([]span, error) {
	taken, rest := carve(mem, 1<<20)
	p := &physmem.Pool{DirectMap: ring0.DirectMap}
	for _, s := range taken {
		p.AddRange(s.base, s.end)
	}
	root, err := kernelTables(p, k, liveData(k), false)
	if err != nil {
		return mem, err
	}
	ring0.AdoptTables(root)
	for i := 0; ; i++ {
		b, e, ok := p.Unused(i)
		if !ok {
			break
		}
		rest = append(rest, span{b, e})
	}
	return rest, nil
}
