package proc

import (
	"fmt"
	"strconv"
	"strings"
)

// Grants: which device capabilities the boot configuration gives a
// program at start (devcaps.go). A module's word "caps=" lists them,
// comma separated:
//
//	io:FIRST-LAST   the I/O ports FIRST to LAST, inclusive
//	io:PORT         one port
//	irq:GSI         the interrupt line of global system interrupt GSI
//	devmem          a copy of every device-memory capability (read,
//	                write and grant: device memory is never executable)
//
// Numbers are decimal, or hexadecimal with 0x. The program finds them in
// its CSpace from slot 2 on, in the order given (devmem: one slot per
// range).

// GrantKind is what a Grant gives.
type GrantKind int

// Grant kinds.
const (
	GrantIO     GrantKind = iota // I/O ports [Base, Base+Size)
	GrantIRQ                     // the line of GSI Base
	GrantDevMem                  // every device-memory range
)

// Grant is one device capability a program gets at start.
type Grant struct {
	Kind       GrantKind
	Base, Size uint64
}

// String returns the grant as ParseGrants reads it.
func (g Grant) String() string {
	switch g.Kind {
	case GrantIO:
		if g.Size == 1 {
			return fmt.Sprintf("io:%#x", g.Base)
		}
		return fmt.Sprintf("io:%#x-%#x", g.Base, g.Base+g.Size-1)
	case GrantIRQ:
		return fmt.Sprintf("irq:%d", g.Base)
	}
	return "devmem"
}

// ParseGrants decodes a "caps=" list (without the "caps=").
func ParseGrants(spec string) ([]Grant, error) {
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
			g = Grant{Kind: GrantIRQ, Base: n, Size: 1}
		case "devmem":
			if arg != "" {
				err = fmt.Errorf("takes no argument")
			}
			g = Grant{Kind: GrantDevMem}
		default:
			err = fmt.Errorf("unknown kind (want io:FIRST-LAST, irq:GSI or devmem)")
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
	return Grant{Kind: GrantIO, Base: first, Size: last - first + 1}, nil
}
