// Command urpcgen is the interface compiler of URPC (the role of
// Barrelfish's Flounder): it reads one interface file (.if) declaring the
// messages and RPCs two parties exchange and writes Go stubs for it over
// package multikernel/urpc, with multikernel/urpc/stub as run-time support.
// It runs on the host, from go generate:
//
//	//go:generate go run multikernel/tools/urpcgen [-o file.go] [-pkg name] file.if
//
// The interface name is the package name unless -pkg says otherwise; the
// input path is resolved against the working directory and printed, as
// given, in the generated header. Output is deterministic and gofmt'ed, so
// a test (stale_test.go) regenerates every file named by such a go:generate
// line in the module and fails if the checked-in copy differs.
//
// # Interface language
//
//	file  = "interface" name [ string ] "{" { decl } "}" [ ";" ] .
//	decl  = ( "message" | "rpc" ) name "(" [ arg { "," arg } ] ")" ";" .
//	arg   = [ "in" | "out" ] type name .
//	type  = scalar [ "[" length "]" ]
//	      | ( "string" | "bytes" ) "<" bound ">"
//	      | "cap" .
//	scalar = "uint8" | "uint16" | "uint32" | "uint64"
//	       | "int8" | "int16" | "int32" | "int64" | "bool" .
//
// Names are letters, digits and underscores; snake_case becomes CamelCase in
// Go. Comments are // and /* */; the // lines right above a declaration are
// its documentation. Every rpc argument says in (sent with the call) or out
// (sent with the response); message arguments have no direction. scalar[n]
// is a fixed array of n elements; string<n> and bytes<n> hold at most n
// bytes. cap is reserved for capability transfer and is rejected with "not
// supported yet". Errors are reported as file:line:column: message.
//
// # Generated code
//
// For interface x the output declares, in package x: a constant Type<M> per
// message and Type<R>Call, Type<R>Response per rpc (numbered from 1 in
// declaration order), MaxMessage (the longest encoding), a Handler interface
// with one method per message and rpc, and a Binding with Send<M> methods,
// one blocking call method <R> per rpc (which dispatches other messages
// while it waits), Dispatch (decode one received message and call the
// Handler, answering calls) and Next (receive and dispatch). The wire format
// is documented in package stub.
package main
