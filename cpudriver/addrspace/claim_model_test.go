package addrspace

import (
	"fmt"
	"testing"

	"multikernel/tools/modelcheck"
)

// A model check of fault-around's reserved entries (docs/spanning.md,
// "Fault-around"): one leaf entry, set aside for the node of a replica
// core R, which claims it with a compare-and-swap (ClaimReserved) and
// whose thread's TLB may then hold the page, against the home core H
// changing the same entry under the space's lock: an unmap (read the
// entry, clear it, give its page back, shoot R's TLB down, return), or
// a claim for a core of another node (claimAt: take a page of that
// node, compare-and-swap it in, give back the one that lost). R's
// shootdown ack runs between its goroutine's runs, so never between its
// load and its compare-and-swap. Every interleaving is explored; in
// every state no TLB holds a page given back, and once both are done
// every page in use is the entry's and the entry's page is in use.

// Pages of the model.
const (
	noPage = iota
	p1     // the page set aside for R's node
	p2     // the page the home's claim for another node takes
)

// Page states.
const (
	pageFree    = iota
	pageUsed    // the account handed it out
	pageFreeing // given back by an unmap whose shootdown has not returned: not yet reusable
)

// An entry: kind and page.
const (
	entEmpty = iota
	entReserved
	entPresent
)

type ent struct{ kind, page uint8 }

type claimWorld struct {
	pte   ent
	tlb   uint8 // the page R's TLB holds, noPage if none
	pages [3]uint8
	flush bool // H's shootdown is pending at R

	rPC     uint8 // 0 idle, 1 loaded, 2 running the thread (claimed), 3 gone home
	rLoaded ent

	op    uint8 // H's operation: 0 unmap, 1 claim for another node
	hPC   uint8
	hRead ent
	hPage uint8 // unmap: the page it gives back; claim: the page it took
}

func (w *claimWorld) key(b []byte) []byte {
	return append(b, w.pte.kind, w.pte.page, w.tlb, w.pages[1], w.pages[2], b2u(w.flush), w.rPC, w.rLoaded.kind,
		w.rLoaded.page, w.op, w.hPC, w.hRead.kind, w.hRead.page, w.hPage)
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// claimModel explores the model. The mutations, which the check must
// catch: plainStore replaces the home claim's compare-and-swap by a
// plain store; skipKept makes the unmap shoot down only for a present
// entry, as if a kept (reserved) one held no page that a TLB could have.
type claimModel struct {
	*modelcheck.DFS[claimWorld, string]
	plainStore, skipKept bool
}

const hDone = 9

func (m *claimModel) visit(w *claimWorld) error {
	if err := w.check(); err != nil {
		return m.Fail(err)
	}
	try := func(label string, f func(n *claimWorld) error) error {
		n := m.Successor(w)
		err := f(n)
		return m.Step(n, err, label, m.visit)
	}
	// R: load, then compare-and-swap; its thread may fill its TLB from
	// a present entry; it acks a pending shootdown when not between its
	// load and its compare-and-swap.
	switch w.rPC {
	case 0:
		if err := try("R loads", func(n *claimWorld) error {
			if n.pte.kind == entReserved {
				n.rPC, n.rLoaded = 1, n.pte
			} else {
				n.rPC = 3
			}
			return nil
		}); err != nil {
			return err
		}
	case 1:
		if err := try("R compare-and-swaps", func(n *claimWorld) error {
			switch {
			case n.pte == n.rLoaded:
				n.pte = ent{entPresent, n.rLoaded.page}
				n.rPC = 2
			case n.pte.kind == entPresent:
				n.rPC = 2 // another claim won: the access is retried
			default:
				n.rPC = 3
			}
			return nil
		}); err != nil {
			return err
		}
	case 2:
		if w.pte.kind == entPresent && w.tlb != w.pte.page {
			if err := try("R's thread fills its TLB", func(n *claimWorld) error { n.tlb = n.pte.page; return nil }); err != nil {
				return err
			}
		}
	}
	if w.flush && w.rPC != 1 {
		if err := try("R acks the shootdown", func(n *claimWorld) error { n.tlb, n.flush = noPage, false; return nil }); err != nil {
			return err
		}
	}
	if w.hPC == hDone {
		return nil
	}
	return try(fmt.Sprintf("H %s step %d", [2]string{"unmap", "claim"}[w.op], w.hPC), m.home)
}

// home takes H's next step.
func (m *claimModel) home(n *claimWorld) error {
	if n.op == 0 { // unmap: UnmapUserFunc, then flush
		switch n.hPC {
		case 0:
			n.hRead, n.hPC = n.pte, 1
		case 1:
			n.pte = ent{}
			if n.hRead.kind != entEmpty {
				n.hPage = n.hRead.page
				n.pages[n.hPage] = pageFreeing
				n.flush = !m.skipKept || n.hRead.kind == entPresent
			}
			n.hPC = 2
		case 2:
			if n.flush {
				return nil // waits for the ack (the step changes nothing)
			}
			if n.hPage != noPage {
				n.pages[n.hPage] = pageFree // the lock is dropped: reusable
			}
			n.hPC = hDone
		}
		return nil
	}
	switch n.hPC { // claim for another node: claimAt
	case 0:
		n.hRead = n.pte
		n.hPC = 1
		if n.hRead.kind != entReserved {
			n.hPC = hDone // present: retried; nothing to claim
		}
	case 1:
		n.pages[p2], n.hPage, n.hPC = pageUsed, p2, 2
	case 2:
		if n.pte == n.hRead || m.plainStore {
			lost := n.pte.page
			n.pte = ent{entPresent, p2}
			if m.plainStore && lost != n.hRead.page {
				lost = n.hRead.page
			}
			n.pages[lost] = pageFree // no shootdown: it was never present
		} else {
			n.pages[p2] = pageFree // R claimed it first
		}
		n.hPC = hDone
	}
	return nil
}

// check is the model's invariant.
func (w *claimWorld) check() error {
	if w.tlb != noPage && w.pages[w.tlb] == pageFree {
		return fmt.Errorf("R's TLB holds page %d, which was given back", w.tlb)
	}
	if w.pte.kind != entEmpty && w.pages[w.pte.page] != pageUsed {
		return fmt.Errorf("the entry holds page %d, which is not in use", w.pte.page)
	}
	if w.hPC == hDone && w.rPC != 1 && !w.flush {
		for p := p1; p <= p2; p++ {
			if w.pages[p] == pageUsed && !(w.pte.kind != entEmpty && w.pte.page == uint8(p)) {
				return fmt.Errorf("page %d is in use but mapped nowhere", p)
			}
		}
	}
	return nil
}

func exploreClaims(plainStore, skipKept bool) (states int, err error) {
	for op := uint8(0); op < 2; op++ {
		m := &claimModel{plainStore: plainStore, skipKept: skipKept}
		m.DFS = modelcheck.New[claimWorld, string](fmt.Sprintf("reserved entry, home %s", [2]string{"unmap", "claim"}[op]), (*claimWorld).key)
		w := claimWorld{pte: ent{entReserved, p1}, op: op}
		w.pages[p1] = pageUsed
		if err := m.Run(w, m.visit); err != nil {
			return states, err
		}
		states += m.States()
	}
	return states, nil
}

// TestReservedClaimModel explores every interleaving of a replica's claim
// of a reserved entry with the home core's unmap of it and with its claim
// for a core of another node.
func TestReservedClaimModel(t *testing.T) {
	n, err := exploreClaims(false, false)
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Errorf("only %d states explored", n)
	}
	t.Logf("%d states", n)
}

// TestReservedClaimModelMutations: each mutation is caught, with the
// home's compare-and-swap made a plain store (a page given back while
// R's TLB still holds it) and with the unmap's shootdown skipped for a
// kept entry (R claimed it between the unmap's read and its clear).
func TestReservedClaimModelMutations(t *testing.T) {
	for _, c := range []struct {
		name                 string
		plainStore, skipKept bool
	}{{"plain store", true, false}, {"no shootdown for a kept entry", false, true}} {
		_, err := exploreClaims(c.plainStore, c.skipKept)
		if err == nil {
			t.Errorf("%s: the mutation went unnoticed", c.name)
			continue
		}
		t.Logf("%s: found: %v", c.name, err)
	}
}
