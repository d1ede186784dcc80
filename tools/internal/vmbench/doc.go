// Package vmbench is what the benchmark commands that boot QEMU share
// (tools/bootbench, tools/corey): running QEMU and reading its console
// line by line as it streams, fetching Debian's Linux kernel and packing
// a static program as its /init, describing the host, and writing a
// section of BENCHMARKS.md. It runs on the host.
package vmbench
