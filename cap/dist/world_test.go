package dist

import (
	"fmt"
	"slices"
)

// The explorer's world: three monitors, the FIFO channels between them,
// and around each operation what a core's monitor does (monitor/caps.go,
// monitor/realcaps.go): it sends the broadcasts along the operation's
// tree, each inner core passing them on to its children (capfwd), and it
// retries an operation refused as busy with the same id.

const (
	nCores = 3
	nOps   = 2
	// chanCap bounds the messages on one channel. Per operation at most
	// two share it: an attempt's Prepare, then its Commit or Abort; or an
	// Abort and the next attempt's Prepare; or, to the coordinator, one
	// vote. (Votes and broadcasts of one operation never share a channel:
	// broadcasts flow away from the coordinator, votes towards it.)
	chanCap = 4
)

// maxTries bounds the attempts of an operation refused as busy, the first
// included (the monitor's bound is 200). Set by the test from -short.
var maxTries uint8 = 3

// fifo is one directed channel.
type fifo struct {
	n   uint8
	msg [chanCap]Msg
}

// phase is where an operation is.
type phase uint8

const (
	pending phase = iota // not started yet, or refused as busy and to be retried
	running              // an attempt runs: its coordinator has not reported its result
	ended                // its final result is in res
)

// world is one global state. It is a comparable value: the explorer copies
// it for every successor and hashes it (key) to recognise states it has
// seen.
type world struct {
	mon     [nCores]Monitor[pages]
	ch      [nCores][nCores]fifo // ch[from][to]; a forwarded broadcast travels on its forwarder's
	phase   [nOps]phase
	tries   [nOps]uint8 // attempts started
	late    [nOps]bool  // the last attempt started after the other operation committed
	overlap [nOps]bool  // the other operation was under way at some time during the last attempt
	res     [nOps]Result
	order   [nOps]uint8 // 1 for the first commit, 2 for the second; 0: not committed
	commits uint8
}

// route is how an operation's coordinator sends its broadcasts (Prepare,
// Commit, Abort): a tree rooted at the coordinator. Votes always go
// straight back.
type route uint8

const (
	unicast   route = iota // the coordinator sends to every core
	chainUp                // coordinator c sends to c+1, which forwards to c+2 (modulo nCores)
	chainDown              // coordinator c sends to c-1, which forwards to c-2
)

func (r route) String() string { return [...]string{"unicast", "up", "down"}[r] }

// parent returns core c's parent in the tree r rooted at root, or root
// itself for c == root.
func (r route) parent(root, c uint8) uint8 {
	switch {
	case c == root || r == unicast:
		return root
	case r == chainUp:
		return (c + nCores - 1) % nCores
	default:
		return (c + 1) % nCores
	}
}

// holding is who holds copies of the object at the start.
type holding struct {
	copies [nCores]uint8 // the copies each core holds
	owner  uint8
}

// holdings are the starting points of the scenarios. The second has an
// owner that keeps another copy when it deletes one and is not the lowest
// core holding a copy, so a delete that forgets the other copy moves the
// ownership; the third an owner whose last copy goes to a higher core.
var holdings = [...]holding{
	{[nCores]uint8{1, 1, 1}, 0}, // every core one copy
	{[nCores]uint8{2, 2, 0}, 1}, // cores 0 and 1 two copies each, core 2 none
	{[nCores]uint8{1, 0, 1}, 0}, // cores 0 and 2 one copy each
}

// scenario is the initial state and the two operations that race.
type scenario struct {
	ops   [nOps]Op
	route [nOps]route
	hold  uint8 // index into holdings
	pre   bool  // core 2 holds a descendant on page 7 from the start
}

func (s scenario) String() string {
	k := func(i int) string {
		o := s.ops[i]
		return fmt.Sprintf("%v%v@%d/%v", o.Kind, o.Range, o.ID.Core, s.route[i])
	}
	h := holdings[s.hold]
	return fmt.Sprintf("%s vs %s copies=%v owner=%d pre=%v", k(0), k(1), h.copies, h.owner, s.pre)
}

// index returns the scenario's operation with id, or -1.
func (s scenario) index(id OpID) int {
	for i := range s.ops {
		if s.ops[i].ID == id {
			return i
		}
	}
	return -1
}

func (s scenario) initial() world {
	var w world
	for c := range uint8(nCores) {
		h := holdings[s.hold]
		w.mon[c] = New(c, FirstCores(nCores), h.owner, pages{copies: h.copies[c]})
	}
	if s.pre {
		w.mon[2].local.by[7] = preexisting
	}
	return w
}

// start begins an attempt of operation i (the first, or a retry with the
// same id).
func (w *world) start(s scenario, i int) error {
	j := 1 - i
	w.phase[i], w.late[i], w.overlap[i] = running, w.order[j] != 0, w.underWay(s, j)
	if w.phase[j] == running {
		w.overlap[j] = true
	}
	w.tries[i]++
	op := s.ops[i]
	out, res := w.mon[op.ID.Core].Start(op)
	overtake := testMutation == mutRetryOvertakes && w.tries[i] > 1
	return w.after(s, op.ID.Core, out, res, overtake)
}

// deliver hands the first message on channel from→to to its receiver. A
// broadcast that came along a tree is first passed on to the receiver's
// children, as the monitor's capfwd handler does.
func (w *world) deliver(s scenario, from, to int) error {
	q := &w.ch[from][to]
	msg := q.msg[0]
	copy(q.msg[:], q.msg[1:q.n])
	q.n--
	q.msg[q.n] = Msg{}
	if broadcasts(msg.Kind) && msg.To != msg.Op.ID.Core && testMutation != mutDropChild {
		if err := w.forward(s, msg); err != nil {
			return err
		}
	}
	out, res, err := w.mon[to].Handle(msg)
	if err != nil {
		return err // the protocol sent a message its receiver refused
	}
	return w.after(s, uint8(to), out, res, false)
}

// forward passes a broadcast on to the children of its receiver in the
// operation's tree. The copies keep the coordinator as their sender.
func (w *world) forward(s scenario, msg Msg) error {
	i := s.index(msg.Op.ID)
	if i < 0 {
		return fmt.Errorf("broadcast of an unknown operation %v", msg.Op.ID)
	}
	root, at := msg.Op.ID.Core, msg.To
	for c := range uint8(nCores) {
		if c != root && c != at && s.route[i].parent(root, c) == at {
			fwd := msg
			fwd.To = c
			if err := w.push(at, fwd, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// broadcasts reports whether kind is one a coordinator sends to every
// core.
func broadcasts(kind MsgKind) bool {
	return kind == Prepare || kind == Commit || kind == Abort
}

// push puts m at the end of the channel from core at to m.To, or at its
// front (breaking FIFO order) when front is set.
func (w *world) push(at uint8, m Msg, front bool) error {
	q := &w.ch[at][m.To]
	if q.n == chanCap {
		return fmt.Errorf("channel %d→%d overflows", at, m.To)
	}
	if front {
		copy(q.msg[1:], q.msg[:q.n])
		q.msg[0] = m
	} else {
		q.msg[q.n] = m
	}
	q.n++
	return nil
}

// after sends what core at's monitor returned and records a result. A
// coordinator's broadcast goes only to its children in the operation's
// tree (and to itself); the others get it from their parents. A result
// refused as busy is retried later (a pending start) until maxTries;
// a final abort must be justified (justify). With front set the messages
// overtake those already on their channels.
func (w *world) after(s scenario, at uint8, out []Msg, res *Result, front bool) error {
	for _, m := range out {
		if broadcasts(m.Kind) && m.To != at {
			i := s.index(m.Op.ID)
			if i < 0 {
				return fmt.Errorf("broadcast of an unknown operation %v", m.Op.ID)
			}
			if s.route[i].parent(at, m.To) != at {
				continue // it reaches m.To along the tree
			}
		}
		if err := w.push(at, m, front); err != nil {
			return err
		}
	}
	if res == nil {
		return nil
	}
	i := s.index(res.Op.ID)
	switch {
	case i < 0:
		return fmt.Errorf("result for an unknown operation %v", res.Op.ID)
	case w.phase[i] != running:
		return fmt.Errorf("operation %d ended twice", i)
	case res.Reason == Busy && !w.overlap[i]:
		return fmt.Errorf("operation %d refused as busy, but nothing else was under way", i)
	case res.Reason == Busy && w.tries[i] < maxTries:
		w.phase[i] = pending // the monitor waits a little and retries with the same id
		return nil
	}
	w.phase[i], w.res[i] = ended, *res
	if !res.Committed {
		return justify(s, w, i)
	}
	w.commits++
	w.order[i] = w.commits
	return nil
}

// underWay reports whether operation i runs, or a core still holds or
// queues it, or a message of it is in flight.
func (w *world) underWay(s scenario, i int) bool {
	if w.phase[i] == running {
		return true
	}
	id := s.ops[i].ID
	for c := range w.mon {
		m := &w.mon[c]
		if m.held.ID == id || m.findCoord(id) >= 0 || slices.ContainsFunc(m.waiting[:], func(op Op) bool { return op.ID == id }) {
			return true
		}
	}
	for from := range w.ch {
		for to := range w.ch[from] {
			q := &w.ch[from][to]
			if slices.ContainsFunc(q.msg[:q.n], func(m Msg) bool { return m.Op.ID == id }) {
				return true
			}
		}
	}
	return false
}

// quiet reports whether no message is in flight.
func (w *world) quiet() bool {
	for from := range w.ch {
		for to := range w.ch[from] {
			if w.ch[from][to].n != 0 {
				return false
			}
		}
	}
	return true
}
