package cap

import "testing"

func TestTypeGraphIsAcyclic(t *testing.T) {
	for _, a := range Types() {
		if Below(a, a) {
			t.Errorf("%v lies below itself: the retype graph has a cycle", a)
		}
		for _, b := range a.Info().RetypeTo {
			if a.Info().Space != b.Info().Space {
				t.Errorf("%v retypes into %v of another space", a, b)
			}
			if a != b && depth[a] >= depth[b] {
				t.Errorf("depth %v=%d not below %v=%d", a, depth[a], b, depth[b])
			}
		}
	}
}

func TestTypeTableShapes(t *testing.T) {
	for _, ty := range Types() {
		info := ty.Info()
		if info.Name != ty.String() || info.Name == "" {
			t.Errorf("type %d: name %q", ty, info.Name)
		}
		if info.Space == SpaceNone {
			if len(info.RetypeTo) != 0 || !info.Root {
				t.Errorf("%v: a type without a range must be a root and retype into nothing", ty)
			}
			continue
		}
		step := info.Fixed
		if step == 0 {
			step = info.Granule
			if info.Min == 0 || info.Min%info.Granule != 0 {
				t.Errorf("%v: minimum %#x not a multiple of granule %#x", ty, info.Min, info.Granule)
			}
		}
		// Objects laid end to end keep their alignment only if it divides their size.
		if info.Align == 0 || step == 0 || step%info.Align != 0 {
			t.Errorf("%v: alignment %#x does not divide size step %#x", ty, info.Align, step)
		}
	}
	if Null.Valid() || numTypes.Valid() || Null.Info().Name != "" || Type(200).String() != "Type(?)" {
		t.Error("Null or out-of-range types are treated as valid")
	}
}

func TestRelations(t *testing.T) {
	ram := Cap{Type: RAM, Base: 0x10000, Size: 0x4000}
	cases := []struct {
		name             string
		a, b             Cap
		copy, desc, over bool // IsCopy(a,b), IsDescendant(a,b), Overlaps(a,b)
	}{
		{"same object", ram, ram, true, false, true},
		{"rights do not matter", Cap{Type: RAM, Base: 0x10000, Size: 0x4000, Rights: RightRead}, ram, true, false, true},
		{"frame inside", Cap{Type: Frame, Base: 0x11000, Size: 0x1000}, ram, false, true, true},
		{"frame same range", Cap{Type: Frame, Base: 0x10000, Size: 0x4000}, ram, false, true, true},
		{"smaller RAM", Cap{Type: RAM, Base: 0x10000, Size: 0x1000}, ram, false, true, true},
		{"ancestor is not a descendant", ram, Cap{Type: Frame, Base: 0x11000, Size: 0x1000}, false, false, true},
		{"frame sticking out", Cap{Type: Frame, Base: 0x13000, Size: 0x2000}, ram, false, false, true},
		{"frame elsewhere", Cap{Type: Frame, Base: 0x20000, Size: 0x1000}, ram, false, false, false},
		{"IRQ vs RAM", Cap{Type: IRQ, Base: 0x10000, Size: 1}, ram, false, false, false},
		{"endpoint of dispatcher", Cap{Type: EndPoint, Base: 0x10400, Size: 1024}, Cap{Type: Dispatcher, Base: 0x10400, Size: 1024}, false, true, true},
		{"kernel copies", Cap{Type: Kernel}, Cap{Type: Kernel}, true, false, false},
	}
	for _, c := range cases {
		if IsCopy(c.a, c.b) != c.copy || IsDescendant(c.a, c.b) != c.desc || Overlaps(c.a, c.b) != c.over {
			t.Errorf("%s: copy %v desc %v overlap %v, want %v %v %v", c.name,
				IsCopy(c.a, c.b), IsDescendant(c.a, c.b), Overlaps(c.a, c.b), c.copy, c.desc, c.over)
		}
	}
}

func TestRightsString(t *testing.T) {
	if s := (RightRead | RightExecute).String(); s != "r-x-" {
		t.Errorf("got %q", s)
	}
	if !AllRights.Has(RightGrant|RightWrite) || RightRead.Has(RightWrite) || Rights(0x10).Valid() {
		t.Error("Has or Valid wrong")
	}
}
