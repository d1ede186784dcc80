// Command readline reads lines from standard input (the console, when it
// holds it) and prints each back until it reads "quit" or end of file.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	fmt.Println("waiting for input")
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		fmt.Printf("read: %q\n", sc.Text())
		if sc.Text() == "quit" {
			return
		}
	}
	fmt.Println("end of input")
}
