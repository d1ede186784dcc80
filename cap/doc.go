// Package cap is the pure logic of the capability system: the capability
// types, their rights, the operations on them (retype, copy, mint, delete,
// revoke, identify) and the mapping database that records how capabilities
// relate to each other.
//
// # Where it runs
//
// The package is pure Go with no privileged operations. The CPU driver of
// every core keeps one DB for the capabilities that live on that core and
// enforces it; the monitor of that core drives the same DB for operations
// that involve other cores (see package multikernel/cap/dist). On the host
// it runs under plain go test. A DB is owned by one core and is not safe for
// concurrent use: the core that owns it serialises every call.
//
// # Types
//
// Every capability has a Type, declared once in the table in types.go: its
// name, the resource space it names (physical memory, interrupt vectors, I/O
// ports, or none), its size and alignment rules, and the types it may be
// retyped into. Everything else (the retype rules, the order of the mapping
// database, the depth of a type in the derivation graph) is computed from
// that table.
//
// # Relations
//
// As in Barrelfish (TN-013, "Capability management"), relations are not
// stored as pointers: they follow from the type and the resource range.
// Two capabilities are copies when they have the same type and range. A
// capability d descends from a capability a when a's range contains d's and
// either d's type lies below a's in the retype graph or both have the same
// type and d's range is strictly smaller. The retype rule (a new object may
// not overlap an existing descendant of its source) keeps this structural
// definition equal to the real derivation history; the property tests check
// exactly that against a reference model that records history explicitly.
//
// # The mapping database
//
// The DB keeps its capabilities in a treap ordered by (space, base, end
// descending, type depth, type, id), each node augmented with the largest
// range end in its subtree (mdb.go). In that order a capability's copies
// follow it directly and its descendants follow its copies, up to the first
// entry whose base lies at or beyond the end of its range: copies and
// descendants form one contiguous run found by search, never by a full
// scan, and whether a descendant overlaps a range is an interval query.
//
// # Decode, then invoke
//
// Every operation is split as in seL4: a decode step does every check and may
// fail with an *Error; the invoke step that follows changes the database and
// cannot fail. A decoded plan carries the database generation it was made
// for, and invoking a stale plan panics: it is a programming error, not a
// runtime condition.
//
// # Remote relations
//
// A capability may have copies, descendants or ancestors on other cores.
// The DB does not know them; the monitor records their existence with
// SetRemote. Retype, revoke and delete of a capability whose result depends
// on remote state fail with ErrNeedsMonitor, telling the caller to run the
// two-phase protocol of package dist instead.
package cap
