package acpi

import "testing"

// FuzzParse maps the input at the start of the BIOS area and parses it. The
// seeds are whole synthetic machines (RSDP, root tables, MADT, SRAT, SLIT,
// FADT),
// so the fuzzer mutates addresses, lengths and entries alike. Parse must
// never panic, and whatever it returns must be internally consistent.
func FuzzParse(f *testing.F) {
	mc := topo16()
	f.Add(mc.image())
	mc.rev = 0
	f.Add(mc.image())
	f.Add(withTable(iSRAT, srat(1, cpuAffE(0, 0x0101, 1), x2AffE(1, 2, 1))).image())
	f.Add(withTable(iMADT, madt(0xFEE00000, x2apicE(300, 1, 7), nmiE(0xFF, 5, 1), lapicOverrideE(1))).image())
	f.Add(withFADT(fadt(qemuFADT)).image())
	f.Add(withFADT(fadt(fadtSpec{rev: 1, length: 116, pmBlk: 0x8008, pmLen: 4})).image())
	f.Fuzz(func(t *testing.T, img []byte) {
		tb, err := Parse(imageMem(img))
		if err != nil {
			return
		}
		checkConsistent(t, tb)
		checkPMTimer(t, tb.FADT)
	})
}

// checkPMTimer checks what the CPU driver relies on in a decoded PM timer:
// none, or a nonzero port with a 24- or 32-bit counter.
func checkPMTimer(t *testing.T, f *FADT) {
	if f == nil || f.PMTimer.Port == 0 {
		if f != nil && f.PMTimer != (PMTimer{}) {
			t.Fatalf("PM timer without a port: %+v", f.PMTimer)
		}
		return
	}
	if b := f.PMTimer.Bits; b != 24 && b != 32 {
		t.Fatalf("PM timer of %d bits", b)
	}
}

// checkConsistent checks the invariants the kernel relies on.
func checkConsistent(t *testing.T, tb *Tables) {
	top := tb.Topology
	if top == nil || len(top.Nodes) == 0 {
		t.Fatalf("no topology")
	}
	for _, c := range top.CPUs {
		if c.Node < 0 || c.Node >= len(top.Nodes) || top.Nodes[c.Node].Domain != c.Domain {
			t.Fatalf("CPU %+v on a node that does not exist", c)
		}
	}
	for a := range top.Nodes {
		for b := range top.Nodes {
			if d := top.Distance(a, b); d < 10 || d > 255 {
				t.Fatalf("Distance(%d, %d) = %d", a, b, d)
			}
		}
	}
	for _, p := range tb.Problems {
		if p.Error() == "" {
			t.Fatalf("empty problem")
		}
	}
}

// fuzzTable wraps raw bytes as a loaded table, as loadTable would.
func fuzzTable(data []byte) *table {
	if len(data) < headerLen {
		return nil
	}
	return &table{Header: decodeHeader(data), addr: 0x1000, data: data}
}

// FuzzParseMADT, FuzzParseSRAT, FuzzParseSLIT and FuzzParseFADT feed raw bytes to one
// table decoder, without the checksum standing in the fuzzer's way.
func FuzzParseMADT(f *testing.F) {
	f.Add(topo16().tables[iMADT])
	f.Add(madt(0xFEE00000, x2apicE(300, 1, 7), entry(10, u16(5), u32(1), []byte{1, 0, 0, 0}), lapicOverrideE(1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tbl := fuzzTable(data); tbl != nil {
			if md, _ := parseMADT(tbl); md != nil {
				md.UsableCPUs()
			}
		}
	})
}

func FuzzParseSRAT(f *testing.F) {
	f.Add(topo16().tables[iSRAT])
	f.Add(srat(1, cpuAffE(0, 0x0101, 1), x2AffE(1, 2, 1), memAffE(1, 2, 3, 7)))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tbl := fuzzTable(data); tbl != nil {
			parseSRAT(tbl)
		}
	})
}

func FuzzParseSLIT(f *testing.F) {
	f.Add(topo16().tables[iSLIT])
	f.Add(slit(2, 10, 16, 9, 10))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tbl := fuzzTable(data); tbl != nil {
			if s, _ := parseSLIT(tbl); s != nil {
				s.Distance(uint32(s.Localities-1), 0)
			}
		}
	})
}

func FuzzParseFADT(f *testing.F) {
	f.Add(fadt(qemuFADT))
	f.Add(fadt(fadtSpec{rev: 1, length: 116, pmBlk: 0x8008, pmLen: 4}))
	f.Add(fadt(fadtSpec{rev: 5, length: 276, pmBlk: 0x12345, pmLen: 4, xSpace: 0, xAddr: 0xFED00000}))
	f.Add(fadt(fadtSpec{rev: 3, length: 100}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if tbl := fuzzTable(data); tbl != nil {
			fd, probs := parseFADT(tbl)
			checkPMTimer(t, fd)
			for _, p := range probs {
				if p.Error() == "" {
					t.Fatal("empty problem")
				}
			}
		}
	})
}
