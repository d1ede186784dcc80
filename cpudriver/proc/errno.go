package proc

// Linux errno values.
const (
	ePERM     = 1
	eNOENT    = 2
	eSRCH     = 3
	eINTR     = 4
	eBADF     = 9
	eAGAIN    = 11
	eNOMEM    = 12
	eFAULT    = 14
	eBUSY     = 16
	eEXIST    = 17
	eINVAL    = 22
	eMFILE    = 24
	eNODEV    = 19
	ePIPE     = 32
	eNOSYS    = 38
	eTIMEDOUT = 110
)
