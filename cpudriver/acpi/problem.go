package acpi

import (
	"errors"
	"fmt"
)

// ErrNoRSDP is returned by [FindRSDP] and [Parse] when no valid Root System
// Description Pointer exists in the areas the specification names (5.2.5.1).
// It is the only error that stops Parse.
var ErrNoRSDP = errors.New("acpi: no valid RSDP in the EBDA or 0xE0000-0xFFFFF")

// Problem describes one defect found in the firmware's tables that Parse
// worked around. It implements error so that callers can print it or match
// it with errors.As.
type Problem struct {
	Table  string // signature of the table, e.g. "MADT", or "RSDP"
	Addr   uint64 // physical address of the table, 0 if unknown
	Offset int    // byte offset within the table, -1 if the defect is not at one place
	Msg    string // what is wrong and what Parse did about it
}

// Error formats the problem as one console line.
func (p *Problem) Error() string {
	where := fmt.Sprintf("acpi: %s", p.Table)
	if p.Addr != 0 {
		where += fmt.Sprintf(" at 0x%x", p.Addr)
	}
	if p.Offset >= 0 {
		where += fmt.Sprintf(" offset %d", p.Offset)
	}
	return where + ": " + p.Msg
}
