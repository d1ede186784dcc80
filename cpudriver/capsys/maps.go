package capsys

import (
	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
)

// maps are every SysCapMap mapping on this core; guarded by the core's
// capability lock.
var maps []mapping

// mapping is one Frame or DevFrame mapped into a process.
type mapping struct {
	h    Holder
	va   uint64
	size uint64
	id   cap.ID
	// adopted is the slot of the copy of id this core adopted for the
	// mapping (ranges.go), 0 if none: the copy goes with the mapping.
	adopted uint64
}

// unmapAt removes h's SysCapMap mapping at va. The capability lock is
// held.
func unmapAt(h Holder, va uint64) int64 {
	for i, m := range maps {
		if m.h == h && m.va == va {
			m.h.UnmapFrame(m.va, m.size)
			maps = append(maps[:i], maps[i+1:]...)
			forgetAdopted(h, capcore.DB(), m)
			return 0
		}
	}
	return -kpi.EINVAL
}

// unmapCaps removes every mapping of the capabilities in gone, in every
// process of this core. The capability lock is held.
func unmapCaps(gone map[cap.ID]bool) {
	kept := maps[:0]
	for _, m := range maps {
		if gone[m.id] {
			m.h.UnmapFrame(m.va, m.size)
			continue
		}
		kept = append(kept, m)
	}
	maps = kept
}

// forgetMaps drops h's mappings from the list (its address space is
// going with them). The capability lock is held.
func forgetMaps(h Holder) {
	kept := maps[:0]
	for _, m := range maps {
		if m.h != h {
			kept = append(kept, m)
		}
	}
	maps = kept
}
