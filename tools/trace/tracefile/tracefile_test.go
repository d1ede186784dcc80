package tracefile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"multikernel/cpudriver/trace"
)

// fakeTrace writes a trace of two cores: core 0 sends two messages to
// core 1, which receives the first; core 1 receives one message nobody
// sent; both record a fault.
func fakeTrace(t *testing.T) string {
	var file []byte
	d := &trace.Drainer{Write: func(c []byte) { file = append(file, c...) }}
	r0 := trace.NewRing(make([]uint64, trace.RingWords(16)), 0)
	r1 := trace.NewRing(make([]uint64, trace.RingWords(16)), 1)
	r0.Add(1000, trace.URPCSend, 1, trace.MsgB(1, 0))
	r0.Add(2000, trace.URPCSend, 1, trace.MsgB(1, 1))
	r0.Add(2500, trace.Fault, 1, 0x400)
	r1.Add(1500, trace.URPCRecv, 0, trace.MsgB(1, 0))
	r1.Add(1700, trace.URPCRecv, 0, trace.MsgB(1, 9))
	r1.Add(3000, trace.Fault, 0, 0x401)
	d.Drain(r0, true)
	d.Drain(r1, true)
	p := filepath.Join(t.TempDir(), "trace.bin")
	if err := os.WriteFile(p, file, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMessages(t *testing.T) {
	tr, err := Read(fakeTrace(t))
	if err != nil {
		t.Fatal(err)
	}
	msgs, orphans := Messages(tr)
	if len(msgs) != 2 || orphans != 1 {
		t.Fatalf("%d messages, %d orphans; want 2, 1", len(msgs), orphans)
	}
	if m := msgs[0]; m.Unreceived || m.Sent != 1000 || m.Received != 1500 || m.From != 0 || m.To != 1 {
		t.Errorf("first message %+v", m)
	}
	if !msgs[1].Unreceived {
		t.Errorf("second message received")
	}
	if p := Pairs(msgs); len(p) != 1 || p[0] != [2]int{0, 1} {
		t.Errorf("pairs %v", p)
	}
	if s := strings.Join(Summary(tr), "\n"); !strings.Contains(s, "2 mesh messages between 1 pairs of cores, 1 without a receive, 1 receives without a send") {
		t.Errorf("summary %q", s)
	}
}

func TestConvert(t *testing.T) {
	bin := fakeTrace(t)
	dir := filepath.Dir(bin)
	js, png := filepath.Join(dir, "t.json"), filepath.Join(dir, "t.png")
	var log bytes.Buffer
	if err := Convert(bin, js, png, Window{}, &log); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TraceEvents []map[string]any `json:"traceEvents"`
		OtherData   struct {
			Problems []string `json:"problems"`
		} `json:"otherData"`
	}
	b, _ := os.ReadFile(js)
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	phases := map[string]int{}
	for _, e := range doc.TraceEvents {
		phases[e["ph"].(string)]++
	}
	// 2 cores x 2 metadata, 4 message slices, 2 faults, one flow's two ends.
	if phases["M"] != 4 || phases["X"] != 4 || phases["i"] != 2 || phases["s"] != 1 || phases["f"] != 1 {
		t.Errorf("phases %v", phases)
	}
	if p, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(p, []byte("\x89PNG")) {
		t.Errorf("%s: %v, not a PNG", png, err)
	}
	// A window with nothing in it draws no picture.
	if err := Convert(bin, "", png, Window{From: 5000, To: 6000}, &log); err == nil {
		t.Errorf("an empty window drew a picture")
	}
	if _, err := Read(filepath.Join(dir, "none")); err == nil {
		t.Errorf("a missing file read")
	}
}
