package main

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

const testImageSize = 64 << 20

// TestCheckDevice runs the checks against every kind of device on the
// standard fake host.
func TestCheckDevice(t *testing.T) {
	h := standardHost(t)
	e, _, _ := h.env("")
	cases := []struct {
		dev  string // under the fake /dev, or absolute
		want string // refusal reason; "" means accepted
	}{
		{"sdb", ""},
		{"sdc", ""}, // removable=0 but on USB
		{"sdz", "block device 8:240 is not in "},
		{"missing", "it does not exist"},
		{"file.img", "it is not a block device (it is a regular file)"},
		{".", "it is not a block device (it is a directory)"},
		{"sdb1", "it is partition 1 of sdb, not a whole disk; give the whole disk (/dev/sdb)"},
		{"nvme0n1p1", "it is partition 1 of nvme0n1, not a whole disk; give the whole disk (/dev/nvme0n1)"},
		{"sda", "it holds the host's root filesystem (/ is on dm-0 (which is on sda2))"},
		{"sda2", "it is partition 2 of sda"},
		{"dm-0", "it holds the host's root filesystem (/ is on dm-0)"},
		{"mapper/vg-root", "it holds the host's root filesystem (/ is on dm-0)"},
		{"nvme0n1", "it is not removable (sysfs removable=0) and not attached over USB; this tool only writes USB sticks and removable media"},
		{"loop0", "it is not removable (sysfs removable=0) and not attached over USB"},
		{"sdd", "it is too small: 8.0 MiB (8388608 bytes) for an image of 64.0 MiB (67108864 bytes)"},
		{"sde", "it is mounted (sde1 on /media/user/MY STICK); unmount it first"},
		{"sdf", "it is used as swap (sdf2); swapoff it first"},
		{"dm-1", "it is used as swap (dm-1); swapoff it first"},
		{"sdg", "it is in use by device-mapper, LVM, RAID or the like (sdg1 is held by dm-2); stop that first"},
		{"sdh", "it is mounted (dm-3 (which is on sdh1) on /mnt/crypt); unmount it first"},
		{"sdi", "it is mounted (sdi1 on /mnt/btrfs); unmount it first"},
		{"sdj", "it is read-only (sysfs ro=1); check the stick's write-protect switch"},
		{"sdk", "its size is 0 (no medium in the reader?)"},
		{"sdl", "it is used as swap (sdl1); swapoff it first"},
		{"sdm", "cannot read whether it is removable: sysfs sdm/removable: \"maybe\" is not a number"},
		{"odd0", "odd0 is not a whole disk ("},
	}
	for _, c := range cases {
		path := filepath.Join(h.dev, c.dev)
		tg, err := e.checkDevice(path, testImageSize)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", c.dev, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted %+v, want refusal %q", c.dev, tg, c.want)
			continue
		}
		var r *refusal
		if !errors.As(err, &r) || r.device != path {
			t.Errorf("%s: error %v does not name %s", c.dev, err, path)
		}
		if !strings.HasPrefix(err.Error(), "refusing "+path+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %q, want it to contain %q", c.dev, err, c.want)
		}
	}
}

// TestCheckAccepted looks at what the checks say about accepted disks.
func TestCheckAccepted(t *testing.T) {
	h := standardHost(t)
	e, _, _ := h.env("")
	tg, err := e.checkDevice(h.path("sdb"), testImageSize)
	if err != nil {
		t.Fatal(err)
	}
	want := target{path: h.path("sdb"), name: "sdb", size: 16 * gib, model: "SanDisk Cruzer Blade",
		removable: true, usb: "devices/" + usbHost + "/2-1/2-1:1.0"}
	if *tg != want {
		t.Errorf("sdb: got %+v, want %+v", *tg, want)
	}
	tg, err = e.checkDevice(h.path("sdc"), testImageSize)
	if err != nil {
		t.Fatal(err)
	}
	if tg.removable || tg.usb == "" || tg.size != 32*gib {
		t.Errorf("sdc: got %+v", *tg)
	}
	// Exactly the image's size fits.
	if _, err := e.checkDevice(h.path("sdd"), 8*mib); err != nil {
		t.Errorf("sdd with an image of its size: %v", err)
	}
}

// TestRootDiskDirect: booted from a partition of a USB stick (a live
// system), that stick is refused although it is a removable USB disk, and
// through a symlink such as /dev/disk/by-id too.
func TestRootDiskDirect(t *testing.T) {
	h := newFakeHost(t)
	h.stick("sdb", devNum{8, 16}, 1, 1, 16*gib, "SanDisk", "Ultra")
	h.part("sdb", 1, devNum{8, 17})
	h.part("sdb", 2, devNum{8, 18})
	h.mount(devNum{8, 18}, "/", h.path("sdb2"))
	h.stick("sdc", devNum{8, 32}, 2, 1, 16*gib, "SanDisk", "Ultra")
	link := filepath.Join(h.dev, "disk", "by-id", "usb-SanDisk_Ultra-0:0")
	h.node(link, devNum{8, 16})
	e, _, _ := h.env("")
	for _, p := range []string{h.path("sdb"), link} {
		_, err := e.checkDevice(p, testImageSize)
		if err == nil || !strings.Contains(err.Error(), "it holds the host's root filesystem (/ is on sdb2)") {
			t.Errorf("%s: got %v, want the root disk refused", p, err)
		}
	}
	if _, err := e.checkDevice(h.path("sdc"), testImageSize); err != nil {
		t.Errorf("sdc: %v", err)
	}
}

// TestRootDiskStacked: / on an LVM volume on an md RAID1 of partitions of
// two disks refuses both disks, and the check comes before the others.
func TestRootDiskStacked(t *testing.T) {
	h := newFakeHost(t)
	h.stick("sda", devNum{8, 0}, 1, 1, 16*gib, "X", "Y")
	h.stick("sdb", devNum{8, 16}, 2, 1, 16*gib, "X", "Y")
	h.part("sda", 1, devNum{8, 1})
	h.part("sdb", 1, devNum{8, 17})
	h.virtual("md0", devNum{9, 0}, "sda1", "sdb1")
	h.virtual("dm-0", devNum{253, 0}, "md0")
	h.mount(devNum{253, 0}, "/", "/dev/mapper/vg-root") // source not a node here
	e, _, _ := h.env("")
	for _, d := range []string{"sda", "sdb"} {
		_, err := e.checkDevice(h.path(d), testImageSize)
		want := "it holds the host's root filesystem (/ is on dm-0 (which is on md0, on " + d + "1))"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", d, err, want)
		}
	}
}

// TestUnreadableProc: without mountinfo or swaps nothing can be proved
// unused, so the disk is refused.
func TestUnreadableProc(t *testing.T) {
	h := newFakeHost(t)
	h.stick("sdb", devNum{8, 16}, 1, 1, 16*gib, "SanDisk", "Ultra")
	e, _, _ := h.env("")
	e.procRoot = filepath.Join(h.proc, "nonexistent")
	_, err := e.checkDevice(h.path("sdb"), testImageSize)
	if err == nil || !strings.Contains(err.Error(), "cannot check whether it is mounted") {
		t.Errorf("got %v", err)
	}
	e.procRoot = h.proc
	if err := removeFile(filepath.Join(h.proc, "swaps")); err != nil {
		t.Fatal(err)
	}
	_, err = e.checkDevice(h.path("sdb"), testImageSize)
	if err == nil || !strings.Contains(err.Error(), "cannot check whether it is used as swap") {
		t.Errorf("got %v", err)
	}
	e.sysRoot = filepath.Join(h.sys, "nonexistent")
	_, err = e.checkDevice(h.path("sdb"), testImageSize)
	if err == nil || !strings.Contains(err.Error(), "cannot list block devices") {
		t.Errorf("got %v", err)
	}
}

func TestCheckImage(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.img")
	good := filepath.Join(dir, "good.img")
	writeFile(t, empty, nil)
	writeFile(t, good, make([]byte, 1000))
	if n, err := checkImage(good); n != 1000 || err != nil {
		t.Errorf("good: %d, %v", n, err)
	}
	for p, want := range map[string]string{
		filepath.Join(dir, "none.img"): "does not exist (build it with make usb)",
		empty:                          "is empty",
		dir:                            "is not a regular file",
	} {
		if _, err := checkImage(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", p, err, want)
		}
	}
}

func TestHuman(t *testing.T) {
	for n, want := range map[int64]string{
		0:           "0 bytes",
		1023:        "1023 bytes",
		1536:        "1.5 KiB (1536 bytes)",
		16008609792: "14.9 GiB (16008609792 bytes)",
		64 << 20:    "64.0 MiB (67108864 bytes)",
	} {
		if got := human(n); got != want {
			t.Errorf("human(%d) = %q, want %q", n, got, want)
		}
	}
	if got := short(64 << 20); got != "64.0 MiB" {
		t.Errorf("short = %q", got)
	}
}
