package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	verbose := flag.Bool("v", false, "list every allowed instruction and decoder disagreement")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: cpuaudit [-v] BINARY...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	failed := false
	for _, path := range flag.Args() {
		r, err := auditFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cpuaudit: %v\n", err)
			failed = true
			continue
		}
		if !r.print(os.Stdout, *verbose) {
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}

// ok reports whether the binary passes: nothing forbidden, every byte of
// every function decoded, and every byte between functions padding.
func (r *report) ok() bool {
	return len(r.forbidden) == 0 && r.stray == 0
}

// print writes the report to w and returns r.ok().
func (r *report) print(w io.Writer, verbose bool) bool {
	fmt.Fprintf(w, "cpuaudit: %s: %d instructions checked in %d functions; %d undecodable bytes; %d padding bytes between functions\n",
		r.path, r.insns, r.funcs, r.undecoded, r.padding)
	r.printAllowed(w, verbose)
	if len(r.mismatches) > 0 {
		fmt.Fprintf(w, "  %d instructions where x86asm and the length decoder disagree\n", len(r.mismatches))
		if verbose {
			for _, m := range r.mismatches {
				fmt.Fprintf(w, "    %s\n", m)
			}
		}
	}
	if r.stray > 0 {
		fmt.Fprintf(w, "  FAIL: %d bytes between functions are neither INT3 nor zero padding (code outside any symbol?)\n", r.stray)
	}
	for _, f := range r.forbidden {
		fmt.Fprintf(w, "  FAIL: %s+%#x (%#x): %s: needs %s\n", f.sym, f.off, f.addr, f.text, f.ext)
	}
	if r.ok() {
		fmt.Fprintf(w, "cpuaudit: %s: OK for AMD family 10h\n", r.path)
		return true
	}
	fmt.Fprintf(w, "cpuaudit: %s: %d instructions an AMD family 10h CPU cannot execute\n", r.path, len(r.forbidden))
	return false
}

// printAllowed lists the allowed exceptions by allowlist entry: the
// symbol (or pattern, with the number of functions it matched), the number
// of instructions, the extensions they need and the reason.
func (r *report) printAllowed(w io.Writer, verbose bool) {
	type group struct {
		n    int
		syms map[string]bool
		exts map[string]bool
	}
	byRule := map[*allowRule]*group{}
	for _, f := range r.allowed {
		g := byRule[f.rule]
		if g == nil {
			g = &group{syms: map[string]bool{}, exts: map[string]bool{}}
			byRule[f.rule] = g
		}
		g.n++
		g.syms[f.sym] = true
		g.exts[f.ext] = true
	}
	fmt.Fprintf(w, "  %d allowed exceptions (instructions run only after CPUID reports their feature):\n", len(r.allowed))
	for i := range allowlist {
		rule := &allowlist[i]
		g := byRule[rule]
		if g == nil {
			continue
		}
		name := rule.name
		if strings.HasSuffix(name, "*") {
			name = fmt.Sprintf("%s (%d functions)", name, len(g.syms))
		}
		fmt.Fprintf(w, "    %-52s %4d  %s\n      %s\n", name, g.n, strings.Join(sortedKeys(g.exts), ", "), rule.reason)
	}
	if verbose {
		for _, f := range r.allowed {
			fmt.Fprintf(w, "    allowed: %s+%#x (%#x): %s: %s\n", f.sym, f.off, f.addr, f.text, f.ext)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return k
}
