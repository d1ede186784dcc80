package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// positioned matches the start of every diagnostic: file:line:column.
var positioned = regexp.MustCompile(`^f\.if:[1-9][0-9]*:[1-9][0-9]*: `)

// FuzzParse feeds arbitrary text to the parser: it must never panic, every
// error must carry a position, and every accepted interface must generate
// code that gofmt accepts.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.if")
	seeds = append(seeds, "../../urpc/if/intermon.if")
	for _, s := range seeds {
		src, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add("interface a { rpc r(in uint8[3] x, out bytes<9> y); message m(); }")
	f.Add("interface a { message m(string<300> s, cap c); }")
	f.Fuzz(func(t *testing.T, src string) {
		file, err := parse("f.if", src)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || !positioned.MatchString(err.Error()) {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if _, err := generate(file, "f.if", file.Name); err != nil {
			t.Fatalf("accepted interface does not generate: %v\n%s", err, src)
		}
	})
}
