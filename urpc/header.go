package urpc

// Header (word 7) layout; see the package documentation.
const (
	epochBit    = 1 << 0
	contBit     = 1 << 1
	reservedBit = 0xfffc // bits 2-15
	typeShift   = 16
	typeMask    = 0xffff
	argShift    = 32 // length in a first slot, fragment index after it
	argMask     = 1<<24 - 1
	seqShift    = 56
)

// header is a decoded word 7.
type header uint64

// makeHeader builds the word 7 of slot seq carrying epoch, type typ and arg
// (length or fragment index).
func makeHeader(epoch uint64, cont bool, typ uint16, arg int, seq uint64) uint64 {
	h := epoch | uint64(typ)<<typeShift | uint64(arg)<<argShift | (seq&0xff)<<seqShift
	if cont {
		h |= contBit
	}
	return h
}

func (h header) epoch() uint64 { return uint64(h) & epochBit }
func (h header) cont() bool    { return uint64(h)&contBit != 0 }
func (h header) typ() uint16   { return uint16(uint64(h) >> typeShift & typeMask) }
func (h header) arg() int      { return int(uint64(h) >> argShift & argMask) }
func (h header) seq() uint8    { return uint8(uint64(h) >> seqShift) }

// slotsFor returns the number of slots a message of n bytes takes.
func slotsFor(n int) int {
	if n <= PayloadSize {
		return 1
	}
	return (n + PayloadSize - 1) / PayloadSize
}
