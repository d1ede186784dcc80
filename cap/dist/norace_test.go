//go:build !race

package dist

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
