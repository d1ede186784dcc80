package pagetable

import (
	"unsafe"

	"multikernel/cpudriver/physmem"
)

// Entry bits (AMD64 APM vol. 2, 5.4).
const (
	Present      uint64 = 1 << 0
	Writable     uint64 = 1 << 1
	User         uint64 = 1 << 2
	WriteThrough uint64 = 1 << 3
	CacheDisable uint64 = 1 << 4
	Accessed     uint64 = 1 << 5
	Dirty        uint64 = 1 << 6
	Huge         uint64 = 1 << 7
	Global       uint64 = 1 << 8
	NoExecute    uint64 = 1 << 63

	// Kept marks a leaf entry that is not present but still holds its
	// page (a page of a PROT_NONE range, which keeps its contents for a
	// later mprotect). The hardware ignores every other bit of an entry
	// whose Present bit is clear (AMD64 APM vol. 2, 5.4.1); this package
	// unmaps and frees such an entry's page as a present one's, and
	// Lookup returns it (callers test Present).
	Kept uint64 = 1 << 9

	// Reserved marks a Kept entry whose page is a zeroed page set aside
	// for the first touch by a core of one NUMA node (its number in
	// the NodeBits): docs/spanning.md, "fault-around". That core makes
	// it present itself with one compare-and-swap (Claim); any other
	// fault at it goes to the space's owner. The rights bits (Writable,
	// NoExecute) are those the page gets.
	Reserved uint64 = 1 << 10

	// NodeBits hold a Reserved entry's node (NodeShift: its lowest bit).
	NodeBits  uint64 = 0x3f << NodeShift
	NodeShift        = 52

	// AddrMask selects the physical address of an entry.
	AddrMask uint64 = 0x000ffffffffff000
)

// ReservedEntry returns the leaf entry that sets the zeroed page pa
// aside for node's first touch, with flags' rights (Writable, NoExecute;
// User is added). node must be 0-63.
func ReservedEntry(pa, flags uint64, node int) uint64 {
	return pa&AddrMask | flags&(Writable|NoExecute) | User | Kept | Reserved | uint64(node)<<NodeShift&NodeBits
}

// ReservedFor returns the node a Reserved entry e is set aside for;
// false if e is not one.
func ReservedFor(e uint64) (int, bool) {
	if e&Present != 0 || e&(Kept|Reserved) != Kept|Reserved {
		return 0, false
	}
	return int(e & NodeBits >> NodeShift), true
}

// Claim returns the present entry a Reserved entry e becomes.
func Claim(e uint64) uint64 { return (e | Present) &^ (Kept | Reserved | NodeBits) }

// Status is the outcome of a change.
type Status int

// Outcomes of Map.
const (
	OK Status = iota
	OutOfMemory
	HugeInTheWay // a 2 MiB or 1 GiB page covers the address
)

// entry returns a pointer to entry i of the table at physical address t.
//
//go:nosplit
func entry(pool *physmem.Pool, t uint64, i uintptr) *uint64 {
	return (*uint64)(unsafe.Add(unsafe.Pointer(nil), pool.DirectMap+uintptr(t)+(i&511)*8))
}

// index returns the table index of va at level l (3 = PML4 ... 0 = PT).
//
//go:nosplit
func index(va uint64, l uint) uintptr { return uintptr(va>>(12+9*l)) & 511 }

// Walk returns the leaf (level-0) entry for va, creating missing tables when
// create is set; intermediate entries get Present|Writable and, when user is
// set, User. It returns nil when a table is missing and create is clear, or
// when allocation fails or a huge page is in the way (see Status).
//
//go:nosplit
func Walk(pool *physmem.Pool, root uint64, va uint64, create, user bool) (*uint64, Status) {
	t := root
	for l := uint(3); l > 0; l-- {
		e := entry(pool, t, index(va, l))
		if *e&Present == 0 {
			if !create {
				return nil, OK
			}
			pa, ok := pool.AllocZeroed()
			if !ok {
				return nil, OutOfMemory
			}
			f := Present | Writable
			if user {
				f |= User
			}
			*e = pa | f
		} else if *e&Huge != 0 {
			return nil, HugeInTheWay
		} else if user && *e&User == 0 {
			*e |= User
		}
		t = *e & AddrMask
	}
	return entry(pool, t, index(va, 0)), OK
}

// Map maps the 4 KiB page at va to pa with flags (Present is added).
//
//go:nosplit
func Map(pool *physmem.Pool, root, va, pa, flags uint64) Status {
	e, st := Walk(pool, root, va, true, flags&User != 0)
	if e == nil {
		return st
	}
	*e = pa&AddrMask | flags | Present
	return OK
}

// MapAlloc is Map for ordinary Go code that takes each missing table from
// alloc instead of the pool: alloc(level) returns a zeroed page for a
// table of that level (2 PDPT, 1 PD, 0 PT), or 0, and MapAlloc then
// returns OutOfMemory with the tables made so far left in place. It is
// how the CPU driver builds a process's tables from its VNode
// capabilities.
func MapAlloc(pool *physmem.Pool, root, va, pa, flags uint64, alloc func(level int) uint64) Status {
	return SetAlloc(pool, root, va, pa&AddrMask|flags|Present, alloc)
}

// SetAlloc is MapAlloc that stores leaf, whatever it is, as va's leaf
// entry (a Reserved one: ReservedEntry); User in leaf makes the tables on
// the way user-accessible.
func SetAlloc(pool *physmem.Pool, root, va, leaf uint64, alloc func(level int) uint64) Status {
	flags := leaf
	t := root
	for l := uint(3); l > 0; l-- {
		e := entry(pool, t, index(va, l))
		switch {
		case *e&Present == 0:
			n := alloc(int(l) - 1)
			if n == 0 {
				return OutOfMemory
			}
			*e = n | Present | Writable | flags&User
		case *e&Huge != 0:
			return HugeInTheWay
		case flags&User != 0 && *e&User == 0:
			*e |= User
		}
		t = *e & AddrMask
	}
	*entry(pool, t, index(va, 0)) = leaf
	return OK
}

// Lookup returns the leaf entry for va, or 0 when there is none. A 2 MiB or
// 1 GiB mapping is returned as its (Huge) entry.
//
//go:nosplit
func Lookup(pool *physmem.Pool, root, va uint64) uint64 {
	t := root
	for l := uint(3); l > 0; l-- {
		e := *entry(pool, t, index(va, l))
		if e&Present == 0 {
			return 0
		}
		if e&Huge != 0 {
			return e
		}
		t = e & AddrMask
	}
	return *entry(pool, t, index(va, 0))
}

// The non-canonical hole [holeStart, holeEnd): no address in it can be
// mapped, and its index bits would alias the tables of the halves.
const (
	holeStart uint64 = 1 << 47
	holeEnd   uint64 = 0xffff_8000_0000_0000
)

// UnmapRange removes the 4 KiB mappings in [start, end) (page aligned; an
// unaligned start counts from its page) and, when free is set, returns their
// pages to pool. Absent tables and the non-canonical hole are skipped whole,
// so sparse ranges are cheap. Huge mappings are left alone. It returns the
// number of entries cleared; the caller flushes the TLB if it is not 0.
//
//go:nosplit
func UnmapRange(pool *physmem.Pool, root, start, end uint64, free bool) int {
	return unmapRange(pool, root, start, end, free, nil)
}

// UnmapRangeFunc is UnmapRange that hands each unmapped page to leaf
// instead of the pool (pages from elsewhere than the pool: a process's
// RAM capabilities).
func UnmapRangeFunc(pool *physmem.Pool, root, start, end uint64, leaf func(pa uint64)) int {
	return unmapRange(pool, root, start, end, false, leaf)
}

// unmapRange is UnmapRange with an optional leaf function, which takes
// the place of free when it is set. (No closure here: it runs beneath the
// runtime, where a closure's call could grow the stack.)
//
//go:nosplit
func unmapRange(pool *physmem.Pool, root, start, end uint64, free bool, leaf func(pa uint64)) int {
	n := 0
	c := leaves{pool: pool, root: root, va: start &^ (4096 - 1), end: end}
	for e := c.next(); e != nil; e = c.next() {
		switch {
		case leaf != nil:
			leaf(*e & AddrMask)
		case free:
			pool.Free(*e & AddrMask)
		}
		*e = 0
		n++
	}
	return n
}

// leaves walks the leaf entries of [va, end) that hold a page (Present
// or Kept), in address order: next returns each, then nil.
type leaves struct {
	pool          *physmem.Pool
	root, va, end uint64
	t             uint64 // the leaf table va is in; 0 before it is found
}

// next returns the next entry holding a page, or nil past the end.
// Absent tables, huge mappings and the non-canonical hole are skipped
// whole, so sparse ranges are cheap.
//
//go:nosplit
func (c *leaves) next() *uint64 {
	for c.va < c.end {
		if c.t == 0 {
			t, at, ok := leafTable(c.pool, c.root, c.va, c.end)
			if !ok {
				c.va = c.end
				return nil
			}
			c.t, c.va = t, at
		}
		e := entry(c.pool, c.t, index(c.va, 0))
		c.va += 4096
		switch {
		case c.va == 0: // past the top of the address space
			c.end = 0
		case index(c.va, 0) == 0:
			c.t = 0 // the next table
		}
		if *e&(Present|Kept) != 0 {
			return e
		}
	}
	return nil
}

// leafTable finds the first page table (level 0) that maps addresses at
// or after va (page aligned) and below end: it returns the table and the
// first such address, skipping absent tables, huge mappings and the
// non-canonical hole whole. ok is false when there is none.
//
//go:nosplit
func leafTable(pool *physmem.Pool, root, va, end uint64) (t, at uint64, ok bool) {
	for va < end {
		if va >= holeStart && va < holeEnd {
			va = holeEnd
			continue
		}
		t = root
		skip := uint64(0)
		for l := uint(3); l > 0; l-- {
			e := *entry(pool, t, index(va, l))
			if e&Present == 0 || e&Huge != 0 {
				skip = uint64(1) << (12 + 9*l)
				break
			}
			t = e & AddrMask
		}
		if skip == 0 {
			return t, va, true
		}
		next := (va + skip) &^ (skip - 1)
		if next <= va { // wrapped past the top of the address space
			return 0, 0, false
		}
		va = next
	}
	return 0, 0, false
}

// FreeLowerFunc frees everything the lower half (PML4 entries 0-255) of the
// tables at root holds: the 4 KiB pages mapped (or Kept) there and the table pages
// themselves, clearing the entries; huge mappings are cleared but their
// pages not freed (they were never the pool's). It returns the number of
// pages freed. It is for ordinary Go (process teardown), not the nosplit
// paths. The caller must not have root loaded in CR3 if the pages may be
// reused at once.
//
// The 4 KiB pages mapped there go to leaf (pool.Free to free them);
// the table pages go to table (pool.Free too, for tables from the pool).
func FreeLowerFunc(pool *physmem.Pool, root uint64, leaf, table func(pa uint64)) int {
	n := 0
	tableAt := func(pa uint64, _ int) { table(pa) }
	for i := uintptr(0); i < 256; i++ {
		e := entry(pool, root, i)
		if *e&Present != 0 && *e&Huge == 0 {
			n += freeBelow(pool, *e&AddrMask, 2, leaf, tableAt)
		}
		*e = 0
	}
	return n
}

// FreeSlot frees what root's PML4 entry slot (a lower-half one) leads
// to, as FreeLowerFunc does for all of them, clears the entry and
// returns the number of pages and tables handed out; table gets each
// table with its level (2 PDPT, 1 PD, 0 PT). An address range
// (docs/ranges.md) is one slot.
func FreeSlot(pool *physmem.Pool, root uint64, slot int, leaf func(pa uint64), table func(pa uint64, level int)) int {
	if slot < 0 || slot >= 256 {
		return 0
	}
	e := entry(pool, root, uintptr(slot))
	n := 0
	if *e&Present != 0 && *e&Huge == 0 {
		n = freeBelow(pool, *e&AddrMask, 2, leaf, table)
	}
	*e = 0
	return n
}

// freeBelow frees the table t of the given level (2 PDPT, 1 PD, 0 PT),
// hands everything it maps to leaf, and t itself, with its level, to
// table.
func freeBelow(pool *physmem.Pool, t uint64, level int, leaf func(pa uint64), table func(pa uint64, level int)) int {
	n := 0
	for i := uintptr(0); i < 512; i++ {
		e := *entry(pool, t, i)
		switch {
		case level == 0 && e&(Present|Kept) != 0:
			leaf(e & AddrMask)
			n++
		case e&Present == 0 || e&Huge != 0 || level == 0:
		default:
			n += freeBelow(pool, e&AddrMask, level-1, leaf, table)
		}
	}
	table(t, level)
	return n + 1
}

// ProtectRange applies f to every leaf entry of [start, end) (page
// aligned) that holds a page (Present or Kept), writing back what f
// returns, and returns the number of entries f changed; the caller
// flushes the TLB if it is not 0. Absent tables, huge mappings and the
// non-canonical hole are skipped, as UnmapRange skips them. f must keep
// the entry's address. It is for ordinary Go, not the nosplit paths.
func ProtectRange(pool *physmem.Pool, root, start, end uint64, f func(e uint64) uint64) int {
	n := 0
	c := leaves{pool: pool, root: root, va: start &^ (4096 - 1), end: end}
	for e := c.next(); e != nil; e = c.next() {
		if v := f(*e); v != *e {
			*e = v
			n++
		}
	}
	return n
}
