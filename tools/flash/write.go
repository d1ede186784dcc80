package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// writeImage copies the image at imagePath (size bytes) to the device at
// devPath from offset 0, in chunks of e.chunk bytes, then syncs and closes
// it. A short write is an error, whatever the writer says.
func (e *env) writeImage(imagePath, devPath string, size int64) error {
	img, err := os.Open(imagePath)
	if err != nil {
		return err
	}
	defer img.Close()
	dev, err := e.openWrite(devPath)
	switch {
	case errors.Is(err, syscall.EBUSY):
		return refuse(devPath, "the kernel says it is busy (mounted or claimed since the checks?): %v", err)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot open %s for writing (run as root): %w", devPath, err)
	case err != nil:
		return fmt.Errorf("cannot open %s for writing: %w", devPath, err)
	}
	p := newProgress(e.stderr, "writing", size)
	buf := make([]byte, e.chunk)
	var off int64
	for off < size {
		n, err := io.ReadFull(img, buf[:min(int64(len(buf)), size-off)])
		if err != nil {
			dev.Close()
			return fmt.Errorf("reading image %s at byte %d: %w", imagePath, off, err)
		}
		w, err := dev.Write(buf[:n])
		if err == nil && w != n {
			err = io.ErrShortWrite
		}
		if err != nil {
			dev.Close()
			return fmt.Errorf("writing %s failed at byte %d: %w", devPath, off+int64(w), err)
		}
		off += int64(n)
		p.update(off)
	}
	p.done()
	if err := dev.Sync(); err != nil {
		dev.Close()
		return fmt.Errorf("syncing %s: %w", devPath, err)
	}
	if err := dev.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", devPath, err)
	}
	return nil
}

// verify reads size bytes back from the device and compares them with the
// image, reporting the first byte that differs or where the device ended.
// The device's cache is dropped first so the bytes come from the device.
func (e *env) verify(imagePath, devPath string, size int64) error {
	if e.dropCache != nil {
		if err := e.dropCache(devPath); err != nil {
			fmt.Fprintf(e.stderr, "flash: note: could not drop the cache of %s (%v); the read back may come from memory\n", devPath, err)
		}
	}
	img, err := os.Open(imagePath)
	if err != nil {
		return err
	}
	defer img.Close()
	dev, err := e.openRead(devPath)
	if err != nil {
		return fmt.Errorf("cannot open %s to verify: %w", devPath, err)
	}
	defer dev.Close()
	p := newProgress(e.stderr, "verifying", size)
	want, got := make([]byte, e.chunk), make([]byte, e.chunk)
	var off int64
	for off < size {
		n := int(min(int64(len(want)), size-off))
		if _, err := io.ReadFull(img, want[:n]); err != nil {
			return fmt.Errorf("reading image %s at byte %d: %w", imagePath, off, err)
		}
		g, err := io.ReadFull(dev, got[:n])
		if i := firstDiff(want[:g], got[:g]); i >= 0 {
			return fmt.Errorf("verify failed: %s differs from the image at byte %d (0x%x): wrote 0x%02x, read 0x%02x",
				devPath, off+int64(i), off+int64(i), want[i], got[i])
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("verify failed: %s ends at byte %d, the image has %d", devPath, off+int64(g), size)
		}
		if err != nil {
			return fmt.Errorf("verify failed: reading %s at byte %d: %w", devPath, off+int64(g), err)
		}
		off += int64(n)
		p.update(off)
	}
	p.done()
	return nil
}

// firstDiff returns the index of the first byte where a and b (of equal
// length) differ, or -1.
func firstDiff(a, b []byte) int {
	if bytes.Equal(a, b) {
		return -1
	}
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// progress prints "writing 12.0 MiB of 64.0 MiB (18%)" on one line of
// standard error, redrawn at most every progressEvery and once at the end.
type progress struct {
	w     io.Writer
	verb  string
	total int64
	last  time.Time
}

const progressEvery = 250 * time.Millisecond

func newProgress(w io.Writer, verb string, total int64) *progress {
	return &progress{w: w, verb: verb, total: total}
}

func (p *progress) update(done int64) {
	if now := time.Now(); now.Sub(p.last) >= progressEvery || done == p.total {
		p.last = now
		fmt.Fprintf(p.w, "\r%s %s of %s (%d%%)  ", p.verb, short(done), short(p.total), done*100/p.total)
	}
}

func (p *progress) done() { fmt.Fprintln(p.w) }

// short writes a byte count in binary units: "12.0 MiB".
func short(n int64) string {
	s := human(n)
	if i := bytes.IndexByte([]byte(s), '('); i > 0 {
		return s[:i-1]
	}
	return s
}
