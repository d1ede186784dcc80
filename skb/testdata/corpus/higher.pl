double(X, Y) :- Y is 2 * X.
positive(X) :- X > 0.
add(X, A0, A) :- A is A0 + X.
by_second(O, A-B, C-D) :- compare(O0, B, D), ( O0 == (=) -> compare(O, A, C) ; O = O0 ).
pair_sum(X, Y, Z) :- Z is X + Y.
