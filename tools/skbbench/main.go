package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"multikernel/skb"
)

// result is one system's figures for one workload.
type result struct {
	inferences int64
	seconds    float64
}

func main() {
	swiplFlag := flag.String("swipl", "swipl", "SWI-Prolog executable; empty to skip")
	scale := flag.Int("scale", 1, "multiply the iteration counts")
	flag.Parse()
	ws, err := workloads(max(*scale, 1))
	if err != nil {
		fail(err)
	}
	swipl := ""
	if *swiplFlag != "" {
		if p, err := exec.LookPath(*swiplFlag); err == nil {
			swipl = p
		}
	}
	fmt.Printf("%-12s %14s %9s %12s | %14s %9s %12s | %8s\n",
		"workload", "engine LI", "s", "LIPS", "swipl LI", "s", "LIPS", "time x")
	for _, w := range ws {
		eng, err := runEngine(w)
		if err != nil {
			fail(fmt.Errorf("%s: engine: %w", w.name, err))
		}
		line := fmt.Sprintf("%-12s %14d %9.3f %12s", w.name, eng.inferences, eng.seconds, lips(w, eng))
		if swipl != "" {
			swi, err := runSWI(swipl, w)
			if err != nil {
				fail(fmt.Errorf("%s: swipl: %w", w.name, err))
			}
			line += fmt.Sprintf(" | %14d %9.3f %12s | %8.2f", swi.inferences, swi.seconds, lips(w, swi), eng.seconds/swi.seconds)
		}
		fmt.Println(line)
	}
	for _, w := range ws {
		fmt.Printf("  %s: %s\n", w.name, w.describe)
	}
	if swipl == "" {
		fmt.Println("swipl not found: engine figures only")
	}
}

// lips formats logical inferences per second.
func lips(w workload, r result) string {
	n := r.inferences
	if w.nominal > 0 {
		n = w.nominal
	}
	return fmt.Sprintf("%.2fM", float64(n)/r.seconds/1e6)
}

func runEngine(w workload) (result, error) {
	e := skb.New(skb.Options{MaxSteps: 1 << 62})
	if err := e.Consult(w.name, w.program); err != nil {
		return result{}, err
	}
	q, err := e.Query(w.goal)
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	ok, err := q.Next()
	elapsed := time.Since(start).Seconds()
	if err != nil {
		return result{}, err
	}
	if !ok {
		return result{}, fmt.Errorf("%s failed", w.goal)
	}
	return result{inferences: q.Inferences(), seconds: elapsed}, nil
}

// swiHarness times the goal inside SWI-Prolog, so start-up and loading
// are not counted.
const swiHarness = `
:- initialization(main, main).
main :-
    garbage_collect,
    statistics(inferences, I0), get_time(T0),
    ( GOAL -> true ; format(user_error, "goal failed~n", []), halt(1) ),
    get_time(T1), statistics(inferences, I1),
    I is I1 - I0, T is T1 - T0,
    format("~w ~6f~n", [I, T]).
`

func runSWI(swipl string, w workload) (result, error) {
	dir, err := os.MkdirTemp("", "skbbench")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, w.name+".pl")
	text := w.program + strings.Replace(swiHarness, "GOAL", w.goal, 1)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		return result{}, err
	}
	out, err := exec.Command(swipl, file).Output()
	if err != nil {
		return result{}, err
	}
	fields := strings.Fields(string(out))
	if len(fields) != 2 {
		return result{}, fmt.Errorf("unexpected output %q", out)
	}
	inf, err1 := strconv.ParseInt(fields[0], 10, 64)
	secs, err2 := strconv.ParseFloat(fields[1], 64)
	if err1 != nil || err2 != nil {
		return result{}, fmt.Errorf("unexpected output %q", out)
	}
	return result{inferences: inf, seconds: secs}, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "skbbench:", err)
	os.Exit(1)
}
