package dist

// testMutation breaks the protocol on purpose in one place, so that the
// explorer's tests can check that each breakage is caught
// (mutation_test.go). It is noMutation except while one of those tests
// runs: they set it, explore, and set it back; nothing else writes it.
var testMutation mutation

// mutation names one deliberate breakage of the protocol.
type mutation uint8

// The breakages the protocol can be built with.
const (
	noMutation        mutation = iota
	mutAlwaysAbort             // the coordinator aborts (as a conflict) even when every core voted yes
	mutForgetOther             // a deleting coordinator does not say it keeps another copy
	mutOwnerMoves              // an owner that keeps another copy hands ownership on all the same
	mutAlwaysWait              // a busy lock always queues (wait, not wait-die)
	mutSkipOverlap             // retype skips the overlap check
	mutReleaseOnYes            // a participant releases its lock after voting yes
	firstTestMutation          // the tests' own breakages (of the world around the protocol) start here
)
