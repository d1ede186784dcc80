package linux

import (
	"sync"
	"time"

	"multikernel/cpudriver/kpi"
	"multikernel/cpudriver/proc"
	"multikernel/cpudriver/ring0"
)

// Console input goes to one process on the bootstrap core, the holder
// (the first program started there): its reads of descriptor 0 return
// what arrives on COM1, carriage returns turned into newlines as a
// terminal's line discipline would (no echo). Every other process reads
// end of file from descriptor 0. The UART is polled every 10 ms while
// the holder is blocked in a read.
var (
	stdinMu     sync.Mutex // orders readers of the UART
	stdinHolder *proc.Process
)

// SetStdinHolder gives p the console input.
func SetStdinHolder(p *proc.Process) {
	stdinMu.Lock()
	stdinHolder = p
	stdinMu.Unlock()
}

const stdinPoll = 10 * time.Millisecond

// readStdin returns up to n bytes of console input for the thread's
// process, blocking (unless nonblock) until at least one byte arrives.
func readStdin(t *proc.Thread, n uint64, nonblock bool) ([]byte, int64) {
	stdinMu.Lock()
	holder := stdinHolder == t.Proc()
	stdinMu.Unlock()
	if !holder {
		return nil, 0 // end of file
	}
	for {
		stdinMu.Lock()
		var b []byte
		for uint64(len(b)) < n {
			c, ok := ring0.ReadSerial()
			if !ok {
				break
			}
			if c == '\r' {
				c = '\n'
			}
			b = append(b, c)
			if c == '\n' {
				break // one line at a time, as a terminal in canonical mode
			}
		}
		stdinMu.Unlock()
		if len(b) > 0 {
			return b, int64(len(b))
		}
		if nonblock {
			return nil, -kpi.EAGAIN
		}
		poll := make(chan struct{})
		tm := time.AfterFunc(stdinPoll, func() { close(poll) })
		ok := t.WaitOn(poll) // a wait is no CPU time
		tm.Stop()
		if !ok {
			return nil, -kpi.EINTR
		}
	}
}
