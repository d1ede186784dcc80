package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generateLine starts every go:generate line that runs this tool.
const generateLine = "//go:generate go run multikernel/tools/urpcgen "

// moduleRoot is the module's root, seen from this package's directory.
const moduleRoot = "../.."

// generateDirective is one go:generate line: where it is and its arguments.
type generateDirective struct {
	dir  string
	args []string
}

// findDirectives returns every go:generate line for urpcgen in the module.
func findDirectives(t *testing.T) []generateDirective {
	var found []generateDirective
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != moduleRoot {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), generateLine); ok {
				found = append(found, generateDirective{filepath.Dir(path), strings.Fields(rest)})
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestGeneratedUpToDate regenerates every file a go:generate line names and
// fails if the checked-in copy differs: run go generate ./... to fix it.
func TestGeneratedUpToDate(t *testing.T) {
	dirs := findDirectives(t)
	if len(dirs) < 2 {
		t.Fatalf("found %d go:generate lines for urpcgen, want at least intermon and alltypes", len(dirs))
	}
	for _, g := range dirs {
		o, err := parseArgs(g.args)
		if err != nil || o.out == "" {
			t.Errorf("%s: bad go:generate arguments %q (%v): -o is required", g.dir, g.args, err)
			continue
		}
		want, err := compile(o, g.dir)
		if err != nil {
			t.Errorf("%s: %v", g.dir, err)
			continue
		}
		got, err := os.ReadFile(filepath.Join(g.dir, o.out))
		if err != nil {
			t.Errorf("%s: %v", g.dir, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./... in %s", filepath.Join(g.dir, o.out), g.dir)
		}
	}
}

// TestDeterministic checks that the same input always gives the same bytes.
func TestDeterministic(t *testing.T) {
	o := options{input: "testdata/alltypes.if"}
	first, err := compile(o, ".")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		again, err := compile(o, ".")
		if err != nil || !bytes.Equal(first, again) {
			t.Fatalf("run %d differs (%v)", i, err)
		}
	}
}
