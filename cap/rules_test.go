package cap

import (
	"errors"
	"strings"
	"testing"
)

// machine is a small booted core: 64 KiB of RAM at 0x100000, the I/O ports,
// 256 vectors and the Kernel authority.
type machine struct {
	db                   *DB
	ram, io, irq, kernel ID
}

func boot(t *testing.T) machine {
	t.Helper()
	db := NewDB(1)
	must := func(c Cap) ID {
		id, err := db.Create(c)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	return machine{db: db,
		ram:    must(Cap{Type: RAM, Base: 0x100000, Size: 0x10000, Rights: AllRights}),
		io:     must(Cap{Type: IO, Base: 0, Size: 1 << 16, Rights: AllRights}),
		irq:    must(Cap{Type: IRQTable, Base: 0, Size: 256, Rights: AllRights}),
		kernel: must(Cap{Type: Kernel, Rights: AllRights}),
	}
}

// retypeOK retypes or fails the test.
func (m machine) retypeOK(t *testing.T, src ID, a RetypeArgs) []ID {
	t.Helper()
	ids, err := m.db.Retype(src, a)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func wantCode(t *testing.T, what string, err error, want Code) {
	t.Helper()
	if want == 0 && err != nil || want != 0 && !errors.Is(err, want) {
		t.Errorf("%s: got %v, want %v", what, err, want)
	}
}

func TestRetypeRules(t *testing.T) {
	frames := func(off, n uint64) RetypeArgs {
		return RetypeArgs{Type: Frame, Offset: off, ObjSize: pageSize, Count: n}
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, m machine) ID // returns the source; nil: the RAM
		args  RetypeArgs
		want  Code
		n     int // capabilities made
	}{
		{"frames", nil, frames(0, 4), 0, 4},
		{"whole RAM as one frame", nil, RetypeArgs{Type: Frame, ObjSize: 0x10000, Count: 1}, 0, 1},
		{"page tables, fixed size", nil, RetypeArgs{Type: VNodePT, Count: 16}, 0, 16},
		{"cnode power of two", nil, RetypeArgs{Type: CNode, ObjSize: 0x4000, Count: 2}, 0, 2},
		{"dispatchers", nil, RetypeArgs{Type: Dispatcher, Count: 3, Offset: 0x400}, 0, 3},
		{"smaller RAM", nil, RetypeArgs{Type: RAM, ObjSize: 0x8000, Count: 2}, 0, 2},
		{"io subrange", func(t *testing.T, m machine) ID { return m.io }, RetypeArgs{Type: IO, Offset: 0x3f8, ObjSize: 8, Count: 1}, 0, 1},
		{"one vector", func(t *testing.T, m machine) ID { return m.irq }, RetypeArgs{Type: IRQ, Offset: 32, Count: 1}, 0, 1},
		{"endpoint", func(t *testing.T, m machine) ID {
			return m.retypeOK(t, m.ram, RetypeArgs{Type: Dispatcher, Count: 1})[0]
		}, RetypeArgs{Type: EndPoint, Count: 1}, 0, 1},
		{"no such cap", func(*testing.T, machine) ID { return 99 }, frames(0, 1), ErrNoCap, 0},
		{"null target", nil, RetypeArgs{Type: Null, Count: 1, ObjSize: pageSize}, ErrBadType, 0},
		{"RAM to IRQ", nil, RetypeArgs{Type: IRQ, Count: 1}, ErrCannotRetype, 0},
		{"frame to RAM", func(t *testing.T, m machine) ID { return m.retypeOK(t, m.ram, frames(0, 1))[0] },
			RetypeArgs{Type: RAM, ObjSize: pageSize, Count: 1}, ErrCannotRetype, 0},
		{"kernel", func(t *testing.T, m machine) ID { return m.kernel }, RetypeArgs{Type: Kernel, Count: 1}, ErrCannotRetype, 0},
		{"without write", func(t *testing.T, m machine) ID {
			id, _ := m.db.Mint(m.ram, RightRead|RightGrant)
			return id
		}, frames(0, 1), ErrNoRight, 0},
		{"frame not page multiple", nil, RetypeArgs{Type: Frame, ObjSize: 1000, Count: 1}, ErrBadSize, 0},
		{"frame below minimum", nil, RetypeArgs{Type: Frame, ObjSize: 0, Count: 1}, ErrBadCount, 0},
		{"cnode not power of two", nil, RetypeArgs{Type: CNode, ObjSize: 0x3000, Count: 1}, ErrBadSize, 0},
		{"page table wrong size", nil, RetypeArgs{Type: VNodePT, ObjSize: 0x2000, Count: 1}, ErrBadSize, 0},
		{"frame misaligned", nil, frames(0x400, 1), ErrBadAlign, 0},
		{"dispatcher misaligned", nil, RetypeArgs{Type: Dispatcher, Offset: 0x200, Count: 1}, ErrBadAlign, 0},
		{"zero count", nil, frames(0, 0), ErrBadCount, 0},
		{"too many", nil, frames(0, 17), ErrBadCount, 0},
		{"past the end", nil, frames(0xf000, 2), ErrOutOfRange, 0},
		{"offset past the end", nil, frames(0x11000, 1), ErrOutOfRange, 0},
		{"vector past the table", func(t *testing.T, m machine) ID { return m.irq }, RetypeArgs{Type: IRQ, Offset: 256, Count: 1}, ErrOutOfRange, 0},
		{"same object", nil, RetypeArgs{Type: RAM, ObjSize: 0x10000, Count: 1}, ErrSameObject, 0},
		{"overlaps a descendant", func(t *testing.T, m machine) ID {
			m.retypeOK(t, m.ram, frames(0x3000, 1))
			return m.ram
		}, frames(0, 4), ErrOverlap, 0},
		{"overlaps a grandchild", func(t *testing.T, m machine) ID {
			half := m.retypeOK(t, m.ram, RetypeArgs{Type: RAM, ObjSize: 0x8000, Count: 1})[0]
			m.retypeOK(t, half, frames(0x7000, 1))
			if err := m.db.Delete(half); err != nil { // the frame stays, an orphan
				t.Fatal(err)
			}
			return m.ram
		}, frames(0x7000, 1), ErrOverlap, 0},
		{"beside a descendant", func(t *testing.T, m machine) ID {
			m.retypeOK(t, m.ram, frames(0x3000, 1))
			return m.ram
		}, frames(0, 3), 0, 3},
		{"through a copy", func(t *testing.T, m machine) ID {
			m.retypeOK(t, m.ram, frames(0x3000, 1))
			id, _ := m.db.Copy(m.ram)
			return id
		}, frames(0x3000, 1), ErrOverlap, 0},
		{"remote copies", func(t *testing.T, m machine) ID {
			_ = m.db.SetRemote(m.ram, RemoteCopies)
			return m.ram
		}, frames(0, 1), ErrNeedsMonitor, 0},
		{"remote ancestors only", func(t *testing.T, m machine) ID {
			_ = m.db.SetRemote(m.ram, RemoteAncestors)
			return m.ram
		}, frames(0, 1), 0, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := boot(t)
			src := m.ram
			if c.setup != nil {
				src = c.setup(t, m)
			}
			before := m.db.Len()
			ids, err := m.db.Retype(src, c.args)
			wantCode(t, "retype", err, c.want)
			if len(ids) != c.n || m.db.Len() != before+c.n {
				t.Errorf("made %d, DB grew by %d, want %d", len(ids), m.db.Len()-before, c.n)
			}
			for _, id := range ids {
				got, _ := m.db.Identify(id)
				s, _ := m.db.Identify(src)
				if !IsDescendant(got, s) || got.Rights != s.Rights || got.Owner != 1 {
					t.Errorf("new %v is not a descendant of %v with its rights on core 1", got, s)
				}
			}
		})
	}
}

func TestCopyAndMint(t *testing.T) {
	m := boot(t)
	c, err := m.db.Copy(m.ram)
	wantCode(t, "copy", err, 0)
	r, err := m.db.Mint(c, RightRead|RightWrite)
	wantCode(t, "mint fewer", err, 0)
	_, err = m.db.Mint(r, RightRead|RightExecute)
	wantCode(t, "mint more", err, ErrRightsGrow)
	_, err = m.db.Mint(r, 0x40)
	wantCode(t, "mint unknown right", err, ErrBadRights)
	_, err = m.db.Copy(1234)
	wantCode(t, "copy nothing", err, ErrNoCap)
	if got := m.db.Copies(m.ram); len(got) != 2 {
		t.Errorf("copies of the RAM: %v", got)
	}
	rc, _ := m.db.Identify(r)
	if rc.Rights != RightRead|RightWrite || !IsCopy(rc, Cap{Type: RAM, Base: 0x100000, Size: 0x10000}) {
		t.Errorf("minted %v", rc)
	}
}

func TestDeleteAndRevoke(t *testing.T) {
	m := boot(t)
	half := m.retypeOK(t, m.ram, RetypeArgs{Type: RAM, ObjSize: 0x8000, Count: 2})
	fr := m.retypeOK(t, half[0], RetypeArgs{Type: Frame, ObjSize: pageSize, Count: 8})
	cp, _ := m.db.Copy(m.ram)
	frcp, _ := m.db.Copy(fr[3])

	wantCode(t, "delete a frame", m.db.Delete(fr[0]), 0)
	wantCode(t, "delete it again", m.db.Delete(fr[0]), ErrNoCap)
	if d := m.db.Descendants(m.ram); len(d) != 2+7+1 {
		t.Errorf("descendants of the RAM: %v", d)
	}
	n, err := m.db.Revoke(half[0])
	wantCode(t, "revoke half", err, 0)
	if n != 8 || len(m.db.Descendants(half[0])) != 0 {
		t.Errorf("revoke removed %d, left %v", n, m.db.Descendants(half[0]))
	}
	if _, err := m.db.Identify(frcp); err == nil {
		t.Error("a copy of a descendant survived the revoke")
	}
	n, err = m.db.Revoke(cp)
	wantCode(t, "revoke the RAM through a copy", err, 0)
	if n != 3 || m.db.Len() != 4 {
		t.Errorf("revoke removed %d, DB holds %d", n, m.db.Len())
	}
	if _, err := m.db.Identify(cp); err != nil {
		t.Error("revoke removed the capability it was invoked on")
	}
	_, err = m.db.Revoke(77)
	wantCode(t, "revoke nothing", err, ErrNoCap)
}

func TestRemoteRelationsNeedTheMonitor(t *testing.T) {
	m := boot(t)
	wantCode(t, "set", m.db.SetRemote(m.ram, RemoteCopies), 0)
	wantCode(t, "set nothing", m.db.SetRemote(99, RemoteCopies), ErrNoCap)
	_, err := m.db.Revoke(m.ram)
	wantCode(t, "revoke", err, ErrNeedsMonitor)
	wantCode(t, "delete last local copy", m.db.Delete(m.ram), ErrNeedsMonitor)
	cp, _ := m.db.Copy(m.ram)
	if c, _ := m.db.Identify(cp); c.Remote != RemoteCopies {
		t.Errorf("a copy lost the remote relations: %v", c.Remote)
	}
	wantCode(t, "delete a copy with another left", m.db.Delete(m.ram), 0)
	wantCode(t, "delete the last", m.db.Delete(cp), ErrNeedsMonitor)
	_ = m.db.SetRemote(cp, RemoteDescendants)
	_, err = m.db.Revoke(cp)
	wantCode(t, "revoke with remote descendants", err, ErrNeedsMonitor)
	wantCode(t, "delete with only remote descendants", m.db.Delete(cp), 0)
}

func TestCreateRules(t *testing.T) {
	cases := []struct {
		name string
		c    Cap
		want Code
	}{
		{"ram beside", Cap{Type: RAM, Base: 0x110000, Size: 0x1000}, 0},
		{"device memory", Cap{Type: DevFrame, Base: 0xfee00000, Size: 0x1000}, 0},
		{"another kernel", Cap{Type: Kernel}, 0},
		{"ipi", Cap{Type: IPI}, 0},
		{"kernel with a range", Cap{Type: Kernel, Base: 1}, ErrOutOfRange},
		{"null", Cap{Type: Null}, ErrBadType},
		{"unknown type", Cap{Type: 99}, ErrBadType},
		{"bad rights", Cap{Type: IPI, Rights: 0x80}, ErrBadRights},
		{"frame is not a root", Cap{Type: Frame, Base: 0x200000, Size: 0x1000}, ErrNotRoot},
		{"overlaps the RAM", Cap{Type: PhysAddr, Base: 0x10f000, Size: 0x2000}, ErrConflict},
		{"inside the RAM", Cap{Type: RAM, Base: 0x101000, Size: 0x1000}, ErrConflict},
		{"same RAM again", Cap{Type: RAM, Base: 0x100000, Size: 0x10000}, 0},
		{"misaligned", Cap{Type: RAM, Base: 0x200800, Size: 0x1000}, ErrBadAlign},
		{"odd size", Cap{Type: RAM, Base: 0x200000, Size: 0x1800}, ErrBadSize},
		{"beyond 52 bits", Cap{Type: RAM, Base: 1 << 52, Size: 0x1000}, ErrOutOfRange},
		{"wraps around", Cap{Type: RAM, Base: 1<<64 - 0x1000, Size: 0x2000}, ErrOutOfRange},
		{"ports beyond 64K", Cap{Type: IO, Base: 0xfff0, Size: 0x20}, ErrOutOfRange},
		{"ports overlap", Cap{Type: IO, Base: 0x3f8, Size: 8}, ErrConflict},
	}
	for _, c := range cases {
		m := boot(t)
		c.c.Rights |= AllRights &^ c.c.Rights // valid rights unless the case says otherwise
		if c.name == "bad rights" {
			c.c.Rights = 0x80
		}
		_, err := m.db.Create(c.c)
		wantCode(t, c.name, err, c.want)
	}
}

func TestReceive(t *testing.T) {
	m := boot(t)
	foreign := []struct {
		name string
		c    Cap
		want Code
	}{
		{"a copy of the RAM from its owner", Cap{Type: RAM, Base: 0x100000, Size: 0x10000, Owner: 0, Remote: RemoteCopies}, 0},
		{"a frame made elsewhere", Cap{Type: Frame, Base: 0x104000, Size: 0x1000, Owner: 2, Remote: RemoteAncestors}, 0},
		{"an ancestor", Cap{Type: PhysAddr, Base: 0x100000, Size: 0x20000, Owner: 0}, 0},
		{"straddling the RAM", Cap{Type: Frame, Base: 0x10f000, Size: 0x2000, Owner: 2}, ErrConflict},
		{"an unrelated type on the RAM", Cap{Type: DevFrame, Base: 0x100000, Size: 0x1000, Owner: 2}, ErrConflict},
		{"a bad shape", Cap{Type: Frame, Base: 0x100010, Size: 0x1000}, ErrBadAlign},
	}
	for _, f := range foreign {
		id, err := m.db.Receive(f.c)
		wantCode(t, f.name, err, f.want)
		if err == nil {
			if c, _ := m.db.Identify(id); c != f.c {
				t.Errorf("%s: stored %v, sent %v", f.name, c, f.c)
			}
		}
	}
	if d := m.db.Descendants(m.ram); len(d) != 1 {
		t.Errorf("the received frame is not a descendant of the RAM: %v", d)
	}
}

func TestErrorMessages(t *testing.T) {
	m := boot(t)
	_, err := m.db.Retype(m.ram, RetypeArgs{Type: Frame, Offset: 0x400, ObjSize: pageSize, Count: 1})
	var e *Error
	if !errors.As(err, &e) || e.Op != "retype" || e.ID != m.ram || e.Code != ErrBadAlign {
		t.Fatalf("got %#v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "alignment") || !strings.Contains(msg, "0x100400") {
		t.Errorf("message %q says neither the rule nor the value", msg)
	}
	for c := Code(1); c < numCodes; c++ {
		if codeText[c] == "" {
			t.Errorf("code %d has no message", c)
		}
	}
	if Code(0).Error() == "" || Code(200).Error() == "" {
		t.Error("unknown codes must still print")
	}
}

func TestStalePlanPanics(t *testing.T) {
	m := boot(t)
	p, err := m.db.DecodeRetype(m.ram, RetypeArgs{Type: Frame, ObjSize: pageSize, Count: 1})
	if err != nil || len(p.Caps()) != 1 {
		t.Fatal(err)
	}
	m.db.InvokeRetype(p)
	defer func() {
		if recover() == nil {
			t.Error("invoking a stale plan did not panic")
		}
	}()
	m.db.InvokeRetype(p)
}
