?- a(X).
X = 1
X = 'quoted atom'
X = "a string"
X = 120
X = 32
X = 'AB'
X = [1,2,3]
X = {curly,braces}
X = f(- 1,-1,-a,1-2)
X = 'it\'s'
X = [97,98,99]
X = 16
X = helloworld
X = "tab\tnewline\n"
X = - 1
X = [a]
X = '/*'
X = p:-q
?- X = "a\x20\b".
X = "a b"
?- X = 'a\u00e9b'.
X = aéb
?- X = "multi""quote".
X = "multi\"quote"
?- X = f(a, (b, c)), X = f(_, Y).
X = f(a,(b,c)), Y = b,c
?- X = [a, b | T], T = [c].
X = [a,b,c], T = [c]
?- X = "", atom_length(X, N).
X = "", N = 0
?- atom_codes(A, "abc").
A = abc
