package acpi

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// loadDump maps every NNNNNNNN.bin file of a testdata directory at the
// physical address its name gives.
func loadDump(t testing.TB, dir string) *fakeMem {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.bin"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dump in %s: %v", dir, err)
	}
	m := &fakeMem{}
	for _, f := range files {
		addr, err := strconv.ParseUint(strings.TrimSuffix(filepath.Base(f), ".bin"), 16, 64)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m.put(addr, b)
	}
	m.zeros = &[2]uint64{biosAreaBase, biosAreaEnd} // the dump keeps the RSDP, not SeaBIOS's code
	return m
}
