package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ceedesk/cases"
	"ceedesk/themes"
)

// detailPane is the case pane: everything a reviewer needs to decide, in one scrolling view.
type detailPane struct {
	*common
	c    *cases.Case
	hist []cases.Event
	rel  relatedCases
	vp   viewport.Model
	// why is non-empty when this user may not work the case, and says why (read-only for them).
	why    string
	notice *noticePreview // the notice preview, while it is open (notice.go)
	back   pane           // where esc returns to
}

// detail header lines above the viewport; a case checked out to a desk has one more, which says so
const detailChrome = 2

func newDetail(c *common) *detailPane { return &detailPane{common: c} }

// chrome is the header lines above the viewport for the open case.
func (d *detailPane) chrome() int {
	if d.c != nil && d.c.Lease != nil {
		return detailChrome + 1
	}
	return detailChrome
}

// SetSize implements component.
func (d *detailPane) SetSize(w, h int) {
	d.vp.Width = w
	d.vp.Height = max(h-d.chrome(), 1)
	if d.c != nil {
		d.vp.SetContent(d.caseRecord(d.c, d.hist, &d.rel, w))
	}
}

// layout lays the case out again for the screen as it is.
func (d *detailPane) layout() { d.SetSize(d.width, d.bodyHeight()) }

// Typing implements component: the case pane has no text field.
func (d *detailPane) Typing() bool { return false }

// Changed implements component: the open case is reread when the change touched it, and the pane says who changed
// it when that is news.
func (d *detailPane) Changed(ch cases.Change) {
	if d.c == nil || !touches(ch, d.c.ID) {
		return
	}
	before := d.c.Version
	d.reload()
	if d.ws.pane == paneDetail && d.c.Version != before && d.status == "" {
		d.say("case %s was just changed by %s at %s", one(d.c.ID), one(orNobody(d.c.UpdatedBy)), d.c.UpdatedAt.Format("15:04"))
	}
}

// open shows a case. Opening a case, or paging through cases, only reads: the review of an assigned case begins
// with the reviewer's first act on it, or the begin-review key. It reports whether the case opened.
func (d *detailPane) open(id string, from pane) bool {
	c, err := d.desk.Case(d.user.Name, id)
	if err != nil {
		d.fail(err)
		return false
	}
	if err := cases.CanView(d.user, c); err != nil {
		d.fail(err)
		return false
	}
	fresh := d.c == nil || d.c.ID != c.ID
	d.show(c)
	if fresh {
		d.vp.GotoTop()
	}
	if from != paneDetail && from != paneDecision {
		d.back = from
	}
	d.ws.show(paneDetail)
	return true
}

// show puts c on the pane as the store returned it, with its history and the cases related to it.
func (d *detailPane) show(c *cases.Case) {
	d.c = c
	d.loadHistory()
	d.rel.rows, d.rel.err = d.desk.Related(d.user.Name, c.ID)
	d.why = d.workReason(c)
	d.layout()
}

func (d *detailPane) loadHistory() {
	h, err := d.desk.History(d.user.Name, d.c.ID)
	if err != nil {
		d.fail(err)
	}
	d.hist = h
}

// workReason says why this user may not work c, or "" when they may.
func (d *detailPane) workReason(c *cases.Case) string {
	if d.readOnly {
		return "this session is read-only"
	}
	if err := cases.CanWork(d.user, c); err != nil {
		return says(err)
	}
	if !c.Status.Open() {
		return "the case is decided"
	}
	if cases.CanWriteLeased(d.user, c.ID, c.Lease, d.today()) != nil {
		return "its work is on " + one(c.Lease.User) + "'s desk file until it is checked in"
	}
	return ""
}

// reload rereads the open case after a change. When the case has been reassigned away from the user it says
// so and the case becomes read-only for them; a decision or a dialog in progress on it stays, with what was typed
// (they say what can still be done with it).
func (d *detailPane) reload() {
	old := d.c
	c, err := d.desk.Case(d.user.Name, old.ID)
	if err != nil {
		d.fail(fmt.Errorf("case %s: %w", old.ID, err))
		return
	}
	d.show(c)
	if old.Assignee == d.user.Name && c.Assignee != d.user.Name && d.user.Role != cases.RoleSupervisor {
		d.refuse("case %s was reassigned to %s by %s; it is read-only for you now",
			one(c.ID), one(orNobody(c.Assignee)), one(orNobody(c.UpdatedBy)))
	}
}

// mouse scrolls the case by the wheel.
func (d *detailPane) mouse(msg tea.MouseMsg) tea.Cmd {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		d.vp.ScrollUp(3)
	case tea.MouseButtonWheelDown:
		d.vp.ScrollDown(3)
	}
	return nil
}

// Update implements component.
func (d *detailPane) Update(msg tea.KeyMsg) tea.Cmd {
	k := d.keys
	ws := d.ws
	switch {
	case d.notice != nil || k.Notice.pressed(msg):
		return d.noticeKey(msg)
	case d.scroll(&d.vp, msg):
	case d.is(msg, k.Decide):
		ws.dec.start()
	case d.is(msg, k.BeginReview):
		d.beginReview()
	case d.is(msg, k.Note):
		if d.mayWork() {
			return ws.openDialog(dialogNote)
		}
	case d.is(msg, k.Info):
		if d.mayWork() {
			return ws.openDialog(dialogInfo)
		}
	case d.is(msg, k.Answer):
		if d.mayWork() {
			if cases.OpenRequest(d.c) < 0 {
				d.refuse("case %s has no open request for information to answer; %s sends one", one(d.c.ID), k.Info.Help().Key)
				return nil
			}
			return ws.openDialog(dialogAnswer)
		}
	case d.is(msg, k.NoticeOfAction):
		if d.mayWork() {
			if d.c.Status == cases.StatusPendingApproval {
				d.refuse("this case has a decision waiting for a supervisor's approval")
				return nil
			}
			return ws.openDialog(dialogNotice)
		}
	case d.is(msg, k.Reply):
		if d.mayWork() {
			if cases.OpenNotice(d.c) < 0 {
				d.refuse("case %s has no notice of action waiting for a reply; %s records one", one(d.c.ID), k.NoticeOfAction.Help().Key)
				return nil
			}
			return ws.openDialog(dialogReply)
		}
	case d.is(msg, k.NextCase):
		d.stepCase(1)
	case d.is(msg, k.PrevCase):
		d.stepCase(-1)
	case d.is(msg, k.Reassign):
		ws.sup.startReassign([]caseRef{{id: d.c.ID, version: d.c.Version}})
	case d.is(msg, k.BreakCheckout):
		if why := d.breakWhy(); why != "" {
			d.refuse("%s", why)
			return nil
		}
		return ws.openDialog(dialogBreak)
	case d.is(msg, k.Importer):
		if d.c == nil {
			return nil
		}
		if d.c.Importer.Number == "" {
			d.refuse("case %s records no importer number", one(d.c.ID))
			return nil
		}
		ws.openImporter(d.c.Importer.Number, paneDetail)
	case d.is(msg, k.Back):
		ws.show(d.back)
	default:
		cmd, _ := ws.global(msg)
		return cmd
	}
	return nil
}

// beginReview moves the open case from assigned to in review, as of the version the reviewer sees.
func (d *detailPane) beginReview() {
	if !d.mayWork() {
		return
	}
	if d.c.Status != cases.StatusAssigned {
		d.refuse("case %s is %s: only an assigned case waits for its review to begin", one(d.c.ID), strings.ToLower(d.c.Status.Title()))
		return
	}
	got, err := d.desk.StartReview(d.user.Name, d.c.ID, d.c.Version)
	if err != nil {
		d.ws.refused(err)
		return
	}
	d.ws.caseWritten(got, "review started on case "+one(got.ID))
}

// breakWhy says why this user may not break the open case's checkout, or "" when they may. The rule is
// cases.CanBreakLease, asked before the reason is typed (the dialog asks for it, and the store asks the rule again
// with it).
func (d *detailPane) breakWhy() string {
	k := d.keys.BreakCheckout
	switch {
	case !k.Enabled():
		return k.why
	case d.c == nil:
		return "no case is open"
	case d.c.Lease == nil:
		return "case " + one(d.c.ID) + " is not checked out to a desk"
	}
	const reasonToCome = "the reason the dialog asks for"
	if err := cases.CanBreakLease(d.user, d.c, reasonToCome); err != nil {
		return says(err)
	}
	return ""
}

// mayWork reports whether the open case can be worked, saying why not in the status line.
func (d *detailPane) mayWork() bool {
	if d.why != "" {
		d.refuse("%s", one(d.why))
		return false
	}
	return true
}

// stepCase opens the next or previous case of the queue without going back to it.
func (d *detailPane) stepCase(dir int) {
	q := d.ws.q
	if q.total == 0 {
		return
	}
	if dir > 0 && q.cursor >= q.total-1 || dir < 0 && q.cursor == 0 {
		d.say("no more cases in the queue")
		return
	}
	q.move(dir)
	if r := q.current(); r != nil {
		d.open(r.ID, paneDetail)
	}
}

// Keys implements component.
func (d *detailPane) Keys() [][]*binding {
	k := d.keys
	d.syncNoticeKey()
	if d.notice != nil {
		return [][]*binding{{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom}, {k.Notice, k.Back}, append(k.views(), k.everywhere()...)}
	}
	work := []*binding{k.Decide, k.BeginReview, k.Note, k.Info, k.Answer, k.NoticeOfAction, k.Reply, k.Notice, k.Reassign}
	if d.breakWhy() == "" {
		work = append(work, k.BreakCheckout)
	}
	return [][]*binding{
		work,
		{k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom, k.NextCase, k.PrevCase},
		{k.Importer, k.Back, k.NextPane, k.PrevPane},
		append(k.views(), k.everywhere()...),
	}
}

// Hints implements component: a case the user may not work does not offer the keys that work it.
func (d *detailPane) Hints() (h hints) {
	k := d.keys
	d.syncNoticeKey()
	if d.notice != nil {
		h.add("scroll", k.Down, k.Up)
		h.add("page", k.PageDown, k.PageUp)
		h.add("close the notice", k.Notice)
		h.add("back to the case", k.Back)
		h.helpQuit(k)
		return h
	}
	if d.breakWhy() == "" {
		h.add("break checkout", k.BreakCheckout)
	}
	if d.why == "" {
		h.add("decide", k.Decide)
		if d.c != nil && d.c.Status == cases.StatusAssigned {
			h.add("begin review", k.BeginReview)
		}
		h.add("note", k.Note)
		h.add("request info", k.Info)
		if d.c != nil && cases.OpenRequest(d.c) >= 0 {
			h.add("answer", k.Answer)
		}
		if d.c != nil && cases.OpenNotice(d.c) >= 0 {
			h.add("reply", k.Reply)
		}
	}
	h.add("notice", k.Notice)
	h.add("next/previous case", k.NextCase, k.PrevCase)
	if d.c != nil && d.c.Status.Open() {
		h.add("reassign", k.Reassign)
	}
	h.add("scroll", k.Down, k.Up)
	h.add("importer's cases", k.Importer)
	h.add("back", k.Back)
	h.helpQuit(k)
	return h
}

// View implements component.
func (d *detailPane) View() string {
	h := d.bodyHeight()
	if d.c == nil {
		return d.st.Muted.Render("  No case is open. Press esc for the queue.")
	}
	if d.notice != nil {
		return d.noticeView(h)
	}
	c := d.c
	who := "unassigned"
	if c.Assignee != "" {
		who = "assigned to " + one(c.Assignee)
		if !c.Assigned.IsZero() {
			who += " since " + c.Assigned.String()
		}
	}
	head := fmt.Sprintf(" %s  %s · %s · %s", d.st.Title.Render(one(c.ID)), c.Kind.Title(), c.Status.Title(), who)
	sub := ""
	if d.why != "" {
		sub = d.st.Warn.Render(" read-only: " + one(d.why))
	} else {
		sub = fmt.Sprintf(" version %d", c.Version)
		if c.UpdatedBy != "" && !c.UpdatedAt.IsZero() {
			sub += fmt.Sprintf(" · last changed by %s at %s", one(c.UpdatedBy), c.UpdatedAt.Format("2006-01-02 15:04"))
		}
		sub = d.st.Muted.Render(sub)
	}
	d.vp.Height = max(h-d.chrome(), 1)
	pct := ""
	if d.vp.TotalLineCount() > d.vp.Height {
		pct = fmt.Sprintf(" %3.0f%%", d.vp.ScrollPercent()*100)
	}
	top := fit(head, d.width-len(pct)) + d.st.Muted.Render(pct) + "\n" + fit(sub, d.width) + "\n"
	if c.Lease != nil {
		top += d.st.Warn.Render(fit(" "+leaseMark+" "+leaseLine(c.Lease, d.today(), d.width-3), d.width)) + "\n"
	}
	return top + d.vp.View()
}

// leaseLine is the case pane's line for a case checked out to a desk, in w cells at most when it can be: "Checked
// out to alice until 2026-12-08 (checkout 1f…)", or for a lease whose last day has passed "Checked out to alice
// (lease ended 2026-12-08, checkout 1f…)". Where it does not fit, the checkout's id is cut, not the rest.
func leaseLine(l *cases.Lease, today cases.Date, w int) string {
	label := capital(one(l.Label(today)))
	form := func(id string) string {
		if l.Active(today) {
			return label + " (checkout " + id + ")"
		}
		return strings.TrimSuffix(label, ")") + ", checkout " + id + ")"
	}
	id := one(l.Checkout)
	s := form(id)
	if over := width(s) - w; over > 0 && over+4 < width(id) {
		s = form(ansi.Truncate(id, width(id)-over, "…"))
	}
	return s
}

// caseText renders a case for the detail pane, all outside text cleaned, wrapped to w cells.
func (c *common) caseText(cs *cases.Case, hist []cases.Event, w int) string {
	return c.caseRecord(cs, hist, nil, w)
}

// relatedCases is what the case pane read of the cases related to the open one.
type relatedCases struct {
	rows []cases.QueueRow
	err  error
}

// caseRecord is caseText with the RELATED section, when rel is not nil.
func (c *common) caseRecord(cs *cases.Case, hist []cases.Event, rel *relatedCases, w int) string {
	p := c.desk.Policy()
	today := c.today()
	st := c.st
	var b strings.Builder
	r := record{b: &b, st: st, w: w, offline: c.offline}
	section, field, para := r.section, r.field, r.para

	section("CASE")
	field("Kind", cs.Kind.Title())
	field("Status", cs.Status.Title())
	field("Received", cs.Received.String())
	field("Revenue at stake", cs.Revenue().String())

	section("CLOCKS")
	clockText(r, cs, p, today)

	if fs := cases.Findings(cs, p, today); len(fs) > 0 {
		section("FINDINGS")
		for _, f := range fs {
			para("  ▲ ", f.Text+" ("+f.Basis+")")
		}
	}

	section("IMPORTER")
	field("Name", one(cs.Importer.Name))
	field("Number", one(cs.Importer.Number))
	progs := make([]string, len(cs.Importer.Programs))
	for i, pr := range cs.Importer.Programs {
		progs[i] = one(string(pr))
	}
	if len(progs) == 0 {
		progs = []string{"none"}
	}
	field("Programs", strings.Join(progs, ", "))

	section("ENTRY SUMMARY")
	e := cs.Entry
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

	kindText(r, cs)

	if cs.Decision != nil {
		section("DECISION")
		decisionText(r, *cs.Decision)
	}

	if rel != nil {
		section("RELATED")
		c.relatedText(r, cs, rel, today)
	}

	if len(cs.Requests) > 0 {
		section("REQUESTS FOR INFORMATION (CBP FORM 28)")
		for _, r := range cs.Requests {
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

	if len(cs.Notices) > 0 {
		section("NOTICES OF ACTION (CBP FORM 29)")
		for _, n := range cs.Notices {
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
	if len(cs.Notes) == 0 {
		b.WriteString(st.Muted.Render("  none yet — n adds one") + "\n")
	}
	for _, n := range cs.Notes {
		b.WriteString(st.Label.Render(fmt.Sprintf("  %s %s", n.At.Format("2006-01-02 15:04"), one(n.Author))) + "\n")
		para("    ", n.Text)
	}

	section("HISTORY")
	if len(hist) == 0 {
		b.WriteString(st.Muted.Render("  no events") + "\n")
	}
	for _, ev := range hist {
		text := fit(ev.Action, max(width(ev.Action), 12)) + " " + ev.Change // a long action is not cut (checkout_release)
		if ev.Reason != "" {
			text += " — " + ev.Reason
		}
		if !ev.Offline.IsZero() {
			// checked in from a desk file: the rules' clocks ran on the day it was made
			text += " · made offline " + ev.Offline.Format("2006-01-02 15:04") + " · checked in " + ev.At.Format("2006-01-02 15:04")
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
// counted is in the findings of a clock past, and in case --json.) The CLOCK column takes what its longest label
// needs, up to the room the other columns leave: the legal basis goes to a line of its own before a label is cut.
func clockText(r record, c *cases.Case, p cases.Policy, today cases.Date) {
	b, st, w := r.b, r.st, r.w
	ks := cases.Clocks(c, p)
	label := func(k cases.Clock) string {
		if k.Action {
			return one(k.Name) + " (action)"
		}
		return one(k.Name)
	}
	hq := c.Protest != nil && !c.Protest.HQReferred.IsZero()
	longest := 0
	for _, k := range ks {
		longest = max(longest, width(label(k)))
	}
	if hq {
		longest = max(longest, width(clockHQ))
	}
	clockW := clockColumn(longest, w)
	b.WriteString(st.ColumnHead.Render(fmt.Sprintf("    %s %s  %s  %s", fit("CLOCK", clockW), fit("ACT BY", 10), fit("KIND", 8), "STATUS")) + "\n")
	for _, k := range ks {
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
		name := fit(label(k), clockW)
		if k.Action && width(label(k)) > clockW {
			name = fit(one(k.Name), clockW-len(" (action)")) + " (action)" // what is cut is the name, not whose act it is
		}
		line := fmt.Sprintf("  %s %s %s  %s  %s", mark, name, fit(k.Due.String(), 10), fit(string(k.Kind), 8), fit(words, 16))
		how := k.Basis
		if k.Kind == cases.DateDeemed {
			how = k.Event + " on " + k.Deemed.String() + " · " + how
		}
		how = one(how)
		if width(line)+2+width(how) <= w {
			b.WriteString(style.Render(line+"  "+how) + "\n")
		} else {
			b.WriteString(style.Render(line) + "\n" + st.Muted.Render(strings.TrimSuffix(paragraph("      ", how, w), "\n")) + "\n")
		}
	}
	if hq {
		pr := c.Protest
		answer := "no answer yet"
		if !pr.HQAnswered.IsZero() {
			answer = "answered " + pr.HQAnswered.String()
		}
		b.WriteString(st.Text.Render(fit(fmt.Sprintf("    %s %s  %s", fit(clockHQ, clockW), pr.HQReferred, answer+" · 19 CFR 174.26"), w)) + "\n")
	}
}

// clockHQ labels the line of a protest referred to Headquarters in the CLOCKS section.
const clockHQ = "Referred to Headquarters"

// clockColumn is the width of the CLOCK column for labels of at most longest cells on a screen w cells wide:
// 34 cells at least, where the columns have always stood, wider for a longer label, and never more than the
// room the mark, the act-by date, the kind and the status leave; on a narrow screen the labels are cut.
func clockColumn(longest, w int) int {
	const others = 4 + 1 + 10 + 2 + 8 + 2 + 16 // "  ! " and the columns after CLOCK
	return max(min(max(longest, 34), w-others), 12)
}

// relatedText renders the RELATED section: one line for each other case of the same entry and each other open
// case of the same importer, with why it is related, and how to see all of the importer's cases.
func (c *common) relatedText(r record, cs *cases.Case, rel *relatedCases, today cases.Date) {
	b, st, w := r.b, r.st, r.w
	if rel.err != nil {
		b.WriteString(st.Bad.Render(fit("  ✗ the related cases could not be read: "+says(rel.err), w)) + "\n")
		return
	}
	if len(rel.rows) == 0 {
		b.WriteString(st.Muted.Render(fit("  none: no other case of this entry, and no other open case of this importer", w)) + "\n")
		return
	}
	idW := 14
	for _, x := range rel.rows {
		idW = max(idW, width(one(x.ID)))
	}
	const whyW = 13 // "same importer"
	cols := layoutCases(w-4-1-whyW, min(idW, 24), colStatus, colEntry, colStake, colKind)
	b.WriteString(st.ColumnHead.Render(fit("    "+cols.head()+" WHY", w)) + "\n")
	for i := range rel.rows {
		x := &rel.rows[i]
		mark := dueMark(today, x.Due)
		if !x.Status.Open() {
			mark = " "
		}
		why := "same importer"
		if x.Entry != "" && x.Entry == cs.Entry.Number {
			why = "same entry"
		}
		style := st.Text
		switch mark {
		case "!":
			style = st.Overdue
		case "•":
			style = st.DueSoon
		}
		b.WriteString(style.Render(fit("  "+mark+" "+cols.row(x, today)+" "+why, w)) + "\n")
	}
	b.WriteString(st.Muted.Render(fit("  "+c.keys.Importer.Help().Key+" shows every case of "+one(cs.Importer.Name)+", by entry", w)) + "\n")
}

// record writes a labelled record (a case, a decision) into b: sections, label-value fields and wrapped
// paragraphs of outside text, all w cells wide.
type record struct {
	b  *strings.Builder
	st themes.Styles
	w  int
	// offline is the desk file the record is drawn on, if it is: a decision there goes to approval at check-in
	offline *cases.OfflineInfo
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
	case d.Approval && r.offline != nil:
		field("Approval", "at check-in, at the "+one(r.offline.Center)+" Center (this desk is offline)")
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
