package shootdown

// Core is one core's shootdown state: the initiator of its own
// shootdowns and the participant in every other core's. Only the core
// itself touches it.
type Core struct {
	Initiator
	Participant
}

// NewCore returns the state of core self (NewInitiator, NewParticipant).
func NewCore(self int, gen uint32, topo *Topology) Core {
	return Core{NewInitiator(self, gen), NewParticipant(self, topo)}
}

// Handle consumes a received message: a request, or an ack for this
// core's own shootdown or for one it aggregates. It appends the effects
// to dst; a malformed or misrouted message is an error with none.
func (c *Core) Handle(dst []Effect, m *Msg) ([]Effect, error) {
	if m.Kind == Ack && m.Op.Initiator == c.Initiator.self {
		if err := m.Check(); err != nil {
			return dst, err
		}
		c.Initiator.OnAck(m)
		return dst, nil
	}
	if m.Kind == Ack {
		return c.Participant.OnAck(dst, m)
	}
	return c.Participant.OnRequest(dst, m)
}
