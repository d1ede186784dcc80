package addrspace

import (
	"sync"

	"multikernel/cpudriver/ring0"
	"multikernel/cpudriver/vdso"
	"multikernel/cpudriver/vmas"
)

// The vDSO (cpudriver/vdso; docs/architecture.md, "The vDSO"): this core
// keeps two pages from its pool, the vDSO image and the clock data page,
// made on first use and never freed; every process of the core gets both
// mapped read-only (the image also executable) at vdso.CodeVA and
// vdso.DataVA, as pinned areas a program cannot unmap or map over, and
// AT_SYSINFO_EHDR pointing at the image. Only this core's CPU driver
// writes the data page: ring0 owns it once SetVDSOData has it, and
// rewrites it under its sequence count at every clock re-sync.
// The pages lie right below the main thread's stack reservation.
const _ = uint64(StackTop - StackSize - (vdso.CodeVA + vdso.PageSize))

var vdsoPages struct {
	once       sync.Once
	code, data uint64 // physical pages; 0 if the pool had none
}

// vdsoPagesHere returns this core's vDSO pages, making them first.
func vdsoPagesHere() (code, data uint64) {
	vdsoPages.once.Do(func() {
		c, d := ring0.AllocPage(), ring0.AllocPage()
		if c == 0 || d == 0 {
			return // no vDSO: programs make the system call
		}
		copy(ring0.PhysBytes(c, vdso.PageSize), vdso.Image(vdso.DataVA))
		ring0.SetVDSOData(d)
		vdsoPages.code, vdsoPages.data = c, d
	})
	return vdsoPages.code, vdsoPages.data
}

// mapVDSO maps this core's vDSO pages into s and returns the image's
// address for AT_SYSINFO_EHDR, or 0 if there is none.
func (s *Space) mapVDSO() uint64 {
	code, data := vdsoPagesHere()
	if code == 0 {
		return 0
	}
	if s.MapFrame(vdso.DataVA, data, vdso.PageSize, vmas.Read, false) != nil {
		return 0
	}
	if s.MapFrame(vdso.CodeVA, code, vdso.PageSize, vmas.Read|vmas.Exec, false) != nil {
		s.UnmapPinned(vdso.DataVA, vdso.DataVA+vdso.PageSize)
		return 0
	}
	return vdso.CodeVA
}
