package programs

import (
	"embed"
	"fmt"

	"multikernel/skb"
)

//go:embed *.pl
var files embed.FS

// Order is the order the programs load in: the schema first, since the
// policies use its dynamic declarations and helpers.
var Order = []string{"schema.pl", "multicast.pl", "allocation.pl", "memory.pl", "devices.pl"}

// Load consults every program into e.
func Load(e *skb.Engine) error {
	for _, name := range Order {
		text, err := Text(name)
		if err != nil {
			return err
		}
		if err := e.Consult(name, text); err != nil {
			return fmt.Errorf("skb/programs: %w", err)
		}
	}
	return nil
}

// Text returns the source of one program.
func Text(name string) (string, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("skb/programs: %w", err)
	}
	return string(b), nil
}
