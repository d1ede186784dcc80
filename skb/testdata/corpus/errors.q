?- X = f(.
error
?- X = 'unterminated.
error
?- X = [1, 2.
error
?- foo(X) :- bar.
error
?- X = a b.
error
?- X = 1 + .
error
?- X is 1 +.
error
?- atom_length(1, 2, 3).
error
?- catch(atom_codes(X, Y), error(E, _), true).
E = instantiation_error
?- catch(msort(a, X), error(E, _), true).
E = type_error(list,a)
?- catch(length(L, a), error(E, _), true).
E = type_error(integer,a)
?- catch(sort(0, foo, [], X), error(E, _), true).
E = domain_error(order,foo)
?- catch(atom_length(f(x), N), error(E, _), true).
E = type_error(text,f(x))
?- catch(X =.. Y, error(E, _), true).
E = instantiation_error
?- catch(throw(_), error(E, _), true).
E = instantiation_error
?- catch(number_codes(N, "abc"), error(E, _), true).
E = syntax_error(illegal_number)
?- catch(call((fail, 1)), error(E, _), true).
E = type_error(callable,(fail,1))
?- catch(call((write(hi), 1)), error(E, _), true).
E = type_error(callable,(write(hi),1))
?- catch(assertz((foo :- 4)), error(E, _), true).
E = type_error(callable,4)
?- catch(arg(0, atom, X), error(E, _), true).
E = type_error(compound,atom)
