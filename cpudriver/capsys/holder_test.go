package capsys

import (
	"multikernel/cpudriver/capcore"
	"multikernel/cpudriver/memory"
)

// testHolder is a process for host tests: a CSpace and a quota, and no
// memory (copies and mappings fail).
type testHolder struct {
	cs    capcore.CSpace
	q     memory.Quota
	dying chan struct{}
}

func (h *testHolder) CSpace() *capcore.CSpace           { return &h.cs }
func (h *testHolder) Quota() *memory.Quota              { return &h.q }
func (h *testHolder) IsMonitor() bool                   { return false }
func (h *testHolder) CopyOut(va uint64, b []byte) error { return errNoMemory }
func (h *testHolder) Dying() <-chan struct{}            { return h.dying }
func (h *testHolder) UnmapFrame(va, size uint64)        {}
func (h *testHolder) MapFrameLocked(va, pa, size uint64, prot uint32, uncached bool) error {
	return errNoMemory
}

var errNoMemory = memory.ErrNoMemory
