package main

import (
	"fmt"
	"strconv"
	"strings"

	"multikernel/skb"
)

// The SKB's clients (docs/skb.md, "What clients may do"). Every query the
// service answers runs in the scope of the client that asked (package skb,
// scope.go): the machine facts and policies are read-only to it, and
// facts it asserts of its own are its alone. A client is a program, named
// by its core and its channel to that core's monitor (channel numbers are
// never reused on a core, so an ended program's scope cannot pass to
// another), or a core's monitor itself.
//
// Queries reach core 0 from its own programs (monclient) and from the
// other monitors (intermon skb_query), which forward their programs'
// queries. skb_query carries only the goal, so the forwarding monitor
// names the program in a first line of the goal, the envelope
// "%program <channel>\n": a Prolog comment, so the goal reads the same
// with or without it. Core 0 takes the core from the channel the query
// came on, never from the text, and reads the envelope only from
// monitors; a program's own text after it is just its goal.

// skbCaller names who asked a query.
type skbCaller struct {
	core    int
	program bool   // false: the core's monitor itself
	channel uint32 // the program's channel to its monitor
}

func (c skbCaller) String() string {
	if !c.program {
		return fmt.Sprintf("monitor %d", c.core)
	}
	return fmt.Sprintf("core %d channel %d", c.core, c.channel)
}

// envelopePrefix starts the line that names a forwarded query's program.
const envelopePrefix = "%program "

// maxForwarded is the longest goal intermon skb_query carries (its
// string<1000>, urpc/if/intermon.if).
const maxForwarded = 1000

// forwardText is the goal as a monitor forwards it to core 0 for caller:
// with the envelope for a program's.
func forwardText(c skbCaller, goal string) (string, error) {
	text := goal
	if c.program {
		text = envelopePrefix + strconv.FormatUint(uint64(c.channel), 10) + "\n" + goal
	}
	if len(text) > maxForwarded {
		return "", fmt.Errorf("the goal is %d bytes; from a program on core %d at most %d", len(goal), c.core,
			maxForwarded-(len(text)-len(goal)))
	}
	return text, nil
}

// forwardedCaller reads a query the monitor of core from forwarded: the
// caller and the goal without its envelope.
func forwardedCaller(from int, text string) (skbCaller, string, error) {
	rest, ok := strings.CutPrefix(text, envelopePrefix)
	if !ok {
		return skbCaller{core: from}, text, nil
	}
	num, goal, ok := strings.Cut(rest, "\n")
	ch, err := strconv.ParseUint(num, 10, 32)
	if !ok || err != nil {
		return skbCaller{}, "", fmt.Errorf("monitor %d forwarded a query with a malformed envelope %q", from, text)
	}
	return skbCaller{core: from, program: true, channel: uint32(ch)}, goal, nil
}

// Bounds on what clients store in core 0's monitor.
const (
	scopeBytes = 64 << 10 // per client (skb.ScopeOptions.MaxBytes)
	maxScopes  = 32       // clients that keep something; the least recently used goes first
)

// kbClients keeps the scopes of the clients that stored something. Owned
// by core 0's monitor goroutine.
type kbClients struct {
	e      *skb.Engine
	max    int // scopes kept at most
	scopes map[skbCaller]*kbScope
	clock  uint64 // counts queries, for least recently used
}

// kbScope is one client's scope and when it last asked.
type kbScope struct {
	s    *skb.Scope
	last uint64
}

func newKBClients(e *skb.Engine, max int) *kbClients {
	return &kbClients{e: e, max: max, scopes: map[skbCaller]*kbScope{}}
}

// scope returns c's scope for a query: the one it keeps, or a new empty
// one that done keeps if the query stores something.
func (k *kbClients) scope(c skbCaller) *skb.Scope {
	k.clock++
	if ks := k.scopes[c]; ks != nil {
		ks.last = k.clock
		return ks.s
	}
	return k.e.NewScope(skb.ScopeOptions{MaxBytes: scopeBytes})
}

// done records c's scope after a query: kept while it stores something,
// making room by dropping the least recently used other scope. It returns
// the client dropped, if any.
func (k *kbClients) done(c skbCaller, s *skb.Scope) (dropped skbCaller, ok bool) {
	if s.Used() == 0 {
		delete(k.scopes, c)
		return skbCaller{}, false
	}
	if _, kept := k.scopes[c]; !kept && len(k.scopes) >= k.max {
		for oc, ks := range k.scopes {
			if !ok || ks.last < k.scopes[dropped].last {
				dropped, ok = oc, true
			}
		}
		delete(k.scopes, dropped)
	}
	k.scopes[c] = &kbScope{s: s, last: k.clock}
	return dropped, ok
}

// forget drops c's scope: the program has ended.
func (k *kbClients) forget(c skbCaller) { delete(k.scopes, c) }
