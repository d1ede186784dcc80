// Package stub is the run-time support of the Go code that tools/urpcgen
// generates from interface (.if) files: the wire encoding of message
// arguments and the pairing of RPC calls with their responses.
//
// # Wire format
//
// A message's arguments are concatenated in declaration order, with no
// padding and no self-description: both parties compile the same interface.
// Integers are little-endian in their declared width; bool is one byte, 0 or
// 1; a fixed array is its elements in order; a string or byte slice of at
// most max bytes is a length prefix (one byte if max < 256, two if
// max < 65536, four otherwise) followed by the bytes. A decoder rejects a
// short message, trailing bytes, a bool other than 0 or 1 and a length over
// max.
//
// An RPC call carries a 32-bit call id and then its in arguments; the
// response carries the same id, an error text of at most 255 bytes (empty on
// success) and then, on success, the out arguments.
//
// # Concurrency
//
// A Conn belongs to one goroutine: the generated Binding sends and receives
// on one endpoint from the goroutine that runs the party's protocol, which
// keeps sequential protocols sequential. Encoder and Decoder values are not
// shared.
package stub
