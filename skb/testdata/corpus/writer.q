?- X = (a:-b), Y = f((a,b)), Z = f((a:-b)).
X = a:-b, Y = f((a,b)), Z = f((a:-b))
?- X = -(1), Y = -(-(1)), Z = -a, W = -(-(a)).
X = - 1, Y = - - 1, Z = -a, W = - -a
?- X = 1 - -1, Y = (a = -1), Z = (a=(\+b)).
X = 1- -1, Y = a= -1, Z = a=(\+b)
?- X = f(+), Y = [+], Z = -(+), W = \+ (-).
error
?- X = 1+2*3, Y = (1+2)*3, Z = 2-(3-4), W = 1-2-3.
X = 1+2*3, Y = (1+2)*3, Z = 2-(3-4), W = 1-2-3
?- X = a:b:c, Y = (a,b), Z = 'hello world', W = [].
X = a:b:c, Y = a,b, Z = 'hello world', W = []
?- Y = {}, Z = {a}, W = {a,b}.
Y = {}, Z = {a}, W = {a,b}
?- X = 'A', Y = (f(x) is g), Z = (1 is 2), W = '\n'.
X = 'A', Y = f(x)is g, Z = 1 is 2, W = '\n'
?- X = "str\"ing\n", Y = 'don''t', Z = ';', W = ','.
X = "str\"ing\n", Y = 'don\'t', Z = ;, W = ','
?- X = '|', Y = !, Z = f(!, ;), W = [a|b].
X = '|', Y = !, Z = f(!,;), W = [a|b]
?- X = '$VAR'(1), Y = '$VAR'(27), Z = f('$VAR'(0)).
X = B, Y = B1, Z = f(A)
?- X = - - - a, Y = \+ \+ a, Z = f(- 1), W = -(1)+2.
error
?- X = (-1)+2, Y = 1 + (-(1)), Z = f((a;b)), W = [a:-b].
X = -1+2, Y = 1+ - 1, Z = f((a;b)), W = [(a:-b)]
?- X = [(a,b)], Y = f(-), Z = -(-), W = a-(-).
X = [(a,b)], Y = f(-), Z = - (-), W = a-(-)
?- Y = f(dynamic), Z = (dynamic)-1.
Y = f(dynamic), Z = (dynamic)-1
?- X = -(1+2), Y = -(a+b), Z = -f(x), W = (a->b;c).
X = - (1+2), Y = - (a+b), Z = -f(x), W = a->b;c
?- X = @(a), Y = '\t', Z = '', W = 'Été'.
X = @(a), Y = '\t', Z = '', W = 'Été'
?- X = [a,'B'|'C'], Y = (1 rem 2), Z = a mod b, W = -(a mod b).
X = [a,'B'|'C'], Y = 1 rem 2, Z = a mod b, W = - (a mod b)
?- X = f(a mod b), Y = (1 = (2 = 3)), Z = ((1=2)=3), W = (a=(:-)).
X = f(a mod b), Y = 1=(2=3), Z = (1=2)=3, W = a=(:-)
?- X = (p :- (a,b;c->d)), Y = 0'a, Z = 0x1F, W = 0b101.
X = p:-a,b;c->d, Y = 97, Z = 31, W = 5
?- X = '/*', Y = (//), Z = f(','), W = f('|').
X = '/*', Y = //, Z = f(','), W = f('|')
?- X = f([]), Y = -([]), Z = -([1]), W = -((1,2)).
X = f([]), Y = -[], Z = -[1], W = - (1,2)
?- X = -(-1), Y = -(- 1), Z = 1*(-1), W = (-1)*1.
X = - -1, Y = - - 1, Z = 1* -1, W = -1*1
?- X = -1^2, Y = (-1)^2, Z = -(1)^2, W = -(1^2).
X = -1^2, Y = -1^2, Z = (- 1)^2, W = - 1^2
?- X = a*(b,c), Y = 2**3, Z = 2^3^4, W = (2^3)^4.
X = a*(b,c), Y = 2**3, Z = 2^3^4, W = (2^3)^4
?- X = (a=..b), Y = \a, Z = \ (\a), W = f(a-(b:-c)).
X = a=..b, Y = \a, Z = \ \a, W = f(a-(b:-c))
?- X = '\\', Y = (a\=b), Z = [a|[]], W = f(a, -1).
X = \, Y = a\=b, Z = [a], W = f(a,-1)
?- X = - a, Y = -(3,4), Z = "", W = "it's".
X = -a, Y = 3-4, Z = "", W = "it's"
?- X = 'hello'(world), Y = 'Hello'(world), Z = [](a), W = {}(x).
X = hello(world), Y = 'Hello'(world), Z = [](a), W = {x}
?- X = f(A, B, A), Y = g(_C), Z = [A|B].
X = f(_A,_B,_A), Y = g(_C), Z = [_A|_B]
?- X = 'a\\b', Y = 'tab\there', Z = 'x\x41\y', W = "\\".
X = 'a\\b', Y = 'tab\there', Z = xAy, W = "\\"
?- X = aBc, Y = a_b, Z = 'a-b', W = [a, 'b c', "d"].
X = aBc, Y = a_b, Z = 'a-b', W = [a,'b c',"d"]
?- X = 'éa', Y = 'αβ', Z = [], W = '{}'.
X = éa, Y = αβ, Z = [], W = {}
?- X = (a:-b:-c).
error
?- X = (:- a), Y = (?- a), Z = (a-->b).
X = :-a, Y = ?-a, Z = a-->b
?- X = (a|b).
X = a|b
?- X = 1 + 2 + 3, Y = 1 + (2 + 3), Z = 1 * (2 + 3) * 4.
X = 1+2+3, Y = 1+(2+3), Z = 1*(2+3)*4
?- X = (a , b ; c -> d), Y = ((a , b) ; c), Z = (a , (b ; c)).
X = a,b;c->d, Y = a,b;c, Z = a,(b;c)
?- X = f(;), Y = (;), Z = [;], W = (a ; b).
X = f(;), Y = ;, Z = [;], W = a;b
?- X = - (-), Y = [-], Z = - [-].
X = - (-), Y = [-], Z = -[-]
?- X = 1 - (2 - (3 - 4)), Y = ((1 - 2) - 3) - 4.
X = 1-(2-(3-4)), Y = 1-2-3-4
?- X = 2 ** -1, Y = 2 ^ (-1), Z = - (2 ** 3).
X = 2** -1, Y = 2^ -1, Z = - 2**3
?- X = f(:-, a).
X = f(:-,a)
?- X = f(a, :- ).
X = f(a,:-)
?- X = (a :- b, c), Y = [a, b | c].
X = a:-b,c, Y = [a,b|c]
