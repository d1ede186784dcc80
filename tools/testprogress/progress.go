package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// event is one of cmd/test2json's events.
type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

// progress turns go test's events into progress lines.
type progress struct {
	name          string
	total         int
	w             io.Writer
	now           func() time.Time
	start         time.Time
	done, failed  int
	passed, skips int
	logs          map[string]*strings.Builder // output of the top-level tests running
	pkgOut        strings.Builder             // output outside any test (build errors, the package's summary)
}

func newProgress(name string, total int, w io.Writer, now func() time.Time) *progress {
	return &progress{name: name, total: total, w: w, now: now, start: now(), logs: map[string]*strings.Builder{}}
}

// read consumes the events until r ends. A line that is not an event (go
// test prints build failures as text) is kept as package output.
func (p *progress) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			p.pkgOut.WriteString(sc.Text() + "\n")
			continue
		}
		p.handle(e)
	}
	return sc.Err()
}

// handle takes one event. Only top-level tests count; a subtest's output
// goes to its parent's log.
func (p *progress) handle(e event) {
	top, _, sub := strings.Cut(e.Test, "/")
	switch {
	case e.Test == "":
		if e.Action == "output" {
			p.pkgOut.WriteString(e.Output)
		}
	case e.Action == "run" && !sub:
		p.logs[top] = &strings.Builder{}
		fmt.Fprintf(p.w, "%s: [%s] %s starts (%d of %s done)\n", p.name, p.elapsed(), top, p.done, p.of())
	case e.Action == "output":
		if b := p.logs[top]; b != nil {
			b.WriteString(e.Output)
		}
	case (e.Action == "pass" || e.Action == "fail" || e.Action == "skip") && !sub:
		p.done++
		verb := map[string]string{"pass": "passed", "fail": "FAILED", "skip": "skipped"}[e.Action]
		switch e.Action {
		case "pass":
			p.passed++
		case "fail":
			p.failed++
		case "skip":
			p.skips++
		}
		fmt.Fprintf(p.w, "%s: [%s] %s %s in %.1f s (%d of %s done)\n", p.name, p.elapsed(), top, verb, e.Elapsed, p.done, p.of())
		if e.Action == "fail" {
			fmt.Fprintf(p.w, "%s: output of %s:\n%s", p.name, top, p.logs[top].String())
		}
		delete(p.logs, top)
	}
}

// summary prints the output of the tests that started and never ended
// (a test binary that panicked or timed out), what go test said outside
// the tests, and the totals.
func (p *progress) summary() {
	for name, b := range p.logs {
		p.failed++
		fmt.Fprintf(p.w, "%s: %s never finished; its output:\n%s", p.name, name, b.String())
	}
	if s := p.pkgOut.String(); s != "" {
		fmt.Fprint(p.w, s)
	}
	fmt.Fprintf(p.w, "%s: %d passed, %d failed, %d skipped of %s in %s\n", p.name, p.passed, p.failed, p.skips, p.of(), p.elapsed())
}

func (p *progress) of() string {
	if p.total < p.done {
		return fmt.Sprint(p.done)
	}
	return fmt.Sprint(p.total)
}

func (p *progress) elapsed() string { return p.now().Sub(p.start).Truncate(time.Second).String() }
