//go:build linux

package main

import (
	"io/fs"
	"os"
	"syscall"
)

// statNode stats path, following symlinks, and decodes st_rdev.
func statNode(path string) (node, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return node{}, err
	}
	n := node{mode: fi.Mode()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && n.mode&fs.ModeDevice != 0 {
		n.dev = decodeDev(uint64(st.Rdev))
	}
	return n, nil
}

// openDevice opens a block device for writing. O_EXCL on a block device
// makes the kernel refuse with EBUSY while the disk or any partition of it
// is mounted or claimed (by device-mapper, md, swap), closing the window
// between the checks and the write. O_SYNC makes each write reach the
// device before it returns, so the progress is honest.
func openDevice(path string) (deviceWriter, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_EXCL|os.O_SYNC, 0)
}

// dropCache flushes and discards the device's buffer cache (the BLKFLSBUF
// ioctl, what "blockdev --flushbufs" does; it needs CAP_SYS_ADMIN, which
// writing a raw disk needs anyway), so reading back after fsync reads the
// stick instead of the pages just written.
func dropCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	const blkflsbuf = 0x1261 // _IO(0x12, 97), <linux/fs.h>
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), blkflsbuf, 0)
	if errno != 0 {
		return &os.SyscallError{Syscall: "ioctl BLKFLSBUF", Err: errno}
	}
	return nil
}
