package dist

// pages is the explorer's Local: a shared capability of eight pages.
// Ranges count in pages.
type pages struct {
	copies  uint8    // the copies this core holds (programs of one core may hold several)
	by      [8]uint8 // by[p]: the stamp of the retype that made the descendant on page p; 0: none
	double  bool     // a retype hit a page that already had a descendant here
	lost    bool     // a delete removed a copy this core did not hold
	holders uint64   // the holders the last commit announced
}

// preexisting is the stamp of a descendant present before any operation.
const preexisting = 9

func (p pages) HasCopy() bool { return p.copies > 0 }

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
	if !keepCopy {
		p.copies = 0
	}
	p.copies = min(p.copies, 1) // the revoker's own copy, when kept
	return p
}

func (p pages) Deleted() pages {
	if p.copies == 0 {
		p.lost = true
		return p
	}
	p.copies--
	return p
}

func (p pages) OtherCopy() bool { return p.copies > 1 }

func (p pages) Adopted(owner uint8, holders uint64) pages {
	p.holders = holders
	return p
}
