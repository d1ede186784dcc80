// Package acpi finds and decodes the ACPI tables the CPU driver needs to
// learn the machine's shape: the Root System Description Pointer, the root
// table (RSDT or XSDT), the MADT (which processors and interrupt controllers
// exist), the SRAT (which NUMA proximity domain each processor and memory
// range belongs to), the SLIT (relative distances between domains) and
// the FADT (where the ACPI power-management timer is, which the CPU driver
// calibrates the TSC against).
//
// # Where it runs
//
// The bootstrap core's CPU driver calls [Parse] once, in ring 0, after its Go
// runtime is up. The package is pure Go with no privileged operations: it
// reads physical memory only through the [Memory] interface, which the kernel
// implements over its direct map and the tests implement over a sparse fake
// memory. It keeps no package-level state; a [Tables] value belongs to the
// caller, is never modified after Parse returns, and may be read from any
// goroutine. Other cores receive the facts they need as messages, never a
// pointer into the bootstrap core's heap.
//
// # Bad input
//
// Firmware tables are input, not truth. Parse fails only when no RSDP can be
// found. Every other defect (a bad checksum, a length that runs past the
// table, a zero-length or truncated entry, a SLIT whose size does not match
// its locality count) becomes a [Problem] in Tables.Problems that names the
// table, its physical address and the byte offset, and parsing goes on with
// whatever is still trustworthy: a table with a bad checksum is skipped
// whole, entries before a malformed one are kept. Table lengths are capped at
// [MaxTableLength] so that a garbage length cannot make the kernel allocate
// gigabytes, and no input makes the package panic (the fuzz tests check it).
//
// # Specification
//
// Section numbers refer to the ACPI Specification, version 6.5 (the layouts
// used here are unchanged since 6.0):
//   - 5.2.5   Root System Description Pointer (search, structure, checksums)
//   - 5.2.6   System Description Table Header
//   - 5.2.7   Root System Description Table (RSDT)
//   - 5.2.8   Extended System Description Table (XSDT)
//   - 5.2.9   Fixed ACPI Description Table (FADT); 4.8.3.3 the PM timer
//   - 5.2.12  Multiple APIC Description Table (MADT)
//   - 5.2.16  System Resource Affinity Table (SRAT)
//   - 5.2.17  System Locality Information Table (SLIT)
package acpi
