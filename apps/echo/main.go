// Command echo prints its arguments, one quoted per line, and its
// environment: a check that arguments (with blanks and quotes) and the
// environment reach a program intact.
package main

import (
	"fmt"
	"os"
)

func main() {
	for i, a := range os.Args[1:] {
		fmt.Printf("arg %d %q\n", i+1, a)
	}
	for _, e := range os.Environ() {
		fmt.Printf("env %q\n", e)
	}
}
