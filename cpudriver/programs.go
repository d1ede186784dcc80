package main

import (
	"strings"
	"sync"

	"multikernel/boot/multiboot"
	"multikernel/cpudriver/proc"
)

// runPrograms starts every module after the CPU driver as a program on
// this core (its module string is its argv; QEMU starts it with the path,
// GRUB without) and waits for all of them. It reports whether every one
// exited with status 0.
func runPrograms(mods []multiboot.Module) bool {
	proc.Console = func(line string) { console("%s", line) }
	var wg sync.WaitGroup
	ok := true
	var mu sync.Mutex
	for i, m := range mods {
		argv := strings.Fields(m.String)
		if len(argv) == 0 {
			argv = []string{"module" + string(rune('1'+i))}
		}
		p, err := proc.Start(physBytes(m.Start, int(m.Size())), argv, []string{"GOMAXPROCS=1"})
		if err != nil {
			console("cpudriver: program %q not started: %v\n", argv[0], err)
			ok = false
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, killed := p.Wait()
			if killed != "" {
				console("[core %d %s] killed (%s)\n", 0, p.Name, killed)
			} else {
				console("[core %d %s] exited status %d\n", 0, p.Name, status)
			}
			if killed != "" || status != 0 {
				mu.Lock()
				ok = false
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ok
}
