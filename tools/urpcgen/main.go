package main

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	out   string // output file; "" means standard output
	pkg   string // package name; "" means the interface name
	input string // the .if file
}

// parseArgs parses the command line (without the program name).
func parseArgs(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("urpcgen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.out, "o", "", "write the Go code to `file` instead of standard output")
	fs.StringVar(&o.pkg, "pkg", "", "Go package `name` (default: the interface name)")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("urpcgen: %v\nusage: urpcgen [-o file.go] [-pkg name] file.if", err)
	}
	if fs.NArg() != 1 {
		return o, errors.New("usage: urpcgen [-o file.go] [-pkg name] file.if")
	}
	o.input = fs.Arg(0)
	if o.pkg != "" && (!token.IsIdentifier(o.pkg) || o.pkg == "_") {
		return o, fmt.Errorf("urpcgen: -pkg %q is not a Go package name", o.pkg)
	}
	return o, nil
}

// compile reads the interface file named by o.input, relative to dir, and
// returns its stubs.
func compile(o options, dir string) ([]byte, error) {
	path := o.input
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := parse(o.input, string(src))
	if err != nil {
		return nil, err
	}
	pkg := o.pkg
	if pkg == "" {
		pkg = f.Name
	}
	return generate(f, o.input, pkg)
}

// run is the command: parse the arguments, compile, write the output.
func run(args []string, stdout io.Writer) error {
	o, err := parseArgs(args)
	if err != nil {
		return err
	}
	code, err := compile(o, ".")
	if err != nil {
		return err
	}
	if o.out == "" {
		_, err = stdout.Write(code)
		return err
	}
	return os.WriteFile(o.out, code, 0o644)
}
