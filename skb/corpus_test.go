package skb

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The corpus: testdata/corpus/NAME.q holds queries ("?- Goal" lines), each
// followed by the answers SWI-Prolog gives, in the host command's format;
// NAME.pl, if present, is the program they run against. The engine must
// give the same answers; where swipl is installed, SWI-Prolog must too (so
// the stored answers stay true to it). go test -run Corpus -update
// rewrites the stored answers from swipl.

var update = flag.Bool("update", false, "rewrite corpus answers from swipl")

// varPattern matches the name of a fresh variable in an answer: _G123 here,
// _123 in SWI-Prolog.
var varPattern = regexp.MustCompile(`\b_G?[0-9]+\b`)

// normalise renames fresh variables _A, _B, ... by first appearance in
// each line, so that answers compare across systems.
func normalise(out string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		names := map[string]string{}
		lines[i] = varPattern.ReplaceAllStringFunc(l, func(v string) string {
			if n, ok := names[v]; ok {
				return n
			}
			n := fmt.Sprintf("_%c", 'A'+len(names)%26)
			names[v] = n
			return n
		})
	}
	return strings.Join(lines, "\n")
}

// runCorpus runs the queries of a .q file against program text with the
// engine and returns the output in the .q format.
func runCorpus(program, queries string) string {
	var out bytes.Buffer
	e := New(Options{Out: &out, MaxSteps: 50_000_000})
	if program != "" {
		if err := e.Consult("program", program); err != nil {
			return "load error: " + err.Error() + "\n"
		}
	}
	for _, line := range strings.Split(queries, "\n") {
		if !strings.HasPrefix(line, "?- ") {
			continue
		}
		out.WriteString(line + "\n")
		found, err := e.Run(line[3:], func(a string) bool {
			out.WriteString(a + "\n")
			return true
		})
		switch {
		case err != nil:
			out.WriteString("error\n")
		case !found:
			out.WriteString("false\n")
		}
	}
	return normalise(out.String())
}

// runSWI runs the same with swipl through testdata/swi_driver.pl.
func runSWI(t *testing.T, swipl, programPath, queriesPath string) string {
	if programPath == "" {
		programPath = "none"
	}
	cmd := exec.Command(swipl, "testdata/swi_driver.pl", "--", programPath, queriesPath)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("swipl on %s: %v\n%s", queriesPath, err, out.String())
	}
	return normalise(out.String())
}

func corpusCases(t *testing.T) []string {
	qs, err := filepath.Glob("testdata/corpus/*.q")
	if err != nil || len(qs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	return qs
}

func readCase(t *testing.T, q string) (programPath, program, queries string) {
	b, err := os.ReadFile(q)
	if err != nil {
		t.Fatal(err)
	}
	pl := strings.TrimSuffix(q, ".q") + ".pl"
	if p, err := os.ReadFile(pl); err == nil {
		return pl, string(p), string(b)
	}
	return "", "", string(b)
}

func TestCorpus(t *testing.T) {
	for _, q := range corpusCases(t) {
		t.Run(filepath.Base(q), func(t *testing.T) {
			_, program, want := readCase(t, q)
			got := runCorpus(program, want)
			if got != want {
				t.Errorf("engine answers differ from the stored ones:\n%s", diffLines(want, got))
			}
		})
	}
}

func TestCorpusSWI(t *testing.T) {
	swipl, err := exec.LookPath("swipl")
	if err != nil {
		t.Skip("swipl not installed")
	}
	for _, q := range corpusCases(t) {
		t.Run(filepath.Base(q), func(t *testing.T) {
			pl, _, want := readCase(t, q)
			got := runSWI(t, swipl, pl, q)
			if *update {
				if err := os.WriteFile(q, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("swipl answers differ from the stored ones:\n%s", diffLines(want, got))
			}
		})
	}
}

// diffLines shows the first lines where want and got differ.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 8; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
