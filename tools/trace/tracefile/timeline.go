package tracefile

import (
	"fmt"
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"multikernel/cpudriver/trace"
)

// MaxArrows bounds the messages a timeline draws as arrows; a window
// (tools/trace -from, -to) shows the rest.
const MaxArrows = 20000

// classColor gives each class its colour on the timeline.
var classColor = map[trace.Class]color.RGBA{
	trace.ClassURPC:  {0x1f, 0x77, 0xb4, 0xff},
	trace.ClassIPI:   {0xff, 0x7f, 0x0e, 0xff},
	trace.ClassSys:   {0x7f, 0x7f, 0x7f, 0xff},
	trace.ClassFault: {0xd6, 0x27, 0x28, 0xff},
	trace.ClassSched: {0x2c, 0xa0, 0x2c, 0xff},
	trace.ClassProg:  {0x94, 0x67, 0xbd, 0xff},
	trace.ClassShoot: {0x8c, 0x56, 0x4b, 0xff},
	trace.ClassCap:   {0xe3, 0x77, 0xc2, 0xff},
	trace.ClassMem:   {0x17, 0xbe, 0xcf, 0xff},
}

// laneOffset spreads the classes a little around their core's lane, so
// that marks of different classes at one time stay apart.
func laneOffset(c trace.Class) float64 { return (float64(c) - 4) * 0.06 }

// DrawTimeline draws the records of t in w as a timeline into path
// (.png or .svg by its name): time across in ms, a lane per core, a mark
// per event coloured by class, an arrow from each message's send to its
// receive. It returns how many events and arrows it drew.
func DrawTimeline(path string, t *trace.Trace, w Window) (events, arrows int, err error) {
	p := gplot.New()
	p.Title.Text = fmt.Sprintf("multikernel trace: %d cores", len(t.Cores))
	p.X.Label.Text = "ms since boot"
	p.Y.Label.Text = "core"
	var ticks []gplot.Tick
	for _, c := range t.Cores {
		ticks = append(ticks, gplot.Tick{Value: float64(c), Label: fmt.Sprintf("core %d", c)})
	}
	p.Y.Tick.Marker = gplot.ConstantTicks(ticks)
	p.Add(plotter.NewGrid())
	legend := 0 // lines in the legend
	byClass := map[trace.Class]plotter.XYs{}
	for _, r := range t.Records {
		if w.In(r.Time) {
			c := r.Event.Class()
			byClass[c] = append(byClass[c], plotter.XY{X: ms(r.Time), Y: float64(r.Core) + laneOffset(c)})
			events++
		}
	}
	if events == 0 {
		return 0, 0, fmt.Errorf("timeline: no event in the window")
	}
	msgs, _ := Messages(t)
	for _, m := range msgs {
		if m.Unreceived || !w.In(m.Sent) || !w.In(m.Received) {
			continue
		}
		if arrows == MaxArrows {
			p.Legend.Add(fmt.Sprintf("(only the first %d messages drawn: choose a window)", MaxArrows))
			legend++
			break
		}
		l, lerr := plotter.NewLine(plotter.XYs{{X: ms(m.Sent), Y: float64(m.From)}, {X: ms(m.Received), Y: float64(m.To)}})
		if lerr != nil {
			return 0, 0, lerr
		}
		l.Color = color.NRGBA{0x1f, 0x77, 0xb4, 0x80}
		l.Width = vg.Points(0.5)
		p.Add(l)
		head, _ := plotter.NewScatter(plotter.XYs{{X: ms(m.Received), Y: float64(m.To)}})
		head.GlyphStyle = draw.GlyphStyle{Color: l.Color, Radius: vg.Points(1.5), Shape: draw.TriangleGlyph{}}
		p.Add(head)
		arrows++
	}
	for _, c := range trace.Classes() {
		xys := byClass[c]
		if len(xys) == 0 {
			continue
		}
		s, serr := plotter.NewScatter(xys)
		if serr != nil {
			return 0, 0, serr
		}
		s.GlyphStyle = draw.GlyphStyle{Color: classColor[c], Radius: vg.Points(1.2), Shape: draw.CircleGlyph{}}
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("%s (%d)", c, len(xys)), s)
		legend++
	}
	if arrows > 0 {
		p.Legend.Add(fmt.Sprintf("mesh messages, send to receive (%d)", arrows))
		legend++
	}
	p.Legend.Top = true
	p.Legend.Left = true
	// Room above the top lane for the legend (top left): lanes are
	// 1.2 cm high, a legend line about 0.5 cm.
	lanes := float64(t.Cores[len(t.Cores)-1]-t.Cores[0]) + 1.2
	room := 0.3 * float64(legend)
	p.Y.Min, p.Y.Max = float64(t.Cores[0])-0.6, float64(t.Cores[len(t.Cores)-1])+0.6+room
	height := vg.Length(max(10, 1.2*(lanes+room)+4)) * vg.Centimeter
	if err := p.Save(32*vg.Centimeter, height, path); err != nil {
		return 0, 0, fmt.Errorf("timeline: %w", err)
	}
	return events, arrows, nil
}
