package main

import "testing"

func TestParseSpanLine(t *testing.T) {
	r := spanRun{work: map[int]float64{}, result: map[int]string{}}
	for _, l := range []string{
		"[core 0 spanbench] spanbench: cores 4 munmap-ns 123456",
		"spanbench: cores 4 futex-pingpong-ns 98765",
		"[core 3 spanbench] spanbench: cores 4 threads 2 work-ns 5000 result 0x1f",
		"spanbench: cores 4 threads x work-ns 1 result 0x0", // malformed: ignored
	} {
		parseSpanLine(&r, l)
	}
	if r.munmap != 123456 || r.futex != 98765 || r.work[2] != 5000 || r.result[2] != "0x1f" || len(r.work) != 1 {
		t.Errorf("parsed %+v", r)
	}
	if ratio(1, 0) != "-" || ratio(3, 2) != "1.50" {
		t.Errorf("ratio")
	}
}
