package grant

import (
	"reflect"
	"testing"
)

func TestParseGrants(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want []Grant
		bad  bool
	}{
		{spec: "io:0x70-0x71", want: []Grant{{IO, 0x70, 2}}},
		{spec: "io:0x80", want: []Grant{{IO, 0x80, 1}}},
		{spec: "io:0-65535", want: []Grant{{IO, 0, 65536}}},
		{spec: "irq:8,devmem,io:0xcf8-0xcff", want: []Grant{{IRQ, 8, 1}, {Kind: DevMem}, {IO, 0xcf8, 8}}},
		{spec: "", bad: true},
		{spec: "io:0x71-0x70", bad: true},
		{spec: "io:0x10000", bad: true},
		{spec: "io:", bad: true},
		{spec: "io:1-", bad: true},
		{spec: "irq:256", bad: true},
		{spec: "irq:x", bad: true},
		{spec: "devmem:0xfd000000-0xfd000fff", want: []Grant{{DevMem, 0xfd000000, 0x1000}}},
		{spec: "mem:64,io:0x80", want: []Grant{{Kind: Mem, Size: 64 << 20}, {IO, 0x80, 1}}},
		{spec: "mem:0", want: []Grant{{Kind: Mem}}},
		{spec: "mem:", bad: true},
		{spec: "mem:-1", bad: true},
		{spec: "mem:4294967296", bad: true},
		{spec: "devmem:1", bad: true},
		{spec: "devmem:0xfd000000-0xfd000ffe", bad: true},
		{spec: "devmem:0xfd000001-0xfd000fff", bad: true},
		{spec: "devmem:0xfd001000-0xfd000fff", bad: true},
		{spec: "devmem:0-0xffffffffffffffff", bad: true},
		{spec: "ram:4", bad: true},
		{spec: "io:1,,io:2", bad: true},
	} {
		got, err := Parse(tc.spec)
		if tc.bad {
			if err == nil {
				t.Errorf("Parse(%q) = %v, want an error", tc.spec, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", tc.spec, got, err, tc.want)
		}
		for _, g := range got { // String reads back
			back, err := Parse(g.String())
			if err != nil || len(back) != 1 || back[0] != g {
				t.Errorf("%v reads back as %v, %v", g, back, err)
			}
		}
	}
}

func FuzzParseGrants(f *testing.F) {
	for _, s := range []string{"io:0x70-0x71", "irq:8,devmem", "io:1-", "", "devmem:0x1000-0x1fff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gs, err := Parse(s)
		if err != nil {
			return
		}
		for _, g := range gs {
			if g.Kind == IO && (g.Size == 0 || g.Base+g.Size > 1<<16) {
				t.Fatalf("%q: port grant %v outside the port space", s, g)
			}
			if g.Kind == DevMem && g.Size != 0 && (g.Base%pageSize != 0 || g.Size%pageSize != 0 || g.Base+g.Size < g.Base) {
				t.Fatalf("%q: device memory grant %v not page aligned", s, g)
			}
		}
	})
}
