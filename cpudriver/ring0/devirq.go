package ring0

// Device interrupts (docs/capabilities.md, "Devices"): the I/O APIC pin
// of global system interrupt g raises vector DeviceVectorBase+g on the
// core whose process holds the IRQ capability for it. Like a
// notification (notify.go), the interrupt carries no data and reaches Go
// code one of two ways:
//
//   - in ring 3, Run returns with Trap set to the vector, and package proc
//     rings the line's bell from the interrupted thread;
//   - in ring 0 (the idle loop's HLT), irqEntry sets devPending[g] and
//     notifyPending, and the notification eventfd's reader collects the
//     lines with TakeDeviceIRQs.
//
// An edge-triggered line is acknowledged at the LAPIC at once. A
// level-triggered one is not: package proc masks its pin at the I/O APIC
// when the interrupt reaches Go code, then acknowledges it (DeviceEOI),
// and unmasks it when its driver waits for the next one, so a device that
// keeps its line asserted raises no storm and no second interrupt. The driver acknowledges the device
// itself, through its IO capability or device memory.

// Device vectors.
const (
	DeviceVectorBase = 0x30 // vector of global system interrupt 0
	DeviceVectors    = 24   // GSIs 0-23: the first I/O APIC's pins
)

// devLevel[g] is set while GSI g is routed level-triggered: its
// interrupt is not acknowledged at the LAPIC on entry but by DeviceEOI,
// once package proc masked the pin, so that the still-asserted line is
// not delivered again at once. Written by Go code on this core with
// interrupts off; read by irqEntry and userExit.
var devLevel [DeviceVectors]uint8

// SetDeviceLevel records whether GSI g is routed level-triggered.
func SetDeviceLevel(g int, level bool) {
	if g >= 0 && g < DeviceVectors {
		devLevel[g] = 0
		if level {
			devLevel[g] = 1
		}
	}
}

// DeviceEOI acknowledges, at the LAPIC, the interrupt of a
// level-triggered device line whose pin was masked since it arrived.
func DeviceEOI() {
	if lapicEOI != 0 {
		*(*uint32)(at(lapicEOI)) = 0
	}
}

// devPending[g] is set by irqEntry when GSI g's vector arrives in ring 0.
// Only this core writes it: irqEntry (interrupts off, between HLT and the
// scheduler) and TakeDeviceIRQs (ring-0 Go code, interrupts off), so no
// atomics are needed.
var devPending [DeviceVectors]uint8

// TakeDeviceIRQs returns a mask of the GSIs whose interrupt arrived in
// ring 0 since the last call, and clears it.
func TakeDeviceIRQs() uint32 {
	var m uint32
	for g := range devPending {
		if devPending[g] != 0 {
			devPending[g] = 0
			m |= 1 << g
		}
	}
	return m
}

// IsDeviceVector reports whether v is a device vector; its GSI is
// v-DeviceVectorBase.
func IsDeviceVector(v uint64) bool {
	return v >= DeviceVectorBase && v < DeviceVectorBase+DeviceVectors
}
