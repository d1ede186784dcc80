package cap

import "fmt"

// Code is the reason an operation was refused. A Code is an error itself,
// so errors.Is(err, ErrOverlap) works on the *Error values the DB returns.
type Code uint8

// The error codes. Their messages are in codeText.
const (
	ErrNoCap        Code = iota + 1 // the ID names no capability
	ErrBadType                      // the type is Null or unknown
	ErrNotRoot                      // Create of a type that only retype may make
	ErrCannotRetype                 // the source type may not become the target type
	ErrBadSize                      // object size breaks the target type's rules
	ErrBadAlign                     // object base breaks the target type's alignment
	ErrBadCount                     // object count is zero or too large
	ErrOutOfRange                   // the range leaves the source or the space
	ErrSameObject                   // retype into the same type and the whole range
	ErrOverlap                      // the range overlaps an existing descendant
	ErrConflict                     // the capability would overlap an unrelated one
	ErrRightsGrow                   // mint asked for rights the source lacks
	ErrNoRight                      // the source lacks the right the operation needs
	ErrBadRights                    // rights outside AllRights
	ErrNeedsMonitor                 // remote relations exist: use the two-phase protocol
	numCodes
)

var codeText = [numCodes]string{
	ErrNoCap:        "no such capability",
	ErrBadType:      "invalid capability type",
	ErrNotRoot:      "type cannot be created at boot, only by retype",
	ErrCannotRetype: "source type cannot be retyped into target type",
	ErrBadSize:      "object size violates the target type's size rules",
	ErrBadAlign:     "object base violates the target type's alignment",
	ErrBadCount:     "object count must be at least one and fit the source",
	ErrOutOfRange:   "range lies outside the source capability or its space",
	ErrSameObject:   "retype into the same type and range: use copy",
	ErrOverlap:      "range overlaps an existing descendant: revoke first",
	ErrConflict:     "capability overlaps an unrelated capability",
	ErrRightsGrow:   "mint cannot add rights the source lacks",
	ErrNoRight:      "source capability lacks a required right",
	ErrBadRights:    "rights outside read, write, execute, grant",
	ErrNeedsMonitor: "capability has remote relations: use the monitor's two-phase operation",
}

// Error returns the code's message.
func (c Code) Error() string {
	if c == 0 || c >= numCodes {
		return fmt.Sprintf("cap: error code %d", uint8(c))
	}
	return "cap: " + codeText[c]
}

// Error is the error every DB operation returns: which operation, on which
// capability, and why.
type Error struct {
	Op     string // "retype", "copy", ...
	ID     ID     // the capability operated on (0 for Create)
	Code   Code   // why it was refused
	Detail string // the values that broke the rule, for people
}

// Error formats the error as "cap: retype 7: <reason> (<detail>)".
func (e *Error) Error() string {
	msg := fmt.Sprintf("cap: %s %d: %s", e.Op, e.ID, codeText[e.Code])
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// Unwrap returns the Code, for errors.Is.
func (e *Error) Unwrap() error { return e.Code }

func fail(op string, id ID, c Code, format string, args ...any) *Error {
	return &Error{Op: op, ID: id, Code: c, Detail: fmt.Sprintf(format, args...)}
}
