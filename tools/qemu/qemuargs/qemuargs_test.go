package qemuargs

import (
	"os"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	// The 4x4 Opteron square: one hop 16, two hops 22.
	want := [4][4]int{{10, 16, 16, 22}, {16, 10, 22, 16}, {16, 22, 10, 16}, {22, 16, 16, 10}}
	for a := 0; a < 4; a++ {
		for b := 0; b < 4; b++ {
			if d := Distance(4, a, b); d != want[a][b] {
				t.Errorf("Distance(4, %d, %d) = %d, want %d", a, b, d, want[a][b])
			}
		}
	}
}

func TestArgs(t *testing.T) {
	c := Config{SMP: 16, Nodes: 4, MemMiB: 4096, CPU: "Opteron_G3", Loader: "l", Modules: []string{"k", "m", "p @3 'f(a, b)'"}, Cmdline: "poweroff"}
	a, err := c.Args()
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(a, " ")
	for _, want := range []string{
		"-machine q35", "-smp 16,sockets=4,cores=4", "-numa node,nodeid=3,memdev=m3,cpus=12-15",
		"memory-backend-ram,id=m0,size=1024M", "-numa dist,src=0,dst=3,val=22", "-numa dist,src=1,dst=3,val=16",
		"-kernel l -initrd k,m,p @3 'f(a,, b)'", "-append poweroff", "isa-debug-exit,iobase=0xf4",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("args lack %q:\n%s", want, s)
		}
	}
	c.Nodes = 1
	a, _ = c.Args()
	if strings.Contains(strings.Join(a, " "), "-numa") {
		t.Errorf("one node must mean no -numa options (no SRAT)")
	}
	for _, bad := range []Config{{SMP: 0, Nodes: 1, MemMiB: 512, Modules: []string{"k"}}, {SMP: 4, Nodes: 5, MemMiB: 512, Modules: []string{"k"}}, {SMP: 4, Nodes: 1, MemMiB: 4, Modules: []string{"k"}}, {SMP: 4, Nodes: 1, MemMiB: 512}, {SMP: 4, Nodes: 1, MemMiB: 512, Modules: []string{"a,b"}}} {
		if _, err := bad.Args(); err == nil {
			t.Errorf("%+v: want an error", bad)
		}
	}
}

func TestPrograms(t *testing.T) {
	dir := t.TempDir()
	f := dir + "/prog"
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Programs(f + " " + f + "@3 " + f + "@all")
	if err != nil || strings.Join(got, ",") != f+","+f+" @3,"+f+" @all" {
		t.Errorf("Programs = %q, %v", got, err)
	}
	for _, bad := range []string{dir + "/missing", f + "@x", f + "@-1"} {
		if _, err := Programs(bad); err == nil {
			t.Errorf("Programs(%q): want an error", bad)
		}
	}
}
