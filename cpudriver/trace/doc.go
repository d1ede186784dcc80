// Package trace is the CPU drivers' event tracing (docs/trace.md): each
// core records fixed-size events (what happened, on which core, when, two
// arguments) into a ring of its own, the bootstrap core drains every
// core's ring into chunks with a checksum and writes them to QEMU's debug
// console port, and tools/trace turns the file into trace-event JSON and
// a timeline picture.
//
// # Records
//
// A record is two words: word 0 the time (ns since boot, the calibrated
// TSC as ring0.Nanotime gives it, agreed across cores), word 1 the event
// (bits 0-7, never 0), the core (bits 8-15), argument A (bits 16-31) and
// argument B (bits 32-63). Events (events.go) say what A and B are.
//
// # The ring
//
// A core's ring is memory of its own pool, published in the shared area
// for the bootstrap core. Who writes what:
//
//	line 0 (magic, capacity, core, head, dropped)  written by the owning core only
//	line 1 (tail)                                  written by the draining core only
//	records                                        written by the owner while free (slot - tail < capacity),
//	                                               zeroed by the drainer before it moves tail past them
//
// The owner reserves a slot by a compare-and-swap on head (any goroutine
// or thread of the core may record), writes word 0, then word 1 with a
// release store. The drainer reads word 1 with an acquire load and stops
// at the first slot whose word 1 is still 0 (reserved, not yet written).
// An event that finds the ring full is counted in dropped, not recorded.
// No Go pointer crosses cores: both sides reach the ring by its physical
// address through the direct map.
//
// # Chunks
//
// The drainer writes what it took as chunks (chunk.go): a 32-byte header
// (magic, core, flags, sequence number, record count, events dropped so
// far, CRC-32 of header and records) and the records. A reader checks
// every chunk's checksum and each core's sequence, so a corrupt, lost or
// cut-off chunk is reported, never misread; the last chunk of each core
// carries FlagLast.
//
// Everything here but Start's caller is pure Go, host-tested.
package trace
