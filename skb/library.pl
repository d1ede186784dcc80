% The built-in library of the SKB engine: predicates written in Prolog.
% A program that defines one of these predicates replaces it, as a program
% may replace an autoloaded library predicate in SWI-Prolog.

% Control.
once(G) :- call(G), !.
ignore(G) :- ( call(G) -> true ; true ).
not(G) :- \+ call(G).
forall(Cond, Action) :- \+ ( call(Cond), \+ call(Action) ).

% Lists (SWI-Prolog library(lists) semantics).
append([], L, L).
append([H|T], L, [H|R]) :- append(T, L, R).

append([], []).
append([L|Ls], As) :- append(L, Ws, As), append(Ls, Ws).

member(X, [H|T]) :- '$member'(T, X, H).
'$member'(_, X, X).
'$member'([H|T], X, _) :- '$member'(T, X, H).

memberchk(X, L) :- member(X, L), !.

reverse(Xs, Ys) :- '$reverse'(Xs, Ys, [], Ys).
'$reverse'([], [], Ys, Ys).
'$reverse'([X|Xs], [_|Bound], Rs, Ys) :- '$reverse'(Xs, Bound, [X|Rs], Ys).

nth0(I, L, E) :- '$nth'(I, L, E, 0).
nth1(I, L, E) :- '$nth'(I, L, E, 1).
'$nth'(I, L, E, B) :- integer(I), !, I >= B, I0 is I-B, '$nth_det'(I0, L, E).
'$nth'(I, L, E, B) :- var(I), !, '$nth_gen'(L, E, B, I).
'$nth'(I, _, _, _) :- throw(error(type_error(integer, I), _)).
'$nth_det'(0, [E|_], E) :- !.
'$nth_det'(I, [_|T], E) :- I1 is I-1, '$nth_det'(I1, T, E).
'$nth_gen'([E|_], E, B, B).
'$nth_gen'([_|T], E, B0, B) :- B1 is B0+1, '$nth_gen'(T, E, B1, B).

last([X|Xs], Last) :- '$last'(Xs, X, Last).
'$last'([], Last, Last).
'$last'([X|Xs], _, Last) :- '$last'(Xs, X, Last).

sum_list(Xs, Sum) :- '$sum_list'(Xs, 0, Sum).
'$sum_list'([], Sum, Sum).
'$sum_list'([X|Xs], Sum0, Sum) :- Sum1 is Sum0+X, '$sum_list'(Xs, Sum1, Sum).
sumlist(Xs, Sum) :- sum_list(Xs, Sum).

max_list([H|T], Max) :- '$max_list'(T, H, Max).
'$max_list'([], Max, Max).
'$max_list'([H|T], Max0, Max) :- Max1 is max(Max0, H), '$max_list'(T, Max1, Max).

min_list([H|T], Min) :- '$min_list'(T, H, Min).
'$min_list'([], Min, Min).
'$min_list'([H|T], Min0, Min) :- Min1 is min(Min0, H), '$min_list'(T, Min1, Min).

max_member(Max, [H|T]) :- '$max_member'(T, H, Max).
'$max_member'([], Max, Max).
'$max_member'([H|T], Max0, Max) :- ( H @> Max0 -> Max1 = H ; Max1 = Max0 ), '$max_member'(T, Max1, Max).

min_member(Min, [H|T]) :- '$min_member'(T, H, Min).
'$min_member'([], Min, Min).
'$min_member'([H|T], Min0, Min) :- ( H @< Min0 -> Min1 = H ; Min1 = Min0 ), '$min_member'(T, Min1, Min).

numlist(L, H, R) :- L =< H, '$numlist'(L, H, R).
'$numlist'(H, H, [H]) :- !.
'$numlist'(L, H, [L|T]) :- L1 is L+1, '$numlist'(L1, H, T).

select(X, [X|T], T).
select(X, [H|T], [H|R]) :- select(X, T, R).
selectchk(X, L, R) :- select(X, L, R), !.

nextto(X, Y, [X,Y|_]).
nextto(X, Y, [_|T]) :- nextto(X, Y, T).

delete([], _, []).
delete([H|T], X, R) :- ( H \= X -> R = [H|R1] ; R = R1 ), delete(T, X, R1).

exclude(_, [], []).
exclude(P, [X|Xs], R) :- ( call(P, X) -> R = R1 ; R = [X|R1] ), exclude(P, Xs, R1).
include(_, [], []).
include(P, [X|Xs], R) :- ( call(P, X) -> R = [X|R1] ; R = R1 ), include(P, Xs, R1).
partition(_, [], [], []).
partition(P, [H|T], I, E) :-
    ( call(P, H) -> I = [H|I1], E = E1 ; I = I1, E = [H|E1] ),
    partition(P, T, I1, E1).

subtract([], _, []).
subtract([H|T], L, R) :- ( memberchk(H, L) -> R = R1 ; R = [H|R1] ), subtract(T, L, R1).
intersection([], _, []).
intersection([H|T], L, R) :- ( memberchk(H, L) -> R = [H|R1] ; R = R1 ), intersection(T, L, R1).
union([], L, L).
union([H|T], L, R) :- ( memberchk(H, L) -> R = R1 ; R = [H|R1] ), union(T, L, R1).

list_to_set(L, S) :- '$list_to_set'(L, [], S).
'$list_to_set'([], _, []).
'$list_to_set'([H|T], Seen, R) :-
    ( '$memberchk_eq'(H, Seen) -> R = R1 ; R = [H|R1] ),
    '$list_to_set'(T, [H|Seen], R1).
'$memberchk_eq'(X, [Y|Ys]) :- ( X == Y -> true ; '$memberchk_eq'(X, Ys) ).

flatten(List, Flat) :- '$flatten'(List, [], Flat0), !, Flat = Flat0.
'$flatten'(V, T, [V|T]) :- var(V), !.
'$flatten'([], T, T) :- !.
'$flatten'([H|Rest], T, F) :- !, '$flatten'(H, F1, F), '$flatten'(Rest, T, F1).
'$flatten'(A, T, [A|T]).

pairs_keys_values([], [], []).
pairs_keys_values([K-V|T], [K|Ks], [V|Vs]) :- pairs_keys_values(T, Ks, Vs).
pairs_keys([], []).
pairs_keys([K-_|T], [K|Ks]) :- pairs_keys(T, Ks).
pairs_values([], []).
pairs_values([_-V|T], [V|Vs]) :- pairs_values(T, Vs).

% Higher order.
maplist(_, []).
maplist(G, [X|Xs]) :- call(G, X), maplist(G, Xs).
maplist(_, [], []).
maplist(G, [X|Xs], [Y|Ys]) :- call(G, X, Y), maplist(G, Xs, Ys).
maplist(_, [], [], []).
maplist(G, [X|Xs], [Y|Ys], [Z|Zs]) :- call(G, X, Y, Z), maplist(G, Xs, Ys, Zs).
maplist(_, [], [], [], []).
maplist(G, [X|Xs], [Y|Ys], [Z|Zs], [W|Ws]) :- call(G, X, Y, Z, W), maplist(G, Xs, Ys, Zs, Ws).

foldl(G, L, A0, A) :- '$foldl'(L, G, A0, A).
'$foldl'([], _, A, A).
'$foldl'([X|Xs], G, A0, A) :- call(G, X, A0, A1), '$foldl'(Xs, G, A1, A).
foldl(G, L1, L2, A0, A) :- '$foldl'(L1, L2, G, A0, A).
'$foldl'([], [], _, A, A).
'$foldl'([X|Xs], [Y|Ys], G, A0, A) :- call(G, X, Y, A0, A1), '$foldl'(Xs, Ys, G, A1, A).

predsort(P, L, Sorted) :- '$predsort'(L, P, Sorted).
'$predsort'([], _, []) :- !.
'$predsort'([X], _, [X]) :- !.
'$predsort'(L, P, S) :-
    length(L, N), H is N // 2, length(A, H), append(A, B, L),
    '$predsort'(A, P, SA), '$predsort'(B, P, SB), '$predmerge'(SA, SB, P, S).
'$predmerge'([], L, _, L) :- !.
'$predmerge'(L, [], _, L) :- !.
'$predmerge'([H1|T1], [H2|T2], P, R) :- call(P, O, H1, H2), '$predmerge'(O, H1, T1, H2, T2, P, R).
'$predmerge'(<, H1, T1, H2, T2, P, [H1|R]) :- '$predmerge'(T1, [H2|T2], P, R).
'$predmerge'(>, H1, T1, H2, T2, P, [H2|R]) :- '$predmerge'([H1|T1], T2, P, R).
'$predmerge'(=, H1, T1, _, T2, P, [H1|R]) :- '$predmerge'(T1, T2, P, R).

% Aggregation (SWI-Prolog library(aggregate), aggregate_all/3 only).
aggregate_all(count, G, C) :- !, findall(x, G, L), length(L, C).
aggregate_all(sum(E), G, S) :- !, findall(E, G, L), sum_list(L, S).
aggregate_all(max(E), G, M) :- !, findall(E, G, L), L = [_|_], max_list(L, M).
aggregate_all(min(E), G, M) :- !, findall(E, G, L), L = [_|_], min_list(L, M).
aggregate_all(max(E, W), G, max(M, MW)) :- !, findall(E-W, G, L), L = [_|_], '$best'(L, >, M, MW).
aggregate_all(min(E, W), G, min(M, MW)) :- !, findall(E-W, G, L), L = [_|_], '$best'(L, <, M, MW).
aggregate_all(bag(E), G, L) :- !, findall(E, G, L).
aggregate_all(set(E), G, S) :- !, findall(E, G, L), sort(L, S).
aggregate_all(Spec, _, _) :- throw(error(domain_error(aggregate_spec, Spec), _)).
'$best'([E-W|T], Dir, M, MW) :- '$best'(T, Dir, E, W, M, MW).
'$best'([], _, M, MW, M, MW).
'$best'([E-W|T], Dir, M0, W0, M, MW) :-
    ( compare(Dir, E, M0) -> '$best'(T, Dir, E, W, M, MW) ; '$best'(T, Dir, M0, W0, M, MW) ).
