// Command testprogress runs Go tests and says, one line at a time, what
// they are doing and how far along they are: which test starts, how each
// ends and after how long, and how many of the total are done. The full
// output of a test that fails (its log: for the integration tests, the
// guest's console) is printed when it fails; the output of the tests
// that pass is not. Its exit status is go test's.
//
//	go run ./tools/testprogress [-tags TAGS] [-timeout D] [-run RE] PACKAGES...
//
// The total comes from `go test -list`; the run itself from `go test
// -json` (cmd/test2json's events). $GO, when set, names the go command
// (the Makefile's GO). `make integration` uses it, so that a
// CI log shows the suite's progress rather than minutes of silence.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

func main() {
	tags := flag.String("tags", "", "build tags (go test -tags)")
	timeout := flag.String("timeout", "", "go test -timeout")
	run := flag.String("run", "", "go test -run")
	name := flag.String("name", "tests", "what to call the suite in the lines")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: testprogress [-name N] [-tags TAGS] [-timeout D] [-run RE] PACKAGES...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var common []string
	if *tags != "" {
		common = append(common, "-tags", *tags)
	}
	list := "."
	if *run != "" {
		list = *run
	}
	total, err := count(list, common, flag.Args())
	if *run != "" {
		common = append(common, "-run", *run)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "testprogress: listing the tests: %v\n", err)
		os.Exit(1)
	}
	args := append([]string{"test", "-json", "-count=1"}, common...)
	if *timeout != "" {
		args = append(args, "-timeout", *timeout)
	}
	cmd := exec.Command(goCmd(), append(args, flag.Args()...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "testprogress: %v\n", err)
		os.Exit(1)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "testprogress: %v\n", err)
		os.Exit(1)
	}
	p := newProgress(*name, total, os.Stdout, time.Now)
	if err := p.read(out); err != nil {
		fmt.Fprintf(os.Stderr, "testprogress: reading go test's events: %v\n", err)
	}
	err = cmd.Wait()
	p.summary()
	if err != nil {
		if e, ok := err.(*exec.ExitError); ok {
			os.Exit(e.ExitCode())
		}
		fmt.Fprintf(os.Stderr, "testprogress: %v\n", err)
		os.Exit(1)
	}
	if p.failed > 0 {
		os.Exit(1) // go test exits 1 too; this is the belt to its braces
	}
}

// count returns how many top-level tests matching list `go test -list`
// finds in pkgs.
func count(list string, common, pkgs []string) (int, error) {
	args := append(append([]string{"test", "-list", list}, common...), pkgs...)
	cmd := exec.Command(goCmd(), args...)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return 0, err
	}
	return countListed(string(b)), nil
}

// countListed counts the test names in go test -list's output (lines
// that start with Test; the package lines "ok ..." and examples and
// benchmarks are not counted).
func countListed(out string) int {
	n := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Test") {
			n++
		}
	}
	return n
}

// goCmd is the go command to run: $GO, or go from $PATH.
func goCmd() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}
