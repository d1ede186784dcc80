// Package test holds the integration tests: each boots the real image in
// QEMU (through vmtest's qemu package, under emulation) and reads the
// serial console. They need the build outputs (`make all`) and run with
// `go test -tags integration ./test/...` (`make integration`).
package test
