package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "p.pl")
	os.WriteFile(prog, []byte("p(1). p(2).\nq(a, \"s\").\n"), 0o644)
	cases := []struct {
		goal, want string
		err        bool
	}{
		{"p(X)", "X = 1\nX = 2\n", false},
		{"p(3)", "false\n", false},
		{"p(1)", "true\n", false},
		{"q(A, _B), C = 'x y', D = E", "A = a, C = 'x y'\n", false},
		{"write(hi), nl, p(X)", "hi\nX = 1\nX = 2\n", false},
		{"p(X), undefined(X)", "", true},
		{"p(X", "", true},
		{"X is a + 1", "", true},
	}
	for _, c := range cases {
		var out bytes.Buffer
		err := run(&out, []string{prog}, c.goal, 100000)
		if (err != nil) != c.err || out.String() != c.want {
			t.Errorf("%s: got %q, %v; want %q, error %v", c.goal, out.String(), err, c.want, c.err)
		}
	}
	var out bytes.Buffer
	if err := run(&out, []string{filepath.Join(dir, "missing.pl")}, "true", 1000); err == nil {
		t.Error("missing file: no error")
	}
	if err := run(&out, nil, "repeat, fail", 1000); err == nil || !strings.Contains(err.Error(), "step limit") {
		t.Errorf("step limit: %v", err)
	}
}

// TestExitStatus runs the command itself to check that errors go to
// standard error with status 1.
func TestExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	exe := filepath.Join(t.TempDir(), "skb")
	if out, err := exec.Command("go", "build", "-o", exe, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(exe, "-q", "foo(X)")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit: %v", err)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "Unknown procedure: foo/1") {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	out, err := exec.Command(exe, "-q", "X = [a, \"b\", 'C'|T]").Output()
	if err != nil || string(out) != "X = [a,\"b\",'C'|_G1]\n" {
		t.Errorf("got %q, %v", out, err)
	}
}
