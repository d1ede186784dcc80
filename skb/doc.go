// Package skb is the system knowledge base: a small logic engine for a
// subset of Prolog, fed with the machine's facts (ACPI MADT, SRAT and SLIT,
// CPUID, PCI, measured message round trips) and queried for policy
// (multicast trees, core allocation, memory affinity). See
// docs/decisions.md, 10, and docs/skb.md for the facts schema, the
// policies and what clients may do.
//
// # Where it runs
//
// The package is pure Go with no dependency beyond the standard library and
// no package-level mutable state. It runs on the host (tools/skb, tests,
// tools/skbbench) and in the guest, as the service core 0's monitor runs
// (monitor/kb.go). All state
// lives in an Engine value; an Engine is owned by one goroutine at a time
// (the service serialises queries); distinct Engines share nothing.
//
// # Pieces
//
// The reader (lexer.go, reader.go, ops.go) turns standard Prolog text into
// terms (term.go) and reports syntax errors with line and column. The
// writer (writer.go) prints terms as SWI-Prolog's print/1 does. Clauses are
// compiled (compile.go) into templates whose variables are slots of a
// per-call environment, so that a call copies only the parts of a clause
// that hold variables. The database (db.go) keeps one predicate per
// name/arity with first-argument indexing. The machine (machine.go,
// control.go) is an iterative resolution engine: a goal list (a linked list
// of continuations that share their tails), a choicepoint stack and a trail
// of bound variables; it never recurses in Go to run a goal, so deep
// Prolog recursion costs heap, not Go stack.
//
// # The system and its clients
//
// What an Engine holds is the system's: its owner (the SKB service) loads
// the schema, the policies and the machine's facts, and queries run on
// the Engine itself may change them. A client's queries run in a Scope
// (scope.go): they read the system's predicates, may not change them
// (permission_error(modify, static_procedure, N/A)), and keep predicates
// and operators of their own in the scope, which no other scope and not
// the system sees, up to a bound on what the scope stores. owner.go says
// how a query resolves a name to the system's predicate or the scope's.
//
// # Bounded work
//
// Every query runs under a step budget (Options.MaxSteps): each predicate
// call costs one step, and builtins that build, copy, compare or unify
// structures pay in proportion to the cells they touch. Unification,
// comparison and copying loop on the last argument and bound their
// recursion depth (Options.MaxDepth), so long lists cost no Go stack and
// cyclic terms end in an error instead of a hang. A query that runs out of
// budget returns ErrStepLimit. Since each step allocates a bounded amount,
// the budget also bounds the memory a query can use.
//
// # Dialect
//
// The dialect follows SWI-Prolog 9 where the issue asks for compatibility:
// double-quoted text is a string, the list constructor is '[|]', unknown
// procedures raise existence errors, answers print as print/1 does.
// Integers are 64-bit (overflow is an evaluation error); there are no
// floating-point numbers, no modules and no bagof/setof.
package skb
