/* Classic small programs. */
app([], L, L).
app([H|T], L, [H|R]) :- app(T, L, R).
nrev([], []).
nrev([H|T], R) :- nrev(T, RT), app(RT, [H], R).

edge(a, b). edge(b, c). edge(c, d). edge(b, e). edge(e, d).
path(X, Y) :- edge(X, Y).
path(X, Y) :- edge(X, Z), path(Z, Y).

parent(tom, bob). parent(tom, liz). parent(bob, ann). parent(bob, pat). parent(pat, jim).
grandparent(X, Z) :- parent(X, Y), parent(Y, Z).
ancestor(X, Y) :- parent(X, Y).
ancestor(X, Y) :- parent(X, Z), ancestor(Z, Y).

hanoi(0, _, _, _, []) :- !.
hanoi(N, From, To, Via, Moves) :-
    N1 is N - 1,
    hanoi(N1, From, Via, To, M1),
    hanoi(N1, Via, To, From, M2),
    append(M1, [From-To|M2], Moves).

queens(N, Qs) :- numlist(1, N, Ns), permutation_(Ns, Qs), safe(Qs).
permutation_([], []).
permutation_(L, [H|T]) :- select(H, L, R), permutation_(R, T).
safe([]).
safe([Q|Qs]) :- no_attack(Q, Qs, 1), safe(Qs).
no_attack(_, [], _).
no_attack(Q, [Q1|Qs], D) :- Q =\= Q1 + D, Q =\= Q1 - D, D1 is D + 1, no_attack(Q, Qs, D1).

fib(0, 0).
fib(1, 1).
fib(N, F) :- N > 1, N1 is N - 1, N2 is N - 2, fib(N1, F1), fib(N2, F2), F is F1 + F2.

len([], 0).
len([_|T], N) :- len(T, N0), N is N0 + 1.

qsort([], []).
qsort([H|T], S) :- partition_(H, T, L, G), qsort(L, SL), qsort(G, SG), append(SL, [H|SG], S).
partition_(_, [], [], []).
partition_(P, [X|Xs], [X|L], G) :- X =< P, !, partition_(P, Xs, L, G).
partition_(P, [X|Xs], L, [X|G]) :- partition_(P, Xs, L, G).

% Operators defined by the program.
:- op(700, xfx, ===>).
:- op(200, xfy, of).
rule(a ===> b).
rule(x of y of z ===> w).
