package acpi

import (
	"errors"
	"strings"
	"testing"
)

// withTable returns topo16 with table i replaced (nil: removed).
func withTable(i int, b []byte) machine {
	mc := topo16()
	if b == nil {
		mc.tables = append(mc.tables[:i], mc.tables[i+1:]...)
	} else {
		mc.tables[i] = b
	}
	return mc
}

const (
	iMADT = 0
	iSRAT = 1
	iSLIT = 2
)

// corrupt returns a copy of table i of topo16 after f has edited it.
func corrupt(i int, f func([]byte) []byte) []byte {
	return f(append([]byte(nil), topo16().tables[i]...))
}

var lapic3 = [][]byte{lapicE(0, 0, 1), lapicE(1, 1, 1), lapicE(2, 2, 1)}

func TestParseBadInput(t *testing.T) {
	cases := []struct {
		name  string
		mc    machine
		want  []string // substrings, each of which some problem must contain
		check func(t *testing.T, tb *Tables)
	}{{
		name: "MADT bad checksum",
		mc:   withTable(iMADT, corrupt(iMADT, func(b []byte) []byte { b[50]++; return b })),
		want: []string{"MADT at 0x", "bad checksum", "only the bootstrap processor"},
		check: func(t *testing.T, tb *Tables) {
			if tb.MADT != nil || len(tb.Topology.CPUs) != 0 || len(tb.Topology.Nodes) != 4 {
				t.Errorf("MADT %v, %d CPUs, %d nodes", tb.MADT, len(tb.Topology.CPUs), len(tb.Topology.Nodes))
			}
		},
	}, {
		name: "MADT shorter than its fixed part",
		mc:   withTable(iMADT, setLength(madt(0xFEE00000), 40)),
		want: []string{"MADT at 0x", "offset 4: length 40 outside [44, 1048576]"},
	}, {
		name: "MADT with no entries",
		mc:   withTable(iMADT, setLength(madt(0xFEE00000, lapic3...), 44)),
		check: func(t *testing.T, tb *Tables) {
			if tb.MADT == nil || len(tb.MADT.LocalAPICs) != 0 {
				t.Errorf("a 44-byte MADT should parse with no entries: %+v", tb.MADT)
			}
		},
	}, {
		name: "MADT entry length 0 keeps the entries before it",
		mc:   withTable(iMADT, madt(0xFEE00000, lapicE(0, 0, 1), lapicE(1, 1, 1), []byte{0, 0, 1, 2, 1, 0, 0, 0}, lapicE(3, 3, 1))),
		want: []string{"MADT at 0x", "offset 60: entry of type 0 has length 0; the remaining 16 bytes are ignored"},
		check: func(t *testing.T, tb *Tables) {
			if got := tb.MADT.UsableCPUs(); len(got) != 2 {
				t.Errorf("usable CPUs %v, want the 2 before the bad entry", got)
			}
		},
	}, {
		name: "MADT entry running past the end",
		mc:   withTable(iMADT, madt(0xFEE00000, lapicE(0, 0, 1), []byte{1, 20, 0, 0, 0, 0, 0xC0, 0xFE})),
		want: []string{"offset 52: entry of type 1 with length 20 runs 12 bytes past the end of the table"},
		check: func(t *testing.T, tb *Tables) {
			if len(tb.MADT.LocalAPICs) != 1 || len(tb.MADT.IOAPICs) != 0 {
				t.Errorf("MADT = %+v", tb.MADT)
			}
		},
	}, {
		name: "MADT truncated inside an entry",
		mc:   withTable(iMADT, setLength(madt(0xFEE00000, lapic3...), 44+8+8+5)),
		want: []string{"offset 60: entry of type 0 with length 8 runs 3 bytes past the end"},
		check: func(t *testing.T, tb *Tables) {
			if len(tb.MADT.LocalAPICs) != 2 {
				t.Errorf("%d local APICs, want 2", len(tb.MADT.LocalAPICs))
			}
		},
	}, {
		name: "MADT short entry of a known type is skipped, the rest kept",
		mc:   withTable(iMADT, madt(0xFEE00000, lapicE(0, 0, 1), entry(1, []byte{1, 0}, u16(0)), lapicE(1, 1, 1))),
		want: []string{"offset 52: I/O APIC entry (type 1) has length 6, want 12; ignored"},
		check: func(t *testing.T, tb *Tables) {
			if len(tb.MADT.LocalAPICs) != 2 || len(tb.MADT.IOAPICs) != 0 {
				t.Errorf("MADT = %+v", tb.MADT)
			}
		},
	}, {
		name: "MADT unknown entry types and a stray byte",
		mc:   withTable(iMADT, madt(0xFEE00000, lapicE(0, 0, 1), entry(0x0B, make([]byte, 78)), entry(0x80, u32(7)), lapicE(1, 1, 1), []byte{9})),
		want: []string{"1 stray byte(s) after the last entry"},
		check: func(t *testing.T, tb *Tables) {
			if len(tb.Problems) != 1 || len(tb.MADT.LocalAPICs) != 2 {
				t.Errorf("problems %v, MADT %+v", tb.Problems, tb.MADT)
			}
		},
	}, {
		name: "MADT every entry kind, duplicate APIC id",
		mc: withTable(iMADT, madt(0xFEE00000, lapicE(0, 0, 1), lapicE(1, 0, 1), lapicE(2, 1, lapicOnlineCapable),
			x2apicE(300, 1, 7), nmiE(0xFF, 5, 1), entry(10, u16(5), u32(0xFFFFFFFF), []byte{1, 0, 0, 0}),
			ioapicE(2, 0xFEC00000, 24), isoE(9, 9, 0xD), lapicOverrideE(0xFEE0_0000_0000))),
		want: []string{"local APIC entry 1 repeats APIC id 0; ignored"},
		check: func(t *testing.T, tb *Tables) {
			md := tb.MADT
			if got := md.UsableCPUs(); len(got) != 1 || got[0] != 0 {
				t.Errorf("usable CPUs %v, want [0]", got)
			}
			if !md.LocalAPICs[2].OnlineCapable || md.LocalAPICs[2].Enabled {
				t.Errorf("online-capable entry = %+v", md.LocalAPICs[2])
			}
			if len(md.X2APICs) != 1 || md.X2APICs[0] != (X2APIC{300, 7, true, false}) {
				t.Errorf("x2APICs %+v", md.X2APICs)
			}
			if len(md.NMIs) != 2 || !md.NMIs[0].AllProcessors || md.NMIs[0].LINT != 1 || md.NMIs[0].Flags != 5 || !md.NMIs[1].AllProcessors {
				t.Errorf("NMIs %+v", md.NMIs)
			}
			if md.IOAPICs[0] != (IOAPIC{2, 0xFEC00000, 24}) || md.Overrides[0] != (InterruptOverride{0, 9, 9, 0xD}) {
				t.Errorf("I/O APIC %+v, override %+v", md.IOAPICs, md.Overrides)
			}
			if md.LocalAPICAddr != 0xFEE0_0000_0000 || !md.PCATCompat {
				t.Errorf("local APIC address %#x, PCAT %v", md.LocalAPICAddr, md.PCATCompat)
			}
		},
	}, {
		name: "missing MADT",
		mc:   withTable(iMADT, nil),
		want: []string{"acpi: MADT: no usable table; only the bootstrap processor will run"},
	}, {
		name: "missing SRAT",
		mc:   withTable(iSRAT, nil),
		want: []string{"acpi: SRAT: no usable table; all processors and memory are treated as one NUMA node"},
		check: func(t *testing.T, tb *Tables) {
			top := tb.Topology
			if len(top.Nodes) != 1 || len(top.CPUs) != 16 || top.Distance(0, 0) != 10 {
				t.Errorf("topology %+v", top)
			}
		},
	}, {
		name: "SRAT with no enabled entry",
		mc:   withTable(iSRAT, srat(3, cpuAffE(0, 1, 0), memAffE(0, gib, 1, 0))),
		want: []string{"SRAT at 0x", "no enabled entries"},
	}, {
		name: "SRAT misses a processor, SLIT misses a domain",
		mc:   withTable(iSRAT, srat(3, cpuAffE(0, 0, 1), cpuAffE(1, 5, 1))),
		want: []string{"no affinity entry for the processor with APIC id 2; placed on node 0",
			"SLIT at 0x", "proximity domain 5 is not among its 4 localities"},
		check: func(t *testing.T, tb *Tables) {
			if n, _, _ := tb.Topology.NodeOfAPIC(1); n != 1 || tb.Topology.Distance(0, 1) != 20 {
				t.Errorf("APIC 1 on node %d, distance %d", n, tb.Topology.Distance(0, 1))
			}
		},
	}, {
		name: "SRAT revision 1 uses 8-bit domains",
		mc:   withTable(iSRAT, srat(1, cpuAffE(0, 0x0101, 1), memAffE(0, gib, 0x0201, 1))),
		check: func(t *testing.T, tb *Tables) {
			if got := tb.SRAT.Domains; len(got) != 1 || got[0] != 1 {
				t.Errorf("domains %v, want [1]", got)
			}
		},
	}, {
		name: "SRAT x2APIC affinity and flags",
		mc:   withTable(iSRAT, srat(3, x2AffE(0, 0x10000, 1), memAffE(0, gib, 0x10000, 7))),
		check: func(t *testing.T, tb *Tables) {
			m := tb.SRAT.Memory[0]
			if tb.SRAT.Processors[0] != (ProcessorAffinity{0, 0x10000, 0, true}) || !m.HotPluggable || !m.NonVolatile {
				t.Errorf("SRAT %+v", tb.SRAT)
			}
		},
	}, {
		name: "SLIT smaller than its locality count",
		mc:   withTable(iSLIT, slit(4, square4[:15]...)),
		want: []string{"SLIT at 0x", "offset 36: 4 localities need 16 bytes of distances but the table has 15; SLIT ignored",
			"node distances default to 10 local, 20 remote"},
		check: func(t *testing.T, tb *Tables) {
			if tb.SLIT != nil || tb.Topology.Distance(0, 3) != 20 {
				t.Errorf("SLIT %v, distance %d", tb.SLIT, tb.Topology.Distance(0, 3))
			}
		},
	}, {
		name: "SLIT with a huge locality count",
		mc:   withTable(iSLIT, slit(1<<40, square4...)),
		want: []string{"1099511627776 localities need 18446744073709551615 bytes"},
	}, {
		name: "SLIT with trailing bytes",
		mc:   withTable(iSLIT, slit(4, append(square4, 1, 2, 3)...)),
		want: []string{"offset 60: 3 bytes after the 4x4 matrix; ignored"},
		check: func(t *testing.T, tb *Tables) {
			if tb.Topology.Distance(0, 3) != 22 {
				t.Errorf("SLIT not used")
			}
		},
	}, {
		name: "SLIT breaking the distance rules",
		mc:   withTable(iSLIT, slit(2, 10, 16, 9, 10)),
		want: []string{"offset 46: distance 9 from locality 1 to 0 breaks the rules"},
	}, {
		name: "two MADTs",
		mc:   machine{tables: [][]byte{madt(0xFEE00000, lapic3[0]), madt(0xFEE00000, lapic3...)}},
		want: []string{"second copy of the table"},
		check: func(t *testing.T, tb *Tables) {
			if len(tb.MADT.LocalAPICs) != 1 {
				t.Errorf("the first MADT was not used")
			}
		},
	}, {
		name: "XSDT bad checksum falls back to the RSDT",
		mc:   machine{rev: 2, tables: topo16().tables, xsdt: func(b []byte) []byte { b[40]++; return b }},
		want: []string{"XSDT at 0x", "bad checksum"},
		check: func(t *testing.T, tb *Tables) {
			if tb.UsesXSDT || tb.MADT == nil || len(tb.Topology.CPUs) != 16 {
				t.Errorf("UsesXSDT %v, MADT %v", tb.UsesXSDT, tb.MADT != nil)
			}
		},
	}, {
		name: "RSDT null entry and odd length",
		mc: machine{tables: topo16().tables, rsdt: func(b []byte) []byte {
			return fixLength(append(b, 0, 0, 0, 0, 0xAA, 0xBB))
		}},
		want: []string{"RSDT at 0x", "offset 48: entry 3 is a null address", "offset 52: 2 trailing bytes are not a whole 4-byte entry"},
	}, {
		name: "RSDT entry pointing nowhere",
		mc:   machine{tables: topo16().tables, rsdt: func(b []byte) []byte { return fixLength(append(b, u32(0xDEAD0000)...)) }},
		want: []string{"offset 48: entry 3: cannot read header at 0xdead0000"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tb := mustParse(t, c.mc.mem())
			for _, w := range c.want {
				if !hasProblem(tb, w) {
					t.Errorf("no problem says %q; problems: %v", w, tb.Problems)
				}
			}
			for _, p := range tb.Problems {
				var pr *Problem
				if !errors.As(p, &pr) {
					t.Errorf("problem %v is a %T, not a *Problem", p, p)
				}
			}
			if c.check != nil {
				c.check(t, tb)
			}
		})
	}
}

func hasProblem(tb *Tables, s string) bool {
	for _, p := range tb.Problems {
		if strings.Contains(p.Error(), s) {
			return true
		}
	}
	return false
}

// TestParseTableBeyondMemory: a table whose length runs past readable
// memory, or past the cap, is skipped.
func TestParseTableBeyondMemory(t *testing.T) {
	for _, n := range []int{0x20000, MaxTableLength + 1} {
		mc := topo16()
		img := mc.image()
		// The MADT is the first table, right after the 48 bytes kept for the RSDP.
		le.PutUint32(img[48+hdrOffLength:], uint32(n))
		tb := mustParse(t, imageMem(img))
		if tb.MADT != nil || !hasProblem(tb, "table skipped") {
			t.Errorf("length %d: MADT %v, problems %v", n, tb.MADT != nil, tb.Problems)
		}
	}
}

func TestParseXSDTPreferred(t *testing.T) {
	for _, rev := range []byte{0, 2} {
		mc := topo16()
		mc.rev = rev
		tb := mustParse(t, mc.mem())
		if tb.UsesXSDT != (rev >= 2) || tb.Root.Signature != map[bool]string{false: "RSDT", true: "XSDT"}[rev >= 2] {
			t.Errorf("revision %d: UsesXSDT %v, root %s", rev, tb.UsesXSDT, tb.Root.Signature)
		}
		if len(tb.Entries) != 3 || tb.Entries[0].Signature != "APIC" || tb.MADT.OEMID != "MKTEST" || tb.MADT.OEMTableID != "SYNTH" {
			t.Errorf("revision %d: entries %+v, MADT header %+v", rev, tb.Entries, tb.MADT.Header)
		}
	}
}
