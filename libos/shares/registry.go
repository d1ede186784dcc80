package shares

import "sync"

// A share names another share with a Nested reference whose Value is
// the other's handle: a number the program gives each share it makes,
// never reused, so a reference kept after its share was dropped finds
// nothing. Shares hold no Go pointers in their slots (a reference is
// two words), so the registry is what turns a handle back into the
// share. A share stays registered while the program runs: shares are
// few and long lived (the roots, the global one, those a program passes
// to the cores it grows onto, libos/cfork).

var registry = struct {
	sync.RWMutex
	next   uint64
	shares map[uint64]*Share
}{shares: map[uint64]*Share{}}

// register gives s a handle.
func register(s *Share) uint64 {
	registry.Lock()
	defer registry.Unlock()
	registry.next++
	registry.shares[registry.next] = s
	return registry.next
}

// Handle returns s's handle, the Value of a Nested reference to it.
func (s *Share) Handle() uint64 { return s.handle }

// Ref returns a Nested reference to s, to add to another share.
func (s *Share) Ref() Ref { return Ref{Kind: Nested, Value: s.handle} }

// ByHandle returns the share whose handle is h, false if none has it.
func ByHandle(h uint64) (*Share, bool) {
	registry.RLock()
	defer registry.RUnlock()
	s, ok := registry.shares[h]
	return s, ok
}

// Nest returns the share a Nested reference names, false for another
// kind of reference or a handle no share has.
func Nest(r Ref) (*Share, bool) {
	if r.Kind != Nested {
		return nil, false
	}
	return ByHandle(r.Value)
}
