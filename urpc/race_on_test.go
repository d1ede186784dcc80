//go:build race

package urpc_test

// raceEnabled is true when the race detector is on: tests then move fewer
// messages.
const raceEnabled = true
