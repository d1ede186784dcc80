package multiboot

import (
	"encoding/binary"
	"fmt"
)

// MaxModules is the most boot modules Parse reads; the rest are reported
// and ignored.
const MaxModules = 64

// moduleLen is the size of one entry of the module list (section 3.3):
// mod_start, mod_end, string, reserved.
const moduleLen = 16

// maxModuleString bounds a module's string (its name and arguments).
const maxModuleString = 1024

// Module is one boot module: the bytes [Start, End) of physical memory, as
// loaded by the boot loader, and the string given with it (for QEMU's
// -initrd and GRUB's module command, the file name and its arguments).
type Module struct {
	Start, End uint64
	String     string
}

// Size returns the module's length in bytes.
func (mod Module) Size() uint64 { return mod.End - mod.Start }

// Range returns the physical range the module occupies.
func (mod Module) Range() Range { return Range{mod.Start, mod.End} }

// readModules reads the module list. A module whose end lies before its
// start is dropped; one whose string cannot be read keeps an empty string.
func (in *Info) readModules(m Memory, count, addr uint32) []Module {
	if count > MaxModules {
		in.problem("%d modules listed, only the first %d are used", count, MaxModules)
		count = MaxModules
	}
	if count == 0 {
		return nil
	}
	b, err := read(m, uint64(addr), int(count)*moduleLen)
	if err != nil {
		in.problem("module list at 0x%x dropped: %v", addr, err)
		return nil
	}
	var mods []Module
	le := binary.LittleEndian
	for i := 0; i < int(count); i++ {
		e := b[i*moduleLen:]
		mod := Module{Start: uint64(le.Uint32(e)), End: uint64(le.Uint32(e[4:]))}
		if mod.End < mod.Start {
			in.problem("module %d dropped: it ends at 0x%x, before its start 0x%x", i, mod.End, mod.Start)
			continue
		}
		if s := le.Uint32(e[8:]); s != 0 {
			mod.String = in.readString(m, fmt.Sprintf("string of module %d", i), s, maxModuleString)
		}
		mods = append(mods, mod)
	}
	return mods
}
