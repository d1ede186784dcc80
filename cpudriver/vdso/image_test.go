package vdso

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/arch/x86/x86asm"

	"multikernel/cpudriver/vdso/internal/ccall"
)

// TestHashes: the hashes Go's runtime looks the symbol and the version up
// by (runtime/vdso_linux_amd64.go) are what ElfHash gives.
func TestHashes(t *testing.T) {
	if h := ElfHash(ClockGettime); h != 0xd35ec75 {
		t.Errorf("ElfHash(%s) = %#x, want 0xd35ec75", ClockGettime, h)
	}
	if h := ElfHash(Version); h != 0x3ae75f6 {
		t.Errorf("ElfHash(%s) = %#x, want 0x3ae75f6", Version, h)
	}
}

// lookup finds a symbol of version ver in an image as Go's runtime does
// (runtime/vdso_linux.go): the first PT_LOAD's offset, PT_DYNAMIC, the
// hash table's chain from the symbol's bucket, the name, the version
// index from DT_VERSYM matching DT_VERDEF's entry for ver. It returns the
// symbol's offset in the image.
func lookup(t *testing.T, b []byte, sym, ver string) uint64 {
	t.Helper()
	le := binary.LittleEndian
	if string(b[:4]) != "\x7fELF" || b[4] != 2 || le.Uint16(b[16:]) != etDyn || le.Uint16(b[18:]) != emX86_64 {
		t.Fatalf("not an x86-64 ELF64 shared object")
	}
	phoff, phnum := le.Uint64(b[32:]), le.Uint16(b[56:])
	var load, dyn uint64
	var haveLoad bool
	for i := uint64(0); i < uint64(phnum); i++ {
		p := b[phoff+i*phdrSize:]
		switch le.Uint32(p) {
		case ptLoad:
			if !haveLoad {
				load, haveLoad = le.Uint64(p[8:])-le.Uint64(p[16:]), true
			}
		case ptDynamic:
			dyn = le.Uint64(p[8:])
		}
	}
	if !haveLoad || dyn == 0 {
		t.Fatalf("no PT_LOAD or PT_DYNAMIC")
	}
	tags := map[uint64]uint64{}
	for d := b[dyn:]; le.Uint64(d) != dtNull; d = d[dynEntrySize:] {
		tags[le.Uint64(d)] = le.Uint64(d[8:]) + load
	}
	str := func(off uint32) string {
		s := b[tags[dtStrtab]+uint64(off):]
		return string(s[:strings.IndexByte(string(s), 0)])
	}
	// The version's index.
	vidx := -1
	for v := b[tags[dtVerdef]:]; ; {
		aux := le.Uint32(v[12:])
		if le.Uint16(v[2:])&verFlagBase == 0 && le.Uint32(v[8:]) == ElfHash(ver) && str(le.Uint32(v[aux:])) == ver {
			vidx = int(le.Uint16(v[4:]) & 0x7fff)
		}
		next := le.Uint32(v[16:])
		if next == 0 {
			break
		}
		v = v[next:]
	}
	if vidx < 0 {
		t.Fatalf("no version %s", ver)
	}
	h := b[tags[dtHash]:]
	nbucket := le.Uint32(h)
	chain := func(i uint32) uint32 { return le.Uint32(h[8+4*nbucket+4*i:]) }
	for i := le.Uint32(h[8+4*(ElfHash(sym)%nbucket):]); i != 0; i = chain(i) {
		s := b[tags[dtSymtab]+uint64(i)*symSize:]
		info := s[4]
		if info&0xf != sttFunc || info>>4 != stbGlobal || le.Uint16(s[6:]) == 0 || str(le.Uint32(s)) != sym {
			continue
		}
		if v := int(le.Uint16(b[tags[dtVersym]+2*uint64(i):]) & 0x7fff); v != vidx {
			t.Fatalf("%s has version index %d, want %d", sym, v, vidx)
		}
		return le.Uint64(s[8:])
	}
	t.Fatalf("no symbol %s", sym)
	return 0
}

// TestImageLookup: Go's runtime finds __vdso_clock_gettime@LINUX_2.6 in
// the image, at the code, and the code reads the data page it is given.
func TestImageLookup(t *testing.T) {
	b := Image(DataVA)
	if len(b) != PageSize {
		t.Fatalf("image of %d bytes, want a page", len(b))
	}
	if off := lookup(t, b, ClockGettime, Version); off != textAt {
		t.Errorf("symbol at %#x, want %#x", off, textAt)
	}
	if got := binary.LittleEndian.Uint64(b[textAt+dataAt:]); got != DataVA {
		t.Errorf("the code reads %#x, want %#x", got, DataVA)
	}
}

// TestCodeListing: the code decodes to the instructions its listing in
// image.go names, every one family 10h has (no instruction past SSE2, no
// RDTSCP), and ends in RET.
func TestCodeListing(t *testing.T) {
	want := []string{"XOR", "CMP", "JE", "CMP", "JE", "CMP", "JE", "MOV", "TEST", "JE", "CMP", "JE", "CMP", "JE",
		"MOV", "SYSCALL", "RET", "MOV", "MOV", "TEST", "JNE", "CMP", "JNE", "RDTSC", "SHL", "OR", "SUB", "MUL",
		"SHRD", "TEST", "JE", "ADD", "CMP", "JNE", "MOV", "XOR", "DIV", "MOV", "MOV", "XOR", "RET"}
	code := Image(DataVA)[textAt : textAt+len(clockGettime)]
	var got []string
	for pc := 0; pc < len(code); {
		in, err := x86asm.Decode(code[pc:], 64)
		if err != nil {
			t.Fatalf("at %#x: %v", pc, err)
		}
		got = append(got, in.Op.String())
		pc += in.Len
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("code decodes to\n%v\nwant\n%v", got, want)
	}
}

// TestCodeRuns runs the code on the host, with a data page of its own:
// with mode ModeTSC it computes the CPU driver's formula from the TSC
// (checked between two TSC reads), adds the epoch for CLOCK_REALTIME,
// and gives other clocks and another mode to the system call.
func TestCodeRuns(t *testing.T) {
	page, err := syscall.Mmap(-1, 0, 2*PageSize, syscall.PROT_READ|syscall.PROT_WRITE|syscall.PROT_EXEC, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		t.Skipf("no executable memory on this host: %v", err)
	}
	defer syscall.Munmap(page)
	data, code := page[:PageSize], page[PageSize:]
	copy(code, Image(uint64(uintptr(unsafe.Pointer(&data[0])))))
	fn := uintptr(unsafe.Pointer(&code[textAt]))
	base := ccall.Rdtsc() - 1e9
	const mult = 3 << 31 // 1.5 ns per cycle
	const epoch = 1_700_000_000_000_000_000
	fillData(data, base, mult, epoch, ModeTSC)
	formula := func(tsc uint64) int64 {
		hi, lo := bits.Mul64(tsc-base, mult)
		return int64(hi<<32 | lo>>32)
	}
	var ts syscall.Timespec
	for _, c := range []struct {
		clock uintptr
		add   int64
	}{{1, 0}, {4, 0}, {7, 0}, {0, epoch}, {8, epoch}, {11, epoch}} {
		before := ccall.Rdtsc()
		r := ccall.Call2(fn, c.clock, uintptr(unsafe.Pointer(&ts)))
		after := ccall.Rdtsc()
		ns := ts.Nano()
		if r != 0 || ns < formula(before)+c.add || ns > formula(after)+c.add || ts.Nsec >= 1e9 {
			t.Errorf("clock %d: %d, %d s %d ns; want between %d and %d", c.clock, r, ts.Sec, ts.Nsec, formula(before)+c.add, formula(after)+c.add)
		}
	}
	// CLOCK_PROCESS_CPUTIME_ID is the system call's: this process's CPU
	// time, far from the made-up clock.
	if r := ccall.Call2(fn, 2, uintptr(unsafe.Pointer(&ts))); r != 0 || ts.Sec > 1e6 {
		t.Errorf("CPU-time clock: %d, %d s", r, ts.Sec)
	}
	// Another mode: the system call's monotonic clock.
	binary.LittleEndian.PutUint32(data[OffMode:], 0)
	var real syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 1, uintptr(unsafe.Pointer(&real)), 0)
	r := ccall.Call2(fn, 1, uintptr(unsafe.Pointer(&ts)))
	if d := time.Duration(ts.Nano() - real.Nano()); r != 0 || d < 0 || d > time.Second {
		t.Errorf("mode 0: %d, %v from the system call's clock", r, d)
	}
}

// fillData fills a clock data page as cpudriver/ring0 does for a core whose clock is base, mult and
// epoch (cpudriver/ring0's time base), with seq even.
func fillData(page []byte, base, mult uint64, epoch int64, mode uint32) {
	le := binary.LittleEndian
	le.PutUint32(page[OffSeq:], 0)
	le.PutUint64(page[OffBase:], base)
	le.PutUint64(page[OffMult:], mult)
	le.PutUint64(page[OffEpoch:], uint64(epoch))
	le.PutUint32(page[OffMode:], mode)
}
