package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// reassignPane lets a supervisor choose who takes one or more cases; the reason and a confirmation follow, and
// the write is checked against the versions the supervisor saw.
type reassignPane struct {
	*common
	users        []cases.User
	usCursor     int
	holding      map[string]int // user -> how many of the cases being reassigned they hold
	reassignIDs  []string
	reassignVers []uint64 // the version of each case the supervisor saw
	reassignTo   string
	reassignBack pane
}

// SetSize implements component: the list is laid out as it is drawn.
func (r *reassignPane) SetSize(_, _ int) {}

// Typing implements component.
func (r *reassignPane) Typing() bool { return false }

// Changed implements component: the choice goes on; the write is checked against the versions seen.
func (r *reassignPane) Changed(cases.Change) {}

// startReassign lets a supervisor choose who takes the given cases, as of the versions the supervisor saw.
func (r *reassignPane) startReassign(refs []caseRef) {
	ids := refIDs(refs)
	if len(ids) == 0 {
		r.say("no case to reassign")
		return
	}
	users, err := r.desk.Users(r.user.Name, r.user.Center)
	if err != nil {
		r.fail(err)
		return
	}
	var holders []cases.User
	for _, u := range users {
		if !u.Disabled && (u.Role == cases.RoleReviewer || u.Role == cases.RoleSupervisor) {
			holders = append(holders, u)
		}
	}
	if len(holders) == 0 {
		r.refuse("nobody in this Center can hold cases")
		return
	}
	r.users, r.usCursor, r.reassignIDs, r.reassignVers = holders, 0, ids, refVersions(refs)
	r.holding = map[string]int{}
	for _, id := range ids[:min(len(ids), 200)] {
		if c, err := r.desk.Case(r.user.Name, id); err == nil && c.Assignee != "" {
			r.holding[c.Assignee]++
		}
	}
	for i, u := range holders { // start on the first who does not hold them all already
		if r.holding[u.Name] < len(ids) {
			r.usCursor = i
			break
		}
	}
	r.reassignBack = r.ws.pane
	r.ws.show(paneReassign)
}

// Update implements component.
func (r *reassignPane) Update(km tea.KeyMsg) tea.Cmd {
	k := r.keys
	switch {
	case r.is(km, k.Down):
		r.usCursor = clamp(r.usCursor+1, 0, len(r.users)-1)
	case r.is(km, k.Up):
		r.usCursor = clamp(r.usCursor-1, 0, len(r.users)-1)
	case r.is(km, k.Open):
		r.reassignTo = r.users[r.usCursor].Name
		return r.ws.openDialog(dialogReason)
	case r.is(km, k.Back):
		r.ws.show(r.reassignBack)
	}
	return nil
}

// confirmReassign asks before reassigning the cases with the reason given, and writes on yes.
func (r *reassignPane) confirmReassign(reason string) {
	ws := r.ws
	ids, versions, to := r.reassignIDs, r.reassignVers, r.reassignTo
	body := fmt.Sprintf("Cases: %s\nTo:     %s\nReason: %s", one(strings.Join(ids, ", ")), one(to), one(reason))
	ws.confirm(fmt.Sprintf("Reassign %s to %s?", plural(len(ids), "case", "cases"), one(to)), body, func() {
		_, err := r.desk.Assign(r.user.Name, ids, versions, to, reason, r.today())
		ws.show(r.reassignBack)
		if err != nil {
			ws.refused(err)
			return
		}
		ws.q.marks = map[string]uint64{}
		r.say("%s reassigned to %s", plural(len(ids), "case", "cases"), one(to))
		ws.reload()
	})
}

// Keys implements component.
func (r *reassignPane) Keys() [][]*binding {
	k := r.keys
	return [][]*binding{{k.Down, k.Up, k.Open, k.Back}, {k.Help, k.Redraw, k.ForceQuit}}
}

// Hints implements component.
func (r *reassignPane) Hints() (h hints) {
	k := r.keys
	h.add("choose", k.Open)
	h.add("move", k.Down, k.Up)
	h.add("cancel", k.Back)
	return h
}

// View implements component.
func (r *reassignPane) View() string {
	st := r.st
	var b strings.Builder
	b.WriteString(" " + st.Title.Render(fmt.Sprintf("Reassign %s", plural(len(r.reassignIDs), "case", "cases"))) + st.Muted.Render(" · "+one(strings.Join(r.reassignIDs, ", "))) + "\n\n")
	if len(r.reassignIDs) == 1 {
		b.WriteString(" Choose who takes it:\n")
	} else {
		b.WriteString(" Choose who takes them:\n")
	}
	for i, u := range r.users {
		holds := ""
		switch n := r.holding[u.Name]; {
		case n > 0 && len(r.reassignIDs) == 1:
			holds = "  (holds it now)"
		case n > 0:
			holds = fmt.Sprintf("  (holds %d of them now)", n)
		}
		line := fmt.Sprintf("   %s %s %s", fit(one(u.Name), 14), fit(string(u.Role), 11), one(u.Display)+holds)
		if i == r.usCursor {
			line = st.Cursor.Render(fit(" > "+line[3:], r.width))
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}
