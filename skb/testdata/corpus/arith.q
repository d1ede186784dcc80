?- X is 1 + 2 * 3 - 4.
X = 3
?- X is 7 // 2, Y is -7 // 2, Z is 7 mod -2, W is -7 mod 2.
X = 3, Y = -3, Z = -1, W = 1
?- X is 7 rem -2, Y is -7 rem 2, Z is -7 div 2.
X = 1, Y = -1, Z = -4
?- X is min(3, 4), Y is max(3, 4), Z is abs(-5), W is sign(-3).
X = 3, Y = 4, Z = 5, W = -1
?- X is 2 ** 10, Y is 2 ^ 62, Z is -(3), W is - 3.
X = 1024, Y = 4611686018427387904, Z = -3, W = -3
?- X is 5 /\ 3, Y is 5 \/ 3, Z is 5 xor 3, W is \ 5.
X = 1, Y = 7, Z = 6, W = -6
?- X is 1 << 10, Y is 1024 >> 3, Z is gcd(12, 18), W is msb(1000).
X = 1024, Y = 128, Z = 6, W = 9
?- X is 6 / 3.
X = 2
?- catch(X is 1 / 0, error(E, _), true).
E = evaluation_error(zero_divisor)
?- catch(X is 1 // 0, error(E, _), true).
E = evaluation_error(zero_divisor)
?- catch(X is 1 mod 0, error(E, _), true).
E = evaluation_error(zero_divisor)
?- catch(X is foo + 1, error(E, _), true).
E = type_error(evaluable,foo/0)
?- catch(X is Y + 1, error(E, _), true).
E = instantiation_error
?- catch(X is foo(1, 2), error(E, _), true).
E = type_error(evaluable,foo/2)
?- X is "a" + 0.
X = 97
?- 1 + 2 =:= 3.
true
?- 1 + 2 =\= 3.
false
?- 1 < 2, 2 =< 2, 3 > 2, 3 >= 3.
true
?- 2 < 1.
false
?- X = 3, X * 2 > 5.
X = 3
?- catch(a < 1, error(E, _), true).
E = type_error(evaluable,a/0)
?- succ(3, X).
X = 4
?- succ(X, 4).
X = 3
?- succ(X, 0).
false
?- plus(1, 2, X).
X = 3
?- plus(1, X, 5).
X = 4
?- X is 3, Y is X * X.
X = 3, Y = 9
?- X is 123456789 * 1000.
X = 123456789000
?- X is -(-(-(4))).
X = -4
?- X is 17 mod 5 + 17 // 5 * 5.
X = 17
?- X is cot.
error
?- X = 5, Y is X + 1, Y == 6.
X = 5, Y = 6
?- X is 0b1010 + 0o17 + 0xff + 0'a.
X = 377
?- between(1, 5, X), 0 is X mod 2.
X = 2
X = 4
?- between(3, 1, X).
false
?- between(1, 1, X).
X = 1
?- X is truncate(7), Y is integer(8).
X = 7, Y = 8
