package ring0

import (
	"unsafe"

	"multikernel/cpudriver/linuxabi"
	"multikernel/cpudriver/pagetable"
)

// Ring 3 (docs/decisions.md, 5, the gVisor ring0 model): a user thread is a
// goroutine of this core's CPU driver that calls Run in a loop. Run enters
// ring 3 with IRETQ in the thread's address space and returns when the
// thread traps: a SYSCALL, an exception, or an interrupt (the LAPIC timer
// ends its time slice). The goroutine then handles the trap as ordinary Go
// and calls Run again.
//
// Only one thread is in ring 3 on a core at a time (the goroutine that
// called Run is inside it until the trap), so per-core globals say where
// the crossing's state is: uregs and ufxp point at the thread's own
// UserRegs and FXSAVE area (heap objects, which do not move, reachable in
// every address space through the shared kernel half), and kernSP/kernBP/
// kernFS say where Run returns to. Nothing is copied on the way.
//
// A process's page-table root shares the kernel half of this core's root
// (KernelPML4Slots: the direct map, the CPU driver's heap, its image), all
// supervisor-only, so the CPU driver runs on whatever root is loaded and
// CR3 changes only when Run enters a different address space: a system
// call or a fault costs no TLB flush. (Family 10h Opterons are not subject
// to Meltdown, which is what makes sharing the kernel half safe.)

// TrapSyscall is UserRegs.Trap after a SYSCALL; other values are vectors.
const TrapSyscall = 256

// UserRegs is a user thread's register state and, after Run returns, why
// it came back.
type UserRegs struct {
	AX, BX, CX, DX, SI, DI, BP           uint64
	R8, R9, R10, R11, R12, R13, R14, R15 uint64
	IP, FLAGS, SP                        uint64
	FS                                   uint64
	CR3                                  uint64 // root of the address space
	// PID and TID answer getpid and gettid on the fast path (user_amd64.s:
	// getpid, gettid, getppid, getuid, getgid, geteuid and getegid return
	// without leaving ring 0's entry code); PID 0 turns the fast path off
	// and every call reaches Go.
	PID, TID uint64
	Trap     uint64 // TrapSyscall or the vector
	ErrCode  uint64
	CR2      uint64 // for page faults
}

// UserFPU is a user thread's FXSAVE image (x87, MMX, SSE state).
type UserFPU [512]byte

// NewUserFPU returns the FPU state a new thread starts with (FNINIT
// defaults: x87 control word 0x37F, MXCSR 0x1F80).
func NewUserFPU() *UserFPU {
	var f UserFPU
	f[0], f[1] = 0x7F, 0x03
	f[24], f[25] = 0x80, 0x1F
	return &f
}

var (
	// sliceArmed: the LAPIC timer is counting down a user time slice.
	sliceArmed bool

	uregs uintptr // *UserRegs of the thread in ring 3

	// The fast path's answers for the thread in ring 3 (UserRegs.PID,
	// TID), and whether it is on.
	fastPID, fastTID uint64
	fastOK           uint32

	// useSysret: enterUser may return with SYSRETQ (see Run).
	useSysret uint32

	ufxp   uintptr // *UserFPU of the thread in ring 3 (any alignment)
	kernSP uintptr
	kernBP uintptr
	kernFS uint64
)

// The FPU state across the crossing. Every variable here is this core's;
// only Run, the exits (user_amd64.s) and SyncFPU touch them, all on this
// core, from the goroutine of the thread concerned or with interrupts off.
//
//   - XMM0-15 and MXCSR are the thread's in ring 3 and the CPU driver's
//     in ring 0 (its Go code uses the XMM registers): the exit code
//     stores them into the thread's UserFPU with plain stores (MOVUPS,
//     STMXCSR, at FXSAVE's offsets fxXMM and fxMXCSR) and loads
//     kernMXCSR when the thread's control bits (all but mxcsrFlags)
//     differ from it; enterUser loads them back, MXCSR always. So the
//     UserFPU's XMM and MXCSR bytes are valid whenever Run is not running
//     the thread, and the CPU driver's Go code runs with its own MXCSR
//     control bits (rounding, masks, DAZ, FZ).
//   - The x87/MMX state (FCW, FSW, FTW, FOP, FIP, FDP, ST0-7: bytes 0-23
//     and 32-159 of the image) stays in the FPU across the crossing: the
//     CPU driver executes no x87 or MMX instruction (Go's amd64 code has
//     none; the ring-0 trap path saves and restores it whole). x87Owner
//     is the UserFPU whose x87 state the FPU holds; those bytes of it
//     are stale while it is the owner, and only then. Run writes them
//     back (loadX87) before it loads another thread's, and SyncFPU does
//     for code that reads or replaces a UserFPU between Runs.
//
// Neither FXSAVE nor FXRSTOR runs on a system call or trap of the thread
// that ran last: under emulation both are costly helper calls.
var (
	x87Owner  *UserFPU
	kernMXCSR uint32 = 0x1F80 // the CPU driver's MXCSR (Go never changes it; set from the FPU at the first loadX87)
	// mxcsrMask: the MXCSR bits this CPU accepts (FXSAVE's MXCSR_MASK,
	// 0xFFBF where it reports 0; Intel SDM vol. 1, 11.6.6): LDMXCSR of
	// any other faults.
	mxcsrMask uint32
	fxScratch [512 + 16]byte // FXSAVE/FXRSTOR of loadX87 and SyncFPU (16-byte aligned within)
)

// Offsets in the FXSAVE image (Intel SDM vol. 1, 10.5.1, table 10-2),
// used by user_amd64.s.
const (
	mxcsrFlags  = 0x3F // MXCSR's exception flags: sticky status, no control
	fxMXCSR     = 24   // MXCSR, 4 bytes
	fxMXCSRMask = 28   // MXCSR_MASK, 4 bytes
	fxX87End    = 160  // x87 state: bytes 0-23 and 32-159
	fxXMM       = 160  // XMM0-15, 16 bytes each
)

func scratchFX() *UserFPU {
	return (*UserFPU)(unsafe.Pointer((uintptr(unsafe.Pointer(&fxScratch)) + 15) &^ 15))
}

// copyX87 copies the x87/MMX part of an FXSAVE image.
func copyX87(dst, src *UserFPU) {
	copy(dst[:fxMXCSR], src[:fxMXCSR])
	copy(dst[fxMXCSRMask+4:fxX87End], src[fxMXCSRMask+4:fxX87End])
}

// loadX87 makes fpu's x87 state the FPU's, after writing back the
// owner's. When it must load it (FXRSTOR) it loads XMM registers of
// zeros and leaves MXCSR the CPU driver's (it is the FPU's when Go
// runs), so the Go code after it runs as before.
func loadX87(fpu *UserFPU) {
	sc := scratchFX()
	fxsave64(uintptr(unsafe.Pointer(sc)))
	if mxcsrMask == 0 {
		kernMXCSR = uint32(sc[fxMXCSR]) | uint32(sc[fxMXCSR+1])<<8 | uint32(sc[fxMXCSR+2])<<16 | uint32(sc[fxMXCSR+3])<<24
		mxcsrMask = uint32(sc[fxMXCSRMask]) | uint32(sc[fxMXCSRMask+1])<<8 | uint32(sc[fxMXCSRMask+2])<<16 | uint32(sc[fxMXCSRMask+3])<<24
		if mxcsrMask == 0 {
			mxcsrMask = 0xFFBF
		}
	}
	if x87Owner != nil {
		copyX87(x87Owner, sc)
	}
	x87Owner = fpu
	// Threads that never use the x87 (Go's) all hold its initial state:
	// then the FPU holds fpu's already.
	if [fxMXCSR]byte(sc[:fxMXCSR]) == [fxMXCSR]byte(fpu[:fxMXCSR]) &&
		[fxX87End - fxMXCSRMask - 4]byte(sc[fxMXCSRMask+4:fxX87End]) == [fxX87End - fxMXCSRMask - 4]byte(fpu[fxMXCSRMask+4:fxX87End]) {
		return
	}
	copyX87(sc, fpu)
	clear(sc[fxXMM : fxXMM+16*16])
	fxrstor64(uintptr(unsafe.Pointer(sc)))
}

// SyncFPU makes *fpu the whole FPU state of its thread, as FXSAVE would
// give it: code that reads a thread's UserFPU between Runs (a signal
// frame, a clone) or replaces it (rt_sigreturn) calls it first, on the
// thread's core. After it the FPU holds no thread's x87 state, so the
// next Run of the thread loads *fpu whole, as it then is.
func SyncFPU(fpu *UserFPU) {
	if fpu == nil || x87Owner != fpu {
		return
	}
	sc := scratchFX()
	fxsave64(uintptr(unsafe.Pointer(sc)))
	copyX87(fpu, sc)
	x87Owner = nil
}

// fxsave64 and fxrstor64 (user_amd64.s) run FXSAVE64 and FXRSTOR64 on
// the 16-byte aligned image at p.
func fxsave64(p uintptr)
func fxrstor64(p uintptr)

// userSlice is how long a thread runs in ring 3 before the LAPIC timer
// brings it back (so the other goroutines of this core run).
const userSlice = 10_000_000 // ns

// System calls the fast path answers (linuxabi's numbers, as constants
// that user_amd64.s reads from go_asm.h).
const (
	sysGetpid  = linuxabi.SysGetpid
	sysGettid  = linuxabi.SysGettid
	sysGetuid  = linuxabi.SysGetuid
	sysGetgid  = linuxabi.SysGetgid
	sysGeteuid = linuxabi.SysGeteuid
	sysGetegid = linuxabi.SysGetegid
	sysGetppid = linuxabi.SysGetppid
)

// fastCalls bounds the numbers of the calls the fast path answers, and
// fastMask has a bit for each of them, so that every other call leaves
// the fast path after one bit test instead of a compare with each
// (under emulation every conditional branch ends a translated block).
const fastCalls = 192

var fastMask = func() (m [fastCalls / 64]uint64) {
	for _, nr := range []int{sysGetpid, sysGettid, sysGetuid, sysGetgid, sysGeteuid, sysGetegid, sysGetppid} {
		m[nr/64] |= 1 << (nr % 64)
	}
	return m
}()

// UserLimit is the first address past the lower half: user addresses are
// below it. Every address at or above it is either non-canonical (up to
// the kernel half's start) or the CPU driver's (Intel SDM vol. 1, 3.3.7.1;
// AMD APM vol. 2, 5.3.1).
const UserLimit = 1 << 47

// IsUserAddr reports whether v is a canonical lower-half address, one a
// user thread may have in RIP, RSP or the FS base.
func IsUserAddr(v uint64) bool { return v < UserLimit }

// EntryOK reports whether the registers may be loaded on the way into
// ring 3. RIP, RSP and the FS base must be user addresses: a
// non-canonical FS base makes the WRMSR before the switch fault in ring
// 0, and a non-canonical RIP makes SYSRETQ or IRETQ fault (on Intel CPUs
// in ring 0, with the user's RSP), halting the core. RFLAGS need no check:
// Run keeps only userFlags.
func (r *UserRegs) EntryOK() bool {
	return IsUserAddr(r.IP) && IsUserAddr(r.SP) && IsUserAddr(r.FS)
}

// userFlags are the RFLAGS bits a user thread may set: CF, PF, AF, ZF, SF,
// TF, DF, OF. IF is always set; IOPL stays 0.
const userFlags = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800

// Run enters ring 3 with the registers r (and FPU state fpu) and returns
// when the thread traps, with r and fpu updated (all of fpu but the x87
// part, which SyncFPU writes back) and r.Trap saying why. It
// refuses registers EntryOK refuses by returning at once with Trap = 13
// (general protection): the system calls that set them check them first
// (EPERM or a fatal signal, as Linux), this is the last line.
func Run(r *UserRegs, fpu *UserFPU) {
	if !r.EntryOK() {
		r.Trap, r.ErrCode = 13, 0
		return
	}
	r.FLAGS = r.FLAGS&userFlags | 0x202
	// SYSRETQ loads RIP from RCX and RFLAGS from R11: when they already
	// hold the IP and the (checked) flags, as after any SYSCALL, it gives
	// the same state as IRETQ, for less.
	useSysret = 0
	if r.CX == r.IP && r.R11 == r.FLAGS {
		useSysret = 1
	}
	uregs = uintptr(unsafe.Pointer(r))
	fastPID, fastTID, fastOK = r.PID, r.TID, 0
	if r.PID != 0 {
		fastOK = 1
	}
	// The x87 state is loaded only when another thread's is in the FPU;
	// XMM and MXCSR are loaded by enterUser, from *fpu, in any alignment.
	if x87Owner != fpu {
		loadX87(fpu)
	}
	// MXCSR bits the CPU does not accept make enterUser's LDMXCSR fault
	// in ring 0: cleared here, the last line (rt_sigreturn clears the
	// reserved ones already).
	if m := uint32(fpu[fxMXCSR]) | uint32(fpu[fxMXCSR+1])<<8 | uint32(fpu[fxMXCSR+2])<<16 | uint32(fpu[fxMXCSR+3])<<24; m&^mxcsrMask != 0 {
		m &= mxcsrMask
		fpu[fxMXCSR], fpu[fxMXCSR+1], fpu[fxMXCSR+2], fpu[fxMXCSR+3] = byte(m), byte(m>>8), byte(m>>16), byte(m>>24)
	}
	ufxp = uintptr(unsafe.Pointer(fpu))
	// One LAPIC timer run per time slice, not per entry: a system call
	// returns to ring 3 without touching the timer (MMIO is costly under
	// emulation). The slice ends when the interrupt comes, in ring 3 or
	// pending until the next entry; idle() takes the timer back.
	if !sliceArmed {
		armTimer(userSlice)
		sliceArmed = true
	}
	enterUser()
	uregs = 0
	if r.Trap == TimerVector {
		sliceArmed = false
		// Once a time slice, not at every entry (reading the TSC is a
		// costly helper call under emulation): a thread that never
		// blocks still lets the clock re-sync.
		maybeResync()
	}
}

// enterUser and the exits are in user_amd64.s.
func enterUser()

// KernelPML4Slots are the PML4 entries a process root copies from
// KernelRoot: the direct map, the heap window and the CPU driver's image.
var KernelPML4Slots = []int{int(uint64(DirectMap)>>39) & 511, int(heapBase>>39) & 511, 511}

// KernelRoot returns the physical address of this core's page-table root.
func KernelRoot() uint64 { return kernCR3 }

// MapUser maps the page at va in the address space root to the physical
// page pa with flags (pagetable bits; User is added), taking table pages
// from this core's pool. It reports false when memory runs out or a huge
// page is in the way.
func MapUser(root, va, pa, flags uint64) bool {
	return pagetableMap(root, va, pa, flags|4)
}

// UnmapUserKeep removes the mappings of [start, end) from the address
// space root without freeing their pages (frames the process does not own).
func UnmapUserKeep(root, start, end uint64) int {
	return pagetable.UnmapRange(&pool, root, start, end, false)
}

// UnmapUserFunc removes the mappings of [start, end) from the address
// space root and hands their pages to leaf.
func UnmapUserFunc(root, start, end uint64, leaf func(pa uint64)) int {
	return pagetable.UnmapRangeFunc(&pool, root, start, end, leaf)
}

// FlushTLB drops this core's TLB entries for the current address space.
func FlushTLB() { writeCR3(readCR3()) }

// FlushRange drops this core's TLB entries for [start, end) of the address
// space root: page by page (INVLPG) for a few pages when root is loaded,
// else as FlushTLB does; nothing when root is not loaded (its entries
// went when another root was loaded, and the kernel half is not touched).
func FlushRange(root, start, end uint64) {
	if readCR3()&^0xfff != root {
		return
	}
	if end-start > 16*4096 {
		FlushTLB()
		return
	}
	for va := start &^ 4095; va < end; va += 4096 {
		invlpg(uintptr(va))
	}
}

// ReleaseUserSpace frees an address space whose threads have all gone:
// every page mapped in its lower half goes to leaf, and its table pages
// and its root to table. If the root is still loaded (its last thread ran
// here last), this core moves to its own root first, so that no freed
// page stays in use as a page table.
func ReleaseUserSpace(root uint64, leaf, table func(pa uint64)) {
	if readCR3()&^0xfff == root {
		writeCR3(kernCR3)
	}
	pagetable.FreeLowerFunc(&pool, root, leaf, table)
	table(root)
}

// LeaveRoot moves this core to its own root if root is loaded, so that
// root's page (and, once no core has loaded it, the tables below it)
// can be freed. A core has no TLB entries of a root it does not have
// loaded (no PCIDs, and the lower half has no global pages).
func LeaveRoot(root uint64) {
	if readCR3()&^0xfff == root {
		writeCR3(kernCR3)
	}
}

// MapUserAlloc is MapUser taking the missing tables from alloc (see
// pagetable.MapAlloc) instead of this core's pool.
func MapUserAlloc(root, va, pa, flags uint64, alloc func(level int) uint64) pagetable.Status {
	return pagetable.MapAlloc(&pool, root, va, pa, flags|pagetable.User, alloc)
}
