package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
	"ceedesk/themes"
)

// detailState is the case-detail pane: everything a reviewer needs to decide, in one scrolling view.
type detailState struct {
	c    *cases.Case
	hist []cases.Event
	vp   viewport.Model
	// why is non-empty when this user may not work the case, and says why (read-only for them).
	why    string
	notice *noticePreview // the notice preview, while it is open (notice.go)
}

// detail header lines above the viewport
const detailChrome = 2

func (d *detailState) layout(m *Model) {
	d.vp.Width = m.width
	d.vp.Height = max(m.height-3-detailChrome, 1)
	if d.c != nil {
		d.vp.SetContent(m.caseText(d.c, d.hist, m.width))
	}
}

// openCase shows a case. Opening one's own assigned case starts its review. It reports whether the case opened.
func (m *Model) openCase(id string, from pane) bool {
	c, err := m.desk.Case(m.user.Name, id)
	if err != nil {
		m.fail(err)
		return false
	}
	if err := cases.CanView(m.user, c); err != nil {
		m.fail(err)
		return false
	}
	if c.Status == cases.StatusAssigned && c.Assignee == m.user.Name && !m.readOnly && cases.CanWork(m.user, c) == nil {
		started, err := m.desk.StartReview(m.user.Name, c.ID, c.Version)
		if err != nil {
			m.refused(err)
		} else {
			c = started
		}
	}
	fresh := m.d.c == nil || m.d.c.ID != c.ID
	m.d.c = c
	m.loadHistory()
	m.d.why = m.workReason(c)
	m.d.layout(m)
	if fresh {
		m.d.vp.GotoTop()
	}
	if from != paneDetail && from != paneDecision {
		m.back = from
	}
	m.pane = paneDetail
	return true
}

func (m *Model) loadHistory() {
	h, err := m.desk.History(m.user.Name, m.d.c.ID)
	if err != nil {
		m.fail(err)
	}
	m.d.hist = h
}

// workReason says why this user may not work c, or "" when they may.
func (m *Model) workReason(c *cases.Case) string {
	if m.readOnly {
		return "this session is read-only"
	}
	if err := cases.CanWork(m.user, c); err != nil {
		return says(err)
	}
	if !c.Status.Open() {
		return "the case is decided"
	}
	return ""
}

// reloadCase rereads the open case after a change. When the case has been reassigned away from the user it says
// so and the case becomes read-only for them.
func (m *Model) reloadCase() {
	old := m.d.c
	c, err := m.desk.Case(m.user.Name, old.ID)
	if err != nil {
		m.fail(fmt.Errorf("case %s: %w", old.ID, err))
		return
	}
	m.d.c = c
	m.loadHistory()
	m.d.why = m.workReason(c)
	m.d.layout(m)
	if old.Assignee == m.user.Name && c.Assignee != m.user.Name && m.user.Role != cases.RoleSupervisor {
		m.status, m.statusBad = fmt.Sprintf("case %s was reassigned to %s by %s; it is read-only for you now",
			one(c.ID), one(orNobody(c.Assignee)), one(orNobody(c.UpdatedBy))), true
		if m.pane == paneDecision {
			m.pane = paneDetail
		}
		if m.dlg != nil && m.dlg.caseID == c.ID {
			m.dlg = nil
		}
	}
}

func (m *Model) detailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	d := &m.d
	switch {
	case d.notice != nil || k.Notice.pressed(msg):
		return m.noticeKey(msg)
	case m.scroll(&d.vp, msg):
	case m.is(msg, k.Decide):
		m.startDecision()
	case m.is(msg, k.Note):
		if m.mayWork() {
			m.openDialog(dialogNote)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.Info):
		if m.mayWork() {
			m.openDialog(dialogInfo)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.Answer):
		if m.mayWork() {
			if cases.OpenRequest(d.c) < 0 {
				m.status, m.statusBad = fmt.Sprintf("case %s has no open request for information to answer; %s sends one", one(d.c.ID), k.Info.Help().Key), true
				return nil
			}
			m.openDialog(dialogAnswer)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.NoticeOfAction):
		if m.mayWork() {
			if d.c.Status == cases.StatusPendingApproval {
				m.status, m.statusBad = "this case has a decision waiting for a supervisor's approval", true
				return nil
			}
			m.openDialog(dialogNotice)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.Reply):
		if m.mayWork() {
			if cases.OpenNotice(d.c) < 0 {
				m.status, m.statusBad = fmt.Sprintf("case %s has no notice of action waiting for a reply; %s records one", one(d.c.ID), k.NoticeOfAction.Help().Key), true
				return nil
			}
			m.openDialog(dialogReply)
			return m.dlg.ta.Focus()
		}
	case m.is(msg, k.NextCase):
		m.stepCase(1)
	case m.is(msg, k.PrevCase):
		m.stepCase(-1)
	case m.is(msg, k.Reassign):
		m.startReassign([]caseRef{{id: d.c.ID, version: d.c.Version}})
	case m.is(msg, k.Back):
		m.pane = m.back
		if m.pane == paneApprovals {
			m.loadApprovals()
		}
	default:
		cmd, _ := m.global(msg)
		return cmd
	}
	return nil
}

// mayWork reports whether the open case can be worked, saying why not in the status line.
func (m *Model) mayWork() bool {
	if m.d.why != "" {
		m.status, m.statusBad = one(m.d.why), true
		return false
	}
	return true
}

// stepCase opens the next or previous case of the queue without going back to it.
func (m *Model) stepCase(dir int) {
	q := &m.q
	if q.total == 0 {
		return
	}
	if dir > 0 && q.cursor >= q.total-1 || dir < 0 && q.cursor == 0 {
		m.say("no more cases in the queue")
		return
	}
	q.move(m, dir)
	if r := q.current(); r != nil {
		m.openCase(r.ID, paneDetail)
	}
}

func (d *detailState) view(m *Model, h int) string {
	if d.c == nil {
		return m.st.Muted.Render("  No case is open. Press esc for the queue.")
	}
	if d.notice != nil {
		return m.noticeView(h)
	}
	c := d.c
	who := "unassigned"
	if c.Assignee != "" {
		who = "assigned to " + one(c.Assignee)
		if !c.Assigned.IsZero() {
			who += " since " + c.Assigned.String()
		}
	}
	head := fmt.Sprintf(" %s  %s · %s · %s", m.st.Title.Render(one(c.ID)), c.Kind.Title(), c.Status.Title(), who)
	sub := ""
	if d.why != "" {
		sub = m.st.Warn.Render(" read-only: " + one(d.why))
	} else {
		sub = fmt.Sprintf(" version %d", c.Version)
		if c.UpdatedBy != "" && !c.UpdatedAt.IsZero() {
			sub += fmt.Sprintf(" · last changed by %s at %s", one(c.UpdatedBy), c.UpdatedAt.Format("2006-01-02 15:04"))
		}
		sub = m.st.Muted.Render(sub)
	}
	d.vp.Height = max(h-detailChrome, 1)
	pct := ""
	if d.vp.TotalLineCount() > d.vp.Height {
		pct = fmt.Sprintf(" %3.0f%%", d.vp.ScrollPercent()*100)
	}
	return fit(head, m.width-len(pct)) + m.st.Muted.Render(pct) + "\n" + fit(sub, m.width) + "\n" + d.vp.View()
}

// caseText renders a case for the detail pane, all outside text cleaned, wrapped to w cells.
func (m *Model) caseText(c *cases.Case, hist []cases.Event, w int) string {
	p := m.desk.Policy()
	today := m.today()
	st := m.st
	var b strings.Builder
	r := record{b: &b, st: st, w: w}
	section, field, para := r.section, r.field, r.para

	section("CASE")
	field("Kind", c.Kind.Title())
	field("Status", c.Status.Title())
	field("Received", c.Received.String())
	field("Revenue at stake", c.Revenue().String())

	section("CLOCKS")
	clockText(r, c, p, today)

	if fs := cases.Findings(c, p, today); len(fs) > 0 {
		section("FINDINGS")
		for _, f := range fs {
			para("  ▲ ", f.Text+" ("+f.Basis+")")
		}
	}

	section("IMPORTER")
	field("Name", one(c.Importer.Name))
	field("Number", one(c.Importer.Number))
	progs := make([]string, len(c.Importer.Programs))
	for i, pr := range c.Importer.Programs {
		progs[i] = one(string(pr))
	}
	if len(progs) == 0 {
		progs = []string{"none"}
	}
	field("Programs", strings.Join(progs, ", "))

	section("ENTRY SUMMARY")
	e := c.Entry
	field("Entry number", one(e.Number))
	field("Type", strings.TrimSpace(one(e.Type)+" "+cases.EntryTypeName(e.Type)))
	field("Port", strings.TrimSpace(one(e.Port)+" "+cases.PortName(e.Port)))
	field("Entry date", e.EntryDate.String())
	field("Liquidation", e.Liquidates.String())
	if !e.Extended.IsZero() {
		field("Extended to", e.Extended.String())
	}
	if !e.Liquidated.IsZero() {
		field("Liquidated", e.Liquidated.String())
	}
	field("Entered value", e.TotalValue().String())
	field("Duty", e.TotalDuty().String())
	if len(e.Lines) > 0 {
		descW := clamp(w-2-4-13-4-14-7-13-6, 10, 60)
		b.WriteString(st.ColumnHead.Render(fmt.Sprintf("  %s %s %s %s %s %s %s", fitLeft("#", 3), fit("HTS", 12), fit("DESCRIPTION", descW), fit("ORIG", 4), fitLeft("VALUE", 14), fitLeft("RATE", 6), fitLeft("DUTY", 13))) + "\n")
		for _, l := range e.Lines {
			b.WriteString(fmt.Sprintf("  %s %s %s %s %s %s %s\n", fitLeft(fmt.Sprint(l.Number), 3), fit(cases.FormatHTS(l.HTS), 12), fit(one(l.Description), descW), fit(one(l.Origin), 4), fitLeft(l.Value.String(), 14), fitLeft(fmt.Sprintf("%d.%02d%%", l.RateBP/100, l.RateBP%100), 6), fitLeft(l.Duty.String(), 13)))
		}
	}

	kindText(r, c)

	if c.Decision != nil {
		section("DECISION")
		decisionText(r, *c.Decision)
	}

	if len(c.Requests) > 0 {
		section("REQUESTS FOR INFORMATION (CBP FORM 28)")
		for _, r := range c.Requests {
			if r.Answered != 0 {
				b.WriteString(fmt.Sprintf("  %s %s · answer due %s\n", r.At.Format("2006-01-02 15:04"), one(r.By), r.Due))
			} else {
				b.WriteString(fmt.Sprintf("  %s %s · answer due %s (%s)\n", r.At.Format("2006-01-02 15:04"), one(r.By), r.Due, dueWords(today, r.Due)))
			}
			para("    ", r.Question)
			if r.Answered != 0 {
				b.WriteString(st.Label.Render(fmt.Sprintf("    answered %s (recorded by %s)", r.Answered, one(r.RecordedBy))) + "\n")
				para("      ", r.Answer)
			}
		}
	}

	if len(c.Notices) > 0 {
		section("NOTICES OF ACTION (CBP FORM 29)")
		for _, n := range c.Notices {
			line := fmt.Sprintf("  %s · sent %s by %s", noticeKind(n), n.Sent, one(n.By))
			if n.Proposed {
				line += " · reply due " + n.ReplyDue.String()
				if n.Replied == 0 {
					line += " (" + dueWords(today, n.ReplyDue) + ")"
				}
			}
			b.WriteString(line + "\n")
			para("    ", n.Action)
			if n.Replied != 0 {
				b.WriteString(st.Label.Render(fmt.Sprintf("    replied %s", n.Replied)) + "\n")
				para("      ", n.Reply)
			}
		}
	}

	section("NOTES")
	if len(c.Notes) == 0 {
		b.WriteString(st.Muted.Render("  none yet — n adds one") + "\n")
	}
	for _, n := range c.Notes {
		b.WriteString(st.Label.Render(fmt.Sprintf("  %s %s", n.At.Format("2006-01-02 15:04"), one(n.Author))) + "\n")
		para("    ", n.Text)
	}

	section("HISTORY")
	if len(hist) == 0 {
		b.WriteString(st.Muted.Render("  no events") + "\n")
	}
	for _, ev := range hist {
		text := fit(ev.Action, 12) + " " + ev.Change
		if ev.Reason != "" {
			text += " — " + ev.Reason
		}
		b.WriteString(st.Label.Render(fmt.Sprintf("  %s %s", ev.At.Format("2006-01-02 15:04"), fit(one(ev.Actor), 10))))
		lines := strings.Split(wrap(cases.CleanLine(text), max(w-30, 20)), "\n")
		for i, l := range lines {
			if i > 0 {
				b.WriteString(strings.Repeat(" ", 29))
			} else {
				b.WriteString(" ")
			}
			b.WriteString(l + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// clockText renders the CLOCKS section: each clock's last day to act, the kind of date it is (a deadline that
// rolls off weekends and holidays, a deemed event that never rolls and is acted on the day before, a "before"
// limit that never moves), how it stands, the day of a deemed event and the clock's legal basis. (How each was
// counted is in the findings of a clock past, and in case --json.)
func clockText(r record, c *cases.Case, p cases.Policy, today cases.Date) {
	b, st, w := r.b, r.st, r.w
	b.WriteString(st.ColumnHead.Render(fmt.Sprintf("    %s %s  %s  %s", fit("CLOCK", 34), fit("ACT BY", 10), fit("KIND", 8), "STATUS")) + "\n")
	for _, k := range cases.Clocks(c, p) {
		mark, words := " ", "met"
		style := st.Good
		if !k.Met {
			mark, words = dueMark(today, k.Due), dueWords(today, k.Due)
			style = st.Text
			switch mark {
			case "!":
				style = st.Overdue
			case "•":
				style = st.DueSoon
			}
		}
		action := ""
		if k.Action {
			action = " (action)"
		}
		line := fmt.Sprintf("  %s %s %s  %s  %s", mark, fit(one(k.Name)+action, 34), fit(k.Due.String(), 10), fit(string(k.Kind), 8), fit(words, 16))
		how := k.Basis
		if k.Kind == cases.DateDeemed {
			how = k.Event + " on " + k.Deemed.String() + " · " + how
		}
		how = one(how)
		if len([]rune(line))+2+len([]rune(how)) <= w {
			b.WriteString(style.Render(line+"  "+how) + "\n")
		} else {
			b.WriteString(style.Render(line) + "\n" + st.Muted.Render(strings.TrimSuffix(paragraph("      ", how, w), "\n")) + "\n")
		}
	}
	if pr := c.Protest; pr != nil && !pr.HQReferred.IsZero() {
		answer := "no answer yet"
		if !pr.HQAnswered.IsZero() {
			answer = "answered " + pr.HQAnswered.String()
		}
		b.WriteString(st.Text.Render(fit(fmt.Sprintf("    %s %s  %s", fit("Referred to Headquarters", 34), pr.HQReferred, answer+" · 19 CFR 174.26"), w)) + "\n")
	}
}

// record writes a labelled record (a case, a decision) into b: sections, label-value fields and wrapped
// paragraphs of outside text, all w cells wide.
type record struct {
	b  *strings.Builder
	st themes.Styles
	w  int
}

func (r record) section(title string) {
	r.b.WriteString("\n" + r.st.Section.Render(title) + "\n")
}

func (r record) field(label, value string) {
	r.b.WriteString(r.st.Label.Render(fit("  "+label, 22)) + value + "\n")
}

func (r record) para(indent, text string) { r.b.WriteString(paragraph(indent, text, r.w)) }

// kindText renders the kind's own part of the case.
func kindText(r record, c *cases.Case) {
	section, field, para := r.section, r.field, r.para
	yes := func(v bool) string {
		if v {
			return "yes"
		}
		return "no"
	}
	switch {
	case c.Protest != nil:
		p := c.Protest
		section("PROTEST (CBP FORM 19)")
		field("Protest number", one(p.Number))
		field("Filed", p.Filed.String())
		field("Protested decision", p.Protested.String())
		gs := make([]string, len(p.Grounds))
		for i, g := range p.Grounds {
			gs[i] = one(string(g))
		}
		field("Grounds", strings.Join(gs, ", "))
		field("Refund claimed", p.Claimed.String())
		if !p.AccelMailed.IsZero() {
			field("Accelerated disp.", "requested, mailed "+p.AccelMailed.String())
		}
		field("Further review", yes(p.FurtherReview))
		if p.FurtherReview {
			field("AFR filed", p.AFRFiled.String())
			if len(p.OriginalDeciders) > 0 {
				field("Original deciders", one(strings.Join(p.OriginalDeciders, ", "))+" (may not decide, 19 CFR 174.26)")
			}
		}
	case c.PSC != nil:
		p := c.PSC
		section("POST-SUMMARY CORRECTION")
		field("Filed", p.Filed.String())
		field("Summary version", fmt.Sprint(p.Version))
		field("Reason codes", one(strings.Join(p.ReasonCodes, ", ")))
		field("Duty difference", p.DutyDiff.String())
		field("Explanation", "")
		para("    ", p.Explanation)
	case c.PEA != nil:
		p := c.PEA
		section("POST-ENTRY AMENDMENT")
		field("Filed", p.Filed.String())
		field("Duty difference", p.DutyDiff.String())
		field("Explanation", "")
		para("    ", p.Explanation)
	case c.Disclosure != nil:
		p := c.Disclosure
		section("PRIOR DISCLOSURE (19 U.S.C. 1592(c)(4))")
		field("Disclosed", p.Disclosed.String())
		field("Oral", yes(p.Oral))
		if p.Oral {
			field("Confirmed in writing", orNone(p.Confirmed.String()))
		}
		field("Perfected", orNone(p.Perfected.String()))
		field("Lost revenue", p.LostRevenue.String())
		field("Tendered", p.Tender.String())
	case c.Validation != nil:
		p := c.Validation
		section("VALIDATION")
		field("Program", one(string(p.Program)))
		field("Scope", one(p.Scope))
		if !p.Due.IsZero() {
			field("Due (set)", p.Due.String())
		}
	}
}

// decisionText renders a decision record, the same way in the detail pane, the decision's confirmation and the
// approvals view.
func decisionText(r record, d cases.Decision) {
	field, para := r.field, r.para
	spec, _ := cases.Spec(d.Outcome)
	field("Outcome", fmt.Sprintf("%s (%s)", spec.Title, d.Outcome))
	if d.Amount != 0 {
		field("Amount", d.Amount.String())
	}
	if len(d.Lines) > 0 {
		ls := make([]string, len(d.Lines))
		for i, n := range d.Lines {
			ls[i] = fmt.Sprint(n)
		}
		field("Lines", strings.Join(ls, ", "))
	}
	if d.By != "" {
		field("Decided by", one(d.By)+" on "+d.On.String())
	}
	if d.Reasons != "" {
		field("Reasons", "")
		para("    ", d.Reasons)
	}
	if spec.Notice != "" {
		field("Notice", "")
		para("    ", spec.Notice)
	}
	if d.LateAck != "" {
		field("Late decision", "")
		para("    ", d.LateAck)
	}
	switch {
	case d.Approver != "":
		field("Approved by", one(d.Approver)+" at "+d.Approved.Format("2006-01-02 15:04"))
	case d.Approval:
		field("Approval", "waits for a supervisor's approval")
	}
}

func orNone(s string) string {
	if s == "" {
		return "not yet"
	}
	return s
}

// paragraph wraps outside text to w cells; the first line starts with indent (which may carry a bullet), the
// others with as many spaces.
func paragraph(indent, text string, w int) string {
	var b strings.Builder
	pad := strings.Repeat(" ", len([]rune(indent)))
	for i, l := range strings.Split(wrap(cases.Clean(text), w-len([]rune(indent))-1), "\n") {
		if i == 0 {
			b.WriteString(indent)
		} else {
			b.WriteString(pad)
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}

// scroll moves a viewport by the scrolling keys (down, up, page down, page up, top, bottom) and reports whether
// msg was one of them.
func (m *Model) scroll(vp *viewport.Model, msg tea.KeyMsg) bool {
	k := m.keys
	switch {
	case m.is(msg, k.Down):
		vp.ScrollDown(1)
	case m.is(msg, k.Up):
		vp.ScrollUp(1)
	case m.is(msg, k.PageDown):
		vp.PageDown()
	case m.is(msg, k.PageUp):
		vp.PageUp()
	case m.is(msg, k.Top):
		vp.GotoTop()
	case m.is(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}
