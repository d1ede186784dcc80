// Package qemuargs builds the QEMU command line that boots the multikernel:
// one definition shared by `make run`, the integration tests and the boot
// benchmark, so that all three boot the same machine.
package qemuargs

import (
	"fmt"
	"multikernel/cpudriver/span"
	"os"
	"strconv"
	"strings"

	"multikernel/cpudriver/kpi"
)

// isa-debug-exit values the guest writes (QEMU exits with value<<1|1):
// the exit-port protocol of the kernel-user interface.
const (
	ExitPort    = kpi.ExitPort
	ExitSuccess = kpi.ExitSuccess
	ExitFailure = kpi.ExitFailure
)

// Config describes one boot.
type Config struct {
	QEMU    string   // binary
	SMP     int      // cores
	Nodes   int      // NUMA nodes; 1 means no -numa options (no SRAT, no SLIT)
	MemMiB  int      // total memory
	CPU     string   // -cpu model
	Cmdline string   // kernel command line
	Loader  string   // Multiboot loader (-kernel)
	Modules []string // modules (-initrd), CPU driver first
	Extra   []string // further QEMU arguments
	// TraceFile, if set, is where QEMU writes what the guest sends to
	// its debug console at kpi.TracePort: the trace of a boot with the
	// trace option (docs/trace.md).
	TraceFile string
}

// Distance returns the SLIT distance between nodes a and b: for four nodes
// the Opteron square (one hop 16: 0-1, 0-2, 1-3, 2-3; two hops 22: 0-3,
// 1-2), otherwise 16 for every remote pair.
func Distance(nodes, a, b int) int {
	if a == b {
		return 10
	}
	if nodes == 4 && a+b == 3 {
		return 22
	}
	return 16
}

// NodeOf returns the node QEMU gives core i: cores are split into equal
// consecutive groups.
func NodeOf(smp, nodes, i int) int {
	if nodes <= 1 {
		return 0
	}
	return i / ((smp + nodes - 1) / nodes)
}

// Args returns QEMU's arguments: the machine, the serial console on
// standard output, and the boot images.
func (c Config) Args() ([]string, error) {
	a, err := c.MachineArgs()
	if err != nil {
		return nil, err
	}
	a = append(a, "-display", "none", "-serial", "stdio", "-monitor", "none",
		"-kernel", c.Loader, "-initrd", Initrd(c.Modules))
	if c.Cmdline != "" {
		a = append(a, "-append", c.Cmdline)
	}
	return append(a, c.Extra...), nil
}

// MachineArgs returns the arguments that define the machine (board, CPU,
// memory, cores, NUMA nodes and distances, the exit device), without the
// console and boot images: for callers that supply those themselves (the
// integration tests through vmtest, the Linux side of the boot benchmark).
func (c Config) MachineArgs() ([]string, error) {
	if c.SMP < 1 || c.SMP > 64 {
		return nil, fmt.Errorf("SMP=%d: want 1 to 64 cores", c.SMP)
	}
	if c.Nodes < 1 || c.Nodes > c.SMP {
		return nil, fmt.Errorf("NODES=%d: want 1 to SMP (%d) nodes", c.Nodes, c.SMP)
	}
	if c.MemMiB < 8*c.Nodes {
		return nil, fmt.Errorf("MEM=%d: want at least 8 MiB per node", c.MemMiB)
	}
	if len(c.Modules) == 0 || c.Modules[0] == "" {
		return nil, fmt.Errorf("no CPU driver module")
	}
	for _, m := range c.Modules {
		if path, _, _ := strings.Cut(m, " "); strings.Contains(path, ",") {
			return nil, fmt.Errorf("module path %q contains a comma", path)
		}
	}
	a := []string{
		"-machine", "q35", "-cpu", c.CPU, "-m", fmt.Sprint(c.MemMiB), "-no-reboot",
		"-device", fmt.Sprintf("isa-debug-exit,iobase=%#x,iosize=4", ExitPort),
	}
	if c.TraceFile != "" {
		if strings.Contains(c.TraceFile, ",") {
			return nil, fmt.Errorf("trace file %q contains a comma", c.TraceFile)
		}
		a = append(a, "-chardev", "file,id=trace,path="+c.TraceFile,
			"-device", fmt.Sprintf("isa-debugcon,iobase=%#x,chardev=trace", kpi.TracePort))
	}
	smp := fmt.Sprint(c.SMP)
	if c.SMP%c.Nodes == 0 {
		smp = fmt.Sprintf("%d,sockets=%d,cores=%d", c.SMP, c.Nodes, c.SMP/c.Nodes)
	}
	a = append(a, "-smp", smp)
	if c.Nodes > 1 {
		per := c.MemMiB / c.Nodes
		for n := 0; n < c.Nodes; n++ {
			lo, hi := -1, -1
			for i := 0; i < c.SMP; i++ {
				if NodeOf(c.SMP, c.Nodes, i) == n {
					if lo < 0 {
						lo = i
					}
					hi = i
				}
			}
			node := fmt.Sprintf("node,nodeid=%d,memdev=m%d", n, n)
			if lo >= 0 {
				node += fmt.Sprintf(",cpus=%d-%d", lo, hi)
			}
			a = append(a, "-object", fmt.Sprintf("memory-backend-ram,id=m%d,size=%dM", n, per), "-numa", node)
		}
		for s := 0; s < c.Nodes; s++ {
			for d := s + 1; d < c.Nodes; d++ {
				a = append(a, "-numa", fmt.Sprintf("dist,src=%d,dst=%d,val=%d", s, d, Distance(c.Nodes, s, d)))
			}
		}
	}
	return a, nil
}

// Programs turns a PROGS list ("PATH[@CORE|@all|@SPEC] ...", SPEC a set
// of cores a program spans: 0-15, node:1) into module strings
// ("PATH @CORE"), checking that each file exists.
func Programs(list string) ([]string, error) {
	var mods []string
	for _, item := range strings.Fields(list) {
		path, core, hasCore := strings.Cut(item, "@")
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("PROGS: %v", err)
		}
		if hasCore {
			if core != "all" {
				if n, err := strconv.Atoi(core); (err != nil || n < 0) && span.ValidSyntax(core) != nil {
					return nil, fmt.Errorf("PROGS: %q: want PATH@CORE (a core number), PATH@all or PATH@SPEC (cores to span: 0-15, 0,2, node:1)", item)
				}
			}
			path += " @" + core
		}
		mods = append(mods, path)
	}
	return mods, nil
}

// Initrd joins the modules into QEMU's -initrd list: commas separate
// modules, so a comma in a module's arguments is doubled, which QEMU reads
// as one comma of the module's string.
func Initrd(mods []string) string {
	esc := make([]string, len(mods))
	for i, m := range mods {
		esc[i] = strings.ReplaceAll(m, ",", ",,")
	}
	return strings.Join(esc, ",")
}
