package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// env is everything the flasher reads from and writes to on the host.
// main fills it with the real paths and system calls (hostEnv); the tests
// point it at fake trees in a temporary directory. It is used by one
// goroutine and never changed after it is built.
type env struct {
	sysRoot  string // where sysfs is mounted: "/sys"
	procRoot string // where procfs is mounted: "/proc"

	// stat describes the file at path, following symlinks; for a block
	// or character device it also gives the device number.
	stat func(path string) (node, error)
	// openWrite opens the device for writing (O_EXCL|O_SYNC on a host).
	openWrite func(path string) (deviceWriter, error)
	// openRead opens the device for reading back.
	openRead func(path string) (io.ReadCloser, error)
	// dropCache asks the kernel to forget cached pages of the device, so
	// the read back comes from the device; errors are only reported.
	dropCache func(path string) error

	stdin  io.Reader // answers to the confirmation
	stdout io.Writer // what is about to happen, the prompt, the result
	stderr io.Writer // notes and progress

	chunk int // bytes per write and per read back
}

// deviceWriter is an opened device: written once from start to end,
// flushed with Sync and closed.
type deviceWriter interface {
	io.Writer
	Sync() error
	Close() error
}

// node is what stat tells about a device path.
type node struct {
	mode fs.FileMode
	dev  devNum // the device it stands for; zero unless mode has fs.ModeDevice
}

// isBlock reports whether n is a block device node.
func (n node) isBlock() bool {
	return n.mode&fs.ModeDevice != 0 && n.mode&fs.ModeCharDevice == 0
}

// kind names the type of file n is, for refusals.
func (n node) kind() string {
	switch t := n.mode.Type(); {
	case t == 0:
		return "a regular file"
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	default:
		return "not a block device (" + t.String() + ")"
	}
}

// devNum is a Linux device number, written major:minor as in sysfs "dev"
// files and in /proc/self/mountinfo.
type devNum struct{ major, minor uint32 }

func (d devNum) String() string { return fmt.Sprintf("%d:%d", d.major, d.minor) }

// parseDevNum parses "8:16".
func parseDevNum(s string) (devNum, error) {
	maj, min, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return devNum{}, fmt.Errorf("bad device number %q", s)
	}
	a, err1 := strconv.ParseUint(maj, 10, 32)
	b, err2 := strconv.ParseUint(min, 10, 32)
	if err1 != nil || err2 != nil {
		return devNum{}, fmt.Errorf("bad device number %q", s)
	}
	return devNum{uint32(a), uint32(b)}, nil
}

// decodeDev splits a Linux dev_t (as in stat's st_rdev) the way glibc's
// gnu_dev_major and gnu_dev_minor do.
func decodeDev(d uint64) devNum {
	major := (d>>8)&0xfff | (d>>32)&^uint64(0xfff)
	minor := d&0xff | (d>>12)&^uint64(0xff)
	return devNum{uint32(major), uint32(minor)}
}

// hostEnv is the env of the real host.
func hostEnv() *env {
	return &env{
		sysRoot:   "/sys",
		procRoot:  "/proc",
		stat:      statNode,
		openWrite: openDevice,
		openRead:  func(p string) (io.ReadCloser, error) { return os.Open(p) },
		dropCache: dropCache,
		stdin:     os.Stdin,
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		chunk:     4 << 20,
	}
}
