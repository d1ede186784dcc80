package cores

import (
	"runtime"
	"testing"

	"multikernel/libos/sys"
)

// TestCurrent: on a thread pinned to each allowed core in turn, Current
// says that core, as getcpu does.
func TestCurrent(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	all := Affinity()
	if all == 0 {
		t.Skip("no affinity mask")
	}
	defer SetAffinity(all)
	for _, c := range List(all) {
		if err := Pin(c); err != nil {
			t.Fatalf("pin to core %d: %v", c, err)
		}
		cpu, _, _ := sys.CPU()
		if got := Current(); got != c || cpu != c {
			t.Errorf("pinned to core %d: Current %d, getcpu %d (RDTSCP %v)", c, got, cpu, hasRDTSCP)
		}
	}
}
