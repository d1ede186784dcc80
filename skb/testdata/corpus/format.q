?- format("hello~n").
hello
true
?- format("~w and ~w~n", [a, "b"]).
a and b
true
?- format("~a~n", [abc]).
abc
true
?- format("~q ~w~n", ['A b', 'A b']).
'A b' A b
true
?- format("~p~n", ['X']).
'X'
true
?- format("~d~n", [42]).
42
true
?- format("~2d~n", [1234]).
12.34
true
?- format("~D~n", [1234567]).
1,234,567
true
?- format("~s~n", [[104, 105]]).
hi
true
?- format("~c~c~n", [104, 105]).
hi
true
?- format("~8r ~16r ~16R~n", [64, 255, 255]).
100 ff FF
true
?- format("~~ tilde~n").
~ tilde
true
?- format("~w~t~10|~w~n", [ab, cd]).
ab        cd
true
?- format("~t~w~10|~w~n", [ab, cd]).
        abcd
true
?- format("~t~d~6|~n", [42]).
    42
true
?- format("[~w]~30|]~n", [x]).
[x]                           ]
true
?- format("~a~t~15+~a~n", [name, value]).
name           value
true
?- format("~w", hello), nl.
hello
true
?- format(atom(A), "~w-~w", [a, b]).
A = 'a-b'
?- format(string(S), "~d", [7]).
S = "7"
?- format(codes(C), "hi", []).
C = [104,105]
?- catch(format("~d", [a]), error(E, _), true).
E = type_error(evaluable,a/0)
?- catch(format("~w ~w", [a]), error(E, _), true).
a E = format('not enough arguments')
?- format("~i~w~n", [skip, shown]).
shown
true
?- format("~*c~n", [3, 0'x]).
xxx
true
?- write(f('A', "s", [1, 2])), nl.
f(A,s,[1,2])
true
?- print(f('A', "s")), nl.
f('A',"s")
true
?- writeq(f('A', 'b c', "s")), nl.
f('A','b c',"s")
true
?- writeln(hello).
hello
true
?- write(- (1)), nl, write(1 - -1), nl, write('a b'), nl.
- 1
1- -1
a b
true
?- write_canonical(f(x)), nl.
f(x)
true
?- tab(3), write(x), nl.
   x
true
?- nl.

true
