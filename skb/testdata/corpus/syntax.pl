% Reader features: comments, quoted atoms, escapes, char codes, strings.
/* a block
   comment */ a(1). % trailing comment
a('quoted atom').
a("a string").
a(0'x).
a(0' ).
a('\x41\\x42\').
a([1, 2 | [3]]).
a({curly, braces}).
a(f(- 1, -1, - a, 1 - 2)).
a('it''s').
a(`abc`).
a(0x10).
a('hello\
world').
a("tab\tnewline\n").
a(- (1)).
a([a|[]]).
a('/*').
a(p :- q).
