package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"ceedesk/cases"
)

// The glyphs of the holders' chart: overdue, due this week, later. Each is its own shape, so the chart reads
// without colour.
var holderGlyphs = []rune{'█', '▓', '░'}

func cmdReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("report")
	center := fs.String("center", "", "the Center (default: yours)")
	format := fs.String("format", "text", "text or csv")
	width := fs.Int("width", 80, "the width of the text report, in columns (60 to 400)")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", cases.CleanLine(pos[0]))
	}
	if *format != "text" && *format != "csv" {
		return usagef("--format %q: want text or csv", cases.CleanLine(*format))
	}
	if *width < 60 || *width > 400 {
		return usagef("--width %d: want 60 to 400 columns", *width)
	}
	c := *center
	if c == "" {
		u, err := actor(env, "know your Center (or pass --center)")
		if err != nil {
			return err
		}
		c = u.Center
	}
	r, err := env.Store.Report(who(env), c, env.Today)
	if err != nil {
		return err
	}
	if *format == "csv" {
		return WriteReportCSV(env.Stdout, r)
	}
	WriteReport(env.Stdout, r, *width)
	return nil
}

// WriteReport prints a Center's figures for managers, as text that reads without colour: each figure as a number
// and a bar of block characters, every line within width columns (60 at least).
func WriteReport(w io.Writer, r cases.Report, width int) {
	fmt.Fprintf(w, "Center at a glance: %s, as of %s\n", cases.CleanLine(r.Center), r.Today)
	if c, err := cases.LookupCenter(r.Center); err == nil {
		fmt.Fprintf(w, "%s, %s\n", c.Name, c.City)
	}

	// holders: name, open, overdue, due this week, then the stacked bar
	const nameW = 14
	barW := max(width-nameW-1-3*9-2, 8)
	top := 0
	for _, l := range r.Holders {
		top = max(top, l.Counts.Open)
	}
	fmt.Fprintf(w, "\nOpen cases by holder   %c overdue  %c due this week  %c later\n", holderGlyphs[0], holderGlyphs[1], holderGlyphs[2])
	fmt.Fprintf(w, "%-*s %8s %8s %8s\n", nameW, "HOLDER", "OPEN", "OVERDUE", "WEEK")
	for _, l := range r.Holders {
		c := l.Counts
		bar := cases.StackedBar([]int{c.Overdue, c.DueWeek, c.Open - c.Overdue - c.DueWeek}, holderGlyphs, top, barW)
		fmt.Fprintf(w, "%-*s %8d %8d %8d  %s\n", nameW, truncate(cases.CleanLine(cases.HolderName(l.User)), nameW), c.Open, c.Overdue, c.DueWeek, bar)
	}
	fmt.Fprintf(w, "%-*s %8d %8d %8d\n", nameW, "total", r.Total.Open, r.Total.Overdue, r.Total.DueWeek)

	// aging
	fmt.Fprintln(w, "\nOpen cases by days to their clock")
	ages := make([]int, len(r.Aging))
	for i, b := range r.Aging {
		ages[i] = b.Cases
	}
	barW = max(width-nameW-1-8-2, 8)
	for i, bar := range cases.Bars(ages, barW) {
		fmt.Fprintf(w, "%-*s %8d  %s\n", nameW, r.Aging[i].Label, ages[i], bar)
	}

	// decisions per week
	fmt.Fprintf(w, "\nDecisions per week, last %d weeks (on time: by the due date)\n", len(r.Weeks))
	decided := make([]int, len(r.Weeks))
	for i, wk := range r.Weeks {
		decided[i] = wk.Decided
	}
	const weekW = len("week of 2006-01-02")
	barW = max(width-weekW-1-6-2-len("  123 on time (to date)"), 8)
	for i, bar := range cases.Bars(decided, barW) {
		wk := r.Weeks[i]
		note := ""
		if i == len(r.Weeks)-1 {
			note = " (to date)"
		}
		fmt.Fprintf(w, "week of %s %6d  %-*s  %d on time%s\n", wk.Start, wk.Decided, barW, bar, wk.OnTime, note)
	}
	if share, ok := r.OnTimeShare(); ok {
		line := fmt.Sprintf("Clocks met on time: %.1f%% (%d of %d decisions)", 100*share, r.OnTime, r.Decided)
		fmt.Fprintf(w, "\n%s  %s\n", line, cases.Bar(r.OnTime, r.Decided, min(20, width-len(line)-2)))
	} else {
		fmt.Fprintf(w, "\nClocks met on time: no decision in the %d weeks\n", len(r.Weeks))
	}
}

// WriteReportCSV writes a Center's figures as CSV, one figure a row: center, as_of, figure, label, measure,
// value. Figures: holder (label the user, "(unassigned)" for the cases nobody holds, or "total"; measures open,
// overdue, due_this_week, pending, revenue_cents), aging (label the bucket; measure cases), decisions (label the
// Monday of the week; measures decided, on_time) and on_time (label "12 weeks"; measures decided, on_time).
func WriteReportCSV(w io.Writer, r cases.Report) error {
	cw := csv.NewWriter(w)
	as := r.Today.String()
	put := func(figure, label, measure string, v int64) {
		cw.Write([]string{r.Center, as, figure, cases.CleanLine(label), measure, strconv.FormatInt(v, 10)})
	}
	cw.Write([]string{"center", "as_of", "figure", "label", "measure", "value"})
	counts := func(label string, c cases.Counts) {
		put("holder", label, "open", int64(c.Open))
		put("holder", label, "overdue", int64(c.Overdue))
		put("holder", label, "due_this_week", int64(c.DueWeek))
		put("holder", label, "pending", int64(c.Pending))
		put("holder", label, "revenue_cents", int64(c.Revenue))
	}
	for _, l := range r.Holders {
		counts(cases.HolderName(l.User), l.Counts)
	}
	counts("total", r.Total)
	for _, b := range r.Aging {
		put("aging", b.Label, "cases", int64(b.Cases))
	}
	for _, wk := range r.Weeks {
		put("decisions", wk.Start.String(), "decided", int64(wk.Decided))
		put("decisions", wk.Start.String(), "on_time", int64(wk.OnTime))
	}
	weeks := fmt.Sprintf("%d weeks", len(r.Weeks))
	put("on_time", weeks, "decided", int64(r.Decided))
	put("on_time", weeks, "on_time", int64(r.OnTime))
	cw.Flush()
	return cw.Error()
}
