package main

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseMountinfo(t *testing.T) {
	in := `22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime shared:1 master:2 - ext4 /dev/vda rw,discard
36 35 98:0 /mnt1 /media/u/MY\040STICK rw,noatime master:1 - vfat /dev/sdb1 rw
40 27 0:45 / /mnt/b rw - btrfs /dev/sdi1 rw,subvol=/
`
	got, err := parseMountinfo(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []mount{
		{devNum{0, 21}, "/proc", "proc"},
		{devNum{254, 0}, "/", "/dev/vda"},
		{devNum{98, 0}, "/media/u/MY STICK", "/dev/sdb1"},
		{devNum{0, 45}, "/mnt/b", "/dev/sdi1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for _, bad := range []string{
		"22 27 0:21 / /proc rw,relatime proc proc rw\n",
		"22 27 x:21 / /proc rw - proc proc rw\n",
		"22 27 0:21 / /proc rw -\n",
	} {
		if _, err := parseMountinfo(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseSwaps(t *testing.T) {
	in := "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n" +
		"/dev/sda3                               partition\t8388604\t\t0\t\t-2\n" +
		"/swap\\040file                           file\t\t1048572\t\t0\t\t-3\n\n"
	got, err := parseSwaps(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/dev/sda3", "/swap file"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{
		`plain`:         "plain",
		`a\040b`:        "a b",
		`tab\011nl\012`: "tab\tnl\n",
		`back\134slash`: `back\slash`,
		`bad\09`:        `bad\09`,
		`end\04`:        `end\04`,
	} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDevNum(t *testing.T) {
	// makedev as in glibc's gnu_dev_makedev.
	makedev := func(maj, min uint64) uint64 {
		return (maj&0xfff)<<8 | (maj&^0xfff)<<32 | min&0xff | (min&^0xff)<<12
	}
	for _, d := range []devNum{{8, 16}, {259, 0}, {253, 300}, {4095, 1 << 19}, {1 << 20, 5}} {
		if got := decodeDev(makedev(uint64(d.major), uint64(d.minor))); got != d {
			t.Errorf("decodeDev(makedev(%v)) = %v", d, got)
		}
	}
	if got := decodeDev(0x810); got != (devNum{8, 16}) {
		t.Errorf("decodeDev(0x810) = %v", got)
	}
	if d, err := parseDevNum(" 8:16\n"); err != nil || d != (devNum{8, 16}) {
		t.Errorf("parseDevNum = %v, %v", d, err)
	}
	for _, bad := range []string{"", "8", "8:", "a:1", "1:-1"} {
		if _, err := parseDevNum(bad); err == nil {
			t.Errorf("parseDevNum(%q): no error", bad)
		}
	}
}

func TestStatNode(t *testing.T) {
	n, err := statNode("/dev/null") // only stat'ed
	if err != nil {
		t.Skip(err)
	}
	if n.isBlock() || n.kind() != "a character device" || n.dev != (devNum{1, 3}) {
		t.Errorf("/dev/null: %+v, %s", n, n.kind())
	}
	if n, err := statNode(t.TempDir()); err != nil || n.isBlock() || n.kind() != "a directory" {
		t.Errorf("directory: %+v, %v", n, err)
	}
	if _, err := statNode("/nonexistent/sdz"); !isNotExist(err) {
		t.Errorf("missing: %v", err)
	}
}

func writeFile(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func removeFile(p string) error { return os.Remove(p) }
