// Package monlink is the CPU driver's side of its channel to this core's
// monitor (interface kernmon, docs/urpc.md), and what the CPU driver
// knows of the other cores (Machine). The channel is a frame of this
// core's memory, made when the monitor starts and mapped into it when it
// asks for its channel to its own core (SysChannel with its own core
// number). The CPU driver only sends on it: requests it waits for
// (memory from the service, capability operations across cores) are
// numbered by a WaitTable, and the monitor's answers come back as native
// calls that name the request. Both parties are on this core, so
// neither polls: the CPU driver rings the core's notification bell, and
// the monitor's notification of its own core rings the CPU driver's
// doorbell.
package monlink

import (
	"errors"
	"sync"
	"sync/atomic"

	"multikernel/cpudriver/klog"
	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/notify"
	"multikernel/cpudriver/ring0"
	"multikernel/urpc"
	"multikernel/urpc/if/kernmon"
)

// link is the channel; one per core.
var link struct {
	mu   sync.Mutex // orders senders; guards pa and b
	pa   uint64     // the frame; 0 until the monitor starts
	b    *kernmon.Binding
	bell atomic.Pointer[urpc.Doorbell] // the CPU driver's side sleeps on it
}

// coreBell is a urpc.Notifier that rings this core's notification bell,
// which wakes every process waiting in SysWait here.
type coreBell struct{}

// Notify rings the core's notification bell.
func (coreBell) Notify(urpc.Event) { notify.Core.Ring() }

// Open makes the channel to the monitor, before the monitor runs.
func Open() error {
	pa := ring0.AllocPage()
	if pa == 0 {
		return errors.New("out of memory")
	}
	bell := urpc.NewDoorbell()
	ep, err := urpc.New(ring0.PhysBytes(pa, kpi.ChannelSize), urpc.SideA,
		urpc.Config{Notifier: coreBell{}, Sleeper: bell, PollTime: -1, MaxMessage: kernmon.MaxMessage})
	if err != nil {
		ring0.FreePage(pa)
		return err
	}
	link.mu.Lock()
	link.pa, link.b = pa, kernmon.NewBinding(ep, nil)
	link.mu.Unlock()
	link.bell.Store(bell)
	return nil
}

// Frame returns the channel's frame, 0 before Open.
func Frame() uint64 {
	link.mu.Lock()
	defer link.mu.Unlock()
	return link.pa
}

// Tell sends one kernmon message with send; false if there is no monitor
// channel. It may wait while the monitor's ring is full, so callers hold
// none of the CPU driver's locks.
func Tell(send func(b *kernmon.Binding) error) bool {
	link.mu.Lock()
	defer link.mu.Unlock()
	if link.b == nil {
		return false
	}
	if err := send(link.b); err != nil {
		klog.Printf("cpudriver: telling the monitor: %v", err)
		return false
	}
	return true
}

// NotifyLocal is a notification of this core by one of its processes: it
// rings the core's bell (the monitor and programs waiting here) and the
// CPU driver's doorbell (its end of the monitor channel).
func NotifyLocal() {
	notify.Core.Ring()
	if b := link.bell.Load(); b != nil {
		b.Notify(urpc.DataEvent)
		b.Notify(urpc.CreditEvent)
	}
}
