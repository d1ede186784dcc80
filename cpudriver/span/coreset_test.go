package span

import "testing"

func TestParseCores(t *testing.T) {
	nodeOf := func(c int) int { return c / 4 }
	for _, tc := range []struct {
		spec string
		want CoreSet
		ok   bool
	}{
		{"0-15", 0xffff, true},
		{"4-7", 0xf0, true},
		{"0,2,4", 0x15, true},
		{"3", 0x8, true},
		{"node:1", 0xf0, true},
		{"node:0,12-13", 0x300f, true},
		{"node:9", 0, false}, // no core
		{"", 0, false},
		{"0,,1", 0, false},
		{"5-3", 0, false},
		{"-1", 0, false},
		{"16", 0, false}, // the machine has 16
		{"0-16", 0, false},
		{"x", 0, false},
		{"node:", 0, false},
		{"node:-1", 0, false},
	} {
		got, err := ParseCores(tc.spec, nodeOf, 16)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseCores(%q) = %#x, %v; want %#x, ok %v", tc.spec, got, err, tc.want, tc.ok)
		}
	}
	if _, err := ParseCores("node:1", nil, 16); err == nil {
		t.Errorf("node: without a topology was accepted")
	}
	if err := ValidSyntax("node:3,60-63"); err != nil {
		t.Errorf("ValidSyntax: %v", err)
	}
	if err := ValidSyntax("64"); err == nil {
		t.Errorf("ValidSyntax accepted core 64")
	}
}

func TestCoreSet(t *testing.T) {
	s := CoreSet(0x50)
	if !s.Has(4) || s.Has(5) || s.Has(-1) || s.Has(64) || s.Count() != 2 || s.Lowest() != 4 || s.Mask() != 0x50 {
		t.Errorf("CoreSet(0x50): Has/Count/Lowest wrong")
	}
	if CoreSet(0).Lowest() != -1 {
		t.Errorf("the empty set has a lowest core")
	}
}

func FuzzParseCores(f *testing.F) {
	for _, s := range []string{"0-15", "node:1", "0,2,4", "", "5-3", "node:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseCores(spec, func(c int) int { return c / 4 }, 64)
		if err != nil {
			return
		}
		if s == 0 {
			t.Fatalf("%q: an empty set without an error", spec)
		}
		if ValidSyntax(spec) != nil {
			t.Fatalf("%q parses but fails the syntax check", spec)
		}
	})
}
