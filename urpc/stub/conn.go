package stub

import (
	"fmt"

	"multikernel/urpc"
)

// MaxErrorText is the longest error text an RPC response carries; longer
// texts are cut.
const MaxErrorText = 255

// RemoteError is the error an RPC's server returned, as its caller sees it.
type RemoteError struct {
	Text string
}

func (e *RemoteError) Error() string { return "remote: " + e.Text }

// UnexpectedError reports a received message the Binding cannot take: an
// unknown type, or an RPC response that answers no call in progress.
type UnexpectedError struct {
	Type   uint16
	Reason string
}

func (e *UnexpectedError) Error() string {
	return fmt.Sprintf("stub: message type %d: %s", e.Type, e.Reason)
}

// Conn is the untyped core of a generated Binding: an endpoint, a reused
// encoder and the call id counter. It belongs to one goroutine.
type Conn struct {
	ep   *urpc.Endpoint
	enc  Encoder
	next uint32 // the last call id handed out
}

// NewConn returns a Conn on ep.
func NewConn(ep *urpc.Endpoint) Conn { return Conn{ep: ep} }

// Endpoint returns the endpoint c sends and receives on.
func (c *Conn) Endpoint() *urpc.Endpoint { return c.ep }

// Encoder returns c's encoder, emptied for a new message. The message must
// be sent before the next call of Encoder or Response.
func (c *Conn) Encoder() *Encoder {
	c.enc.Reset()
	return &c.enc
}

// Response returns c's encoder holding the head of the response to call id:
// the id and the text of err (empty if nil). The caller appends the out
// arguments only when err is nil.
func (c *Conn) Response(id uint32, err error) *Encoder {
	e := c.Encoder()
	e.Uint32(id)
	text := ""
	if err != nil {
		text = err.Error()
		if len(text) > MaxErrorText {
			text = text[:MaxErrorText]
		}
	}
	e.String(text, MaxErrorText)
	return e
}

// Send sends the message in e as type typ, unless encoding it failed.
func (c *Conn) Send(typ uint16, e *Encoder) error {
	if e.err != nil {
		return e.err
	}
	return c.ep.Send(typ, e.buf)
}

// NextID returns a new call id.
func (c *Conn) NextID() uint32 {
	c.next++
	return c.next
}

// Await receives until the response of type typ to call id arrives, passing
// every other message to dispatch (which may make calls of its own), and
// returns a Decoder positioned at the response's out arguments. A response
// with another id, or a response reporting an error, ends the wait with an
// error.
func (c *Conn) Await(typ uint16, id uint32, dispatch func(urpc.Message) error) (Decoder, error) {
	for {
		m, err := c.ep.Recv()
		if err != nil {
			return Decoder{}, err
		}
		if m.Type != typ {
			if err := dispatch(m); err != nil {
				return Decoder{}, err
			}
			continue
		}
		d := NewDecoder(m.Data)
		got := d.Uint32()
		text := d.String(MaxErrorText)
		switch {
		case d.err != nil:
			return Decoder{}, d.err
		case got != id:
			return Decoder{}, &UnexpectedError{Type: typ, Reason: fmt.Sprintf("response to call %d while awaiting %d", got, id)}
		case text != "":
			return Decoder{}, &RemoteError{Text: text}
		}
		return d, nil
	}
}
