package qemuargs

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"multikernel/boot/words"
	"multikernel/cpudriver/span"
)

// ParseMenu reads a boot menu in the spirit of Barrelfish's menu.lst: one
// program a line,
//
//	program PATH [core=N|core=all|cores=SPEC] [ARG ...]
//
// where cores=SPEC starts one program spanning a set of cores (0-15,
// 4-7, 0,2,4, node:1; docs/spanning.md)
// with words split as a shell splits them (quotes allowed) and '#'
// starting a comment (at the start of a word). It returns the module
// strings (PATH, then "@N" or "@all" when a core is named, then the
// arguments, quoted so that the CPU driver splits them back). Unknown
// keywords, missing files and arguments QEMU cannot carry are errors
// naming the file and line.
func ParseMenu(r io.Reader, name string) ([]string, error) {
	var mods []string
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		ws, err := words.Split(stripComment(sc.Text()))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		if len(ws) == 0 {
			continue
		}
		if ws[0] != "program" {
			return nil, fmt.Errorf("%s:%d: unknown keyword %q (want: program PATH [core=N|core=all|cores=SPEC] [ARG ...])", name, n, ws[0])
		}
		if len(ws) < 2 {
			return nil, fmt.Errorf("%s:%d: program needs a PATH", name, n)
		}
		path, args := ws[1], ws[2:]
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		mod := []string{path}
		if len(args) > 0 && strings.HasPrefix(args[0], "core=") {
			core := strings.TrimPrefix(args[0], "core=")
			if v, err := strconv.Atoi(core); core != "all" && (err != nil || v < 0) {
				return nil, fmt.Errorf("%s:%d: %q: want core=N (a core number) or core=all", name, n, args[0])
			}
			mod = append(mod, "@"+core)
			args = args[1:]
		} else if len(args) > 0 && strings.HasPrefix(args[0], "cores=") {
			spec := strings.TrimPrefix(args[0], "cores=")
			if err := span.ValidSyntax(spec); err != nil {
				return nil, fmt.Errorf("%s:%d: %v (want cores=A-B, cores=N,M or cores=node:K)", name, n, err)
			}
			mod = append(mod, "@"+spec)
			args = args[1:]
		}
		mod = append(mod, args...)
		mods = append(mods, words.Quote(mod))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return mods, nil
}

// stripComment drops a '#' comment that starts a word outside quotes.
func stripComment(line string) string {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else if c == '\\' && q == '"' {
				i++
			}
		case c == '\'' || c == '"':
			q = c
		case c == '\\':
			i++
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}
