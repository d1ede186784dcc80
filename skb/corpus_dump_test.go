package skb

import (
	"os"
	"testing"
)

// TestCorpusDump prints the engine's answers for one corpus file, to
// compare by hand: SKB_DUMP=testdata/corpus/x.q go test -run CorpusDump.
func TestCorpusDump(t *testing.T) {
	q := os.Getenv("SKB_DUMP")
	if q == "" {
		t.Skip("SKB_DUMP not set")
	}
	_, program, queries := readCase(t, q)
	os.Stdout.WriteString(runCorpus(program, queries))
}
