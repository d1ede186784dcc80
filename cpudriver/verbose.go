package main

import (
	"multikernel/boot/multiboot"
	"multikernel/cpudriver/acpi"
)

// The verbose option prints what the bootstrap core read and decided.

func printMemoryMap(info *multiboot.Info) {
	console("cpudriver: boot loader %q, %d modules, command line %q\n", info.LoaderName, len(info.Modules), info.Cmdline)
	for _, r := range info.MemoryMap {
		console("cpudriver: memory %#012x-%#012x %s\n", r.Base, r.End(), r.Type)
	}
	for i, m := range info.Modules {
		console("cpudriver: module %d %#x-%#x %q\n", i, m.Start, m.End, m.String)
	}
}

func printACPI(t *acpi.Tables) {
	console("cpudriver: ACPI root %#x (XSDT %v), OEM %q\n", t.RootAddr, t.UsesXSDT, t.Root.OEMID)
	for _, e := range t.Entries {
		console("cpudriver: ACPI table %s at %#x, %d bytes\n", e.Signature, e.Addr, e.Length)
	}
	topo := t.Topology
	for n, node := range topo.Nodes {
		console("cpudriver: node %d (domain %d): APIC ids %v\n", n, node.Domain, node.APICIDs)
		for _, m := range node.Memory {
			console("cpudriver: node %d memory %#012x-%#012x\n", n, m.Base, m.Base+m.Length)
		}
		for m := range topo.Nodes {
			if m > n {
				console("cpudriver: distance node %d - node %d: %d\n", n, m, topo.Distance(n, m))
			}
		}
	}
}

func printPlans(plans []apPlan) {
	for _, a := range plans {
		console("cpudriver: core %d: apic %d node %d, %d KiB in %d ranges\n", a.index, a.apic, a.node, total(a.memory)>>10, len(a.memory))
	}
}
