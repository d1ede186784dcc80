// Package native is the CPU driver's native system calls (numbers from
// kpi.NativeBase; libos/sys is the user side): the monitor's calls for
// its URPC mesh, its boot and its clients (monitor.go, client.go), the
// capability invocations (capsys), device capabilities (devices) and the
// memory service (memory, mem.go). One table holds them, each entry with
// its authorization, which is decided before the call runs (table.go);
// Install puts them into proc's system call table.
//
// Each call runs in the calling thread's goroutine on this core, holding
// no lock when it starts; the packages it calls say which locks they
// take.
package native
