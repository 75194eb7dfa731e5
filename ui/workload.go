package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// workloadPane is the supervisor's workload board: each reviewer of the Center with what they hold, as of today.
type workloadPane struct {
	*common
	loads    []cases.Load
	wlCursor int
}

// SetSize implements component: the board is laid out as it is drawn.
func (w *workloadPane) SetSize(_, _ int) {}

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
	loads, err := w.desk.Workload(w.user.Name, w.user.Center, w.today())
	if err != nil {
		w.fail(err)
		return
	}
	sort.SliceStable(loads, func(i, j int) bool { return loads[i].User < loads[j].User })
	w.loads = loads
	w.wlCursor = clamp(w.wlCursor, 0, max(len(loads)-1, 0))
}

// mouse moves the cursor by the wheel.
func (w *workloadPane) mouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Action == tea.MouseActionPress {
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			w.wlCursor = clamp(w.wlCursor-1, 0, len(w.loads)-1)
		case tea.MouseButtonWheelDown:
			w.wlCursor = clamp(w.wlCursor+1, 0, len(w.loads)-1)
		}
	}
	return nil
}

// Update implements component.
func (w *workloadPane) Update(msg tea.KeyMsg) tea.Cmd {
	k := w.keys
	switch {
	case w.is(msg, k.Down):
		w.wlCursor = clamp(w.wlCursor+1, 0, max(len(w.loads)-1, 0))
	case w.is(msg, k.Up):
		w.wlCursor = clamp(w.wlCursor-1, 0, max(len(w.loads)-1, 0))
	case w.is(msg, k.Rebalance):
		w.ws.sup.proposeRebalance()
	case w.is(msg, k.Open):
		if len(w.loads) > 0 {
			q := w.ws.q
			_ = q.setFilter("assignee:" + w.loads[w.wlCursor].User)
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

// Keys implements component.
func (w *workloadPane) Keys() [][]*binding {
	k := w.keys
	return [][]*binding{
		{k.Down, k.Up, k.Open, k.Rebalance, k.Back},
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
	h.add("approvals", k.Approvals)
	h.add("queue", k.Back)
	h.helpQuit(k)
	return h
}

// View implements component.
func (w *workloadPane) View() string {
	st := w.st
	today := w.today()
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Workload board · "+one(w.user.Center)) + st.Muted.Render(" · as of "+today.String()) + "\n\n")
	nameW := 8
	for _, l := range w.loads {
		nameW = max(nameW, width(one(l.User))+1)
	}
	nameW = min(nameW, 17)
	row := func(cur, name, open, overdue, week, pending, stake, oldest string) string {
		return fit(" "+cur+fit(name, nameW)+fitLeft(open, 6)+fitLeft(overdue, 10)+fitLeft(week, 12)+fitLeft(pending, 9)+fitLeft(stake, 15)+"  "+oldest, w.width)
	}
	b.WriteString(st.ColumnHead.Render(row("  ", "REVIEWER", "OPEN", "! OVERDUE", "• THIS WEEK", "PENDING", "AT STAKE", "OLDEST CLOCK")) + "\n")
	var tot cases.Counts
	for i, l := range w.loads {
		c := l.Counts
		tot.Open += c.Open
		tot.Overdue += c.Overdue
		tot.DueWeek += c.DueWeek
		tot.Pending += c.Pending
		tot.Revenue += c.Revenue
		oldest := "-"
		if !l.Oldest.IsZero() {
			oldest = fmt.Sprintf("%s %s", dueMark(today, l.Oldest), l.Oldest)
			if w.width >= 110 {
				oldest += " (" + dueWords(today, l.Oldest) + ")"
			}
		}
		cur := "  "
		if i == w.wlCursor {
			cur = "> "
		}
		line := row(cur, one(l.User), fmt.Sprint(c.Open), fmt.Sprint(c.Overdue), fmt.Sprint(c.DueWeek), fmt.Sprint(c.Pending), c.Revenue.String(), oldest)
		switch {
		case i == w.wlCursor:
			line = st.Cursor.Render(line)
		case c.Overdue > 0:
			line = st.Overdue.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if len(w.loads) == 0 {
		b.WriteString(st.Muted.Render("   nobody in this Center holds cases yet") + "\n")
	}
	b.WriteString(st.Muted.Render(row("  ", "total", fmt.Sprint(tot.Open), fmt.Sprint(tot.Overdue), fmt.Sprint(tot.DueWeek), fmt.Sprint(tot.Pending), tot.Revenue.String(), "")) + "\n")
	b.WriteString("\n" + st.Muted.Render(strings.TrimSuffix(paragraph(" ", "enter shows that reviewer's cases; b proposes moves that even out the load due this week", w.width), "\n")))
	return b.String()
}
