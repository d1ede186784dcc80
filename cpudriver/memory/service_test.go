package memory

import (
	"testing"

	"multikernel/cpudriver/capcore"
)

// TestGiveBackRAM: a granted RAM capability goes back only once something
// was retyped from it and nothing is any more; one nobody used yet (a
// grant its requester still waits to use) and the boot one stay.
func TestGiveBackRAM(t *testing.T) {
	if err := Init(0, 0x1000_0000, 4<<20); err != nil {
		t.Fatal(err)
	}
	capcore.Lock()
	defer capcore.Unlock()
	if _, err := newRAMRoot(0x2000_0000, 4<<20, 1, fromService); err != nil {
		t.Fatal(err)
	}
	if back := giveBackRAM(); len(back) != 0 || len(ramRoots) != 2 {
		t.Fatalf("an unused grant went back: %v, %d left", back, len(ramRoots))
	}
	c, ok := RetypeRAMOn(capcore.DB(), 1<<20, 1)
	if !ok {
		t.Fatal("no RAM of node 1")
	}
	if back := giveBackRAM(); len(back) != 0 {
		t.Fatalf("a grant in use went back: %v", back)
	}
	capcore.DB().Delete(c.id)
	back := giveBackRAM()
	if len(back) != 1 || back[0] != (ramReturn{0x2000_0000, 4 << 20, 1}) || len(ramRoots) != 1 || ramRoots[0].from != fromBoot {
		t.Fatalf("giveBackRAM = %v, roots %v", back, ramRoots)
	}
}
