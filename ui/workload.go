package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// workloadPane is the supervisor's workload board: what each holder of the Center's cases holds as of today (the
// cases nobody holds on a line of their own), and charts of the Center at a glance: each holder's open cases
// against their clocks, the open cases by days to their clock, the decisions of the last weeks and the share
// that met their clock. The board is a page: on a short screen it scrolls, on a wide one the charts stand beside
// the board.
type workloadPane struct {
	*common
	report   cases.Report
	loads    []cases.Load // the board's lines: the report's holders
	wlCursor int
	wlTop    int // the first line of the page on screen
}

// boardSideBySide is the width from which the charts stand beside the board rather than below it.
const boardSideBySide = 150

// SetSize implements component: the board is laid out as it is drawn; the page keeps its place where it can.
func (w *workloadPane) SetSize(_, _ int) { w.clampTop() }

// Typing implements component.
func (w *workloadPane) Typing() bool { return false }

// Changed implements component: the board on screen is reread.
func (w *workloadPane) Changed(cases.Change) {
	if w.ws.pane == paneWorkload {
		w.loadWorkload()
	}
}

func (w *workloadPane) shown() { w.loadWorkload() }

func (w *workloadPane) loadWorkload() {
	r, err := w.desk.Report(w.user.Name, w.user.Center, w.today())
	if err != nil {
		w.fail(err)
		return
	}
	sort.SliceStable(r.Holders, func(i, j int) bool { return r.Holders[i].User < r.Holders[j].User })
	w.report, w.loads = r, r.Holders
	w.wlCursor = clamp(w.wlCursor, 0, max(len(w.loads)-1, 0))
	w.clampTop()
}

// mouse scrolls the page by the wheel.
func (w *workloadPane) mouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Action == tea.MouseActionPress {
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			w.wlTop -= 3
		case tea.MouseButtonWheelDown:
			w.wlTop += 3
		}
		w.clampTop()
	}
	return nil
}

// Update implements component.
func (w *workloadPane) Update(msg tea.KeyMsg) tea.Cmd {
	k := w.keys
	last := max(len(w.loads)-1, 0)
	switch {
	case w.is(msg, k.Down):
		w.moveCursor(clamp(w.wlCursor+1, 0, last))
	case w.is(msg, k.Up):
		w.moveCursor(clamp(w.wlCursor-1, 0, last))
	case w.is(msg, k.PageDown):
		w.wlTop += w.pageRows()
		w.clampTop()
	case w.is(msg, k.PageUp):
		w.wlTop -= w.pageRows()
		w.clampTop()
	case w.is(msg, k.Top):
		w.wlCursor, w.wlTop = 0, 0
	case w.is(msg, k.Bottom):
		w.wlCursor, w.wlTop = last, len(w.page())
		w.clampTop()
	case w.is(msg, k.Rebalance):
		w.ws.sup.proposeRebalance()
	case w.is(msg, k.Open):
		if len(w.loads) > 0 {
			who := w.loads[w.wlCursor].User
			if who == "" {
				who = "none"
			}
			q := w.ws.q
			_ = q.setFilter("assignee:" + who)
			q.input.SetValue(q.filter.Query)
			w.ws.show(paneQueue)
		}
	case w.is(msg, k.Back):
		w.ws.show(paneQueue)
	default:
		cmd, _ := w.ws.global(msg)
		return cmd
	}
	return nil
}

// moveCursor puts the cursor on line i of the board and scrolls the page to it.
func (w *workloadPane) moveCursor(i int) {
	w.wlCursor = i
	line := boardFirstRow + i
	if line < w.wlTop {
		w.wlTop = max(line-boardFirstRow, 0)
	}
	if rows := w.pageRows(); line >= w.wlTop+rows {
		w.wlTop = line - rows + 1
	}
	w.clampTop()
}

// pageRows is the lines of the page on screen at once: the body, less the line that says there is more.
func (w *workloadPane) pageRows() int {
	h := w.bodyHeight()
	if len(w.page()) > h {
		return max(h-1, 1)
	}
	return h
}

func (w *workloadPane) clampTop() {
	w.wlTop = clamp(w.wlTop, 0, max(len(w.page())-w.pageRows(), 0))
}

// Keys implements component.
func (w *workloadPane) Keys() [][]*binding {
	k := w.keys
	return [][]*binding{
		{k.Down, k.Up, k.Open, k.Rebalance, k.Back},
		{k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.NextPane, k.PrevPane, k.Approvals},
		k.everywhere(),
	}
}

// Hints implements component.
func (w *workloadPane) Hints() (h hints) {
	k := w.keys
	h.add("reviewer's cases", k.Open)
	h.add("rebalance", k.Rebalance)
	h.add("move", k.Down, k.Up)
	if len(w.page()) > w.bodyHeight() {
		h.add("scroll", k.PageDown, k.PageUp)
	}
	h.add("approvals", k.Approvals)
	h.add("queue", k.Back)
	h.helpQuit(k)
	return h
}

// boardFirstRow is the page's line of the board's first holder: after the title, a blank line and the headings.
const boardFirstRow = 3

// page is the whole board, a line a screen line: the title, the board and the charts, below the board on a
// narrow screen, beside it on a wide one.
func (w *workloadPane) page() []string {
	st := w.st
	ch := charts{st: st, r: w.report, today: w.today()}
	lines := []string{fit(" "+st.Title.Render("Workload board · "+one(w.user.Center))+st.Muted.Render(" · as of "+w.today().String()), w.width), ""}
	h := w.bodyHeight()
	if w.width < boardSideBySide {
		add := func(block []string) { lines = append(append(lines, block...), "") }
		add(w.board(w.width))
		add(ch.holders(w.width, w.wlCursor))
		add(ch.aging(w.width))
		add(ch.weeks(w.width, clamp(h/4, 4, 10)))
		add(ch.onTime(w.width))
		return append(lines, w.helpLines(w.width)...)
	}
	leftW := w.width / 2
	rightW := w.width - leftW - 1
	var left, right []string
	left = append(append(append(left, w.board(leftW)...), ""), ch.holders(leftW, w.wlCursor)...)
	left = append(append(left, ""), w.helpLines(leftW)...)
	right = append(append(right, ch.aging(rightW)...), "")
	right = append(append(right, ch.weeks(rightW, clamp(h-20, 4, 12))...), "")
	right = append(right, ch.onTime(rightW)...)
	for i := 0; i < max(len(left), len(right)); i++ {
		var l, r string
		if i < len(left) {
			l = left[i]
		}
		if i < len(right) {
			r = right[i]
		}
		lines = append(lines, fit(l, leftW)+" "+r)
	}
	return lines
}

// helpLines say what the board's keys do, in width cells.
func (w *workloadPane) helpLines(width int) []string {
	text := fmt.Sprintf("%s shows that reviewer's cases; %s proposes moves that even out the load due this week",
		w.keys.Open.Help().Key, w.keys.Rebalance.Help().Key)
	lines := strings.Split(strings.TrimSuffix(paragraph(" ", text, width), "\n"), "\n")
	for i, l := range lines {
		lines[i] = w.st.Muted.Render(l)
	}
	return lines
}

// board is the table of holders: headings, one line a holder, the total. Every column is as wide as its widest
// value; on a narrow screen the headings shorten and then the least needed columns leave.
func (w *workloadPane) board(width int) []string {
	st := w.st
	today := w.today()
	n := len(w.loads) + 1 // the total last
	name, open, over, week, pend, stake, oldest := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	put := func(i int, who string, c cases.Counts) {
		name[i], open[i], over[i], week[i] = one(who), fmt.Sprint(c.Open), fmt.Sprint(c.Overdue), fmt.Sprint(c.DueWeek)
		pend[i], stake[i] = fmt.Sprint(c.Pending), c.Revenue.String()
	}
	for i, l := range w.loads {
		put(i, cases.HolderName(l.User), l.Counts)
		oldest[i] = "-"
		if !l.Oldest.IsZero() {
			oldest[i] = dueMark(today, l.Oldest) + " " + l.Oldest.String()
			if width >= 110 {
				oldest[i] += " (" + dueWords(today, l.Oldest) + ")"
			}
		}
	}
	put(n-1, "total", w.report.Total)
	cols := []tableCol{
		{head: "REVIEWER", cells: name, limit: 16},
		{head: "OPEN", right: true, cells: open},
		{head: "! OVERDUE", right: true, cells: over},
		{head: "• THIS WEEK", short: "• WEEK", right: true, cells: week},
		{head: "PENDING", short: "PEND", right: true, cells: pend, drop: 2},
		{head: "AT STAKE", right: true, cells: stake, drop: 3},
		{head: "OLDEST CLOCK", short: "OLDEST", cells: oldest, drop: 1},
	}
	const indent, gap = 3, 2
	l := layoutTable(cols, indent, gap, width)
	out := []string{st.ColumnHead.Render(fit("   "+l.heading(cols, gap), width))}
	for i, ld := range w.loads {
		cur := "   "
		if i == w.wlCursor {
			cur = " > "
		}
		line := fit(cur+l.line(cols, gap, i), width)
		switch {
		case i == w.wlCursor:
			line = st.Cursor.Render(line)
		case ld.Counts.Overdue > 0:
			line = st.Overdue.Render(line)
		}
		out = append(out, line)
	}
	if len(w.loads) == 0 {
		out = append(out, st.Muted.Render("   nobody in this Center holds cases yet"))
	}
	return append(out, st.Muted.Render(fit("   "+l.line(cols, gap, n-1), width)))
}

// View implements component.
func (w *workloadPane) View() string {
	lines := w.page()
	h := w.bodyHeight()
	if len(lines) <= h {
		return strings.Join(lines, "\n")
	}
	rows := w.pageRows()
	top := clamp(w.wlTop, 0, max(len(lines)-rows, 0))
	end := min(top+rows, len(lines))
	var more []string
	if top > 0 {
		more = append(more, fmt.Sprintf("↑ %d lines above", top))
	}
	if end < len(lines) {
		more = append(more, fmt.Sprintf("↓ %d more below", len(lines)-end))
	}
	k := w.keys
	tail := w.st.Muted.Render(fit(" "+strings.Join(more, " · ")+" · "+k.PageDown.Help().Key+"/"+k.PageUp.Help().Key+" scroll", w.width))
	return strings.Join(lines[top:end], "\n") + "\n" + tail
}
