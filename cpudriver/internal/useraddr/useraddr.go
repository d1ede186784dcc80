// Package useraddr lists, for tests, the values every path of the CPU
// driver that loads a user-chosen value into RIP, RSP, RFLAGS or the FS
// base is tried with: canonical lower-half addresses (accepted),
// non-canonical ones and kernel-half ones (refused). It is host-only test
// data; nothing in the guest imports it.
package useraddr

// Value is one address and whether a user thread may hold it.
type Value struct {
	Name string
	V    uint64
	OK   bool
}

// Limit is the first address past the lower half (1 << 47).
const Limit = 1 << 47

// Values are the addresses tried.
var Values = []Value{
	{"zero", 0, true},
	{"low", 0x400000, true},
	{"last user byte", Limit - 1, true},
	{"first non-canonical", Limit, false},
	{"non-canonical middle", 0x0000_8000_0000_1000, false},
	{"non-canonical high", 0x7fff_ffff_ffff_ffff, false},
	{"sign bit alone", 0x8000_0000_0000_0000, false},
	{"last non-canonical", 0xffff_7fff_ffff_ffff, false},
	{"kernel half: direct map", 0xffff_8000_0000_0000, false},
	{"kernel half: heap", 0xffff_c000_0000_0000, false},
	{"kernel half: text", 0xffff_ffff_8020_1000, false},
	{"all ones", ^uint64(0), false},
}
