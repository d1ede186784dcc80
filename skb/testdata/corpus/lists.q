?- append(X, Y, [1,2,3]).
X = [], Y = [1,2,3]
X = [1], Y = [2,3]
X = [1,2], Y = [3]
X = [1,2,3], Y = []
?- append([a], [b], L).
L = [a,b]
?- append(X, [c], [a,b,c]).
X = [a,b]
?- append([[1],[2,3],[]], L).
L = [1,2,3]
?- member(X, [a,b,c]).
X = a
X = b
X = c
?- member(b, [a,b,c]).
true
?- member(x, [a,b,c]).
false
?- memberchk(X, [a,b]).
X = a
?- length([a,b,c], N).
N = 3
?- length(L, 2).
L = [_A,_B]
?- length(L, N), N >= 2, !.
L = [_A,_B], N = 2
?- length([a|T], 3).
T = [_A,_B]
?- nth0(1, [a,b,c], E).
E = b
?- nth0(I, [a,b,c], E).
I = 0, E = a
I = 1, E = b
I = 2, E = c
?- nth1(1, [a,b,c], E).
E = a
?- nth1(I, [a,b,c], c).
I = 3
?- nth0(5, [a,b], E).
false
?- last([1,2,3], X).
X = 3
?- last([], X).
false
?- msort([b,a,c,a], L).
L = [a,a,b,c]
?- sort([b,a,c,a], L).
L = [a,b,c]
?- sort(0, @>=, [1,3,2,3], L).
L = [3,3,2,1]
?- sort(0, @>, [1,3,2,3], L).
L = [3,2,1]
?- sort(1, @<, [f(2,a),f(1,b),f(2,c)], L).
L = [f(1,b),f(2,a)]
?- sort(1, @=<, [f(2,a),f(1,b),f(2,c)], L).
L = [f(1,b),f(2,a),f(2,c)]
?- sort(2, @>=, [f(2,a),f(1,b),f(2,c)], L).
L = [f(2,c),f(1,b),f(2,a)]
?- msort([f(x), 1, a, "s", Z, g(a,b), b], L).
L = [_A,1,"s",a,b,f(x),g(a,b)]
?- sort([c-1, a-2, b-3, a-1], L).
L = [a-1,a-2,b-3,c-1]
?- keysort([c-1, a-2, b-3, a-1], L).
L = [a-2,a-1,b-3,c-1]
?- sum_list([1,2,3], S).
S = 6
?- sum_list([], S).
S = 0
?- max_list([3,1,4,1,5], M).
M = 5
?- min_list([3,1,4,1,5], M).
M = 1
?- max_list([], M).
false
?- reverse([1,2,3], L).
L = [3,2,1]
?- select(b, [a,b,c], L).
L = [a,c]
?- select(X, [a,b], L).
X = a, L = [b]
X = b, L = [a]
?- selectchk(a, [a,b,a], L).
L = [b,a]
?- numlist(1, 5, L).
L = [1,2,3,4,5]
?- numlist(5, 1, L).
false
?- delete([a,b,a,c], a, L).
L = [b,c]
?- subtract([1,2,3,4], [2,4], L).
L = [1,3]
?- intersection([1,2,3], [3,1], L).
L = [1,3]
?- union([1,2], [2,3], L).
L = [1,2,3]
?- list_to_set([a,b,a,c,b], S).
S = [a,b,c]
?- flatten([1,[2,[3,4]],[],5], L).
L = [1,2,3,4,5]
?- pairs_keys_values(P, [a,b], [1,2]).
P = [a-1,b-2]
?- pairs_keys([a-1,b-2], K).
K = [a,b]
?- pairs_values([a-1,b-2], V).
V = [1,2]
?- max_member(M, [3,1,4]).
M = 4
?- min_member(M, [c,a,b]).
M = a
?- nextto(X, Y, [1,2,3]).
X = 1, Y = 2
X = 2, Y = 3
?- is_list([a,b]).
true
?- is_list([a|_]).
false
?- is_list(foo).
false
?- sumlist([1,2], S).
S = 3
?- msort(foo, L).
error
?- length(L, L).
false
?- length(foo, N).
error
?- append(X, X, [a,b,a,b]).
X = [a,b]
?- reverse(L, [1,2]).
L = [2,1]
