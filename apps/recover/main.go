// Command recover dereferences nil inside a function that recovers: the
// CPU driver delivers SIGSEGV to Go's handler, which turns it into a
// runtime error panic, recovered here; then a division by zero does the
// same through SIGFPE. Exits 0 if both were recovered.
package main

import (
	"fmt"
	"os"
)

type node struct{ val int }

func deref(n *node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fmt.Errorf("read %d", n.val)
}

func divide(a, b int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fmt.Errorf("quotient %d", a/b)
}

func main() {
	e1 := deref(nil)
	fmt.Println("recovered:", e1)
	zero := len(os.Args) - len(os.Args)
	e2 := divide(1, zero)
	fmt.Println("recovered:", e2)
	if e1 == nil || e2 == nil {
		os.Exit(1)
	}
}
