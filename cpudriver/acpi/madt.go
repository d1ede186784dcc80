package acpi

import (
	"encoding/binary"
	"fmt"
)

// MADT layout (5.2.12): after the header, the 32-bit physical
// address of the local APIC and 32 bits of flags, then the entries.
const (
	madtOffLAPICAddr = 36
	madtOffFlags     = 40
	madtEntries      = 44
	madtPCATCompat   = 1 << 0 // flag: the machine also has dual 8259 PICs
)

// Local APIC flags (5.2.12.2), also used by x2APIC entries.
const (
	lapicEnabled       = 1 << 0
	lapicOnlineCapable = 1 << 1
)

// MADT is the decoded Multiple APIC Description Table (5.2.12). Entries of
// each kind are kept in table order.
type MADT struct {
	Header
	Addr          uint64 // physical address of the table
	LocalAPICAddr uint64 // the local APIC's physical address, after any override (type 5)
	PCATCompat    bool   // the machine also has 8259 PICs, which must be masked
	LocalAPICs    []LocalAPIC
	X2APICs       []X2APIC
	IOAPICs       []IOAPIC
	Overrides     []InterruptOverride
	NMIs          []LocalAPICNMI
}

// LocalAPIC is a Processor Local APIC structure (type 0, 5.2.12.2).
type LocalAPIC struct {
	ProcessorUID uint8 // matches a processor object in the namespace
	APICID       uint8
	// Enabled: the processor is usable. When clear, OnlineCapable says
	// whether it can be brought online later (hot-add); if both are clear
	// the processor must not be used.
	Enabled       bool
	OnlineCapable bool
}

// X2APIC is a Processor Local x2APIC structure (type 9, 5.2.12.12), used for
// processors whose APIC id does not fit in 8 bits. The CPU driver runs the
// local APIC in xAPIC mode and cannot start such processors; they are
// recorded for the system knowledge base only.
type X2APIC struct {
	X2APICID      uint32
	ProcessorUID  uint32
	Enabled       bool
	OnlineCapable bool
}

// IOAPIC is an I/O APIC structure (type 1, 5.2.12.3).
type IOAPIC struct {
	ID      uint8
	Addr    uint32 // physical address of its registers
	GSIBase uint32 // first global system interrupt it handles
}

// InterruptOverride is an Interrupt Source Override structure (type 2,
// 5.2.12.5): ISA interrupt Source is delivered as global system interrupt
// GSI. Flags are the MPS INTI flags (5.2.12.5): bits 0-1 polarity, bits
// 2-3 trigger mode, 0 meaning "conforms to the bus".
type InterruptOverride struct {
	Bus    uint8 // always 0, ISA
	Source uint8
	GSI    uint32
	Flags  uint16
}

// LocalAPICNMI is a Local APIC NMI structure (type 4, 5.2.12.7) or a Local
// x2APIC NMI structure (type 10, 5.2.12.13): which LINT pin of which
// processors is wired to NMI.
type LocalAPICNMI struct {
	ProcessorUID  uint32 // meaningless when AllProcessors
	AllProcessors bool   // UID 0xFF (type 4) or 0xFFFFFFFF (type 10)
	Flags         uint16 // MPS INTI flags
	LINT          uint8  // 0 or 1
}

// parseMADT decodes a loaded, checksummed MADT. Malformed entries are
// reported and skipped; the entries before a malformed list end are kept.
func parseMADT(t *table) (*MADT, []error) {
	if len(t.data) < madtEntries {
		return nil, []error{t.problem(hdrOffLength, "length %d is shorter than the %d-byte fixed part; table skipped", len(t.data), madtEntries)}
	}
	le := binary.LittleEndian
	md := &MADT{
		Header:        t.Header,
		Addr:          t.addr,
		LocalAPICAddr: uint64(le.Uint32(t.data[madtOffLAPICAddr:])),
		PCATCompat:    le.Uint32(t.data[madtOffFlags:])&madtPCATCompat != 0,
	}
	probs := t.walkEntries(madtEntries, md.entryKinds())
	return md, append(probs, md.checkDuplicates()...)
}

// entryKinds lists the MADT entry types decoded into md (5.2.12).
func (md *MADT) entryKinds() map[byte]entryKind {
	le := binary.LittleEndian
	return map[byte]entryKind{
		0: {"Processor Local APIC", 8, func(e []byte) {
			f := le.Uint32(e[4:])
			md.LocalAPICs = append(md.LocalAPICs, LocalAPIC{ProcessorUID: e[2], APICID: e[3],
				Enabled: f&lapicEnabled != 0, OnlineCapable: f&lapicOnlineCapable != 0})
		}},
		1: {"I/O APIC", 12, func(e []byte) {
			md.IOAPICs = append(md.IOAPICs, IOAPIC{ID: e[2], Addr: le.Uint32(e[4:]), GSIBase: le.Uint32(e[8:])})
		}},
		2: {"Interrupt Source Override", 10, func(e []byte) {
			md.Overrides = append(md.Overrides, InterruptOverride{Bus: e[2], Source: e[3], GSI: le.Uint32(e[4:]), Flags: le.Uint16(e[8:])})
		}},
		4: {"Local APIC NMI", 6, func(e []byte) {
			md.NMIs = append(md.NMIs, LocalAPICNMI{ProcessorUID: uint32(e[2]), AllProcessors: e[2] == 0xFF, Flags: le.Uint16(e[3:]), LINT: e[5]})
		}},
		5: {"Local APIC Address Override", 12, func(e []byte) {
			md.LocalAPICAddr = le.Uint64(e[4:])
		}},
		9: {"Processor Local x2APIC", 16, func(e []byte) {
			f := le.Uint32(e[8:])
			md.X2APICs = append(md.X2APICs, X2APIC{X2APICID: le.Uint32(e[4:]), ProcessorUID: le.Uint32(e[12:]),
				Enabled: f&lapicEnabled != 0, OnlineCapable: f&lapicOnlineCapable != 0})
		}},
		10: {"Local x2APIC NMI", 12, func(e []byte) {
			uid := le.Uint32(e[4:])
			md.NMIs = append(md.NMIs, LocalAPICNMI{ProcessorUID: uid, AllProcessors: uid == 0xFFFFFFFF, Flags: le.Uint16(e[2:]), LINT: e[8]})
		}},
	}
}

// checkDuplicates reports enabled local APIC entries that repeat an APIC
// id: starting the same processor twice would be a disaster, so
// [MADT.UsableCPUs] keeps only the first.
func (md *MADT) checkDuplicates() []error {
	var probs []error
	seen := map[uint8]bool{}
	for i, l := range md.LocalAPICs {
		if !l.Enabled {
			continue
		}
		if seen[l.APICID] {
			probs = append(probs, &Problem{Table: "MADT", Addr: md.Addr, Offset: -1,
				Msg: fmt.Sprintf("local APIC entry %d repeats APIC id %d; ignored", i, l.APICID)})
		}
		seen[l.APICID] = true
	}
	return probs
}

// UsableCPUs returns the APIC ids of the enabled Processor Local APIC
// entries in MADT order, each id once. The order is the firmware's and
// says nothing about which processor is the bootstrap processor. Processors
// that are only online-capable and x2APIC-only processors are left out.
func (md *MADT) UsableCPUs() []uint8 {
	var ids []uint8
	seen := map[uint8]bool{}
	for _, l := range md.LocalAPICs {
		if l.Enabled && !seen[l.APICID] {
			seen[l.APICID] = true
			ids = append(ids, l.APICID)
		}
	}
	return ids
}
