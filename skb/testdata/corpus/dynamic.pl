:- dynamic counter/1.
:- dynamic fact/2, other/1.
counter(0).
fact(a, 1).
fact(b, 2).
fact(c, 3).
inc :- retract(counter(N)), N1 is N + 1, assert(counter(N1)).
static_pred(x).
