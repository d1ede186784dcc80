package cap

import "strings"

// Rights is the set of rights a capability carries. Derived capabilities
// (retype, mint) never carry more rights than their source.
type Rights uint8

// The rights.
const (
	RightRead    Rights = 1 << iota // read the object (map a frame readable)
	RightWrite                      // write the object; needed to retype it
	RightExecute                    // map a frame executable
	RightGrant                      // pass the capability to another domain

	AllRights = RightRead | RightWrite | RightExecute | RightGrant
)

// Has reports whether r includes every right in want.
func (r Rights) Has(want Rights) bool { return r&want == want }

// Valid reports whether r names no right outside AllRights.
func (r Rights) Valid() bool { return r&^AllRights == 0 }

// String returns the rights as letters "rwxg", a dash for each one missing.
func (r Rights) String() string {
	var b strings.Builder
	for i, c := range "rwxg" {
		if r&(1<<i) != 0 {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
