package dist

// MsgKind is the type of a protocol message.
type MsgKind uint8

// The messages.
const (
	Prepare MsgKind = iota + 1 // coordinator to every core: lock and check
	Vote                       // participant to coordinator: the check's outcome
	Commit                     // coordinator to every core: apply and unlock
	Abort                      // coordinator to every core: unlock
)

// NoOwner is the owner of an object whose last copy was deleted.
const NoOwner = 0xff

// Msg is one protocol message between monitors.
type Msg struct {
	Kind     MsgKind
	From, To uint8
	Op       Op     // Prepare and Commit: the operation; Vote and Abort: its ID
	Vote     Reason // Vote: OK for yes
	HasCopy  bool   // Vote: the voter holds a copy (delete picks the next owner)
	Owner    uint8  // Commit: the object's owner from now on
	Holders  uint64 // Commit: the cores that hold a copy from now on
}
