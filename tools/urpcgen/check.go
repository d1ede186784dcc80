package main

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"multikernel/urpc"
	"multikernel/urpc/stub"
)

// bindingMethods are the methods every generated Binding has; an RPC's call
// method must not take one of these names.
var bindingMethods = []string{"Dispatch", "Next", "Endpoint"}

// reservedArgs are argument names the generated code uses itself.
var reservedArgs = map[string]bool{"err": true, "urpc": true, "stub": true}

// check enforces the rules a parse cannot: names that make valid, unique Go
// identifiers, and messages that fit a URPC message.
func check(file string, f *File) error {
	errorf := func(p Pos, format string, args ...any) error {
		return &Error{File: file, Pos: p, Msg: fmt.Sprintf(format, args...)}
	}
	if !token.IsIdentifier(f.Name) || f.Name == "_" {
		return errorf(f.Pos, "interface name %q is not a Go package name", f.Name)
	}
	if len(f.Decls) == 0 {
		return errorf(f.Pos, "interface %s declares no messages", f.Name)
	}
	topLevel := map[string]string{"Handler": "", "Binding": "", "NewBinding": "", "MaxMessage": ""}
	methods := map[string]string{}
	for _, m := range bindingMethods {
		methods[m] = ""
	}
	handler := map[string]string{}
	claim := func(set map[string]string, name string, d *Decl) error {
		if by, taken := set[name]; taken {
			if by == "" {
				by = "the generated code"
			}
			return errorf(d.Pos, "%s: Go name %s is already used by %s", d.describe(), name, by)
		}
		set[name] = d.describe()
		return nil
	}
	for _, d := range f.Decls {
		g := camel(d.Name, true)
		if g == "" {
			return errorf(d.Pos, "%s: name has no letters", d.describe())
		}
		names := []string{"Type" + g}
		method := "Send" + g
		if d.Kind == RPCDecl {
			names = []string{"Type" + g + "Call", "Type" + g + "Response"}
			method = g
		}
		for _, n := range names {
			if err := claim(topLevel, n, d); err != nil {
				return err
			}
		}
		if err := claim(methods, method, d); err != nil {
			return err
		}
		if err := claim(handler, g, d); err != nil {
			return err
		}
		if err := checkArgs(d, errorf); err != nil {
			return err
		}
	}
	if types := len(topLevel) - 4; types > 0xffff {
		return errorf(f.Pos, "%d message types do not fit 16 bits", types)
	}
	return nil
}

// checkArgs checks one declaration's argument names and its size.
func checkArgs(d *Decl, errorf func(Pos, string, ...any) error) error {
	seen := map[string]bool{}
	for _, a := range d.Args {
		g := camel(a.Name, false)
		switch {
		case g == "" || strings.HasSuffix(a.Name, "_"):
			return errorf(a.Pos, "argument name %q: names ending in _ are reserved", a.Name)
		case token.Lookup(g).IsKeyword() || types.Universe.Lookup(g) != nil || reservedArgs[g]:
			return errorf(a.Pos, "argument name %q is reserved in Go or in the generated code", a.Name)
		case seen[g]:
			return errorf(a.Pos, "%s: duplicate argument %q", d.describe(), a.Name)
		}
		seen[g] = true
	}
	for _, dir := range []Dir{NoDir, In, Out} {
		size := messageSize(d, dir)
		if size > urpc.MaxMessageLimit {
			return errorf(d.Pos, "%s: %d bytes exceed the URPC message limit of %d", d.describe(), size, urpc.MaxMessageLimit)
		}
	}
	return nil
}

// messageSize returns the largest encoding of d's message (dir NoDir), call
// (In) or response (Out).
func messageSize(d *Decl, dir Dir) int {
	size := 0
	switch dir {
	case In:
		size = 4 // call id
	case Out:
		size = 4 + stub.LengthPrefix(stub.MaxErrorText) + stub.MaxErrorText
	}
	for _, a := range d.Args {
		if a.Dir == dir {
			size += a.Type.maxSize()
		}
	}
	return size
}

// maxSize returns the largest wire size of a value of t.
func (t Type) maxSize() int {
	switch t.Kind {
	case Array:
		return t.N * scalarSizes[t.Scalar]
	case String, Bytes:
		return stub.LengthPrefix(t.N) + t.N
	}
	return scalarSizes[t.Scalar]
}

// camel turns snake_case into CamelCase (upper) or camelCase. A lower-case
// name cannot collide with the generated code's exported identifiers.
func camel(name string, upper bool) string {
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		if part == "" {
			continue
		}
		if b.Len() == 0 && !upper {
			part = strings.ToLower(part[:1]) + part[1:]
		} else {
			part = strings.ToUpper(part[:1]) + part[1:]
		}
		b.WriteString(part)
	}
	return b.String()
}
