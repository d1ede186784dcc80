// Command skbq prints the answers of the system knowledge base to the goal
// given as its arguments, one solution a line, in the format of the host
// command `go run ./tools/skb -q` ("X = value, Y = value", "true",
// "false"). It runs on any core: the query goes to core 0's monitor over
// URPC (libos/skbclient). Errors go to standard error, exit status 1.
//
// With -each, every argument is a goal of its own, asked in order by the
// same program (so facts one asserts are in the program's scope for the
// next; docs/skb.md); each goal's answers follow a line "?- GOAL", and an
// error does not stop the goals after it.
//
//	make run CMDLINE=poweroff MENU=menu.lst    # with: program build/apps/skbq core=5 'core(C, A, N)'
package main

import (
	"fmt"
	"os"
	"strings"

	"multikernel/libos/skbclient"
)

func main() {
	args := os.Args[1:]
	each := len(args) > 0 && args[0] == "-each"
	if each {
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: skbq GOAL | skbq -each GOAL...")
		os.Exit(2)
	}
	if !each {
		args = []string{strings.Join(args, " ")}
	}
	status := 0
	for _, goal := range args {
		if each {
			fmt.Println("?- " + goal)
		}
		if !ask(goal) {
			status = 1
		}
	}
	os.Exit(status)
}

// ask prints the answers to goal, or the error; it reports whether there
// was no error.
func ask(goal string) bool {
	answers, err := skbclient.Query(goal)
	if err != nil {
		fmt.Fprintln(os.Stderr, "skbq:", err)
		return false
	}
	for _, a := range answers {
		fmt.Println(a)
	}
	return true
}
