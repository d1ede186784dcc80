package ring0

import (
	"encoding/binary"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"multikernel/cpudriver/vdso"
	"unsafe"
)

// loaderInc returns the numeric .equ constants of boot/loader.inc (those
// whose value is an expression are left out).
func loaderInc(t *testing.T) map[string]uint64 {
	t.Helper()
	src, err := os.ReadFile("../../boot/loader.inc")
	if err != nil {
		t.Fatal(err)
	}
	eq := map[string]uint64{}
	for _, line := range strings.Split(string(src), "\n") {
		line, _, _ = strings.Cut(line, "/*")
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), ".equ ")
		if !ok {
			continue
		}
		name, val, ok := strings.Cut(rest, ",")
		if !ok {
			t.Fatalf("bad .equ line %q", line)
		}
		if v, err := strconv.ParseUint(strings.TrimSpace(val), 0, 64); err == nil {
			eq[strings.TrimSpace(name)] = v
		}
	}
	return eq
}

// TestHandoffLayout checks the HO_* offsets against the Handoff struct.
func TestHandoffLayout(t *testing.T) {
	eq := loaderInc(t)
	var h Handoff
	fields := map[string]uintptr{
		"HO_MAGIC":     unsafe.Offsetof(h.Magic),
		"HO_MBI":       unsafe.Offsetof(h.MBI),
		"HO_KPBASE":    unsafe.Offsetof(h.KPBase),
		"HO_KVBASE":    unsafe.Offsetof(h.KVBase),
		"HO_KSIZE":     unsafe.Offsetof(h.KSize),
		"HO_TRAMP":     unsafe.Offsetof(h.Tramp),
		"HO_TRAMPSIZE": unsafe.Offsetof(h.TrampSize),
		"HO_PHYSGIB":   unsafe.Offsetof(h.PhysGiB),
		"HO_LOADER":    unsafe.Offsetof(h.Loader),
		"HO_LOADEREND": unsafe.Offsetof(h.LoaderEnd),
		"HO_PML4":      unsafe.Offsetof(h.PML4),
		"HO_NX":        unsafe.Offsetof(h.NX),
	}
	if n := reflect.TypeOf(h).NumField(); n != len(fields) {
		t.Errorf("Handoff has %d fields, the test knows %d", n, len(fields))
	}
	for name, off := range fields {
		v, ok := eq[name]
		if !ok {
			t.Errorf("%s missing from loader.inc", name)
			continue
		}
		if uintptr(v) != off {
			t.Errorf("%s = %d, Handoff offset %d", name, v, off)
		}
	}
	for name := range eq {
		if _, ok := fields[name]; strings.HasPrefix(name, "HO_") && !ok {
			t.Errorf("loader.inc %s has no Handoff field", name)
		}
	}
	if v := eq["HANDOFF_SIZE"]; uintptr(v) != unsafe.Sizeof(h) {
		t.Errorf("HANDOFF_SIZE = %d, sizeof(Handoff) = %d", v, unsafe.Sizeof(h))
	}
	if v := eq["HANDOFF_MAGIC"]; v != HandoffMagic {
		t.Errorf("HANDOFF_MAGIC = %#x, HandoffMagic = %#x", v, uint64(HandoffMagic))
	}
}

// smpConsts returns the integer constants declared in cpudriver/smp.go
// (package main, so read from its source).
func smpConsts(t *testing.T) map[string]uint64 {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../smp.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	cs := map[string]uint64{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.INT {
					if v, err := strconv.ParseUint(strings.ReplaceAll(lit.Value, "_", ""), 0, 64); err == nil {
						cs[n.Name] = v
					}
				}
			}
		}
	}
	return cs
}

// TestTrampolineLayout checks the TR_* constants against smp.go, and that the
// trampoline's fields fit its page without overlapping.
func TestTrampolineLayout(t *testing.T) {
	eq := loaderInc(t)
	cs := smpConsts(t)
	pairs := map[string]string{
		"TRAMP_BASE":     "trampBase",
		"TR_TABLE_OFF":   "trTableOff",
		"TR_ENTRY_SIZE":  "trEntrySize",
		"TR_ENTRIES":     "trEntries",
		"TR_ENTRY64_OFF": "trEntry64Off",
		"TR_COUNT_OFF":   "trCountOff",
	}
	for asm, goName := range pairs {
		a, ok1 := eq[asm]
		g, ok2 := cs[goName]
		switch {
		case !ok1:
			t.Errorf("%s missing from loader.inc", asm)
		case !ok2:
			t.Errorf("%s missing from smp.go (or not an integer literal)", goName)
		case a != g:
			t.Errorf("%s = %#x, %s = %#x", asm, a, goName, g)
		}
	}
	for name := range eq {
		if _, ok := pairs[name]; strings.HasPrefix(name, "TR_") && !ok {
			t.Errorf("loader.inc %s is not checked against smp.go", name)
		}
	}
	table, size, n := eq["TR_TABLE_OFF"], eq["TR_ENTRY_SIZE"], eq["TR_ENTRIES"]
	entry64, count := eq["TR_ENTRY64_OFF"], eq["TR_COUNT_OFF"]
	if table+size*n > 4096 {
		t.Errorf("entry table [%#x, %#x) runs off the page", table, table+size*n)
	}
	if size < 16 {
		t.Errorf("TR_ENTRY_SIZE %d < 16 (apic u32, cr3 u32, param u64)", size)
	}
	if entry64+8 > count || count+4 > table {
		t.Errorf("entry (%#x, 8 bytes), count (%#x, 4 bytes) and table (%#x) overlap", entry64, count, table)
	}
}

// TestVDSODataLayout: ring0 writes the clock data page the vDSO reads:
// each field where package vdso says, and seq even once it is written.
func TestVDSODataLayout(t *testing.T) {
	page := make([]byte, vdso.PageSize)
	savedBase, savedMult, savedEpoch, savedData := tscBase, nsPerTick, epochNs, vdsoData
	defer func() { tscBase, nsPerTick, epochNs, vdsoData = savedBase, savedMult, savedEpoch, savedData }()
	tscBase, nsPerTick, epochNs = 0x1122334455, 0x2_0000_0000, 1_700_000_000_000_000_000
	vdsoData = uintptr(unsafe.Pointer(&page[0]))
	publishClock()
	publishClock()
	le := binary.LittleEndian
	if le.Uint64(page[vdso.OffBase:]) != tscBase || le.Uint64(page[vdso.OffMult:]) != nsPerTick ||
		int64(le.Uint64(page[vdso.OffEpoch:])) != epochNs || le.Uint32(page[vdso.OffMode:]) != vdso.ModeTSC {
		t.Errorf("ring0's vDSO data differs from cpudriver/vdso's layout: % x", page[:40])
	}
	if seq := le.Uint32(page[vdso.OffSeq:]); seq != 4 {
		t.Errorf("seq %d after two writes, want 4 (even, twice incremented by two)", seq)
	}
}
