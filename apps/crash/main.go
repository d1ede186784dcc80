// Command crash writes through a nil pointer: without signal delivery the
// CPU driver kills it, naming the faulting instruction, and the core goes
// on running its other programs.
package main

import "fmt"

type node struct{ next *node }

func main() {
	fmt.Println("about to dereference nil")
	var n *node
	n.next = n
	fmt.Println("not reached")
}
