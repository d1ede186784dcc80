package main

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// testImage writes an image of n pseudo-random bytes and returns its path
// and contents.
func testImage(t *testing.T, n int) (string, []byte) {
	t.Helper()
	b := make([]byte, n)
	rand.New(rand.NewSource(1)).Read(b)
	p := filepath.Join(t.TempDir(), "multikernel-usb.img")
	writeFile(t, p, b)
	return p, b
}

// imageLen is not a multiple of the test chunk (64 KiB), so the last
// chunk is short.
const imageLen = 1<<20 + 1234

// TestFlash runs the whole command on the fake host: checks, prompt,
// write to the stick's node (a regular file) and verify.
func TestFlash(t *testing.T) {
	img, want := testImage(t, imageLen)
	h := standardHost(t)
	for _, answer := range []string{"sdb\n", "yes\n", "  yes  \n", "DEV\n", "yes"} {
		writeFile(t, h.path("sdb"), nil)
		answer = strings.ReplaceAll(answer, "DEV", h.path("sdb"))
		e, out, errb := h.env(answer)
		drops := 0
		e.dropCache = func(p string) error {
			if p != h.path("sdb") {
				t.Errorf("dropCache(%s)", p)
			}
			drops++
			return nil
		}
		if code := cli([]string{"-image", img, "-device", h.path("sdb")}, e); code != 0 {
			t.Fatalf("answer %q: exit %d, stderr %s", answer, code, errb)
		}
		got, _ := os.ReadFile(h.path("sdb"))
		if !bytes.Equal(got, want) || drops != 1 {
			t.Errorf("answer %q: wrote %d bytes (want %d equal to the image), %d cache drops", answer, len(got), len(want), drops)
		}
		for _, s := range []string{
			"device: " + h.path("sdb") + " (sdb): SanDisk Cruzer Blade, 16.0 GiB (17179869184 bytes), removable, USB\n",
			"image:  " + img + ", 1.0 MiB (1049810 bytes)\n",
			"Everything on " + h.path("sdb") + " will be lost.\n",
			`Type "sdb" or "yes" to write it: `,
			"wrote and verified 1.0 MiB on " + h.path("sdb") + "; it is safe to remove\n",
		} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("stdout lacks %q:\n%s", s, out)
			}
		}
		for _, s := range []string{"writing 1.0 MiB of 1.0 MiB (100%)", "verifying 1.0 MiB of 1.0 MiB (100%)"} {
			if !strings.Contains(errb.String(), s) {
				t.Errorf("stderr lacks %q:\n%q", s, errb)
			}
		}
	}
}

// TestFlashNotConfirmed: any other answer, or none, writes nothing.
func TestFlashNotConfirmed(t *testing.T) {
	img, _ := testImage(t, imageLen)
	h := standardHost(t)
	for _, answer := range []string{"", "\n", "no\n", "y\n", "sdc\n", "YES\n"} {
		e, _, errb := h.env(answer)
		e.openWrite = func(p string) (deviceWriter, error) {
			t.Fatalf("answer %q: opened %s for writing", answer, p)
			return nil, nil
		}
		if code := cli([]string{"-image", img, "-device", h.path("sdb")}, e); code != 1 {
			t.Errorf("answer %q: exit %d", answer, code)
		}
		if want := "flash: not confirmed; nothing was written to " + h.path("sdb") + "\n"; errb.String() != want {
			t.Errorf("answer %q: stderr %q, want %q", answer, errb, want)
		}
	}
}

// TestFlashYesNonRemovableUSB: -yes skips the question; a USB disk that
// reports removable=0 gets a note.
func TestFlashYesNonRemovableUSB(t *testing.T) {
	img, want := testImage(t, imageLen)
	h := standardHost(t)
	e, out, errb := h.env("") // nothing to read: asking would fail
	if code := cli([]string{"-yes", "-image", img, "-device", h.path("sdc")}, e); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errb)
	}
	if got, _ := os.ReadFile(h.path("sdc")); !bytes.Equal(got, want) {
		t.Error("image not written")
	}
	if strings.Contains(out.String(), "Type") {
		t.Errorf("asked despite -yes:\n%s", out)
	}
	note := "flash: note: sdc reports removable=0 but is attached over USB (devices/" + usbHost + "/2-2/2-2:1.0), as many USB sticks do; accepting it\n"
	if !strings.HasPrefix(errb.String(), note) {
		t.Errorf("stderr %q lacks the note %q", errb, note)
	}
	if !strings.Contains(out.String(), "Samsung Flash Drive FIT, 32.0 GiB (34359738368 bytes), USB\n") {
		t.Errorf("stdout:\n%s", out)
	}
}

// TestCLIRefusals: refusals exit 1 with one line naming the device, and
// nothing is opened for writing.
func TestCLIRefusals(t *testing.T) {
	img, _ := testImage(t, imageLen)
	h := standardHost(t)
	for dev, want := range map[string]string{
		"sda":  "flash: refusing " + h.path("sda") + ": it holds the host's root filesystem (/ is on dm-0 (which is on sda2))\n",
		"sdb1": "flash: refusing " + h.path("sdb1") + ": it is partition 1 of sdb, not a whole disk; give the whole disk (/dev/sdb)\n",
		"sdd":  "flash: refusing " + h.path("sdd") + ": it is too small: 8.0 MiB (8388608 bytes) for an image of 1.0 MiB (1049810 bytes)\n",
	} {
		e, out, errb := h.env("yes\n")
		e.openWrite = func(p string) (deviceWriter, error) {
			t.Fatalf("%s: opened %s for writing", dev, p)
			return nil, nil
		}
		img := img
		if dev == "sdd" {
			img, _ = testImage(t, 9<<20)
			want = strings.Replace(want, "1.0 MiB (1049810 bytes)", "9.0 MiB (9437184 bytes)", 1)
		}
		if code := cli([]string{"-image", img, "-device", h.path(dev), "-yes"}, e); code != 1 {
			t.Errorf("%s: exit %d", dev, code)
		}
		if errb.String() != want || out.Len() != 0 {
			t.Errorf("%s: stderr %q, want %q; stdout %q", dev, errb, want, out)
		}
	}
	e, _, errb := h.env("")
	if code := cli([]string{"-image", filepath.Join(h.dev, "none.img"), "-device", h.path("sdb")}, e); code != 1 ||
		!strings.Contains(errb.String(), "does not exist (build it with make usb)") {
		t.Errorf("missing image: exit %d, %q", code, errb)
	}
}

func TestCLIUsage(t *testing.T) {
	h := newFakeHost(t)
	for _, args := range [][]string{nil, {"-image", "x"}, {"-device", "/dev/sdb", "extra"}, {"-bogus"}} {
		e, _, errb := h.env("")
		if code := cli(args, e); code != 2 {
			t.Errorf("%q: exit %d", args, code)
		}
		if !strings.Contains(errb.String(), "usage: go run ./tools/flash -image build/multikernel-usb.img -device /dev/sdX [-yes]") {
			t.Errorf("%q: no usage in %q", args, errb)
		}
	}
}

// faultyWriter stands in for a device that fails in the ways below. It
// writes to the file f.
type faultyWriter struct {
	f       *os.File
	off     int64
	flipAt  int64 // if >= 0, the byte written at this offset is inverted
	dropAt  int64 // if >= 0, bytes from this offset on are dropped while claiming success
	shortAt int64 // if >= 0, the write covering this offset stops there and says so, without an error
	failAt  int64 // if >= 0, the write covering this offset fails with EIO
	syncErr error
}

func (w *faultyWriter) Write(p []byte) (int, error) {
	end := w.off + int64(len(p))
	if w.failAt >= 0 && w.failAt < end {
		return 0, syscall.EIO
	}
	q := bytes.Clone(p)
	n := len(q)
	if w.flipAt >= w.off && w.flipAt < end {
		q[w.flipAt-w.off] ^= 0xff
	}
	if w.shortAt >= w.off && w.shortAt < end {
		n = int(w.shortAt - w.off)
	}
	keep := n
	if w.dropAt >= 0 && w.dropAt < w.off+int64(keep) {
		keep = int(max(0, w.dropAt-w.off))
	}
	if _, err := w.f.Write(q[:keep]); err != nil {
		return 0, err
	}
	w.off += int64(n)
	return n, nil
}

func (w *faultyWriter) Sync() error {
	if w.syncErr != nil {
		return w.syncErr
	}
	return w.f.Sync()
}

func (w *faultyWriter) Close() error { return w.f.Close() }

// TestWriteVerifyFaults injects faulty writers: what a lying device does
// is caught by the verify step, what an honest one reports by the write
// step.
func TestWriteVerifyFaults(t *testing.T) {
	img, _ := testImage(t, imageLen)
	cases := []struct {
		name string
		w    faultyWriter
		want string
	}{
		{"good", faultyWriter{}, ""},
		{"flip", faultyWriter{flipAt: 100000}, "verify failed: DEV differs from the image at byte 100000 (0x186a0): wrote "},
		{"flip-last", faultyWriter{flipAt: imageLen - 1}, "differs from the image at byte 1049809 (0x1004d1)"},
		{"drop-tail", faultyWriter{dropAt: 200000}, "verify failed: DEV ends at byte 200000, the image has 1049810"},
		{"short", faultyWriter{shortAt: 70000}, "writing DEV failed at byte 70000: short write"},
		{"eio", faultyWriter{failAt: 3 << 16}, "writing DEV failed at byte 196608: input/output error"},
		{"sync", faultyWriter{syncErr: syscall.EIO}, "syncing DEV: input/output error"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dev := filepath.Join(t.TempDir(), "sdb")
			writeFile(t, dev, nil)
			e := &env{chunk: 64 << 10, stderr: io.Discard,
				openRead: func(p string) (io.ReadCloser, error) { return os.Open(p) }}
			w := c.w
			for _, p := range []*int64{&w.flipAt, &w.dropAt, &w.shortAt, &w.failAt} {
				if *p == 0 {
					*p = -1
				}
			}
			e.openWrite = func(p string) (deviceWriter, error) {
				f, err := os.OpenFile(p, os.O_WRONLY, 0)
				w.f = f
				return &w, err
			}
			err := e.writeImage(img, dev, imageLen)
			if err == nil {
				err = e.verify(img, dev, imageLen)
			}
			want := strings.ReplaceAll(c.want, "DEV", dev)
			switch {
			case want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("got %v, want %q", err, want)
			}
		})
	}
}

// TestVerifyOldContents: a device that ignored the write keeps its old
// contents, and the verify step finds them even though the device is big
// enough.
func TestVerifyOldContents(t *testing.T) {
	img, b := testImage(t, imageLen)
	dev := filepath.Join(t.TempDir(), "sdb")
	old := bytes.Clone(b)
	old[777777] ^= 1
	writeFile(t, dev, append(old, make([]byte, 1<<20)...))
	e := &env{chunk: 64 << 10, stderr: io.Discard,
		openRead: func(p string) (io.ReadCloser, error) { return os.Open(p) }}
	err := e.verify(img, dev, imageLen)
	if err == nil || !strings.Contains(err.Error(), "at byte 777777 (0xbde31)") {
		t.Errorf("got %v", err)
	}
	// A failing read back is an error too, and so is a failing cache drop
	// only a note.
	var note bytes.Buffer
	e.stderr = &note
	e.dropCache = func(string) error { return syscall.EPERM }
	e.openRead = func(string) (io.ReadCloser, error) { return errReader{}, nil }
	err = e.verify(img, dev, imageLen)
	if err == nil || !strings.Contains(err.Error(), "verify failed: reading "+dev+" at byte 0: input/output error") {
		t.Errorf("got %v", err)
	}
	if !strings.Contains(note.String(), "could not drop the cache of "+dev) {
		t.Errorf("no note: %q", note.String())
	}
	e.openRead = func(string) (io.ReadCloser, error) { return nil, errors.New("boom") }
	if err := e.verify(img, dev, imageLen); err == nil || !strings.Contains(err.Error(), "cannot open "+dev+" to verify: boom") {
		t.Errorf("got %v", err)
	}
}

// TestOpenErrors: EBUSY from the O_EXCL open is a refusal; a permission
// error says to run as root.
func TestOpenErrors(t *testing.T) {
	img, _ := testImage(t, imageLen)
	for errno, want := range map[syscall.Errno]string{
		syscall.EBUSY:  "refusing /dev/sdb: the kernel says it is busy (mounted or claimed since the checks?): open /dev/sdb: device or resource busy",
		syscall.EACCES: "cannot open /dev/sdb for writing (run as root): open /dev/sdb: permission denied",
		syscall.EROFS:  "cannot open /dev/sdb for writing: open /dev/sdb: read-only file system",
	} {
		e := &env{chunk: 64 << 10, stderr: io.Discard, openWrite: func(p string) (deviceWriter, error) {
			return nil, &os.PathError{Op: "open", Path: p, Err: errno}
		}}
		if err := e.writeImage(img, "/dev/sdb", imageLen); err == nil || err.Error() != want {
			t.Errorf("%v: got %v, want %q", errno, err, want)
		}
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, syscall.EIO }
func (errReader) Close() error             { return nil }
