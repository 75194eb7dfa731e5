package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// approvalsPane lists the decisions of the Center waiting for a supervisor's approval, with the one under the
// cursor in full.
type approvalsPane struct {
	*common
	approvals []cases.QueueRow
	apCursor  int
	apCase    *cases.Case
	deciders  map[string]string // case id -> who decided it, for the list
}

// SetSize implements component: the list is laid out as it is drawn.
func (a *approvalsPane) SetSize(_, _ int) {}

// Typing implements component.
func (a *approvalsPane) Typing() bool { return false }

// Changed implements component: the list on screen is reread.
func (a *approvalsPane) Changed(cases.Change) {
	if a.ws.pane == paneApprovals {
		a.loadApprovals()
	}
}

func (a *approvalsPane) shown() { a.loadApprovals() }

func (a *approvalsPane) loadApprovals() {
	rows, err := a.desk.Approvals(a.user.Name, a.user.Center)
	if err != nil {
		a.fail(err)
		return
	}
	a.approvals = rows
	a.apCursor = clamp(a.apCursor, 0, max(len(rows)-1, 0))
	a.deciders = map[string]string{}
	for _, r := range rows[:min(len(rows), 500)] {
		if c, err := a.desk.Case(a.user.Name, r.ID); err == nil && c.Decision != nil {
			a.deciders[r.ID] = c.Decision.By
		}
	}
	a.loadApprovalCase()
}

func (a *approvalsPane) loadApprovalCase() {
	a.apCase = nil
	if len(a.approvals) == 0 {
		return
	}
	c, err := a.desk.Case(a.user.Name, a.approvals[a.apCursor].ID)
	if err != nil {
		a.fail(err)
		return
	}
	a.apCase = c
}

func (a *approvalsPane) moveApproval(delta int) {
	a.apCursor = clamp(a.apCursor+delta, 0, max(len(a.approvals)-1, 0))
	a.loadApprovalCase()
}

// mouse moves the cursor by the wheel.
func (a *approvalsPane) mouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Action == tea.MouseActionPress {
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			a.moveApproval(-1)
		case tea.MouseButtonWheelDown:
			a.moveApproval(1)
		}
	}
	return nil
}

// Update implements component.
func (a *approvalsPane) Update(msg tea.KeyMsg) tea.Cmd {
	k := a.keys
	switch {
	case a.is(msg, k.Down):
		a.moveApproval(1)
	case a.is(msg, k.Up):
		a.moveApproval(-1)
	case a.is(msg, k.Open):
		if a.apCase != nil {
			a.ws.openCase(a.apCase.ID, paneApprovals)
		}
	case a.is(msg, k.Approve):
		if a.apCase != nil {
			return a.ws.openDialog(dialogApprove)
		}
	case a.is(msg, k.Return):
		if a.apCase != nil {
			return a.ws.openDialog(dialogReturn)
		}
	case a.is(msg, k.Back):
		a.ws.show(paneQueue)
	default:
		cmd, _ := a.ws.global(msg)
		return cmd
	}
	return nil
}

// Keys implements component.
func (a *approvalsPane) Keys() [][]*binding {
	k := a.keys
	return [][]*binding{
		{k.Down, k.Up, k.Approve, k.Return, k.Open, k.Back},
		{k.NextPane, k.PrevPane, k.Workload},
		k.everywhere(),
	}
}

// Hints implements component.
func (a *approvalsPane) Hints() (h hints) {
	k := a.keys
	h.add("approve", k.Approve)
	h.add("return", k.Return)
	h.add("open the case", k.Open)
	h.add("move", k.Down, k.Up)
	h.add("queue", k.Back)
	h.helpQuit(k)
	return h
}

func approvalSummary(c *cases.Case, comment string) string {
	var b strings.Builder
	if d := c.Decision; d != nil {
		spec, _ := cases.Spec(d.Outcome)
		fmt.Fprintf(&b, "Decision: %s by %s on %s\n", spec.Title, one(d.By), d.On)
	}
	if comment == "" {
		comment = "(none)"
	}
	fmt.Fprintf(&b, "Comment:  %s", one(comment))
	return b.String()
}

// View implements component.
func (a *approvalsPane) View() string {
	h := a.bodyHeight()
	st := a.st
	today := a.today()
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Decisions waiting for approval · "+one(a.user.Center)) + "\n\n")
	if len(a.approvals) == 0 {
		b.WriteString(st.Muted.Render("   Nothing waits for approval.") + "\n")
		return b.String()
	}
	idW := idWidth(a.approvals)
	impW := clamp(a.width-56-idW, 8, 44)
	b.WriteString(st.ColumnHead.Render(fit("    "+fit("DUE", 10)+" "+fitLeft("LEFT", 6)+" "+fit("KIND", 4)+" "+fit("CASE", idW)+" "+fit("IMPORTER", impW)+" "+fit("DECIDED BY", 12)+fitLeft("AT STAKE", 14), a.width)) + "\n")
	listH := min(len(a.approvals), max(h/2-3, 3))
	top := max(a.apCursor-listH+1, 0)
	for i := top; i < min(top+listH, len(a.approvals)); i++ {
		r := a.approvals[i]
		by := a.deciders[r.ID]
		if i == a.apCursor && a.apCase != nil && a.apCase.Decision != nil {
			by = a.apCase.Decision.By
		}
		if by == a.user.Name {
			by += " (you)"
		}
		cur := " "
		if i == a.apCursor {
			cur = ">"
		}
		line := fit(fmt.Sprintf("%s %s %s %s %s %s %s %s%s", cur, dueMark(today, r.Due), fit(r.Due.String(), 10), fitLeft(daysLeft(today, r.Due), 6),
			fit(r.Kind.Short(), 4), fit(one(r.ID), idW), fit(one(r.Importer), impW), fit(one(by), 12), fitLeft(r.Revenue.String(), 14)), a.width)
		if i == a.apCursor {
			line = st.Cursor.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if c := a.apCase; c != nil && c.Decision != nil {
		b.WriteString("\n" + st.Section.Render(" DECISION ON "+one(c.ID)) + "\n")
		decisionText(record{b: &b, st: st, w: a.width}, *c.Decision)
	}
	return b.String()
}
