package dist

import "fmt"

// checkAlways holds in every reachable state: no memory is retyped twice,
// neither on one core nor on two.
func checkAlways(w *world) error {
	for p := range 8 {
		holders := 0
		for c := range w.mon {
			l := w.mon[c].local
			if l.double {
				return fmt.Errorf("core %d retyped memory twice", c)
			}
			if l.by[p] != 0 {
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
// operations had the effect their results claim, ownership is consistent,
// and the oldest operation was never refused for being busy.
func checkEnd(s scenario, w *world) error {
	for i := range nOps {
		if !w.done[i] {
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
	for i := range nOps {
		if err := checkEffect(s, w, i); err != nil {
			return err
		}
	}
	return nil
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
		anyCopy = anyCopy || w.mon[c].local.copy
	}
	if anyCopy && (owner == NoOwner || !w.mon[owner].local.copy) {
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
		if w.mon[c].local.copy {
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

// revokedAfter reports whether a revoke committed after operation i.
func revokedAfter(s scenario, w *world, i int) bool {
	for j := range nOps {
		if s.ops[j].Kind == Revoke && w.order[j] > w.order[i] {
			return true
		}
	}
	return false
}

// checkEffect: a committed operation did what it says, unless a later
// revoke undid it.
func checkEffect(s scenario, w *world, i int) error {
	op := s.ops[i]
	if w.order[i] == 0 || revokedAfter(s, w, i) {
		return nil
	}
	l := w.mon[op.ID.Core].local
	switch op.Kind {
	case Retype:
		for p := op.Range.Base; p < op.Range.Base+op.Range.Size; p++ {
			if l.by[p] != uint8(op.ID.Stamp) {
				return fmt.Errorf("committed retype %d lost page %d", i, p)
			}
		}
	case Revoke:
		for c := range w.mon {
			if w.mon[c].local.by != [8]uint8{} && !madeAfter(s, w, i, c) {
				return fmt.Errorf("core %d kept descendants made before revoke %d", c, i)
			}
			if c != int(op.ID.Core) && w.mon[c].local.copy {
				return fmt.Errorf("core %d kept its copy through revoke %d", c, i)
			}
		}
	case Delete:
		if l.copy {
			return fmt.Errorf("core %d kept the copy it deleted", op.ID.Core)
		}
	}
	return nil
}

// madeAfter reports whether every descendant on core c was made by a
// retype that committed after operation i.
func madeAfter(s scenario, w *world, i, c int) bool {
	for _, stamp := range w.mon[c].local.by {
		if stamp == 0 {
			continue
		}
		later := false
		for j := range nOps {
			later = later || uint8(s.ops[j].ID.Stamp) == stamp && w.order[j] > w.order[i]
		}
		if !later {
			return false
		}
	}
	return true
}
