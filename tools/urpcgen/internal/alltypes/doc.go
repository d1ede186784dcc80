// Package alltypes is generated from ../../testdata/alltypes.if, an
// interface that uses every argument type and declaration shape, so that
// its round-trip test covers the generator's whole output over a real urpc
// channel. It is test code for tools/urpcgen only.
package alltypes

//go:generate go run multikernel/tools/urpcgen -o alltypes.urpc.go ../../testdata/alltypes.if
