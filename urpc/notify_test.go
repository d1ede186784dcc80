package urpc

import (
	"sync/atomic"
	"testing"
	"time"
)

// countingBell is a Doorbell that counts its notifications.
type countingBell struct {
	*Doorbell
	n [2]atomic.Int64
}

func (c *countingBell) Notify(ev Event) {
	c.n[ev].Add(1)
	c.Doorbell.Notify(ev)
}

// countedPair returns a channel whose notifications to each side are
// counted.
func countedPair(t *testing.T, slots int) (a, b *Endpoint, toA, toB *countingBell) {
	mem := NewRegion(slots)
	toA, toB = &countingBell{Doorbell: NewDoorbell()}, &countingBell{Doorbell: NewDoorbell()}
	a, err := New(mem, SideA, Config{Notifier: toB, Sleeper: toA.Doorbell, PollTime: -1})
	if err != nil {
		t.Fatal(err)
	}
	b, err = New(mem, SideB, Config{Notifier: toA, Sleeper: toB.Doorbell, PollTime: -1})
	if err != nil {
		t.Fatal(err)
	}
	return a, b, toA, toB
}

// waitFor spins until *flag is 1, that is until a party announced a sleep.
func waitFor(t *testing.T, flag *uint64) {
	deadline := time.Now().Add(10 * time.Second)
	for atomic.LoadUint64(flag) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the party never went to sleep")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestNotifyOnlySleepers checks that a sender notifies only a sleeping
// receiver, and a batch of Posts once.
func TestNotifyOnlySleepers(t *testing.T) {
	a, b, _, toB := countedPair(t, 8)
	for i := 0; i < 5; i++ {
		if err := a.Send(uint16(i), []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		if _, err := b.TryRecv(); err != nil {
			t.Fatal(err)
		}
	}
	if n := toB.n[DataEvent].Load(); n != 0 {
		t.Fatalf("%d notifications to a receiver that never slept", n)
	}
	got := make(chan Message, 1)
	go func() {
		m, err := b.Recv()
		if err != nil {
			t.Error(err)
		}
		got <- m
	}()
	waitFor(t, &b.own.rxWaiting)
	for i := 0; i < 5; i++ {
		if err := a.Post(uint16(10+i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := toB.n[DataEvent].Load(); n != 0 {
		t.Fatalf("Post notified %d times before Flush", n)
	}
	a.Flush()
	a.Flush()
	if n := toB.n[DataEvent].Load(); n != 1 {
		t.Fatalf("a batch of 5 Posts and two Flushes notified %d times, want 1", n)
	}
	if m := <-got; m.Type != 10 {
		t.Fatalf("woken receiver got type %d, want 10", m.Type)
	}
}

// TestCreditWakeup checks that a sender sleeping on a full ring is woken by
// the receiver's ack.
func TestCreditWakeup(t *testing.T) {
	a, b, toA, _ := countedPair(t, 4)
	for i := 0; i < 4; i++ {
		if err := a.TryPost(uint16(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- a.Send(4, nil) }()
	waitFor(t, &a.own.txWaiting)
	for i := 0; i < 5; i++ {
		m, err := b.Recv()
		if err != nil || m.Type != uint16(i) {
			t.Fatalf("Recv %d: type %d, %v", i, m.Type, err)
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if toA.n[CreditEvent].Load() == 0 {
		t.Fatal("the sleeping sender was never notified")
	}
}
