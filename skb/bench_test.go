package skb

import "testing"

const benchNrev = `
app([], L, L).
app([H|T], L, [H|R]) :- app(T, L, R).
nrev([], []).
nrev([H|T], R) :- nrev(T, RT), app(RT, [H], R).
range(N, N, [N]) :- !.
range(I, N, [I|T]) :- I1 is I + 1, range(I1, N, T).
bench(N) :- range(1, 30, L), ( between(1, N, _), nrev(L, _), fail ; true ).
`

// BenchmarkNrev30 runs naive reverse of a 30-element list (496 logical
// inferences) b.N times.
func BenchmarkNrev30(b *testing.B) {
	e := New(Options{MaxSteps: 1 << 62})
	if err := e.Consult("nrev", benchNrev); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	q, err := e.Query("bench(" + itoa(b.N) + ")")
	if err != nil {
		b.Fatal(err)
	}
	if ok, err := q.Next(); !ok || err != nil {
		b.Fatal(ok, err)
	}
	b.ReportMetric(float64(496*b.N)/b.Elapsed().Seconds()/1e6, "MLIPS")
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}
