package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// approvalsPane lists the decisions of the Center waiting for a supervisor's approval, with the one under the
// cursor in full. Each row knows whether this supervisor may approve it, so that a refusal (the approver is never
// the decider) is said when the key is pressed, before any comment is typed; a decision no supervisor of the
// Center may approve says so, and who can.
type approvalsPane struct {
	*common
	approvals []cases.ApprovalRow
	apCursor  int
	apCase    *cases.Case
	apWho     cases.ApproverSet // who may approve the decision under the cursor
	stranded  map[string]string // case id -> the warning that no supervisor of the Center may approve it
}

// approversLooked is how many of the rows this supervisor may not approve are looked into, when the list is
// read, for whether anyone in the Center may: enough for any screen.
const approversLooked = 300

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
	rows, err := a.desk.ApprovalRows(a.user.Name, a.user.Center)
	if err != nil {
		a.fail(err)
		return
	}
	a.approvals = rows
	a.apCursor = clamp(a.apCursor, 0, max(len(rows)-1, 0))
	a.stranded = map[string]string{}
	looked := 0
	for _, r := range rows {
		if r.CanApprove { // this supervisor may: so a supervisor of the Center may
			continue
		}
		if looked++; looked > approversLooked {
			break
		}
		if who, err := a.desk.Approvers(a.user.Name, r.ID); err == nil && who.Warning() != "" {
			a.stranded[r.ID] = who.Warning()
		}
	}
	a.loadApprovalCase()
}

func (a *approvalsPane) loadApprovalCase() {
	a.apCase, a.apWho = nil, cases.ApproverSet{}
	if len(a.approvals) == 0 {
		return
	}
	c, err := a.desk.Case(a.user.Name, a.approvals[a.apCursor].ID)
	if err != nil {
		a.fail(err)
		return
	}
	a.apCase = c
	if who, err := a.desk.Approvers(a.user.Name, c.ID); err == nil {
		a.apWho = who
	}
}

func (a *approvalsPane) moveApproval(to int) {
	a.apCursor = clamp(to, 0, max(len(a.approvals)-1, 0))
	a.loadApprovalCase()
}

// current is the row under the cursor, if any.
func (a *approvalsPane) current() *cases.ApprovalRow {
	if a.apCursor < len(a.approvals) {
		return &a.approvals[a.apCursor]
	}
	return nil
}

// mouse moves the cursor by the wheel.
func (a *approvalsPane) mouse(msg tea.MouseMsg) tea.Cmd {
	if msg.Action == tea.MouseActionPress {
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			a.moveApproval(a.apCursor - 1)
		case tea.MouseButtonWheelDown:
			a.moveApproval(a.apCursor + 1)
		}
	}
	return nil
}

// Update implements component.
func (a *approvalsPane) Update(msg tea.KeyMsg) tea.Cmd {
	k := a.keys
	switch {
	case a.is(msg, k.Down):
		a.moveApproval(a.apCursor + 1)
	case a.is(msg, k.Up):
		a.moveApproval(a.apCursor - 1)
	case a.is(msg, k.PageDown):
		a.moveApproval(a.apCursor + a.listRows())
	case a.is(msg, k.PageUp):
		a.moveApproval(a.apCursor - a.listRows())
	case a.is(msg, k.Top):
		a.moveApproval(0)
	case a.is(msg, k.Bottom):
		a.moveApproval(len(a.approvals) - 1)
	case a.is(msg, k.Open):
		if a.apCase != nil {
			a.ws.openCase(a.apCase.ID, paneApprovals)
		}
	case a.is(msg, k.Approve):
		if a.mayAct("approve") {
			return a.ws.openDialog(dialogApprove)
		}
	case a.is(msg, k.Return):
		if a.mayAct("return") {
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

// mayAct reports whether the supervisor may approve or return the decision under the cursor, and when not says
// why in the status line, with who can, before any comment is asked for.
func (a *approvalsPane) mayAct(verb string) bool {
	r := a.current()
	if r == nil || a.apCase == nil {
		a.say("nothing waits for approval")
		return false
	}
	if r.CanApprove {
		return true
	}
	why := one(r.Why)
	if why == "" {
		why = "you may not " + verb + " this decision"
	}
	switch names := a.apWho.Names(); {
	case a.apWho.Warning() != "":
		why += "; " + a.apWho.Warning()
	case len(names) > 0:
		why += "; ask " + one(orList(names))
	}
	a.refuse("%s", why)
	return false
}

// Keys implements component.
func (a *approvalsPane) Keys() [][]*binding {
	k := a.keys
	return [][]*binding{
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Approve, k.Return, k.Open, k.Back},
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
	if len(a.approvals) > a.listRows() {
		h.add("page", k.PageDown, k.PageUp)
	}
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

// listRows is how many rows of the list are on screen: half the body, the decision under the cursor below.
func (a *approvalsPane) listRows() int {
	return min(len(a.approvals), max(a.bodyHeight()/2-3, 3))
}

// Marks of the approvals list, before the due mark: never colour alone.
const (
	markMayNot   = "✗" // this supervisor may not approve it (the key says why)
	markStranded = "▲" // no supervisor of the Center may approve it
)

// View implements component.
func (a *approvalsPane) View() string {
	st := a.st
	today := a.today()
	var b strings.Builder
	title := " " + st.Title.Render("Decisions waiting for approval · "+one(a.user.Center))
	if len(a.approvals) == 0 {
		b.WriteString(title + "\n\n" + st.Muted.Render("   Nothing waits for approval.") + "\n")
		return b.String()
	}
	b.WriteString(title + st.Muted.Render(fmt.Sprintf(" · %d of %d", a.apCursor+1, len(a.approvals))) + "\n\n")
	qrows := make([]cases.QueueRow, len(a.approvals))
	for i := range a.approvals {
		qrows[i] = a.approvals[i].QueueRow
	}
	idW := idWidth(qrows)
	impW := clamp(a.width-56-idW, 8, 44)
	b.WriteString(st.ColumnHead.Render(fit("    "+fit("DUE", 10)+" "+fitLeft("LEFT", 6)+" "+fit("KIND", 4)+" "+fit("CASE", idW)+" "+fit("IMPORTER", impW)+" "+fit("DECIDED BY", 12)+fitLeft("AT STAKE", 14), a.width)) + "\n")
	listH := a.listRows()
	top := max(a.apCursor-listH+1, 0)
	mayNot, stranded := false, false
	for i := top; i < min(top+listH, len(a.approvals)); i++ {
		r := a.approvals[i]
		by := r.Decider
		if by == a.user.Name {
			by += " (you)"
		}
		cur, mark := " ", " "
		if i == a.apCursor {
			cur = ">"
		}
		switch {
		case a.stranded[r.ID] != "":
			mark, stranded = markStranded, true
		case !r.CanApprove:
			mark, mayNot = markMayNot, true
		}
		line := fit(fmt.Sprintf("%s%s%s %s %s %s %s %s %s%s", cur, mark, dueMark(today, r.Due), fit(r.Due.String(), 10), fitLeft(daysLeft(today, r.Due), 6),
			fit(r.Kind.Short(), 4), fit(one(r.ID), idW), fit(one(r.Importer), impW), fit(one(by), 12), fitLeft(r.Revenue.String(), 14)), a.width)
		if i == a.apCursor {
			line = st.Cursor.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if more := len(a.approvals) - (top + listH); top > 0 || more > 0 {
		b.WriteString(st.Muted.Render(fit(fmt.Sprintf("    %d above · %d below · %s/%s page · %s/%s first/last", top, max(more, 0),
			a.keys.PageDown.Help().Key, a.keys.PageUp.Help().Key, a.keys.Top.Help().Key, a.keys.Bottom.Help().Key), a.width)) + "\n")
	}
	if mayNot || stranded {
		var legend []string
		if mayNot {
			legend = append(legend, markMayNot+" you may not approve it")
		}
		if stranded {
			legend = append(legend, markStranded+" no supervisor of "+one(a.user.Center)+" may approve it")
		}
		b.WriteString(st.Muted.Render(fit("    "+strings.Join(legend, " · "), a.width)) + "\n")
	}
	if c := a.apCase; c != nil && c.Decision != nil {
		rec := record{b: &b, st: st, w: a.width}
		b.WriteString("\n" + st.Section.Render(" DECISION ON "+one(c.ID)) + "\n")
		if r := a.current(); r != nil && !r.CanApprove {
			b.WriteString(st.Bad.Render(strings.TrimSuffix(paragraph("  "+markMayNot+" ", "Not yours to approve or return: "+r.Why, a.width), "\n")) + "\n")
		}
		if w := a.apWho.Warning(); w != "" {
			b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph("  "+markStranded+" ", w, a.width), "\n")) + "\n")
		}
		decisionText(rec, *c.Decision)
		if names := a.apWho.Names(); len(names) > 0 {
			rec.field("May approve", one(strings.Join(names, ", ")))
		}
	}
	return b.String()
}

// orList is "tom", "tom or priya", "tom, priya or ana".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
