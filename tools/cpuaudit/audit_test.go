package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// helloSrc uses only the runtime, which `make all` has already built
// with the same flags for the CPU driver, so the build is a cache hit.
const helloSrc = `package main

func main() { println("hello, family 10h") }
`

// buildHello builds a tiny Go program the way the Makefile builds the CPU
// driver (static, GOAMD64=v1, -trimpath, so the build cache is shared).
func buildHello(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"go.mod": "module hello\n\ngo 1.26\n", "main.go": helloSrc} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "hello")
	cmd := exec.Command(goTool, "build", "-trimpath", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOAMD64=v1", "GOWORK=off", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// TestAuditHello checks that a GOAMD64=v1 binary passes with the
// allowlist, then that the same binary with forbidden instructions
// written into main.main fails, naming each one.
func TestAuditHello(t *testing.T) {
	path := buildHello(t)
	r, err := auditFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if !r.print(&out, false) {
		t.Fatalf("GOAMD64=v1 hello world fails the audit:\n%s", out.String())
	}
	if r.insns < 10000 || r.funcs < 500 || r.undecoded != 0 || len(r.allowed) == 0 {
		t.Errorf("implausible report: %d instructions, %d functions, %d undecodable, %d allowed",
			r.insns, r.funcs, r.undecoded, len(r.allowed))
	}
	if len(r.mismatches) != 0 {
		t.Errorf("x86asm and the length decoder disagree:\n%s", strings.Join(r.mismatches, "\n"))
	}

	// PSHUFB, VZEROUPPER, TZCNT, an invalid opcode; INT3 after them.
	bad := []byte{0x66, 0x0F, 0x38, 0x00, 0xC1, 0xC5, 0xF8, 0x77, 0xF3, 0x0F, 0xBC, 0xC1, 0x06}
	patched := patchFunc(t, path, "main.main", bad)
	r, err = auditFile(patched)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if r.print(&out, false) {
		t.Fatalf("patched binary passes the audit:\n%s", out.String())
	}
	want := []struct {
		off uint64
		ext string
	}{{0, "SSSE3"}, {5, "AVX/AVX2 (VEX)"}, {8, "BMI1 (TZCNT; runs as BSF on family 10h)"}, {12, "undecodable"}}
	if len(r.forbidden) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(r.forbidden), len(want), out.String())
	}
	for i, w := range want {
		f := r.forbidden[i]
		if f.sym != "main.main" || f.off != w.off || f.ext != w.ext {
			t.Errorf("finding %d = %s+%#x %q, want main.main+%#x %q", i, f.sym, f.off, f.ext, w.off, w.ext)
		}
	}
	if r.undecoded != 1 {
		t.Errorf("%d undecodable bytes, want 1", r.undecoded)
	}
	if !strings.Contains(out.String(), "FAIL: main.main+0x0") || !strings.Contains(out.String(), "pshufb") {
		t.Errorf("report does not name the symbol and instruction:\n%s", out.String())
	}
}

// patchFunc copies the ELF file at path, overwrites function sym with code
// followed by INT3s, and returns the copy's path.
func patchFunc(t *testing.T, path, sym string, code []byte) string {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, err := f.Symbols()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range syms {
		if s.Name != sym {
			continue
		}
		sec := f.Sections[s.Section]
		if s.Size < uint64(len(code)) {
			t.Fatalf("%s is only %d bytes", sym, s.Size)
		}
		off := sec.Offset + (s.Value - sec.Addr)
		fn := data[off : off+s.Size]
		copy(fn, code)
		for i := len(code); i < len(fn); i++ {
			fn[i] = 0xCC
		}
		out := filepath.Join(t.TempDir(), "patched")
		if err := os.WriteFile(out, data, 0o755); err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Fatalf("no symbol %s in %s", sym, path)
	return ""
}

// TestStrayBytes checks that non-padding bytes between functions fail.
func TestStrayBytes(t *testing.T) {
	r := &report{}
	r.gap([]byte{0xCC, 0xCC, 0x00, 0x90})
	if r.padding != 3 || r.stray != 1 || r.ok() {
		t.Errorf("gap: padding %d, stray %d, ok %v; want 3, 1, false", r.padding, r.stray, r.ok())
	}
}
