package main

import (
	"fmt"
	"strconv"
	"strings"

	"multikernel/cpudriver/kpi"
	"multikernel/libos/sys"
)

// The memory service's routing (docs/capabilities.md, "The memory
// service"): this core's CPU driver asks for RAM (kernmon mem_request);
// the monitor asks the memory server of each node in turn, in the SKB's
// order (node_order/2: its own node first, then by distance) or only the
// node asked for, until one grants some (intermon mem_alloc, mem_grant),
// and answers the CPU driver with SysMemGrant. A node's memory server is
// its first core, whose CPU driver holds the node's reserve; its monitor
// serves mem_alloc with SysMemServe.

// memRequest is one request of this core's CPU driver in progress.
type memRequest struct {
	size  uint64
	nodes []int // the nodes still to ask, in order
	node  int   // the node asked now
}

// MemRequest starts asking the memory servers for the CPU driver.
func (k *kernLink) MemRequest(token uint32, size uint64, node uint8) error {
	m := k.m
	if m.memReqs == nil {
		m.memReqs = map[uint32]*memRequest{}
	}
	if _, dup := m.memReqs[token]; dup {
		return fmt.Errorf("memory request %d made twice", token)
	}
	r := &memRequest{size: size}
	if node == kpi.AnyNode {
		r.nodes = m.nodeOrder()
	} else {
		r.nodes = []int{int(node)}
	}
	m.memReqs[token] = r
	m.askNextServer(token, r)
	return nil
}

// askNextServer sends request token to the next node's memory server, or
// tells the CPU driver that none had memory.
func (m *monitor) askNextServer(token uint32, r *memRequest) {
	for len(r.nodes) > 0 {
		n := r.nodes[0]
		r.nodes, r.node = r.nodes[1:], n
		server := m.memServer(n)
		switch {
		case server < 0:
			continue // no core of that node is up
		case server == m.core:
			base, size, err := sys.MemServe(r.size, m.core)
			if err != nil {
				continue // none left here
			}
			m.memAnswer(token, r, base, size)
			return
		}
		p := m.peers[server]
		if err := p.b.SendMemAlloc(token, uint16(m.core), r.size); err != nil {
			m.fail(&p.conn, err)
			continue
		}
		return // mem_grant comes back
	}
	m.memAnswer(token, r, 0, 0)
}

// memAnswer ends request token with [base, base+size) of node r.node.
func (m *monitor) memAnswer(token uint32, r *memRequest, base, size uint64) {
	delete(m.memReqs, token)
	if err := sys.MemGrant(token, base, size, r.node); err != nil {
		fmt.Printf("monitor %d: handing %#x+%#x of node %d to the CPU driver: %v\n", m.core, base, size, r.node, err)
	}
}

// memServer returns node n's memory server: its first core that has a
// monitor (this one, or a peer whose channel works); -1 if none.
func (m *monitor) memServer(n int) int {
	for c := 0; c < maxCores; c++ {
		if c == m.core && m.node == n {
			return c
		}
		if p := m.peers[c]; p != nil && !p.dead && p.node == n && m.greeted&(1<<c) != 0 {
			return c
		}
	}
	return -1
}

// nodeOrder returns the nodes in the order this core asks their memory
// servers: the SKB's node_order/2, asked once; without an answer, this
// core's node and then the others by number.
func (m *monitor) nodeOrder() []int {
	if m.memNodes != nil {
		return m.memNodes
	}
	if ans, err := m.skbQuery(fmt.Sprintf("node_order(%d, Ns)", m.core)); err == nil {
		m.memNodes = parseNodeList(ans)
	}
	if m.memNodes == nil {
		m.memNodes = []int{m.node}
		for n := 0; n < maxCores; n++ {
			if n != m.node && m.memServer(n) >= 0 {
				m.memNodes = append(m.memNodes, n)
			}
		}
	}
	return m.memNodes
}

// parseNodeList reads the answer "Ns = [0,1,2]"; nil if it is not one.
func parseNodeList(ans string) []int {
	s, ok := strings.CutPrefix(strings.TrimSpace(ans), "Ns = [")
	if s, ok = strings.CutSuffix(s, "]"); !ok || s == "" {
		return nil
	}
	var ns []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n >= maxCores {
			return nil
		}
		ns = append(ns, n)
	}
	return ns
}

// MemAlloc serves a memory request of core from as its node's memory
// server.
func (l *link) MemAlloc(token uint32, from uint16, size uint64) error {
	if int(from) != l.p.core {
		return fmt.Errorf("mem_alloc for core %d on the channel from core %d", from, l.p.core)
	}
	base, got, err := sys.MemServe(size, int(from))
	if err != nil {
		base, got = 0, 0 // none left (or not a server): the asker goes on
	}
	if err := l.p.b.SendMemGrant(token, base, got); err != nil {
		l.m.fail(&l.p.conn, err)
	}
	return nil
}

// MemGrant is a memory server's answer to one of this core's requests.
func (l *link) MemGrant(token uint32, base, size uint64) error {
	m := l.m
	r := m.memReqs[token]
	if r == nil {
		return fmt.Errorf("mem_grant for request %d, which is not waiting", token)
	}
	if size == 0 {
		m.askNextServer(token, r)
		return nil
	}
	m.memAnswer(token, r, base, size)
	return nil
}

// MemReturn gives back to its node's memory server memory of node that
// this core's CPU driver no longer needs.
func (k *kernLink) MemReturn(base, size uint64, node uint8) error {
	m := k.m
	server := m.memServer(int(node))
	switch {
	case server < 0:
		fmt.Printf("monitor %d: memory %#x+%#x of node %d: no memory server to give it back to\n", m.core, base, size, node)
	case server == m.core:
		if err := sys.MemReturn(base, size, m.core); err != nil {
			fmt.Printf("monitor %d: giving back %#x+%#x: %v\n", m.core, base, size, err)
		}
	default:
		p := m.peers[server]
		if err := p.b.SendMemFree(base, size); err != nil {
			m.fail(&p.conn, err)
		}
	}
	return nil
}

// MemFree takes back, as its node's memory server, memory this core
// granted the sender's core.
func (l *link) MemFree(base, size uint64) error {
	if err := sys.MemReturn(base, size, l.p.core); err != nil {
		return fmt.Errorf("mem_free of %#x+%#x, which this core did not grant core %d: %v", base, size, l.p.core, err)
	}
	return nil
}
