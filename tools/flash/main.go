package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: go run ./tools/flash -image build/multikernel-usb.img -device /dev/sdX [-yes]

Writes the image to the whole USB disk /dev/sdX and reads it back to verify.
Refuses a partition, a non-removable or non-USB disk, a mounted disk, a swap
disk, the disk of the root filesystem and a disk smaller than the image.
Needs root to open the device.

`

func main() { os.Exit(cli(os.Args[1:], hostEnv())) }

// cli runs the command with args on e and returns the exit status: 0 when
// the image was written and verified, 1 for a refusal or a failure, 2 for
// bad usage.
func cli(args []string, e *env) int {
	fl := flag.NewFlagSet("flash", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	image := fl.String("image", "build/multikernel-usb.img", "disk image to write")
	device := fl.String("device", "", "whole disk to overwrite, such as /dev/sdb")
	yes := fl.Bool("yes", false, "do not ask for confirmation")
	fl.Usage = func() {
		fmt.Fprint(e.stderr, usage)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *device == "" || fl.NArg() > 0 {
		fl.Usage()
		return 2
	}
	if err := e.flash(*image, *device, *yes); err != nil {
		fmt.Fprintln(e.stderr, "flash:", err)
		return 1
	}
	return 0
}

// flash checks the image and the device, asks for confirmation unless
// yes, writes and verifies.
func (e *env) flash(imagePath, devPath string, yes bool) error {
	size, err := checkImage(imagePath)
	if err != nil {
		return err
	}
	t, err := e.checkDevice(devPath, size)
	if err != nil {
		return err
	}
	if t.usb != "" && !t.removable {
		fmt.Fprintf(e.stderr, "flash: note: %s reports removable=0 but is attached over USB (%s), as many USB sticks do; accepting it\n", t.name, t.usb)
	}
	e.describe(t, imagePath, size)
	if !yes && !e.confirm(t) {
		return fmt.Errorf("not confirmed; nothing was written to %s", devPath)
	}
	if err := e.writeImage(imagePath, devPath, size); err != nil {
		return err
	}
	if err := e.verify(imagePath, devPath, size); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote and verified %s on %s; it is safe to remove\n", short(size), devPath)
	return nil
}

// describe says what is about to be overwritten.
func (e *env) describe(t *target, imagePath string, size int64) {
	model := t.model
	if model == "" {
		model = "unknown model"
	}
	var how []string
	if t.removable {
		how = append(how, "removable")
	}
	if t.usb != "" {
		how = append(how, "USB")
	}
	fmt.Fprintf(e.stdout, "device: %s (%s): %s, %s, %s\n", t.path, t.name, model, human(t.size), strings.Join(how, ", "))
	fmt.Fprintf(e.stdout, "image:  %s, %s\n", imagePath, human(size))
	fmt.Fprintf(e.stdout, "Everything on %s will be lost.\n", t.path)
}

// confirm asks for the device's name or "yes" on e.stdin.
func (e *env) confirm(t *target) bool {
	fmt.Fprintf(e.stdout, "Type %q or \"yes\" to write it: ", t.name)
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return false
	}
	switch strings.TrimSpace(line) {
	case "yes", t.name, t.path:
		return true
	}
	return false
}
