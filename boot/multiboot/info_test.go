package multiboot

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseGood(t *testing.T) {
	bi := goodInfo()
	in, err := Parse(bi.mem(), infoAddr)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Problems) != 0 {
		t.Fatalf("problems: %v", in.Problems)
	}
	if in.MemLower != 639 || in.MemUpper != 2096000 || in.Cmdline != bi.cmdline || in.LoaderName != "qemu" {
		t.Errorf("info = %+v", in)
	}
	if !reflect.DeepEqual(in.Modules, bi.modules) {
		t.Errorf("modules = %+v, want %+v", in.Modules, bi.modules)
	}
	if in.Modules[0].Size() != 0x3A0123 {
		t.Errorf("module 0 size %#x", in.Modules[0].Size())
	}
	if !reflect.DeepEqual(in.MemoryMap, qemuMap) {
		t.Errorf("memory map = %+v", in.MemoryMap)
	}
}

func TestParseFlagsClear(t *testing.T) {
	bi := goodInfo()
	bi.flags = 0
	in, err := Parse(bi.mem(), infoAddr)
	if err != nil || len(in.Problems) != 0 {
		t.Fatal(err, in.Problems)
	}
	if in.MemUpper != 0 || in.Cmdline != "" || in.Modules != nil || in.MemoryMap != nil || in.LoaderName != "" {
		t.Errorf("fields read though their flags are clear: %+v", in)
	}
}

func TestParseExtendedMemoryMapEntries(t *testing.T) {
	bi := goodInfo()
	bi.mmapSize = 24 // ACPI 3.0 extended attributes after the type
	in, _ := Parse(bi.mem(), infoAddr)
	if !reflect.DeepEqual(in.MemoryMap, qemuMap) || len(in.Problems) != 0 {
		t.Errorf("memory map = %+v, problems %v", in.MemoryMap, in.Problems)
	}
}

func TestRegionTypeString(t *testing.T) {
	got := []string{}
	for ty := RegionType(0); ty <= 6; ty++ {
		got = append(got, ty.String())
	}
	want := "type 0,available,reserved,ACPI reclaimable,ACPI NVS,bad RAM,type 6"
	if strings.Join(got, ",") != want {
		t.Errorf("names = %q", strings.Join(got, ","))
	}
}

func TestParseBadInput(t *testing.T) {
	long := strings.Repeat("x", MaxCmdline+1)
	cases := []struct {
		name  string
		edit  func(bi *bootInfo)
		patch func(img []byte) []byte // applied to the built image
		want  []string
		check func(t *testing.T, in *Info)
	}{{
		name: "command line without NUL within the cap",
		edit: func(bi *bootInfo) { bi.cmdline = long },
		want: []string{"command line dropped: string at 0x9080 has no NUL within 4096 bytes"},
	}, {
		name: "command line of exactly the cap",
		edit: func(bi *bootInfo) { bi.cmdline = long[:MaxCmdline] },
		check: func(t *testing.T, in *Info) {
			if len(in.Cmdline) != MaxCmdline {
				t.Errorf("command line of %d bytes", len(in.Cmdline))
			}
		},
	}, {
		name:  "command line pointing nowhere",
		patch: func(img []byte) []byte { le.PutUint32(img[offCmdline:], 0x7000000); return img },
		want:  []string{"command line dropped: string at 0x7000000: fake memory: nothing at 0x7000000"},
	}, {
		name: "command line running into unreadable memory",
		patch: func(img []byte) []byte {
			le.PutUint32(img[offCmdline:], infoAddr+uint32(len(img))-3)
			copy(img[len(img)-3:], "xyz")
			return img
		},
		want: []string{"command line dropped", "nothing at 0x"},
	}, {
		name: "module ending before its start",
		edit: func(bi *bootInfo) { bi.modules[1].End = bi.modules[1].Start - 1 },
		want: []string{"module 1 dropped: it ends at 0x5a0fff, before its start 0x5a1000"},
		check: func(t *testing.T, in *Info) {
			if len(in.Modules) != 2 || in.Modules[1].Start != 0x900000 {
				t.Errorf("modules = %+v", in.Modules)
			}
		},
	}, {
		name:  "too many modules",
		patch: func(img []byte) []byte { le.PutUint32(img[offModsCount:], 1000); return img },
		want:  []string{"1000 modules listed, only the first 64 are used", "module list at 0x"},
	}, {
		name: "module string unreadable",
		patch: func(img []byte) []byte {
			le.PutUint32(img[le.Uint32(img[offModsAddr:])-infoAddr+8:], 0xFFFFFFF0)
			return img
		},
		want: []string{"string of module 0 dropped"},
		check: func(t *testing.T, in *Info) {
			if len(in.Modules) != 3 || in.Modules[0].String != "" {
				t.Errorf("modules = %+v", in.Modules)
			}
		},
	}, {
		name: "memory map entry size too small",
		patch: func(img []byte) []byte {
			img[le.Uint32(img[offMmapAddr:])-infoAddr+2*24] = 8
			return img
		},
		want: []string{"memory map entry at offset 48 has size 8 (room 188, want 20..256); it and the rest are ignored"},
		check: func(t *testing.T, in *Info) {
			if len(in.MemoryMap) != 2 {
				t.Errorf("%d entries kept, want the 2 before the bad one", len(in.MemoryMap))
			}
		},
	}, {
		name: "memory map length cutting an entry",
		patch: func(img []byte) []byte {
			le.PutUint32(img[offMmapLength:], 24*3+10)
			return img
		},
		want: []string{"memory map entry at offset 72 has size 20 (room 6"},
	}, {
		name: "memory map with stray bytes",
		patch: func(img []byte) []byte {
			le.PutUint32(img[offMmapLength:], 24*10+2)
			return append(img, 0, 0)
		},
		want: []string{"memory map: 2 stray byte(s) at offset 240"},
	}, {
		name: "memory map entry wrapping around",
		edit: func(bi *bootInfo) { bi.mmap = append(bi.mmap, MemoryRegion{^uint64(0) - 5, 10, Available}) },
		want: []string{"wraps around the address space; dropped"},
	}, {
		name: "memory map with too many entries",
		edit: func(bi *bootInfo) {
			bi.mmap = nil
			for i := 0; i < MaxMemoryMapEntries+1; i++ {
				bi.mmap = append(bi.mmap, MemoryRegion{uint64(i) << 20, 1 << 20, Available})
			}
		},
		want: []string{"more than 128 entries"},
		check: func(t *testing.T, in *Info) {
			if len(in.MemoryMap) != MaxMemoryMapEntries {
				t.Errorf("%d entries", len(in.MemoryMap))
			}
		},
	}, {
		name:  "memory map length huge",
		patch: func(img []byte) []byte { le.PutUint32(img[offMmapLength:], 0xFFFFFFFF); return img },
		want:  []string{"memory map length 4294967295 exceeds 33280", "memory map at 0x"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bi := goodInfo()
			if c.edit != nil {
				c.edit(&bi)
			}
			img := bi.build()
			if c.patch != nil {
				img = c.patch(img)
			}
			m := &fakeMem{}
			m.put(infoAddr, img)
			in, err := Parse(m, infoAddr)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !hasProblem(in, w) {
					t.Errorf("no problem says %q; problems: %v", w, in.Problems)
				}
			}
			if c.check != nil {
				c.check(t, in)
			}
		})
	}
}

func hasProblem(in *Info, s string) bool {
	for _, p := range in.Problems {
		if strings.Contains(p.Error(), s) {
			return true
		}
	}
	return false
}

func TestParseUnreadable(t *testing.T) {
	m := &fakeMem{}
	m.put(infoAddr, make([]byte, infoLen-1))
	if _, err := Parse(m, infoAddr); err == nil || !strings.Contains(err.Error(), "cannot read the boot information at 0x9000") {
		t.Fatalf("err = %v", err)
	}
}
