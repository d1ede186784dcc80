% Memory affinity: the memory regions local to a core (SRAT), and the
% nearest memory when its node has none.

% local_memory(Core, Base, Size): a memory region on Core's node,
% ascending by base address.
local_memory(Core, Base, Size) :-
    core_node(Core, N),
    findall(B-S, memory_region(B, S, N), Rs0),
    msort(Rs0, Rs),
    member(Base-Size, Rs).

% nearest_memory(Core, Base, Size): memory regions ordered by node
% distance from Core, nearest first, then by base address.
nearest_memory(Core, Base, Size) :-
    core_node(Core, N),
    findall(D-B-S, ( memory_region(B, S, M), distance(N, M, D) ), Rs0),
    msort(Rs0, Rs),
    member(_-Base-Size, Rs).

% node_memory(Node, Bytes): the total memory of a node.
node_memory(N, Bytes) :-
    node(N),
    aggregate_all(sum(S), memory_region(_, S, N), Bytes).
