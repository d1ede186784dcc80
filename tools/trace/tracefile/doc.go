// Package tracefile reads the trace the CPU drivers write to QEMU's debug
// console (cpudriver/trace, docs/trace.md) and turns it into what people
// look at: Chrome's trace-event JSON (one process per core, cross-core
// messages as flows from send to receive; Perfetto and chrome://tracing
// open it) and a timeline picture (one lane per core, arrows for
// messages, colours by class). tools/trace and `make run TRACE=DIR` use
// it; so does the integration test of a traced boot.
package tracefile
