package skb

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// format implements format/1,2,3 for the common directives: ~w ~p ~q ~a
// ~d ~D ~s ~n ~c ~r ~e ~i ~* ~~ and the column directives ~t ~| ~+. It
// writes to sink, or to the engine's output when sink is nil.
func (m *machine) format(f, args Term, sink *strings.Builder) (bool, error) {
	fs, ok := m.textOf(f)
	if !ok {
		return false, typeError("text", deref(f))
	}
	list, err := m.listArg(args)
	if _, isList := deref(args).(*Compound); err != nil && !isList && deref(args) != atomNil {
		list, err = []Term{args}, nil
	}
	if err != nil {
		return false, err
	}
	st := &formatState{m: m, args: list}
	err = st.run(fs)
	if err == nil && len(st.args) > 0 {
		err = formatError("too many arguments")
	}
	st.flushColumn(-1)
	if sink != nil {
		sink.WriteString(st.out.String())
	} else if werr := m.output(st.out.String()); err == nil {
		err = werr // like SWI-Prolog, what was formatted before an error is still written
	}
	return err == nil, err
}

func formatError(msg string) error {
	return isoError(NewCompound("format", Atom(msg)))
}

// formatState is the state of one format call. Text since the last column
// stop is kept in seg, with fill points, until the next stop pads it.
type formatState struct {
	m     *machine
	args  []Term
	out   strings.Builder // text before the current column segment
	seg   strings.Builder // text of the current segment
	fills []fillPoint
}

// fillPoint is a ~t in the current segment: where padding goes, and with
// which character.
type fillPoint struct {
	at   int
	char rune
}

func (st *formatState) nextArg() (Term, error) {
	if len(st.args) == 0 {
		return nil, formatError("not enough arguments")
	}
	a := st.args[0]
	st.args = st.args[1:]
	return a, nil
}

func (st *formatState) run(fs string) error {
	for i := 0; i < len(fs); {
		r, size := utf8.DecodeRuneInString(fs[i:])
		i += size
		if r != '~' {
			st.seg.WriteRune(r)
			continue
		}
		// numeric argument: digits, ` followed by a char, or *
		num, hasNum := 0, false
		switch {
		case i < len(fs) && fs[i] == '*':
			a, err := st.nextArg()
			if err != nil {
				return err
			}
			n, err := intArg(a)
			if err != nil {
				return err
			}
			num, hasNum, i = int(n), true, i+1
		case i+1 < len(fs) && fs[i] == '`':
			c, size := utf8.DecodeRuneInString(fs[i+1:])
			num, hasNum, i = int(c), true, i+1+size
		default:
			for i < len(fs) && isDigit(rune(fs[i])) {
				num, hasNum = num*10+int(fs[i]-'0'), true
				i++
				if num > 1<<20 {
					return formatError("column argument too large")
				}
			}
		}
		if i >= len(fs) {
			return formatError("truncated format")
		}
		d := fs[i]
		i++
		if err := st.directive(d, num, hasNum); err != nil {
			return err
		}
		if !st.m.charge(int64(st.seg.Len()/64 + 1)) {
			return st.m.err
		}
	}
	return nil
}

// directive runs one ~ directive.
func (st *formatState) directive(d byte, num int, hasNum bool) error {
	if !hasNum {
		num = -1
	}
	switch d {
	case '~':
		st.seg.WriteByte('~')
	case 'n':
		st.seg.WriteString(strings.Repeat("\n", max(num, 1)))
	case 't':
		fill := ' '
		if num >= 0 {
			fill = rune(num)
		}
		st.fills = append(st.fills, fillPoint{at: st.seg.Len(), char: fill})
	case '|', '+':
		st.columnStop(d, num)
	case 'i':
		_, err := st.nextArg()
		return err
	default:
		a, err := st.nextArg()
		if err != nil {
			return err
		}
		return st.argDirective(d, num, a)
	}
	return nil
}

// argDirective runs a directive that consumes an argument.
func (st *formatState) argDirective(d byte, num int, a Term) error {
	m := st.m
	switch d {
	case 'w', 'p', 'q', 'a':
		if d == 'a' {
			if _, ok := deref(a).(*Compound); ok {
				return typeError("atomic", deref(a))
			}
		}
		s, err := m.text(a, d == 'p' || d == 'q')
		if err != nil {
			return err
		}
		st.seg.WriteString(s)
	case 'd', 'D':
		n, err := m.eval(a)
		if err != nil {
			return err
		}
		st.seg.WriteString(formatInt(n, max(num, 0), d == 'D'))
	case 's':
		s, ok := m.textOf(a)
		if !ok {
			return formatError("~s expects a string or a list of codes")
		}
		st.seg.WriteString(s)
	case 'c':
		n, err := intArg(a)
		if err != nil {
			return err
		}
		st.seg.WriteString(strings.Repeat(string(rune(n)), max(num, 1)))
	case 'r', 'R':
		n, err := intArg(a)
		if err != nil {
			return err
		}
		if num < 2 || num > 36 {
			return formatError("~r needs a radix between 2 and 36")
		}
		s := strconv.FormatInt(n, num)
		if d == 'R' {
			s = strings.ToUpper(s)
		}
		st.seg.WriteString(s)
	case 'e', 'f', 'g':
		n, err := intArg(a)
		if err != nil {
			return formatError("floating-point numbers are not supported")
		}
		st.seg.WriteString(formatInt(n, 0, false) + "." + strings.Repeat("0", max(num, 6)))
	default:
		return formatError("unknown directive ~" + string(d))
	}
	return nil
}

// formatInt writes n for ~Nd (N digits after an inserted decimal point)
// and ~D (groups of three digits separated by commas).
func formatInt(n int64, frac int, group bool) string {
	neg := n < 0
	digits := strconv.FormatUint(uint64(abs64(n)), 10)
	if n == -1<<63 {
		digits = "9223372036854775808"
	}
	intPart, fracPart := digits, ""
	if frac > 0 {
		if len(digits) <= frac {
			digits = strings.Repeat("0", frac-len(digits)+1) + digits
		}
		intPart, fracPart = digits[:len(digits)-frac], digits[len(digits)-frac:]
	}
	if group {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	s := intPart
	if fracPart != "" {
		s += "." + fracPart
	}
	if neg {
		s = "-" + s
	}
	return s
}

// column returns the column where the current segment starts.
func (st *formatState) column() int {
	s := st.out.String()
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return utf8.RuneCountInString(s)
}

// columnStop ends the current segment at a column: ~N| at column N, ~N+
// at N (default 8) past the segment start.
func (st *formatState) columnStop(d byte, num int) {
	start := st.column()
	target := num
	if d == '+' {
		target = start + 8
		if num >= 0 {
			target = start + num
		}
	}
	st.flushColumn(target)
}

// flushColumn pads the current segment to end at column target (no
// padding when target < 0) at its fill points, then moves it to out.
func (st *formatState) flushColumn(target int) {
	seg := st.seg.String()
	pad := target - st.column() - utf8.RuneCountInString(seg)
	if target >= 0 && pad > 0 {
		fills := st.fills
		if len(fills) == 0 {
			fills = []fillPoint{{at: len(seg), char: ' '}}
		}
		var b strings.Builder
		last := 0
		for k, f := range fills {
			share := pad / len(fills)
			if k < pad%len(fills) {
				share++
			}
			b.WriteString(seg[last:f.at])
			b.WriteString(strings.Repeat(string(f.char), share))
			last = f.at
		}
		b.WriteString(seg[last:])
		seg = b.String()
	}
	st.out.WriteString(seg)
	st.seg.Reset()
	st.fills = nil
}
