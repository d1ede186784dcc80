package acpi

// The MADT (5.2.12) and the SRAT (5.2.16) both end in a list of variable
// length structures that open with a one-byte type and a one-byte length
// covering the whole structure. walkEntries walks such a list once for
// both, so the bounds checks live in one place.

// entryKind says how to decode one entry type.
type entryKind struct {
	name   string       // for problem messages, e.g. "Processor Local APIC"
	minLen int          // the spec's length for this type; longer entries are accepted
	decode func([]byte) // called with the whole entry, at least minLen bytes
}

// walkEntries decodes the entries in t.data[start:]. Entries of types not in
// kinds are skipped by their length: later revisions of the specification
// add types, and that is not a defect. A length below 2 or one running past
// the end of the table stops the walk, since the next entry cannot be found;
// the entries before it are kept. An entry shorter than its type requires is
// reported and skipped.
func (t *table) walkEntries(start int, kinds map[byte]entryKind) []error {
	var probs []error
	for off := start; off < len(t.data); {
		rest := len(t.data) - off
		if rest < 2 {
			probs = append(probs, t.problem(off, "%d stray byte(s) after the last entry; ignored", rest))
			break
		}
		typ, n := t.data[off], int(t.data[off+1])
		if n < 2 {
			probs = append(probs, t.problem(off, "entry of type %d has length %d; the remaining %d bytes are ignored", typ, n, rest))
			break
		}
		if n > rest {
			probs = append(probs, t.problem(off, "entry of type %d with length %d runs %d bytes past the end of the table; ignored", typ, n, n-rest))
			break
		}
		if k, ok := kinds[typ]; ok {
			if n < k.minLen {
				probs = append(probs, t.problem(off, "%s entry (type %d) has length %d, want %d; ignored", k.name, typ, n, k.minLen))
			} else {
				k.decode(t.data[off : off+n])
			}
		}
		off += n
	}
	return probs
}
