package acpi

import (
	"errors"
	"testing"
)

// biosWith returns a fake memory with a BIOS data area whose EBDA pointer
// is ebdaSeg, an EBDA at ebdaSeg<<4, and the BIOS area; blobs are then
// written at the given physical addresses inside those areas.
func biosWith(ebdaSeg uint16, blobs map[uint64][]byte) *fakeMem {
	low := make([]byte, biosAreaEnd) // the whole first MiB, zero
	le.PutUint16(low[ebdaPointer:], ebdaSeg)
	for a, b := range blobs {
		copy(low[a:], b)
	}
	m := &fakeMem{}
	m.put(0, low)
	return m
}

func TestFindRSDP(t *testing.T) {
	good0 := rsdpBytes(0, 0x1000, 0)
	good2 := rsdpBytes(2, 0x1000, 0x2000)
	badSum := append([]byte(nil), good0...)
	badSum[rsdpOffRSDT]++
	badExt := append([]byte(nil), good2...)
	badExt[rsdpOffXSDT]++ // outside the first 20 bytes: only the extended checksum breaks
	badLen := append([]byte(nil), good2...)
	le.PutUint32(badLen[rsdpOffLength:], 20)
	fixChecksum(badLen[:rsdpV1Len], 8)
	fixChecksum(badLen, 32)

	cases := []struct {
		name  string
		ebda  uint16
		blobs map[uint64][]byte
		want  uint64 // 0: ErrNoRSDP
	}{
		{"BIOS area, revision 0", 0, map[uint64][]byte{0xF5B20: good0}, 0xF5B20},
		{"BIOS area, revision 2", 0, map[uint64][]byte{0xE0000: good2}, 0xE0000},
		{"last slot of the BIOS area", 0, map[uint64][]byte{0xFFFE0: good0}, 0xFFFE0},
		{"EBDA searched first", 0x9FC0, map[uint64][]byte{0x9FC10: good0, 0xE0000: good2}, 0x9FC10},
		{"only the first KiB of the EBDA", 0x9F00, map[uint64][]byte{0x9F400: good0}, 0},
		{"EBDA pointer above 640 KiB ignored", 0xA000, map[uint64][]byte{0xA0000: good0}, 0},
		{"unaligned", 0, map[uint64][]byte{0xE0008: good0}, 0},
		{"bad checksum skipped", 0, map[uint64][]byte{0xE0000: badSum, 0xE0100: good0}, 0xE0100},
		{"bad extended checksum skipped", 0, map[uint64][]byte{0xE0000: badExt, 0xE0100: good2}, 0xE0100},
		{"bad extended length", 0, map[uint64][]byte{0xE0000: badLen}, 0},
		{"nothing", 0, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := biosWith(c.ebda, c.blobs)
			got, err := FindRSDP(m)
			if c.want == 0 {
				if !errors.Is(err, ErrNoRSDP) {
					t.Fatalf("FindRSDP = %#x, %v; want ErrNoRSDP", got, err)
				}
				if _, err := Parse(m); !errors.Is(err, ErrNoRSDP) {
					t.Fatalf("Parse error %v, want ErrNoRSDP", err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("FindRSDP = %#x, %v; want %#x", got, err, c.want)
			}
		})
	}
}

func TestFindRSDPUnreadableMemory(t *testing.T) {
	// Only one page of the BIOS area is readable: the rest is skipped, not fatal.
	m := &fakeMem{}
	page := make([]byte, 4096)
	copy(page[0xB20:], rsdpBytes(2, 1, 2))
	m.put(0xF5000, page)
	if got, err := FindRSDP(m); err != nil || got != 0xF5B20 {
		t.Fatalf("FindRSDP = %#x, %v", got, err)
	}
	r, err := ReadRSDP(m, 0xF5B20)
	if err != nil || r.Revision != 2 || r.RSDTAddr != 1 || r.XSDTAddr != 2 || r.OEMID != "MKTEST" {
		t.Fatalf("ReadRSDP = %+v, %v", r, err)
	}
}

func TestParseUnreadableRoot(t *testing.T) {
	m := biosWith(0, map[uint64][]byte{0xE0000: rsdpBytes(0, 0x7FFE0000, 0)})
	tb := mustParse(t, m)
	if tb.Root.Signature != "" || !hasProblem(tb, "RSDT at 0x7ffe0000: cannot read header") || tb.Topology == nil {
		t.Fatalf("root %+v, problems %v", tb.Root, tb.Problems)
	}
	m = biosWith(0, map[uint64][]byte{0xE0000: rsdpBytes(0, 0, 0)})
	if tb := mustParse(t, m); !hasProblem(tb, "RSDP at 0xe0000 offset 16: RSDT address is 0") {
		t.Fatalf("problems %v", tb.Problems)
	}
}
