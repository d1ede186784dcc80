package main

import (
	"debug/elf"
	"fmt"
	"sort"

	"golang.org/x/arch/x86/x86asm"
)

// A finding is one instruction family 10h cannot execute.
type finding struct {
	sym  string
	addr uint64
	off  uint64 // offset from the start of sym
	text string // disassembly, or the bytes when x86asm cannot decode them
	ext  string // the extension it needs
	rule *allowRule
}

// A report is the result of auditing one binary.
type report struct {
	path       string
	insns      int       // instructions checked
	funcs      int       // functions walked
	undecoded  int       // bytes neither decoder could read
	padding    int       // INT3/zero bytes between functions
	stray      int       // other bytes between functions (not audited)
	mismatches []string  // x86asm and scan disagree on a length
	allowed    []finding // findings inside allowlisted functions
	forbidden  []finding // findings elsewhere: the audit fails
}

// function is a symbol-bounded piece of an executable section.
type function struct {
	name string
	addr uint64
	code []byte
}

// auditFile walks every function of the executable sections of the ELF
// file at path and checks each instruction.
func auditFile(path string) (*report, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if f.Machine != elf.EM_X86_64 {
		return nil, fmt.Errorf("%s: not an x86-64 ELF file (%v)", path, f.Machine)
	}
	funcs, r, err := functions(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	r.path = path
	for _, fn := range funcs {
		r.funcs++
		r.walk(fn)
	}
	return r, nil
}

// functions returns the STT_FUNC symbols of every executable section with
// their bytes, sorted by address, and counts the bytes no symbol covers.
func functions(f *elf.File) ([]function, *report, error) {
	syms, err := f.Symbols()
	if err != nil {
		return nil, nil, err
	}
	r := &report{}
	var out []function
	for si, sec := range f.Sections {
		if sec.Type != elf.SHT_PROGBITS || sec.Flags&elf.SHF_EXECINSTR == 0 {
			continue
		}
		data, err := sec.Data()
		if err != nil {
			return nil, nil, fmt.Errorf("section %s: %v", sec.Name, err)
		}
		var in []elf.Symbol
		for _, s := range syms {
			if elf.ST_TYPE(s.Info) == elf.STT_FUNC && int(s.Section) == si && s.Size > 0 {
				in = append(in, s)
			}
		}
		sort.Slice(in, func(i, j int) bool { return in[i].Value < in[j].Value })
		end := sec.Addr // first address not yet covered
		for _, s := range in {
			lo, hi := s.Value, s.Value+s.Size
			if lo < end { // alias or overlap: audit only the new part
				lo = end
			}
			if hi > sec.Addr+uint64(len(data)) {
				return nil, nil, fmt.Errorf("symbol %s runs past section %s", s.Name, sec.Name)
			}
			if lo >= hi {
				continue
			}
			r.gap(data[end-sec.Addr : lo-sec.Addr])
			out = append(out, function{s.Name, lo, data[lo-sec.Addr : hi-sec.Addr]})
			end = hi
		}
		r.gap(data[end-sec.Addr:])
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("no function symbols in executable sections (stripped?)")
	}
	return out, r, nil
}

// gap counts bytes between functions: Go pads with INT3 (0xCC).
func (r *report) gap(b []byte) {
	for _, c := range b {
		if c == 0xCC || c == 0 {
			r.padding++
		} else {
			r.stray++
		}
	}
}

// walk decodes fn sequentially and records what family 10h cannot run.
func (r *report) walk(fn function) {
	rule := lookupAllow(fn.name)
	code := fn.code
	for off := 0; off < len(code); {
		addr := fn.addr + uint64(off)
		n, text, ext := r.decode(code[off:], addr)
		if n == 0 { // neither decoder knows these bytes: skip one
			r.undecoded++
			n, text, ext = 1, fmt.Sprintf("undecodable byte %#02x", code[off]), "undecodable"
		} else {
			r.insns++
		}
		if ext != "" {
			fd := finding{fn.name, addr, uint64(off), text, ext, rule}
			if rule != nil {
				r.allowed = append(r.allowed, fd)
			} else {
				r.forbidden = append(r.forbidden, fd)
			}
		}
		off += n
	}
}

// decode reads one instruction with both scan and x86asm. It returns its
// length (0 when neither can decode it), its text and the extension family
// 10h lacks ("" if none).
func (r *report) decode(b []byte, addr uint64) (n int, text, ext string) {
	f, serr := scan(b)
	in, derr := x86asm.Decode(b, 64)
	xok := derr == nil && in.Op != 0
	if xok {
		text = x86asm.IntelSyntax(in, addr, nil)
	}
	switch {
	case serr == nil && xok:
		// x86asm v0.33.0 gives VZEROUPPER/VZEROALL (VEX 0F 77) a
		// ModRM byte it does not have; do not report that erratum.
		known := f.enc != encLegacy && f.m == map0F && f.op == 0x77
		if in.Len != f.n && !known {
			r.mismatches = append(r.mismatches, fmt.Sprintf("%#x: % x: x86asm %d bytes (%s), scan %d",
				addr, b[:max(in.Len, f.n)], in.Len, text, f.n))
		}
		if f.enc == encLegacy {
			n = in.Len // trust x86asm on legacy encodings
		} else {
			n = f.n
		}
		return n, text, classify(f)
	case serr == nil:
		return f.n, fmt.Sprintf("% x", b[:f.n]), classify(f)
	case xok:
		// scan refused what x86asm decodes (an opcode invalid in
		// 64-bit mode): nothing family 10h runs.
		return in.Len, text, "invalid opcode (" + serr.Error() + ")"
	}
	return 0, "", ""
}
