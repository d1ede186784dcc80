% The reference machine (DESIGN.md, "Target machines"): four AMD Opteron
% family 10h sockets in a square, four cores each, 1 GiB per node. SLIT:
% 10 local, 16 one hop (0-1, 0-2, 1-3, 2-3), 22 two hops (0-3, 1-2).
core(0, 0, 0).   core(1, 1, 0).   core(2, 2, 0).   core(3, 3, 0).
core(4, 4, 1).   core(5, 5, 1).   core(6, 6, 1).   core(7, 7, 1).
core(8, 8, 2).   core(9, 9, 2).   core(10, 10, 2). core(11, 11, 2).
core(12, 12, 3). core(13, 13, 3). core(14, 14, 3). core(15, 15, 3).
node_distance(0, 0, 10). node_distance(0, 1, 16). node_distance(0, 2, 16). node_distance(0, 3, 22).
node_distance(1, 0, 16). node_distance(1, 1, 10). node_distance(1, 2, 22). node_distance(1, 3, 16).
node_distance(2, 0, 16). node_distance(2, 1, 22). node_distance(2, 2, 10). node_distance(2, 3, 16).
node_distance(3, 0, 22). node_distance(3, 1, 16). node_distance(3, 2, 16). node_distance(3, 3, 10).
memory_region(0x0, 0x9f000, 0).
memory_region(0x100000, 0x3ff00000, 0).
memory_region(0x40000000, 0x40000000, 1).
memory_region(0x80000000, 0x40000000, 2).
memory_region(0x100000000, 0x40000000, 3).
cpu('AuthenticAMD', 16, 2).
cpu_feature(sse2). cpu_feature(sse3). cpu_feature(sse4a). cpu_feature(lahf_lm).
pci_device(0, 2, 0, 0x8086, 0x100e, 0x020000).
device_node(0, 2, 0, 3).
pci_device(0, 31, 2, 0x8086, 0x2922, 0x010601).
