package cap

// Generators: operation sequences from a byte source, so that the property
// tests (random bytes) and the fuzz test (the fuzzer's bytes) share them.

// byteSource hands out bytes, zeros once it runs dry.
type byteSource interface{ next() byte }

type sliceSource struct {
	b []byte
	i int
}

func (s *sliceSource) next() byte {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return s.b[s.i-1]
}

func (s *sliceSource) done() bool { return s.i >= len(s.b) }

// rootCap draws a capability for Create inside a small universe, so that
// operations collide often: 16 pages of memory, 64 ports, 16 vectors.
// One draw in eight breaks a shape rule.
func rootCap(src byteSource) Cap {
	kinds := []Type{PhysAddr, RAM, DevFrame, IO, IRQTable, Kernel, IPI, Frame}
	c := Cap{Type: kinds[int(src.next())%len(kinds)], Rights: AllRights}
	if r := src.next(); r%4 == 0 {
		c.Rights = Rights(r>>2) & AllRights
	}
	b, n := uint64(src.next()%16), uint64(src.next()%8)+1
	switch typeTable[c.Type].Space {
	case SpacePhys:
		c.Base, c.Size = b*pageSize, n*pageSize
	case SpaceIO:
		c.Base, c.Size = b*4, n*4
	case SpaceIRQ:
		c.Base, c.Size = b, n
	}
	if bad := src.next(); bad%8 == 0 {
		c.Base += uint64(bad >> 3)
	}
	return c
}

// opWeights makes retype, the operation with the most rules, the most
// frequent draw.
var opWeights = []opKind{opCreate, opRetype, opRetype, opRetype, opRetype, opRetype,
	opCopy, opMint, opDelete, opDelete, opRevoke, opSetRemote, opSetRemote, opIdentify, opRevokeAgreed}

// genOp draws one operation.
func genOp(src byteSource) op {
	o := op{kind: opWeights[int(src.next())%len(opWeights)]}
	o.pick = uint64(src.next()) | uint64(src.next())<<8
	switch o.kind {
	case opCreate:
		o.c = rootCap(src)
	case opRetype:
		o.typeSel, o.sizeSel, o.offSel, o.count = src.next(), src.next(), src.next(), src.next()
	case opMint:
		o.rights = Rights(src.next() % 32)
	case opSetRemote:
		o.rel = Relations(src.next())
		if o.rel&0x18 != 0 {
			o.rel = 0 // mostly clear the bits again, so that local operations go on
		}
	}
	return o
}
