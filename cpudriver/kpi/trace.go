package kpi

// The trace port: QEMU's debug console (isa-debugcon) at TracePort, whose
// bytes QEMU writes to a file (docs/trace.md). With the trace option the
// bootstrap core writes every core's trace chunks there
// (cpudriver/trace); a read of the port returns TracePort's low byte
// when the device is present (QEMU's readback), which is how the CPU
// driver tells that it is.
const TracePort = 0xe9
