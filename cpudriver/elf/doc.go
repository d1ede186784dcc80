// Package elf validates and decodes ELF64 executables of the one kind the
// system runs: static linux/amd64 binaries from the stock Go toolchain
// (CGO_ENABLED=0). The CPU driver uses it on its own image (a Multiboot
// module the loader hands over) and on the user programs it starts.
//
// # Where it runs
//
// In the CPU driver, in ring 0, as ordinary Go after the runtime is up, and
// in host tests. It is pure Go, keeps no package-level state and reads only
// the []byte it is given; a [File] refers into that slice (Segment.Data)
// and is immutable after [Parse] returns.
//
// # What is checked
//
// An executable is input from outside the kernel, so [Parse] checks
// everything a loader relies on before the loader touches memory (decode,
// then load): the identification bytes, the file type and machine, the
// bounds of the program header table, and for every PT_LOAD segment its
// file bounds, filesz <= memsz, an alignment that is a power of two with
// p_vaddr and p_offset congruent modulo it, canonical virtual addresses
// without overflow, and no overlap with another segment. The entry point
// must lie in the file-backed part of an executable segment. Dynamically
// linked (PT_INTERP) and position-independent (ET_DYN) executables are
// refused with an error saying so. Every check that fails returns an error;
// no input makes the package panic (the fuzz tests check it).
//
// # Specification
//
// System V Application Binary Interface, Edition 4.1, chapter 4 "Object
// Files" (ELF header, identification) and chapter 5 "Program Loading"
// (program header, segment rules); the ELF-64 Object File Format 1.5 for
// the 64-bit layouts; the System V ABI AMD64 Architecture Processor
// Supplement 1.0 for EM_X86_64 and PT_GNU_STACK; Intel SDM Vol. 1 3.3.7.1
// for canonical addresses.
package elf
