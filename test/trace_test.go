//go:build integration

package test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"multikernel/cpudriver/trace"
	"multikernel/tools/qemu/qemuargs"
	"multikernel/tools/trace/tracefile"
)

// TestTrace16Cores traces a 16-core boot on 4 nodes with a program on
// every core: the trace holds events from every core, every chunk reads
// back and each core's last one came, every mesh message sent has its
// receive and none arrives unsent, the CPU drivers' boot pings cover all
// 240 directed pairs, and the JSON and the picture are produced.
func TestTrace16Cores(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "trace.bin")
	out, code := boot(t, qemuargs.Config{SMP: 16, Nodes: 4, MemMiB: 2048, Cmdline: "poweroff trace", TraceFile: bin,
		Modules: []string{filepath.Join(root(t), "build/cpudriver"), filepath.Join(root(t), "build/monitor"), app(t, "hello") + " @all"}}, 5*time.Minute)
	wantExit(t, code, exitSuccess)
	mustContain(t, out, "trace: recording urpc,ipi,fault,sched,prog,shoot,cap,mem on every core")
	if !regexp.MustCompile(`trace: \d+ events of 16 cores written to the debug console, 0 dropped`).MatchString(out) {
		t.Errorf("no report of the trace's end for 16 cores")
	}
	tr, err := tracefile.Read(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tr.Problems {
		t.Errorf("trace problem: %s", p)
	}
	perCore := map[int]map[trace.Event]int{}
	for _, r := range tr.Records {
		if perCore[int(r.Core)] == nil {
			perCore[int(r.Core)] = map[trace.Event]int{}
		}
		perCore[int(r.Core)][r.Event]++
	}
	for c := 0; c < 16; c++ {
		ev := perCore[c]
		if !tr.Complete[c] || ev[trace.URPCSend] == 0 || ev[trace.URPCRecv] == 0 || ev[trace.ProgStart] < 2 || ev[trace.Fault] == 0 {
			t.Errorf("core %d: complete %v, events %v: want mesh sends and receives, its monitor's and hello's starts, faults", c, tr.Complete[c], ev)
		}
	}
	msgs, orphans := tracefile.Messages(tr)
	for _, m := range msgs {
		if m.Unreceived {
			t.Errorf("message %d of core %d to core %d (type %d) has no receive", m.Seq, m.From, m.To, m.Type)
		} else if m.Received < m.Sent {
			t.Errorf("message %d of core %d to core %d received %d ns before it was sent", m.Seq, m.From, m.To, m.Sent-m.Received)
		}
	}
	if orphans != 0 {
		t.Errorf("%d receives without their send", orphans)
	}
	if pairs := tracefile.Pairs(msgs); len(pairs) != 240 {
		t.Errorf("messages between %d directed pairs of cores, want 240", len(pairs))
	}
	js, png := filepath.Join(dir, "trace.json"), filepath.Join(dir, "trace.png")
	var log bytes.Buffer
	if err := tracefile.Convert(bin, js, png, tracefile.Window{}, &log); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", log.String())
	b, _ := os.ReadFile(js)
	var doc struct {
		TraceEvents []struct {
			Name string `json:"name"`
			Ph   string `json:"ph"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("trace.json: %v", err)
	}
	names, flows := 0, 0
	for _, e := range doc.TraceEvents {
		if e.Ph == "M" && e.Name == "process_name" {
			names++
		}
		if e.Ph == "s" {
			flows++
		}
	}
	if names != 16 || flows != len(msgs) {
		t.Errorf("trace.json: %d processes (want 16), %d flows (want %d)", names, flows, len(msgs))
	}
	if p, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(p, []byte("\x89PNG")) {
		t.Errorf("trace.png: %v, not a PNG", err)
	}
}

// TestTraceWithoutConsole: the trace option on a machine without the
// debug console says so, and the boot goes on as without it.
func TestTraceWithoutConsole(t *testing.T) {
	out, code := boot(t, qemuargs.Config{SMP: 2, Nodes: 1, MemMiB: 512, Cmdline: "poweroff trace=urpc,sys"}, 2*time.Minute)
	wantExit(t, code, exitSuccess)
	mustContain(t, out, "trace: no debug console at port 0xe9", "multikernel: ready in")
}
