// Package kcore dedicates a core of a spanning program to a service,
// Corey's kernel cores (docs/kcore.md): a goroutine on a thread pinned to
// that core polls a URPC channel per client core, in the program's own
// memory, and answers each request there. A client's call posts its
// request and polls for the answer: no system call, no interrupt and no
// sleep on the fast path, on either side. The service's thread is pinned
// to its core and, on the multikernel, holds it as dedicated
// (cores.Dedicate): the program's other threads leave that core and are
// not placed there while the service runs. The service is recorded in
// the SKB as kernel_core(Core, Name), in the program's own facts.
//
// A request is an operation number and six words; an answer six words.
// Each client core has its own channel, so a client's calls contend only
// with other threads of its own core (a lock of the client's), and the
// service takes requests from every channel in turn: a client that stops
// calling, or whose thread ends, is skipped, never waited for.
package kcore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	"multikernel/libos/cores"
	"multikernel/urpc"
)

// Handler answers one request: op and args, from client core client.
type Handler func(client int, op uint16, args [6]uint64) [6]uint64

// slots is each channel's ring size: a client has one call in flight.
const slots = 4

// Service is a kernel core's service.
type Service struct {
	core    int
	name    string
	handler Handler
	clients map[int]*Client
	order   []*Client // the channels in the order the service polls them
	stop    atomic.Bool
	done    chan error
	served  atomic.Uint64
	record  func(fact string) error
	// dedicated: the service's thread holds its core (cores.Dedicate);
	// set before Start returns.
	dedicated bool
}

// Client is one client core's channel to the service.
type Client struct {
	core     int
	mu       sync.Mutex // orders this core's threads' calls
	own, svc *urpc.Endpoint
	calls    atomic.Uint64
}

// ErrStopped is the answer to a call once the service has stopped.
var ErrStopped = errors.New("kcore: the service has stopped")

// spin is the channels' Notifier and Sleeper: neither side ever sleeps
// (the service polls, a client polls for its answer), so there is never
// anyone to notify.
type spin struct{}

func (spin) Notify(urpc.Event) {}
func (spin) Sleep(urpc.Event)  { runtime.Gosched() }

// Start dedicates core to the service name, answering the calls of
// clients (cores of the program other than core) with h. record, if not
// nil, is told the SKB fact that names the service (skbclient's assert:
// RecordInSKB); an error there stops the start.
func Start(core int, clients []int, name string, h Handler, record func(fact string) error) (*Service, error) {
	s := &Service{core: core, name: name, handler: h, clients: map[int]*Client{}, done: make(chan error, 1), record: record}
	cfg := urpc.Config{Notifier: spin{}, Sleeper: spin{}, PollTime: -1}
	for _, c := range clients {
		if c == core {
			return nil, fmt.Errorf("kcore: core %d is the service's, not a client", c)
		}
		if s.clients[c] != nil {
			continue
		}
		a, b, err := urpc.NewPair(slots, cfg)
		if err != nil {
			return nil, err
		}
		cl := &Client{core: c, own: a, svc: b}
		s.clients[c] = cl
		s.order = append(s.order, cl)
	}
	if record != nil {
		if err := record(fmt.Sprintf("kernel_core(%d, '%s')", core, name)); err != nil {
			return nil, fmt.Errorf("kcore: recording the service in the SKB: %w", err)
		}
	}
	started := make(chan error, 1)
	go s.run(started)
	if err := <-started; err != nil {
		return nil, err
	}
	return s, nil
}

// run is the service's loop, on a thread pinned to its core.
func (s *Service) run(started chan<- error) {
	runtime.LockOSThread()
	if err := cores.Pin(s.core); err != nil {
		runtime.UnlockOSThread()
		started <- fmt.Errorf("kcore: pin to core %d: %w", s.core, err)
		return
	}
	switch err := cores.Dedicate(); {
	case err == nil:
		s.dedicated = true
	case errors.Is(err, syscall.ENOSYS):
		// Not the multikernel (Linux, for the host tests): the core
		// stays the program's to share.
	default:
		runtime.UnlockOSThread()
		started <- fmt.Errorf("kcore: dedicate core %d: %w", s.core, err)
		return
	}
	started <- nil
	var reply [48]byte
	idle := 0
	for !s.stop.Load() {
		got := false
		for _, c := range s.order {
			m, err := c.svc.TryRecv()
			if err != nil {
				continue // nothing there (or a broken channel: its client gets no answer)
			}
			var args [6]uint64
			for i := range args {
				if 8*i+8 <= len(m.Data) {
					args[i] = binary.LittleEndian.Uint64(m.Data[8*i:])
				}
			}
			out := s.handler(c.core, m.Type, args)
			for i, v := range out {
				binary.LittleEndian.PutUint64(reply[8*i:], v)
			}
			if c.svc.TryPost(0, reply[:]) == nil { // a client has one call in flight: there is room
				c.svc.Flush()
				s.served.Add(1)
			}
			got = true
		}
		if got {
			idle = 0
		} else if idle++; idle == 1024 {
			idle = 0
			runtime.Gosched() // let the collector's work on this thread run
		}
	}
	if s.dedicated {
		cores.Undedicate() // the thread holds it: this cannot fail
	}
	runtime.UnlockOSThread()
	s.done <- nil
}

// Dedicated reports whether the service's core is dedicated to it (on
// the multikernel), so that no other thread of the program runs there.
func (s *Service) Dedicated() bool { return s.dedicated }

// Client returns the channel of client core c, nil if c is not one of
// the service's clients.
func (s *Service) Client(c int) *Client { return s.clients[c] }

// Served returns how many requests the service answered.
func (s *Service) Served() uint64 { return s.served.Load() }

// Core returns the service's core.
func (s *Service) Core() int { return s.core }

// Stop ends the service loop and waits for it; calls in flight get
// ErrStopped.
func (s *Service) Stop() {
	if s.stop.Swap(true) {
		return
	}
	<-s.done
}

// Call sends op and args to the service and waits for its answer,
// polling: no system call unless the service stopped. stopped reports
// the service's end to a waiting call.
func (c *Client) Call(s *Service, op uint16, args [6]uint64) ([6]uint64, error) {
	var req [48]byte
	for i, v := range args {
		binary.LittleEndian.PutUint64(req[8*i:], v)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		err := c.own.TryPost(op, req[:])
		if err == nil {
			break
		}
		if err != urpc.ErrWouldBlock {
			return [6]uint64{}, err
		}
		if s.stop.Load() {
			return [6]uint64{}, ErrStopped
		}
	}
	c.own.Flush()
	c.calls.Add(1)
	for n := 0; ; n++ {
		m, err := c.own.TryRecv()
		if err == nil {
			var out [6]uint64
			for i := range out {
				if 8*i+8 <= len(m.Data) {
					out[i] = binary.LittleEndian.Uint64(m.Data[8*i:])
				}
			}
			return out, nil
		}
		if err != urpc.ErrWouldBlock {
			return [6]uint64{}, err
		}
		if n%1024 == 1023 {
			if s.stop.Load() {
				return [6]uint64{}, ErrStopped
			}
			runtime.Gosched()
		}
	}
}

// Calls returns how many calls the client made.
func (c *Client) Calls() uint64 { return c.calls.Load() }
