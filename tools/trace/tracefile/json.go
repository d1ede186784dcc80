package tracefile

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"multikernel/cpudriver/kmesh"
	"multikernel/cpudriver/trace"
)

// event is one entry of Chrome's trace-event format ("JSON Array" and
// "JSON Object" formats, Trace Event Format document): ph is the phase
// (X complete, i instant, s and f flow start and end, M metadata), ts
// and dur microseconds, pid the core, tid 0.
type event struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	TS   float64        `json:"ts"`
	Dur  float64        `json:"dur,omitempty"`
	PID  int            `json:"pid"`
	TID  int            `json:"tid"`
	ID   string         `json:"id,omitempty"`
	BP   string         `json:"bp,omitempty"`
	S    string         `json:"s,omitempty"`
	Args map[string]any `json:"args,omitempty"`
}

// msgDur is how long a send or receive slice is drawn (µs): a flow event
// binds to a slice, and a send or receive has no duration of its own.
const msgDur = 0.5

// WriteJSON writes the records of t in w as trace-event JSON: a process
// per core, every event as an instant (messages as short slices joined
// by a flow from send to receive), the problems Decode found in
// "otherData".
func WriteJSON(out io.Writer, t *trace.Trace, w Window) error {
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	fmt.Fprint(bw, `{"displayTimeUnit":"ns","traceEvents":[`)
	first := true
	emit := func(e event) error {
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return enc.Encode(e)
	}
	for _, c := range t.Cores {
		if err := emit(event{Name: "process_name", Ph: "M", PID: c, Args: map[string]any{"name": fmt.Sprintf("core %d", c)}}); err != nil {
			return err
		}
		emit(event{Name: "process_sort_index", Ph: "M", PID: c, Args: map[string]any{"sort_index": c}})
	}
	msgs, _ := Messages(t)
	flow := map[[3]uint64]int{} // (from, to, seq) -> message index
	for i, m := range msgs {
		flow[[3]uint64{uint64(m.From), uint64(m.To), uint64(m.Seq)}] = i
	}
	for _, r := range t.Records {
		if !w.In(r.Time) {
			continue
		}
		ts := float64(r.Time) / 1e3
		e := event{Name: r.Event.String(), Cat: r.Event.Class().String(), Ph: "i", S: "t", TS: ts, PID: int(r.Core), Args: args(r)}
		var fl *event
		switch r.Event {
		case trace.URPCSend, trace.URPCRecv:
			typ, seq := trace.MsgOf(r.B)
			from, to := int(r.Core), int(r.A)
			if r.Event == trace.URPCRecv {
				from, to = to, from
			}
			e.Name = fmt.Sprintf("%s %v", r.Event, kmesh.Type(typ))
			e.Ph, e.S, e.Dur = "X", "", msgDur
			if i, ok := flow[[3]uint64{uint64(from), uint64(to), uint64(seq)}]; ok && !msgs[i].Unreceived {
				f := event{Name: "message", Cat: "urpc", Ph: "s", TS: ts, PID: int(r.Core), ID: fmt.Sprint(i)}
				if r.Event == trace.URPCRecv {
					f.Ph, f.BP = "f", "e"
				}
				fl = &f
			}
		}
		if err := emit(e); err != nil {
			return err
		}
		if fl != nil {
			emit(*fl)
		}
	}
	fmt.Fprint(bw, `],"otherData":`)
	probs := t.Problems
	if probs == nil {
		probs = []string{}
	}
	if err := enc.Encode(map[string]any{"problems": probs, "summary": Summary(t)}); err != nil {
		return err
	}
	fmt.Fprint(bw, "}\n")
	return bw.Flush()
}

// args decodes a record's arguments for the JSON's args.
func args(r trace.Record) map[string]any {
	switch r.Event {
	case trace.URPCSend:
		typ, seq := trace.MsgOf(r.B)
		return map[string]any{"to": r.A, "type": kmesh.Type(typ).String(), "seq": seq}
	case trace.URPCRecv:
		typ, seq := trace.MsgOf(r.B)
		return map[string]any{"from": r.A, "type": kmesh.Type(typ).String(), "seq": seq}
	case trace.IPISend:
		return map[string]any{"to": r.A}
	case trace.SysEnter:
		return map[string]any{"nr": r.A}
	case trace.SysExit:
		return map[string]any{"nr": r.A, "result": int32(r.B)}
	case trace.Fault:
		return map[string]any{"write": r.A&1 != 0, "exec": r.A&2 != 0, "page": fmt.Sprintf("%#x", uint64(r.B)<<12)}
	case trace.Switch:
		return map[string]any{"tid": r.A, "pid": r.B}
	case trace.ProgStart:
		return map[string]any{"pid": r.B}
	case trace.ProgExit:
		return map[string]any{"pid": r.B, "status": r.A}
	case trace.Shootdown:
		return map[string]any{"cores": r.A, "ranges": r.B}
	case trace.CapPhase:
		return map[string]any{"phase": [...]string{"?", "request", "apply", "done", "?"}[min(r.A, 4)], "arg": r.B}
	case trace.MemRequest, trace.MemGrant:
		return map[string]any{"node": r.A, "KiB": r.B}
	}
	return nil
}
