?- q(X).
X = 2
?- r(X).
X = 2
?- s(4).
true
?- s(1).
false
?- t(X).
X = a
X = b
X = c
?- u(X, Y).
X = 1, Y = 1
X = 1, Y = 2
X = 1, Y = 3
?- v(X).
X = 1
?- w(X).
X = caught(type_error(evaluable,foo/0))
?- catch(thrower(5), too_big(N), true).
N = 5
?- catch(thrower(1), _, true).
true
?- cut_in_cond(X).
X = 1
?- ite_cut(X).
X = 1
?- soft(X, Y).
X = 1, Y = yes
X = 2, Y = yes
X = 3, Y = yes
?- count(0, 100000).
true
?- deep(200000).
true
?- ( member(X, [1,2,3]), X > 1 -> Y = found ; Y = none ).
X = 2, Y = found
?- ( fail -> X = 1 ; X = 2 ).
X = 2
?- ( true ; X = 2 ).
true
X = 2
?- \+ \+ X = 1.
true
?- call(member, X, [a,b]).
X = a
X = b
?- call(format, "~w~n", [hello]).
hello
true
?- G = (X = 1 ; X = 2), call(G).
G = 1=1;1=2, X = 1
G = 2=1;2=2, X = 2
?- once(nondet(X)).
X = a
?- ignore(fail).
true
?- forall(member(X, [1,2,3]), X > 0).
true
?- forall(member(X, [1,2,3]), X > 1).
false
?- not(p(7)).
true
?- catch(throw(my_error), Ball, true).
Ball = my_error
?- catch(undefined_pred_xyz, error(existence_error(procedure, PI), _), true).
PI = undefined_pred_xyz/0
?- catch((member(X, [1,2,3]), X > 1, throw(found(X))), found(Y), true).
Y = 2
?- catch(member(X, [1,2]), _, true).
X = 1
X = 2
?- findall(X-Y, (member(X, [1,2]), member(Y, [a,b])), L).
L = [1-a,1-b,2-a,2-b]
?- findall(X, (member(X, [1,2,3]), !), L).
L = [1]
?- findall(X, fail, L).
L = []
?- findall(X, member(X, [c,b,a]), [A|T]).
A = c, T = [b,a]
?- aggregate_all(count, p(_), N).
N = 3
?- aggregate_all(sum(X), p(X), S).
S = 6
?- aggregate_all(max(X), p(X), M).
M = 3
?- aggregate_all(bag(X), p(X), B).
B = [1,2,3]
?- aggregate_all(set(X), member(X, [b,a,b]), S).
S = [a,b]
?- aggregate_all(max(X-Y), member(X-Y, [1-a, 3-b, 2-c]), M).
error
?- X = 1, ( X == 1 -> Y = one ; X == 2 -> Y = two ; Y = other ).
X = 1, Y = one
?- between(1, 3, X), X > 1.
X = 2
X = 3
?- between(1, inf, X), X > 3, !.
X = 4
?- repeat, !.
true
?- catch(call(1), error(E, _), true).
E = type_error(callable,1)
?- catch(call(_), error(E, _), true).
E = instantiation_error
?- undefined_pred_xyz.
error
?- p(X), undefined_pred_xyz(X).
error
?- catch((X = 1 ; X = 2), _, true), X > 1.
X = 2
?- (X = 1 , ! ; X = 2).
X = 1
?- call((X = 1 , ! ; X = 2)).
X = 1
?- findall(X, (X = 1 ; X = 2), L), L = [_|_].
L = [1,2]
?- true.
true
?- fail.
false
?- false.
false
