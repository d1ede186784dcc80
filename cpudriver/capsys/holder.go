// Package capsys is capability enforcement on this core
// (docs/capabilities.md, "Enforcement"): the capability invocations a
// program makes through the native calls (identify, retype, copy, mint,
// delete, revoke, map, unmap), the capabilities a process gets when it
// starts and what happens to them when it ends, the mappings of Frames
// and DevFrames into processes, capabilities sent between cores to
// endpoints (transfer.go), and the CPU driver's part of the monitors'
// two-phase protocol for capabilities with copies on other cores
// (dist.go).
//
// A process names the capabilities it holds by slot number in its CSpace
// (capcore), so it can reach no capability it was not given, and every
// invocation goes through the cap.DB's rules. A Frame is mapped with no
// more access than its rights allow, and deleting or revoking a
// capability removes every mapping of what it names. Everything here
// runs under the core's capability lock (capcore), taken before a
// process's own lock; nothing that may grow a process's memory account
// or wait for the monitor runs while it is held.
package capsys

import (
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/memory"
)

// Holder is a process of this core as the capability calls see it
// (proc.Process is one). Holders are compared by identity: one value per
// process.
type Holder interface {
	// CSpace returns the process's slots; guarded by the core's
	// capability lock.
	CSpace() *capcore.CSpace
	// Quota returns its limit on RAM from the memory service.
	Quota() *memory.Quota
	// IsMonitor reports whether it is this core's monitor.
	IsMonitor() bool
	// CopyOut writes b to its memory at va; called with no lock held.
	CopyOut(va uint64, b []byte) error
	// Dying is closed when the process begins to exit: waits end.
	Dying() <-chan struct{}
	// MapFrameLocked maps the size bytes of physical memory at pa at va
	// with protection prot (uncached for device memory) as a pinned area,
	// growing the process's page tables as needed. The core's capability
	// lock is held.
	MapFrameLocked(va, pa, size uint64, prot uint32, uncached bool) error
	// UnmapFrame removes such a mapping; nothing is freed.
	UnmapFrame(va, size uint64)
}
