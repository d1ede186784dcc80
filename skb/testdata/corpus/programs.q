?- nrev([1,2,3,4,5,6,7,8,9,10], R).
R = [10,9,8,7,6,5,4,3,2,1]
?- path(a, X).
X = b
X = c
X = e
X = d
X = d
?- findall(X-Y, path(X, Y), L), length(L, N).
L = [a-b,b-c,c-d,b-e,e-d,a-c,a-e,a-d,a-d,b-d,b-d], N = 11
?- grandparent(tom, X).
X = ann
X = pat
?- ancestor(tom, X).
X = bob
X = liz
X = ann
X = pat
X = jim
?- ancestor(X, jim).
X = pat
X = tom
X = bob
?- hanoi(3, left, right, middle, M).
M = [left-right,left-middle,right-middle,left-right,middle-left,middle-right,left-right]
?- findall(Q, queens(6, Q), L), length(L, N).
L = [[2,4,6,1,3,5],[3,6,2,5,1,4],[4,1,5,2,6,3],[5,3,1,6,4,2]], N = 4
?- queens(8, Q), !.
Q = [1,5,8,6,3,7,2,4]
?- fib(15, F).
F = 610
?- len([a,b,c,d], N).
N = 4
?- qsort([3,1,4,1,5,9,2,6,5,3,5], S).
S = [1,1,2,3,3,4,5,5,5,6,9]
?- rule(R).
R = a===>b
R = x of y of z===>w
?- rule(A ===> B), B == w.
A = x of y of z, B = w
?- X = (p ===> q), X =.. L.
X = p===>q, L = [===>,p,q]
