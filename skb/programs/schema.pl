% The facts schema of the system knowledge base. The OS asserts these facts
% at boot (ACPI MADT, SRAT and SLIT, CPUID, PCI enumeration) and later
% (measured URPC round trips); docs/skb.md describes each one. They are
% dynamic so that a machine with none of some kind still answers queries.

% core(Id, ApicId, Node): core Id (0..N-1, boot order) has local APIC ID
% ApicId (MADT) and sits in NUMA node Node (SRAT).
:- dynamic core/3.
% node_distance(A, B, D): SLIT distance from node A to node B (10 local).
:- dynamic node_distance/3.
% memory_region(Base, Size, Node): physical memory [Base, Base+Size) is
% local to Node (SRAT memory affinity).
:- dynamic memory_region/3.
% cpu(Vendor, Family, Model): the processor (CPUID leaves 0 and 1).
:- dynamic cpu/3.
% cpu_feature(Name): a CPUID feature flag, such as sse2 or x2apic.
:- dynamic cpu_feature/1.
% pci_device(Bus, Dev, Fn, Vendor, Device, Class): a PCI function.
:- dynamic pci_device/6.
% device_node(Bus, Dev, Fn, Node): the NUMA node of a PCI function (_PXM).
:- dynamic device_node/4.
% message_rtt(From, To, Cycles): measured URPC round trip between cores.
:- dynamic message_rtt/3.

% node(N): N is a NUMA node with at least one core.
node(N) :- setof_nodes(Ns), member(N, Ns).
setof_nodes(Ns) :- findall(N, core(_, _, N), Ns0), sort(Ns0, Ns).

% core_node(Core, Node).
core_node(C, N) :- core(C, _, N).

% node_cores(Node, Cores): the cores of Node in ascending order.
node_cores(N, Cs) :- findall(C, core(C, _, N), Cs0), msort(Cs0, Cs).

% distance(A, B, D): node distance, symmetric, 10 for a node to itself and
% 20 (the ACPI default for a remote node) when the SLIT says nothing.
distance(A, B, D) :- node_distance(A, B, D), !.
distance(A, B, D) :- node_distance(B, A, D), !.
distance(A, A, 10) :- !.
distance(_, _, 20).

% core_distance(A, B, D): the distance between the nodes of two cores.
core_distance(A, B, D) :- core_node(A, NA), core_node(B, NB), distance(NA, NB, D).

% message_cost(A, B, Cost): the cost of a message from core A to core B:
% the measured round trip if there is one, else the node distance.
message_cost(A, B, C) :- message_rtt(A, B, C), !.
message_cost(A, B, C) :- core_distance(A, B, C).
