// Command skbbench measures the SKB engine against SWI-Prolog in the same
// run:
//
//	go run ./tools/skbbench [-swipl PATH] [-scale N]
//
// It runs three workloads on both systems: naive reverse of a 30-element
// list many times (496 logical inferences each, the classic LIPS
// benchmark), the transitive closure of a 200-node graph, and the
// 16-core multicast tree of the 4x4 Opteron topology (skb/programs). For
// each it prints the time, the inferences each system counts, logical
// inferences per second, and the ratio of the times (engine / SWI). For
// naive reverse both LIPS figures use the nominal 496 inferences per
// iteration; elsewhere each system's own count. Without swipl it reports
// the engine alone.
package main
