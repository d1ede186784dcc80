package tracefile

import (
	"fmt"
	"os"
	"sort"

	"multikernel/cpudriver/trace"
)

// Read reads and decodes a trace file.
func Read(path string) (*trace.Trace, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("%s: empty: the guest wrote no trace (was it booted with the trace option and a debug console?)", path)
	}
	return trace.Decode(b), nil
}

// Message is one message on the CPU drivers' mesh: its send and, if it
// was seen, its receive.
type Message struct {
	From, To int
	Type     uint8
	Seq      uint32
	Sent     uint64 // ns
	Received uint64 // ns; 0 if Unreceived
	// Unreceived: no receive in the trace (still in flight when the
	// trace ended, or lost).
	Unreceived bool
}

// Messages pairs every URPCSend with the URPCRecv of the same directed
// channel and number; orphans are receives whose send is not in the
// trace (sent before tracing began on that core, or lost with a chunk).
func Messages(t *trace.Trace) (msgs []Message, orphans int) {
	type key struct {
		from, to int
		seq      uint32
	}
	sent := map[key]int{}
	for _, r := range t.Records {
		if r.Event != trace.URPCSend {
			continue
		}
		typ, seq := trace.MsgOf(r.B)
		k := key{int(r.Core), int(r.A), seq}
		sent[k] = len(msgs)
		msgs = append(msgs, Message{From: k.from, To: k.to, Type: typ, Seq: seq, Sent: r.Time, Unreceived: true})
	}
	for _, r := range t.Records {
		if r.Event != trace.URPCRecv {
			continue
		}
		_, seq := trace.MsgOf(r.B)
		i, ok := sent[key{int(r.A), int(r.Core), seq}]
		if !ok || !msgs[i].Unreceived {
			orphans++
			continue
		}
		msgs[i].Received, msgs[i].Unreceived = r.Time, false
	}
	return msgs, orphans
}

// Pairs returns the directed pairs of cores (from, to) that exchanged a
// message that was received, sorted.
func Pairs(msgs []Message) [][2]int {
	seen := map[[2]int]bool{}
	for _, m := range msgs {
		if !m.Unreceived {
			seen[[2]int{m.From, m.To}] = true
		}
	}
	out := make([][2]int, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] < out[j][1] })
	return out
}

// Window is a span of trace time, in ns since boot; To 0 means the end.
type Window struct{ From, To uint64 }

// In reports whether time ns lies in w.
func (w Window) In(ns uint64) bool { return ns >= w.From && (w.To == 0 || ns <= w.To) }

// Summary is what a trace holds, in a few lines.
func Summary(t *trace.Trace) []string {
	counts := map[trace.Class]int{}
	for _, r := range t.Records {
		counts[r.Event.Class()]++
	}
	msgs, orphans := Messages(t)
	unreceived := 0
	for _, m := range msgs {
		if m.Unreceived {
			unreceived++
		}
	}
	line := fmt.Sprintf("%d events from %d cores:", len(t.Records), len(t.Cores))
	for _, c := range trace.Classes() {
		if counts[c] > 0 {
			line += fmt.Sprintf(" %s %d", c, counts[c])
		}
	}
	out := []string{line, fmt.Sprintf("%d mesh messages between %d pairs of cores, %d without a receive, %d receives without a send",
		len(msgs), len(Pairs(msgs)), unreceived, orphans)}
	if len(t.Records) > 0 {
		out = append(out, fmt.Sprintf("from %.3f ms to %.3f ms after boot", ms(t.Records[0].Time), ms(t.Records[len(t.Records)-1].Time)))
	}
	return out
}

func ms(ns uint64) float64 { return float64(ns) / 1e6 }
