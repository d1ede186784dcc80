package ring0

//go:nosplit
func negErrno(e int) uint64 { return uint64(-int64(e)) }
