package acpi

import (
	"encoding/binary"
	"fmt"
)

// Where the RSDP may live (5.2.5.1, "Finding the RSDP on IA-PC Systems"): in
// the first KiB of the Extended BIOS Data Area, whose real-mode segment is
// the 16-bit word at physical 0x40E, or in the BIOS read-only area
// 0xE0000-0xFFFFF. In both places it starts on a 16-byte boundary.
const (
	ebdaPointer  = 0x40E
	ebdaScanLen  = 1024
	biosAreaBase = 0xE0000
	biosAreaEnd  = 0x100000
	rsdpAlign    = 16
)

// RSDP structure layout (5.2.5.3). The first 20 bytes are the ACPI 1.0
// structure covered by Checksum; revision 2 and later add the fields up to
// 36 bytes, covered by ExtendedChecksum over Length bytes.
const (
	rsdpV1Len       = 20
	rsdpV2Len       = 36
	rsdpMaxLen      = 4096 // a sanity bound on the Length field
	rsdpOffOEMID    = 9
	rsdpOffRevision = 15
	rsdpOffRSDT     = 16
	rsdpOffLength   = 20
	rsdpOffXSDT     = 24
)

var rsdpSignature = [8]byte{'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '}

// RSDP is the decoded Root System Description Pointer.
type RSDP struct {
	Addr     uint64 // physical address where it was found
	OEMID    string // 6-byte OEM identifier, trailing spaces and NULs trimmed
	Revision uint8  // 0 for ACPI 1.0 (RSDT only), 2 or more for ACPI 2.0+ (XSDT)
	RSDTAddr uint32 // physical address of the RSDT
	XSDTAddr uint64 // physical address of the XSDT; 0 when Revision < 2
}

// FindRSDP searches the first KiB of the EBDA and then 0xE0000-0xFFFFF, on
// 16-byte boundaries, for a structure with the RSDP signature whose ACPI 1.0
// checksum is valid and, if its revision is 2 or later, whose extended
// checksum is valid too (5.2.5.1, 5.2.5.3). Pages of those areas that m
// cannot read are skipped. It returns the physical address of the first such structure or
// ErrNoRSDP.
func FindRSDP(m Memory) (addr uint64, err error) {
	for _, area := range searchAreas(m) {
		if a, ok := scanArea(m, area[0], area[1]); ok {
			return a, nil
		}
	}
	return 0, ErrNoRSDP
}

// scanChunk is how much of a search area scanArea reads at a time: one
// page, so that an unreadable page costs one failed read.
const scanChunk = 4096

// scanArea looks for a valid RSDP on the 16-byte boundaries of
// [start, end), reading a page at a time and skipping unreadable pages.
func scanArea(m Memory, start, end uint64) (uint64, bool) {
	for base := start; base < end; base += scanChunk {
		chunk, err := read(m, base, int(min(scanChunk, end-base)))
		if err != nil {
			continue
		}
		for i := 0; i+len(rsdpSignature) <= len(chunk); i += rsdpAlign {
			if [8]byte(chunk[i:]) != rsdpSignature {
				continue
			}
			if _, err := ReadRSDP(m, base+uint64(i)); err == nil {
				return base + uint64(i), true
			}
		}
	}
	return 0, false
}

// searchAreas returns the [start, end) ranges FindRSDP scans, in order. The
// EBDA is included only when its segment pointer is readable and points
// below the 640 KiB boundary, as a real EBDA does.
func searchAreas(m Memory) [][2]uint64 {
	var areas [][2]uint64
	if b, err := read(m, ebdaPointer, 2); err == nil {
		base := uint64(binary.LittleEndian.Uint16(b)) << 4
		if base >= 0x400 && base+ebdaScanLen <= 0xA0000 {
			areas = append(areas, [2]uint64{base, base + ebdaScanLen})
		}
	}
	return append(areas, [2]uint64{biosAreaBase, biosAreaEnd})
}

// ReadRSDP decodes and validates the RSDP at addr: signature, ACPI 1.0
// checksum and, when the revision is 2 or later, the length and extended
// checksum (5.2.5.3).
func ReadRSDP(m Memory, addr uint64) (*RSDP, error) {
	sig, err := read(m, addr, len(rsdpSignature))
	if err != nil {
		return nil, err
	}
	if [8]byte(sig) != rsdpSignature {
		return nil, fmt.Errorf("acpi: no RSDP signature at 0x%x", addr)
	}
	v1, err := read(m, addr, rsdpV1Len)
	if err != nil {
		return nil, err
	}
	if !checksum(v1) {
		return nil, fmt.Errorf("acpi: RSDP at 0x%x: bad checksum", addr)
	}
	r := &RSDP{
		Addr:     addr,
		OEMID:    trimID(v1[rsdpOffOEMID : rsdpOffOEMID+6]),
		Revision: v1[rsdpOffRevision],
		RSDTAddr: binary.LittleEndian.Uint32(v1[rsdpOffRSDT:]),
	}
	if r.Revision < 2 {
		return r, nil
	}
	return r, r.readExtended(m)
}

// readExtended validates the ACPI 2.0 part of the RSDP and fills XSDTAddr.
func (r *RSDP) readExtended(m Memory) error {
	v2, err := read(m, r.Addr, rsdpV2Len)
	if err != nil {
		return err
	}
	n := binary.LittleEndian.Uint32(v2[rsdpOffLength:])
	if n < rsdpV2Len || n > rsdpMaxLen {
		return fmt.Errorf("acpi: RSDP at 0x%x: revision %d with bad length %d", r.Addr, r.Revision, n)
	}
	all, err := read(m, r.Addr, int(n))
	if err != nil {
		return err
	}
	if !checksum(all) {
		return fmt.Errorf("acpi: RSDP at 0x%x: bad extended checksum", r.Addr)
	}
	r.XSDTAddr = binary.LittleEndian.Uint64(v2[rsdpOffXSDT:])
	return nil
}

// trimID turns a fixed-size, space- or NUL-padded identifier into a string.
func trimID(b []byte) string {
	end := len(b)
	for end > 0 && (b[end-1] == ' ' || b[end-1] == 0) {
		end--
	}
	return string(b[:end])
}
