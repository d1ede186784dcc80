package acpi

import "encoding/binary"

// maxRootEntries bounds the number of tables listed in the RSDT or XSDT
// that Parse looks at; real machines list a few dozen.
const maxRootEntries = 1024

// Entry is one table listed in the root table: its signature, where it
// is and how long its header says it is. Only the header has been read.
type Entry struct {
	Signature string
	Addr      uint64
	Length    uint32
}

// loadRoot reads the root table the RSDP points to. It prefers the XSDT
// (5.2.8, 64-bit entries) when the RSDP revision is 2 or later and the
// XSDT is valid, and falls back to the RSDT (5.2.7, 32-bit entries).
// It returns the table, whether it is the XSDT, and the problems met.
func loadRoot(m Memory, r *RSDP) (*table, bool, []error) {
	var probs []error
	if r.Revision >= 2 && r.XSDTAddr != 0 {
		t, err := loadTable(m, r.XSDTAddr, "XSDT", headerLen)
		if err == nil {
			return t, true, nil
		}
		probs = append(probs, err)
	}
	if r.RSDTAddr == 0 {
		probs = append(probs, &Problem{Table: "RSDP", Addr: r.Addr, Offset: rsdpOffRSDT, Msg: "RSDT address is 0"})
		return nil, false, probs
	}
	t, err := loadTable(m, uint64(r.RSDTAddr), "RSDT", headerLen)
	if err != nil {
		return nil, false, append(probs, err)
	}
	return t, false, probs
}

// rootEntries decodes the table addresses listed after the root table's
// header and reads each table's header. Entries that are zero or whose
// header cannot be read are reported and left out.
func rootEntries(m Memory, root *table, xsdt bool) ([]Entry, []error) {
	var probs []error
	size := 4
	if xsdt {
		size = 8
	}
	body := root.data[headerLen:]
	if len(body)%size != 0 {
		probs = append(probs, root.problem(headerLen+len(body)/size*size,
			"%d trailing bytes are not a whole %d-byte entry; ignored", len(body)%size, size))
	}
	n := len(body) / size
	if n > maxRootEntries {
		probs = append(probs, root.problem(headerLen+maxRootEntries*size,
			"%d entries listed, only the first %d are used", n, maxRootEntries))
		n = maxRootEntries
	}
	var entries []Entry
	for i := 0; i < n; i++ {
		off := headerLen + i*size
		var addr uint64
		if xsdt {
			addr = binary.LittleEndian.Uint64(root.data[off:])
		} else {
			addr = uint64(binary.LittleEndian.Uint32(root.data[off:]))
		}
		if addr == 0 {
			probs = append(probs, root.problem(off, "entry %d is a null address; ignored", i))
			continue
		}
		h, err := readHeader(m, addr)
		if err != nil {
			probs = append(probs, root.problem(off, "entry %d: cannot read header at 0x%x: %v; ignored", i, addr, err))
			continue
		}
		entries = append(entries, Entry{Signature: h.Signature, Addr: addr, Length: h.Length})
	}
	return entries, probs
}
