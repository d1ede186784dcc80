// Package grant reads which capabilities the boot configuration gives a
// program at start (cpudriver/devices and cpudriver/capsys give them). A
// module's word "caps=" lists them, comma separated:
//
//	io:FIRST-LAST   the I/O ports FIRST to LAST, inclusive
//	io:PORT         one port
//	irq:GSI         the interrupt line of global system interrupt GSI
//	devmem          every range of device memory, one DevFrame each
//	                (read, write and grant: device memory is never
//	                executable)
//	devmem:FIRST-LAST
//	                the device memory FIRST to LAST, inclusive (page
//	                aligned: FIRST a page's first byte, LAST a page's
//	                last), inside one range
//	mem:MIB         the limit, in MiB, on the RAM the program may take
//	                from the memory service through its client
//	                capability (slot 2; default 1 GiB)
//
// Numbers are decimal, or hexadecimal with 0x. The program finds them in
// its CSpace from slot 3 on (kpi.FirstGrantSlot), in the order given
// (devmem: one slot per range; mem: no slot of its own). Grants are
// retyped from the bootstrap core's roots, so they are exclusive: a
// program asking for ports, a line or device memory another holds is not
// started.
package grant

import (
	"fmt"
	"strconv"
	"strings"
)

// pageSize is the unit of device memory grants.
const pageSize = 4096

// Kind is what a Grant gives.
type Kind int

// The kinds of grant.
const (
	IO     Kind = iota // I/O ports [Base, Base+Size)
	IRQ                // the line of GSI Base
	DevMem             // device memory [Base, Base+Size); every range if Size is 0
	Mem                // the memory service limit: Size bytes
)

// Grant is one device capability a program gets at start.
type Grant struct {
	Kind       Kind
	Base, Size uint64
}

// String returns the grant as Parse reads it.
func (g Grant) String() string {
	switch g.Kind {
	case IO:
		if g.Size == 1 {
			return fmt.Sprintf("io:%#x", g.Base)
		}
		return fmt.Sprintf("io:%#x-%#x", g.Base, g.Base+g.Size-1)
	case IRQ:
		return fmt.Sprintf("irq:%d", g.Base)
	}
	if g.Kind == Mem {
		return fmt.Sprintf("mem:%d", g.Size>>20)
	}
	if g.Size != 0 {
		return fmt.Sprintf("devmem:%#x-%#x", g.Base, g.Base+g.Size-1)
	}
	return "devmem"
}

// Parse decodes a "caps=" list (without the "caps=").
func Parse(spec string) ([]Grant, error) {
	var gs []Grant
	for _, item := range strings.Split(spec, ",") {
		kind, arg, _ := strings.Cut(item, ":")
		var g Grant
		var err error
		switch kind {
		case "io":
			g, err = parsePorts(arg)
		case "irq":
			var n uint64
			n, err = strconv.ParseUint(arg, 0, 8)
			g = Grant{Kind: IRQ, Base: n, Size: 1}
		case "devmem":
			g, err = parseDevMem(arg)
		case "mem":
			var mib uint64
			mib, err = strconv.ParseUint(arg, 0, 32)
			g = Grant{Kind: Mem, Size: mib << 20}
		default:
			err = fmt.Errorf("unknown kind (want io:FIRST-LAST, irq:GSI, devmem, devmem:FIRST-LAST or mem:MIB)")
		}
		if err != nil {
			return nil, fmt.Errorf("caps=%s: %q: %v", spec, item, err)
		}
		gs = append(gs, g)
	}
	return gs, nil
}

// parsePorts decodes FIRST-LAST or PORT.
func parsePorts(arg string) (Grant, error) {
	lo, hi, ranged := strings.Cut(arg, "-")
	first, err := strconv.ParseUint(lo, 0, 16)
	if err != nil {
		return Grant{}, err
	}
	last := first
	if ranged {
		if last, err = strconv.ParseUint(hi, 0, 16); err != nil {
			return Grant{}, err
		}
	}
	if last < first {
		return Grant{}, fmt.Errorf("last port below first")
	}
	return Grant{Kind: IO, Base: first, Size: last - first + 1}, nil
}

// parseDevMem decodes devmem's argument: none (every range) or
// FIRST-LAST, page aligned.
func parseDevMem(arg string) (Grant, error) {
	if arg == "" {
		return Grant{Kind: DevMem}, nil
	}
	lo, hi, ranged := strings.Cut(arg, "-")
	if !ranged {
		return Grant{}, fmt.Errorf("want FIRST-LAST")
	}
	first, err := strconv.ParseUint(lo, 0, 64)
	if err != nil {
		return Grant{}, err
	}
	last, err := strconv.ParseUint(hi, 0, 64)
	if err != nil {
		return Grant{}, err
	}
	if last < first || first%pageSize != 0 || (last+1)%pageSize != 0 || last >= 1<<52 {
		return Grant{}, fmt.Errorf("want page-aligned FIRST-LAST below 2^52 (FIRST a page's first byte, LAST a page's last)")
	}
	return Grant{Kind: DevMem, Base: first, Size: last - first + 1}, nil
}

// Devices returns grants without the memory limit: the device grants.
func Devices(grants []Grant) []Grant {
	var out []Grant
	for _, g := range grants {
		if g.Kind != Mem {
			out = append(out, g)
		}
	}
	return out
}
