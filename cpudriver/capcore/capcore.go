// Package capcore holds this core's capability database (cap.DB), the
// lock that orders every capability operation on the core, its root
// capabilities without a range (Kernel, MemClient), and the processes'
// CSpaces: the slot tables through which a process names the
// capabilities it holds (docs/capabilities.md, "Enforcement").
//
// Lock order: the core's lock (Lock) is taken before a process's own
// lock (proc.Process's), never inside it, and nothing that may grow a
// process's memory account (a copy to or from its memory) or wait for
// the monitor runs while it is held. Each core has its own Go runtime,
// so this package's state is per core by construction.
package capcore

import (
	"errors"
	"sync"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
)

// core is this core's capability state.
var core struct {
	mu    sync.Mutex
	db    *cap.DB             // guarded by mu
	roots map[cap.Type]cap.ID // the root capability of each type without a range; guarded by mu
}

// Init makes this core's capability database, empty, for core number c.
func Init(c int) {
	core.mu.Lock()
	defer core.mu.Unlock()
	core.db = cap.NewDB(cap.Core(c))
	core.roots = nil
}

// Lock takes the core's capability lock and returns the database (nil
// before Init).
func Lock() *cap.DB {
	core.mu.Lock()
	return core.db
}

// Unlock releases the core's capability lock.
func Unlock() { core.mu.Unlock() }

// DB returns the database; the caller holds the lock.
func DB() *cap.DB { return core.db }

// RootLocked returns the core's root capability of type ty (one of the
// types without a range: Kernel, MemClient), made on first use; 0 if
// there is no database. The lock is held.
func RootLocked(ty cap.Type) cap.ID {
	if core.db == nil {
		return 0
	}
	if id := core.roots[ty]; id != 0 {
		return id
	}
	id, err := core.db.Create(cap.Cap{Type: ty, Rights: cap.AllRights, Owner: core.db.Core()})
	if err != nil {
		return 0
	}
	if core.roots == nil {
		core.roots = map[cap.Type]cap.ID{}
	}
	core.roots[ty] = id
	return id
}

// Index is this core's number as the capability database knows it.
func Index() cap.Core {
	core.mu.Lock()
	defer core.mu.Unlock()
	if core.db == nil {
		return 0
	}
	return core.db.Core()
}

// Errno turns a cap error into the errno a program sees.
func Errno(err error) int64 {
	var ce *cap.Error
	if !errors.As(err, &ce) {
		return -kpi.EINVAL
	}
	switch ce.Code {
	case cap.ErrNoCap:
		return -kpi.EBADF
	case cap.ErrNoRight, cap.ErrRightsGrow:
		return -kpi.EPERM
	case cap.ErrOverlap, cap.ErrConflict, cap.ErrNeedsMonitor:
		return -kpi.EBUSY
	}
	return -kpi.EINVAL
}
