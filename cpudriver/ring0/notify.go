package ring0

// Notifications (docs/decisions.md, 8): a URPC sender whose receiver on
// another core may be asleep asks its CPU driver to raise NotifyVector on
// that core. The interrupt carries no data; it only says "look at your
// channels". Where it lands decides how it reaches Go code:
//
//   - in ring 3 (a user thread was running), Run returns with Trap =
//     NotifyVector and package proc rings its bell directly;
//   - in ring 0 (only the idle loop's HLT takes interrupts), irqEntry sets
//     notifyPending, and the scheduler, once HLT returns, adds one to the
//     notification eventfd and restarts the runtime's epoll_pwait, so the
//     goroutine reading that file (proc's listener) wakes up.
//
// A notification raised while the core runs ring-0 code with interrupts
// off waits in the local APIC until the next HLT or entry to ring 3, so
// none is lost; several may merge into one, which is all a receiver needs
// (it rechecks every channel it waits on).

// NotifyVector is the interrupt vector of notification IPIs.
const NotifyVector = 0xF0

var (
	notifyPending uint32 // set by irqEntry; this core's copy
	notifyFd      = -1   // the notification eventfd, once NotifyFd made it
)

// NotifyFd returns this core's notification eventfd (non-blocking, close
// on exec), creating it on the first call; -1 if the descriptor table is
// full. Reading it returns how many notifications arrived in ring 0 since
// the last read.
func NotifyFd() int {
	if notifyFd < 0 {
		if fd := eventfdCreate(0, 0x800|0x80000); int64(fd) >= 0 {
			notifyFd = int(fd)
		}
	}
	return notifyFd
}

// deliverNotify hands a notification that arrived in ring 0 to the
// eventfd's reader. The scheduler calls it after every HLT.
//
//go:nosplit
func deliverNotify() {
	if notifyPending == 0 {
		return
	}
	notifyPending = 0
	if d := fdGet(notifyFd); d != nil && d.kind == fdEventfd {
		d.count++
		wakeEpoll()
	}
}

// SendNotify raises NotifyVector on the core whose local APIC id is apic
// (fixed delivery, physical destination, edge triggered).
func SendNotify(apic uint32) {
	SendIPI(apic, 1<<14|NotifyVector)
}
