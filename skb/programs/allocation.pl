% Core allocation round-robin across nodes, as Corey's benchmarks allocate
% cores (Boyd-Wickizer et al., "Corey", OSDI 2008, section 6): the first
% core of each node, then the second of each, and so on; within a round,
% nodes in ascending order.

% core_alloc_order(Cores): every core in allocation order.
core_alloc_order(Cores) :-
    findall(Rank-N-C, ( core(C, _, N), node_rank(C, N, Rank) ), Keys),
    msort(Keys, Sorted),
    findall(C, member(_-_-C, Sorted), Cores).

% node_rank(C, N, Rank): C is the Rank-th core (from 0) of node N.
node_rank(C, N, Rank) :-
    node_cores(N, Cs),
    nth0(Rank, Cs, C), !.

% alloc_cores(Count, Cores): the first Count cores in allocation order.
alloc_cores(Count, Cores) :-
    core_alloc_order(All),
    length(All, Total),
    Count =< Total,
    length(Cores, Count),
    append(Cores, _, All).
