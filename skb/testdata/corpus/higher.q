?- maplist(double, [1,2,3], L).
L = [2,4,6]
?- maplist(positive, [1,2,3]).
true
?- maplist(positive, [1,-2,3]).
false
?- maplist(pair_sum, [1,2], [10,20], L).
L = [11,22]
?- include(positive, [1,-2,3,0], L).
L = [1,3]
?- exclude(positive, [1,-2,3,0], L).
L = [-2,0]
?- partition(positive, [1,-2,3,0], I, E).
I = [1,3], E = [-2,0]
?- foldl(add, [1,2,3], 0, S).
S = 6
?- predsort(by_second, [a-3, b-1, c-2, d-1], L).
L = [b-1,d-1,c-2,a-3]
?- maplist(double, L, [2,4]).
error
?- maplist(=(X), [a, a]).
X = a
?- call(double, 4, Y).
Y = 8
