package qemuargs

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseMenu(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "prog")
	os.WriteFile(p, nil, 0o644)
	menu := "# a menu\n\nprogram " + p + "   # on core 0\nprogram " + p + " core=3 'two words' x#y\nprogram " + p + " core=all \"a \\\"q\\\"\"\n"
	got, err := ParseMenu(strings.NewReader(menu), "menu.lst")
	want := []string{p, p + " @3 'two words' x#y", p + ` @all 'a "q"'`}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseMenu = %q, %v\nwant %q", got, err, want)
	}
	for _, tc := range []struct{ menu, err string }{
		{"module " + p, `menu.lst:1: unknown keyword "module"`},
		{"program", "menu.lst:1: program needs a PATH"},
		{"\nprogram /nonexistent", "menu.lst:2: stat /nonexistent"},
		{"program " + p + " core=x", `want core=N`},
		{"program " + p + " 'open", "unterminated"},
	} {
		_, err := ParseMenu(strings.NewReader(tc.menu), "menu.lst")
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseMenu(%q) error %v, want one containing %q", tc.menu, err, tc.err)
		}
	}
}
