package ring0

import (
	"sync/atomic"
	"unsafe"
)

// The console: COM1 (16550 UART, 115200 8N1, programmed by the loader)
// mirrored onto the VGA text screen. Writers on all cores serialise whole
// writes with a spinlock in the shared region (once it exists), so lines
// from different cores never interleave within a write.

const (
	com1      = 0x3F8
	vgaPhys   = 0xB8000
	vgaCols   = 80
	vgaRows   = 25
	vgaColour = 0x07
)

// shared is the virtual address of the region all cores map (0 until the
// bootstrap core sets it up). Its layout is SharedArea.
var shared uintptr

// SharedArea is the start of the memory every core maps: the only memory
// cores write in common. Every field is accessed with atomic operations
// (or under ConsoleLock for the VGA cursor).
type SharedArea struct {
	ConsoleLock uint32
	_           uint32
	VGAPos      uint64 // next VGA cell, guarded by ConsoleLock
}

// SetShared makes this core use the shared area at virtual address va for
// its console lock and VGA cursor, carrying its own cursor over (the
// bootstrap core calls it before any other core runs).
func SetShared(va uintptr) {
	(*SharedArea)(at(va)).VGAPos = vgaPos
	shared = va
}

//go:nosplit
func sharedArea() *SharedArea {
	return (*SharedArea)(at(shared))
}

// consoleHeld is set while this core holds the console lock for a
// multi-line report (printOops), so that the writes inside do not take it
// again.
var consoleHeld bool

//go:nosplit
func consoleLock() {
	if shared == 0 || consoleHeld {
		return
	}
	l := &sharedArea().ConsoleLock
	for !atomic.CompareAndSwapUint32(l, 0, 1) {
		pause()
	}
}

//go:nosplit
func consoleUnlock() {
	if shared == 0 || consoleHeld {
		return
	}
	atomic.StoreUint32(&sharedArea().ConsoleLock, 0)
}

// consoleWrite writes n bytes at p to the serial port and the VGA screen.
//
//go:nosplit
func consoleWrite(p uintptr, n int) {
	consoleLock()
	for i := 0; i < n; i++ {
		c := *(*byte)(at(p + uintptr(i)))
		putc(c)
	}
	consoleUnlock()
}

// putc writes one byte; "\n" becomes "\r\n" on the serial line.
//
//go:nosplit
func putc(c byte) {
	if c == '\n' {
		serialPut('\r')
	}
	serialPut(c)
	vgaPut(c)
}

//go:nosplit
func serialPut(c byte) {
	for i := 0; i < 100000 && inb(com1+5)&0x20 == 0; i++ {
		pause()
	}
	outb(com1, c)
}

// vgaPos is the cursor when there is no shared area yet.
var vgaPos uint64

//go:nosplit
func vgaPut(c byte) {
	pos := &vgaPos
	if shared != 0 {
		pos = &sharedArea().VGAPos
	}
	screen := (*[vgaRows * vgaCols]uint16)(at(DirectMap + vgaPhys))
	p := *pos
	switch c {
	case '\n':
		p = (p/vgaCols + 1) * vgaCols
	case '\r':
		p = p / vgaCols * vgaCols
	default:
		screen[p%(vgaRows*vgaCols)] = uint16(c) | vgaColour<<8
		p++
	}
	if p >= vgaRows*vgaCols {
		for i := 0; i < (vgaRows-1)*vgaCols; i++ {
			screen[i] = screen[i+vgaCols]
		}
		for i := (vgaRows - 1) * vgaCols; i < vgaRows*vgaCols; i++ {
			screen[i] = ' ' | vgaColour<<8
		}
		p = (vgaRows - 1) * vgaCols
	}
	*pos = p
}

// Messages from ring 0 are assembled in lineBuf and written one line at a
// time, so that they never interleave with other cores' output mid-line.
var (
	lineBuf [160]byte
	lineLen int
)

// kprint appends a string to the current line; a newline writes it out.
//
//go:nosplit
func kprint(s string) {
	for i := 0; i < len(s); i++ {
		kputc(s[i])
	}
}

//go:nosplit
func kputc(c byte) {
	if lineLen >= len(lineBuf) {
		kflush()
	}
	lineBuf[lineLen%len(lineBuf)] = c
	lineLen++
	if c == '\n' {
		kflush()
	}
}

//go:nosplit
func kflush() {
	if lineLen > 0 {
		consoleWrite(uintptr(unsafe.Pointer(&lineBuf)), lineLen)
		lineLen = 0
	}
}

// printHex appends v as 0x followed by 16 hex digits.
//
//go:nosplit
func printHex(v uint64) {
	kputc('0')
	kputc('x')
	for i := 15; i >= 0; i-- {
		kputc("0123456789abcdef"[(v>>(4*uint(i)))&15])
	}
}

// printHex2 appends a byte as two hex digits.
//
//go:nosplit
func printHex2(b byte) {
	kputc("0123456789abcdef"[b>>4])
	kputc("0123456789abcdef"[b&15])
}

// printDec appends v in decimal.
//
//go:nosplit
func printDec(v uint64) {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 || i == 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		kputc(b[i])
	}
}

// WriteConsole writes b to the console as one unit (package cpudriver).
func WriteConsole(b []byte) {
	if len(b) > 0 {
		consoleWrite(uintptr(unsafe.Pointer(&b[0])), len(b))
	}
}

// SharedVA returns the shared area's address (0 until it is set).
func SharedVA() uintptr { return shared }

// ReadSerial returns a byte received on COM1, if one is waiting (16550
// line status register bit 0: data ready). Package cpudriver's console
// input polls it; there is no receive interrupt yet.
func ReadSerial() (byte, bool) {
	if inb(com1+5)&1 == 0 {
		return 0, false
	}
	return inb(com1), true
}
