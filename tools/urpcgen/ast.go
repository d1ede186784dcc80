package main

// Pos is a position in an interface file: 1-based line and byte column.
type Pos struct {
	Line, Col int
}

// File is a parsed interface file: one interface.
type File struct {
	Name  string  // interface name
	Doc   string  // the optional description string after the name
	Pos   Pos     // position of the name
	Decls []*Decl // messages and RPCs in declaration order
}

// DeclKind tells messages from RPCs.
type DeclKind int

const (
	// MessageDecl is a one-way message.
	MessageDecl DeclKind = iota
	// RPCDecl is a call with in arguments answered by a response with out
	// arguments.
	RPCDecl
)

// Decl is a message or RPC declaration.
type Decl struct {
	Kind DeclKind
	Name string
	Pos  Pos
	Doc  []string // the // comment lines right above the declaration
	Args []*Arg
}

// Dir is an RPC argument's direction; message arguments have none.
type Dir int

const (
	// NoDir marks a message argument.
	NoDir Dir = iota
	// In marks an RPC argument sent with the call.
	In
	// Out marks an RPC argument sent with the response.
	Out
)

// Arg is one typed argument.
type Arg struct {
	Dir  Dir
	Type Type
	Name string
	Pos  Pos
}

// TypeKind classifies argument types.
type TypeKind int

const (
	// Scalar is an integer or bool.
	Scalar TypeKind = iota
	// Array is a fixed-length array of a scalar.
	Array
	// String is a string of bounded length.
	String
	// Bytes is a byte slice of bounded length.
	Bytes
	// Cap is a capability: reserved, not supported yet.
	Cap
)

// Type is an argument type.
type Type struct {
	Kind   TypeKind
	Scalar string // Scalar and Array: the element type, e.g. "uint32"
	N      int    // Array: the length; String and Bytes: the bound
	Pos    Pos
}

// scalarSizes maps scalar type names to their wire sizes.
var scalarSizes = map[string]int{
	"uint8": 1, "uint16": 2, "uint32": 4, "uint64": 8,
	"int8": 1, "int16": 2, "int32": 4, "int64": 8,
	"bool": 1,
}
