package dist

// pages is the explorer's Local: a shared capability of eight pages.
// Ranges count in pages.
type pages struct {
	copy    bool     // this core holds a copy
	by      [8]uint8 // by[p]: the stamp of the retype that made the descendant on page p; 0: none
	double  bool     // a retype hit a page that already had a descendant here
	holders uint64   // the holders the last commit announced
}

// preexisting is the stamp of a descendant present before any operation.
const preexisting = 9

func (p pages) HasCopy() bool { return p.copy }

func (p pages) Overlaps(r Range) bool {
	for i := r.Base; i < r.Base+r.Size; i++ {
		if p.by[i] != 0 {
			return true
		}
	}
	return false
}

func (p pages) Retyped(r Range, op OpID) pages {
	for i := r.Base; i < r.Base+r.Size; i++ {
		p.double = p.double || p.by[i] != 0
		p.by[i] = uint8(op.Stamp)
	}
	return p
}

func (p pages) Revoked(keepCopy bool) pages {
	p.by = [8]uint8{}
	p.copy = p.copy && keepCopy
	return p
}

func (p pages) Deleted() pages {
	p.copy = false
	return p
}

func (p pages) OtherCopy() bool { return false } // one copy per core

func (p pages) Adopted(owner uint8, holders uint64) pages {
	p.holders = holders
	return p
}
