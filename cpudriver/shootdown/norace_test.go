//go:build !race

package shootdown

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
