package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readNewc parses a newc archive the way the kernel's initramfs unpacker
// does, checking the alignment of every header and body.
func readNewc(t *testing.T, b []byte) []cpioEntry {
	t.Helper()
	var out []cpioEntry
	off := 0
	field := func(i int) uint32 {
		v, err := strconv.ParseUint(string(b[off+6+8*i:off+14+8*i]), 16, 32)
		if err != nil {
			t.Fatalf("header at %d, field %d: %v", off, i, err)
		}
		return uint32(v)
	}
	align := func(n int) int { return (n + 3) &^ 3 }
	for {
		if off%4 != 0 {
			t.Fatalf("header at %d is not 4-aligned", off)
		}
		if string(b[off:off+6]) != "070701" {
			t.Fatalf("bad magic %q at %d", b[off:off+6], off)
		}
		size, namesize := int(field(6)), int(field(11))
		name := string(b[off+110 : off+110+namesize])
		if !strings.HasSuffix(name, "\x00") {
			t.Fatalf("name %q is not NUL-terminated", name)
		}
		name = name[:namesize-1]
		data := align(off + 110 + namesize)
		e := cpioEntry{Name: name, Mode: field(1), Major: field(9), Minor: field(10), Data: b[data : data+size]}
		off = align(data + size)
		if name == "TRAILER!!!" {
			if off != len(b) {
				t.Errorf("%d bytes after the trailer", len(b)-off)
			}
			return out
		}
		out = append(out, e)
	}
}

func TestWriteNewc(t *testing.T) {
	in := []cpioEntry{
		{Name: "dev", Mode: modeDir | 0o755},
		{Name: "dev/console", Mode: modeChar | 0o600, Major: 5, Minor: 1},
		{Name: "init", Mode: modeFile | 0o755, Data: []byte("hello")},
		{Name: "ab", Mode: modeFile | 0o644, Data: []byte("1234")},
	}
	var b bytes.Buffer
	if err := writeNewc(&b, in); err != nil {
		t.Fatal(err)
	}
	got := readNewc(t, b.Bytes())
	if len(got) != len(in) {
		t.Fatalf("%d entries back, want %d", len(got), len(in))
	}
	for i := range in {
		g, w := got[i], in[i]
		if g.Name != w.Name || g.Mode != w.Mode || g.Major != w.Major || g.Minor != w.Minor || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("entry %d = %+v, want %+v", i, g, w)
		}
	}
	// The first header, field by field.
	want := "070701" + "00000001" + "000041ED" + "00000000" + "00000000" + "00000002" + "00000000" +
		"00000000" + "00000000" + "00000000" + "00000000" + "00000000" + "00000004" + "00000000" + "dev\x00"
	if got := b.String()[:len(want)]; got != want {
		t.Errorf("first header\n got %q\nwant %q", got, want)
	}
}

func TestSummarize(t *testing.T) {
	s := func(ms ...int) []time.Duration {
		var d []time.Duration
		for _, m := range ms {
			d = append(d, time.Duration(m)*time.Millisecond)
		}
		return d
	}
	for _, tc := range []struct {
		in               []time.Duration
		median, min, max time.Duration
	}{
		{s(5), 5 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond},
		{s(9, 1, 5), 5 * time.Millisecond, time.Millisecond, 9 * time.Millisecond},
		{s(4, 1, 2, 10), 3 * time.Millisecond, time.Millisecond, 10 * time.Millisecond},
		{nil, 0, 0, 0},
	} {
		in := append([]time.Duration(nil), tc.in...)
		got := summarize(tc.in)
		if got.N != len(tc.in) || got.Median != tc.median || got.Min != tc.min || got.Max != tc.max {
			t.Errorf("summarize(%v) = %+v, want median %v min %v max %v", tc.in, got, tc.median, tc.min, tc.max)
		}
		for i := range in {
			if in[i] != tc.in[i] {
				t.Errorf("summarize reordered its argument")
			}
		}
	}
}

func TestKernelPackage(t *testing.T) {
	out := "linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n"
	if got := kernelPackage([]byte(out)); got != "linux-image-6.1.0-56-amd64" {
		t.Errorf("got %q", got)
	}
	out = "linux-image-amd64\n  PreDepends: dpkg\n |Depends: <linux-image-virtual>\n  Depends: linux-image-6.1.0-9-amd64\n"
	if got := kernelPackage([]byte(out)); got != "linux-image-6.1.0-9-amd64" {
		t.Errorf("got %q", got)
	}
	if got := kernelPackage([]byte("linux-image-amd64\n")); got != "" {
		t.Errorf("got %q, want none", got)
	}
}

func TestReplaceSection(t *testing.T) {
	sec := bootHeading + "\n\nnew figures\n"
	fresh := replaceSection("", bootHeading, sec)
	if !strings.HasPrefix(fresh, benchIntro) || !strings.HasSuffix(fresh, sec) {
		t.Errorf("new file:\n%s", fresh)
	}
	doc := "# Benchmarks\n\nintro\n\n" + bootHeading + "\n\nold figures\n\n## Other\n\nkept\n"
	want := "# Benchmarks\n\nintro\n\n" + sec + "\n## Other\n\nkept\n"
	if got := replaceSection(doc, bootHeading, sec); got != want {
		t.Errorf("replace in the middle:\n%s\nwant\n%s", got, want)
	}
	doc = "# Benchmarks\n\nintro\n\n## Other\n\nkept\n"
	want = doc + "\n" + sec
	if got := replaceSection(doc, bootHeading, sec); got != want {
		t.Errorf("append:\n%s\nwant\n%s", got, want)
	}
	if got := replaceSection(want, bootHeading, sec); got != want {
		t.Errorf("replace at the end is not idempotent:\n%s", got)
	}
}

func TestCoresUpLine(t *testing.T) {
	m := coresUpLine.FindStringSubmatch("multikernel: 16 cores up on 4 NUMA nodes, 15 monitors (185 ms)\r")
	if m == nil || m[1] != "16" || m[2] != "15" {
		t.Errorf("cores up: %q", m)
	}
	if coresUpLine.MatchString("core 3 apic 3 node 0 up") {
		t.Error("a per-core line matched")
	}
}

// bootConsole feeds lines to a bootRun 100 ms apart and returns the index
// of the line that ended it (-1 for none).
func bootConsole(r *bootRun, lines ...string) int {
	first := regexp.MustCompile("hello from ring 3$")
	for i, l := range lines {
		if r.see(first, strings.TrimRight(l, "\r"), time.Duration(i+1)*100*time.Millisecond) {
			return i
		}
	}
	return -1
}

func TestBootRunOurs(t *testing.T) {
	var r bootRun
	end := bootConsole(&r,
		"core 0 apic 0 node 0 up",
		"[core 1 monitor] monitor 1 up",
		"multikernel: 2 cores up on 1 NUMA nodes, 2 monitors (300 ms)",
		"[core 0 monitor] skb: up with 80 lines of machine facts (61 ms)",
		"multikernel: ready in 400 ms\r",
		"[core 0 hello] hello from ring 3\r",
		"[core 0 hello] goroutines sum 14",
	)
	if end != 5 {
		t.Fatalf("ended at line %d, want 5", end)
	}
	if r.coresUp != 300*time.Millisecond || r.ready != 500*time.Millisecond || r.first != 600*time.Millisecond {
		t.Errorf("cores up %v, ready %v, first %v", r.coresUp, r.ready, r.first)
	}
	if err := r.check(2); err != nil {
		t.Error(err)
	}
	if err := r.check(16); err == nil || !strings.Contains(err.Error(), "want 16") {
		t.Errorf("16 cores: %v", err)
	}
	var lx bootRun
	if end := bootConsole(&lx, "[    0.000000] Linux version 6.1", "hello from ring 3"); end != 1 || lx.first != 200*time.Millisecond {
		t.Errorf("Linux: ended at %d, first %v", end, lx.first)
	}
	if err := lx.check(1); err == nil {
		t.Error("a run without the multikernel's lines passes its check")
	}
}

func TestBootMarkdown(t *testing.T) {
	run := func(first, up, ready time.Duration, load string) bootRun {
		return bootRun{first: first, coresUp: up, ready: ready, load: load}
	}
	ms := time.Millisecond
	ours := &bootSide{side: &side{name: "multikernel"}, runs: []bootRun{
		run(900*ms, 500*ms, 800*ms, "2.00, 1.00, 1.00"), run(1100*ms, 600*ms, 1000*ms, "3.50, 1.00, 1.00"), run(1000*ms, 550*ms, 900*ms, "1.00, 1.00, 1.00")}}
	lx := &bootSide{side: &side{name: "Linux 6.1"}, runs: []bootRun{run(11*time.Second, 0, 0, "2.00, 1.00, 1.00"), run(9*time.Second, 0, 0, "2.00, 1.00, 1.00"), run(10*time.Second, 0, 0, "2.00, 1.00, 1.00")}}
	c := config{prog: "build/apps/hello", first: "hello from ring 3$", append: "console=ttyS0 quiet panic=-1", cpu: "Opteron_G3",
		smp: 16, nodes: 4, mem: 4096, command: "go run ./tools/bootbench", load: loadText("1.00, 1.00, 1.00", "2.00, 1.00, 1.00")}
	md := bootMarkdown(c, "today", "host", "build/linux/vmlinuz-6.1.0-57-amd64", []*bootSide{ours, lx})
	for _, want := range []string{
		bootHeading + "\n",
		"| multikernel: `hello`'s first line | 3 | 1.000 s | 0.900 s | 1.100 s |\n",
		"| Linux 6.1: `hello`'s first line | 3 | 10.000 s | 9.000 s | 11.000 s |\n",
		"| multikernel: every CPU driver and monitor up (`multikernel: N cores up`) | 3 | 0.550 s | 0.500 s | 0.600 s |\n",
		"| multikernel: mesh connected, SKB up, programs start (`multikernel: ready`) | 3 | 0.900 s | 0.800 s | 1.000 s |\n",
		"Ratio of the medians to the first line, multikernel / Linux: **0.100** (goal: at most 0.10, met).\n",
		"* multikernel: 0.900 s (load 2.00), 1.100 s (load 3.50), 1.000 s (load 1.00)\n",
		"* Host load (`uptime` before the first run and after the last): load average 1.00, 1.00, 1.00 before",
		"* Linux: Debian's `vmlinuz-6.1.0-57-amd64`",
		"* Command: `go run ./tools/bootbench`\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("section lacks %q:\n%s", want, md)
		}
	}
	ours.runs[2].first = 1200 * ms
	if md := bootMarkdown(c, "", "", "", []*bootSide{ours, lx}); !strings.Contains(md, "**0.110** (goal: at most 0.10, not met)") {
		t.Errorf("a miss is not reported:\n%s", md)
	}
}

func TestShellQuote(t *testing.T) {
	got := shellQuote([]string{"-runs", "5", "-append", "console=ttyS0 quiet", "it's", ""})
	want := `-runs 5 -append 'console=ttyS0 quiet' 'it'\''s' ''`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
