package tracefile

import (
	"fmt"
	"io"
	"os"
)

// Convert reads the trace file bin and writes the records in w as
// trace-event JSON into jsonPath and as a timeline into picPath (either
// "" to skip), reporting the summary, what the pictures hold and every
// problem Decode found to log.
func Convert(bin, jsonPath, picPath string, w Window, log io.Writer) error {
	t, err := Read(bin)
	if err != nil {
		return err
	}
	for _, l := range Summary(t) {
		fmt.Fprintf(log, "trace: %s\n", l)
	}
	for _, p := range t.Problems {
		fmt.Fprintf(log, "trace: problem: %s\n", p)
	}
	if jsonPath != "" {
		f, err := os.Create(jsonPath)
		if err != nil {
			return err
		}
		err = WriteJSON(f, t, w)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", jsonPath, err)
		}
		fmt.Fprintf(log, "trace: %s written (open it in Perfetto or chrome://tracing)\n", jsonPath)
	}
	if picPath != "" {
		ev, ar, err := DrawTimeline(picPath, t, w)
		if err != nil {
			return err
		}
		fmt.Fprintf(log, "trace: %s written: %d events, %d messages drawn\n", picPath, ev, ar)
	}
	return nil
}
