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

% node_order(Core, Nodes): every node, ordered by distance from Core's
% node (its own first), then by number: the order in which the memory
% service asks the nodes' memory servers. Without a SLIT, the other
% nodes come after the core's own in number order.
node_order(Core, Nodes) :-
    core_node(Core, N),
    findall(D-M, ( node(M), node_cost(N, M, D) ), Ds0),
    msort(Ds0, Ds),
    findall(M, member(_-M, Ds), Nodes).

node_cost(N, N, 0) :- !.
node_cost(N, M, D) :- distance(N, M, D), !.
node_cost(_, _, 255).
