package elf

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const helloSrc = `package main

import "fmt"

var counter = 42 // puts something in .data

func main() { fmt.Println("hello from a static Go binary", counter) }
`

// goBinaries are built once per test run and shared by the tests below.
var goBinaries struct {
	once  sync.Once
	dir   string
	err   error
	files map[string][]byte
}

// builds names the binaries to build and their linker flags: an ordinary
// static executable, and one linked into the higher half as the CPU driver
// is (docs/decisions.md, "The address space": -T -0x7FDFF000 gives text at 0xffffffff80201000).
var builds = map[string]string{
	"hello":      "-buildid=",
	"higherhalf": "-buildid= -T -0x7FDFF000",
}

// realBinaries builds the binaries with the go command, skipping the test
// when there is none.
func realBinaries(t *testing.T) map[string][]byte {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		gobin = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		if _, err := os.Stat(gobin); err != nil {
			t.Skip("no go command to build test binaries with")
		}
	}
	g := &goBinaries
	g.once.Do(func() {
		g.dir, g.err = os.MkdirTemp("", "elftest")
		if g.err != nil {
			return
		}
		src := filepath.Join(g.dir, "hello.go")
		if g.err = os.WriteFile(src, []byte(helloSrc), 0o644); g.err != nil {
			return
		}
		if g.err = os.WriteFile(filepath.Join(g.dir, "go.mod"), []byte("module hello\n"), 0o644); g.err != nil {
			return
		}
		g.files = map[string][]byte{}
		for name, ldflags := range builds {
			out := filepath.Join(g.dir, name)
			cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags="+ldflags, "-o", out, ".")
			cmd.Dir = g.dir
			cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0", "GOAMD64=v1", "GOFLAGS=", "GOWORK=off")
			if b, err := cmd.CombinedOutput(); err != nil {
				g.err = errors.New(string(b) + err.Error())
				return
			}
			if g.files[name], g.err = os.ReadFile(out); g.err != nil {
				return
			}
		}
	})
	if g.err != nil {
		t.Fatalf("building test binaries: %v", g.err)
	}
	return g.files
}

func TestMain(m *testing.M) {
	code := m.Run()
	if goBinaries.dir != "" {
		os.RemoveAll(goBinaries.dir)
	}
	os.Exit(code)
}

func TestParseRealGoBinaries(t *testing.T) {
	for name, b := range realBinaries(t) {
		f, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var flags []string
		for _, s := range f.Segments {
			flags = append(flags, s.Flags.String())
		}
		// The Go linker's layout: text, read-only data, data+bss.
		if got := strings.Join(flags, " "); got != "r-x r-- rw-" {
			t.Errorf("%s: segment flags %s", name, got)
		}
		// Go keeps its g pointer in TLS it sets up itself: no PT_TLS.
		if f.TLS != nil || !f.HasStackFlags || f.StackFlags&FlagX != 0 {
			t.Errorf("%s: TLS %+v, stack flags %v %v", name, f.TLS, f.HasStackFlags, f.StackFlags)
		}
		text := f.Segments[0]
		higher := text.VAddr >= 0xFFFF_FFFF_8000_0000
		if higher != (name == "higherhalf") {
			t.Errorf("%s: text at 0x%x", name, text.VAddr)
		}
		if !strings.Contains(string(f.Segments[1].Data), "hello from a static Go binary") {
			t.Errorf("%s: the string is not in the read-only segment's data", name)
		}
	}
}

// TestParseCorruptedRealBinary applies every corruption of badInputs that
// makes sense for a real binary's header and checks Parse refuses it, then
// cuts the file short at many places.
func TestParseCorruptedRealBinary(t *testing.T) {
	orig := realBinaries(t)["hello"]
	headerOnly := map[string]bool{"short": true, "magic": true, "32-bit": true, "big-endian": true, "ident version": true,
		"FreeBSD": true, "relocatable": true, "PIE": true, "arm64": true, "version": true, "header size": true,
		"phentsize": true, "no phdrs": true, "PN_XNUM": true, "phoff huge": true, "entry nowhere": true}
	for _, c := range badInputs {
		if !headerOnly[c.name] {
			continue
		}
		if _, err := Parse(c.edit(append([]byte(nil), orig...))); err == nil {
			t.Errorf("%s: corrupted binary accepted", c.name)
		}
	}
	f, _ := Parse(orig)
	last := f.Segments[len(f.Segments)-1]
	for _, n := range []int{0, 16, 63, 64, 100, 400, int(last.Offset + last.FileSize - 1)} {
		if _, err := Parse(orig[:n]); err == nil {
			t.Errorf("binary cut to %d bytes accepted", n)
		}
	}
	// The interpreter of a dynamic binary: turn the PT_PHDR into PT_INTERP.
	b := append([]byte(nil), orig...)
	for i := 0; i < f.PhdrCount; i++ {
		if ph := b[f.PhdrOffset+uint64(i)*phdrLen:]; le.Uint32(ph) == 6 {
			le.PutUint32(ph, ptInterp)
		}
	}
	if _, err := Parse(b); !errors.Is(err, ErrUnsupported) {
		t.Errorf("binary with PT_INTERP: err = %v", err)
	}
}
