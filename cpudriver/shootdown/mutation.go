package shootdown

// testMutation breaks the protocol on purpose in one place, so that the
// model check's tests can check that each breakage is caught
// (model_mutation_test.go). It is noMutation except while one of those
// tests runs; nothing else writes it.
var testMutation mutation

// mutation names one deliberate breakage.
type mutation uint8

// The breakages.
const (
	noMutation        mutation = iota
	mutAckEarly                // an aggregator acks on the request, before its children acked
	mutAckFirst                // a leaf acks before it invalidates
	mutSkipTarget              // the initiator leaves out the last core it should send to
	mutCountAcks               // the initiator counts acks without checking who sent them
	mutAnyOp                   // the initiator takes an ack of any of its operations for the current one
	mutNoDedup                 // a participant handles a duplicate request again
	firstTestMutation          // the tests' own breakages start here
)
