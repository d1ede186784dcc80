package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// refusal is why a device will not be written. Its text names the device
// as the user gave it and the reason.
type refusal struct {
	device string
	reason string
}

func (r *refusal) Error() string { return "refusing " + r.device + ": " + r.reason }

// refuse builds a refusal for device.
func refuse(device, format string, args ...any) error {
	return &refusal{device: device, reason: fmt.Sprintf(format, args...)}
}

// target is a disk that passed every check. Immutable.
type target struct {
	path      string // as given to -device
	name      string // kernel name: "sdb"
	size      int64  // bytes
	model     string // "vendor model", may be ""
	removable bool   // sysfs removable=1
	usb       string // sysfs directory of its USB device, "" if not on USB
}

// checkImage returns the size of the image at path, refusing anything but
// a non-empty regular file.
func checkImage(path string) (int64, error) {
	fi, err := os.Stat(path)
	switch {
	case isNotExist(err):
		return 0, fmt.Errorf("image %s does not exist (build it with make usb)", path)
	case err != nil:
		return 0, fmt.Errorf("image: %w", err)
	case !fi.Mode().IsRegular():
		return 0, fmt.Errorf("image %s is not a regular file", path)
	case fi.Size() == 0:
		return 0, fmt.Errorf("image %s is empty", path)
	}
	return fi.Size(), nil
}

// checkDevice runs every check on the device at path for an image of
// imageSize bytes, in the order of the package doc, and returns the disk
// or the first refusal. It only reads.
func (e *env) checkDevice(path string, imageSize int64) (*target, error) {
	n, err := e.stat(path)
	switch {
	case isNotExist(err):
		return nil, refuse(path, "it does not exist")
	case err != nil:
		return nil, refuse(path, "cannot stat it: %v", err)
	case !n.isBlock():
		return nil, refuse(path, "it is not a block device (it is %s)", n.kind())
	}
	sys := sysfs{e.sysRoot}
	idx, err := sys.index()
	if err != nil {
		return nil, refuse(path, "%v", err)
	}
	name, ok := idx[n.dev]
	if !ok {
		return nil, refuse(path, "block device %v is not in %s", n.dev, sys.path("class", "block"))
	}
	if err := checkWholeDisk(sys, path, name); err != nil {
		return nil, err
	}
	if err := e.checkUnused(sys, idx, path, name); err != nil {
		return nil, err
	}
	return checkMedium(sys, path, name, imageSize)
}

// checkWholeDisk refuses a partition or anything else that is not a disk.
func checkWholeDisk(sys sysfs, path, name string) error {
	if sys.isPartition(name) {
		num, _ := sys.attr(name, "partition")
		if disk, err := sys.parent(name); err == nil && sys.isDisk(disk) {
			return refuse(path, "it is partition %s of %s, not a whole disk; give the whole disk (/dev/%s)", num, disk, disk)
		}
		return refuse(path, "it is a partition (%s), not a whole disk", name)
	}
	if !sys.isDisk(name) {
		return refuse(path, "%s is not a whole disk (%s does not exist)", name, sys.path("block", name))
	}
	return nil
}

// checkUnused refuses the disk the root filesystem lives on, and a disk
// of which anything is mounted, used as swap or held by another block
// device. idx maps device numbers to names.
func (e *env) checkUnused(sys sysfs, idx map[devNum]string, path, disk string) error {
	family := map[string]bool{disk: true}
	for _, p := range sys.partitions(disk) {
		family[p] = true
	}
	f, err := os.Open(filepath.Join(e.procRoot, "self", "mountinfo"))
	if err != nil {
		return refuse(path, "cannot check whether it is mounted: %v", err)
	}
	mounts, err := parseMountinfo(f)
	f.Close()
	if err != nil {
		return refuse(path, "cannot check whether it is mounted: %v", err)
	}
	for _, m := range mounts {
		if m.point != "/" {
			continue
		}
		if way := e.mountedOn(sys, idx, m, family); way != nil {
			return refuse(path, "it holds the host's root filesystem (/ is on %s)", describeWay(way))
		}
	}
	var busy []string
	for _, m := range mounts {
		if way := e.mountedOn(sys, idx, m, family); way != nil {
			busy = append(busy, describeWay(way)+" on "+m.point)
		}
	}
	if busy != nil {
		return refuse(path, "it is mounted (%s); unmount it first", strings.Join(busy, ", "))
	}
	if err := e.checkSwap(sys, idx, path, family); err != nil {
		return err
	}
	var held []string
	for _, name := range sortedKeys(family) {
		if h := sys.links(name, "holders"); h != nil {
			held = append(held, name+" is held by "+strings.Join(h, ", "))
		}
	}
	if held != nil {
		return refuse(path, "it is in use by device-mapper, LVM, RAID or the like (%s); stop that first", strings.Join(held, "; "))
	}
	return nil
}

// mountedOn returns the way from the block device under mount m down to a
// member of family, or nil. The device is found by m's device number, and
// also by its source when that is a block device node (btrfs reports an
// anonymous 0:N device number in mountinfo).
func (e *env) mountedOn(sys sysfs, idx map[devNum]string, m mount, family map[string]bool) []string {
	if name, ok := idx[m.dev]; ok {
		if way := sys.reaches(name, family); way != nil {
			return way
		}
	}
	if strings.HasPrefix(m.source, "/") {
		if n, err := e.stat(m.source); err == nil && n.isBlock() {
			if name, ok := idx[n.dev]; ok {
				return sys.reaches(name, family)
			}
		}
	}
	return nil
}

// checkSwap refuses a disk of which a member of family is a swap area.
func (e *env) checkSwap(sys sysfs, idx map[devNum]string, path string, family map[string]bool) error {
	f, err := os.Open(filepath.Join(e.procRoot, "swaps"))
	if err != nil {
		return refuse(path, "cannot check whether it is used as swap: %v", err)
	}
	swaps, err := parseSwaps(f)
	f.Close()
	if err != nil {
		return refuse(path, "cannot check whether it is used as swap: %v", err)
	}
	var used []string
	for _, s := range swaps {
		name := ""
		if n, err := e.stat(s); err == nil && n.isBlock() {
			name = idx[n.dev]
		} else if err != nil && sys.exists("class", "block", filepath.Base(s)) {
			name = filepath.Base(s) // the node is missing here, sysfs knows it
		}
		if name == "" {
			continue // a swap file: its filesystem is checked as a mount
		}
		if way := sys.reaches(name, family); way != nil {
			used = append(used, describeWay(way))
		}
	}
	if used != nil {
		return refuse(path, "it is used as swap (%s); swapoff it first", strings.Join(used, ", "))
	}
	return nil
}

// checkMedium refuses a disk that is neither removable nor on USB, is
// read-only, or is smaller than the image, and describes the disk.
func checkMedium(sys sysfs, path, name string, imageSize int64) (*target, error) {
	rem, err := sys.intAttr(name, "removable")
	if err != nil && !isNotExist(err) {
		return nil, refuse(path, "cannot read whether it is removable: %v", err)
	}
	t := &target{path: path, name: name, removable: rem == 1, usb: sys.usbAncestor(name), model: sys.model(name)}
	if !t.removable && t.usb == "" {
		return nil, refuse(path, "it is not removable (sysfs removable=%d) and not attached over USB; this tool only writes USB sticks and removable media", rem)
	}
	if ro, _ := sys.intAttr(name, "ro"); ro != 0 {
		return nil, refuse(path, "it is read-only (sysfs ro=%d); check the stick's write-protect switch", ro)
	}
	sectors, err := sys.intAttr(name, "size")
	if err != nil {
		return nil, refuse(path, "cannot read its size: %v", err)
	}
	t.size = sectors * 512 // sysfs size is in 512-byte sectors whatever the block size
	switch {
	case t.size <= 0:
		return nil, refuse(path, "its size is 0 (no medium in the reader?)")
	case t.size < imageSize:
		return nil, refuse(path, "it is too small: %s for an image of %s", human(t.size), human(imageSize))
	}
	return t, nil
}

// describeWay writes a way down the slaves: "sdb1", or "dm-0 (which is
// on sda2)", or "dm-1 (which is on md0, on sdb1)".
func describeWay(way []string) string {
	if len(way) == 1 {
		return way[0]
	}
	return way[0] + " (which is on " + strings.Join(way[1:], ", on ") + ")"
}

// human writes a byte count in binary units and exactly: "14.9 GiB
// (16008609792 bytes)".
func human(n int64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	v, u := float64(n)/1024, 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	return fmt.Sprintf("%.1f %ciB (%d bytes)", v, units[u], n)
}

// sortedKeys returns the members of set in order.
func sortedKeys(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
