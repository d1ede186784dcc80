package main

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

// boot is the outcome of one timed QEMU run.
type boot struct {
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

// exitGrace is how long QEMU may take to exit on its own after the marker
// line before it is killed. It is not part of the measurement.
const exitGrace = 30 * time.Second

// timeBoot starts bin with args and returns the wall time from just before
// the start to the first line on QEMU's standard output that marker
// matches, read line by line as it streams. It kills QEMU if the line has
// not come within timeout, and gives it exitGrace to exit afterwards.
func timeBoot(ctx context.Context, bin string, args []string, marker *regexp.Regexp, timeout time.Duration) (boot, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return boot{}, err
	}
	console, stderr := &tailBuffer{}, &tailBuffer{}
	cmd.Stderr = stderr
	found := make(chan boot, 1)
	eof := make(chan struct{})

	start := time.Now()
	if err := cmd.Start(); err != nil {
		return boot{}, err
	}
	go func() {
		defer close(eof)
		r := bufio.NewReader(stdout)
		seen := false
		for {
			line, err := r.ReadString('\n')
			if !seen && marker.MatchString(line) {
				seen = true
				found <- boot{Elapsed: time.Since(start), Line: strings.TrimRight(line, "\r\n")}
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
	var b boot
	select {
	case b = <-found:
	case err := <-exited:
		select { // the marker may be the last thing QEMU wrote
		case b = <-found:
			b.Exit = exitText(err)
			return b, nil
		default:
		}
		return boot{}, report(fmt.Sprintf("QEMU ended (%s) before a line matching %q", exitText(err), marker))
	case <-timer.C:
		cancel()
		<-exited
		return boot{}, report(fmt.Sprintf("no line matching %q within %v: QEMU killed", marker, timeout))
	case <-ctx.Done():
		<-exited
		return boot{}, ctx.Err()
	}

	grace := time.NewTimer(exitGrace)
	defer grace.Stop()
	select {
	case err := <-exited:
		b.Exit = exitText(err)
	case <-grace.C:
		cancel()
		<-exited
		b.Exit = fmt.Sprintf("still running %v after the line; killed", exitGrace)
	case <-ctx.Done():
		<-exited
		return boot{}, ctx.Err()
	}
	return b, nil
}

// exitText describes how a process ended.
func exitText(err error) string {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return "exit status 0"
	case errors.As(err, &ee):
		return ee.String()
	}
	return err.Error()
}
