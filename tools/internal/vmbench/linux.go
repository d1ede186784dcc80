package vmbench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// MetaPackage is the Debian package whose dependency names the kernel.
const MetaPackage = "linux-image-amd64"

// LinuxKernel returns the path of Debian's kernel image in dir, fetching it
// first if dir holds none: apt-get update, apt-cache depends
// linux-image-amd64 for the exact package name, apt-get download of that
// one name, dpkg-deb -x, and boot/vmlinuz-* moved into dir. The package
// and the rest of its files are removed afterwards.
func LinuxKernel(dir string, logf func(string, ...any)) (string, error) {
	if k, _ := filepath.Glob(filepath.Join(dir, "vmlinuz-*")); len(k) > 0 {
		return k[len(k)-1], nil
	}
	byHand := fmt.Sprintf("fetch it by hand: `apt-cache depends %s` names the package (linux-image-6.1.0-<abi>-amd64);"+
		" `apt-get download` that one name, `dpkg-deb -x` it and put boot/vmlinuz-* into %s (or pass -vmlinuz)", MetaPackage, dir)
	for _, tool := range []string{"apt-get", "apt-cache", "dpkg-deb"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%s not found, so Debian's Linux kernel cannot be fetched: %s", tool, byHand)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	logf("fetching Debian's Linux kernel into %s", dir)
	if out, err := exec.Command("apt-get", "update").CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get update: %v\n%s\n%s", err, lastLines(out, 10), byHand)
	}
	out, err := exec.Command("apt-cache", "depends", MetaPackage).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("apt-cache depends %s: %v\n%s\n%s", MetaPackage, err, lastLines(out, 10), byHand)
	}
	pkg := kernelPackage(out)
	if pkg == "" {
		return "", fmt.Errorf("apt-cache depends %s names no linux-image-* package:\n%s\n%s", MetaPackage, out, byHand)
	}
	logf("apt-get download %s", pkg)
	get := exec.Command("apt-get", "download", pkg)
	get.Dir = dir
	if out, err := get.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %v\n%s\nfetch %s by hand into %s", pkg, err, lastLines(out, 10), pkg, dir)
	}
	debs, _ := filepath.Glob(filepath.Join(dir, pkg+"_*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("apt-get download %s left %d packages in %s, want 1", pkg, len(debs), dir)
	}
	tree := filepath.Join(dir, "extract")
	os.RemoveAll(tree)
	defer os.RemoveAll(tree)
	if out, err := exec.Command("dpkg-deb", "-x", debs[0], tree).CombinedOutput(); err != nil {
		return "", fmt.Errorf("dpkg-deb -x %s: %v\n%s", debs[0], err, lastLines(out, 10))
	}
	k, _ := filepath.Glob(filepath.Join(tree, "boot", "vmlinuz-*"))
	if len(k) != 1 {
		return "", fmt.Errorf("%s holds %d boot/vmlinuz-* files, want 1", debs[0], len(k))
	}
	dst := filepath.Join(dir, filepath.Base(k[0]))
	if err := os.Rename(k[0], dst); err != nil {
		return "", err
	}
	os.Remove(debs[0])
	return dst, nil
}

// kernelPackage returns the first linux-image-* package that apt-cache
// depends output names as a dependency, or "".
func kernelPackage(out []byte) string {
	s := bufio.NewScanner(bytes.NewReader(out))
	for s.Scan() {
		kind, name, ok := strings.Cut(strings.TrimSpace(s.Text()), ":")
		if !ok || strings.TrimLeft(kind, "|") != "Depends" {
			continue
		}
		name = strings.TrimSpace(name)
		if strings.HasPrefix(name, "linux-image-") && !strings.ContainsAny(name, "<>*? ") {
			return name
		}
	}
	return ""
}

// lastLines returns the last n lines of out, indented.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "    " + strings.Join(lines, "\n    ")
}

// PackInit writes the static binary bin as /init, with /dev/console, into
// a newc cpio archive, the initramfs Linux runs it from.
func PackInit(bin, archive string) error {
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	err = writeNewc(&b, []cpioEntry{
		{Name: "dev", Mode: modeDir | 0o755},
		{Name: "dev/console", Mode: modeChar | 0o600, Major: 5, Minor: 1},
		{Name: "init", Mode: modeFile | 0o755, Data: data},
	})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(archive), 0o755); err != nil {
		return err
	}
	return os.WriteFile(archive, b.Bytes(), 0o644)
}

// LinuxInit returns the Linux kernel to boot (vmlinuz, or if it is ""
// Debian's, fetched into cache the first time) and an initramfs in cache
// with the static program prog as its /init.
func LinuxInit(cache, vmlinuz, prog string) (kernel, initrd string, err error) {
	if vmlinuz == "" {
		kernel, err = LinuxKernel(cache, func(format string, a ...any) { fmt.Fprintf(os.Stderr, format+"\n", a...) })
	} else {
		kernel, err = vmlinuz, nil
		if _, err = os.Stat(vmlinuz); err != nil {
			return "", "", err
		}
	}
	if err != nil {
		return "", "", err
	}
	initrd = filepath.Join(cache, filepath.Base(prog)+".cpio")
	if err := PackInit(prog, initrd); err != nil {
		return "", "", err
	}
	return kernel, initrd, nil
}
