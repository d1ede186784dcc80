package acpi

import "encoding/binary"

// This file builds synthetic ACPI tables for the tests: byte-exact layouts
// from the specification with correct lengths and checksums, which the
// tests then corrupt on purpose.

var le = binary.LittleEndian

// fixChecksum sets the checksum byte at off so that b sums to zero.
func fixChecksum(b []byte, off int) {
	b[off] = 0
	var sum byte
	for _, c := range b {
		sum += c
	}
	b[off] = -sum
}

// sdt returns a table with a header (5.2.6) and the given body.
func sdt(sig string, rev byte, body ...[]byte) []byte {
	b := make([]byte, headerLen)
	copy(b, sig)
	b[hdrOffRevision] = rev
	copy(b[hdrOffOEMID:], "MKTEST")
	copy(b[hdrOffOEMTableID:], "SYNTH   ")
	copy(b[hdrOffCreatorID:], "GOTS")
	for _, p := range body {
		b = append(b, p...)
	}
	return fixLength(b)
}

// fixLength sets the header's Length to len(b) and fixes the checksum.
func fixLength(b []byte) []byte {
	le.PutUint32(b[hdrOffLength:], uint32(len(b)))
	fixChecksum(b, 9)
	return b
}

// setLength sets the header's Length to n (not len(b)) and fixes the
// checksum over the first n bytes, making a table that lies about its size.
func setLength(b []byte, n int) []byte {
	le.PutUint32(b[hdrOffLength:], uint32(n))
	fixChecksum(b[:n], 9)
	return b
}

func u16(v uint16) []byte { return le.AppendUint16(nil, v) }
func u32(v uint32) []byte { return le.AppendUint32(nil, v) }
func u64(v uint64) []byte { return le.AppendUint64(nil, v) }

// cat concatenates byte slices.
func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// entry returns a MADT or SRAT entry of the given type; its length byte is
// computed.
func entry(typ byte, fields ...[]byte) []byte {
	b := cat(append([][]byte{{typ, 0}}, fields...)...)
	b[1] = byte(len(b))
	return b
}

// MADT entries (5.2.12).
func madt(lapicAddr uint32, entries ...[]byte) []byte {
	return sdt("APIC", 5, cat(u32(lapicAddr), u32(madtPCATCompat)), cat(entries...))
}
func lapicE(uid, id byte, flags uint32) []byte { return entry(0, []byte{uid, id}, u32(flags)) }
func ioapicE(id byte, addr, gsi uint32) []byte { return entry(1, []byte{id, 0}, u32(addr), u32(gsi)) }
func isoE(src byte, gsi uint32, flags uint16) []byte {
	return entry(2, []byte{0, src}, u32(gsi), u16(flags))
}
func nmiE(uid byte, flags uint16, lint byte) []byte {
	return entry(4, []byte{uid}, u16(flags), []byte{lint})
}
func lapicOverrideE(addr uint64) []byte    { return entry(5, u16(0), u64(addr)) }
func x2apicE(id, flags, uid uint32) []byte { return entry(9, u16(0), u32(id), u32(flags), u32(uid)) }

// SRAT entries (5.2.16).
func srat(rev byte, entries ...[]byte) []byte {
	return sdt("SRAT", rev, u32(1), u64(0), cat(entries...))
}
func cpuAffE(apic byte, dom uint32, flags uint32) []byte {
	return entry(0, []byte{byte(dom), apic}, u32(flags), []byte{0, byte(dom >> 8), byte(dom >> 16), byte(dom >> 24)}, u32(0))
}
func memAffE(base, length uint64, dom, flags uint32) []byte {
	return entry(1, u32(dom), u16(0), u64(base), u64(length), u32(0), u32(flags), u64(0))
}
func x2AffE(apic, dom, flags uint32) []byte {
	return entry(2, u16(0), u32(dom), u32(apic), u32(flags), u32(0), u32(0))
}

// slit returns a SLIT with n localities and the given row-major distances.
func slit(n uint64, d ...byte) []byte { return sdt("SLIT", 1, u64(n), d) }

// square4 is the SLIT of the reference machine's 4x4 Opteron square (docs/decisions.md).
var square4 = []byte{
	10, 16, 16, 22,
	16, 10, 22, 16,
	16, 22, 10, 16,
	22, 16, 16, 10,
}

// machine lays out an RSDP, a root table and the given tables as one
// contiguous image, the RSDP first.
type machine struct {
	rev    byte     // RSDP revision: 0 uses an RSDT only, 2 adds an XSDT
	tables [][]byte // built tables, corrupted or not
	// rsdt and xsdt, when set, edit the root tables after they are built
	// (their checksums are fixed afterwards unless the edit breaks them).
	rsdt, xsdt func([]byte) []byte
}

// imageBase is where machine images are mapped: the start of the BIOS
// area, so FindRSDP finds the RSDP at once.
const imageBase = biosAreaBase

// image returns the bytes of the machine mapped at imageBase.
func (mc machine) image() []byte {
	const rsdpRoom = 48
	var addrs []uint64
	img := make([]byte, rsdpRoom)
	for _, t := range mc.tables {
		addrs = append(addrs, imageBase+uint64(len(img)))
		img = append(img, pad16(t)...)
	}
	var r32 []byte
	var r64 []byte
	for _, a := range addrs {
		r32 = append(r32, u32(uint32(a))...)
		r64 = append(r64, u64(a)...)
	}
	rsdtAddr := imageBase + uint64(len(img))
	img = append(img, pad16(edit(sdt("RSDT", 1, r32), mc.rsdt))...)
	xsdtAddr := imageBase + uint64(len(img))
	if mc.rev >= 2 {
		img = append(img, pad16(edit(sdt("XSDT", 1, r64), mc.xsdt))...)
	}
	copy(img, rsdpBytes(mc.rev, uint32(rsdtAddr), xsdtAddr))
	return img
}

// mem returns a fake memory holding the machine image.
func (mc machine) mem() *fakeMem { return imageMem(mc.image()) }

// imageMem maps img at imageBase; the rest of the BIOS area reads as
// zeros, as on a PC, where the whole area is readable.
func imageMem(img []byte) *fakeMem {
	m := &fakeMem{zeros: &[2]uint64{biosAreaBase, biosAreaEnd}}
	m.put(imageBase, img)
	return m
}

func edit(b []byte, f func([]byte) []byte) []byte {
	if f == nil {
		return b
	}
	return f(b)
}

func pad16(b []byte) []byte {
	for len(b)%16 != 0 {
		b = append(b, 0)
	}
	return b
}

// rsdpBytes builds an RSDP (5.2.5.3) with both checksums right.
func rsdpBytes(rev byte, rsdt uint32, xsdt uint64) []byte {
	b := make([]byte, rsdpV2Len)
	copy(b, "RSD PTR ")
	copy(b[rsdpOffOEMID:], "MKTEST")
	b[rsdpOffRevision] = rev
	le.PutUint32(b[rsdpOffRSDT:], rsdt)
	if rev < 2 {
		fixChecksum(b[:rsdpV1Len], 8)
		return b[:rsdpV1Len]
	}
	le.PutUint32(b[rsdpOffLength:], rsdpV2Len)
	le.PutUint64(b[rsdpOffXSDT:], xsdt)
	fixChecksum(b[:rsdpV1Len], 8)
	fixChecksum(b, 32)
	return b
}
