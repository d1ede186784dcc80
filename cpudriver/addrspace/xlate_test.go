package addrspace

import (
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"multikernel/cpudriver/pagetable"
)

// TestXlateModel: against a model page table changed at random (pages
// mapped read-only or writable, ranges unmapped, as munmap, MADV_DONTNEED,
// MAP_FIXED over, a revoked frame and the process's end do), a copy that
// looks up its page in the cache first, and walks and fills it on a miss,
// always gets the translation the table has at that moment, and never a
// store through a read-only or missing one; provided every unmap drops
// the cache first, as Space's do.
func TestXlateModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const pages = 8
	base := uint64(MmapMinAddr)
	table := map[uint64]uint64{} // page va -> leaf entry
	var c xlate
	nextPA := uint64(0x100000)
	hits := 0
	for step := 0; step < 20000; step++ {
		va := base + uint64(rng.Intn(pages))*PageSize
		switch op := rng.Intn(10); {
		case op < 2: // a fault or a frame maps a missing page
			if table[va] == 0 {
				e := nextPA | pagetable.Present
				if rng.Intn(2) == 0 {
					e |= pagetable.Writable
				}
				table[va] = e
				nextPA += PageSize
			}
		case op < 3: // munmap, DONTNEED, MAP_FIXED over, revoke: a range goes
			end := va + uint64(1+rng.Intn(3))*PageSize
			c = xlate{} // Space.unmapped
			for p := va; p < end; p += PageSize {
				delete(table, p)
			}
		case op < 4: // the process ends
			c = xlate{}
			clear(table)
		default: // a copy of a few bytes somewhere in the page
			addr := va + uint64(rng.Intn(PageSize))
			write := rng.Intn(2) == 0
			e := table[va]
			want, wantOK := e&pagetable.AddrMask, e&pagetable.Present != 0 && (!write || e&pagetable.Writable != 0)
			pa, ok := c.lookup(addr, write)
			if ok {
				hits++
			} else if e&pagetable.Present != 0 && (!write || e&pagetable.Writable != 0) {
				c.fill(addr, e) // the walk, as page does
				pa, ok = e&pagetable.AddrMask, true
			}
			if ok != wantOK || ok && pa != want {
				t.Fatalf("step %d: copy (write %v) at %#x got %#x, %v; the table has entry %#x", step, write, addr, pa, ok, e)
			}
		}
	}
	if hits == 0 {
		t.Fatal("the cache never hit")
	}
	var empty xlate
	if _, ok := empty.lookup(0, false); ok {
		t.Fatal("an empty cache translates page 0")
	}
}

// removals are the page-table calls that remove leaf entries of a space
// or change them (ProtectRange: fewer rights, another page).
var removals = []string{"UnmapUserFunc", "UnmapUserKeep", "ReleaseUserSpace", "ProtectRange", "FreeSlot"}

// TestUnmapsDropTranslation: in this package's code, every call that
// removes mappings from a space's page tables comes after a call of
// unmapped in the same function, so that no copy can go through a
// translation the removal made stale.
func TestUnmapsDropTranslation(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			dropped := token.NoPos
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if sel.Sel.Name == "unmapped" && (dropped == token.NoPos || call.Pos() < dropped) {
					dropped = call.Pos()
				}
				for _, r := range removals {
					if sel.Sel.Name == r {
						checked++
						if dropped == token.NoPos || dropped > call.Pos() {
							t.Errorf("%s: %s calls %s without unmapped before it", fset.Position(call.Pos()), fn.Name.Name, r)
						}
					}
				}
				return true
			})
		}
	}
	if checked < 4 {
		t.Fatalf("found %d removals, want at least 4 (Unmap, MapFrame, UnmapPinned, Release)", checked)
	}
}
