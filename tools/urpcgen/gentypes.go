package main

import (
	"fmt"
	"strings"
)

// goType returns the Go type of t.
func (t Type) goType() string {
	switch t.Kind {
	case Array:
		return fmt.Sprintf("[%d]%s", t.N, t.Scalar)
	case String:
		return "string"
	case Bytes:
		return "[]byte"
	}
	return t.Scalar
}

// coder returns the stub.Encoder and stub.Decoder method for a scalar.
func coder(scalar string) string {
	return strings.ToUpper(scalar[:1]) + scalar[1:]
}

// encode returns the statement that appends expr of type t to e_.
func (t Type) encode(expr string) string {
	switch t.Kind {
	case Array:
		return fmt.Sprintf("for _, v_ := range %s {\ne_.%s(v_)\n}", expr, coder(t.Scalar))
	case String:
		return fmt.Sprintf("e_.String(%s, %d)", expr, t.N)
	case Bytes:
		return fmt.Sprintf("e_.Bytes(%s, %d)", expr, t.N)
	}
	return fmt.Sprintf("e_.%s(%s)", coder(t.Scalar), expr)
}

// decode returns the statements that read a value of type t from d_ into
// name, declaring name first if define is set.
func (t Type) decode(name string, define bool) string {
	if t.Kind == Array {
		read := fmt.Sprintf("for i_ := range %s {\n%s[i_] = d_.%s()\n}", name, name, coder(t.Scalar))
		if define {
			read = fmt.Sprintf("var %s %s\n%s", name, t.goType(), read)
		}
		return read
	}
	var value string
	switch t.Kind {
	case String:
		value = fmt.Sprintf("d_.String(%d)", t.N)
	case Bytes:
		value = fmt.Sprintf("d_.Bytes(%d)", t.N)
	default:
		value = fmt.Sprintf("d_.%s()", coder(t.Scalar))
	}
	op := "="
	if define {
		op = ":="
	}
	return fmt.Sprintf("%s %s %s", name, op, value)
}

// params returns d's arguments of direction dir as a Go parameter list
// ("a uint8, b string") and as an argument list ("a, b").
func params(d *Decl, dir Dir) (decl, call string) {
	var ds, cs []string
	for _, a := range d.Args {
		if a.Dir == dir {
			n := camel(a.Name, false)
			ds = append(ds, n+" "+a.Type.goType())
			cs = append(cs, n)
		}
	}
	return strings.Join(ds, ", "), strings.Join(cs, ", ")
}

// results returns the named result list of an RPC: its out arguments and
// err.
func results(d *Decl) string {
	outs, _ := params(d, Out)
	if outs == "" {
		return "(err error)"
	}
	return "(" + outs + ", err error)"
}
