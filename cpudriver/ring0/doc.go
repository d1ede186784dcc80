// Package ring0 is the layer of the CPU driver that runs beneath its own Go
// runtime, in ring 0, on every core.
//
// The CPU driver is an ordinary static linux/amd64 Go executable. Its runtime
// believes it runs on Linux: it makes Linux system calls with SYSCALL. This
// package answers them. It owns the core's descriptor tables (GDT, IDT, TSS
// with IST stacks), the SYSCALL entry (LSTAR), the trap and interrupt entry,
// the runtime's threads (its Ms: sysmon and the others it clones) and their
// switching, the core's physical page pool, the kernel heap's page tables and
// demand paging, the time base (each core's TSC calibrated against the ACPI
// PM timer, or the PIT, and re-synced when it is not invariant: clock.go)
// and the idle loop (HLT until the LAPIC timer or an IPI).
//
// # Where it runs and what it may do
//
// Every function reachable from the SYSCALL or trap entry runs on this core's
// system stack (sysStack) or an IST stack, below the runtime: it is
// //go:nosplit (the stack-bound check would compare against whatever
// goroutine made the call), never allocates, never stores a Go pointer into
// memory (write barriers), and never panics on any input. The linker checks
// the nosplit chain; the tests check the rest by inspection of the binary.
// Anything that needs the full runtime is done by ordinary Go in package
// cpudriver after the runtime is up.
//
// # Ownership
//
// All state in this package lives in package-level variables. The CPU driver's
// .data and .bss are private to each core (each core runs a copy mapped at
// the same virtual address by its own page tables), so every variable here is
// owned by the one core that reads it, and only that core's ring-0 code (with
// interrupts off) or its runtime (through system calls) touches it. The one
// exception is the region named by Shared, which all cores map and which is
// accessed only with atomic operations.
//
// Interrupts are off in ring 0 except inside the idle loop's HLT; interrupt
// handlers only acknowledge and record, so nothing here needs a lock.
package ring0
