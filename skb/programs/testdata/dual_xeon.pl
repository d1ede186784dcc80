% A two-socket machine with uneven APIC IDs: cores 0-3 on node 0 (APIC
% IDs 0, 2, 4, 6) and 4-7 on node 1 (APIC IDs 16, 18, 20, 22); SLIT 10/21;
% measured round trips that make core 6 the cheapest on node 1 from 0.
core(0, 0, 0).  core(1, 2, 0).  core(2, 4, 0).  core(3, 6, 0).
core(4, 16, 1). core(5, 18, 1). core(6, 20, 1). core(7, 22, 1).
node_distance(0, 0, 10). node_distance(0, 1, 21).
node_distance(1, 0, 21). node_distance(1, 1, 10).
memory_region(0x0, 0x80000000, 0).
memory_region(0x100000000, 0x80000000, 1).
cpu('GenuineIntel', 6, 45).
pci_device(0x80, 0, 0, 0x8086, 0x10fb, 0x020000).
device_node(0x80, 0, 0, 1).
message_rtt(0, 4, 900). message_rtt(0, 5, 880). message_rtt(0, 6, 700). message_rtt(0, 7, 910).
message_rtt(0, 1, 300). message_rtt(0, 2, 250). message_rtt(0, 3, 320).
