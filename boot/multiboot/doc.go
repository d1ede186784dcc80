// Package multiboot decodes the boot information a Multiboot v1 boot
// loader (QEMU's -kernel, GRUB's multiboot command, our own boot/ loader
// passing it on) leaves in memory: the memory sizes, the kernel command
// line, the boot modules (the CPU driver ELF, the monitor, programs), the
// BIOS memory map and the boot loader's name. It also turns the memory map
// into the list of page-aligned ranges the physical memory allocator may
// hand out.
//
// # Where it runs
//
// The bootstrap core's CPU driver calls [Parse] once, in ring 0, after its
// Go runtime is up, and then copies what it needs before the memory holding
// the boot information is reused. The package reads physical memory only
// through the [Memory] interface, keeps no package-level state, and returns
// values owned by the caller; it is pure Go and tested on the host.
//
// # Bad input
//
// A boot loader is trusted but not infallible, and the boot information is
// the first thing the kernel reads. Parse fails only when the fixed part of
// the structure cannot be read. Every other defect (an unreadable or
// unterminated string, a module whose end lies before its start, a memory
// map entry with a bad size) is recorded in Info.Problems, the field or
// entry is dropped, and the rest is kept. Counts and lengths are capped
// ([MaxCmdline], [MaxModules], [MaxMemoryMapEntries]) so that garbage cannot
// make the kernel allocate much, and no input makes the package panic.
//
// # Specification
//
// Multiboot Specification version 0.6.96, section 3.3 "Boot information
// format": the flags word says which fields are valid (bit 0 mem_lower and
// mem_upper, bit 1 boot_device, bit 2 cmdline, bit 3 mods, bits 4/5 symbols,
// bit 6 mmap, bit 7 drives, bit 8 config_table, bit 9 boot_loader_name,
// bit 10 apm_table, bit 11 VBE, bit 12 framebuffer).
package multiboot
