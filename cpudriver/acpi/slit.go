package acpi

import "encoding/binary"

// SLIT layout (5.2.17): after the header, the 64-bit number of
// system localities N, then an N x N matrix of one-byte distances, row i
// giving the distances from locality (proximity domain) i.
const (
	slitOffCount   = 36
	slitEntries    = 44
	maxLocalities  = 1024 // N*N must stay below MaxTableLength
	localDistance  = 10   // the distance of a locality to itself
	remoteDistance = 20   // the distance Parse assumes between nodes without a SLIT
	unreachable    = 0xFF // "no path" between two localities
)

// SLIT is the decoded System Locality Information Table (5.2.17).
type SLIT struct {
	Header
	Addr       uint64 // physical address of the table
	Localities int    // N
	// Distances[i*Localities+j] is the relative distance from locality i
	// to locality j: 10 to itself, more to others, 0xFF for no path.
	Distances []uint8
}

// Distance returns the distance between two localities (raw proximity
// domains), and false when either is outside the table.
func (s *SLIT) Distance(from, to uint32) (uint8, bool) {
	n := uint32(s.Localities)
	if from >= n || to >= n {
		return 0, false
	}
	return s.Distances[from*n+to], true
}

// parseSLIT decodes a loaded, checksummed SLIT. A matrix that does not fit
// the table, or that breaks the specification's rules (10 on the diagonal,
// more than 10 elsewhere), makes the whole SLIT unusable, as it does in
// Linux: distances fall back to local/remote defaults. Bytes after a
// complete matrix are reported but harmless.
func parseSLIT(t *table) (*SLIT, []error) {
	if len(t.data) < slitEntries {
		return nil, []error{t.problem(hdrOffLength, "length %d is shorter than the %d-byte fixed part; table skipped", len(t.data), slitEntries)}
	}
	n := binary.LittleEndian.Uint64(t.data[slitOffCount:])
	room := uint64(len(t.data) - slitEntries)
	if n == 0 || n > maxLocalities || n*n > room {
		return nil, []error{t.problem(slitOffCount, "%d localities need %d bytes of distances but the table has %d; SLIT ignored", n, sq(n), room)}
	}
	s := &SLIT{Header: t.Header, Addr: t.addr, Localities: int(n), Distances: t.data[slitEntries : slitEntries+n*n]}
	var probs []error
	if n*n < room {
		probs = append(probs, t.problem(slitEntries+int(n*n), "%d bytes after the %dx%d matrix; ignored", room-n*n, n, n))
	}
	for i := uint32(0); i < uint32(n); i++ {
		for j := uint32(0); j < uint32(n); j++ {
			d, _ := s.Distance(i, j)
			if (i == j) != (d == localDistance) || d < localDistance {
				off := slitEntries + int(i)*int(n) + int(j)
				return nil, append(probs, t.problem(off, "distance %d from locality %d to %d breaks the rules (10 to itself, more to others); SLIT ignored", d, i, j))
			}
		}
	}
	return s, probs
}

// sq returns n*n, or the largest uint64 if that overflows, for messages.
func sq(n uint64) uint64 {
	if n != 0 && n > ^uint64(0)/n {
		return ^uint64(0)
	}
	return n * n
}
