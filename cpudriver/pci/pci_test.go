package pci

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// space is a fake configuration space: dwords by address, every other
// dword reading as def. It counts reads and records malformed ones.
type space struct {
	words map[uint32]uint32
	def   uint32
	reads int
	bad   string // the first malformed read, if any
}

func addr(bus, dev, fn, off uint8) uint32 {
	return uint32(bus)<<16 | uint32(dev)<<11 | uint32(fn)<<8 | uint32(off)
}

func (s *space) Read32(bus, dev, fn uint8, off uint8) uint32 {
	s.reads++
	if (dev >= 32 || fn >= 8 || off&3 != 0) && s.bad == "" {
		s.bad = Function{Bus: bus, Dev: dev, Fn: fn}.String()
	}
	if v, ok := s.words[addr(bus, dev, fn, off)]; ok {
		return v
	}
	return s.def
}

// add puts a function's identity, class, header type and (for bridges)
// bus numbers into s.
func (s *space) add(f Function) *space {
	if s.words == nil {
		s.words = map[uint32]uint32{}
	}
	s.words[addr(f.Bus, f.Dev, f.Fn, offID)] = uint32(f.Device)<<16 | uint32(f.Vendor)
	s.words[addr(f.Bus, f.Dev, f.Fn, offClass)] = f.Class<<8 | 0x02 // revision 2
	s.words[addr(f.Bus, f.Dev, f.Fn, offHeader)] = uint32(f.HeaderType)<<16 | 0x10
	if f.IsBridge() {
		s.words[addr(f.Bus, f.Dev, f.Fn, offBusNumber)] = uint32(f.Secondary)<<16 | uint32(f.Secondary)<<8 | uint32(f.Bus)
	}
	return s
}

func build(fs ...Function) *space {
	s := &space{def: 0xFFFFFFFF}
	for _, f := range fs {
		s.add(f)
	}
	return s
}

// q35 is a QEMU q35 machine with a PCIe root port leading to bus 1 and a
// virtio network device there, listed out of order.
var q35 = []Function{
	{Bus: 0, Dev: 0x1f, Fn: 3, Vendor: 0x8086, Device: 0x2930, Class: 0x0c0500},
	{Bus: 0, Dev: 0, Fn: 0, Vendor: 0x8086, Device: 0x29c0, Class: 0x060000},
	{Bus: 0, Dev: 1, Fn: 0, Vendor: 0x1234, Device: 0x1111, Class: 0x030000},
	{Bus: 0, Dev: 2, Fn: 0, Vendor: 0x8086, Device: 0x100e, Class: 0x020000},
	{Bus: 0, Dev: 3, Fn: 0, Vendor: 0x1b36, Device: 0x000c, Class: 0x060400, HeaderType: 0x01, Secondary: 1},
	{Bus: 0, Dev: 0x1f, Fn: 0, Vendor: 0x8086, Device: 0x2918, Class: 0x060100, HeaderType: 0x80},
	{Bus: 0, Dev: 0x1f, Fn: 2, Vendor: 0x8086, Device: 0x2922, Class: 0x010601},
	{Bus: 1, Dev: 0, Fn: 0, Vendor: 0x1af4, Device: 0x1041, Class: 0x020000},
}

func TestScanQ35(t *testing.T) {
	s := build(q35...)
	got, errs := Scan(s)
	if len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	want := []string{
		"00:00.0 8086:29c0 class 060000",
		"00:01.0 1234:1111 class 030000",
		"00:02.0 8086:100e class 020000",
		"00:03.0 1b36:000c class 060400",
		"00:1f.0 8086:2918 class 060100",
		"00:1f.2 8086:2922 class 010601",
		"00:1f.3 8086:2930 class 0c0500",
		"01:00.0 1af4:1041 class 020000",
	}
	var names []string
	for _, f := range got {
		names = append(names, f.String())
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("Scan:\ngot  %q\nwant %q", names, want)
	}
	if len(got) == len(want) {
		if b := got[3]; !b.IsBridge() || b.Secondary != 1 || b.HeaderType != 1 {
			t.Errorf("bridge: %+v", b)
		}
		if l := got[4]; l.HeaderType != 0x80 || l.IsBridge() || l.Secondary != 0 {
			t.Errorf("LPC: %+v", l)
		}
	}
	if s.bad != "" {
		t.Errorf("malformed read at %s", s.bad)
	}
	// Per bus one read per empty slot, three per function found (four for
	// a bridge) and one per absent function 1-7 of the multi-function 1f.
	if want := 2*32 - 6 + 3*8 + 1 + 5; s.reads != want {
		t.Errorf("%d reads, want %d", s.reads, want)
	}
}

// TestScanSingleFunction checks that functions 1-7 of a device without the
// multi-function bit are neither probed nor reported, even if they answer.
func TestScanSingleFunction(t *testing.T) {
	s := build(Function{Dev: 4, Fn: 0, Vendor: 0x8086, Device: 0x100e, Class: 0x020000},
		Function{Dev: 4, Fn: 1, Vendor: 0x8086, Device: 0x100e, Class: 0x020000})
	got, errs := Scan(s)
	if len(got) != 1 || len(errs) != 0 {
		t.Errorf("got %v, %v", got, errs)
	}
	// A multi-function device whose function 0 is missing is absent.
	s = build(Function{Dev: 4, Fn: 1, Vendor: 0x8086, Device: 0x100e, Class: 0x020000, HeaderType: 0x80})
	if got, _ := Scan(s); len(got) != 0 {
		t.Errorf("function 1 without function 0: %v", got)
	}
}

func bridge(bus, dev, fn, sec uint8) Function {
	return Function{Bus: bus, Dev: dev, Fn: fn, Vendor: 0x8086, Device: 0x244e, Class: 0x060401, HeaderType: 1, Secondary: sec}
}

func nic(bus, dev uint8) Function {
	return Function{Bus: bus, Dev: dev, Vendor: 0x8086, Device: 0x100e, Class: 0x020000}
}

// busIgnoring answers every bus with bus 0's functions, as a chipset that
// decodes no bus number would.
type busIgnoring struct{ *space }

func (b busIgnoring) Read32(bus, dev, fn uint8, off uint8) uint32 {
	return b.space.Read32(0, dev, fn, off)
}

func TestScanMalformed(t *testing.T) {
	cases := []struct {
		name      string
		cfg       Config
		functions int      // how many Scan returns
		buses     []uint8  // the buses they are on, in order, deduplicated
		errs      []string // substrings, one per error, in order
	}{
		{"nothing", build(), 0, nil, nil},
		{"all ones", &space{def: 0xFFFFFFFF}, 0, nil, nil},
		{"all zeros", &space{def: 0}, 0, nil, nil},
		{"bridge loops to bus 0", build(bridge(0, 1, 0, 1), bridge(1, 0, 0, 0)), 2, []uint8{0, 1},
			[]string{"01:00.0 (8086:244e) to bus 0: secondary bus 0"}},
		{"bridge loops to its parent", build(bridge(0, 1, 0, 1), bridge(1, 0, 0, 2), bridge(2, 0, 0, 1)), 3, []uint8{0, 1, 2},
			[]string{"02:00.0 (8086:244e) to bus 1: bus already scanned"}},
		{"bridge to itself", build(bridge(0, 1, 0, 1), bridge(1, 5, 0, 1)), 2, []uint8{0, 1},
			[]string{"01:05.0 (8086:244e) to bus 1: secondary bus is the bridge's own bus"}},
		{"bridge on bus 0 to bus 0", build(bridge(0, 1, 0, 0)), 1, []uint8{0},
			[]string{"unconfigured"}},
		{"two bridges to one bus", build(bridge(0, 1, 0, 3), bridge(0, 2, 0, 3), nic(3, 0)), 3, []uint8{0, 3},
			[]string{"00:02.0 (8086:244e) to bus 3: bus already scanned or claimed"}},
		{"bridge by class only", build(Function{Dev: 7, Vendor: 0x1022, Device: 0x1234, Class: 0x060400, Secondary: 2}, nic(2, 3)), 2, []uint8{0, 2}, nil},
		{"bus numbers not decoded", busIgnoring{build(bridge(0, 1, 0, 1), nic(0, 2))}, 4, []uint8{0, 1},
			[]string{"01:01.0 (8086:244e) to bus 1: secondary bus is the bridge's own bus"}},
		// Every dword 0x06811022: vendor 1022, header type 81h (a
		// multi-function bridge), secondary bus 10h, in every slot.
		{"every slot a multi-function bridge", &space{def: 0x06811022}, -1, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := Scan(c.cfg)
			if c.functions >= 0 && len(got) != c.functions {
				t.Errorf("%d functions, want %d: %v", len(got), c.functions, got)
			}
			if c.functions >= 0 {
				var buses []uint8
				for _, f := range got {
					if len(buses) == 0 || buses[len(buses)-1] != f.Bus {
						buses = append(buses, f.Bus)
					}
				}
				if !reflect.DeepEqual(buses, c.buses) {
					t.Errorf("buses %v, want %v", buses, c.buses)
				}
			}
			if c.errs != nil || c.functions >= 0 {
				if len(errs) != len(c.errs) {
					t.Errorf("errors %v, want %q", errs, c.errs)
				}
				for i := range errs {
					if i < len(c.errs) && !strings.Contains(errs[i].Error(), c.errs[i]) {
						t.Errorf("error %d: %v, want %q", i, errs[i], c.errs[i])
					}
					var be *BridgeError
					if !errors.As(errs[i], &be) {
						t.Errorf("error %d is not a BridgeError", i)
					}
				}
			}
			if s, ok := c.cfg.(*space); ok && s.reads > MaxReads {
				t.Errorf("%d reads, more than MaxReads %d", s.reads, MaxReads)
			}
			if c.functions < 0 && (len(got) != 512 || len(errs) != 255+256) {
				t.Errorf("%d functions, %d errors", len(got), len(errs))
			}
			checkResult(t, got)
		})
	}
}

// TestScanAllBuses builds a chain of bridges through all 256 bus numbers
// (bus n's device 0 leads to bus n+1) whose last bridge wraps around to
// bus 0: every bus is scanned once and the wrap is reported.
func TestScanAllBuses(t *testing.T) {
	s := build()
	for b := 0; b < 256; b++ {
		s.add(bridge(uint8(b), 0, 0, uint8(b+1)))
		s.add(nic(uint8(b), 1))
	}
	got, errs := Scan(s)
	if len(got) != 512 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "ff:00.0 (8086:244e) to bus 0") {
		t.Errorf("%d functions, errors %v", len(got), errs)
	}
	if s.reads > MaxReads {
		t.Errorf("%d reads, more than MaxReads %d", s.reads, MaxReads)
	}
	checkResult(t, got)
}

// TestScanWorstCase makes every slot of every bus a present multi-function
// bridge and counts the reads against MaxReads.
func TestScanWorstCase(t *testing.T) {
	s := build()
	for b := 0; b < 256; b++ {
		for d := 0; d < 32; d++ {
			for f := 0; f < 8; f++ {
				s.add(Function{Bus: uint8(b), Dev: uint8(d), Fn: uint8(f), Vendor: 0x1022, Device: 1,
					Class: 0x060400, HeaderType: 0x81, Secondary: uint8(b*7 + d + f + 1)})
			}
		}
	}
	got, _ := Scan(s)
	if s.reads > MaxReads {
		t.Errorf("%d reads, more than MaxReads %d", s.reads, MaxReads)
	}
	if len(got) != 256*32*8 {
		t.Errorf("%d functions", len(got))
	}
	checkResult(t, got)
}

// checkResult checks what holds for any Scan result: present vendors,
// valid device and function numbers, strictly ascending order.
func checkResult(t *testing.T, got []Function) {
	t.Helper()
	for i, f := range got {
		if f.Vendor == 0xFFFF || f.Vendor == 0 || f.Dev >= 32 || f.Fn >= 8 {
			t.Fatalf("bad function %+v", f)
		}
		if i > 0 && !less(got[i-1], f) {
			t.Fatalf("not sorted or duplicated: %v before %v", got[i-1], f)
		}
		if !f.IsBridge() && f.Secondary != 0 {
			t.Fatalf("secondary bus on a non-bridge: %+v", f)
		}
	}
}

// FuzzScan reads a configuration space from the input: four bytes of
// default dword for every address not listed, then records of eight bytes
// (bus, device, function, offset, dword little-endian).
func FuzzScan(f *testing.F) {
	enc := func(def uint32, s *space) []byte {
		b := binary.LittleEndian.AppendUint32(nil, def)
		for a, v := range s.words {
			b = append(b, uint8(a>>16), uint8(a>>11)&31, uint8(a>>8)&7, uint8(a))
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		return b
	}
	f.Add(enc(0xFFFFFFFF, build(q35...)))
	f.Add(enc(0xFFFFFFFF, build(bridge(0, 1, 0, 1), bridge(1, 0, 0, 0))))
	f.Add(enc(0xFFFFFFFF, build(bridge(0, 1, 0, 3), bridge(0, 2, 0, 3), nic(3, 0))))
	f.Add(enc(0x00810000, build(bridge(0, 0, 0, 1))))
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		s := &space{def: 0xFFFFFFFF, words: map[uint32]uint32{}}
		if len(data) >= 4 {
			s.def = binary.LittleEndian.Uint32(data)
			data = data[4:]
		}
		for ; len(data) >= 8; data = data[8:] {
			s.words[addr(data[0], data[1]&31, data[2]&7, data[3]&0xFC)] = binary.LittleEndian.Uint32(data[4:])
		}
		got, errs := Scan(s)
		if s.reads > MaxReads {
			t.Fatalf("%d reads, more than MaxReads %d", s.reads, MaxReads)
		}
		if s.bad != "" {
			t.Fatalf("malformed read at %s", s.bad)
		}
		checkResult(t, got)
		buses := map[uint8]bool{0: true}
		for _, fn := range got {
			buses[fn.Bus] = true
		}
		if len(buses) > 256 {
			t.Fatalf("%d buses", len(buses))
		}
		for _, e := range errs {
			if e == nil || e.Error() == "" {
				t.Fatal("empty error")
			}
		}
	})
}
