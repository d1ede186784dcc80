package capsys

import (
	"testing"

	"multikernel/cap"
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/memory"
	"multikernel/cpudriver/vmas"
)

// rangeHolder is a testHolder that records the Frame mappings it is
// asked to remove.
type rangeHolder struct {
	testHolder
	unmapped []uint64 // va of each UnmapFrame
}

func (h *rangeHolder) UnmapFrame(va, size uint64) { h.unmapped = append(h.unmapped, va) }

// mapper returns a RangeMapper that records what it mapped in got and
// answers ret.
func mapper(got *[2]uint64, ret int64) RangeMapper {
	return func(pa, size uint64, prot uint32, uncached bool) int64 {
		if ret == 0 {
			*got = [2]uint64{pa, size}
		}
		return ret
	}
}

// TestRangeFrames: a Frame mapped into a range is checked for type and
// rights before the range code runs, recorded only when the range code
// mapped it, and removed through the holder when the Frame is deleted;
// an export marks the Frame as having a copy elsewhere; an adopted copy
// is the holder's, borrowed, and goes from its CSpace with its mapping.
func TestRangeFrames(t *testing.T) {
	if err := memory.Init(0, 0x1000000, 0x100000); err != nil {
		t.Fatal(err)
	}
	maps = nil
	h := &rangeHolder{}
	h.cs.Reset(1)
	db := capcore.Lock()
	ram, _ := memory.RetypeRAM(db, 0x4000, 0x4000)
	fr, err := db.Retype(ram.Cap(), cap.RetypeArgs{Type: cap.Frame, ObjSize: 0x4000, Count: 1})
	if err != nil {
		capcore.Unlock()
		t.Fatal(err)
	}
	frame := uint64(h.cs.Put(fr[0]))
	ro, _ := db.Mint(fr[0], cap.RightRead|cap.RightGrant)
	readOnly := uint64(h.cs.Put(ro))
	ramSlot := uint64(h.cs.Put(ram.Cap()))
	fc, _ := db.Identify(fr[0])
	capcore.Unlock()

	const va = 0x7f0000000000
	var got [2]uint64
	for _, c := range []struct {
		name string
		slot uint64
		prot uint32
		want int64
	}{
		{"empty slot", 99, vmas.Read, -kpi.EBADF},
		{"RAM", ramSlot, vmas.Read, -kpi.EINVAL},
		{"write through a read-only copy", readOnly, vmas.Read | vmas.Write, -kpi.EPERM},
		{"a bad protection", frame, 0x80, -kpi.EPERM},
	} {
		if r := MapIntoRange(h, c.slot, va, c.prot, mapper(&got, 0)); r != c.want {
			t.Errorf("%s: %d, want %d", c.name, r, c.want)
		}
	}
	if got != [2]uint64{} || len(maps) != 0 {
		t.Fatalf("a refused map reached the range code (%v) or was recorded (%d)", got, len(maps))
	}
	if r := MapIntoRange(h, frame, va, vmas.Read, mapper(&got, -kpi.EEXIST)); r != -kpi.EEXIST || len(maps) != 0 {
		t.Errorf("a map the range code refused: %d, %d recorded", r, len(maps))
	}
	if r := MapIntoRange(h, readOnly, va, vmas.Read, mapper(&got, 0)); r != 0 || got != [2]uint64{fc.Base, fc.Size} || len(maps) != 1 {
		t.Fatalf("map: %d, mapped %v (want %#x+%#x), %d recorded", r, got, fc.Base, fc.Size, len(maps))
	}
	if r := Invoke(h, kpi.SysCapDelete, [6]uint64{readOnly}); r != 0 || len(h.unmapped) != 1 || h.unmapped[0] != va || len(maps) != 0 {
		t.Errorf("delete of the mapped copy: %d, unmapped %v, %d recorded", r, h.unmapped, len(maps))
	}

	c, e := Export(h, frame, vmas.Read|vmas.Write)
	db = capcore.Lock()
	now, _ := db.Identify(fr[0])
	capcore.Unlock()
	if e != 0 || c.Base != fc.Base || c.Size != fc.Size || now.Remote&cap.RemoteCopies == 0 {
		t.Errorf("export: %v, %d; the Frame's relations now %v", c, e, now.Remote)
	}

	// Another core's replica adopts it (here: a copy as from core 1).
	r := &rangeHolder{}
	c.Owner = 1
	c.Rights &^= cap.RightExecute
	if e := Adopt(r, c, va, vmas.Read|vmas.Exec, mapper(&got, 0)); e != -kpi.EPERM {
		t.Errorf("adopt for a right the Frame lacks: %d", e)
	}
	if e := Adopt(r, c, va, vmas.Read, mapper(&got, 0)); e != 0 || len(maps) != 1 {
		t.Fatalf("adopt: %d, %d recorded", e, len(maps))
	}
	slots := r.cs.Slots()
	if len(slots) != 2 || slots[0] != 0 || !r.cs.Borrowed(slots[1]) {
		t.Errorf("adopted copy: slots %v, borrowed %v", slots, len(slots) == 2 && r.cs.Borrowed(slots[1]))
	}
	UnmapIn(r, va&^(kpi.RangeSize-1), va&^(kpi.RangeSize-1)+kpi.RangeSize)
	if len(r.unmapped) != 1 || len(maps) != 0 || r.cs.Lookup(1) != 0 {
		t.Errorf("unmap of the range: unmapped %v, %d recorded, slot 1 holds %d", r.unmapped, len(maps), r.cs.Lookup(1))
	}
}
