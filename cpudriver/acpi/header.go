package acpi

import (
	"encoding/binary"
	"fmt"
)

// MaxTableLength bounds the Length field of any table Parse will read. The
// largest tables on real machines (a DSDT, a big SRAT) are tens of KiB; a
// longer length is treated as garbage.
const MaxTableLength = 1 << 20

// headerLen is the size of the System Description Table Header (5.2.6).
// Offsets of its fields follow.
const (
	headerLen        = 36
	hdrOffLength     = 4
	hdrOffRevision   = 8
	hdrOffOEMID      = 10
	hdrOffOEMTableID = 16
	hdrOffOEMRev     = 24
	hdrOffCreatorID  = 28
	hdrOffCreatorRev = 32
)

// Header is the System Description Table Header that opens every table
// except the RSDP and FACS (5.2.6).
type Header struct {
	Signature       string // 4 ASCII characters, e.g. "APIC" for the MADT
	Length          uint32 // length of the whole table in bytes, header included
	Revision        uint8
	OEMID           string // 6 characters, padding trimmed
	OEMTableID      string // 8 characters, padding trimmed
	OEMRevision     uint32
	CreatorID       string // 4 characters, padding trimmed
	CreatorRevision uint32
}

// decodeHeader decodes the first headerLen bytes of b.
func decodeHeader(b []byte) Header {
	le := binary.LittleEndian
	return Header{
		Signature:       string(b[0:4]),
		Length:          le.Uint32(b[hdrOffLength:]),
		Revision:        b[hdrOffRevision],
		OEMID:           trimID(b[hdrOffOEMID : hdrOffOEMID+6]),
		OEMTableID:      trimID(b[hdrOffOEMTableID : hdrOffOEMTableID+8]),
		OEMRevision:     le.Uint32(b[hdrOffOEMRev:]),
		CreatorID:       trimID(b[hdrOffCreatorID : hdrOffCreatorID+4]),
		CreatorRevision: le.Uint32(b[hdrOffCreatorRev:]),
	}
}

// table is one table read in full and checksummed: its header, the
// physical address it was read from and all Length bytes of it.
type table struct {
	Header
	addr uint64
	data []byte
}

// tableName returns the name people use for a signature: the MADT's
// signature is "APIC" (5.2.12), the FADT's "FACP" (5.2.9), the others
// are their own names.
func tableName(sig string) string {
	switch sig {
	case "APIC":
		return "MADT"
	case "FACP":
		return "FADT"
	}
	return sig
}

// readHeader reads and decodes the header of the table at addr.
func readHeader(m Memory, addr uint64) (Header, error) {
	b, err := read(m, addr, headerLen)
	if err != nil {
		return Header{}, err
	}
	return decodeHeader(b), nil
}

// loadTable reads the whole table at addr, which should carry signature
// sig (empty: any), checks its length against [headerLen, MaxTableLength]
// and at least minLen, and verifies its checksum (5.2.6). Any failure is
// returned as a *Problem, and the table must then be skipped.
func loadTable(m Memory, addr uint64, sig string, minLen int) (*table, error) {
	name := tableName(sig)
	h, err := readHeader(m, addr)
	if err != nil {
		return nil, &Problem{Table: name, Addr: addr, Offset: -1, Msg: fmt.Sprintf("cannot read header: %v; table skipped", err)}
	}
	if sig != "" && h.Signature != sig {
		return nil, &Problem{Table: name, Addr: addr, Offset: 0, Msg: fmt.Sprintf("signature is %q, want %q; table skipped", h.Signature, sig)}
	}
	name = tableName(h.Signature)
	if minLen < headerLen {
		minLen = headerLen
	}
	if h.Length < uint32(minLen) || h.Length > MaxTableLength {
		return nil, &Problem{Table: name, Addr: addr, Offset: hdrOffLength, Msg: fmt.Sprintf("length %d outside [%d, %d]; table skipped", h.Length, minLen, MaxTableLength)}
	}
	data, err := read(m, addr, int(h.Length))
	if err != nil {
		return nil, &Problem{Table: name, Addr: addr, Offset: -1, Msg: fmt.Sprintf("cannot read %d bytes: %v; table skipped", h.Length, err)}
	}
	if !checksum(data) {
		return nil, &Problem{Table: name, Addr: addr, Offset: -1, Msg: fmt.Sprintf("bad checksum over %d bytes; table skipped", h.Length)}
	}
	return &table{Header: h, addr: addr, data: data}, nil
}

// problem builds a Problem located at offset off of t.
func (t *table) problem(off int, format string, args ...any) *Problem {
	return &Problem{Table: tableName(t.Signature), Addr: t.addr, Offset: off, Msg: fmt.Sprintf(format, args...)}
}
