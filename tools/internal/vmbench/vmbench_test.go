package vmbench

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// testHeading is a section heading for the tests.
const testHeading = "## A benchmark"

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
	sec := testHeading + "\n\nnew figures\n"
	fresh := ReplaceSection("", testHeading, sec)
	if !strings.HasPrefix(fresh, benchIntro) || !strings.HasSuffix(fresh, sec) {
		t.Errorf("new file:\n%s", fresh)
	}
	doc := "# Benchmarks\n\nintro\n\n" + testHeading + "\n\nold figures\n\n## Other\n\nkept\n"
	want := "# Benchmarks\n\nintro\n\n" + sec + "\n## Other\n\nkept\n"
	if got := ReplaceSection(doc, testHeading, sec); got != want {
		t.Errorf("replace in the middle:\n%s\nwant\n%s", got, want)
	}
	doc = "# Benchmarks\n\nintro\n\n## Other\n\nkept\n"
	want = doc + "\n" + sec
	if got := ReplaceSection(doc, testHeading, sec); got != want {
		t.Errorf("append:\n%s\nwant\n%s", got, want)
	}
	if got := ReplaceSection(want, testHeading, sec); got != want {
		t.Errorf("replace at the end is not idempotent:\n%s", got)
	}
}

func TestShellQuote(t *testing.T) {
	got := ShellQuote([]string{"-runs", "5", "-append", "console=ttyS0 quiet", "it's", ""})
	want := `-runs 5 -append 'console=ttyS0 quiet' 'it'\''s' ''`
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
