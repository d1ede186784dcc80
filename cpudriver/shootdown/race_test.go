//go:build race

package shootdown

// raceEnabled reports whether the race detector is on: it slows the
// explorer, which runs on one goroutine, some tenfold.
const raceEnabled = true
