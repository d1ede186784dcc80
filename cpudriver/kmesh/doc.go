// Package kmesh is the CPU drivers' own URPC mesh: a channel between the
// CPU drivers of every pair of cores, for the messages that must go from
// one core's kernel to another's without passing through the monitors
// (docs/urpc.md, "The CPU drivers' mesh"): first Ping and Pong, then the
// spanning programs' TLB shootdowns, futex wakes, remote thread creation,
// signals and exits.
//
// # Memory
//
// The frames are planned by the bootstrap core beside the monitors' (one
// kpi.ChannelSize frame per pair of cores, on the node cpudriver/mesh.go's
// channelHost names, zeroed before any other core starts) and recorded in
// the shared area (KChan). Each frame is a urpc region of 64 lines: side A
// is the lower-numbered core. Who touches what:
//
//	control lines 0-1 (side A's ack and wait words)   written by core A's CPU driver only
//	control lines 2-3 (side B's)                      written by core B's CPU driver only
//	ring A→B (lines 4-33)                             written by A, read by B
//	ring B→A (lines 34-63)                            written by B, read by A
//
// No monitor or program maps these frames, and no Go pointer crosses
// cores: each side's urpc.Endpoint, its waitset and the handlers' state
// live in its own runtime's heap; the frame, reached through the direct
// map, is the only memory the two CPU drivers share.
//
// # Receiving
//
// Each CPU driver runs one receive goroutine (Mesh.serve) that owns a
// urpc.Waitset over its endpoints and the receive side of every one of
// them. It sleeps on the core's notification bell (notify.Core) and by
// default does not poll (a polling goroutine would hold the core's only
// P); SetPollTime changes that, and so may a peer's ping, for a bounded
// time (ping.go), for a benchmark. Every message is checked
// against the type table (types.go) before its handler sees it: a known
// type, the length the table gives, a registered handler, and the sender
// is the core the channel leads to, never a claim in the payload. Anything
// else is counted and reported once per peer and reason; a peer that
// breaks the channel's framing is cut off. Handlers run on the receive
// goroutine and must not block.
//
// # Sending
//
// Send publishes one single-slot message with urpc's TryPost and notifies
// the peer (a notification IPI, notify's bell there) when its receiver
// announced that it sleeps. It never waits for long: a peer that is not up
// is an error at once, and a ring that stays full for SendBound is an
// error too (ErrFull). The send side of each endpoint is guarded by a
// mutex of its own, so any goroutine of the core may send.
package kmesh
