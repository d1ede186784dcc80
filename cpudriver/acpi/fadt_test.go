package acpi

import (
	"strings"
	"testing"
)

// fadtSpec describes a synthetic FADT: its revision and length, the legacy
// PM timer block and its length, the flags and X_PM_TMR_BLK.
type fadtSpec struct {
	rev           byte
	length        int
	pmBlk         uint32
	pmLen         byte
	flags         uint32
	xSpace, xBits byte
	xAddr         uint64
}

// fadt builds the table: an ACPI 6 FADT is 276 bytes, the fields the
// parser does not read are zero.
func fadt(s fadtSpec) []byte {
	b := sdt("FACP", s.rev, make([]byte, s.length-headerLen))
	le.PutUint32(b[fadtOffPMTmrBlk:], s.pmBlk)
	if s.length > fadtOffPMTmrLen {
		b[fadtOffPMTmrLen] = s.pmLen
	}
	if s.length >= fadtV1Len {
		le.PutUint32(b[fadtOffFlags:], s.flags)
	}
	if s.length >= fadtXPMTmrEnd {
		b[fadtOffXPMTmrBlk], b[fadtOffXPMTmrBlk+1] = s.xSpace, s.xBits
		le.PutUint64(b[fadtOffXPMTmrBlk+4:], s.xAddr)
	}
	return fixLength(b)
}

// qemuFADT is what QEMU builds on q35 (testdata): revision 3, 244 bytes,
// the timer at 0x608 in both blocks, without TMR_VAL_EXT (QEMU's timer
// counts 24 bits).
var qemuFADT = fadtSpec{rev: 3, length: 244, pmBlk: 0x608, pmLen: 4, flags: 0x484a5, xSpace: 1, xBits: 32, xAddr: 0x608}

// withFADT returns topo16 with f added as a fourth table.
func withFADT(f []byte) machine {
	mc := topo16()
	mc.tables = append(mc.tables, f)
	return mc
}

func TestFADTPMTimer(t *testing.T) {
	mod := func(f func(*fadtSpec)) fadtSpec {
		s := qemuFADT
		f(&s)
		return s
	}
	cases := []struct {
		name  string
		spec  fadtSpec
		want  PMTimer
		probs []string // substrings, one problem each, in order
	}{
		{"QEMU q35", qemuFADT, PMTimer{Port: 0x608, Bits: 24, FromX: true}, nil},
		{"32-bit counter", mod(func(s *fadtSpec) { s.flags |= fadtTmrValExt }), PMTimer{Port: 0x608, Bits: 32, FromX: true}, nil},
		{"ACPI 1.0 table", fadtSpec{rev: 1, length: 116, pmBlk: 0x8008, pmLen: 4, flags: fadtTmrValExt}, PMTimer{Port: 0x8008, Bits: 32}, nil},
		{"revision 3 too short for X_PM_TMR_BLK", mod(func(s *fadtSpec) { s.length = 216; s.pmBlk = 0x408 }), PMTimer{Port: 0x408, Bits: 24}, nil},
		{"revision 2 ignores X_PM_TMR_BLK", mod(func(s *fadtSpec) { s.rev = 2; s.pmBlk = 0x408 }), PMTimer{Port: 0x408, Bits: 24}, nil},
		{"X_PM_TMR_BLK only", mod(func(s *fadtSpec) { s.pmBlk = 0 }), PMTimer{Port: 0x608, Bits: 24, FromX: true}, nil},
		{"X_PM_TMR_BLK zero", mod(func(s *fadtSpec) { s.xAddr = 0 }), PMTimer{Port: 0x608, Bits: 24}, nil},
		{"X_PM_TMR_BLK differs", mod(func(s *fadtSpec) { s.pmBlk = 0x408 }), PMTimer{Port: 0x608, Bits: 24, FromX: true},
			[]string{"offset 212: X_PM_TMR_BLK 0x608 differs from PM_TMR_BLK 0x408; X_PM_TMR_BLK used"}},
		{"X_PM_TMR_BLK in memory space", mod(func(s *fadtSpec) { s.xSpace = 0; s.xAddr = 0xFED00000; s.pmBlk = 0x408 }), PMTimer{Port: 0x408, Bits: 24},
			[]string{"offset 208: X_PM_TMR_BLK is in address space 0, not system I/O; PM_TMR_BLK used"}},
		{"X_PM_TMR_BLK beyond I/O space", mod(func(s *fadtSpec) { s.xAddr = 0x10000 }), PMTimer{Port: 0x608, Bits: 24},
			[]string{"X_PM_TMR_BLK 0x10000 is beyond the 16-bit I/O space; PM_TMR_BLK used"}},
		{"PM_TMR_BLK beyond I/O space", mod(func(s *fadtSpec) { s.pmBlk = 0x12345; s.xAddr = 0 }), PMTimer{},
			[]string{"offset 76: PM_TMR_BLK 0x12345 is beyond the 16-bit I/O space; ignored"}},
		{"PM_TMR_LEN not 4", mod(func(s *fadtSpec) { s.pmLen = 2 }), PMTimer{},
			[]string{"offset 91: PM_TMR_LEN is 2, must be 4; no PM timer"}},
		{"no timer at all", mod(func(s *fadtSpec) { s.pmBlk, s.xAddr, s.pmLen = 0, 0, 0 }), PMTimer{}, nil},
		{"shorter than ACPI 1.0", fadtSpec{rev: 1, length: 100, pmBlk: 0x608, pmLen: 4}, PMTimer{},
			[]string{"offset 4: length 100 is shorter than the 116-byte ACPI 1.0 FADT; no PM timer"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := mustParse(t, withFADT(fadt(c.spec)).mem())
			if tb.FADT == nil {
				t.Fatalf("no FADT; problems %v", tb.Problems)
			}
			if tb.FADT.PMTimer != c.want {
				t.Errorf("PM timer %+v, want %+v", tb.FADT.PMTimer, c.want)
			}
			if len(tb.Problems) != len(c.probs) {
				t.Fatalf("problems %v, want %d", tb.Problems, len(c.probs))
			}
			for i, w := range c.probs {
				if s := tb.Problems[i].Error(); !strings.Contains(s, w) || !strings.HasPrefix(s, "acpi: FADT at 0x") {
					t.Errorf("problem %q, want one about %q", s, w)
				}
			}
		})
	}
}

// TestFADTMalformed: a FADT shorter than its header, or with a bad
// checksum, is skipped whole; a missing FADT is no problem.
func TestFADTMalformed(t *testing.T) {
	bad := fadt(qemuFADT)
	bad[100]++
	tb := mustParse(t, withFADT(bad).mem())
	if tb.FADT != nil || !hasProblem(tb, "FADT at 0x") || !hasProblem(tb, "bad checksum") {
		t.Errorf("bad checksum: FADT %+v, problems %v", tb.FADT, tb.Problems)
	}
	short := setLength(fadt(qemuFADT), 30)
	tb = mustParse(t, withFADT(short).mem())
	if tb.FADT != nil || !hasProblem(tb, "offset 4: length 30 outside [36, 1048576]") {
		t.Errorf("short: FADT %+v, problems %v", tb.FADT, tb.Problems)
	}
	tb = mustParse(t, topo16().mem())
	if tb.FADT != nil || len(tb.Problems) != 0 {
		t.Errorf("no FADT: FADT %+v, problems %v", tb.FADT, tb.Problems)
	}
}

func TestPMTimerMask(t *testing.T) {
	if m := (PMTimer{Bits: 24}).Mask(); m != 0xFFFFFF {
		t.Errorf("24-bit mask %#x", m)
	}
	if m := (PMTimer{Bits: 32}).Mask(); m != 0xFFFFFFFF {
		t.Errorf("32-bit mask %#x", m)
	}
}

// TestQEMUDumpFADT reads the FADT SeaBIOS built for the reference topology.
func TestQEMUDumpFADT(t *testing.T) {
	tb := mustParse(t, loadDump(t, "testdata/qemu-q35-16cpu-4node"))
	f := tb.FADT
	if f == nil {
		t.Fatalf("no FADT; problems %v", tb.Problems)
	}
	if f.Revision != 3 || f.Length != 244 || f.PMTimer != (PMTimer{Port: 0x608, Bits: 24, FromX: true}) {
		t.Errorf("FADT revision %d length %d, PM timer %+v; want 3, 244, port 0x608 24-bit", f.Revision, f.Length, f.PMTimer)
	}
	if len(tb.Problems) != 0 {
		t.Errorf("problems: %v", tb.Problems)
	}
}
