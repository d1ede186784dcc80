package acpi

// Tables is everything Parse learned from the firmware. MADT, SRAT and SLIT
// are nil when the table is missing or unusable; Problems then says why.
// A Tables value is immutable once Parse returns.
type Tables struct {
	RSDP     RSDP    // the pointer Parse started from
	RootAddr uint64  // physical address of the root table used
	UsesXSDT bool    // the root table is the XSDT, not the RSDT
	Root     Header  // the root table's header
	Entries  []Entry // every table the root table lists, in its order

	MADT *MADT
	SRAT *SRAT
	SLIT *SLIT
	// FADT is nil when the table is missing or unusable; a missing FADT
	// is not a problem here (the CPU driver says it has no PM timer).
	FADT *FADT

	// Topology is the NUMA view derived from MADT, SRAT and SLIT. It is
	// never nil; on a machine without SRAT it is a single node.
	Topology *Topology

	// Problems lists, in the order found, every defect Parse worked
	// around. Each is a *Problem. The kernel prints them on the console.
	Problems []error
}

// Parse finds the RSDP, reads the root table and decodes the MADT, SRAT,
// SLIT and FADT. Its only error is ErrNoRSDP; every other defect is recorded in
// Tables.Problems and parsing goes on with what is still trustworthy.
func Parse(m Memory) (*Tables, error) {
	addr, err := FindRSDP(m)
	if err != nil {
		return nil, err
	}
	r, err := ReadRSDP(m, addr)
	if err != nil { // FindRSDP validated it; memory changed under us
		return nil, ErrNoRSDP
	}
	t := &Tables{RSDP: *r}
	root, xsdt, probs := loadRoot(m, r)
	t.Problems = append(t.Problems, probs...)
	if root != nil {
		t.RootAddr, t.UsesXSDT, t.Root = root.addr, xsdt, root.Header
		entries, probs := rootEntries(m, root, xsdt)
		t.Entries = entries
		t.Problems = append(t.Problems, probs...)
	}
	t.loadMADT(m)
	t.loadSRAT(m)
	t.loadSLIT(m)
	t.loadFADT(m)
	t.Topology, probs = newTopology(t.MADT, t.SRAT, t.SLIT)
	t.Problems = append(t.Problems, probs...)
	return t, nil
}

// find loads the first valid table with signature sig among t.Entries,
// recording a problem for each invalid one and for later duplicates. It
// returns nil when there is none.
func (t *Tables) find(m Memory, sig string, minLen int) *table {
	var found *table
	for _, e := range t.Entries {
		if e.Signature != sig {
			continue
		}
		if found != nil {
			t.Problems = append(t.Problems, &Problem{Table: tableName(sig), Addr: e.Addr, Offset: -1,
				Msg: "second copy of the table; the first valid one is used"})
			continue
		}
		tbl, err := loadTable(m, e.Addr, sig, minLen)
		if err != nil {
			t.Problems = append(t.Problems, err)
			continue
		}
		found = tbl
	}
	return found
}

// missing records that a table is absent and what the kernel will do.
func (t *Tables) missing(sig, consequence string) {
	t.Problems = append(t.Problems, &Problem{Table: tableName(sig), Offset: -1, Msg: "no usable table; " + consequence})
}

func (t *Tables) loadMADT(m Memory) {
	var probs []error
	if tbl := t.find(m, "APIC", madtEntries); tbl != nil {
		t.MADT, probs = parseMADT(tbl)
		t.Problems = append(t.Problems, probs...)
	}
	if t.MADT == nil {
		t.missing("APIC", "only the bootstrap processor will run")
	}
}

func (t *Tables) loadSRAT(m Memory) {
	var probs []error
	if tbl := t.find(m, "SRAT", sratEntries); tbl != nil {
		t.SRAT, probs = parseSRAT(tbl)
		t.Problems = append(t.Problems, probs...)
	}
	if t.SRAT == nil {
		t.missing("SRAT", "all processors and memory are treated as one NUMA node")
	}
}

func (t *Tables) loadSLIT(m Memory) {
	var probs []error
	if tbl := t.find(m, "SLIT", slitEntries); tbl != nil {
		t.SLIT, probs = parseSLIT(tbl)
		t.Problems = append(t.Problems, probs...)
	}
	if t.SLIT == nil && t.SRAT != nil {
		t.missing("SLIT", "node distances default to 10 local, 20 remote")
	}
}
