package main

import (
	"math/rand/v2"
	"slices"
	"syscall"

	"multikernel/cap"
	"multikernel/cpudriver/kpi"
	"multikernel/libos/capability"
)

// The native calls (cpudriver/kpi), every one of them, with arguments shaped
// like their uses and noise. Those that need the monitor's Kernel
// capability must answer EPERM to the fuzzer whatever it passes.

// nativeCount is how many native calls there are.
const nativeCount = kpi.NativeEnd - kpi.NativeBase

// monitorOnly are the native calls only a holder of the Kernel capability
// may make.
var monitorOnly = map[uintptr]bool{kpi.SysMonitorUp: true, kpi.SysChannel: true, kpi.SysBootDone: true,
	kpi.SysClient: true, kpi.SysClientClose: true, kpi.SysFacts: true, kpi.SysCapImport: true,
	kpi.SysCapHas: true, kpi.SysCapApply: true, kpi.SysCapOpDone: true, kpi.SysMemServe: true,
	kpi.SysMemGrant: true, kpi.SysMemReturn: true}

// slot returns a capability slot argument: one the fuzzer holds (the
// RAM capability of slot 1, what it retyped, copied, minted, received or
// kept of the memory service's), or noise.
func (w *worker) slot() uintptr {
	switch w.r.IntN(8) {
	case 0:
		return 1
	case 1:
		return scalar(w.r)
	case 2, 3, 4, 5:
		if s, ok := w.f.heldSlot(w.r); ok {
			return s
		}
	}
	return uintptr(w.r.IntN(40))
}

// endpoint returns a capability endpoint argument: one of a few, or
// noise.
func (w *worker) endpoint() uintptr {
	if w.r.IntN(4) == 0 {
		return scalar(w.r)
	}
	return uintptr(w.r.IntN(4))
}

// frameAddr returns where SysCapMap and SysCapUnmap are pointed: the
// frame window (usually at a page), the region, or hostile.
func (w *worker) frameAddr() (uintptr, bool) {
	switch w.r.IntN(8) {
	case 0:
		a, _, _ := memRange(w.r)
		return a, false
	case 1:
		return hostileAddr(w.r), true
	case 2:
		return frameBase + uintptr(w.r.Uint64N(frameSize)), false
	}
	return frameBase + uintptr(w.r.Uint64N(frameSize/pageSize))*pageSize, false
}

// waitTimeout is a timeout for the native calls that wait: a negative
// one (do not wait), or up to 10 ms. none allows 0 (no limit), for the
// waits the watchdog can end.
func (w *worker) waitTimeout(none bool) uintptr {
	switch w.r.IntN(4) {
	case 0:
		return ^uintptr(w.r.IntN(1000))
	case 1:
		if none {
			return 0
		}
	}
	return 1 + uintptr(w.r.Uint64N(10_000_000))
}

// nativeGens generates the native calls, by number.
var nativeGens = map[uintptr]func(w *worker) call{
	kpi.SysNotify: func(w *worker) call {
		core := uintptr(w.f.core)
		if w.r.IntN(2) == 0 {
			core = scalar(w.r) % 80
		}
		c := call{nr: kpi.SysNotify, a: [6]uintptr{core}}
		if core != uintptr(w.f.core) {
			c.eperm = true // another core: the monitor's call
		}
		return c
	},
	kpi.SysWait: func(w *worker) call {
		return call{nr: kpi.SysWait, a: [6]uintptr{scalar(w.r) % 64, w.waitTimeout(true)}}
	},
	kpi.SysCores: func(w *worker) call { return call{nr: kpi.SysCores, after: hasOwnCore} },
	kpi.SysCoreInfo: func(w *worker) call {
		return call{nr: kpi.SysCoreInfo, a: [6]uintptr{scalar(w.r) % 80}, after: ownCoreInfo}
	},
	kpi.SysConnect: func(w *worker) call { return call{nr: kpi.SysConnect} },
	kpi.SysCapIdentify: func(w *worker) call {
		p, h := ptr(w.r) // with no capability in the slot it fails too
		return call{nr: kpi.SysCapIdentify, a: [6]uintptr{w.slot(), p}, must: hostileMust(h || p < pageSize, "identify writing the capability")}
	},
	kpi.SysCapRetype: func(w *worker) call {
		// Mostly Frames of a few pages (to map, send and scribble
		// over), the other types RAM may become, and noise.
		t := uintptr(cap.Frame)
		switch w.r.IntN(5) {
		case 0:
			t = []uintptr{uintptr(cap.RAM), uintptr(cap.CNode), uintptr(cap.VNodePML4), uintptr(cap.VNodePDPT),
				uintptr(cap.VNodePD), uintptr(cap.VNodePT), uintptr(cap.Dispatcher)}[w.r.IntN(7)]
		case 1:
			t = uintptr(w.r.IntN(20))
		}
		off := uintptr(w.r.IntN(4)) * pageSize // inside a small Frame too
		if w.r.IntN(2) == 0 {
			off = uintptr(w.r.IntN(256)) * pageSize // anywhere in the program's RAM
		}
		size := uintptr(pageSize) << w.r.IntN(5)
		count := uintptr(1 + w.r.IntN(4))
		switch w.r.IntN(6) {
		case 0:
			off, size, count = scalar(w.r), scalar(w.r), scalar(w.r)
		case 1:
			size, count = 1024, uintptr(w.r.IntN(70)) // Dispatchers, EndPoints
		}
		return call{nr: kpi.SysCapRetype, a: [6]uintptr{w.slot(), t, off, size, count}, after: checkRetype}
	},
	kpi.SysCapCopy: func(w *worker) call { return call{nr: kpi.SysCapCopy, a: [6]uintptr{w.slot()}, after: noteSlot} },
	kpi.SysCapMint: func(w *worker) call {
		return call{nr: kpi.SysCapMint, a: [6]uintptr{w.slot(), scalar(w.r) % 256}, after: checkMint}
	},
	kpi.SysCapDelete: func(w *worker) call { return call{nr: kpi.SysCapDelete, a: [6]uintptr{w.slot()}, after: noteDeleted} },
	kpi.SysCapRevoke: func(w *worker) call { return call{nr: kpi.SysCapRevoke, a: [6]uintptr{w.slot()}} },
	kpi.SysCapMap: func(w *worker) call {
		va, h := w.frameAddr()
		prot := uintptr(w.r.IntN(8))
		if w.r.IntN(8) == 0 {
			prot = scalar(w.r)
		}
		return call{nr: kpi.SysCapMap, a: [6]uintptr{w.slot(), va, prot}, must: hostileMust(h, "a Frame mapped"), after: scribble}
	},
	kpi.SysCapUnmap: func(w *worker) call {
		va, _ := w.frameAddr()
		return call{nr: kpi.SysCapUnmap, a: [6]uintptr{va}}
	},
	kpi.SysCapSend: func(w *worker) call {
		core := uintptr(w.r.IntN(4)) // another fuzzer's core, mostly
		if w.r.IntN(3) == 0 {
			core = scalar(w.r) % 80
		}
		return call{nr: kpi.SysCapSend, a: [6]uintptr{w.slot(), core, w.endpoint()}}
	},
	kpi.SysCapReceive: func(w *worker) call {
		// Never without a limit: only a capability from another core
		// would end that wait.
		return call{nr: kpi.SysCapReceive, a: [6]uintptr{w.endpoint(), 1 + uintptr(w.r.Uint64N(10_000_000))}, after: noteSlot}
	},
	kpi.SysCapIO: func(w *worker) call {
		return call{nr: kpi.SysCapIO, a: [6]uintptr{w.slot(), scalar(w.r) % 64, scalar(w.r), scalar(w.r)}}
	},
	kpi.SysCapIRQ: func(w *worker) call {
		return call{nr: kpi.SysCapIRQ, a: [6]uintptr{w.slot(), scalar(w.r), w.waitTimeout(false)}}
	},
	kpi.SysCapVNodes: func(w *worker) call {
		p, h := ptr(w.r)
		return call{nr: kpi.SysCapVNodes, a: [6]uintptr{p}, must: hostileMust(h || p < pageSize, "SysCapVNodes writing")}
	},
	kpi.SysMemAlloc: func(w *worker) call {
		// Up to 8 MiB, or far more than any machine has: not enough to
		// starve the programs beside the fuzzer.
		size := uintptr(1+w.r.IntN(2048)) * pageSize
		switch w.r.IntN(6) {
		case 0:
			size = scalar(w.r) % (8 << 20)
		case 1:
			size = uintptr(1) << (41 + w.r.IntN(23))
		}
		node := []uintptr{0, 1, 2, 3, kpi.AnyNode, kpi.NearNode | 1, kpi.NearNode | scalar(w.r), scalar(w.r)}[w.r.IntN(8)]
		slot := uintptr(kpi.MemSlot) // the memory service's client capability
		if w.r.IntN(4) == 0 {
			slot = w.slot()
		}
		return call{nr: kpi.SysMemAlloc, a: [6]uintptr{slot, size, node}, after: dropRAM}
	},
	kpi.SysMemInfo: func(w *worker) call {
		p, h := ptr(w.r)
		n := uintptr(w.r.IntN(70))
		if w.r.IntN(8) == 0 {
			n = scalar(w.r)
		}
		quota := uintptr(0)
		if w.r.IntN(2) == 0 {
			quota, _ = ptr(w.r)
		}
		c := call{nr: kpi.SysMemInfo, a: [6]uintptr{p, n, quota}}
		if n > 0 && n <= 64 {
			c.must = hostileMust(h || p < pageSize, "SysMemInfo writing")
		}
		return c
	},
}

func init() {
	for nr := range monitorOnly {
		nativeGens[nr] = func(w *worker) call {
			return call{nr: nr, a: [6]uintptr{anyArg(w.r), anyArg(w.r), anyArg(w.r), anyArg(w.r), anyArg(w.r), anyArg(w.r)}, eperm: true}
		}
	}
}

// hasOwnCore checks SysCores: the fuzzer's own core is up.
func hasOwnCore(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 || r&(1<<w.f.core) == 0 {
		return "SysCores does not count the caller's core"
	}
	return ""
}

// ownCoreInfo checks SysCoreInfo of the fuzzer's core: its node is the
// one getcpu says.
func ownCoreInfo(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if c.a[0] == uintptr(w.f.core) && (e != 0 || int(r>>32) != w.f.node) {
		return "SysCoreInfo of the caller's core does not give its node"
	}
	return ""
}

// noteSlot records the slot a call put a capability in.
func noteSlot(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e == 0 {
		w.f.held(r, 1)
	}
	return ""
}

// noteDeleted forgets a slot a delete emptied.
func noteDeleted(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e == 0 {
		w.f.dropSlot(c.a[0])
	}
	return ""
}

// checkRetype checks a retype that went through: the new capability has
// the type asked for, one its source may be retyped into. It records the
// new slots.
func checkRetype(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 {
		return ""
	}
	w.f.held(r, int(c.a[4]))
	src, err1 := capability.Identify(capability.Slot(c.a[0]))
	got, err2 := capability.Identify(capability.Slot(r))
	if err2 != nil {
		return "" // another worker took it already
	}
	if got.Type != cap.Type(c.a[1]) {
		return "retype made a " + got.Type.String() + ", not a " + cap.Type(c.a[1]).String()
	}
	if err1 == nil && !slices.Contains(src.Type.Info().RetypeTo, got.Type) {
		return "retype made a " + got.Type.String() + " of a " + src.Type.String()
	}
	return ""
}

// checkMint checks a mint that went through: the copy has no right its
// source lacks.
func checkMint(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 {
		return ""
	}
	w.f.held(r, 1)
	src, err1 := capability.Identify(capability.Slot(c.a[0]))
	got, err2 := capability.Identify(capability.Slot(r))
	if err1 == nil && err2 == nil && got.Rights&^src.Rights != 0 {
		return "mint gave rights the source does not have"
	}
	return ""
}

// dropRAM checks the RAM a SysMemAlloc took is what was asked for, and
// deletes it, unless it is small and the fuzzer keeps few such (they are
// more to retype): the programs beside the fuzzer need memory too.
func dropRAM(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 {
		return ""
	}
	got, err := capability.Identify(capability.Slot(r))
	if c.a[1] <= 1<<20 && w.f.keptRAM.Add(1) <= 4 {
		w.f.held(r, 1)
	} else {
		capability.Delete(capability.Slot(r))
	}
	if err == nil && (got.Type != cap.RAM || uintptr(got.Size) != c.a[1]) {
		return "SysMemAlloc gave " + got.Type.String() + " of another size"
	}
	return ""
}

// scribble fills a Frame the fuzzer just mapped: if it were another
// program's memory, that program would see it.
func scribble(w *worker, c *call, r uintptr, e syscall.Errno) string {
	if e != 0 || c.a[2]&2 == 0 { // not mapped, or not writable
		return ""
	}
	in, err := capability.Identify(capability.Slot(c.a[0]))
	if err != nil {
		return ""
	}
	w.f.scribble(c.a[1], uintptr(in.Size))
	return ""
}

// held records that slots [first, first+n) hold capabilities now (at
// most 256 are remembered).
func (f *fuzzer) held(first uintptr, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 0; i < n && i < 64 && len(f.slots) < 256; i++ {
		if !slices.Contains(f.slots, first+uintptr(i)) {
			f.slots = append(f.slots, first+uintptr(i))
		}
	}
}

// dropSlot forgets slot s.
func (f *fuzzer) dropSlot(s uintptr) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if i := slices.Index(f.slots, s); i >= 0 {
		f.slots = slices.Delete(f.slots, i, i+1)
	}
}

// heldSlot returns a slot the fuzzer holds a capability in, if any.
func (f *fuzzer) heldSlot(r *rand.Rand) (uintptr, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.slots) == 0 {
		return 0, false
	}
	return f.slots[r.IntN(len(f.slots))], true
}
