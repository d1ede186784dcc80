% NUMA-aware multicast tree (after Barrelfish's multicast routing, Baumann
% et al., "The Multikernel", SOSP 2009, section 5.2): the root sends one
% message to a leader on each other node, farthest node first, since its
% message takes longest; then it and each leader fan out to the other
% cores of their own node, again costliest first. Cost is the measured
% round trip where known, else the SLIT distance (message_cost/3).
%
% A tree is tree(Core, Children), Children a list of trees in send order.

% multicast_tree(Root, Tree): the tree from Root over all cores.
multicast_tree(Root, Tree) :-
    findall(C, core(C, _, _), Cores),
    multicast_tree(Root, Cores, Tree).

% multicast_tree(Root, Cores, Tree): the tree from Root over Cores (Root
% need not be in Cores).
multicast_tree(Root, Cores0, tree(Root, Children)) :-
    core_node(Root, RootNode),
    exclude(==(Root), Cores0, Cores1),
    sort(Cores1, Cores),
    remote_nodes(Root, RootNode, Cores, Nodes),
    by_cost_desc(Root, Nodes, LeaderCores),
    findall(tree(L, Kids),
            ( member(L, LeaderCores), core_node(L, N),
              node_members(N, Cores, Ms), exclude(==(L), Ms, Others),
              leaves(L, Others, Kids) ),
            Remote),
    node_members(RootNode, Cores, Local),
    leaves(Root, Local, LocalKids),
    append(Remote, LocalKids, Children).

% remote_nodes(Root, RootNode, Cores, Leaders): one leader per node other
% than RootNode among Cores: the member of that node cheapest to reach
% from Root (lowest core id on a tie).
remote_nodes(Root, RootNode, Cores, Leaders) :-
    findall(N, ( member(C, Cores), core_node(C, N), N \== RootNode ), Ns0),
    sort(Ns0, Ns),
    findall(L, ( member(N, Ns), node_leader(Root, N, Cores, L) ), Leaders).

node_leader(Root, N, Cores, Leader) :-
    node_members(N, Cores, Ms),
    findall(Cost-C, ( member(C, Ms), message_cost(Root, C, Cost) ), Pairs),
    msort(Pairs, [_-Leader|_]).

% node_members(N, Cores, Ms): the members of Cores on node N, ascending.
node_members(N, Cores, Ms) :-
    findall(C, ( member(C, Cores), core_node(C, N) ), Ms).

% by_cost_desc(From, Cores, Sorted): Cores ordered by message cost from
% From, costliest first, then by ascending core id.
by_cost_desc(From, Cores, Sorted) :-
    findall(K-C, ( member(C, Cores), message_cost(From, C, Cost), K is -Cost ), Pairs),
    msort(Pairs, SortedPairs),
    pairs_values(SortedPairs, Sorted).

% leaves(From, Cores, Trees): Cores as leaves of From, costliest first.
leaves(From, Cores, Trees) :-
    by_cost_desc(From, Cores, Sorted),
    findall(tree(C, []), member(C, Sorted), Trees).

% multicast_edges(Tree, Edges): the messages of a tree as From-To pairs,
% parent's sends in order, depth first.
multicast_edges(tree(From, Kids), Edges) :-
    findall(From-To, member(tree(To, _), Kids), Own),
    findall(E, ( member(K, Kids), multicast_edges(K, Es), member(E, Es) ), Rest),
    append(Own, Rest, Edges).
