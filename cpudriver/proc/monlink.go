package proc

import (
	"sync"
	"sync/atomic"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc"
	"multikernel/urpc/if/kernmon"
)

// The CPU driver's channel to this core's monitor (interface kernmon,
// docs/urpc.md): a frame of this core's memory, made when the monitor
// starts and mapped into it when it asks for its channel to its own core
// (SysChannel with its own core number). The CPU driver only sends on it.
// Both parties are on this core, so neither polls: the CPU driver rings
// the core's bell, and the monitor's notification of its own core rings
// the CPU driver's doorbell.
var monLink struct {
	mu   sync.Mutex // orders senders; guards pa and b
	pa   uint64     // the frame; 0 until the monitor starts
	b    *kernmon.Binding
	bell atomic.Pointer[urpc.Doorbell] // the CPU driver's side sleeps on it
}

// coreBell is a urpc.Notifier that rings this core's notification bell,
// which wakes every process waiting in SysWait here.
type coreBell struct{}

func (coreBell) Notify(urpc.Event) { notifyBell.ring() }

// newMonLink makes the channel to the monitor, before it runs.
func newMonLink() error {
	pa := ring0.AllocPage()
	if pa == 0 {
		return errNoMemory
	}
	bell := urpc.NewDoorbell()
	ep, err := urpc.New(ring0.PhysBytes(pa, kpi.ChannelSize), urpc.SideA,
		urpc.Config{Notifier: coreBell{}, Sleeper: bell, PollTime: -1, MaxMessage: kernmon.MaxMessage})
	if err != nil {
		ring0.FreePage(pa)
		return err
	}
	monLink.mu.Lock()
	monLink.pa, monLink.b = pa, kernmon.NewBinding(ep, nil)
	monLink.mu.Unlock()
	monLink.bell.Store(bell)
	return nil
}

// tellMonitor sends one kernmon message with send; false if there is no
// monitor channel. It may wait while the monitor's ring is full.
func tellMonitor(send func(b *kernmon.Binding) error) bool {
	monLink.mu.Lock()
	defer monLink.mu.Unlock()
	if monLink.b == nil {
		return false
	}
	if err := send(monLink.b); err != nil {
		Console("cpudriver: telling the monitor: " + err.Error() + "\n")
		return false
	}
	return true
}

// localNotify is a notification of this core by one of its processes:
// it rings the bell (the monitor and programs waiting here) and the CPU
// driver's doorbell (its end of the monitor channel).
func localNotify() {
	notifyBell.ring()
	if b := monLink.bell.Load(); b != nil {
		b.Notify(urpc.DataEvent)
		b.Notify(urpc.CreditEvent)
	}
}
