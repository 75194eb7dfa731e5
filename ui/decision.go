package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

type decisionStage int

const (
	stageOutcome decisionStage = iota // choosing among the outcomes the kind allows
	stageForm                         // giving what the outcome requires
	stageConfirm                      // reading the exact record before it is written
	stageStale                        // the write met a newer version the reviewer may no longer decide; their record stays on screen
)

type formField int

const (
	fieldReasons formField = iota
	fieldAmount
	fieldLines
)

// decisionState is the decision pane for the open case. It holds the case as the reviewer saw it when the
// decision began (c): the pane shows that version, and the write is checked against its version, so a change made
// in the meantime is a conflict that names who made it, never a silent overwrite or a confusing refusal. It stays
// after the reviewer leaves the pane, as a draft that d on the same case reopens.
type decisionState struct {
	c       *cases.Case
	notice  string // a change made to the case since c was read: who and when
	stale   string // stageStale: why the reloaded case can no longer be decided by this user
	specs   []cases.OutcomeSpec
	choice  int
	stage   decisionStage
	fields  []formField
	focus   int
	reasons textarea.Model
	amount  textinput.Model
	lineCur int
	lines   map[int]bool
	err     string
	record  cases.Decision
	// late is what the law makes of writing record now (cases.LateDecision), or ""; such a record is written
	// only once acked, with the acknowledgement in it.
	late  string
	acked bool
}

func (m *Model) startDecision() {
	c := m.d.c
	if c == nil || !m.mayWork() {
		return
	}
	if err := cases.CanDecide(m.user, c); err != nil {
		m.fail(err)
		return
	}
	if c.Status == cases.StatusPendingApproval {
		m.status, m.statusBad = "this case already has a decision waiting for a supervisor's approval", true
		return
	}
	draft := m.dec
	m.dec = decisionState{c: c, specs: cases.Outcomes(c), lines: map[int]bool{}}
	m.dec.reasons = m.newTextarea("reasons for the decision (stated to the importer)")
	m.dec.amount = m.newInput("$ ")
	m.dec.amount.Placeholder = "0.00"
	if draft.c != nil && draft.c.ID == c.ID {
		m.dec.restore(draft)
	}
	m.dec.layout(m)
	m.pane = paneDecision
}

// restore carries what the reviewer chose and typed on an earlier visit to the same case's decision pane.
func (d *decisionState) restore(old decisionState) {
	if old.specs != nil {
		want := old.spec().Outcome
		for i, s := range d.specs {
			if s.Outcome == want {
				d.choice = i
			}
		}
	}
	d.reasons.SetValue(old.reasons.Value())
	d.amount.SetValue(old.amount.Value())
	for n, on := range old.lines {
		d.lines[n] = on
	}
	if strings.TrimSpace(old.reasons.Value()) != "" || old.amount.Value() != "" {
		d.notice = "your draft from before is kept: enter continues with it"
	}
}

func (d *decisionState) layout(m *Model) {
	d.reasons.SetWidth(max(m.width-6, 20))
	d.reasons.SetHeight(clamp(m.height-18, 3, 10))
	d.amount.Width = 20
}

func (d *decisionState) spec() cases.OutcomeSpec { return d.specs[d.choice] }

// typing reports whether keys go to a text field first.
func (d *decisionState) typing() bool {
	if d.stage != stageForm || len(d.fields) == 0 {
		return false
	}
	f := d.fields[d.focus]
	return f == fieldReasons || f == fieldAmount
}

func (d *decisionState) key(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch d.stage {
	case stageOutcome:
		switch {
		case m.is(msg, k.Down):
			d.choice = clamp(d.choice+1, 0, len(d.specs)-1)
		case m.is(msg, k.Up):
			d.choice = clamp(d.choice-1, 0, len(d.specs)-1)
		case m.is(msg, k.Open):
			return d.choose(m)
		case m.is(msg, k.Back):
			m.pane = paneDetail
		case m.is(msg, k.Quit):
			return tea.Quit
		}
	case stageForm:
		return d.formKey(m, msg)
	case stageStale:
		if k.Back.pressed(msg) || k.Cancel.pressed(msg) {
			m.pane = paneDetail
		}
	case stageConfirm:
		switch {
		case d.late != "" && !d.acked && k.AckLate.pressed(msg):
			d.acked, d.err = true, ""
			d.record.LateAck = cases.AckLate(d.late, m.user.Name)
		case d.late != "" && !d.acked && k.Confirm.pressed(msg):
			d.err = fmt.Sprintf("this decision comes too late: %s acknowledges what the law makes of it, %s goes back",
				k.AckLate.Help().Key, k.Cancel.Help().Key)
		case k.Confirm.pressed(msg):
			d.write(m)
		case k.Cancel.pressed(msg):
			d.err = ""
			if len(d.fields) == 0 {
				d.stage = stageOutcome
			} else {
				d.stage = stageForm
				return d.focusField()
			}
		}
	}
	return nil
}

// choose moves on from the outcome list: to the form when the outcome requires something, else to confirmation.
func (d *decisionState) choose(m *Model) tea.Cmd {
	s := d.spec()
	d.fields = d.fields[:0]
	if s.Reasons {
		d.fields = append(d.fields, fieldReasons)
	}
	if s.Amount {
		d.fields = append(d.fields, fieldAmount)
	}
	if s.Lines {
		d.fields = append(d.fields, fieldLines)
	}
	d.err, d.focus = "", 0
	if len(d.fields) == 0 {
		d.review(m)
		return nil
	}
	d.stage = stageForm
	return d.focusField()
}

func (d *decisionState) focusField() tea.Cmd {
	d.reasons.Blur()
	d.amount.Blur()
	switch d.fields[d.focus] {
	case fieldReasons:
		return d.reasons.Focus()
	case fieldAmount:
		return d.amount.Focus()
	}
	return nil
}

func (d *decisionState) formKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case k.Back.pressed(msg):
		d.reasons.Blur()
		d.amount.Blur()
		d.stage = stageOutcome
		return nil
	case k.Save.pressed(msg):
		d.review(m)
		return nil
	case k.NextField.pressed(msg):
		d.focus = (d.focus + 1) % len(d.fields)
		return d.focusField()
	case k.PrevField.pressed(msg):
		d.focus = (d.focus - 1 + len(d.fields)) % len(d.fields)
		return d.focusField()
	}
	var cmd tea.Cmd
	switch d.fields[d.focus] {
	case fieldReasons:
		d.reasons, cmd = d.reasons.Update(msg)
	case fieldAmount:
		if msg.String() == "enter" {
			if d.focus == len(d.fields)-1 {
				d.review(m)
				return nil
			}
			d.focus++
			return d.focusField()
		}
		d.amount, cmd = d.amount.Update(msg)
	case fieldLines:
		lines := d.c.Entry.Lines
		switch {
		case m.is(msg, k.Down):
			d.lineCur = clamp(d.lineCur+1, 0, len(lines)-1)
		case m.is(msg, k.Up):
			d.lineCur = clamp(d.lineCur-1, 0, len(lines)-1)
		case k.Toggle.pressed(msg):
			if len(lines) > 0 {
				n := lines[d.lineCur].Number
				d.lines[n] = !d.lines[n]
			}
		case msg.String() == "enter":
			d.review(m)
		}
	}
	return cmd
}

// build turns the form into the decision it asks for, or says what is wrong with it.
func (d *decisionState) build(m *Model) (cases.Decision, error) {
	s := d.spec()
	rec := cases.Decision{Outcome: s.Outcome}
	if s.Reasons {
		rec.Reasons = strings.TrimSpace(d.reasons.Value())
	}
	if s.Amount && strings.TrimSpace(d.amount.Value()) != "" { // an empty amount is for CheckDecision to name, in order
		a, err := cases.ParseUSD(d.amount.Value())
		if err != nil {
			return rec, err
		}
		rec.Amount = a
	}
	if s.Lines {
		for n, on := range d.lines {
			if on {
				rec.Lines = append(rec.Lines, n)
			}
		}
		sort.Ints(rec.Lines)
	}
	if err := cases.CheckDecision(d.c, rec); err != nil {
		return rec, err
	}
	rec.By, rec.On = m.user.Name, m.today()
	rec.Approval = cases.NeedsApproval(d.c, rec, m.desk.Policy())
	return rec, nil
}

// review checks the form and shows the record that will be written.
func (d *decisionState) review(m *Model) {
	rec, err := d.build(m)
	if err != nil {
		d.err = says(err)
		return
	}
	d.err = ""
	d.record = rec
	d.late, _ = cases.LateDecision(d.c, rec, m.desk.Policy(), m.today())
	d.acked = false
	d.reasons.Blur()
	d.amount.Blur()
	d.stage = stageConfirm
}

// write records the decision against the version the reviewer saw. A refusal stays on the pane with the store's
// reason; a conflict is handled by conflict.
func (d *decisionState) write(m *Model) {
	rec := d.record
	got, err := m.desk.Decide(m.user.Name, d.c.ID, d.c.Version, rec, m.today())
	if err != nil {
		var ce *cases.ConflictError
		if errors.As(err, &ce) {
			d.conflict(m, ce)
			return
		}
		m.fail(err)
		d.err = says(err)
		return
	}
	m.dec = decisionState{} // written: no draft to come back to
	m.pane = paneDetail
	spec, _ := cases.Spec(rec.Outcome)
	if got.Status == cases.StatusPendingApproval {
		m.caseWritten(got, fmt.Sprintf("case %s: %s recorded; it waits for a supervisor's approval", one(got.ID), strings.ToLower(spec.Title)))
	} else {
		m.caseWritten(got, fmt.Sprintf("case %s decided: %s", one(got.ID), strings.ToLower(spec.Title)))
	}
}

// conflict follows a write refused because the case changed after the reviewer read it: the case is reloaded, the
// message names who changed it and when, and what the reviewer chose and typed stays. When they may still decide
// the reloaded case the pane goes back to the form, now checked against the reloaded version; otherwise the pane
// keeps their record on screen and says why it cannot be written.
func (d *decisionState) conflict(m *Model, ce *cases.ConflictError) {
	m.reloadCase()
	if m.pane != paneDecision {
		return // reloadCase took the case away from this user and said so
	}
	msg := conflictText(ce)
	m.status, m.statusBad = msg, true
	fresh := m.d.c
	d.c, d.notice = fresh, ""
	why := m.d.why
	if why == "" {
		if err := cases.CanDecide(m.user, fresh); err != nil {
			why = says(err)
		} else if fresh.Status == cases.StatusPendingApproval {
			why = "the case has a decision waiting for a supervisor's approval"
		}
	}
	if why != "" {
		d.stale, d.err = one(why), msg
		d.stage = stageStale
		d.reasons.Blur()
		d.amount.Blur()
		return
	}
	want := d.spec().Outcome
	d.specs, d.choice = cases.Outcomes(fresh), -1
	for i, s := range d.specs {
		if s.Outcome == want {
			d.choice = i
		}
	}
	d.err = msg + ": nothing was written; check the change, then write your decision again"
	m.status += " — check it and try again"
	if d.choice < 0 {
		d.choice, d.stage = 0, stageOutcome
		return
	}
	if len(d.fields) == 0 {
		d.stage = stageOutcome
		return
	}
	d.stage = stageForm
	d.focus = 0
	_ = d.focusField()
}

// conflictText names who changed a case, and when, after the actor read it.
func conflictText(ce *cases.ConflictError) string {
	return fmt.Sprintf("case %s was changed by %s at %s; reloaded", one(ce.ID), one(orNobody(ce.By)), ce.At.Format("15:04"))
}

// seen notes a change committed to the case after the reviewer began the decision, so the pane says so instead
// of silently showing other content.
func (d *decisionState) seen(fresh *cases.Case) {
	if d.c == nil || fresh == nil || fresh.ID != d.c.ID || fresh.Version == d.c.Version {
		return
	}
	d.notice = changedNotice(fresh, "decision")
}

// changedNotice says who changed a case and when, and that the write in progress is checked against the version
// the user saw.
func changedNotice(c *cases.Case, what string) string {
	return fmt.Sprintf("changed by %s at %s — your %s will be checked against the version you saw",
		one(orNobody(c.UpdatedBy)), c.UpdatedAt.Format("15:04"), what)
}

func (d *decisionState) view(m *Model, h int) string {
	c := d.c
	if c == nil {
		return ""
	}
	st := m.st
	var b strings.Builder
	b.WriteString(fit(fmt.Sprintf(" %s  %s · %s at stake · %s", st.Title.Render("Decide "+one(c.ID)), c.Kind.Title(), c.Revenue(), one(c.Importer.Name)), m.width))
	b.WriteString("\n")
	if d.notice != "" {
		b.WriteString(st.Warn.Render(paragraph(" ▲ ", d.notice, m.width)))
	}
	b.WriteString("\n")
	switch d.stage {
	case stageOutcome:
		b.WriteString(" Outcomes a " + strings.ToLower(c.Kind.Title()) + " allows:\n")
		for i, s := range d.specs {
			cur := "  "
			if i == d.choice {
				cur = "> "
			}
			needs := needsText(s)
			line := fmt.Sprintf(" %s%s", cur, fit(s.Title, 44)) + st.Muted.Render(needs)
			if i == d.choice {
				line = st.Cursor.Render(fit(fmt.Sprintf(" %s%s%s", cur, fit(s.Title, 44), needs), m.width))
			}
			b.WriteString(line + "\n")
		}
		if w, late := cases.LateDecision(c, cases.Decision{Outcome: d.spec().Outcome}, m.desk.Policy(), m.today()); late {
			b.WriteString("\n" + st.Warn.Render(strings.TrimSuffix(paragraph(" ▲ Too late: ", w, m.width), "\n")) + "\n")
		}
		if d.err != "" {
			b.WriteString("\n" + st.Bad.Render(wrap(" ✗ "+d.err, m.width-1)) + "\n")
		}
	case stageForm:
		s := d.spec()
		b.WriteString(" " + st.Section.Render(s.Title) + "\n")
		if s.Notice != "" {
			b.WriteString(st.Muted.Render(strings.TrimSuffix(paragraph(" Notice: ", s.Notice, m.width), "\n")) + "\n")
		}
		if _, late := cases.LateDecision(c, cases.Decision{Outcome: s.Outcome}, m.desk.Policy(), m.today()); late {
			b.WriteString(st.Warn.Render(fit(" ▲ Too late: the confirmation says what the law makes of this decision.", m.width)) + "\n")
		}
		if d.err != "" {
			// above the fields, so that it shows however many fields and lines follow
			b.WriteString(st.Bad.Render(strings.TrimSuffix(paragraph(" ✗ ", d.err, m.width), "\n")) + "\n")
		}
		// the reasons take the room the other fields leave: three lines at least, ten at most
		rest := 0
		for _, f := range d.fields {
			rest += 2
			if f == fieldLines {
				rest += min(len(c.Entry.Lines), 6)
			}
		}
		d.reasons.SetHeight(clamp(h-strings.Count(b.String(), "\n")-rest, 3, 10))
		for i, f := range d.fields {
			focus := i == d.focus
			label := func(t string) string {
				if focus {
					return st.Key.Render("▸ " + t)
				}
				return st.Label.Render("  " + t)
			}
			switch f {
			case fieldReasons:
				b.WriteString("\n" + label("Reasons") + "\n")
				b.WriteString(indent(d.reasons.View(), "  ") + "\n")
			case fieldAmount:
				what := "Amount"
				switch s.Outcome {
				case cases.OutcomeDeniedInPart:
					what = "Amount allowed (refund)"
				case cases.OutcomeValidated:
					what = "Lost revenue computed"
				case cases.OutcomeNoticeOfAction:
					what = "Duty difference"
				}
				b.WriteString("\n" + label(what) + "  " + d.amount.View() + "\n")
			case fieldLines:
				b.WriteString("\n" + label("Lines allowed (space toggles)") + "\n")
				d.linesView(&b, c, focus, max(h-strings.Count(b.String(), "\n"), 1), m.width)
			}
		}
	case stageConfirm:
		b.WriteString(" " + st.Section.Render("This record will be written to case "+one(c.ID)+":") + "\n")
		decisionText(record{b: &b, st: st, w: m.width}, d.record)
		b.WriteString("\n")
		if d.record.Approval {
			b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph(" ▲ ", approvalWhy(c, d.record, m.desk.Policy()), m.width), "\n")) + "\n")
		} else {
			b.WriteString(st.Good.Render(" This decides the case.") + "\n")
		}
		k := m.keys
		if d.late != "" && !d.acked {
			b.WriteString("\n" + st.Warn.Render(" ▲ This decision comes after a deadline the law does not move:") + "\n")
			b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph("   ", d.late, m.width), "\n")) + "\n")
			if d.err != "" {
				b.WriteString(st.Bad.Render(strings.TrimSuffix(paragraph(" ✗ ", d.err, m.width), "\n")) + "\n")
			}
			b.WriteString("\n " + st.Key.Render(k.AckLate.Help().Key) + " acknowledge it (recorded with the decision)   " + st.Key.Render(k.Cancel.Help().Key) + " go back")
			break
		}
		b.WriteString("\n " + st.Key.Render(k.Confirm.Help().Key) + " write it   " + st.Key.Render(k.Cancel.Help().Key) + " go back")
	case stageStale:
		b.WriteString(st.Bad.Render(wrap(" ✗ "+d.err, m.width-1)) + "\n")
		b.WriteString(st.Warn.Render(wrap(" Nothing was written, and you cannot decide the case now: "+d.stale+".", m.width-1)) + "\n\n")
		b.WriteString(" " + st.Section.Render("Your record, as you wrote it:") + "\n")
		decisionText(record{b: &b, st: st, w: m.width}, d.record)
		b.WriteString("\n" + st.Key.Render(" esc") + " back to the case")
	}
	return b.String()
}

// linesView lists the entry's lines with their boxes in at most rows lines, a window around the cursor when the
// entry has more lines than that.
func (d *decisionState) linesView(b *strings.Builder, c *cases.Case, focus bool, rows, w int) {
	ls := c.Entry.Lines
	top, end := 0, len(ls)
	if len(ls) > rows {
		show := max(rows-1, 1) // one line says how many more
		top = clamp(d.lineCur-show/2, 0, len(ls)-show)
		end = top + show
	}
	for j := top; j < end; j++ {
		l := ls[j]
		box := "[ ]"
		if d.lines[l.Number] {
			box = "[x]"
		}
		cur := "  "
		if focus && j == d.lineCur {
			cur = "> "
		}
		fmt.Fprintf(b, "%s\n", fit(fmt.Sprintf("  %s%s %3d  %s  %s %s", cur, box, l.Number, cases.FormatHTS(l.HTS), fit(one(l.Description), 30), fitLeft(l.Duty.String(), 13)), w))
	}
	if top > 0 || end < len(ls) {
		fmt.Fprintf(b, "      lines %d–%d of %d; j/k moves\n", top+1, end, len(ls))
	}
}

func needsText(s cases.OutcomeSpec) string {
	var n []string
	if s.Reasons {
		n = append(n, "reasons")
	}
	if s.Amount {
		n = append(n, "amount")
	}
	if s.Lines {
		n = append(n, "lines")
	}
	if len(n) == 0 {
		return ""
	}
	return "needs " + strings.Join(n, ", ")
}

// approvalWhy explains why a decision waits for a second person.
func approvalWhy(c *cases.Case, d cases.Decision, p cases.Policy) string {
	if c.Kind == cases.KindProtest && c.Protest != nil && c.Protest.FurtherReview {
		return "Needs a supervisor's approval: every further-review decision does (two-person rule)."
	}
	return fmt.Sprintf("Needs a supervisor's approval: an adverse decision with %s at stake (threshold %s).", c.Revenue(), p.ApprovalThreshold)
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}
