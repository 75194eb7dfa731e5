package ui

import (
	"fmt"
	"math"
	"strings"

	"ceedesk/cases"
	"ceedesk/themes"
)

// The charts of the workload board. Each is drawn in block characters with its numbers beside it, so that it reads
// without colour; colour only repeats what a glyph or a word already says. Every line fits the width it is given.

// holderGlyphs are the parts of a holder's bar, as `ceedesk report` draws them: overdue, due this week, later.
// Each is its own shape.
var holderGlyphs = []rune{'█', '▓', '░'}

// onTimeGlyphs are the parts of the on-time bar: decisions that met their clock, and those that did not.
var onTimeGlyphs = []rune{'█', '░'}

// columnBlocks are a column's top cell filled by eighths, from one eighth to full.
var columnBlocks = []rune{'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// tableCol is one column of a table laid out from its data: it is as wide as its heading or its widest cell,
// whichever is wider, so that a wide number never runs into its neighbour.
type tableCol struct {
	head, short string   // the heading, and a shorter one for a narrow screen ("" = the same)
	right       bool     // right-aligned (numbers)
	cells       []string // one per line of the table
	limit       int      // the widest it may be, longer cells cut with … (0: no limit)
	drop        int      // the order columns leave a screen too narrow for all (0: never)
}

// tableLayout is how a table fits a width: the columns shown, each one's width, and whether the short headings
// are used.
type tableLayout struct {
	shown  []int
	widths []int
	short  bool
}

// layoutTable fits cols in w cells after a prefix of indent cells, with gap cells between columns: first with the
// full headings, then the short ones, then without the columns that drop, in their order, until it fits. A table
// that fits no way is drawn with every column that never drops, cut at the screen's edge.
func layoutTable(cols []tableCol, indent, gap, w int) tableLayout {
	widthOf := func(c tableCol, short bool) int {
		h := c.head
		if short && c.short != "" {
			h = c.short
		}
		n := width(h)
		for _, s := range c.cells {
			n = max(n, width(s))
		}
		if c.limit > 0 {
			n = min(n, max(c.limit, width(h)))
		}
		return n
	}
	try := func(dropped int, short bool) (tableLayout, bool) {
		l := tableLayout{short: short}
		total := indent
		for i, c := range cols {
			if c.drop > 0 && c.drop <= dropped {
				continue
			}
			cw := widthOf(c, short)
			if len(l.shown) > 0 {
				total += gap
			}
			total += cw
			l.shown, l.widths = append(l.shown, i), append(l.widths, cw)
		}
		return l, total <= w
	}
	if l, ok := try(0, false); ok {
		return l
	}
	drops := 0
	for _, c := range cols {
		drops = max(drops, c.drop)
	}
	var l tableLayout
	for d := 0; d <= drops; d++ {
		var ok bool
		if l, ok = try(d, true); ok {
			return l
		}
	}
	return l
}

// heading is the table's heading line, without its indent.
func (l tableLayout) heading(cols []tableCol, gap int) string {
	parts := make([]string, len(l.shown))
	for j, i := range l.shown {
		h := cols[i].head
		if l.short && cols[i].short != "" {
			h = cols[i].short
		}
		parts[j] = l.cell(cols[i], j, h)
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

// line is line n of the table, without its indent.
func (l tableLayout) line(cols []tableCol, gap, n int) string {
	parts := make([]string, len(l.shown))
	for j, i := range l.shown {
		s := ""
		if n < len(cols[i].cells) {
			s = cols[i].cells[n]
		}
		parts[j] = l.cell(cols[i], j, s)
	}
	return strings.Join(parts, strings.Repeat(" ", gap))
}

func (l tableLayout) cell(c tableCol, j int, s string) string {
	if c.right {
		return fitLeft(s, l.widths[j])
	}
	return fit(s, l.widths[j])
}

// charts draws the workload board's charts from a Report, for one session's styles.
type charts struct {
	st    themes.Styles
	r     cases.Report
	today cases.Date
}

// holders is the open cases of each holder as a stacked bar (overdue, due this week, later), with the three
// numbers beside their glyphs; cursor marks the holder under the board's cursor ("" for the cases nobody holds,
// -1 for none).
func (c charts) holders(w int, cursor int) []string {
	st := c.st
	g := holderGlyphs
	out := []string{" " + st.Section.Render("Open cases by holder") + st.Muted.Render(fmt.Sprintf("  %c overdue  %c due this week  %c later", g[0], g[1], g[2]))}
	if len(c.r.Holders) == 0 {
		return append(out, st.Muted.Render("   nobody in this Center holds cases yet"))
	}
	nameW, overW, weekW, laterW, top := 6, 1, 1, 1, 0
	for _, l := range c.r.Holders {
		n := l.Counts
		nameW = max(nameW, width(one(cases.HolderName(l.User))))
		overW = max(overW, digits(n.Overdue))
		weekW = max(weekW, digits(n.DueWeek))
		laterW = max(laterW, digits(later(n)))
		top = max(top, n.Open)
	}
	nameW = min(nameW, 16)
	// "   name  █ 28  ▓ 8  ░ 172  bar"
	fixed := 3 + nameW + 2 + (2 + overW) + 2 + (2 + weekW) + 2 + (2 + laterW) + 2
	barW := max(w-fixed-1, 4)
	for i, l := range c.r.Holders {
		n := l.Counts
		cur := "   "
		if i == cursor {
			cur = " > "
		}
		nums := fmt.Sprintf("%c %*d  %c %*d  %c %*d", g[0], overW, n.Overdue, g[1], weekW, n.DueWeek, g[2], laterW, later(n))
		bar := cases.StackedBar([]int{n.Overdue, n.DueWeek, later(n)}, g, top, barW)
		out = append(out, fit(cur+fit(one(cases.HolderName(l.User)), nameW)+"  "+nums+"  "+bar, w))
	}
	return out
}

// later is the open cases due after this week.
func later(n cases.Counts) int { return max(n.Open-n.Overdue-n.DueWeek, 0) }

// aging is the open cases by the days to their clock, one bar a bucket.
func (c charts) aging(w int) []string {
	st := c.st
	out := []string{" " + st.Section.Render("Open cases by days to their clock")}
	labelW, numW := 0, 1
	values := make([]int, len(c.r.Aging))
	for i, b := range c.r.Aging {
		labelW = max(labelW, width(b.Label))
		numW = max(numW, digits(b.Cases))
		values[i] = b.Cases
	}
	barW := max(w-3-labelW-2-numW-2-1, 4)
	for i, bar := range cases.Bars(values, barW) {
		b := c.r.Aging[i]
		line := fit("   "+fit(b.Label, labelW)+"  "+fitLeft(fmt.Sprint(b.Cases), numW)+"  "+bar, w)
		switch {
		case b.Max < 0:
			line = st.Overdue.Render(line)
		case b.Min >= 0 && b.Max <= 7:
			line = st.DueSoon.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// weeks is the decisions made final each week as columns of height h, the count above each and, below, the
// Monday of the week and the share of its decisions that met their clock. A screen too narrow for the columns
// gets one bar a week instead.
func (c charts) weeks(w, h int) []string {
	st := c.st
	ws := c.r.Weeks
	title := fmt.Sprintf("Decisions per week, last %d weeks", len(ws))
	if len(ws) == 0 {
		return nil
	}
	top := 0
	for _, wk := range ws {
		top = max(top, wk.Decided)
	}
	if top == 0 {
		return []string{" " + st.Section.Render(title), st.Muted.Render(fmt.Sprintf("   no decision since %s", ws[0].Start))}
	}
	colW := min((w-3)/len(ws), 10)
	if colW < 6 {
		return c.weekBars(w)
	}
	out := []string{" " + st.Section.Render(title) + st.Muted.Render("  (below: the week's Monday, % on time)")}
	barW := max(colW-2, 1)
	centre := func(s string) string {
		pad := max(colW-width(s), 0)
		return strings.Repeat(" ", pad/2) + s + strings.Repeat(" ", pad-pad/2)
	}
	var b strings.Builder
	b.WriteString("   ")
	for _, wk := range ws {
		b.WriteString(centre(fmt.Sprint(wk.Decided)))
	}
	out = append(out, b.String())
	eighths := make([]int, len(ws))
	for i, wk := range ws {
		if wk.Decided > 0 && top > 0 {
			eighths[i] = max(int((int64(wk.Decided)*int64(h)*8+int64(top)/2)/int64(top)), 1)
		}
	}
	for row := h - 1; row >= 0; row-- {
		b.Reset()
		b.WriteString("   ")
		for i := range ws {
			level := eighths[i] - row*8
			cell := " "
			switch {
			case level >= 8:
				cell = "█"
			case level > 0:
				cell = string(columnBlocks[level-1])
			}
			b.WriteString(centre(strings.Repeat(cell, barW)))
		}
		out = append(out, b.String())
	}
	b.Reset()
	b.WriteString("   ")
	for _, wk := range ws {
		b.WriteString(centre(wk.Start.String()[5:]))
	}
	out = append(out, st.Muted.Render(b.String()))
	b.Reset()
	b.WriteString("   ")
	for _, wk := range ws {
		b.WriteString(centre(percent(wk.OnTime, wk.Decided)))
	}
	out = append(out, st.Muted.Render(b.String()))
	return out
}

// weekBars is the weeks' decisions as one bar a week, for a narrow screen.
func (c charts) weekBars(w int) []string {
	st := c.st
	ws := c.r.Weeks
	out := []string{" " + st.Section.Render(fmt.Sprintf("Decisions per week, last %d weeks", len(ws)))}
	values := make([]int, len(ws))
	numW := 1
	for i, wk := range ws {
		values[i] = wk.Decided
		numW = max(numW, digits(wk.Decided))
	}
	barW := max(w-3-5-2-numW-2-5-1, 4)
	for i, bar := range cases.Bars(values, barW) {
		wk := ws[i]
		out = append(out, fit("   "+wk.Start.String()[5:]+"  "+fitLeft(fmt.Sprint(wk.Decided), numW)+"  "+fit(bar, barW)+" "+fitLeft(percent(wk.OnTime, wk.Decided), 4), w))
	}
	return out
}

// onTime is the share of the weeks' decisions that met their clock, as a bar of met and missed clocks.
func (c charts) onTime(w int) []string {
	st := c.st
	r := c.r
	out := []string{" " + st.Section.Render("Clocks met on time") + st.Muted.Render(fmt.Sprintf("  decisions of the last %d weeks  %c met  %c late", len(r.Weeks), onTimeGlyphs[0], onTimeGlyphs[1]))}
	share, ok := r.OnTimeShare()
	if !ok {
		return append(out, st.Muted.Render(fmt.Sprintf("   no decision in the last %d weeks", len(r.Weeks))))
	}
	nums := fmt.Sprintf("%.1f%%  %d of %d", math.Floor(1000*share)/10, r.OnTime, r.Decided)
	barW := max(w-3-2-width(nums)-1, 4)
	bar := cases.StackedBar([]int{r.OnTime, r.Decided - r.OnTime}, onTimeGlyphs, r.Decided, barW)
	return append(out, fit("   "+bar+"  "+nums, w))
}

// percent is part of all as a whole percentage, or "-" when all is zero.
func percent(part, all int) string {
	if all == 0 {
		return "-"
	}
	return fmt.Sprintf("%d%%", part*100/all) // down, so that a week with a clock missed never reads 100%
}

func digits(n int) int { return len(fmt.Sprint(n)) }
