?- functor(foo(a, b), N, A).
N = foo, A = 2
?- functor(T, foo, 3).
T = foo(_A,_B,_C)
?- functor(T, foo, 0).
T = foo
?- functor(abc, N, A).
N = abc, A = 0
?- functor(1, N, A).
N = 1, A = 0
?- functor([a], N, A).
N = '[|]', A = 2
?- arg(2, foo(a, b, c), X).
X = b
?- arg(N, foo(a, b), X).
N = 1, X = a
N = 2, X = b
?- arg(4, foo(a, b, c), X).
false
?- foo(a, b) =.. L.
L = [foo,a,b]
?- T =.. [bar, 1, 2].
T = bar(1,2)
?- T =.. [atom].
T = atom
?- X =.. [1].
X = 1
?- a =.. L.
L = [a]
?- copy_term(f(X, Y, X), C).
C = f(_A,_B,_A)
?- copy_term([A-B, B-A], C), C = [1-2|_].
C = [1-2,2-1]
?- term_variables(f(X, g(Y, X), _), Vs), length(Vs, N).
Vs = [_A,_B,_C], N = 3
?- compare(O, 1, 2).
O = <
?- compare(O, b, a).
O = >
?- compare(O, f(a), f(a)).
O = =
?- compare(O, f(a, b), g(a)).
O = >
?- compare(O, 1, a).
O = <
?- compare(O, "abc", abc).
O = <
?- a == a.
true
?- a == b.
false
?- X == Y.
false
?- X == X.
true
?- f(X) \== f(Y).
true
?- a @< b, 1 @< a, f(a) @> a, "x" @< x.
true
?- f(a, b) @< g(a).
false
?- X = f(Y), Y = 1, X == f(1).
X = f(1), Y = 1
?- a = a.
true
?- f(X, b) = f(a, Y).
X = a, Y = b
?- f(X, X) = f(a, b).
false
?- a \= b.
true
?- X \= a.
false
?- [H|T] = [1, 2, 3].
H = 1, T = [2,3]
?- var(X).
true
?- var(a).
false
?- X = 1, nonvar(X).
X = 1
?- atom(abc), atom([]), \+ atom(1), \+ atom("s"), \+ atom(f(x)).
false
?- integer(3), \+ integer(a), number(3).
true
?- atomic(a), atomic(1), atomic("s"), \+ atomic(f(x)).
true
?- compound(f(x)), \+ compound(a), compound([a]).
true
?- callable(a), callable(f(x)), \+ callable(1).
true
?- is_list([]), \+ is_list(a).
true
?- string("abc"), \+ string(abc).
true
?- ground(f(a, b)), \+ ground(f(a, _)).
true
?- atom_codes(abc, L).
L = [97,98,99]
?- atom_codes(A, [0'h, 0'i]).
A = hi
?- atom_chars(abc, L).
L = [a,b,c]
?- atom_chars(A, [x, y]).
A = xy
?- atom_length(hello, N).
N = 5
?- atom_length('', N).
N = 0
?- char_code(C, 65).
C = 'A'
?- char_code(a, X).
X = 97
?- atom_concat(ab, cd, X).
X = abcd
?- atom_concat(X, Y, abc).
X = '', Y = abc
X = a, Y = bc
X = ab, Y = c
X = abc, Y = ''
?- atom_concat(X, c, abc).
X = ab
?- atom_number('42', N).
N = 42
?- atom_number(A, 42).
A = '42'
?- atom_number(abc, N).
false
?- number_codes(N, "17").
N = 17
?- number_codes(17, L).
L = [49,55]
?- atom_string(A, "xyz").
A = xyz
?- atom_string(abc, S).
S = "abc"
?- upcase_atom('hello World', U).
U = 'HELLO WORLD'
?- downcase_atom('Hello', D).
D = hello
?- atomic_list_concat([a, b, 1], X).
X = ab1
?- atomic_list_concat([a, b, c], '-', X).
X = 'a-b-c'
?- atomic_list_concat(L, ',', 'x,y,z').
L = [x,y,z]
?- term_to_atom(f(X, 'A', "s"), A).
A = 'f(_A,\'A\',"s")'
?- term_to_atom(T, 'foo(bar, [1,2])').
T = foo(bar,[1,2])
?- string_concat("ab", "cd", S).
S = "abcd"
?- string_chars(S, [a, b]).
S = "ab"
?- string_codes("hi", L).
L = [104,105]
?- string_to_atom("abc", A).
A = abc
?- string_length("hello", N).
N = 5
?- atom_length(123, N).
N = 3
?- catch(atom_length(X, N), error(E, _), true).
E = instantiation_error
?- catch(functor(T, foo, -1), error(E, _), true).
E = domain_error(not_less_than_zero,-1)
?- catch(arg(x, f(a), A), error(E, _), true).
E = type_error(integer,x)
