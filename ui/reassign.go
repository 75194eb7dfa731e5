package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// reassignPane lets a supervisor choose who takes one or more cases: the person under the cursor takes them all,
// or each case goes where the suggestion puts it (the placement that keeps the reviewers' due-this-week load most
// even). Each person shows with what they hold now. The reason and a confirmation follow, and the write is checked
// against the versions the supervisor saw.
type reassignPane struct {
	*common
	users        []cases.User
	usCursor     int
	holding      map[string]int          // user -> how many of the cases being reassigned they hold
	userLoads    map[string]cases.Counts // user -> what they hold of the Center's open cases
	placements   []cases.Placement       // the suggestion, one a case
	usePlan      bool                    // the supervisor took the suggestion rather than one person
	reassignIDs  []string
	reassignVers []uint64 // the version of each case the supervisor saw
	reassignTo   string
	reassignBack pane
}

// suggestedTakers is how the reason dialog names the takers when the supervisor takes the suggestion.
const suggestedTakers = "the suggested reviewers"

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
	var reviewers []string
	for _, u := range users {
		if !u.Disabled && (u.Role == cases.RoleReviewer || u.Role == cases.RoleSupervisor) {
			holders = append(holders, u)
			if u.Role == cases.RoleReviewer {
				reviewers = append(reviewers, u.Name)
			}
		}
	}
	if len(holders) == 0 {
		r.refuse("nobody in this Center can hold cases")
		return
	}
	today := r.today()
	loads, err := r.desk.Workload(r.user.Name, r.user.Center, today)
	if err != nil {
		r.fail(err)
		return
	}
	r.userLoads = make(map[string]cases.Counts, len(loads))
	for _, l := range loads {
		r.userLoads[l.User] = l.Counts
	}
	r.users, r.usCursor, r.reassignIDs, r.reassignVers = holders, 0, ids, refVersions(refs)
	r.holding = map[string]int{}
	var rows []cases.QueueRow
	for _, ref := range refs {
		c, err := r.desk.Case(r.user.Name, ref.id)
		if err != nil {
			continue // the write says what became of it
		}
		if c.Assignee != "" {
			r.holding[c.Assignee]++
		}
		row := c.Row(r.desk.Policy())
		row.Version = ref.version // a change since the supervisor saw it is a conflict
		rows = append(rows, row)
	}
	if reviewers == nil {
		reviewers = []string{} // nobody may take them: PlaceCases says so for each
	}
	r.placements = cases.PlaceCases(rows, loads, reviewers, today)
	for i, u := range holders { // start on the first who does not hold them all already
		if r.holding[u.Name] < len(ids) {
			r.usCursor = i
			break
		}
	}
	r.usePlan = false
	r.reassignBack = r.ws.pane
	r.ws.show(paneReassign)
}

// placed is the placements that have a taker.
func (r *reassignPane) placed() []cases.Placement {
	var out []cases.Placement
	for _, p := range r.placements {
		if p.To != "" {
			out = append(out, p)
		}
	}
	return out
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
		r.usePlan, r.reassignTo = false, r.users[r.usCursor].Name
		return r.ws.openDialog(dialogReason)
	case r.is(km, k.TakeSuggestion):
		if len(r.placed()) == 0 {
			r.refuse("there is no suggestion to take: %s", r.noSuggestion())
			return nil
		}
		r.usePlan, r.reassignTo = true, suggestedTakers
		return r.ws.openDialog(dialogReason)
	case r.is(km, k.Back):
		r.ws.show(r.reassignBack)
	}
	return nil
}

// noSuggestion says why no case has a suggested taker.
func (r *reassignPane) noSuggestion() string {
	for _, p := range r.placements {
		if p.Why != "" {
			return p.Why
		}
	}
	return "no case could be read"
}

// confirmReassign asks before reassigning the cases with the reason given, and writes on yes.
func (r *reassignPane) confirmReassign(reason string) {
	if r.usePlan {
		r.confirmPlan(reason)
		return
	}
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

// confirmPlan asks before reassigning each case to its suggested taker, and writes on yes: one write per taker,
// each against the versions the supervisor saw.
func (r *reassignPane) confirmPlan(reason string) {
	ws := r.ws
	plan := r.placed()
	var b strings.Builder
	for i, p := range plan {
		if i == 8 && len(plan) > 9 {
			fmt.Fprintf(&b, "…and %d more\n", len(plan)-i)
			break
		}
		fmt.Fprintf(&b, "%s → %s\n", one(p.Case), one(p.To))
	}
	if n := len(r.reassignIDs) - len(plan); n > 0 {
		fmt.Fprintf(&b, "%s stay where they are (%s)\n", plural(n, "case", "cases"), r.noSuggestion())
	}
	fmt.Fprintf(&b, "Reason: %s", one(reason))
	var takers []string
	byTo := map[string][]cases.Placement{}
	for _, p := range plan {
		if byTo[p.To] == nil {
			takers = append(takers, p.To)
		}
		byTo[p.To] = append(byTo[p.To], p)
	}
	ws.confirm(fmt.Sprintf("Reassign %s as suggested?", plural(len(plan), "case", "cases")), b.String(), func() {
		ws.show(r.reassignBack)
		moved := 0
		for _, to := range takers {
			ids, versions := make([]string, 0, len(byTo[to])), make([]uint64, 0, len(byTo[to]))
			for _, p := range byTo[to] {
				ids, versions = append(ids, p.Case), append(versions, p.Version)
			}
			if _, err := r.desk.Assign(r.user.Name, ids, versions, to, reason, r.today()); err != nil {
				ws.refused(err)
				if moved > 0 {
					r.status = fmt.Sprintf("%d of %d cases reassigned, then: %s", moved, len(plan), r.status)
				}
				ws.reload()
				return
			}
			moved += len(ids)
		}
		ws.q.marks = map[string]uint64{}
		r.say("%s reassigned as suggested, to %s", plural(moved, "case", "cases"), one(strings.Join(takers, ", ")))
		ws.reload()
	})
}

// Keys implements component.
func (r *reassignPane) Keys() [][]*binding {
	k := r.keys
	return [][]*binding{{k.Down, k.Up, k.Open, k.TakeSuggestion, k.Back}, {k.Help, k.Redraw, k.ForceQuit}}
}

// Hints implements component.
func (r *reassignPane) Hints() (h hints) {
	k := r.keys
	h.add("choose", k.Open)
	if len(r.placed()) > 0 {
		h.add("take the suggestion", k.TakeSuggestion)
	}
	h.add("move", k.Down, k.Up)
	h.add("cancel", k.Back)
	return h
}

// View implements component.
func (r *reassignPane) View() string {
	st := r.st
	h := r.bodyHeight()
	var b strings.Builder
	b.WriteString(" " + st.Title.Render(fmt.Sprintf("Reassign %s", plural(len(r.reassignIDs), "case", "cases"))) + st.Muted.Render(" · "+one(strings.Join(r.reassignIDs, ", "))) + "\n\n")
	// the people last, so that the suggestion takes only the room they leave
	people := r.people()
	room := h - 2 - len(people) - 2
	if plan := r.suggestion(room); len(plan) > 0 {
		b.WriteString(strings.Join(plan, "\n") + "\n\n")
	}
	b.WriteString(strings.Join(people, "\n"))
	return b.String()
}

// suggestion is the placements as lines, in at most room lines (nothing when fewer than four fit).
func (r *reassignPane) suggestion(room int) []string {
	st := r.st
	if len(r.placements) == 0 || room < 4 {
		return nil
	}
	accept := ""
	if b := r.keys.TakeSuggestion; b.Enabled() {
		accept = " · " + b.Help().Key + " takes it"
	}
	if len(r.placed()) == 0 {
		return []string{st.Muted.Render(fit(" No suggestion: "+one(r.noSuggestion()), r.width))}
	}
	out := []string{" " + st.Section.Render("Suggested") + st.Muted.Render(" (keeps the load due this week most even)"+accept)}
	n := len(r.placements)
	idW, fromW, toW, countW := 4, 4, 2, 1
	for _, p := range r.placements {
		idW, fromW, toW = max(idW, width(one(p.Case))), max(fromW, width(one(cases.HolderName(p.From)))), max(toW, width(one(p.To)))
		countW = max(countW, digits(p.ToAfter))
	}
	idW, fromW, toW = min(idW, 32), min(fromW, 16), min(toW, 16)
	out = append(out, st.ColumnHead.Render(fit("   "+fit("CASE", idW)+"  "+fit("KIND", 4)+"  "+fit("  DUE", 12)+"  "+fit("FROM", fromW)+"    "+fit("TO", toW)+"  TAKER'S • WEEK", r.width)))
	rows := min(n, room-2)
	for i, p := range r.placements {
		if i == rows-1 && n > rows {
			out = append(out, st.Muted.Render(fmt.Sprintf("   … and %d more", n-i)))
			break
		}
		to, week := one(p.To), ""
		switch {
		case p.To == "":
			to, week = "(none)", one(p.Why)
		case p.ThisWeek:
			week = fmt.Sprintf("%*d → %*d", countW, p.ToBefore, countW, p.ToAfter)
		default:
			week = "-" // not due this week: the taker's load due this week does not change
		}
		out = append(out, fit("   "+fit(one(p.Case), idW)+"  "+fit(p.Kind.Short(), 4)+"  "+dueMark(r.today(), p.Due)+" "+fit(p.Due.String(), 10)+"  "+
			fit(one(cases.HolderName(p.From)), fromW)+" →  "+fit(to, toW)+"  "+week, r.width))
	}
	return out
}

// people is the picker: each person who may hold cases, with what they hold now.
func (r *reassignPane) people() []string {
	st := r.st
	out := []string{}
	if len(r.reassignIDs) == 1 {
		out = append(out, " Or choose who takes it:")
	} else {
		out = append(out, " Or choose who takes them all:")
	}
	if len(r.placed()) == 0 {
		out[0] = strings.Replace(out[0], "Or choose", "Choose", 1)
	}
	n := len(r.users)
	name, role, display, open, week, holds := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	for i, u := range r.users {
		c := r.userLoads[u.Name]
		name[i], role[i], display[i] = one(u.Name), string(u.Role), one(u.Display)
		open[i], week[i] = fmt.Sprint(c.Open), fmt.Sprint(c.DueWeek)
		switch h := r.holding[u.Name]; {
		case h > 0 && len(r.reassignIDs) == 1:
			holds[i] = "(holds it now)"
		case h > 0:
			holds[i] = fmt.Sprintf("(holds %d of them now)", h)
		}
	}
	cols := []tableCol{
		{head: "", cells: name, limit: 16},
		{head: "", cells: role},
		{head: "", cells: display, limit: 24, drop: 1},
		{head: "OPEN", right: true, cells: open},
		{head: "• THIS WEEK", short: "• WEEK", right: true, cells: week},
		{head: "", cells: holds},
	}
	const gap = 2
	l := layoutTable(cols, 3, gap, r.width)
	out = append(out, st.ColumnHead.Render(fit("   "+l.heading(cols, gap), r.width)))
	for i := range r.users {
		line := "   " + strings.TrimRight(l.line(cols, gap, i), " ")
		if i == r.usCursor {
			line = st.Cursor.Render(fit(" > "+line[3:], r.width))
		}
		out = append(out, line)
	}
	return out
}
