package main

import (
	"fmt"
	"syscall"
	"time"

	"multikernel/cap/dist"
	"multikernel/cpudriver/kpi"
)

// Revoke and delete of the CPU drivers' capabilities that have copies on
// other cores (docs/capabilities.md, "Across cores"). A program's request
// reaches this monitor from its CPU driver (kernmon capop_request); the
// monitor coordinates cap/dist's two-phase protocol over every core whose
// monitor is up (intermon realop), each monitor checks and applies it to
// its core's copies through native calls (realLocal) and records the
// owner and the holders the commit announced, and the coordinator reports
// the outcome to its CPU driver (SysCapOpDone).

// realKey names a capability's object on every core: its type and range.
type realKey struct {
	ctype      uint8
	base, size uint64
}

// realObj is this core's part in the protocol for one object.
type realObj struct {
	key  realKey
	dm   dist.Monitor[*realLocal]
	busy bool // a request this core coordinates is running
}

// realLocal is a dist.Local backed by this core's CPU driver: it asks
// whether the core holds a copy and applies committed operations there.
// token is the waiting request of the operation this core coordinates.
type realLocal struct {
	key   realKey
	token uint32
}

func (l *realLocal) HasCopy() bool { return l.copies() > 0 }

// OtherCopy: a program of this core holds another copy (two may).
func (l *realLocal) OtherCopy() bool { return l.copies() > 1 }

// copies returns how many copies this core holds.
func (l *realLocal) copies() int {
	r, _, e := syscall.RawSyscall(kpi.SysCapHas, uintptr(l.key.ctype), uintptr(l.key.base), uintptr(l.key.size))
	if e != 0 {
		return 0
	}
	return int(r)
}

// Adopted writes the owner and whether copies live elsewhere into the CPU
// driver's database.
func (l *realLocal) Adopted(owner uint8, holders uint64) *realLocal {
	l.call(kpi.ApplyAdopt, uint64(owner), holders)
	return l
}

// Overlaps asks the CPU driver whether this core holds a descendant of
// the capability in r.
func (l *realLocal) Overlaps(r dist.Range) bool {
	return l.call(kpi.ApplyOverlaps, r.Base, r.Size) == 1
}

// Retyped has the CPU driver make the retype the waiting request asked
// for (this core coordinates it).
func (l *realLocal) Retyped(dist.Range, dist.OpID) *realLocal {
	l.call(kpi.ApplyRetype, uint64(l.token), 0)
	return l
}

func (l *realLocal) Revoked(keepCopy bool) *realLocal {
	what := kpi.ApplyRevoke
	if keepCopy {
		what = kpi.ApplyRevokeKeep
	}
	l.apply(what)
	return l
}

func (l *realLocal) Deleted() *realLocal {
	l.apply(kpi.ApplyDelete)
	return l
}

// apply makes the CPU driver apply a committed operation.
func (l *realLocal) apply(what int) { l.call(what, uint64(l.token), 0) }

// call is SysCapApply(what) on the capability with the arguments a4 and
// a5; it returns the result, or -1 after reporting an error.
func (l *realLocal) call(what int, a4, a5 uint64) int {
	r, _, e := syscall.RawSyscall6(kpi.SysCapApply, uintptr(what), uintptr(l.key.ctype), uintptr(l.key.base),
		uintptr(l.key.size), uintptr(a4), uintptr(a5))
	if e != 0 {
		fmt.Printf("monitor: capability operation %d on %#x+%#x: %v\n", what, l.key.base, l.key.size, e)
		return -1
	}
	return int(r)
}

// realObjFor returns this core's state for the object, made on first use,
// with members the cores taking part (bit c for core c).
func (m *monitor) realObjFor(k realKey, members uint64) (*realObj, error) {
	if m.caps.real == nil {
		m.caps.real = map[realKey]*realObj{}
	}
	if o := m.caps.real[k]; o != nil {
		if o.dm.Members() != members {
			return nil, fmt.Errorf("object %v: cores %#x take part, a message says %#x", k, o.dm.Members(), members)
		}
		return o, nil
	}
	if members&(1<<m.core) == 0 {
		return nil, fmt.Errorf("object %v: this core is not among its cores %#x", k, members)
	}
	o := &realObj{key: k, dm: dist.New(uint8(m.core), members, 0, &realLocal{key: k})}
	m.caps.real[k] = o
	return o, nil
}

// liveCores returns the cores whose monitors are up, as this one knows:
// itself and those that greeted it over a channel that works.
func (m *monitor) liveCores() uint64 {
	members := uint64(1) << m.core
	for c, p := range m.peers {
		if p != nil && !p.dead && m.greeted&(1<<c) != 0 {
			members |= 1 << c
		}
	}
	return members
}

// runReal feeds msgs to the protocol of o, sending the others' messages.
func (m *monitor) runReal(o *realObj, msgs []dist.Msg) {
	runDist(m, &o.dm, msgs, fmt.Sprintf("capability %#x+%#x", o.key.base, o.key.size), func(msg dist.Msg) {
		p := m.peers[msg.To]
		if p == nil || p.dead {
			fmt.Printf("monitor %d: no channel to core %d\n", m.core, msg.To)
			return
		}
		op := msg.Op
		err := p.b.SendRealop(o.key.ctype, o.key.base, o.key.size, o.dm.Members(), uint8(msg.Kind), msg.From, msg.To,
			op.ID.Stamp, op.ID.Core, uint8(op.Kind), uint8(msg.Vote), msg.HasCopy, msg.Owner, msg.Holders, op.Range.Base, op.Range.Size)
		if err != nil {
			m.fail(&p.conn, err)
		}
	})
}

// Realop receives one protocol message about a CPU driver's capability.
func (l *link) Realop(ctype uint8, obase, osize, members uint64, kind, from, to uint8, stamp uint32, opcore, opkind, vote uint8, hascopy bool, owner uint8, holders, rbase, rsize uint64) error {
	m := l.m
	if int(from) != l.p.core || int(to) != m.core {
		return fmt.Errorf("realop from %d to %d on the channel from core %d", from, to, l.p.core)
	}
	o, err := m.realObjFor(realKey{ctype, obase, osize}, members)
	if err != nil {
		return err
	}
	m.tick(stamp)
	msg := dist.Msg{Kind: dist.MsgKind(kind), From: from, To: to,
		Op:   dist.Op{ID: dist.OpID{Stamp: stamp, Core: opcore}, Kind: dist.Kind(opkind), Range: dist.Range{Base: rbase, Size: rsize}},
		Vote: dist.Reason(vote), HasCopy: hascopy, Owner: owner, Holders: holders}
	m.runReal(o, []dist.Msg{msg})
	return nil
}

// realRetries bounds how often a request refused as busy is retried.
const realRetries = 200

// CapopRequest runs a program's retype, revoke or delete across every core
// whose monitor is up and reports the outcome to the CPU driver.
func (k *kernLink) CapopRequest(token uint32, kind, ctype uint8, base, size, rbase, rsize uint64) error {
	m := k.m
	result := int64(0)
	if dist.Kind(kind) < dist.Retype || dist.Kind(kind) > dist.Delete {
		result = -int64(syscall.EINVAL)
	} else if o, err := m.realObjFor(realKey{ctype, base, size}, m.liveCores()); err != nil {
		fmt.Printf("monitor %d: %v\n", m.core, err)
		result = -int64(syscall.EINVAL)
	} else if o.busy {
		result = -int64(syscall.EBUSY) // one request per object at a time from this core
	} else {
		o.busy = true
		defer func() { o.busy = false }()
		o.dm.Local().token = token
		id := m.newOpID()
		for try := 0; ; try++ {
			op := dist.Op{ID: id, Kind: dist.Kind(kind), Range: dist.Range{Base: rbase, Size: rsize}}
			out, res := o.dm.Start(op)
			if res == nil {
				m.runReal(o, out)
				r := m.awaitResult(op.ID)
				res = &r
			}
			if res.Committed {
				break
			}
			if res.Reason != dist.Busy || try >= realRetries {
				result = -int64(syscall.EBUSY)
				break
			}
			m.stepFor(time.Duration(50+try) * time.Microsecond)
		}
	}
	_, _, e := syscall.RawSyscall(kpi.SysCapOpDone, uintptr(token), uintptr(result), 0)
	if e != 0 {
		fmt.Printf("monitor %d: reporting capability request %d: %v\n", m.core, token, e)
	}
	return nil
}
