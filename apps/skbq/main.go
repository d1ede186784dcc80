// Command skbq prints the answers of the system knowledge base to the goal
// given as its arguments, one solution a line, in the format of the host
// command `go run ./tools/skb -q` ("X = value, Y = value", "true",
// "false"). It runs on any core: the query goes to core 0's monitor over
// URPC (libos/skbclient). Errors go to standard error, exit status 1.
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
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: skbq GOAL")
		os.Exit(2)
	}
	answers, err := skbclient.Query(strings.Join(os.Args[1:], " "))
	if err != nil {
		fmt.Fprintln(os.Stderr, "skbq:", err)
		os.Exit(1)
	}
	for _, a := range answers {
		fmt.Println(a)
	}
}
