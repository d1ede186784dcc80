// Package shares gives a Go program Corey's shares (docs/shares.md): a
// table that names the objects the program made (capability slots,
// address ranges, endpoints) by id. A share is local to one core,
// changed only by that core's threads, or global, changed by any; both
// are read by any thread. A look-up takes no lock and writes no shared
// memory: it loads the table's slot, an immutable entry published by a
// single atomic store (read-copy-update, with Go's collector reclaiming
// an entry no reader can still hold). Adds and removes of one share are
// ordered by its writers' lock, which only its own core's threads take
// for a local share, and every core's for a global one: the lock a
// global share's writers contend for is its cost, and the share counts
// how often they did (Stats).
//
// Each core has a root share (Root), local to it, and the program one
// global share (Global).
package shares

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	mc "multikernel/libos/cores"
)

// Kind says what a reference names.
type Kind uint8

// Kinds of reference.
const (
	Cap      Kind = iota + 1 // a capability slot of the program's CSpace
	Range                    // an address range, by its base
	Endpoint                 // a URPC endpoint or channel, by the address of its frame
	Value                    // an opaque value of the program's
	Nested                   // another share, by its Handle (ByHandle finds it)
)

// Ref is one reference a share holds.
type Ref struct {
	Kind  Kind
	Value uint64
}

// ID names a reference in its share: its slot in the low bits, a
// generation above them, so that an id removed and a later one in the
// same slot differ.
type ID uint64

// Errors of the share calls.
var (
	ErrFull     = errors.New("shares: the share is full")
	ErrNotFound = errors.New("shares: no such id")
	ErrNotLocal = errors.New("shares: a local share is changed only from its own core")
	ErrBadRef   = errors.New("shares: a reference needs a kind")
)

// AnyCore is the owner of a global share.
const AnyCore = -1

// entry is a slot's content: immutable once published.
type entry struct {
	id  ID
	ref Ref
}

// Share is a table of references.
type Share struct {
	owner int // the core whose threads change it; AnyCore: global
	bits  uint
	slots []atomic.Pointer[entry]

	mu   sync.Mutex // orders the writers; guards gens, free, next
	gens []uint32
	free []uint32 // slots removed, reused first
	next uint32   // slots below it have been used

	adds, removes, contended atomic.Uint64

	handle uint64 // its name in a Nested reference (registry.go)
}

// New returns an empty share of capacity references (a power of two is
// used, at least 16), changed only from core owner, or from any core
// with AnyCore.
func New(capacity, owner int) *Share {
	bits := uint(4)
	for 1<<bits < capacity {
		bits++
	}
	s := &Share{owner: owner, bits: bits, slots: make([]atomic.Pointer[entry], 1<<bits), gens: make([]uint32, 1<<bits)}
	s.handle = register(s)
	return s
}

// Owner returns the core that may change the share, AnyCore if any may.
func (s *Share) Owner() int { return s.owner }

// Lookup returns the reference id names, false if it names none now. It
// takes no lock.
func (s *Share) Lookup(id ID) (Ref, bool) {
	i := uint64(id) & (1<<s.bits - 1)
	e := s.slots[i].Load()
	if e == nil || e.id != id {
		return Ref{}, false
	}
	return e.ref, true
}

// lock takes the writers' lock, counting it contended if another writer
// held it.
func (s *Share) lock() error {
	if s.owner != AnyCore && currentCore() != s.owner {
		return ErrNotLocal
	}
	if !s.mu.TryLock() {
		s.contended.Add(1)
		s.mu.Lock()
	}
	return nil
}

// Add puts ref into the share and returns its id.
func (s *Share) Add(ref Ref) (ID, error) {
	if ref.Kind == 0 {
		return 0, ErrBadRef
	}
	if err := s.lock(); err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	var i uint32
	switch {
	case len(s.free) > 0:
		i = s.free[len(s.free)-1]
		s.free = s.free[:len(s.free)-1]
	case int(s.next) < len(s.slots):
		i = s.next
		s.next++
	default:
		return 0, ErrFull
	}
	s.gens[i]++
	id := ID(uint64(s.gens[i])<<s.bits | uint64(i))
	s.slots[i].Store(&entry{id: id, ref: ref})
	s.adds.Add(1)
	return id, nil
}

// Remove takes id's reference out of the share. A look-up that began
// before may still return it; none that begins after does.
func (s *Share) Remove(id ID) error {
	if err := s.lock(); err != nil {
		return err
	}
	defer s.mu.Unlock()
	i := uint64(id) & (1<<s.bits - 1)
	e := s.slots[i].Load()
	if e == nil || e.id != id {
		return fmt.Errorf("%w: %#x", ErrNotFound, uint64(id))
	}
	s.slots[i].Store(nil)
	s.free = append(s.free, uint32(i))
	s.removes.Add(1)
	return nil
}

// Stats is what a share counts.
type Stats struct {
	Adds, Removes uint64
	// Contended counts the adds and removes that found another writer
	// holding the lock: cross-core traffic for a global share, none for
	// a local one.
	Contended uint64
}

// Stats returns the share's counts.
func (s *Share) Stats() Stats {
	return Stats{Adds: s.adds.Load(), Removes: s.removes.Load(), Contended: s.contended.Load()}
}

// The program's root shares, by core, and its global share.
var (
	rootsMu sync.Mutex
	roots   = map[int]*Share{}
	global  = New(4096, AnyCore)
)

// currentCore returns the calling thread's core (tests replace it).
var currentCore = mc.Current

// rootCapacity is the capacity of a core's root share.
const rootCapacity = 4096

// Root returns core's root share, local to it, making it on first use.
func Root(core int) *Share {
	rootsMu.Lock()
	defer rootsMu.Unlock()
	s := roots[core]
	if s == nil {
		s = New(rootCapacity, core)
		roots[core] = s
	}
	return s
}

// Global returns the program's global share.
func Global() *Share { return global }
