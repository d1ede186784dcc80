package dist

import "math/bits"

// ref is the reference the explorer compares the protocol with: the
// shared capability on one machine, where operations run one at a time
// and see every core's state at once. Written from the operations'
// specification (docs/capabilities.md, "The two-phase protocol"), not
// from the protocol's code.
type ref struct {
	copies [nCores]uint8    // copies on each core
	by     [nCores][8]uint8 // descendants on each core, as pages.by
	owner  uint8
}

// ref returns the scenario's state before any operation.
func (s scenario) ref() ref {
	r := ref{copies: holdings[s.hold].copies, owner: holdings[s.hold].owner}
	if s.pre {
		r.by[2][7] = preexisting
	}
	return r
}

// refuses reports whether op, run in r, fails for reason why: NoCopy
// when its coordinator holds no copy, Conflict when it is a retype of
// memory some core holds a descendant of.
func (r *ref) refuses(op Op, why Reason) bool {
	switch why {
	case NoCopy:
		return r.copies[op.ID.Core] == 0
	case Conflict:
		if op.Kind != Retype {
			return false
		}
		for c := range r.by {
			for p := op.Range.Base; p < op.Range.Base+op.Range.Size; p++ {
				if r.by[c][p] != 0 {
					return true
				}
			}
		}
	}
	return false
}

// apply runs op, which refuses nothing, in r.
func (r *ref) apply(op Op) {
	c := op.ID.Core
	switch op.Kind {
	case Retype:
		for p := op.Range.Base; p < op.Range.Base+op.Range.Size; p++ {
			r.by[c][p] = uint8(op.ID.Stamp)
		}
	case Revoke:
		// Every descendant and every other copy goes, the other copies
		// of the revoker's core included; the revoker owns the object.
		r.by = [nCores][8]uint8{}
		r.copies = [nCores]uint8{}
		r.copies[c] = 1
		r.owner = c
	case Delete:
		// One copy of the deleting core goes. An owner that keeps
		// another copy stays the owner; else the lowest core holding
		// a copy takes over, or nobody if none is left.
		r.copies[c]--
		if r.owner == c && r.copies[c] == 0 {
			r.owner = NoOwner
			if h := r.holders(); h != 0 {
				r.owner = uint8(bits.TrailingZeros64(h))
			}
		}
	}
}

// holders returns the cores that hold a copy, bit c for core c.
func (r *ref) holders() uint64 {
	var h uint64
	for c, n := range r.copies {
		if n > 0 {
			h |= 1 << c
		}
	}
	return h
}
