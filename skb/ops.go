package skb

// opType is an operator's associativity, as in op/3: xfx, xfy, yfx (infix),
// fy, fx (prefix), xf, yf (postfix).
type opType uint8

const (
	opXFX opType = iota
	opXFY
	opYFX
	opFY
	opFX
	opXF
	opYF
)

var opTypeNames = map[Atom]opType{
	"xfx": opXFX, "xfy": opXFY, "yfx": opYFX,
	"fy": opFY, "fx": opFX, "xf": opXF, "yf": opYF,
}

// opDef is one definition of an operator; prio 0 means none.
type opDef struct {
	prio int
	typ  opType
}

// opEntry holds the up to three definitions an atom may have.
type opEntry struct {
	prefix, infix, postfix opDef
}

// opTable maps atoms to their operator definitions. Each Engine owns one,
// changed only by op/3.
type opTable map[Atom]*opEntry

// defaultOps are SWI-Prolog's standard operators (ISO 6.3.4.4 plus the
// usual extensions).
var defaultOps = []struct {
	prio  int
	typ   opType
	names []Atom
}{
	{1200, opXFX, []Atom{":-", "-->"}},
	{1200, opFX, []Atom{":-", "?-"}},
	{1150, opFX, []Atom{"dynamic", "discontiguous", "initialization", "multifile", "table"}},
	{1100, opXFY, []Atom{";"}},
	{1105, opXFY, []Atom{"|"}},
	{1050, opXFY, []Atom{"->", "*->"}},
	{1000, opXFY, []Atom{","}},
	{990, opXFX, []Atom{":="}},
	{900, opFY, []Atom{"\\+"}},
	{700, opXFX, []Atom{"=", "\\=", "==", "\\==", "@<", "@>", "@=<", "@>=", "=..", "is",
		"=:=", "=\\=", "<", ">", "=<", ">=", ">:<", ":<", "as"}},
	{600, opXFY, []Atom{":"}},
	{500, opYFX, []Atom{"+", "-", "/\\", "\\/", "xor"}},
	{500, opFX, []Atom{"?"}},
	{400, opYFX, []Atom{"*", "/", "//", "rdiv", "<<", ">>", "mod", "rem", "div", "divmod"}},
	{200, opXFX, []Atom{"**"}},
	{200, opXFY, []Atom{"^"}},
	{200, opFY, []Atom{"-", "+", "\\"}},
	{1, opFX, []Atom{"$"}},
}

// newOpTable returns a table holding the default operators.
func newOpTable() opTable {
	t := opTable{}
	for _, d := range defaultOps {
		for _, n := range d.names {
			t.add(d.prio, d.typ, n)
		}
	}
	return t
}

// clone returns a copy of t that can change without changing t.
func (t opTable) clone() opTable {
	c := make(opTable, len(t))
	for name, e := range t {
		copied := *e
		c[name] = &copied
	}
	return c
}

// add defines (or, with prio 0, removes) an operator.
func (t opTable) add(prio int, typ opType, name Atom) {
	e := t[name]
	if e == nil {
		e = &opEntry{}
		t[name] = e
	}
	d := opDef{prio: prio, typ: typ}
	switch typ {
	case opFY, opFX:
		e.prefix = d
	case opXF, opYF:
		e.postfix = d
	default:
		e.infix = d
	}
}

func (t opTable) prefix(name Atom) (opDef, bool) {
	if e := t[name]; e != nil && e.prefix.prio > 0 {
		return e.prefix, true
	}
	return opDef{}, false
}

func (t opTable) infix(name Atom) (opDef, bool) {
	if e := t[name]; e != nil && e.infix.prio > 0 {
		return e.infix, true
	}
	return opDef{}, false
}

func (t opTable) postfix(name Atom) (opDef, bool) {
	if e := t[name]; e != nil && e.postfix.prio > 0 {
		return e.postfix, true
	}
	return opDef{}, false
}

// isOp reports whether name has any operator definition.
func (t opTable) isOp(name Atom) bool {
	e := t[name]
	return e != nil && (e.prefix.prio > 0 || e.infix.prio > 0 || e.postfix.prio > 0)
}

// argPrios returns the maximum priorities of the left and right arguments
// of an operator with definition d.
func (d opDef) argPrios() (left, right int) {
	switch d.typ {
	case opXFX:
		return d.prio - 1, d.prio - 1
	case opXFY:
		return d.prio - 1, d.prio
	case opYFX:
		return d.prio, d.prio - 1
	case opFY:
		return 0, d.prio
	case opFX:
		return 0, d.prio - 1
	case opXF:
		return d.prio - 1, 0
	default: // opYF
		return d.prio, 0
	}
}
