package trace

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
)

// Chunk header layout (little-endian), doc.go "Chunks".
const (
	HeaderSize = 32
	// MaxChunk bounds the records of one chunk, so that a corrupt byte
	// costs at most this many.
	MaxChunk = 256

	offCore    = 8
	offFlags   = 10
	offSeq     = 12
	offCount   = 16
	offDropped = 20
	offCRC     = 24
)

// chunkMagic begins every chunk.
var chunkMagic = [8]byte{'M', 'K', 'T', 'R', 'A', 'C', 'E', 1}

// Chunk flags.
const (
	// FlagLast marks a core's last chunk: the trace of that core is
	// complete up to the moment it was written.
	FlagLast = 1
)

// Chunk is one core's records as the drainer writes them.
type Chunk struct {
	Core    uint8
	Flags   uint16
	Seq     uint32 // the core's chunks so far, from 0
	Dropped uint32 // the core's events dropped so far (ring full)
	Words   []uint64
}

// Append appends c encoded to buf: the header, then the records' words.
func (c *Chunk) Append(buf []byte) []byte {
	start := len(buf)
	var h [HeaderSize]byte
	copy(h[:], chunkMagic[:])
	binary.LittleEndian.PutUint16(h[offCore:], uint16(c.Core))
	binary.LittleEndian.PutUint16(h[offFlags:], c.Flags)
	binary.LittleEndian.PutUint32(h[offSeq:], c.Seq)
	binary.LittleEndian.PutUint32(h[offCount:], uint32(len(c.Words)/2))
	binary.LittleEndian.PutUint32(h[offDropped:], c.Dropped)
	buf = append(buf, h[:]...)
	for _, w := range c.Words {
		buf = binary.LittleEndian.AppendUint64(buf, w)
	}
	binary.LittleEndian.PutUint32(buf[start+offCRC:], crcUpdate(0, buf[start:]))
	return buf
}

// Trace is a decoded trace file.
type Trace struct {
	// Records of every core, by time (ties: by core, then file order).
	Records []Record
	// Cores that wrote chunks, ascending.
	Cores []int
	// Dropped[core] is how many events the core could not record.
	Dropped map[int]uint32
	// Complete[core] is whether the core's last chunk came.
	Complete map[int]bool
	// Problems: every chunk that could not be read, every gap in a
	// core's chunks, bytes that are no chunk, a cut-off end; in file
	// order, each with its offset.
	Problems []string
}

// Decode reads a trace file. It never fails: what it cannot read is a
// Problem, and it reads on from the next chunk.
func Decode(data []byte) *Trace {
	t := &Trace{Dropped: map[int]uint32{}, Complete: map[int]bool{}}
	next := map[int]uint32{}
	seen := map[int]bool{}
	var recs []Record
	off := 0
	for off < len(data) {
		i := bytes.Index(data[off:], chunkMagic[:])
		if i < 0 {
			t.problem(off, "%d bytes that are no chunk at the end", len(data)-off)
			break
		}
		if i > 0 {
			t.problem(off, "%d bytes that are no chunk", i)
			off += i
		}
		if len(data)-off < HeaderSize {
			t.problem(off, "the file ends inside a chunk header (%d of %d bytes): the trace was cut short", len(data)-off, HeaderSize)
			break
		}
		h := data[off : off+HeaderSize]
		count := int(binary.LittleEndian.Uint32(h[offCount:]))
		core := int(binary.LittleEndian.Uint16(h[offCore:]))
		if count > MaxChunk || core > 0xff {
			t.problem(off, "a chunk header that claims %d records of core %d: skipped", count, core)
			off += len(chunkMagic)
			continue
		}
		end := off + HeaderSize + count*RecordSize
		if end > len(data) {
			t.problem(off, "the file ends inside core %d's chunk (%d of %d bytes): the trace was cut short", core, len(data)-off, end-off)
			break
		}
		want := binary.LittleEndian.Uint32(h[offCRC:])
		crc := crcUpdate(0, h[:offCRC])
		crc = crcUpdate(crc, []byte{0, 0, 0, 0})
		crc = crcUpdate(crc, h[offCRC+4:])
		crc = crcUpdate(crc, data[off+HeaderSize:end])
		if crc != want {
			t.problem(off, "core %d's chunk of %d records fails its checksum: skipped", core, count)
			off += len(chunkMagic)
			continue
		}
		seq := binary.LittleEndian.Uint32(h[offSeq:])
		if seq != next[core] {
			if seq > next[core] {
				t.problem(off, "core %d: chunks %d to %d are missing", core, next[core], seq-1)
			} else {
				t.problem(off, "core %d: chunk %d again or out of order (expected %d)", core, seq, next[core])
			}
		}
		next[core] = seq + 1
		seen[core] = true
		t.Dropped[core] = binary.LittleEndian.Uint32(h[offDropped:])
		if binary.LittleEndian.Uint16(h[offFlags:])&FlagLast != 0 {
			t.Complete[core] = true
		}
		for r := off + HeaderSize; r < end; r += RecordSize {
			rec := unpack(binary.LittleEndian.Uint64(data[r:]), binary.LittleEndian.Uint64(data[r+8:]))
			if int(rec.Core) != core || !rec.Event.Valid() {
				t.problem(r, "a record in core %d's chunk with core %d and event %d: skipped", core, rec.Core, rec.Event)
				continue
			}
			recs = append(recs, rec)
		}
		off = end
	}
	for c := range seen {
		t.Cores = append(t.Cores, c)
	}
	sort.Ints(t.Cores)
	for _, c := range t.Cores {
		if !t.Complete[c] {
			t.Problems = append(t.Problems, fmt.Sprintf("core %d: no last chunk: its trace was cut short", c))
		}
		if t.Dropped[c] > 0 {
			t.Problems = append(t.Problems, fmt.Sprintf("core %d: %d events not recorded: its ring was full", c, t.Dropped[c]))
		}
	}
	sort.SliceStable(recs, func(i, j int) bool {
		return recs[i].Time < recs[j].Time || recs[i].Time == recs[j].Time && recs[i].Core < recs[j].Core
	})
	t.Records = recs
	return t
}

func (t *Trace) problem(off int, format string, args ...any) {
	t.Problems = append(t.Problems, fmt.Sprintf("offset %d: ", off)+fmt.Sprintf(format, args...))
}
