package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// sysfs reads the block layer's view of the host from a sysfs tree rooted
// at root ("/sys" on a host). Names are kernel names: "sdb", "sdb1",
// "dm-0". See Documentation/ABI/stable/sysfs-block in the Linux tree.
type sysfs struct{ root string }

// path joins elements under the sysfs root.
func (s sysfs) path(elem ...string) string {
	return filepath.Join(append([]string{s.root}, elem...)...)
}

// index maps each block device number to its name, from the "dev" file of
// every entry of class/block (disks and partitions alike).
func (s sysfs) index() (map[devNum]string, error) {
	ents, err := os.ReadDir(s.path("class", "block"))
	if err != nil {
		return nil, fmt.Errorf("cannot list block devices: %w", err)
	}
	idx := make(map[devNum]string, len(ents))
	for _, e := range ents {
		b, err := os.ReadFile(s.path("class", "block", e.Name(), "dev"))
		if err != nil {
			continue
		}
		if d, err := parseDevNum(string(b)); err == nil {
			idx[d] = e.Name()
		}
	}
	return idx, nil
}

// exists reports whether the sysfs file or directory exists.
func (s sysfs) exists(elem ...string) bool {
	_, err := os.Lstat(s.path(elem...))
	return err == nil
}

// attr reads a sysfs attribute of block device name, trimmed.
func (s sysfs) attr(name string, elem ...string) (string, error) {
	b, err := os.ReadFile(s.path(append([]string{"class", "block", name}, elem...)...))
	return strings.TrimSpace(string(b)), err
}

// intAttr reads a decimal sysfs attribute of block device name.
func (s sysfs) intAttr(name, attr string) (int64, error) {
	v, err := s.attr(name, attr)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sysfs %s/%s: %q is not a number", name, attr, v)
	}
	return n, nil
}

// isPartition reports whether name is a partition.
func (s sysfs) isPartition(name string) bool { return s.exists("class", "block", name, "partition") }

// isDisk reports whether name is a whole disk (listed in /sys/block).
func (s sysfs) isDisk(name string) bool { return s.exists("block", name) }

// parent is the disk a partition belongs to: its sysfs directory is a
// subdirectory of the disk's (.../block/sdb/sdb1).
func (s sysfs) parent(part string) (string, error) {
	p, err := filepath.EvalSymlinks(s.path("class", "block", part))
	if err != nil {
		return "", err
	}
	return filepath.Base(filepath.Dir(p)), nil
}

// partitions lists the partitions of disk, sorted: the subdirectories of
// its sysfs directory that have a "partition" file.
func (s sysfs) partitions(disk string) []string {
	ents, _ := os.ReadDir(s.path("class", "block", disk))
	var parts []string
	for _, e := range ents {
		if s.exists("class", "block", disk, e.Name(), "partition") {
			parts = append(parts, e.Name())
		}
	}
	slices.Sort(parts)
	return parts
}

// links lists the names in a slaves or holders directory of name, sorted.
func (s sysfs) links(name, dir string) []string {
	ents, _ := os.ReadDir(s.path("class", "block", name, dir))
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

// reaches looks for a way down from block device name, through slaves
// (the devices a device-mapper, md or similar device is built on), to a
// member of set. It returns the way, from name to the member, or nil.
func (s sysfs) reaches(name string, set map[string]bool) []string {
	seen := map[string]bool{}
	var walk func(n string) []string
	walk = func(n string) []string {
		if set[n] {
			return []string{n}
		}
		if seen[n] {
			return nil
		}
		seen[n] = true
		for _, sl := range s.links(n, "slaves") {
			if way := walk(sl); way != nil {
				return append([]string{n}, way...)
			}
		}
		return nil
	}
	return walk(name)
}

// usbAncestor returns the sysfs device directory (relative to the sysfs
// root) of the nearest ancestor of disk's device that is on the USB bus,
// or "" if there is none. A device is on the USB bus when its "subsystem"
// link points to .../bus/usb.
func (s sysfs) usbAncestor(disk string) string {
	dir, err := filepath.EvalSymlinks(s.path("block", disk))
	if err != nil {
		return ""
	}
	root, err := filepath.EvalSymlinks(s.root)
	if err != nil {
		return ""
	}
	devices := filepath.Join(root, "devices") + string(filepath.Separator)
	for ; strings.HasPrefix(dir, devices); dir = filepath.Dir(dir) {
		l, err := os.Readlink(filepath.Join(dir, "subsystem"))
		if err == nil && filepath.Base(l) == "usb" {
			rel, _ := filepath.Rel(root, dir)
			return rel
		}
	}
	return ""
}

// model is "vendor model" from the disk's device directory, or "" if
// sysfs has neither (virtual disks).
func (s sysfs) model(disk string) string {
	v, _ := s.attr(disk, "device", "vendor")
	m, _ := s.attr(disk, "device", "model")
	return strings.TrimSpace(v + " " + m)
}

// isNotExist reports whether err says a file is missing.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
