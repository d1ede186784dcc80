package acpi

import "encoding/binary"

// SRAT layout (5.2.16): after the header, 4 reserved bytes
// (set to 1 for compatibility) and 8 reserved bytes, then the entries.
const sratEntries = 48

// Affinity flags (5.2.16.1-5.2.16.3): bit 0 Enabled in all three;
// memory entries add Hot Pluggable and NonVolatile.
const (
	affEnabled      = 1 << 0
	memHotPluggable = 1 << 1
	memNonVolatile  = 1 << 2
)

// SRAT is the decoded System Resource Affinity Table (5.2.16). Only enabled
// entries are kept: the specification tells the OS to ignore the contents of
// an entry whose Enabled flag is clear. Entries are in table order.
type SRAT struct {
	Header
	Addr       uint64 // physical address of the table
	Processors []ProcessorAffinity
	Memory     []MemoryAffinity
	// Domains lists each proximity domain named by an enabled entry once,
	// in order of first appearance in the table. NUMA node n is Domains[n].
	Domains []uint32
}

// note adds dom to s.Domains unless it is there already.
func (s *SRAT) note(dom uint32) {
	for _, d := range s.Domains {
		if d == dom {
			return
		}
	}
	s.Domains = append(s.Domains, dom)
}

// ProcessorAffinity is a Processor Local APIC/SAPIC Affinity structure
// (type 0, 5.2.16.1) or a Processor Local x2APIC Affinity structure (type 2,
// 5.2.16.3): the processor with this APIC id belongs to proximity domain
// Domain.
type ProcessorAffinity struct {
	APICID      uint32
	Domain      uint32
	ClockDomain uint32
	X2APIC      bool // from a type 2 entry
}

// MemoryAffinity is a Memory Affinity structure (type 1, 5.2.16.2): the
// physical range [Base, Base+Length) belongs to proximity domain Domain.
type MemoryAffinity struct {
	Base         uint64
	Length       uint64
	Domain       uint32
	HotPluggable bool
	NonVolatile  bool
}

// parseSRAT decodes a loaded, checksummed SRAT.
//
// In SRAT revision 1 (ACPI 2.0) proximity domains were 8 bits wide and the
// bytes that later revisions use for bits 8-31 were reserved; for revision
// 1 tables only the low byte is used, as Linux does.
func parseSRAT(t *table) (*SRAT, []error) {
	if len(t.data) < sratEntries {
		return nil, []error{t.problem(hdrOffLength, "length %d is shorter than the %d-byte fixed part; table skipped", len(t.data), sratEntries)}
	}
	s := &SRAT{Header: t.Header, Addr: t.addr}
	mask := ^uint32(0)
	if t.Revision < 2 {
		mask = 0xFF
	}
	return s, t.walkEntries(sratEntries, s.entryKinds(mask))
}

// entryKinds lists the SRAT entry types decoded into s (5.2.16);
// domainMask is applied to every proximity domain.
func (s *SRAT) entryKinds(domainMask uint32) map[byte]entryKind {
	le := binary.LittleEndian
	return map[byte]entryKind{
		0: {"Processor Local APIC/SAPIC Affinity", 16, func(e []byte) {
			if le.Uint32(e[4:])&affEnabled == 0 {
				return
			}
			// Domain bits 7:0 at offset 2, bits 31:8 at offsets 9-11.
			dom := (uint32(e[2]) | uint32(e[9])<<8 | uint32(e[10])<<16 | uint32(e[11])<<24) & domainMask
			s.note(dom)
			s.Processors = append(s.Processors, ProcessorAffinity{APICID: uint32(e[3]),
				Domain: dom, ClockDomain: le.Uint32(e[12:])})
		}},
		1: {"Memory Affinity", 40, func(e []byte) {
			f := le.Uint32(e[28:])
			if f&affEnabled == 0 {
				return
			}
			dom := le.Uint32(e[2:]) & domainMask
			s.note(dom)
			s.Memory = append(s.Memory, MemoryAffinity{Base: le.Uint64(e[8:]), Length: le.Uint64(e[16:]),
				Domain: dom, HotPluggable: f&memHotPluggable != 0, NonVolatile: f&memNonVolatile != 0})
		}},
		2: {"Processor Local x2APIC Affinity", 24, func(e []byte) {
			if le.Uint32(e[12:])&affEnabled == 0 {
				return
			}
			dom := le.Uint32(e[4:]) & domainMask
			s.note(dom)
			s.Processors = append(s.Processors, ProcessorAffinity{APICID: le.Uint32(e[8:]),
				Domain: dom, ClockDomain: le.Uint32(e[16:]), X2APIC: true})
		}},
	}
}
