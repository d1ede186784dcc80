package ring0

// Bodies in portio_amd64.s (16- and 32-bit) and cpu_amd64.s (8-bit).

func inw(port uint16) uint16
func inl(port uint16) uint32
func outl(port uint16, v uint32)
func outw(port uint16, v uint16)

// PortIn reads width (1, 2 or 4) bytes from I/O port port. It is the
// CPU driver's half of an IO capability invocation: the caller has
// checked that the invoking process holds the port.
func PortIn(port uint16, width int) uint32 {
	switch width {
	case 1:
		return uint32(inb(port))
	case 2:
		return uint32(inw(port))
	}
	return inl(port)
}

// PortOut writes the low width (1, 2 or 4) bytes of v to I/O port port
// (see PortIn).
func PortOut(port uint16, width int, v uint32) {
	switch width {
	case 1:
		outb(port, uint8(v))
	case 2:
		outw(port, uint16(v))
	default:
		outl(port, v)
	}
}

func outsb(port uint16, p *byte, n uintptr)

// PortWrite writes b to I/O port port a byte at a time, with one string
// instruction (REP OUTSB): the trace's way to QEMU's debug console.
func PortWrite(port uint16, b []byte) {
	if len(b) > 0 {
		outsb(port, &b[0], uintptr(len(b)))
	}
}
