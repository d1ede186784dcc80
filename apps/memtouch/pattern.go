package main

// The content memtouch writes: every word of every page is its own. A
// page's words are derived from the page's index and a seed drawn for
// each round at random, so no two pages of a round hold the same content,
// and a page of an earlier round (or of another program) matches only by
// chance of one in 2^64.

const (
	pageSize  = 4096
	pageWords = pageSize / 8
)

// pageWord is the word w (0 to pageWords-1) of page i in a round seeded
// with seed: splitmix64's finaliser, a bijection of 64-bit words, applied
// to seed + i*pageWords + w. Distinct (i, w) give distinct words within a
// round (for i below 2^55).
func pageWord(seed, i, w uint64) uint64 {
	x := seed + i*pageWords + w
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// sampled are the words of page i that touch writes and checks (writing
// every word of hundreds of MiB is slow under emulation): the first, the
// last, and one between that moves with the page's index.
func sampled(i uint64) [3]uint64 {
	return [3]uint64{0, 1 + i%(pageWords-2), pageWords - 1}
}
