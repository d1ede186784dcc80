//go:build !linux

package main

import (
	"errors"
	"os"
)

// errNotLinux: sysfs, procfs and the device checks exist only on Linux.
var errNotLinux = errors.New("flash runs only on Linux")

func statNode(path string) (node, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return node{}, err
	}
	return node{mode: fi.Mode()}, nil
}

func openDevice(path string) (deviceWriter, error) { return nil, errNotLinux }

func dropCache(path string) error { return errNotLinux }
