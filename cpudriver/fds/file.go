package fds

// File is an open file. Its fields are guarded by its table's lock.
type File struct {
	kind    Kind   // set when made, then only read: no lock needed
	flags   uint64 // status flags (F_SETFL)
	cloexec bool
	count   uint64           // eventfd counter
	gen     uint64           // eventfd state generation
	regs    map[int]epollReg // epoll registrations by fd
	pipe    *pipeBuf         // for a pipe end
	readEnd bool             // which end; set when made
}

// Kind returns what the file is.
func (f *File) Kind() Kind { return f.kind }

// ReadEnd reports whether a pipe's file is its read end.
func (f *File) ReadEnd() bool { return f.readEnd }

// nonblock reports whether O_NONBLOCK is set. The table's lock is held.
func (f *File) nonblock() bool { return f.flags&oNonblock != 0 }

// poll returns the file's ready events and its state generation (for
// edge triggering). The table's lock is held.
func (f *File) poll() (uint32, uint64) {
	switch f.kind {
	case Console:
		return EpollOut, 0
	case Eventfd:
		ev := uint32(EpollOut)
		if f.count > 0 {
			ev |= EpollIn
		}
		return ev, f.gen
	case Pipe:
		p := f.pipe
		var ev uint32
		if f.readEnd {
			if len(p.data) > 0 {
				ev |= EpollIn
			}
			if p.writers == 0 {
				ev |= EpollIn | EpollHup | EpollRdhup
			}
		} else {
			if len(p.data) < PipeCapacity {
				ev |= EpollOut
			}
			if p.readers == 0 {
				ev |= EpollErr
			}
		}
		return ev, p.gen
	}
	return 0, 0
}
