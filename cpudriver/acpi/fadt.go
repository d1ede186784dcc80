package acpi

import "encoding/binary"

// FADT layout (5.2.9): the fields the CPU driver reads, at their byte
// offsets from the start of the table. The ACPI 1.0 table ends at 116
// bytes (after Flags); X_PM_TMR_BLK, a Generic Address Structure (5.2.3.2),
// exists from revision 3 on in tables of at least 220 bytes.
const (
	fadtOffPMTmrBlk  = 76  // PM_TMR_BLK: 32-bit I/O port of the PM timer
	fadtOffPMTmrLen  = 91  // PM_TMR_LEN: bytes the timer's block decodes, must be 4
	fadtOffFlags     = 112 // Flags
	fadtV1Len        = 116 // the ACPI 1.0 FADT, through Flags
	fadtOffXPMTmrBlk = 208 // X_PM_TMR_BLK (12-byte generic address)
	fadtXPMTmrEnd    = 220
	fadtTmrValExt    = 1 << 8 // Flags bit 8, TMR_VAL_EXT: the counter is 32 bits, not 24
	gasSystemIO      = 1      // generic address space id: system I/O
)

// PMTimerHz is the ACPI power-management timer's fixed rate (4.8.3.3).
const PMTimerHz = 3579545

// FADT is the part of the Fixed ACPI Description Table (5.2.9) the CPU
// driver uses: where the power-management timer is.
type FADT struct {
	Header
	Addr    uint64  // physical address of the table
	Flags   uint32  // the fixed feature flags (0 in a table too short for them)
	PMTimer PMTimer // Port 0: no usable PM timer
}

// PMTimer is the ACPI power-management timer (4.8.3.3): a free-running
// counter at PMTimerHz in a 32-bit I/O port, whose low Bits bits count
// (24 or 32) and wrap to zero.
type PMTimer struct {
	Port  uint16 // I/O port; 0 when there is no usable timer
	Bits  int    // counter width: 24, or 32 with TMR_VAL_EXT
	FromX bool   // the port came from X_PM_TMR_BLK rather than PM_TMR_BLK
}

// Mask returns the counter's mask: 2^Bits - 1.
func (p PMTimer) Mask() uint32 {
	if p.Bits >= 32 {
		return 0xFFFFFFFF
	}
	return 1<<uint(p.Bits) - 1
}

func (t *Tables) loadFADT(m Memory) {
	var probs []error
	if tbl := t.find(m, "FACP", headerLen); tbl != nil {
		t.FADT, probs = parseFADT(tbl)
		t.Problems = append(t.Problems, probs...)
	}
}

// parseFADT decodes the PM timer from a loaded, checksummed FADT. The
// 64-bit X_PM_TMR_BLK wins over PM_TMR_BLK when it is present, nonzero
// and in system I/O space, as in Linux; a timer block whose length is not
// 4, or a port beyond 16 bits, leaves the table without a PM timer (its
// other fields are still returned).
func parseFADT(t *table) (*FADT, []error) {
	le := binary.LittleEndian
	f := &FADT{Header: t.Header, Addr: t.addr}
	if len(t.data) < fadtV1Len {
		return f, []error{t.problem(hdrOffLength, "length %d is shorter than the %d-byte ACPI 1.0 FADT; no PM timer", len(t.data), fadtV1Len)}
	}
	f.Flags = le.Uint32(t.data[fadtOffFlags:])
	var probs []error
	legacy := le.Uint32(t.data[fadtOffPMTmrBlk:])
	if legacy > 0xFFFF {
		probs = append(probs, t.problem(fadtOffPMTmrBlk, "PM_TMR_BLK 0x%x is beyond the 16-bit I/O space; ignored", legacy))
		legacy = 0
	}
	port, fromX := uint16(legacy), false
	if t.Revision >= 3 && len(t.data) >= fadtXPMTmrEnd {
		g := t.data[fadtOffXPMTmrBlk:fadtXPMTmrEnd]
		space, addr := g[0], le.Uint64(g[4:])
		switch {
		case addr == 0:
		case space != gasSystemIO:
			probs = append(probs, t.problem(fadtOffXPMTmrBlk, "X_PM_TMR_BLK is in address space %d, not system I/O; PM_TMR_BLK used", space))
		case addr > 0xFFFF:
			probs = append(probs, t.problem(fadtOffXPMTmrBlk+4, "X_PM_TMR_BLK 0x%x is beyond the 16-bit I/O space; PM_TMR_BLK used", addr))
		default:
			if legacy != 0 && uint64(legacy) != addr {
				probs = append(probs, t.problem(fadtOffXPMTmrBlk+4, "X_PM_TMR_BLK 0x%x differs from PM_TMR_BLK 0x%x; X_PM_TMR_BLK used", addr, legacy))
			}
			port, fromX = uint16(addr), true
		}
	}
	if port == 0 {
		return f, probs
	}
	if n := t.data[fadtOffPMTmrLen]; n != 4 {
		return f, append(probs, t.problem(fadtOffPMTmrLen, "PM_TMR_LEN is %d, must be 4; no PM timer", n))
	}
	f.PMTimer = PMTimer{Port: port, Bits: 24, FromX: fromX}
	if f.Flags&fadtTmrValExt != 0 {
		f.PMTimer.Bits = 32
	}
	return f, probs
}
