package trace

// Drainer turns rings into chunks (doc.go): the bootstrap core holds
// one, and calls Drain for every core's ring in turn. Not safe for
// concurrent use.
type Drainer struct {
	seq   [256]uint32
	words []uint64
	buf   []byte
	// Write takes each encoded chunk (the buffer is reused after it
	// returns).
	Write func(chunk []byte)
}

// Drain writes what r holds as chunks of at most MaxChunk records; with
// last, one more chunk with FlagLast follows (empty if nothing is left),
// and r's core is done. It returns the records written.
func (d *Drainer) Drain(r *Ring, last bool) int {
	total := 0
	for {
		d.words = d.words[:0]
		n := r.Drain(MaxChunk, func(w0, w1 uint64) { d.words = append(d.words, w0, w1) })
		total += n
		if n == 0 && !last {
			return total
		}
		done := n < MaxChunk
		c := Chunk{Core: r.Core(), Seq: d.seq[r.Core()], Dropped: uint32(min(r.Dropped(), 1<<32-1)), Words: d.words}
		if done && last {
			c.Flags |= FlagLast
		}
		d.seq[r.Core()]++
		d.buf = c.Append(d.buf[:0])
		d.Write(d.buf)
		if done {
			return total
		}
	}
}
