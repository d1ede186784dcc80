package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"multikernel/cpudriver/acpi"
	"multikernel/cpudriver/pci"
	"multikernel/cpudriver/ring0"
)

// The machine's facts for the system knowledge base, in the schema of
// skb/programs/schema.pl (docs/skb.md, "Facts schema"). The bootstrap core
// gathers them (gatherFacts) and writes them as Prolog text (factsText)
// for monitor 0 to consult into its SKB engine.

// coreFact is one core: its index (boot order), local APIC id and node.
type coreFact struct {
	Index, APIC, Node int
}

// memFact is one range of physical memory local to a node (SRAT).
type memFact struct {
	Base, Size uint64
	Node       int
}

// machineFacts is everything the CPU driver tells the SKB about the
// machine at boot.
type machineFacts struct {
	Cores     []coreFact
	Distances [][]int // node x node: the SLIT, or 10 local / 20 remote
	Memory    []memFact
	Vendor    string // CPUID leaf 0, e.g. "AuthenticAMD"; no cpu/3 fact if empty
	Family    int    // display family: base + extended
	Model     int    // display model: base | extended<<4 where it applies
	Features  []string
	PCI       []pci.Function
}

// factsText writes f as Prolog facts, one per line, each kind sorted:
// core/3 by index, node_distance/3 for every ordered pair of nodes,
// memory_region/3 by base, cpu/3, cpu_feature/1 by name (each once) and
// pci_device/6 by bus, device and function. Addresses, sizes and PCI
// identifiers are written in hexadecimal.
func factsText(f machineFacts) string {
	var b strings.Builder
	cores := append([]coreFact(nil), f.Cores...)
	sort.SliceStable(cores, func(i, j int) bool { return cores[i].Index < cores[j].Index })
	for _, c := range cores {
		fmt.Fprintf(&b, "core(%d, %d, %d).\n", c.Index, c.APIC, c.Node)
	}
	for a, row := range f.Distances {
		for c, d := range row {
			fmt.Fprintf(&b, "node_distance(%d, %d, %d).\n", a, c, d)
		}
	}
	mem := append([]memFact(nil), f.Memory...)
	sort.SliceStable(mem, func(i, j int) bool {
		if mem[i].Base != mem[j].Base {
			return mem[i].Base < mem[j].Base
		}
		return mem[i].Node < mem[j].Node
	})
	for _, m := range mem {
		fmt.Fprintf(&b, "memory_region(%#x, %#x, %d).\n", m.Base, m.Size, m.Node)
	}
	if f.Vendor != "" {
		fmt.Fprintf(&b, "cpu(%s, %d, %d).\n", prologAtom(f.Vendor), f.Family, f.Model)
	}
	feats := append([]string(nil), f.Features...)
	sort.Strings(feats)
	for i, name := range feats {
		if i > 0 && name == feats[i-1] {
			continue
		}
		fmt.Fprintf(&b, "cpu_feature(%s).\n", prologAtom(name))
	}
	devs := append([]pci.Function(nil), f.PCI...)
	sort.SliceStable(devs, func(i, j int) bool {
		x, y := devs[i], devs[j]
		if x.Bus != y.Bus {
			return x.Bus < y.Bus
		}
		if x.Dev != y.Dev {
			return x.Dev < y.Dev
		}
		return x.Fn < y.Fn
	})
	for _, d := range devs {
		fmt.Fprintf(&b, "pci_device(%d, %d, %d, 0x%04x, 0x%04x, 0x%06x).\n", d.Bus, d.Dev, d.Fn, d.Vendor, d.Device, d.Class)
	}
	return b.String()
}

// prologAtom writes s as a Prolog atom the way writeq does for the simple
// case: bare when it starts with an ASCII lowercase letter and continues
// with ASCII letters, digits and underscores; otherwise in single quotes,
// with \ and ' escaped by a backslash, the usual control characters by
// their letter escapes and any other unprintable character (or byte of
// invalid UTF-8) as \xHH\.
func prologAtom(s string) string {
	bare := s != "" && s[0] >= 'a' && s[0] <= 'z'
	for i := 0; bare && i < len(s); i++ {
		c := s[i]
		bare = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	if bare {
		return s
	}
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%X\`, s[i])
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\x%X\`, r)
		default:
			b.WriteRune(r)
		}
		i += n
	}
	b.WriteByte('\'')
	return b.String()
}

// gatherFacts collects the machine's facts on the bootstrap core: the
// cores as the caller numbered them, node distances and memory affinity
// from topo (no memory_region facts without an SRAT), the processor from
// CPUID and the PCI functions from configuration space, each scan problem
// printed on the console.
func gatherFacts(topo *acpi.Topology, cores []coreFact) machineFacts {
	f := machineFacts{Cores: cores}
	f.Distances, f.Memory = topologyFacts(topo)
	f.Vendor, f.Family, f.Model, f.Features = cpuIdentity(ring0.CPUID)
	cfg := ring0.PCIConfig{}
	if !cfg.Present() {
		console("cpudriver: PCI: configuration mechanism #1 not present; no PCI devices\n")
		return f
	}
	f.PCI = scanPCI(cfg, func(err error) { console("cpudriver: PCI: %v\n", err) })
	return f
}

// topologyFacts returns the node distance matrix of topo (SLIT, or the
// defaults) and the memory ranges of every node (SRAT), empty ones left
// out. A nil topology is one node without SRAT.
func topologyFacts(topo *acpi.Topology) ([][]int, []memFact) {
	if topo == nil || len(topo.Nodes) == 0 {
		return [][]int{{10}}, nil
	}
	n := len(topo.Nodes)
	dist := make([][]int, n)
	var mem []memFact
	for a := 0; a < n; a++ {
		dist[a] = make([]int, n)
		for b := 0; b < n; b++ {
			dist[a][b] = topo.Distance(a, b)
		}
		for _, m := range topo.NodeMemory(a) {
			if m.Length != 0 {
				mem = append(mem, memFact{Base: m.Base, Size: m.Length, Node: a})
			}
		}
	}
	return dist, mem
}

// scanPCI enumerates the PCI functions in cfg and hands each problem the
// scan reports to report.
func scanPCI(cfg pci.Config, report func(error)) []pci.Function {
	fns, errs := pci.Scan(cfg)
	for _, err := range errs {
		report(err)
	}
	return fns
}

// factFeature is one CPUID feature bit and its cpu_feature/1 name (the
// Linux /proc/cpuinfo name where it is a plain atom).
type factFeature struct {
	name string
	leaf uint32 // subleaf 0
	reg  byte   // 'a', 'b', 'c' or 'd'
	bit  uint
}

// factFeatures are the features reported to the SKB, when present.
var factFeatures = []factFeature{
	// Leaf 1 EDX.
	{"fpu", 1, 'd', 0}, {"vme", 1, 'd', 1}, {"de", 1, 'd', 2}, {"pse", 1, 'd', 3},
	{"tsc", 1, 'd', 4}, {"msr", 1, 'd', 5}, {"pae", 1, 'd', 6}, {"mce", 1, 'd', 7},
	{"cx8", 1, 'd', 8}, {"apic", 1, 'd', 9}, {"sep", 1, 'd', 11}, {"mtrr", 1, 'd', 12},
	{"pge", 1, 'd', 13}, {"mca", 1, 'd', 14}, {"cmov", 1, 'd', 15}, {"pat", 1, 'd', 16},
	{"pse36", 1, 'd', 17}, {"clflush", 1, 'd', 19}, {"mmx", 1, 'd', 23}, {"fxsr", 1, 'd', 24},
	{"sse", 1, 'd', 25}, {"sse2", 1, 'd', 26}, {"ht", 1, 'd', 28},
	// Leaf 1 ECX.
	{"sse3", 1, 'c', 0}, {"pclmulqdq", 1, 'c', 1}, {"monitor", 1, 'c', 3}, {"ssse3", 1, 'c', 9},
	{"fma", 1, 'c', 12}, {"cx16", 1, 'c', 13}, {"sse4_1", 1, 'c', 19}, {"sse4_2", 1, 'c', 20},
	{"x2apic", 1, 'c', 21}, {"movbe", 1, 'c', 22}, {"popcnt", 1, 'c', 23},
	{"tsc_deadline_timer", 1, 'c', 24}, {"aes", 1, 'c', 25}, {"xsave", 1, 'c', 26},
	{"avx", 1, 'c', 28}, {"f16c", 1, 'c', 29}, {"rdrand", 1, 'c', 30}, {"hypervisor", 1, 'c', 31},
	// Leaf 7 subleaf 0 EBX and ECX.
	{"fsgsbase", 7, 'b', 0}, {"bmi1", 7, 'b', 3}, {"hle", 7, 'b', 4}, {"avx2", 7, 'b', 5},
	{"smep", 7, 'b', 7}, {"bmi2", 7, 'b', 8}, {"erms", 7, 'b', 9}, {"invpcid", 7, 'b', 10},
	{"rtm", 7, 'b', 11}, {"avx512f", 7, 'b', 16}, {"rdseed", 7, 'b', 18}, {"adx", 7, 'b', 19},
	{"smap", 7, 'b', 20}, {"clflushopt", 7, 'b', 23}, {"sha_ni", 7, 'b', 29},
	{"umip", 7, 'c', 2}, {"pku", 7, 'c', 3},
	// Leaf 8000_0001 EDX and ECX.
	{"syscall", 0x80000001, 'd', 11}, {"nx", 0x80000001, 'd', 20}, {"mmxext", 0x80000001, 'd', 22},
	{"fxsr_opt", 0x80000001, 'd', 25}, {"pdpe1gb", 0x80000001, 'd', 26}, {"rdtscp", 0x80000001, 'd', 27},
	{"lm", 0x80000001, 'd', 29},
	{"lahf_lm", 0x80000001, 'c', 0}, {"cmp_legacy", 0x80000001, 'c', 1}, {"svm", 0x80000001, 'c', 2},
	{"extapic", 0x80000001, 'c', 3}, {"cr8_legacy", 0x80000001, 'c', 4}, {"abm", 0x80000001, 'c', 5},
	{"sse4a", 0x80000001, 'c', 6}, {"misalignsse", 0x80000001, 'c', 7}, {"osvw", 0x80000001, 'c', 9},
	{"ibs", 0x80000001, 'c', 10}, {"xop", 0x80000001, 'c', 11}, {"skinit", 0x80000001, 'c', 12},
	{"wdt", 0x80000001, 'c', 13}, {"lwp", 0x80000001, 'c', 15}, {"fma4", 0x80000001, 'c', 16},
	{"tbm", 0x80000001, 'c', 21}, {"topoext", 0x80000001, 'c', 22},
	// Leaf 8000_0007 EDX.
	{"invariant_tsc", 0x80000007, 'd', 8},
}

// cpuIdentity decodes the processor's vendor, display family and model
// (Intel SDM vol. 2, CPUID; AMD APM vol. 3, E.3.2) and the names of the
// features in factFeatures that it has, in table order. Leaves beyond the
// maximum that leaf 0 or 8000_0000 reports are not read.
func cpuIdentity(cpuid func(leaf, sub uint32) (a, b, c, d uint32)) (vendor string, family, model int, features []string) {
	maxBasic, b, c, d := cpuid(0, 0)
	v := []byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24), byte(d), byte(d >> 8), byte(d >> 16), byte(d >> 24), byte(c), byte(c >> 8), byte(c >> 16), byte(c >> 24)}
	vendor = strings.TrimRight(string(v), "\x00")
	maxExt, _, _, _ := cpuid(0x80000000, 0)
	if maxExt&0x80000000 == 0 {
		maxExt = 0
	}
	regs := map[uint32][4]uint32{}
	read := func(leaf uint32) ([4]uint32, bool) {
		if (leaf < 0x80000000 && leaf > maxBasic) || (leaf >= 0x80000000 && leaf > maxExt) {
			return [4]uint32{}, false
		}
		if r, ok := regs[leaf]; ok {
			return r, true
		}
		a, b, c, d := cpuid(leaf, 0)
		regs[leaf] = [4]uint32{a, b, c, d}
		return regs[leaf], true
	}
	if r, ok := read(1); ok {
		a := r[0]
		base, ext := int(a>>8&0xf), int(a>>20&0xff)
		family, model = base, int(a>>4&0xf)
		if base == 0xf {
			family += ext
		}
		if base == 0xf || base == 6 {
			model |= int(a>>16&0xf) << 4
		}
	}
	for _, f := range factFeatures {
		r, ok := read(f.leaf)
		if ok && r[f.reg-'a']&(1<<f.bit) != 0 {
			features = append(features, f.name)
		}
	}
	return vendor, family, model, features
}
