// Package programs holds the SKB's facts schema and policies, Prolog text
// embedded in the binary and loaded into an skb.Engine (see docs/skb.md):
//
//   - schema.pl: the facts the OS asserts (core/3, node_distance/3,
//     memory_region/3, cpu/3, cpu_feature/1, pci_device/6, device_node/4,
//     message_rtt/3) and the helpers derived from them;
//   - multicast.pl: the NUMA-aware multicast tree;
//   - allocation.pl: round-robin core allocation across nodes;
//   - memory.pl: the memory local or nearest to a core;
//   - devices.pl: the core nearest a device.
//
// It runs wherever the engine runs: on the host in tests and tools, and in
// the guest in the SKB service, which loads these programs and then
// asserts the facts it discovers. It has no state of its own.
package programs
