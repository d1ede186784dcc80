package plot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite draws a figure with a drawn series and an all-zero one and
// checks both files and the legend; an empty figure and a malformed
// series are errors.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	f := Figure{Title: "t", XLabel: "cores", YLabel: "ns", LogY: true, XTicks: []float64{1, 2, 4},
		Series: []Series{{Name: "a", X: []float64{1, 2, 4}, Y: []float64{10, 0, 40}}, {Name: "zero", X: []float64{1, 2}, Y: []float64{0, 0}}}}
	base := filepath.Join(dir, "fig")
	if err := Write(f, base); err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(base + ".png")
	if err != nil || len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Fatalf("png: %v, %d bytes", err, len(png))
	}
	svg, err := os.ReadFile(base + ".svg")
	if err != nil || !strings.Contains(string(svg), "<svg") {
		t.Fatalf("svg: %v", err)
	}
	if !strings.Contains(string(svg), "zero: 0 at every count, not drawn") {
		t.Errorf("the all-zero series is not named in the legend")
	}
	empty := Figure{Title: "e", LogY: true, Series: []Series{{Name: "z", X: []float64{1}, Y: []float64{0}}}}
	if err := Write(empty, filepath.Join(dir, "e")); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty figure: %v, want ErrEmpty", err)
	}
	bad := Figure{Title: "b", Series: []Series{{Name: "b", X: []float64{1, 2}, Y: []float64{1}}}}
	if err := Write(bad, filepath.Join(dir, "b")); err == nil {
		t.Errorf("a series with 2 x and 1 y values was drawn")
	}
}
