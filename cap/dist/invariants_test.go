package dist

import "fmt"

// checkAlways holds in every reachable state: no memory is retyped twice,
// neither on one core nor on two, and no core deletes a copy it does not
// hold.
func checkAlways(w *world) error {
	for c := range w.mon {
		l := w.mon[c].local
		if l.double {
			return fmt.Errorf("core %d retyped memory twice", c)
		}
		if l.lost {
			return fmt.Errorf("core %d deleted a copy it did not hold", c)
		}
	}
	for p := range 8 {
		holders := 0
		for c := range w.mon {
			if w.mon[c].local.by[p] != 0 {
				holders++
			}
		}
		if holders > 1 {
			return fmt.Errorf("page %d retyped on %d cores", p, holders)
		}
	}
	return nil
}

// checkEnd holds in every state without a successor: the protocol has run
// to completion (no deadlock, nothing left locked or in flight), the
// oldest operation was never refused for being busy, ownership is
// consistent, and the state is the one the committed operations leave
// when run one after another in the order they committed (checkSerial).
// That every abort was justified, justify checked when it happened.
func checkEnd(s scenario, w *world) error {
	for i := range nOps {
		if w.phase[i] != ended {
			return fmt.Errorf("deadlock: operation %d never ended", i)
		}
	}
	if !w.quiet() {
		return fmt.Errorf("stuck: messages left in flight")
	}
	for c := range w.mon {
		if !w.mon[c].Idle() {
			return fmt.Errorf("core %d still holds a lock or state", c)
		}
	}
	if w.res[0].Reason == Busy {
		return fmt.Errorf("the oldest operation was refused as busy")
	}
	if err := checkOwner(w); err != nil {
		return err
	}
	return checkSerial(s, w)
}

// checkOwner: every core agrees on the owner, which holds a copy; with no
// copy left there is no owner.
func checkOwner(w *world) error {
	owner := w.mon[0].owner
	anyCopy := false
	for c := range w.mon {
		if w.mon[c].owner != owner {
			return fmt.Errorf("cores disagree on the owner: %d says %d, core 0 says %d", c, w.mon[c].owner, owner)
		}
		anyCopy = anyCopy || w.mon[c].local.HasCopy()
	}
	if anyCopy && (owner == NoOwner || !w.mon[owner].local.HasCopy()) {
		return fmt.Errorf("owner %d holds no copy", owner)
	}
	if !anyCopy && owner != NoOwner {
		return fmt.Errorf("no copy left but owner %d", owner)
	}
	return checkHolders(w)
}

// checkHolders: once an operation committed, every core knows which
// cores hold a copy.
func checkHolders(w *world) error {
	var actual uint64
	for c := range w.mon {
		if w.mon[c].local.HasCopy() {
			actual |= 1 << c
		}
	}
	committed := w.res[0].Committed || w.res[1].Committed
	for c := range w.mon {
		if h := w.mon[c].local.holders; committed && h != actual {
			return fmt.Errorf("core %d was told holders %b, but they are %b", c, h, actual)
		}
	}
	return nil
}

// checkSerial: every committed operation was admissible where it stands
// in the order of the commits, and the cores hold what running the
// committed operations in that order on one machine (ref) leaves: the
// same copies on each core (so each delete removed one copy of its
// coordinator, each revoke every copy but one of its coordinator's), the
// same descendants, the same owner.
func checkSerial(s scenario, w *world) error {
	r := s.ref()
	for n := uint8(1); n <= w.commits; n++ {
		for i := range nOps {
			if w.order[i] != n {
				continue
			}
			for _, why := range []Reason{NoCopy, Conflict} {
				if r.refuses(s.ops[i], why) {
					return fmt.Errorf("operation %d committed, but in the order of the commits it meets %v", i, why)
				}
			}
			r.apply(s.ops[i])
		}
	}
	for c := range w.mon {
		l := w.mon[c].local
		switch {
		case l.copies != r.copies[c]:
			return fmt.Errorf("core %d holds %d copies, but the committed operations leave %d", c, l.copies, r.copies[c])
		case l.by != r.by[c]:
			return fmt.Errorf("core %d holds descendants %v, but the committed operations leave %v", c, l.by, r.by[c])
		case w.mon[c].owner != r.owner:
			return fmt.Errorf("core %d says the owner is %d, but the committed operations leave %d", c, w.mon[c].owner, r.owner)
		}
	}
	return nil
}

// justify checks the final abort of operation i when it happens: an
// operation that meets no conflict commits. It may end refused as busy
// (after maxTries attempts; after checked that the other operation was
// under way during each), and for a conflict or a missing copy only if
// that holds in a state its checks could have seen: the one before the
// other operation committed, unless its last attempt started after that
// commit, or the one after, once the other operation committed.
func justify(s scenario, w *world, i int) error {
	j := 1 - i
	why := w.res[i].Reason
	switch why {
	case Busy:
		return nil
	case Conflict, NoCopy:
		r := s.ref()
		if !w.late[i] && r.refuses(s.ops[i], why) {
			return nil
		}
		if w.order[j] != 0 {
			r.apply(s.ops[j])
			if r.refuses(s.ops[i], why) {
				return nil
			}
		}
		return fmt.Errorf("operation %d aborted (%v), but nothing conflicts with it", i, why)
	}
	return fmt.Errorf("operation %d aborted with reason %v", i, why)
}
