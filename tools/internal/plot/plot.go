// Package plot draws the benchmark commands' figures (tools/corey and
// the others) as line plots against core counts, PNG and SVG side by
// side, with gonum.org/v1/plot. A figure is data only (Figure, Series);
// Write turns it into files, so a command's tests can check what it
// plots without reading pictures.
package plot

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Figure is one plot: its labels, whether the y axis is logarithmic
// (the x axis is logarithmic when XTicks are given, as core counts
// 1, 2, 4, ... are), and its lines.
type Figure struct {
	Title, XLabel, YLabel string
	LogY                  bool
	// XTicks are the x values labelled on the axis (core counts); when
	// set the x axis is logarithmic and shows exactly these.
	XTicks []float64
	Series []Series
}

// Series is one line: its legend name and its points, X[i] with Y[i].
// A point whose Y is not positive cannot be drawn on a logarithmic axis
// and is left out; a series with no point left is named in the legend
// as "0 at every count, not drawn" rather than dropped in silence.
type Series struct {
	Name string
	X, Y []float64
}

// ErrEmpty is returned for a figure with no point to draw.
var ErrEmpty = errors.New("plot: no point to draw")

// Write draws f into base+".png" and base+".svg".
func Write(f Figure, base string) error {
	p, err := build(f)
	if err != nil {
		return err
	}
	for _, ext := range []string{".png", ".svg"} {
		if err := p.Save(18*vg.Centimeter, 11*vg.Centimeter, base+ext); err != nil {
			return fmt.Errorf("plot %q: %w", f.Title, err)
		}
	}
	return nil
}

// build makes f's plot, or ErrEmpty.
func build(f Figure) (*gplot.Plot, error) {
	p := gplot.New()
	p.Title.Text = f.Title
	p.X.Label.Text, p.Y.Label.Text = f.XLabel, f.YLabel
	p.Legend.Top, p.Legend.Left = true, true
	p.Add(plotter.NewGrid())
	logX := len(f.XTicks) > 0
	if logX {
		p.X.Scale = gplot.LogScale{}
		var ticks []gplot.Tick
		for _, x := range f.XTicks {
			ticks = append(ticks, gplot.Tick{Value: x, Label: strconv.FormatFloat(x, 'g', -1, 64)})
		}
		p.X.Tick.Marker = gplot.ConstantTicks(ticks)
	}
	if f.LogY {
		p.Y.Scale = gplot.LogScale{}
		p.Y.Tick.Marker = gplot.LogTicks{Prec: -1}
	}
	drawn := 0
	for i, s := range f.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("plot %q: series %q has %d x and %d y values", f.Title, s.Name, len(s.X), len(s.Y))
		}
		var xys plotter.XYs
		for j := range s.X {
			if (logX && s.X[j] <= 0) || (f.LogY && s.Y[j] <= 0) || math.IsNaN(s.Y[j]) || math.IsInf(s.Y[j], 0) {
				continue
			}
			xys = append(xys, plotter.XY{X: s.X[j], Y: s.Y[j]})
		}
		if len(xys) == 0 {
			p.Legend.Add(s.Name + ": 0 at every count, not drawn")
			continue
		}
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("plot %q: %w", f.Title, err)
		}
		c := plotutil.Color(i)
		l.Color, pts.Color = c, c
		l.Width = vg.Points(1.5)
		pts.Shape = plotutil.Shape(i)
		l.Dashes = plotutil.Dashes(i)
		p.Add(l, pts)
		p.Legend.Add(s.Name, l, pts)
		drawn++
	}
	if drawn == 0 {
		return nil, fmt.Errorf("%w: %q", ErrEmpty, f.Title)
	}
	// Headroom above the highest point for the legend, which sits top
	// left: a factor on a logarithmic axis, a third on a linear one.
	if f.LogY {
		p.Y.Max *= math.Pow(10, 0.25*float64(len(f.Series)))
	} else {
		p.Y.Max += (p.Y.Max - p.Y.Min) / 3
	}
	p.Legend.ThumbnailWidth = vg.Points(24)
	return p, nil
}
