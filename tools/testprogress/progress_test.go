package main

import (
	"strings"
	"testing"
	"time"
)

// TestProgress feeds go test's events for a passing test, a failing one
// with a subtest and a skipped one, and checks the lines: one when each
// starts and ends with how far along the suite is, the failing test's
// whole output and no one else's, and the totals with go test's own
// lines.
func TestProgress(t *testing.T) {
	events := `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"quiet console\n"}
{"Action":"pass","Package":"p","Test":"TestA","Elapsed":1.5}
{"Action":"run","Package":"p","Test":"TestB"}
{"Action":"run","Package":"p","Test":"TestB/sub"}
{"Action":"output","Package":"p","Test":"TestB/sub","Output":"    b_test.go:9: the guest said no\n"}
{"Action":"fail","Package":"p","Test":"TestB/sub","Elapsed":2}
{"Action":"fail","Package":"p","Test":"TestB","Elapsed":2.25}
{"Action":"run","Package":"p","Test":"TestC"}
{"Action":"skip","Package":"p","Test":"TestC","Elapsed":0}
{"Action":"run","Package":"p","Test":"TestD"}
{"Action":"output","Package":"p","Test":"TestD","Output":"panic: test timed out after 20m0s\n"}
not an event: a build error
{"Action":"output","Package":"p","Output":"FAIL\tp\t4.000s\n"}
{"Action":"fail","Package":"p","Elapsed":4}
`
	var out strings.Builder
	clock := time.Unix(0, 0)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	p := newProgress("suite", 4, &out, now)
	if err := p.read(strings.NewReader(events)); err != nil {
		t.Fatal(err)
	}
	p.summary()
	got := out.String()
	for _, want := range []string{
		"suite: [1s] TestA starts (0 of 4 done)\n",
		"suite: [2s] TestA passed in 1.5 s (1 of 4 done)\n",
		"suite: [4s] TestB FAILED in 2.2 s (2 of 4 done)\n",
		"suite: output of TestB:\n    b_test.go:9: the guest said no\n",
		"suite: [6s] TestC skipped in 0.0 s (3 of 4 done)\n",
		"suite: TestD never finished; its output:\npanic: test timed out after 20m0s\n",
		"not an event: a build error\nFAIL\tp\t4.000s\n",
		"suite: 1 passed, 2 failed, 1 skipped of 4 in 8s\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "quiet console") || strings.Contains(got, "TestB/sub starts") {
		t.Errorf("a passing test's output or a subtest's start was printed:\n%s", got)
	}
	if p.failed != 2 {
		t.Errorf("failed = %d, want 2", p.failed)
	}
}

// TestCountListed counts go test -list's test names only.
func TestCountListed(t *testing.T) {
	if n := countListed("TestA\nTestB\nExampleC\nBenchmarkD\nok  \tp\t0.01s\n"); n != 2 {
		t.Errorf("counted %d, want 2", n)
	}
}
