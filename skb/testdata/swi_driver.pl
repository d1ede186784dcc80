% Runs the queries of a corpus file with SWI-Prolog and prints the answers
% in the format of the SKB host command, for corpus_test.go:
%
%   swipl testdata/swi_driver.pl -- PROGRAM.pl QUERIES.q
%
% Each query line "?- Goal" is echoed, then one line per solution
% ("X = value, Y = value" or "true"), "false" if there was none, and
% "error" if the goal raised an exception.
:- initialization(main, main).

:- dynamic load_error/0.

user:message_hook(_, error, _) :-
    \+ load_error, assertz(load_error), fail.

main :-
    current_prolog_flag(argv, [Program, Queries]),
    ( Program == none -> true ; load_files(user:Program, [silent(true)]) ),
    ( load_error -> format("load error~n"), halt(1) ; true ),
    read_file_to_string(Queries, Text, []),
    split_string(Text, "\n", "", Lines),
    forall(( member(Line, Lines), sub_string(Line, 0, 3, _, "?- ") ), run_line(Line)),
    halt(0).

run_line(Line) :-
    sub_string(Line, 3, _, 0, GoalText),
    format("~s~n", [Line]),
    catch(answers(GoalText), _, format("error~n")).

answers(GoalText) :-
    term_string(Goal, GoalText, [variable_names(Names)]),
    nb_setval(skb_found, false),
    forall(user:Goal, ( nb_setval(skb_found, true), show(Names) )),
    nb_getval(skb_found, Found),
    ( Found == false -> format("false~n") ; true ).

show(Names) :-
    include(visible, Names, Shown),
    ( Shown == [] -> format("true~n") ; show_pairs(Shown), nl ).

visible(Name=Value) :-
    nonvar(Value),
    \+ sub_atom(Name, 0, 1, _, '_').

show_pairs([N=V]) :- !, format("~w = ", [N]), print(V).
show_pairs([N=V|T]) :- format("~w = ", [N]), print(V), format(", "), show_pairs(T).
