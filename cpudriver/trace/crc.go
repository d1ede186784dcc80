package trace

// CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320), table-driven:
// the CPU driver must not link hash/crc32, whose assembly uses SSE4.2
// and AVX-512 that an AMD family 10h core lacks (tools/cpuaudit).
var crcTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = c>>1 ^ 0xedb88320
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// crcUpdate returns the CRC-32 of what crc covered followed by b (crc 0
// to start).
func crcUpdate(crc uint32, b []byte) uint32 {
	crc = ^crc
	for _, x := range b {
		crc = crcTable[byte(crc)^x] ^ crc>>8
	}
	return ^crc
}
