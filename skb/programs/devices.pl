% Device affinity: which core should drive a device (its interrupts, its
% DMA buffers). A device without device_node/4 is taken to be on node 0,
% where the I/O hub of a single-hub machine hangs.

% device_home(Bus, Dev, Fn, Node).
device_home(B, D, F, N) :- device_node(B, D, F, N), !.
device_home(_, _, _, 0).

% device_cores(Bus, Dev, Fn, Cores): all cores, nearest to the device
% first, then by ascending core id.
device_cores(B, D, F, Cores) :-
    pci_device(B, D, F, _, _, _),
    device_home(B, D, F, Home),
    findall(Dist-C, ( core(C, _, N), distance(Home, N, Dist) ), Pairs),
    msort(Pairs, Sorted),
    pairs_values(Sorted, Cores).

% nearest_core(Bus, Dev, Fn, Core): the core nearest the device.
nearest_core(B, D, F, Core) :-
    device_cores(B, D, F, [Core|_]).

% device_class(Class, Bus, Dev, Fn): PCI functions of a class code, such
% as 0x020000 for Ethernet.
device_class(Class, B, D, F) :- pci_device(B, D, F, _, _, Class).
