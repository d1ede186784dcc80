?- counter(X).
X = 0
?- inc, inc, counter(X).
X = 2
?- other(X).
false
?- assert(other(1)), assertz(other(2)), asserta(other(0)), findall(X, other(X), L).
L = [0,1,2]
?- retract(other(1)), findall(X, other(X), L).
L = [0,2]
?- retract(fact(X, 2)).
X = b
?- findall(K-V, fact(K, V), L).
L = [a-1,c-3]
?- retractall(fact(_, _)), findall(K, fact(K, _), L).
L = []
?- assert(fact(z, 26)), fact(z, N).
N = 26
?- assert((double(X, Y) :- Y is X * 2)), double(4, R).
R = 8
?- clause(double(A, B), Body).
Body = _A is _B*2
?- clause(counter(X), true).
X = 2
?- catch(assert(static_pred(y)), error(E, _), true).
E = permission_error(modify,static_procedure,static_pred/1)
?- catch(assert(atom(y)), error(E, _), true).
E = permission_error(modify,static_procedure,atom/1)
?- catch(assert(foo :- 1), error(E, _), true).
E = type_error(callable,1)
?- catch(assert(_), error(E, _), true).
E = instantiation_error
?- assert(newpred(1)), newpred(X).
X = 1
?- retract(nonexistent(_)).
false
?- assert(cnt(0)), ( between(1, 5, _), retract(cnt(C)), C1 is C + 1, assert(cnt(C1)), fail ; true ), cnt(N).
N = 5
?- assert(q(1)), assert(q(2)), ( q(X), assert(q(3)), fail ; true ), findall(Y, q(Y), L).
L = [1,2,3,3]
?- assert(r(1)), assert(r(2)), ( retract(r(X)), fail ; true ), findall(Y, r(Y), L).
L = []
?- undefined_dynamic_xyz(1).
error
