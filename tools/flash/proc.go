package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// mount is one line of /proc/self/mountinfo that the checks care about.
// See proc(5), "/proc/pid/mountinfo".
type mount struct {
	dev    devNum // st_dev of files on it (0:N for btrfs and virtual filesystems)
	point  string // where it is mounted, unescaped
	source string // the mount source, such as /dev/sdb1; unescaped
}

// parseMountinfo reads mountinfo lines:
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// fields 3 and 5 are major:minor and the mount point; after the optional
// fields and the "-" separator come the filesystem type and the source.
func parseMountinfo(r io.Reader) ([]mount, error) {
	var ms []mount
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		sep := -1
		for i := 6; i < len(f); i++ {
			if f[i] == "-" {
				sep = i
				break
			}
		}
		if len(f) < 7 || sep < 0 || sep+2 >= len(f) {
			return nil, fmt.Errorf("mountinfo line %d: malformed: %q", n, sc.Text())
		}
		d, err := parseDevNum(f[2])
		if err != nil {
			return nil, fmt.Errorf("mountinfo line %d: %v", n, err)
		}
		ms = append(ms, mount{dev: d, point: unescape(f[4]), source: unescape(f[sep+2])})
	}
	return ms, sc.Err()
}

// parseSwaps returns the swap areas named in /proc/swaps:
//
//	Filename				Type		Size		Used		Priority
//	/dev/sda3                               partition	8388604		0		-2
func parseSwaps(r io.Reader) ([]string, error) {
	var names []string
	sc := bufio.NewScanner(r)
	for first := true; sc.Scan(); first = false {
		f := strings.Fields(sc.Text())
		if first && len(f) > 0 && f[0] == "Filename" || len(f) == 0 {
			continue
		}
		names = append(names, unescape(f[0]))
	}
	return names, sc.Err()
}

// unescape undoes the kernel's octal escaping of space, tab, newline and
// backslash (\040, \011, \012, \134) in mountinfo and swaps.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
