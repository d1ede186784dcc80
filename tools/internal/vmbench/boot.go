package vmbench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Boot is the outcome of one timed QEMU run.
type Boot struct {
	Elapsed time.Duration // QEMU start to the marker line
	Line    string        // the marker line
	Exit    string        // how QEMU ended after the marker
}

// tailBuffer keeps the last lines written to it, for error messages.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
	part  []byte
}

const tailLines = 25

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.part = append(t.part, p...)
	for {
		i := bytes.IndexByte(t.part, '\n')
		if i < 0 {
			break
		}
		t.add(string(t.part[:i]))
		t.part = t.part[i+1:]
	}
	return len(p), nil
}

func (t *tailBuffer) add(line string) {
	t.lines = append(t.lines, strings.TrimRight(line, "\r"))
	if len(t.lines) > tailLines {
		t.lines = t.lines[len(t.lines)-tailLines:]
	}
}

// String returns the kept lines, each indented, with any unfinished line.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	for _, l := range t.lines {
		b.WriteString("    | " + l + "\n")
	}
	if len(t.part) > 0 {
		b.WriteString("    | " + string(t.part) + "\n")
	}
	return b.String()
}

// ExitGrace is how long QEMU may take to exit on its own after the marker
// line before it is killed. It is not part of the measurement.
const ExitGrace = 30 * time.Second

// TimeBoot starts bin with args and returns the wall time from just before
// the start to the first line on QEMU's standard output that marker
// matches, read line by line as it streams. It kills QEMU if the line has
// not come within timeout, and gives it ExitGrace to exit afterwards.
func TimeBoot(ctx context.Context, bin string, args []string, marker *regexp.Regexp, timeout time.Duration) (Boot, error) {
	var b Boot
	exit, err := WatchConsole(ctx, bin, args, timeout, fmt.Sprintf("a line matching %q", marker), func(line string, at time.Duration) bool {
		if !marker.MatchString(line) {
			return false
		}
		b.Elapsed, b.Line = at, line
		return true
	})
	if err != nil {
		return Boot{}, err
	}
	b.Exit = exit
	return b, nil
}

// WatchConsole starts bin with args and hands each line of QEMU's standard
// output to see as it streams, without its line end, with the wall time
// from just before the start. Once see returns true it is called no more,
// QEMU gets ExitGrace to exit on its own, and WatchConsole returns how QEMU
// ended. If see has not returned true within timeout (QEMU is killed), or
// QEMU ends before, the error names awaited, what see waits for, and
// shows the last lines of the console and of QEMU's standard error. see
// runs on a goroutine of its own; what it records is the caller's to read
// once WatchConsole has returned.
func WatchConsole(ctx context.Context, bin string, args []string, timeout time.Duration, awaited string, see func(line string, at time.Duration) bool) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	console, stderr := &tailBuffer{}, &tailBuffer{}
	cmd.Stderr = stderr
	found := make(chan struct{}, 1)
	eof := make(chan struct{})

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return "", err
	}
	go func() {
		defer close(eof)
		r := bufio.NewReader(stdout)
		seen := false
		for {
			line, err := r.ReadString('\n')
			if !seen && line != "" && see(strings.TrimRight(line, "\r\n"), time.Since(start)) {
				seen = true
				found <- struct{}{}
			}
			console.Write([]byte(line))
			if err != nil {
				if err != io.EOF {
					console.Write([]byte(fmt.Sprintf("\n(reading the console: %v)\n", err)))
				}
				return
			}
		}
	}()
	exited := make(chan error, 1)
	go func() {
		<-eof // Wait closes the pipe: read it to the end first.
		exited <- cmd.Wait()
	}()
	report := func(what string) error {
		return fmt.Errorf("%s\n  console (last lines):\n%s  QEMU's standard error:\n%s", what, console, stderr)
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-found:
	case err := <-exited:
		select { // the awaited line may be the last thing QEMU wrote
		case <-found:
			return ExitText(err), nil
		default:
		}
		return "", report(fmt.Sprintf("QEMU ended (%s) before %s", ExitText(err), awaited))
	case <-timer.C:
		cancel()
		<-exited
		return "", report(fmt.Sprintf("no %s within %v: QEMU killed", awaited, timeout))
	case <-ctx.Done():
		<-exited
		return "", ctx.Err()
	}

	grace := time.NewTimer(ExitGrace)
	defer grace.Stop()
	select {
	case err := <-exited:
		return ExitText(err), nil
	case <-grace.C:
		cancel()
		<-exited
		return fmt.Sprintf("still running %v after the line; killed", ExitGrace), nil
	case <-ctx.Done():
		<-exited
		return "", ctx.Err()
	}
}

// ExitText describes how a process ended.
func ExitText(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exit status 0"
	case errors.As(err, &ee):
		return ee.String()
	}
	return err.Error()
}
