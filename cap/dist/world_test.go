package dist

import "fmt"

// The explorer's world: three monitors and the FIFO channels between them.

const (
	nCores  = 3
	nOps    = 2
	chanCap = 4 // per operation at most two messages (prepare, then commit or abort) share a channel
)

// fifo is one directed channel.
type fifo struct {
	n   uint8
	msg [chanCap]Msg
}

// world is one global state. It is a comparable value: the explorer copies
// it for every successor and hashes it to recognise states it has seen.
type world struct {
	mon     [nCores]Monitor[pages]
	ch      [nCores][nCores]fifo
	started [nOps]bool
	done    [nOps]bool
	res     [nOps]Result
	order   [nOps]uint8 // 1 for the first commit, 2 for the second; 0: not committed
	commits uint8
}

// scenario is the initial state and the two operations that race.
type scenario struct {
	ops [nOps]Op
	pre bool // core 2 holds a descendant on page 7 from the start
}

func (s scenario) String() string {
	k := func(o Op) string { return fmt.Sprintf("%v%v@%d", o.Kind, o.Range, o.ID.Core) }
	return fmt.Sprintf("%s vs %s pre=%v", k(s.ops[0]), k(s.ops[1]), s.pre)
}

func (s scenario) initial() world {
	var w world
	for c := range uint8(nCores) {
		w.mon[c] = New(c, FirstCores(nCores), 0, pages{copy: true})
	}
	if s.pre {
		w.mon[2].local.by[7] = preexisting
	}
	return w
}

// start begins operation i.
func (w *world) start(s scenario, i int) error {
	w.started[i] = true
	op := s.ops[i]
	out, res := w.mon[op.ID.Core].Start(op)
	return w.after(s, out, res)
}

// deliver hands the first message on channel from→to to its receiver.
func (w *world) deliver(s scenario, from, to int) error {
	q := &w.ch[from][to]
	msg := q.msg[0]
	copy(q.msg[:], q.msg[1:q.n])
	q.n--
	q.msg[q.n] = Msg{}
	out, res, err := w.mon[to].Handle(msg)
	if err != nil {
		return err // the protocol sent a message its receiver refused
	}
	return w.after(s, out, res)
}

func (w *world) after(s scenario, out []Msg, res *Result) error {
	for _, m := range out {
		q := &w.ch[m.From][m.To]
		if q.n == chanCap {
			return fmt.Errorf("channel %d→%d overflows", m.From, m.To)
		}
		q.msg[q.n] = m
		q.n++
	}
	if res == nil {
		return nil
	}
	for i := range s.ops {
		if s.ops[i].ID == res.Op.ID {
			if w.done[i] {
				return fmt.Errorf("operation %d ended twice", i)
			}
			w.done[i], w.res[i] = true, *res
			if res.Committed {
				w.commits++
				w.order[i] = w.commits
			}
			return nil
		}
	}
	return fmt.Errorf("result for an unknown operation %v", res.Op.ID)
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
