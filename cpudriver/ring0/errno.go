package ring0

// Linux errno values used by the system calls this package answers.
const (
	eNOENT    = 2
	eBADF     = 9
	eAGAIN    = 11
	eNOMEM    = 12
	eFAULT    = 14
	eINVAL    = 22
	eMFILE    = 24
	eNODEV    = 19
	eNOSYS    = 38
	eTIMEDOUT = 110
)

//go:nosplit
func negErrno(e int) uint64 { return uint64(-int64(e)) }
