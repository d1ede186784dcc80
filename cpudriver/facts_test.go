package main

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"multikernel/cpudriver/acpi"
	"multikernel/cpudriver/pci"
	"multikernel/cpudriver/ring0"
	"multikernel/skb"
	"multikernel/skb/programs"
)

// opteronFacts is the 4x4 Opteron of skb/programs/testdata/opteron4x4.pl:
// 16 cores, four per node, APIC id = core, a square of nodes (16 one hop,
// 22 two hops) and 1 GiB per node, given out of order.
func opteronFacts() machineFacts {
	f := machineFacts{
		Distances: [][]int{
			{10, 16, 16, 22},
			{16, 10, 22, 16},
			{16, 22, 10, 16},
			{22, 16, 16, 10},
		},
		Memory: []memFact{
			{0x100000000, 1 << 30, 3}, {0, 1 << 30, 0}, {0x80000000, 1 << 30, 2}, {0x40000000, 1 << 30, 1},
		},
		Vendor: "AuthenticAMD", Family: 16, Model: 2,
		Features: []string{"sse4a", "sse2", "lahf_lm", "sse3", "sse2"},
		PCI: []pci.Function{
			{Bus: 0, Dev: 0x1f, Fn: 2, Vendor: 0x8086, Device: 0x2922, Class: 0x010601},
			{Bus: 0, Dev: 2, Fn: 0, Vendor: 0x8086, Device: 0x100e, Class: 0x020000},
			{Bus: 1, Dev: 0, Fn: 0, Vendor: 0x1af4, Device: 0x1041, Class: 0x020000},
			{Bus: 0, Dev: 0x1f, Fn: 3, Vendor: 0x8086, Device: 0x2930, Class: 0x0c0500},
		},
	}
	for c := 15; c >= 0; c-- {
		f.Cores = append(f.Cores, coreFact{Index: c, APIC: c, Node: c / 4})
	}
	return f
}

// factsEngine returns an engine with the SKB programs and text consulted.
func factsEngine(t *testing.T, name, text string) *skb.Engine {
	t.Helper()
	e := skb.New(skb.Options{MaxSteps: 10_000_000})
	if err := programs.Load(e); err != nil {
		t.Fatal(err)
	}
	if err := e.Consult(name, text); err != nil {
		t.Fatalf("consult %s: %v\n%s", name, err, text)
	}
	return e
}

// skbAnswers runs goal and returns its answers, one per line, or "false".
func skbAnswers(t *testing.T, e *skb.Engine, goal string) string {
	t.Helper()
	out, err := e.Answers(goal)
	if err != nil {
		t.Fatalf("%s: %v", goal, err)
	}
	return out
}

func TestFactsTextFormat(t *testing.T) {
	f := machineFacts{
		Cores:     []coreFact{{1, 2, 0}, {0, 0, 0}},
		Distances: [][]int{{10}},
		Memory:    []memFact{{0x100000, 0x3ff00000, 0}, {0, 0x9f000, 0}},
		Vendor:    "GenuineIntel", Family: 6, Model: 158,
		Features: []string{"x2apic", "fpu", "sse4_2"},
		PCI:      []pci.Function{{Bus: 0, Dev: 2, Fn: 0, Vendor: 0x8086, Device: 0x100e, Class: 0x020000}},
	}
	want := `core(0, 0, 0).
core(1, 2, 0).
node_distance(0, 0, 10).
memory_region(0x0, 0x9f000, 0).
memory_region(0x100000, 0x3ff00000, 0).
cpu('GenuineIntel', 6, 158).
cpu_feature(fpu).
cpu_feature(sse4_2).
cpu_feature(x2apic).
pci_device(0, 2, 0, 0x8086, 0x100e, 0x020000).
`
	if got := factsText(f); got != want {
		t.Errorf("factsText:\n%s\nwant\n%s", got, want)
	}
	if got := factsText(machineFacts{}); got != "" {
		t.Errorf("no facts: %q", got)
	}
}

// TestFactsOpteron consults the generated facts of the 4x4 Opteron and
// checks that the policies answer as they do on the hand-written facts
// of skb/programs/testdata/opteron4x4.pl.
func TestFactsOpteron(t *testing.T) {
	text := factsText(opteronFacts())
	if n := strings.Count(text, "\n"); n != 16+16+4+1+4+4 {
		t.Errorf("%d facts:\n%s", n, text)
	}
	ours := factsEngine(t, "facts", text)
	ref, err := os.ReadFile("../skb/programs/testdata/opteron4x4.pl")
	if err != nil {
		t.Fatal(err)
	}
	theirs := factsEngine(t, "opteron4x4.pl", string(ref))
	same := []string{
		"multicast_tree(0, T), multicast_edges(T, E)",
		"multicast_tree(5, T), multicast_edges(T, E)",
		"multicast_tree(0, [1,5,6,15], T)",
		"core_alloc_order(Cs)",
		"alloc_cores(6, Cs)",
		"alloc_cores(17, Cs)",
		"local_memory(13, B, S)",
		"nearest_memory(5, B, S), !",
		"node_memory(2, M)",
		"core_distance(0, 15, D), core_distance(6, 9, D2)",
		"findall(N, node(N), Ns)",
		"findall(N-Cs, node_cores(N, Cs), L)",
		"cpu(V, F, M)",
		"cpu_feature(sse4a), cpu_feature(lahf_lm)",
		"device_class(0x020000, B, D, F), !",
	}
	for _, g := range same {
		if got, want := skbAnswers(t, ours, g), skbAnswers(t, theirs, g); got != want {
			t.Errorf("%s:\nours   %s\ntheirs %s", g, got, want)
		}
	}
	fixed := []struct{ goal, want string }{
		{"multicast_tree(0, T), multicast_edges(T, E)",
			"T = tree(0,[tree(12,[tree(13,[]),tree(14,[]),tree(15,[])]),tree(4,[tree(5,[]),tree(6,[]),tree(7,[])]),tree(8,[tree(9,[]),tree(10,[]),tree(11,[])]),tree(1,[]),tree(2,[]),tree(3,[])]), " +
				"E = [0-12,0-4,0-8,0-1,0-2,0-3,12-13,12-14,12-15,4-5,4-6,4-7,8-9,8-10,8-11]"},
		{"core_alloc_order(C)", "C = [0,4,8,12,1,5,9,13,2,6,10,14,3,7,11,15]"},
		{"cpu(V, F, M)", "V = 'AuthenticAMD', F = 16, M = 2"},
		{"findall(F, cpu_feature(F), Fs)", "Fs = [lahf_lm,sse2,sse3,sse4a]"},
		{"local_memory(0, B, S)", "B = 0, S = 1073741824"},
		{"findall(B, nearest_memory(12, B, _), Bs)", "Bs = [4294967296,1073741824,2147483648,0]"},
		{"pci_device(B, D, F, V, Dv, C)",
			"B = 0, D = 2, F = 0, V = 32902, Dv = 4110, C = 131072\n" +
				"B = 0, D = 31, F = 2, V = 32902, Dv = 10530, C = 67073\n" +
				"B = 0, D = 31, F = 3, V = 32902, Dv = 10544, C = 787712\n" +
				"B = 1, D = 0, F = 0, V = 6900, Dv = 4161, C = 131072"},
		{"findall(B-D-F, device_class(0x020000, B, D, F), L)", "L = [0-2-0,1-0-0]"},
		{"nearest_core(1, 0, 0, C)", "C = 0"}, // no device_node: node 0
	}
	for _, c := range fixed {
		if got := skbAnswers(t, ours, c.goal); got != c.want {
			t.Errorf("%s:\ngot  %s\nwant %s", c.goal, got, c.want)
		}
	}
	// Every pci_device fact reads back as the function it was written from.
	for _, d := range opteronFacts().PCI {
		g := fmt.Sprintf("pci_device(%d, %d, %d, V, D, C)", d.Bus, d.Dev, d.Fn)
		want := fmt.Sprintf("V = %d, D = %d, C = %d", d.Vendor, d.Device, d.Class)
		if got := skbAnswers(t, ours, g); got != want {
			t.Errorf("%s: %s, want %s", g, got, want)
		}
	}
}

func TestPrologAtom(t *testing.T) {
	cases := []struct{ in, want string }{
		{"AuthenticAMD", `'AuthenticAMD'`},
		{"GenuineIntel", `'GenuineIntel'`},
		{"sse4_2", `sse4_2`},
		{"lahf_lm", `lahf_lm`},
		{"a b", `'a b'`},
		{"it's", `'it\'s'`},
		{`back\slash`, `'back\\slash'`},
		{"", `''`},
		{"_x", `'_x'`},
		{"4x", `'4x'`},
		{"x-y", `'x-y'`},
		{"[]", `'[]'`},
		{"tab\there", `'tab\there'`},
		{"nul\x00", `'nul\x0\'`},
		{"bad\xff", `'bad\xFF\'`},
		{"café", `'café'`},
	}
	e := skb.New(skb.Options{MaxSteps: 1_000_000})
	for _, c := range cases {
		got := prologAtom(c.in)
		if got != c.want {
			t.Errorf("prologAtom(%q) = %s, want %s", c.in, got, c.want)
		}
		// It reads back as the same characters.
		var codes []string
		for _, r := range c.in {
			if r == '\uFFFD' && strings.Contains(c.in, "\xff") {
				r = 0xFF // the byte escape of invalid UTF-8
			}
			codes = append(codes, fmt.Sprint(int(r)))
		}
		goal := fmt.Sprintf("atom_codes(%s, Cs)", got)
		if ans, want := skbAnswers(t, e, goal), "Cs = ["+strings.Join(codes, ",")+"]"; ans != want {
			t.Errorf("%s: %s, want %s", goal, ans, want)
		}
	}
}

// fakeCPUID answers from a table of leaves; others read as zero.
func fakeCPUID(leaves map[uint32][4]uint32) func(leaf, sub uint32) (a, b, c, d uint32) {
	return func(leaf, sub uint32) (a, b, c, d uint32) {
		r := leaves[leaf]
		return r[0], r[1], r[2], r[3]
	}
}

func TestCPUIdentity(t *testing.T) {
	// "AuthenticAMD" in EBX, EDX, ECX.
	amd := [4]uint32{5, 0x68747541, 0x444d4163, 0x69746e65}
	// QEMU's Opteron_G3: family 10h model 2, with leaf 7 listed (but
	// beyond the maximum basic leaf 5: its bits must not count).
	leaves := map[uint32][4]uint32{
		0:          amd,
		1:          {0x00100F22, 0, 1<<0 | 1<<13 | 1<<23, 0x078bfbff},
		7:          {0, 1<<5 | 1<<8, 0, 0}, // avx2, bmi2: not read
		0x80000000: {0x8000000A, 0, 0, 0},
		0x80000001: {0x00100F22, 0, 1<<0 | 1<<5 | 1<<6 | 1<<7, 1<<11 | 1<<20 | 1<<29},
		0x80000007: {0, 0, 0, 1 << 8},
	}
	v, fam, model, feats := cpuIdentity(fakeCPUID(leaves))
	if v != "AuthenticAMD" || fam != 16 || model != 2 {
		t.Errorf("identity %q %d %d", v, fam, model)
	}
	has := map[string]bool{}
	for _, f := range feats {
		has[f] = true
	}
	for _, f := range []string{"fpu", "tsc", "pae", "apic", "cmov", "sse", "sse2", "sse3", "cx16", "popcnt",
		"syscall", "nx", "lm", "lahf_lm", "abm", "sse4a", "misalignsse", "invariant_tsc"} {
		if !has[f] {
			t.Errorf("%s missing from %v", f, feats)
		}
	}
	for _, f := range []string{"avx", "avx2", "bmi2", "x2apic", "ssse3", "sse4_1", "hypervisor"} {
		if has[f] {
			t.Errorf("%s reported: %v", f, feats)
		}
	}
	// An Intel family 6 model 9Eh (extended model 9), no extended leaves.
	intel := map[uint32][4]uint32{
		0:          {0x16, 0x756e6547, 0x6c65746e, 0x49656e69},
		1:          {0x000906EA, 0, 1 << 21, 0},
		7:          {0, 1 << 5, 0, 0},
		0x80000000: {0, 0, 0, 0},
		0x80000001: {0, 0, 0, 1 << 29},
	}
	v, fam, model, feats = cpuIdentity(fakeCPUID(intel))
	if v != "GenuineIntel" || fam != 6 || model != 0x9E || !reflect.DeepEqual(feats, []string{"x2apic", "avx2"}) {
		t.Errorf("intel: %q %d %#x %v", v, fam, model, feats)
	}
	// Every name is a bare atom, and none repeats.
	seen := map[string]bool{}
	for _, f := range factFeatures {
		if prologAtom(f.name) != f.name || seen[f.name] || f.reg < 'a' || f.reg > 'd' || f.bit > 31 {
			t.Errorf("bad feature entry %+v", f)
		}
		seen[f.name] = true
	}
}

// TestCPUIdentityHost decodes the CPU running the test (CPUID works in
// ring 3) and consults the result.
func TestCPUIdentityHost(t *testing.T) {
	v, fam, model, feats := cpuIdentity(ring0.CPUID)
	if v == "" || fam == 0 {
		t.Fatalf("host CPU: %q family %d model %d", v, fam, model)
	}
	text := factsText(machineFacts{Vendor: v, Family: fam, Model: model, Features: feats})
	e := factsEngine(t, "host", text)
	want := fmt.Sprintf("V = %s, F = %d, M = %d", prologAtom(v), fam, model)
	if got := skbAnswers(t, e, "cpu(V, F, M)"); got != want {
		t.Errorf("cpu/3: %s, want %s", got, want)
	}
	if got := skbAnswers(t, e, "cpu_feature(sse2), cpu_feature(lm)"); got != "true" {
		t.Errorf("host without sse2 and lm? %s\n%s", got, text)
	}
	t.Logf("host: %s", strings.ReplaceAll(text, "\n", " "))
}

func TestTopologyFacts(t *testing.T) {
	// No SLIT: defaults. Node 1 has an empty range, left out.
	topo := &acpi.Topology{Nodes: []acpi.Node{
		{Domain: 0, Memory: []acpi.MemoryAffinity{{Base: 0, Length: 0x9f000}, {Base: 0x100000, Length: 0x7ff00000}}},
		{Domain: 1, Memory: []acpi.MemoryAffinity{{Base: 0x80000000, Length: 0x80000000, Domain: 1}, {Base: 0x200000000, Domain: 1}}},
	}}
	dist, mem := topologyFacts(topo)
	if !reflect.DeepEqual(dist, [][]int{{10, 20}, {20, 10}}) {
		t.Errorf("distances %v", dist)
	}
	want := []memFact{{0, 0x9f000, 0}, {0x100000, 0x7ff00000, 0}, {0x80000000, 0x80000000, 1}}
	if !reflect.DeepEqual(mem, want) {
		t.Errorf("memory %v, want %v", mem, want)
	}
	// Without SRAT: one node, no memory facts.
	dist, mem = topologyFacts(&acpi.Topology{Nodes: []acpi.Node{{}}})
	if !reflect.DeepEqual(dist, [][]int{{10}}) || mem != nil {
		t.Errorf("no SRAT: %v %v", dist, mem)
	}
	if dist, mem = topologyFacts(nil); !reflect.DeepEqual(dist, [][]int{{10}}) || mem != nil {
		t.Errorf("nil: %v %v", dist, mem)
	}
}

// pciTable is a configuration space of two functions and a bridge that
// loops back to bus 0.
type pciTable map[[4]uint8]uint32

func (p pciTable) Read32(bus, dev, fn uint8, off uint8) uint32 {
	if v, ok := p[[4]uint8{bus, dev, fn, off}]; ok {
		return v
	}
	return 0xFFFFFFFF
}

func TestScanPCI(t *testing.T) {
	p := pciTable{
		{0, 0, 0, 0x00}: 0x29c08086, {0, 0, 0, 0x08}: 0x06000002, {0, 0, 0, 0x0C}: 0,
		{0, 3, 0, 0x00}: 0x000c1b36, {0, 3, 0, 0x08}: 0x06040000, {0, 3, 0, 0x0C}: 0x00010000, {0, 3, 0, 0x18}: 0x00000000,
	}
	var errs []error
	fns := scanPCI(p, func(err error) { errs = append(errs, err) })
	if len(fns) != 2 || len(errs) != 1 {
		t.Fatalf("%v %v", fns, errs)
	}
	text := factsText(machineFacts{PCI: fns})
	want := "pci_device(0, 0, 0, 0x8086, 0x29c0, 0x060000).\npci_device(0, 3, 0, 0x1b36, 0x000c, 0x060400).\n"
	if text != want {
		t.Errorf("facts:\n%s\nwant\n%s", text, want)
	}
}
