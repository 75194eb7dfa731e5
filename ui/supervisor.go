package ui

import (
	"fmt"
	"sort"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

// supervisorState holds the supervisor's views: workload board, approvals, reassignment and rebalancing.
type supervisorState struct {
	loads    []cases.Load
	wlCursor int

	approvals []cases.QueueRow
	apCursor  int
	apCase    *cases.Case
	deciders  map[string]string // case id -> who decided it, for the approvals list

	users        []cases.User
	usCursor     int
	holding      map[string]int // user -> how many of the cases being reassigned they hold
	reassignIDs  []string
	reassignVers []uint64 // the version of each case the supervisor saw
	reassignTo   string
	reassignBack pane

	moves []cases.Move
}

// --- workload board ----------------------------------------------------------------------------------------------

func (m *Model) openWorkload() {
	m.loadWorkload()
	m.pane = paneWorkload
}

func (m *Model) loadWorkload() {
	loads, err := m.desk.Workload(m.user.Name, m.user.Center, m.today())
	if err != nil {
		m.fail(err)
		return
	}
	sort.SliceStable(loads, func(i, j int) bool { return loads[i].User < loads[j].User })
	m.sup.loads = loads
	m.sup.wlCursor = clamp(m.sup.wlCursor, 0, max(len(loads)-1, 0))
}

func (m *Model) workloadKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	s := &m.sup
	switch {
	case m.is(msg, k.Down):
		s.wlCursor = clamp(s.wlCursor+1, 0, max(len(s.loads)-1, 0))
	case m.is(msg, k.Up):
		s.wlCursor = clamp(s.wlCursor-1, 0, max(len(s.loads)-1, 0))
	case m.is(msg, k.Rebalance):
		m.proposeRebalance()
	case m.is(msg, k.Open):
		if len(s.loads) > 0 {
			_ = m.setFilter("assignee:" + s.loads[s.wlCursor].User)
			m.q.input.SetValue(m.q.filter.Query)
			m.pane = paneQueue
		}
	case m.is(msg, k.Back):
		m.pane = paneQueue
	default:
		cmd, _ := m.global(msg)
		return cmd
	}
	return nil
}

func (m *Model) workloadView(h int) string {
	st := m.st
	today := m.today()
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Workload board · "+one(m.user.Center)) + st.Muted.Render(" · as of "+today.String()) + "\n\n")
	nameW := 8
	for _, l := range m.sup.loads {
		nameW = max(nameW, width(one(l.User))+1)
	}
	nameW = min(nameW, 17)
	row := func(cur, name, open, overdue, week, pending, stake, oldest string) string {
		return fit(" "+cur+fit(name, nameW)+fitLeft(open, 6)+fitLeft(overdue, 10)+fitLeft(week, 12)+fitLeft(pending, 9)+fitLeft(stake, 15)+"  "+oldest, m.width)
	}
	b.WriteString(st.ColumnHead.Render(row("  ", "REVIEWER", "OPEN", "! OVERDUE", "• THIS WEEK", "PENDING", "AT STAKE", "OLDEST CLOCK")) + "\n")
	var tot cases.Counts
	for i, l := range m.sup.loads {
		c := l.Counts
		tot.Open += c.Open
		tot.Overdue += c.Overdue
		tot.DueWeek += c.DueWeek
		tot.Pending += c.Pending
		tot.Revenue += c.Revenue
		oldest := "-"
		if !l.Oldest.IsZero() {
			oldest = fmt.Sprintf("%s %s", dueMark(today, l.Oldest), l.Oldest)
			if m.width >= 110 {
				oldest += " (" + dueWords(today, l.Oldest) + ")"
			}
		}
		cur := "  "
		if i == m.sup.wlCursor {
			cur = "> "
		}
		line := row(cur, one(l.User), fmt.Sprint(c.Open), fmt.Sprint(c.Overdue), fmt.Sprint(c.DueWeek), fmt.Sprint(c.Pending), c.Revenue.String(), oldest)
		switch {
		case i == m.sup.wlCursor:
			line = st.Cursor.Render(line)
		case c.Overdue > 0:
			line = st.Overdue.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if len(m.sup.loads) == 0 {
		b.WriteString(st.Muted.Render("   nobody in this Center holds cases yet") + "\n")
	}
	b.WriteString(st.Muted.Render(row("  ", "total", fmt.Sprint(tot.Open), fmt.Sprint(tot.Overdue), fmt.Sprint(tot.DueWeek), fmt.Sprint(tot.Pending), tot.Revenue.String(), "")) + "\n")
	b.WriteString("\n" + st.Muted.Render(strings.TrimSuffix(paragraph(" ", "enter shows that reviewer's cases; b proposes moves that even out the load due this week", m.width), "\n")))
	return b.String()
}

// --- rebalancing ---------------------------------------------------------------------------------------------------

// proposeRebalance computes moves that even out due-this-week load and shows them; nothing is written until the
// supervisor confirms.
func (m *Model) proposeRebalance() {
	users, err := m.desk.Users(m.user.Name, m.user.Center)
	if err != nil {
		m.fail(err)
		return
	}
	today := m.today()
	loads := map[string][]cases.QueueRow{}
	var reviewers []string
	for _, u := range users {
		if u.Role != cases.RoleReviewer || u.Disabled {
			continue
		}
		reviewers = append(reviewers, u.Name)
		p, err := m.desk.Queue(m.user.Name, cases.QueueQuery{Assignee: u.Name, OpenOnly: true, Sort: cases.SortDue, Today: today,
			Filter: cases.Filter{DueOp: "<=", DueDays: 7}, Limit: 10000})
		if err != nil {
			m.fail(err)
			return
		}
		loads[u.Name] = p.Rows
	}
	m.sup.moves = cases.Rebalance(loads, reviewers, today)
	if len(m.sup.moves) == 0 {
		m.say("due-this-week load is already even across %s", plural(len(reviewers), "reviewer", "reviewers"))
		return
	}
	m.pane = paneRebalance
}

func (m *Model) rebalanceKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case k.Confirm.pressed(msg):
		m.applyRebalance()
	case k.Cancel.pressed(msg):
		m.sup.moves = nil
		m.pane = paneWorkload
		m.say("rebalance cancelled; nothing was written")
	}
	return nil
}

func (m *Model) applyRebalance() {
	byTo := map[string][]string{}
	versions := map[string][]uint64{}
	var tos []string
	for _, mv := range m.sup.moves {
		if byTo[mv.To] == nil {
			tos = append(tos, mv.To)
		}
		byTo[mv.To] = append(byTo[mv.To], mv.Case)
		versions[mv.To] = append(versions[mv.To], mv.Version)
	}
	moved := 0
	for _, to := range tos {
		if _, err := m.desk.Assign(m.user.Name, byTo[to], versions[to], to, "rebalance due-this-week load", m.today()); err != nil {
			m.fail(fmt.Errorf("rebalance stopped after %d of %d moves: %w", moved, len(m.sup.moves), err))
			m.pane = paneWorkload
			m.reload()
			return
		}
		moved += len(byTo[to])
	}
	m.sup.moves = nil
	m.say("rebalanced: %s reassigned", plural(moved, "case", "cases"))
	m.openWorkload()
	m.q.refresh(m)
}

func (m *Model) rebalanceView(h int) string {
	st := m.st
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Proposed rebalance of due-this-week load") + "\n")
	hint := strings.TrimSuffix(paragraph(" ", "Nothing is written until you confirm. Each move is recorded with the reason \"rebalance due-this-week load\".", m.width), "\n")
	b.WriteString(st.Muted.Render(hint) + "\n\n")
	idW, fromW := 14, 10
	for _, mv := range m.sup.moves {
		idW, fromW = max(idW, width(one(mv.Case))), max(fromW, width(one(mv.From)))
	}
	idW, fromW = min(idW, 32), min(fromW, 32)
	b.WriteString(st.ColumnHead.Render(fit("   "+fit("CASE", idW)+"  "+fit("FROM", fromW)+"   TO", m.width)) + "\n")
	rows := max(h-6-strings.Count(hint, "\n"), 1)
	for i, mv := range m.sup.moves {
		if i == rows-1 && len(m.sup.moves) > rows {
			b.WriteString(st.Muted.Render(fmt.Sprintf("   … and %d more", len(m.sup.moves)-i)) + "\n")
			break
		}
		b.WriteString(fit("   "+fit(one(mv.Case), idW)+"  "+fit(one(mv.From), fromW)+" → "+one(mv.To), m.width) + "\n")
	}
	b.WriteString("\n" + st.Key.Render(" y/enter") + fmt.Sprintf(" make these %d moves   ", len(m.sup.moves)) + st.Key.Render("esc/n") + " cancel")
	return b.String()
}

// --- reassignment --------------------------------------------------------------------------------------------------

// startReassign lets a supervisor choose who takes the given cases, as of the versions the supervisor saw.
func (m *Model) startReassign(refs []caseRef) {
	ids := refIDs(refs)
	if len(ids) == 0 {
		m.say("no case to reassign")
		return
	}
	users, err := m.desk.Users(m.user.Name, m.user.Center)
	if err != nil {
		m.fail(err)
		return
	}
	var holders []cases.User
	for _, u := range users {
		if !u.Disabled && (u.Role == cases.RoleReviewer || u.Role == cases.RoleSupervisor) {
			holders = append(holders, u)
		}
	}
	if len(holders) == 0 {
		m.status, m.statusBad = "nobody in this Center can hold cases", true
		return
	}
	m.sup.users, m.sup.usCursor, m.sup.reassignIDs, m.sup.reassignVers = holders, 0, ids, refVersions(refs)
	m.sup.holding = map[string]int{}
	for _, id := range ids[:min(len(ids), 200)] {
		if c, err := m.desk.Case(m.user.Name, id); err == nil && c.Assignee != "" {
			m.sup.holding[c.Assignee]++
		}
	}
	for i, u := range holders { // start on the first who does not hold them all already
		if m.sup.holding[u.Name] < len(ids) {
			m.sup.usCursor = i
			break
		}
	}
	m.sup.reassignBack = m.pane
	m.pane = paneReassign
}

func (m *Model) reassignKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	s := &m.sup
	switch {
	case m.is(msg, k.Down):
		s.usCursor = clamp(s.usCursor+1, 0, len(s.users)-1)
	case m.is(msg, k.Up):
		s.usCursor = clamp(s.usCursor-1, 0, len(s.users)-1)
	case m.is(msg, k.Open):
		s.reassignTo = s.users[s.usCursor].Name
		m.openDialog(dialogReason)
		return m.dlg.ta.Focus()
	case m.is(msg, k.Back):
		m.pane = s.reassignBack
	}
	return nil
}

func (m *Model) confirmReassign(reason string) {
	s := &m.sup
	ids, versions, to := s.reassignIDs, s.reassignVers, s.reassignTo
	body := fmt.Sprintf("Cases: %s\nTo:     %s\nReason: %s", one(strings.Join(ids, ", ")), one(to), one(reason))
	m.confirm(fmt.Sprintf("Reassign %s to %s?", plural(len(ids), "case", "cases"), one(to)), body, func() {
		_, err := m.desk.Assign(m.user.Name, ids, versions, to, reason, m.today())
		m.pane = s.reassignBack
		if err != nil {
			m.refused(err)
			return
		}
		m.q.marks = map[string]uint64{}
		m.say("%s reassigned to %s", plural(len(ids), "case", "cases"), one(to))
		m.reload()
	})
}

func (m *Model) reassignView(h int) string {
	st := m.st
	s := &m.sup
	var b strings.Builder
	b.WriteString(" " + st.Title.Render(fmt.Sprintf("Reassign %s", plural(len(s.reassignIDs), "case", "cases"))) + st.Muted.Render(" · "+one(strings.Join(s.reassignIDs, ", "))) + "\n\n")
	if len(s.reassignIDs) == 1 {
		b.WriteString(" Choose who takes it:\n")
	} else {
		b.WriteString(" Choose who takes them:\n")
	}
	for i, u := range s.users {
		holds := ""
		switch n := s.holding[u.Name]; {
		case n > 0 && len(s.reassignIDs) == 1:
			holds = "  (holds it now)"
		case n > 0:
			holds = fmt.Sprintf("  (holds %d of them now)", n)
		}
		line := fmt.Sprintf("   %s %s %s", fit(one(u.Name), 14), fit(string(u.Role), 11), one(u.Display)+holds)
		if i == s.usCursor {
			line = st.Cursor.Render(fit(" > "+line[3:], m.width))
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// --- approvals -----------------------------------------------------------------------------------------------------

func (m *Model) openApprovals() {
	m.loadApprovals()
	m.pane = paneApprovals
}

func (m *Model) loadApprovals() {
	rows, err := m.desk.Approvals(m.user.Name, m.user.Center)
	if err != nil {
		m.fail(err)
		return
	}
	m.sup.approvals = rows
	m.sup.apCursor = clamp(m.sup.apCursor, 0, max(len(rows)-1, 0))
	m.sup.deciders = map[string]string{}
	for _, r := range rows[:min(len(rows), 500)] {
		if c, err := m.desk.Case(m.user.Name, r.ID); err == nil && c.Decision != nil {
			m.sup.deciders[r.ID] = c.Decision.By
		}
	}
	m.loadApprovalCase()
}

func (m *Model) loadApprovalCase() {
	m.sup.apCase = nil
	if len(m.sup.approvals) == 0 {
		return
	}
	c, err := m.desk.Case(m.user.Name, m.sup.approvals[m.sup.apCursor].ID)
	if err != nil {
		m.fail(err)
		return
	}
	m.sup.apCase = c
}

func (m *Model) moveApproval(delta int) {
	m.sup.apCursor = clamp(m.sup.apCursor+delta, 0, max(len(m.sup.approvals)-1, 0))
	m.loadApprovalCase()
}

func (m *Model) approvalsKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case m.is(msg, k.Down):
		m.moveApproval(1)
	case m.is(msg, k.Up):
		m.moveApproval(-1)
	case m.is(msg, k.Open):
		if m.sup.apCase != nil {
			m.openCase(m.sup.apCase.ID, paneApprovals)
		}
	case m.is(msg, k.Approve):
		if m.sup.apCase != nil {
			m.openDialog(dialogApprove)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.Return):
		if m.sup.apCase != nil {
			m.openDialog(dialogReturn)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.Back):
		m.pane = paneQueue
	default:
		cmd, _ := m.global(msg)
		return cmd
	}
	return nil
}

// refusedApproval explains a refused approval or return (the approver is never the decider, and so on).
func (m *Model) refusedApproval(err error) {
	m.refused(err)
	m.loadApprovals()
}

func approvalSummary(m *Model, c *cases.Case, comment string) string {
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

func (m *Model) approvalsView(h int) string {
	st := m.st
	today := m.today()
	var b strings.Builder
	b.WriteString(" " + st.Title.Render("Decisions waiting for approval · "+one(m.user.Center)) + "\n\n")
	if len(m.sup.approvals) == 0 {
		b.WriteString(st.Muted.Render("   Nothing waits for approval.") + "\n")
		return b.String()
	}
	idW := idWidth(m.sup.approvals)
	impW := clamp(m.width-56-idW, 8, 44)
	b.WriteString(st.ColumnHead.Render(fit("    "+fit("DUE", 10)+" "+fitLeft("LEFT", 6)+" "+fit("KIND", 4)+" "+fit("CASE", idW)+" "+fit("IMPORTER", impW)+" "+fit("DECIDED BY", 12)+fitLeft("AT STAKE", 14), m.width)) + "\n")
	listH := min(len(m.sup.approvals), max(h/2-3, 3))
	top := max(m.sup.apCursor-listH+1, 0)
	for i := top; i < min(top+listH, len(m.sup.approvals)); i++ {
		r := m.sup.approvals[i]
		by := m.sup.deciders[r.ID]
		if i == m.sup.apCursor && m.sup.apCase != nil && m.sup.apCase.Decision != nil {
			by = m.sup.apCase.Decision.By
		}
		if by == m.user.Name {
			by += " (you)"
		}
		cur := " "
		if i == m.sup.apCursor {
			cur = ">"
		}
		line := fit(fmt.Sprintf("%s %s %s %s %s %s %s %s%s", cur, dueMark(today, r.Due), fit(r.Due.String(), 10), fitLeft(daysLeft(today, r.Due), 6),
			fit(r.Kind.Short(), 4), fit(one(r.ID), idW), fit(one(r.Importer), impW), fit(one(by), 12), fitLeft(r.Revenue.String(), 14)), m.width)
		if i == m.sup.apCursor {
			line = st.Cursor.Render(line)
		}
		b.WriteString(line + "\n")
	}
	if c := m.sup.apCase; c != nil && c.Decision != nil {
		b.WriteString("\n" + st.Section.Render(" DECISION ON "+one(c.ID)) + "\n")
		decisionText(record{b: &b, st: st, w: m.width}, *c.Decision)
	}
	return b.String()
}
