package main

import (
	"reflect"
	"testing"
)

func TestCarve(t *testing.T) {
	spans := []span{{0x1000, 0x3000}, {0x10000, 0x20000}}
	taken, left := carve(spans, 0x4000)
	if !reflect.DeepEqual(taken, []span{{0x1000, 0x3000}, {0x10000, 0x12000}}) || !reflect.DeepEqual(left, []span{{0x12000, 0x20000}}) {
		t.Errorf("carve: taken %v left %v", taken, left)
	}
	if total(taken)+total(left) != total(spans) {
		t.Errorf("carve lost memory")
	}
	base, rest, ok := carveContig([]span{{0x1000, 0x2000}, {0x10000, 0x20000}}, 0x8000)
	if !ok || base != 0x10000 || rest[1].base != 0x18000 {
		t.Errorf("carveContig = %#x %v %v", base, rest, ok)
	}
	if _, _, ok := carveContig([]span{{0, 0x1000}}, 0x2000); ok {
		t.Errorf("carveContig found room that is not there")
	}
}
