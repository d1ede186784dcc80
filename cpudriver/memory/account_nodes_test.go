package memory

import (
	"math/rand/v2"
	"testing"

	"multikernel/cpudriver/capcore"
)

// nodeRAM is a host test's RAM: one capability per node, node n at
// nodeBase+n*nodeSize (Init makes node 0's, the core's own).
const (
	nodeBase = 0x1000_0000
	nodeSize = 1 << 20
)

func initNodes(t *testing.T, nodes int) {
	t.Helper()
	if err := Init(0, nodeBase, nodeSize); err != nil {
		t.Fatal(err)
	}
	capcore.Lock()
	defer capcore.Unlock()
	for n := 1; n < nodes; n++ {
		if _, err := newRAMRoot(nodeBase+uint64(n)*nodeSize, nodeSize, n, fromService); err != nil {
			t.Fatal(err)
		}
	}
}

// ramNode is the node of the test's RAM at pa.
func ramNode(pa uint64) int { return int((pa - nodeBase) / nodeSize) }

// allocOnGrow is the fault path of a thread of node's core: on
// ErrNeedMemory, grow as Space.Refill and Process.grow do (a chunk of the
// node wanted, or the node marked full when it has none; there is no
// memory service here) and retry; 0 when the account is exhausted.
func allocOnGrow(t *testing.T, a *Account, node int) uint64 {
	t.Helper()
	for range 100 {
		pa, err := a.AllocOn(node)
		switch {
		case err == ErrNeedMemory && a.Wanted() != AnyNode:
			w, gen := a.Wanted(), RAMGeneration()
			capcore.Lock()
			c, ok := ReserveChunkOnLocked(capcore.DB(), a.NextSize(), w)
			capcore.Unlock()
			if ok {
				a.Add(c, true)
			} else {
				a.MarkNodeFull(w, gen)
			}
		case err == ErrNeedMemory:
			a.Add(ReserveChunk(a.NextSize()))
		case err == ErrNoMemory:
			return 0
		case err != nil:
			t.Fatalf("alloc: %v", err)
		default:
			return pa
		}
	}
	t.Fatalf("node %d: the account neither grew nor gave up", node)
	return 0
}

// TestAllocOnNode: a page asked of a node comes from that node's RAM
// while the node has room, from another node's once it has none (and
// only then), a page given back is reused for its own node only, and a
// node marked full is tried again once the core's RAM changes.
func TestAllocOnNode(t *testing.T) {
	useFakePages(t)
	initNodes(t, 3)
	var a Account
	var held []uint64
	alloc := func(node int) uint64 {
		pa := allocOnGrow(t, &a, node)
		held = append(held, pa)
		return pa
	}
	defer func() {
		for _, pa := range held {
			a.DropAtExit(pa)
		}
		a.Release()
	}()
	if pa := alloc(1); ramNode(pa) != 1 {
		t.Fatalf("page of node 1 at %#x, node %d", pa, ramNode(pa))
	}
	pa := allocOnGrow(t, &a, 2)
	if ramNode(pa) != 2 {
		t.Fatalf("page of node 2 at %#x, node %d", pa, ramNode(pa))
	}
	a.GiveBack(pa)
	if q := alloc(1); q == pa {
		t.Fatalf("node 1 got node 2's page given back")
	}
	if q := alloc(2); q != pa {
		t.Fatalf("node 2 got %#x, not its page given back %#x", q, pa)
	}
	// Node 5 has no RAM: it is marked full, and its pages come from
	// any node's.
	if q := alloc(5); q == 0 || !a.NodeFull(5) {
		t.Fatalf("node 5: page %#x, marked full %v", q, a.NodeFull(5))
	}
	capcore.Lock()
	if _, err := newRAMRoot(nodeBase+5*nodeSize, nodeSize, 5, fromService); err != nil {
		t.Fatal(err)
	}
	capcore.Unlock()
	if a.NodeFull(5) {
		t.Fatalf("node 5 still full after the core got RAM of it")
	}
	if q := alloc(5); ramNode(q) != 5 {
		t.Fatalf("node 5 after its RAM came: page at node %d", ramNode(q))
	}
}

// TestAllocOnModel runs random allocations of random nodes and give-backs
// against a model: no page is held twice, every page was zeroed, a page
// is of the node asked for unless that node's RAM had no chunk left for
// the account when it was asked (checked by trying to retype one), and
// releasing leaves no descendant of any RAM capability.
func TestAllocOnModel(t *testing.T) {
	const nodes = 3
	for seed := uint64(0); seed < 10; seed++ {
		f := useFakePages(t)
		initNodes(t, nodes)
		rng := rand.New(rand.NewPCG(seed, 11))
		var a Account
		held := map[uint64]bool{}
		var pages []uint64
		fellBack := 0
		for step := 0; step < 3000; step++ {
			if len(pages) > 0 && rng.IntN(4) == 0 {
				k := rng.IntN(len(pages))
				pa := pages[k]
				pages = append(pages[:k], pages[k+1:]...)
				delete(held, pa)
				a.GiveBack(pa)
				continue
			}
			node := rng.IntN(nodes)
			pa := allocOnGrow(t, &a, node)
			if pa == 0 {
				continue // every node is full
			}
			if held[pa] {
				t.Fatalf("seed %d: page %#x handed out twice", seed, pa)
			}
			if !f.zeroed[pa] {
				t.Fatalf("seed %d: page %#x not zeroed", seed, pa)
			}
			delete(f.zeroed, pa)
			if got := ramNode(pa); got != node {
				fellBack++
				capcore.Lock()
				c, room := ReserveChunkOnLocked(capcore.DB(), minChunk, node)
				if room {
					capcore.DB().Delete(c.id)
				}
				capcore.Unlock()
				if room || a.HasFreeOn(node) {
					t.Fatalf("seed %d: asked node %d, got node %d while node %d had room", seed, node, got, node)
				}
			}
			held[pa] = true
			pages = append(pages, pa)
		}
		if fellBack == 0 {
			t.Errorf("seed %d: no node ran out: the fallback is not covered", seed)
		}
		for _, pa := range pages {
			a.DropAtExit(pa)
		}
		a.Release()
		if got := accountPages.Load(); got != 0 {
			t.Fatalf("seed %d: %d pages still counted", seed, got)
		}
		for _, r := range ramRoots {
			if n := len(capcore.DB().Descendants(r.id)); n != 0 {
				t.Fatalf("seed %d: %d descendants of node %d's RAM left", seed, n, r.node)
			}
		}
	}
}
