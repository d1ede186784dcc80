package urpc

import (
	"testing"
	"time"
)

// napper is a Sleeper whose every Sleep lasts d.
type napper struct{ d time.Duration }

func (n *napper) Sleep(Event) { time.Sleep(n.d) }

// TestPacerAdapts checks the adaptive poll limit: a short sleep raises it to
// twice the sleep, never beyond maxPollGrowth times the base; a long sleep
// halves it, never below the base; a negative base never polls or adapts.
func TestPacerAdapts(t *testing.T) {
	const base = time.Millisecond
	never := func() bool { return false }
	var waiting uint64
	var p pacer
	if p.poll(base, never) || p.limit != base {
		t.Fatalf("first poll: limit %v, want %v", p.limit, base)
	}
	p.sleep(base, &waiting, &napper{3 * time.Millisecond}, DataEvent, never)
	if p.limit < 6*time.Millisecond || p.limit >= maxPollGrowth*base {
		t.Fatalf("after a 3 ms sleep the limit is %v, want about 6 ms", p.limit)
	}
	p.sleep(base, &waiting, &napper{12 * time.Millisecond}, DataEvent, never)
	if p.limit != maxPollGrowth*base {
		t.Fatalf("after a 12 ms sleep the limit is %v, want the cap %v", p.limit, maxPollGrowth*base)
	}
	p.sleep(base, &waiting, &napper{20 * time.Millisecond}, DataEvent, never)
	if p.limit != maxPollGrowth*base/2 {
		t.Fatalf("after a long sleep the limit is %v, want %v", p.limit, maxPollGrowth*base/2)
	}
	for range 8 {
		p.sleep(base, &waiting, &napper{20 * time.Millisecond}, DataEvent, never)
	}
	if p.limit != base {
		t.Fatalf("after long sleeps the limit is %v, want the base %v", p.limit, base)
	}
	if waiting != 0 {
		t.Fatal("waiting word left set")
	}
	var q pacer
	q.sleep(-1, &waiting, &napper{time.Millisecond}, DataEvent, never)
	if q.limit != 0 {
		t.Fatalf("a negative PollTime adapted the limit to %v", q.limit)
	}
}
