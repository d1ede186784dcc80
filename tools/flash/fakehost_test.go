package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeHost builds a fake /sys, /proc and /dev in a temporary directory.
// Device nodes are regular files under dev/ that the fake stat reports as
// block devices, so the write and verify steps can write to them.
type fakeHost struct {
	t         *testing.T
	sys       string // fake sysfs root
	proc      string // fake procfs root
	dev       string // fake /dev
	nodes     map[string]node
	dirs      map[string]string // block device name -> its sysfs directory
	mountinfo strings.Builder
	swaps     strings.Builder
	mounts    int
}

func newFakeHost(t *testing.T) *fakeHost {
	root := t.TempDir()
	h := &fakeHost{
		t:     t,
		sys:   filepath.Join(root, "sys"),
		proc:  filepath.Join(root, "proc"),
		dev:   filepath.Join(root, "dev"),
		nodes: map[string]node{},
		dirs:  map[string]string{},
	}
	for _, d := range []string{"class/block", "block", "dev/block", "bus/usb", "devices/virtual/block"} {
		h.mkdir(filepath.Join(h.sys, d))
	}
	h.mkdir(filepath.Join(h.proc, "self"))
	h.mkdir(h.dev)
	h.swaps.WriteString("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n")
	h.mount(devNum{0, 22}, "/sys", "sysfs")
	h.mount(devNum{0, 23}, "/dev/shm", "tmpfs")
	return h
}

func (h *fakeHost) mkdir(p string) {
	h.t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		h.t.Fatal(err)
	}
}

func (h *fakeHost) write(p, data string) {
	h.t.Helper()
	h.mkdir(filepath.Dir(p))
	if err := os.WriteFile(p, []byte(data+"\n"), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *fakeHost) symlink(target, link string) {
	h.t.Helper()
	h.mkdir(filepath.Dir(link))
	if err := os.Symlink(target, link); err != nil {
		h.t.Fatal(err)
	}
}

// path is the fake /dev node of block device name.
func (h *fakeHost) path(name string) string { return filepath.Join(h.dev, name) }

// blockDev creates the sysfs directory dir of block device name with
// number d and size bytes, its class/block and dev/block links, and its
// /dev node.
func (h *fakeHost) blockDev(name, dir string, d devNum, size int64) {
	h.write(filepath.Join(dir, "dev"), d.String())
	h.write(filepath.Join(dir, "size"), fmt.Sprint(size/512))
	h.write(filepath.Join(dir, "ro"), "0")
	h.mkdir(filepath.Join(dir, "holders"))
	h.mkdir(filepath.Join(dir, "slaves"))
	h.symlink(dir, filepath.Join(h.sys, "class", "block", name))
	h.symlink(dir, filepath.Join(h.sys, "dev", "block", d.String()))
	h.dirs[name] = dir
	h.node(h.path(name), d)
}

// node makes path a fake block device node for d.
func (h *fakeHost) node(path string, d devNum) {
	h.write(path, "")
	h.nodes[path] = node{mode: fs.ModeDevice, dev: d}
}

// disk adds a whole disk hanging off sysfs device directory parent
// (relative to devices/), with the given removable bit, vendor and model.
func (h *fakeHost) disk(name string, d devNum, parent string, removable int, size int64, vendor, model string) {
	pdir := filepath.Join(h.sys, "devices", parent)
	dir := filepath.Join(pdir, "block", name)
	h.blockDev(name, dir, d, size)
	h.write(filepath.Join(dir, "removable"), fmt.Sprint(removable))
	if vendor != "" {
		h.write(filepath.Join(pdir, "vendor"), vendor)
	}
	if model != "" {
		h.write(filepath.Join(pdir, "model"), model)
	}
	h.symlink(pdir, filepath.Join(dir, "device"))
	h.symlink(dir, filepath.Join(h.sys, "block", name))
}

// usb marks the sysfs device directory (relative to devices/) as a USB
// device: its subsystem link points to bus/usb.
func (h *fakeHost) usb(dir string) {
	h.symlink(filepath.Join(h.sys, "bus", "usb"), filepath.Join(h.sys, "devices", dir, "subsystem"))
}

// part adds partition num of disk.
func (h *fakeHost) part(disk string, num int, d devNum) string {
	name := fmt.Sprintf("%s%d", disk, num)
	if c := disk[len(disk)-1]; c >= '0' && c <= '9' {
		name = fmt.Sprintf("%sp%d", disk, num)
	}
	dir := filepath.Join(h.dirs[disk], name)
	h.blockDev(name, dir, d, 1<<20)
	h.write(filepath.Join(dir, "partition"), fmt.Sprint(num))
	return name
}

// virtual adds a virtual disk (device-mapper, md, loop) built on slaves,
// and links it into their holders directories.
func (h *fakeHost) virtual(name string, d devNum, slaves ...string) {
	dir := filepath.Join(h.sys, "devices", "virtual", "block", name)
	h.blockDev(name, dir, d, 1<<30)
	h.write(filepath.Join(dir, "removable"), "0")
	h.symlink(dir, filepath.Join(h.sys, "block", name))
	for _, s := range slaves {
		h.symlink(h.dirs[s], filepath.Join(dir, "slaves", s))
		h.symlink(dir, filepath.Join(h.dirs[s], "holders", name))
	}
}

// mount adds a line to mountinfo, escaping the mount point as the kernel
// does.
func (h *fakeHost) mount(d devNum, point, source string) {
	h.mounts++
	esc := strings.NewReplacer(" ", `\040`, "\t", `\011`, `\`, `\134`)
	fmt.Fprintf(&h.mountinfo, "%d 1 %v / %s rw,relatime shared:%d - ext4 %s rw\n",
		20+h.mounts, d, esc.Replace(point), h.mounts, esc.Replace(source))
}

// swap adds a line to /proc/swaps.
func (h *fakeHost) swap(path string) {
	fmt.Fprintf(&h.swaps, "%s\tpartition\t8388604\t0\t-2\n", path)
}

// env writes the proc files and returns an env reading the fake trees,
// writing to the fake nodes (regular files) and talking to buffers.
func (h *fakeHost) env(stdin string) (*env, *bytes.Buffer, *bytes.Buffer) {
	h.write(filepath.Join(h.proc, "self", "mountinfo"), strings.TrimSuffix(h.mountinfo.String(), "\n"))
	h.write(filepath.Join(h.proc, "swaps"), strings.TrimSuffix(h.swaps.String(), "\n"))
	var out, errb bytes.Buffer
	return &env{
		sysRoot:  h.sys,
		procRoot: h.proc,
		stat: func(p string) (node, error) {
			if n, ok := h.nodes[p]; ok {
				return n, nil
			}
			fi, err := os.Stat(p)
			if err != nil {
				return node{}, err
			}
			return node{mode: fi.Mode()}, nil
		},
		openWrite: func(p string) (deviceWriter, error) { return os.OpenFile(p, os.O_WRONLY, 0) },
		openRead:  func(p string) (io.ReadCloser, error) { return os.Open(p) },
		stdin:     strings.NewReader(stdin),
		stdout:    &out,
		stderr:    &errb,
		chunk:     64 << 10,
	}, &out, &errb
}

const (
	usbHost = "pci0000:00/0000:00:14.0/usb2"
	gib     = int64(1) << 30
	mib     = int64(1) << 20
)

// stick adds a USB mass-storage disk on port port of the USB root hub,
// with the sysfs layout of a real one:
// devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb.
func (h *fakeHost) stick(name string, d devNum, port, removable int, size int64, vendor, model string) {
	dev := fmt.Sprintf("%s/2-%d", usbHost, port)
	intf := fmt.Sprintf("%s/2-%d:1.0", dev, port)
	scsi := fmt.Sprintf("%s/host%d/target%d:0:0/%d:0:0:0", intf, port, port, port)
	h.disk(name, d, scsi, removable, size, vendor, model)
	if _, err := os.Lstat(filepath.Join(h.sys, "devices", usbHost, "subsystem")); err != nil {
		h.usb(usbHost)
	}
	h.usb(dev)
	h.usb(intf)
}

// standardHost is a workstation booted from an LVM volume on its SATA
// disk, with USB sticks in various states plugged in.
func standardHost(t *testing.T) *fakeHost {
	h := newFakeHost(t)
	// sda: the system disk; sda1 is the EFI partition, sda2 an LVM
	// physical volume holding the root (dm-0) and swap (dm-1) volumes.
	h.disk("sda", devNum{8, 0}, "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0", 0, 512*gib, "ATA", "Samsung SSD 870")
	h.part("sda", 1, devNum{8, 1})
	h.part("sda", 2, devNum{8, 2})
	h.virtual("dm-0", devNum{253, 0}, "sda2")
	h.virtual("dm-1", devNum{253, 1}, "sda2")
	h.node(filepath.Join(h.dev, "mapper", "vg-root"), devNum{253, 0})
	h.mount(devNum{253, 0}, "/", filepath.Join(h.dev, "mapper", "vg-root"))
	h.mount(devNum{8, 1}, "/boot/efi", h.path("sda1"))
	h.swap(h.path("dm-1"))
	// nvme0n1: a second fixed disk, unused.
	h.disk("nvme0n1", devNum{259, 0}, "pci0000:00/0000:00:1d.0/0000:3b:00.0/nvme/nvme0", 0, 1024*gib, "", "WD Blue SN570")
	h.part("nvme0n1", 1, devNum{259, 1})
	// loop0: a loop device.
	h.virtual("loop0", devNum{7, 0})
	// sdb: a good stick with an unmounted partition.
	h.stick("sdb", devNum{8, 16}, 1, 1, 16*gib, "SanDisk", "Cruzer Blade")
	h.part("sdb", 1, devNum{8, 17})
	// sdc: a stick that reports removable=0.
	h.stick("sdc", devNum{8, 32}, 2, 0, 32*gib, "Samsung", "Flash Drive FIT")
	// sdd: a stick too small for the image.
	h.stick("sdd", devNum{8, 48}, 3, 1, 8*mib, "Generic", "Tiny")
	// sde: a stick whose partition is auto-mounted.
	h.stick("sde", devNum{8, 64}, 4, 1, 8*gib, "Kingston", "DataTraveler 3.0")
	h.part("sde", 1, devNum{8, 65})
	h.mount(devNum{8, 65}, "/media/user/MY STICK", h.path("sde1"))
	// sdf: a stick with a swap partition.
	h.stick("sdf", devNum{8, 80}, 5, 1, 8*gib, "Kingston", "DataTraveler 3.0")
	h.part("sdf", 1, devNum{8, 81})
	h.part("sdf", 2, devNum{8, 82})
	h.swap(h.path("sdf2"))
	// sdg: a stick with an active, unmounted LVM volume.
	h.stick("sdg", devNum{8, 96}, 6, 1, 8*gib, "Verbatim", "STORE N GO")
	h.part("sdg", 1, devNum{8, 97})
	h.virtual("dm-2", devNum{253, 2}, "sdg1")
	// sdh: a stick with a LUKS volume mounted through dm-3.
	h.stick("sdh", devNum{8, 112}, 7, 1, 8*gib, "Verbatim", "STORE N GO")
	h.part("sdh", 1, devNum{8, 113})
	h.virtual("dm-3", devNum{253, 3}, "sdh1")
	h.mount(devNum{253, 3}, "/mnt/crypt", filepath.Join(h.dev, "mapper", "luks-1234"))
	// sdi: a stick with a mounted btrfs, which mountinfo lists as 0:45.
	h.stick("sdi", devNum{8, 128}, 8, 1, 8*gib, "PNY", "USB 3.0 FD")
	h.part("sdi", 1, devNum{8, 129})
	h.mount(devNum{0, 45}, "/mnt/btrfs", h.path("sdi1"))
	// sdj: a write-protected SD card in a USB reader.
	h.stick("sdj", devNum{8, 144}, 9, 1, 8*gib, "Generic-", "SD/MMC")
	h.write(filepath.Join(h.dirs["sdj"], "ro"), "1")
	// sdk: an empty USB card reader.
	h.stick("sdk", devNum{8, 160}, 10, 1, 0, "Generic-", "SD/MMC")
	// sdl: a stick with a swap partition whose node is missing here;
	// sysfs still knows the name.
	h.stick("sdl", devNum{8, 176}, 11, 1, 8*gib, "Kingston", "DataTraveler 3.0")
	h.part("sdl", 1, devNum{8, 177})
	h.swap(filepath.Join(h.dev, "gone", "sdl1"))
	// a swap file, which names no block device.
	h.write(filepath.Join(h.dev, "swapfile"), "")
	h.swap(filepath.Join(h.dev, "swapfile"))
	// sdm: a disk whose removable attribute is garbage.
	h.stick("sdm", devNum{8, 192}, 12, 1, 8*gib, "X", "Y")
	h.write(filepath.Join(h.dirs["sdm"], "removable"), "maybe")
	// odd0: a block device that is neither a disk nor a partition.
	h.blockDev("odd0", filepath.Join(h.sys, "devices", "virtual", "odd", "odd0"), devNum{250, 0}, gib)
	// a node whose device sysfs does not know.
	h.node(h.path("sdz"), devNum{8, 240})
	// a regular file.
	h.write(filepath.Join(h.dev, "file.img"), "not a disk")
	return h
}
