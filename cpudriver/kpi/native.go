package kpi

// NativeBase is the first native system call number.
const NativeBase = 0x1000

// Native system call numbers, decoded by the CPU driver's native call
// table (cpudriver/native) and made by libos (one source of truth:
// this table).
//
// SysChannel, SysMonitorUp, SysBootDone, SysClient, SysClientClose,
// SysFacts, the capability calls marked "monitor only", and SysNotify to
// another core need a Kernel capability in the caller's CSpace, which
// only the monitor is given (others get EPERM).
const (
	// SysMonitorUp tells the CPU driver that this core's monitor has
	// started.
	SysMonitorUp = NativeBase + iota
	// SysChannel(peer) maps the frame this core's and peer's monitors
	// share as their URPC channel (ChannelSize bytes, read-write) and
	// returns its address. Mapping it again returns the same address.
	SysChannel
	// SysNotify(peer) raises a notification on core peer; a program may
	// notify only its own core (its monitor).
	SysNotify
	// SysWait(seen, timeout) blocks until this core's notification count
	// differs from seen, or for at most timeout nanoseconds (0: no
	// limit; negative: do not block), and returns the count.
	SysWait
	// SysCores() returns the cores whose CPU driver is up, bit i for
	// core i.
	SysCores
	// SysCoreInfo(core) returns core's local APIC id in bits 0-31 and its
	// NUMA node in bits 32-63.
	SysCoreInfo
	// SysBootDone tells the CPU driver that the monitor finished its
	// boot-time work (the bootstrap core waits for it before a poweroff).
	SysBootDone
	// SysConnect() gives a program its channel to its core's monitor
	// (ChannelSize bytes, the program being side A) and returns its
	// address; the monitor hears of it from its CPU driver.
	SysConnect
	// SysClient(id) maps program channel id into the monitor and returns
	// its address (the monitor being side B).
	SysClient
	// SysClientClose(id) unmaps program channel id from the monitor.
	SysClientClose
	// SysFacts(buf, len) copies the machine's facts for the SKB (Prolog
	// text gathered by the bootstrap core) into buf and returns their
	// whole length. Core 0's monitor only.
	SysFacts

	// Capability invocations (libos/capability): every process names
	// the capabilities it holds by slot number in its own CSpace.

	// SysCapIdentify(slot, buf) writes the capability's type, base, size,
	// rights, owner core and remote relations (six 64-bit words) to buf.
	SysCapIdentify
	// SysCapRetype(slot, type, offset, objsize, count) makes count
	// objects of type from the capability's range and returns the slot of
	// the first (the others follow).
	SysCapRetype
	// SysCapCopy(slot) copies the capability into a new slot.
	SysCapCopy
	// SysCapMint(slot, rights) copies it with fewer rights.
	SysCapMint
	// SysCapDelete(slot) deletes the capability in slot.
	SysCapDelete
	// SysCapRevoke(slot) deletes every copy and descendant of it, on
	// this core, and returns how many.
	SysCapRevoke
	// SysCapMap(slot, va, prot) maps the Frame in slot at va with
	// PROT_READ/WRITE/EXEC prot, which the capability's rights must allow.
	SysCapMap
	// SysCapUnmap(va) removes the mapping SysCapMap made at va.
	SysCapUnmap
	// SysCapSend(slot, core, endpoint) sends a copy of the capability in
	// slot, which must carry the grant right, to endpoint of core, through
	// the two cores' monitors.
	SysCapSend
	// SysCapReceive(endpoint, timeout) takes the oldest capability sent to
	// endpoint of this core into a new slot, waiting at most timeout
	// nanoseconds (0: no limit) for one, and returns the slot. The first
	// process to receive on an endpoint binds it until it ends; any other
	// gets EBUSY.
	SysCapReceive
	// SysCapImport(type, base, size, rights, owner, endpoint) puts a
	// capability that came from another core into endpoint's queue.
	// Monitor only.
	SysCapImport
	// SysCapHas(type, base, size) returns how many copies this core holds of
	// the capability, else 0. Monitor only.
	SysCapHas
	// SysCapApply(what, type, base, size, token) applies a committed
	// two-phase operation to this core's copies of the capability: what
	// is ApplyRevoke (every copy and descendant), ApplyRevokeKeep (all
	// but the copy of the waiting request token) or ApplyDelete (the
	// copy of request token). Monitor only.
	SysCapApply
	// SysCapOpDone(token, result) ends the waiting request token with
	// result (0 or a negative errno). Monitor only.
	SysCapOpDone
	// SysCapIO(slot, op, port, value) reads (op IORead|width) or writes
	// (op IOWrite|width) width bytes (1, 2 or 4) at I/O port port through
	// the IO capability in slot, which must hold the ports and the read or
	// write right; a read returns the value.
	SysCapIO
	// SysCapIRQ(slot, seen, timeout) waits, like SysWait, until the
	// interrupt count of the IRQ capability's line differs from seen, and
	// returns it; the first call routes the line to the calling process,
	// which keeps it until it ends (EBUSY for any other process). A
	// level-triggered line is masked when it fires; a call that waits
	// (timeout not negative) unmasks it, so acknowledge the device first.
	SysCapIRQ
	// SysCapVNodes(buf) writes eight words: the calling process's page
	// tables in use by level (PT, PD, PDPT, PML4), then how many of each
	// are VNode capabilities (all, unless the core's RAM ran out).
	SysCapVNodes
	// SysMemAlloc(slot, size, node) returns the slot of a new RAM
	// capability of size bytes (a page multiple) of NUMA node node
	// (AnyNode: the calling core's own node, or the nearest with room;
	// NearNode|N: node N, or the nearest with room), through the memory
	// service when the core has none of that node. slot holds the memory
	// service's client capability (every program gets one in slot 2); the
	// RAM the process took this way and still holds may not exceed its
	// limit (ENOMEM).
	SysMemAlloc
	// SysMemServe(size, core) carves up to size bytes (a power of two of
	// at least 1 MiB; halved while no run that big is free) from the
	// node's reserve this core serves, for core; it returns the base, with
	// log2 of the size in the low 12 bits. Monitor only.
	SysMemServe
	// SysMemGrant(token, base, size, node) answers the CPU driver's
	// memory request token with [base, base+size) of node, now this
	// core's; size 0 for none. Monitor only.
	SysMemGrant
	// SysMemInfo(buf, n, quota) writes n words: the bytes of the calling
	// core's RAM capabilities of nodes 0 to n-1 (its own and those the
	// memory service granted it), and returns how many grants it
	// received; if quota is not 0, two words there: the calling process's
	// limit on RAM from SysMemAlloc and what of it it holds.
	SysMemInfo
	// SysMemReturn(base, size, core) takes back into the node's reserve
	// this core serves the piece it granted core; monitor only.
	SysMemReturn

	// Address ranges (docs/ranges.md, libos/ranges): a range is one
	// RangeSize slot of the address space (one PML4 entry's 512 GiB)
	// in which nothing else is mapped, attached to a set of the
	// program's cores. A range attached to one core is private: its page
	// tables are that core's alone, and mapping, faulting or unmapping
	// in it sends no message.

	// SysRangeNew(cores) makes a range attached to cores (bit c: core
	// c; a nonempty subset of the cores the program may run on) in a
	// slot of the address space where nothing is mapped, and returns its
	// base; Linux's mmap, munmap, mprotect and madvise do not reach into
	// it then (EINVAL or EACCES; an mmap hint there is ignored). ENOSPC
	// when the program has MaxRanges ranges, ENOMEM when no slot is free.
	SysRangeNew
	// SysRangeMap(addr, length, prot) makes [addr, addr+length) of a
	// range (page aligned) demand-zero memory with PROT_READ/WRITE/EXEC
	// prot, replacing what was mapped there. A private range is changed
	// only from its core (EPERM elsewhere).
	SysRangeMap
	// SysRangeUnmap(addr, length) removes [addr, addr+length) of a
	// range and its pages; no core of the range can reach them when it
	// returns. A private range's only from its core.
	SysRangeUnmap
	// SysRangeDelete(base) removes the range at base with every mapping
	// in it. A private range's only from its core.
	SysRangeDelete
	// SysRangeInfo(base, buf) writes four words to buf: the range's
	// cores, its pages mapped, the page tables it took, and the
	// shootdown messages its changes sent. A private range's only from
	// its core (EPERM elsewhere).
	SysRangeInfo

	// SysRangeMapFrame(addr, slot, prot) maps the Frame (a segment,
	// libos/segments) or DevFrame in slot at addr of a range (page
	// aligned; the whole capability, where nothing is mapped yet) with
	// PROT_READ/WRITE/EXEC prot, which its rights must allow. Deleting or
	// revoking the capability, SysCapUnmap(addr) or deleting the range
	// removes the mapping; SysRangeMap and SysRangeUnmap refuse to reach
	// into it (EBUSY). A private range's only from its core.
	SysRangeMapFrame

	// SysSpanExtend(core, bases, n) extends the calling spanning
	// program onto core (cfork, libos/cfork, docs/cfork.md): its threads
	// may run there from then on (sched_setaffinity accepts it, and a
	// thread made afterwards has it in its affinity; a thread's own
	// affinity is not widened), and the n shared ranges whose bases
	// are the words at bases are attached to it too; no other range is.
	// EINVAL for a program that does not span cores (one started with
	// @N; @N-N spans one core), a core that is not up or past what a
	// program may span, more than MaxRanges bases, or a base that is not
	// a live shared range's; EEXIST for a core the program has; EFAULT
	// for bases it cannot read. Nothing changes on an error.
	SysSpanExtend

	// SysSpanInfo(buf) writes SpanInfoWords words to buf, the calling
	// program's counts since it started (docs/spanning.md, "Counts"):
	// its cores, its TLB shootdowns, their messages, those of them
	// across nodes, the calls and page faults its cores other than the
	// home sent to the home core, the pages they claimed from
	// fault-around's reservations with no message, and the page-table
	// pages of the home's tables they wrote (counted once per page and
	// core that wrote it), and the cores dedicated to a thread of the
	// program (SysSpanDedicate). A program on one core gets its core and
	// zeros. EFAULT for a buf it cannot write.
	SysSpanInfo

	// SysSpanDedicate(on) dedicates the caller's core to the calling
	// thread of a spanning program (on 1) or gives it back (on 0):
	// while dedicated, no other thread of the program runs there (those
	// there leave before they next run in ring 3, no new thread is
	// placed there, and sched_setaffinity leaves it out of any other
	// thread's mask). The dedication ends with SysSpanDedicate(0), the
	// thread's end, or its moving away. EINVAL for a program that does
	// not span cores, on above 1, a thread not pinned to its core alone
	// (on 1) or not holding it (on 0); EBUSY when another thread holds
	// the core or no other core of the program would be left for its
	// other threads. docs/kcore.md.
	SysSpanDedicate

	// NativeEnd is one past the last native call number.
	NativeEnd
)

// AnyNode is the node argument of SysMemAlloc for the caller's own node,
// or the nearest with room.
const AnyNode = 255

// NearNode, or'd with a node, is the node argument of SysMemAlloc for
// that node's memory, or else the nearest node's with room. A spanning
// program's replica core sends AnyNode home as NearNode with its own
// node, so that AnyNode means the core that made the call.
const NearNode = 0x100

// SpanInfoWords is how many words SysSpanInfo writes.
const SpanInfoWords = 8

// SysCapIO operations: a width of 1, 2 or 4 bytes, plus IOWrite for an
// output.
const (
	IORead  = 0
	IOWrite = 0x10
)

// What SysCapApply does.
const (
	ApplyRevoke = iota + 1
	ApplyRevokeKeep
	ApplyDelete
	// ApplyAdopt records what a committed operation left on this core's
	// copies: SysCapApply(ApplyAdopt, type, base, size, owner, holders),
	// holders the cores that hold a copy (bit c for core c).
	ApplyAdopt
	// ApplyOverlaps asks whether this core holds a descendant of the
	// capability that overlaps [rbase, rbase+rsize): SysCapApply(
	// ApplyOverlaps, type, base, size, rbase, rsize) returns 1 or 0.
	ApplyOverlaps
	// ApplyRetype makes the retype request token waits for, which the
	// monitors agreed to: SysCapApply(ApplyRetype, type, base, size,
	// token).
	ApplyRetype
)

// Address ranges (SysRangeNew): each is one PML4 entry's RangeSize
// bytes of the lower half; a program has at most MaxRanges.
const (
	RangeSize = 1 << 39
	MaxRanges = 64
)

// ChannelSize is the size of the frame two monitors share as their URPC
// channel: one page.
const ChannelSize = 4096

// MaxCores bounds the core numbers native calls accept (a peer, a core to
// send to, a node count): a larger one is EINVAL.
const MaxCores = 64
