package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"multikernel/skb"
)

// fileList collects repeated -f flags.
type fileList []string

func (f *fileList) String() string     { return fmt.Sprint(*f) }
func (f *fileList) Set(s string) error { *f = append(*f, s); return nil }

func main() {
	var files fileList
	flag.Var(&files, "f", "Prolog file to consult (repeatable)")
	goal := flag.String("q", "", "goal to run")
	steps := flag.Int64("steps", 100_000_000, "step limit for each directive and for the goal")
	flag.Parse()
	if *goal == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: skb [-f FILE.pl]... [-steps N] -q 'Goal'")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	err := run(out, files, *goal, *steps)
	out.Flush()
	if err != nil {
		fmt.Fprintln(os.Stderr, "skb:", err)
		os.Exit(1)
	}
}

// run consults files and prints the answers of goal to out.
func run(out io.Writer, files []string, goal string, steps int64) error {
	e := skb.New(skb.Options{MaxSteps: steps, Out: out})
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if err := e.Consult(name, string(text)); err != nil {
			return err
		}
	}
	var werr error
	found, err := e.Run(goal, func(answer string) bool {
		_, werr = fmt.Fprintln(out, answer)
		return werr == nil
	})
	if err != nil {
		return err
	}
	if !found {
		_, werr = fmt.Fprintln(out, "false")
	}
	return werr
}
