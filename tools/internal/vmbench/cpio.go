package vmbench

import (
	"fmt"
	"io"
)

// cpioEntry is one member of a newc ("070701") cpio archive, the format
// the Linux kernel unpacks as an initramfs.
type cpioEntry struct {
	Name         string // path without a leading slash
	Mode         uint32 // file type and permission bits, as in st_mode
	Major, Minor uint32 // device number, for device nodes
	Data         []byte // contents, for regular files
}

// File type bits of st_mode.
const (
	modeDir  = 0o040000
	modeChar = 0o020000
	modeFile = 0o100000
)

// writeNewc writes entries as a newc cpio archive followed by the
// TRAILER!!! entry. Every header and every body starts on a four-byte
// boundary.
func writeNewc(w io.Writer, entries []cpioEntry) error {
	var off int64
	put := func(b []byte) error {
		n, err := w.Write(b)
		off += int64(n)
		return err
	}
	pad := func() error {
		if r := off % 4; r != 0 {
			return put(make([]byte, 4-r))
		}
		return nil
	}
	all := append(entries[:len(entries):len(entries)], cpioEntry{Name: "TRAILER!!!"})
	for i, e := range all {
		nlink := 1
		if e.Mode&0o170000 == modeDir {
			nlink = 2
		}
		ino := i + 1
		if e.Name == "TRAILER!!!" {
			ino = 0
		}
		hdr := fmt.Sprintf("070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			ino, e.Mode, 0, 0, nlink, 0, len(e.Data), 0, 0, e.Major, e.Minor, len(e.Name)+1, 0)
		if err := put([]byte(hdr + e.Name + "\x00")); err != nil {
			return err
		}
		if err := pad(); err != nil {
			return err
		}
		if err := put(e.Data); err != nil {
			return err
		}
		if err := pad(); err != nil {
			return err
		}
	}
	return nil
}
