package kcore

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"multikernel/libos/cores"
)

// TestService: a service on the host's last allowed core answers calls
// from goroutines of the other cores' clients, each answer its own; a
// client that stops calling holds nobody up; the SKB fact is recorded;
// after Stop a call fails.
func TestService(t *testing.T) {
	cs := cores.List(cores.Affinity())
	if len(cs) < 2 {
		t.Skip("needs two cores")
	}
	svcCore, clients := cs[len(cs)-1], cs[:len(cs)-1]
	var fact string
	var total uint64 // the handler's alone
	s, err := Start(svcCore, append(clients, clients[0]), "adder", func(client int, op uint16, a [6]uint64) [6]uint64 {
		total += a[0]
		return [6]uint64{a[0] * 2, uint64(client), uint64(op)}
	}, func(f string) error { fact = f; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := "kernel_core(" + strconv.Itoa(svcCore) + ", 'adder')"; fact != want {
		t.Errorf("fact %q, want %q", fact, want)
	}
	if s.Client(svcCore) != nil {
		t.Errorf("the service's own core has a client channel")
	}
	var wg sync.WaitGroup
	const calls = 500
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := s.Client(clients[g%len(clients)])
			for i := 1; i <= calls; i++ {
				out, err := c.Call(s, 7, [6]uint64{uint64(i)})
				if err != nil || out[0] != 2*uint64(i) || out[1] != uint64(c.core) || out[2] != 7 {
					t.Errorf("call %d: %v, %v", i, out, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s.Stop()
	if want := uint64(4 * calls * (calls + 1) / 2); total != want || s.Served() != 4*calls {
		t.Errorf("total %d, served %d; want %d and %d", total, s.Served(), want, 4*calls)
	}
	if _, err := s.Client(clients[0]).Call(s, 1, [6]uint64{}); !errors.Is(err, ErrStopped) {
		t.Errorf("a call after Stop: %v", err)
	}
	if _, err := Start(svcCore, []int{svcCore}, "x", nil, nil); err == nil {
		t.Errorf("the service's core accepted as its own client")
	}
}
