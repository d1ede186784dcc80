package skb

import (
	"io"
	"strings"
)

// ioBuiltins write terms and formatted text to the engine's output.
func ioBuiltins() []builtinDef {
	write := func(quoted bool, nl bool) builtinFunc {
		return func(m *machine, a []Term) (bool, error) {
			s, err := m.text(a[0], quoted)
			if err != nil {
				return false, err
			}
			if nl {
				s += "\n"
			}
			return true, m.output(s)
		}
	}
	return []builtinDef{
		{"write", 1, write(false, false)},
		{"print", 1, write(true, false)},
		{"writeq", 1, write(true, false)},
		{"write_canonical", 1, write(true, false)},
		{"writeln", 1, write(false, true)},
		{"nl", 0, func(m *machine, a []Term) (bool, error) { return true, m.output("\n") }},
		{"tab", 1, func(m *machine, a []Term) (bool, error) {
			n, err := m.eval(a[0])
			if err != nil {
				return false, err
			}
			if n < 0 || !m.charge(n/8) {
				return n >= 0, m.err
			}
			return true, m.output(strings.Repeat(" ", int(n)))
		}},
		{"format", 1, func(m *machine, a []Term) (bool, error) { return m.format(a[0], atomNil, nil) }},
		{"format", 2, func(m *machine, a []Term) (bool, error) { return m.format(a[0], a[1], nil) }},
		{"format", 3, biFormat3},
	}
}

// text writes t as write/1 (quoted false) or writeq/1 does, charging for
// its size.
func (m *machine) text(t Term, quoted bool) (string, error) {
	s, err := writeTerm(t, m.ops(), quoted, int(min(m.maxSteps-m.steps, answerLimit)))
	if err != nil {
		return "", err
	}
	if !m.chargeText(s) {
		return "", m.err
	}
	return s, nil
}

func (m *machine) output(s string) error {
	_, err := io.WriteString(m.e.out, s)
	return err
}

// biFormat3 is format(Sink, Format, Args) with Sink atom(A), string(S),
// codes(C) or chars(C).
func biFormat3(m *machine, a []Term) (bool, error) {
	sink, ok := deref(a[0]).(*Compound)
	if !ok || len(sink.Args) != 1 {
		return false, domainError("output_sink", deref(a[0]))
	}
	var b strings.Builder
	if ok, err := m.format(a[1], a[2], &b); !ok || err != nil {
		return ok, err
	}
	s := b.String()
	var out Term
	switch sink.Functor {
	case "atom":
		out = Atom(s)
	case "string":
		out = String(s)
	case "codes":
		out = codeList(s)
	case "chars":
		out = charsOf(s)
	default:
		return false, domainError("output_sink", sink)
	}
	return m.unify(sink.Args[0], out), nil
}
