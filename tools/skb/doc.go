// Command skb runs one goal against Prolog programs with the SKB engine
// and prints every solution, the way the in-guest SKB client will:
//
//	go run ./tools/skb [-f FILE.pl]... [-steps N] -q 'Goal'
//
// Each solution is printed on its own line as "X = value, Y = value": the
// goal's variables in order of first appearance, leaving out those still
// unbound and those whose names start with "_", each value written as
// SWI-Prolog's print/1 writes it. A solution that binds nothing prints
// "true"; no solution at all prints "false". Output of write/1, format/2
// and the like goes to standard output as it happens. Errors (syntax,
// unknown predicate, type errors, the step limit) go to standard error
// and the exit status is 1 (2 for bad usage).
package main
