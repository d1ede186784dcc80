% Control constructs: cut, if-then-else, negation, disjunction, call/N,
% catch/throw.
p(1). p(2). p(3).
q(X) :- p(X), X > 1, !.
r(X) :- ( p(X), X >= 2 -> true ; X = none ).
s(X) :- \+ p(X).
t(X) :- ( X = a ; X = b ; X = c ).
u(X, Y) :- p(X), !, p(Y).
v(X) :- call((p(X), !)).
w(X) :- catch(risky(X), error(E, _), X = caught(E)).
risky(X) :- X is foo + 1.
thrower(N) :- N > 2, throw(too_big(N)).
thrower(N) :- N =< 2.
cut_in_cond(X) :- ( !, X = 1 ; X = 2 ).
ite_cut(X) :- ( p(X), ! -> true ; true ).
soft(X, Y) :- ( p(X) *-> Y = yes ; Y = no ).
count(N, N) :- !.
count(I, N) :- I1 is I + 1, count(I1, N).
deep(0) :- !.
deep(N) :- N1 is N - 1, deep(N1).
nondet(X) :- member(X, [a, b, c]).
