package ui

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

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
	stageStale                        // the case changed and the reviewer may no longer decide it: their record stays on screen
)

type formField int

const (
	fieldReasons formField = iota
	fieldAmount
	fieldLines
)

// decisionPane is the decision pane for the open case. It holds the case as the reviewer saw it when the
// decision began (c): the pane shows that version, and the write is checked against its version, so a change made
// in the meantime is a conflict that names who made it, never a silent overwrite or a confusing refusal. It stays
// after the reviewer leaves the pane, as a draft that d on the same case reopens.
type decisionPane struct {
	*common
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
	// noApprover says, for a record that waits for a second person, that no one in the Center may approve it and
	// who can (cases.ApproverSet.Warning); "" when a supervisor of the Center can
	noApprover string
}

// start opens the pane on the case open in the case pane, with the draft of an earlier visit to the same case. A
// draft the case can no longer take (it was reassigned, or decided) is shown as it was typed, to keep or copy.
func (d *decisionPane) start() {
	c := d.ws.d.c
	if c == nil {
		return
	}
	why := d.ws.d.why
	if why == "" {
		if err := cases.CanDecide(d.user, c); err != nil {
			why = says(err)
		}
	}
	if why != "" && d.c != nil && d.c.ID == c.ID && d.typedText() != "" {
		d.lose(c, fmt.Sprintf("case %s was %s", one(c.ID), changedBy(cases.Change{}, c)), why)
		d.ws.show(paneDecision)
		return
	}
	if !d.ws.d.mayWork() {
		return
	}
	if err := cases.CanDecide(d.user, c); err != nil {
		d.fail(err)
		return
	}
	if c.Status == cases.StatusPendingApproval {
		d.refuse("this case already has a decision waiting for a supervisor's approval")
		return
	}
	draft := *d
	*d = decisionPane{common: d.common, c: c, specs: cases.Outcomes(c), lines: map[int]bool{}}
	d.reasons = d.newTextarea("reasons for the decision (stated to the importer)")
	d.amount = d.newInput("$ ")
	d.amount.Placeholder = "0.00"
	if draft.c != nil && draft.c.ID == c.ID {
		d.restore(draft)
	}
	d.layout()
	d.ws.show(paneDecision)
}

// SetSize implements component.
func (d *decisionPane) SetSize(_, _ int) {
	if d.specs != nil {
		d.layout()
	}
}

// Typing implements component.
func (d *decisionPane) Typing() bool { return d.typing() }

// Update implements component.
func (d *decisionPane) Update(msg tea.KeyMsg) tea.Cmd { return d.key(msg) }

// Changed implements component: a change to the case being decided is noted on the pane (the case pane, told
// before, has reread it).
func (d *decisionPane) Changed(c cases.Change) {
	if d.ws.pane == paneDecision && d.c != nil && touches(c, d.c.ID) {
		d.seen(c, d.ws.d.c)
	}
}

func (d *decisionPane) restyle() {
	if d.c != nil {
		d.styleInput(&d.amount)
		d.styleTextarea(&d.reasons)
	}
}

// Keys implements component.
func (d *decisionPane) Keys() [][]*binding {
	k := d.keys
	switch d.stage {
	case stageForm:
		return [][]*binding{{k.Save, k.NextField, k.PrevField, k.Toggle, k.Down, k.Up, k.Back}, {k.KeepNote, k.Copy}, {k.Redraw, k.ForceQuit}}
	case stageConfirm:
		if d.late != "" && !d.acked {
			return [][]*binding{{k.AckLate, k.Cancel}, {k.KeepNote, k.Copy}, {k.Redraw, k.ForceQuit}}
		}
		return [][]*binding{{k.Confirm, k.Cancel}, {k.KeepNote, k.Copy}, {k.Redraw, k.ForceQuit}}
	case stageStale:
		return [][]*binding{{k.Back}, {k.KeepNote, k.Copy}, {k.Redraw, k.ForceQuit}}
	}
	return [][]*binding{{k.Down, k.Up, k.Open, k.Back}, {k.Help, k.Command, k.Redraw, k.Quit, k.ForceQuit}}
}

// Hints implements component.
func (d *decisionPane) Hints() (h hints) {
	k := d.keys
	switch d.stage {
	case stageOutcome:
		h.add("choose", k.Open)
		h.add("move", k.Down, k.Up)
		h.add("back to the case", k.Back)
		h.keep("help", k.Help)
	case stageForm:
		h.add("review the record", k.Save)
		if d.notice != "" {
			h.add("keep as note", k.KeepNote)
			h.add("copy", k.Copy)
		}
		if len(d.fields) > 1 {
			h.add("next field", k.NextField)
		}
		if d.fields[d.focus] == fieldLines {
			h.add("toggle line", k.Toggle)
		}
		h.add("back to outcomes", k.Back)
	case stageConfirm:
		if d.late != "" && !d.acked {
			h.add("acknowledge the late decision", k.AckLate)
		} else {
			h.add("write it", k.Confirm)
		}
		h.add("go back", k.Cancel)
	case stageStale:
		h.add("back to the case", k.Back)
		h.add("keep as note", k.KeepNote)
		h.add("copy", k.Copy)
	}
	return h
}

// restore carries what the reviewer chose and typed on an earlier visit to the same case's decision pane.
func (d *decisionPane) restore(old decisionPane) {
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

func (d *decisionPane) layout() {
	d.reasons.SetWidth(max(d.width-6, 20))
	d.reasons.SetHeight(clamp(d.height-18, 3, 10))
	d.amount.Width = 20
}

func (d *decisionPane) spec() cases.OutcomeSpec { return d.specs[d.choice] }

// typing reports whether keys go to a text field first.
func (d *decisionPane) typing() bool {
	if d.stage != stageForm || len(d.fields) == 0 {
		return false
	}
	f := d.fields[d.focus]
	return f == fieldReasons || f == fieldAmount
}

func (d *decisionPane) key(msg tea.KeyMsg) tea.Cmd {
	k := d.keys
	switch {
	case d.is(msg, k.KeepNote):
		return d.keepAsNote()
	case d.is(msg, k.Copy):
		return d.copyText(d.typedText())
	}
	switch d.stage {
	case stageOutcome:
		switch {
		case d.is(msg, k.Down):
			d.choice = clamp(d.choice+1, 0, len(d.specs)-1)
		case d.is(msg, k.Up):
			d.choice = clamp(d.choice-1, 0, len(d.specs)-1)
		case d.is(msg, k.Open):
			return d.choose()
		case d.is(msg, k.Back):
			d.ws.show(paneDetail)
		case d.is(msg, k.Quit):
			return tea.Quit
		}
	case stageForm:
		return d.formKey(msg)
	case stageStale:
		if k.Back.pressed(msg) || k.Cancel.pressed(msg) {
			d.ws.show(paneDetail)
		}
	case stageConfirm:
		switch {
		case d.late != "" && !d.acked && k.AckLate.pressed(msg):
			d.acked, d.err = true, ""
			d.record.LateAck = cases.AckLate(d.late, d.user.Name)
		case d.late != "" && !d.acked && k.Confirm.pressed(msg):
			d.err = fmt.Sprintf("this decision comes too late: %s acknowledges what the law makes of it, %s goes back",
				k.AckLate.Help().Key, k.Cancel.Help().Key)
		case k.Confirm.pressed(msg):
			d.write()
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
func (d *decisionPane) choose() tea.Cmd {
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
		d.review()
		return nil
	}
	d.stage = stageForm
	return d.focusField()
}

func (d *decisionPane) focusField() tea.Cmd {
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

func (d *decisionPane) formKey(msg tea.KeyMsg) tea.Cmd {
	k := d.keys
	switch {
	case k.Back.pressed(msg):
		d.reasons.Blur()
		d.amount.Blur()
		d.stage = stageOutcome
		return nil
	case k.Save.pressed(msg):
		d.review()
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
				d.review()
				return nil
			}
			d.focus++
			return d.focusField()
		}
		d.amount, cmd = d.amount.Update(msg)
	case fieldLines:
		lines := d.c.Entry.Lines
		switch {
		case d.is(msg, k.Down):
			d.lineCur = clamp(d.lineCur+1, 0, len(lines)-1)
		case d.is(msg, k.Up):
			d.lineCur = clamp(d.lineCur-1, 0, len(lines)-1)
		case k.Toggle.pressed(msg):
			if len(lines) > 0 {
				n := lines[d.lineCur].Number
				d.lines[n] = !d.lines[n]
			}
		case msg.String() == "enter":
			d.review()
		}
	}
	return cmd
}

// build turns the form into the decision it asks for, or says what is wrong with it.
func (d *decisionPane) build() (cases.Decision, error) {
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
	rec.By, rec.On = d.user.Name, d.today()
	rec.Approval = cases.NeedsApproval(d.c, rec, d.desk.Policy())
	return rec, nil
}

// review checks the form and shows the record that will be written.
func (d *decisionPane) review() {
	rec, err := d.build()
	if err != nil {
		d.err = says(err)
		return
	}
	d.err = ""
	d.record = rec
	d.late, _ = cases.LateDecision(d.c, rec, d.desk.Policy(), d.today())
	d.noApprover = ""
	// on a desk file no one else may approve: the decision goes to approval at the Center when it is checked in
	if rec.Approval && d.offline == nil {
		if a, err := d.desk.Approvers(d.user.Name, d.c.ID); err == nil {
			d.noApprover = a.Warning()
		}
	}
	d.acked = false
	d.reasons.Blur()
	d.amount.Blur()
	d.stage = stageConfirm
}

// write records the decision against the version the reviewer saw. A refusal stays on the pane with the store's
// reason; a conflict is handled by conflict.
func (d *decisionPane) write() {
	rec := d.record
	got, err := d.desk.Decide(d.user.Name, d.c.ID, d.c.Version, rec, d.today())
	if err != nil {
		var ce *cases.ConflictError
		if errors.As(err, &ce) {
			d.conflict(ce)
			return
		}
		d.fail(err)
		d.err = d.refusal(err)
		return
	}
	noApprover := d.noApprover
	*d = decisionPane{common: d.common} // written: no draft to come back to
	d.ws.show(paneDetail)
	spec, _ := cases.Spec(rec.Outcome)
	switch {
	case got.Status == cases.StatusPendingApproval && d.offline != nil:
		d.ws.caseWritten(got, fmt.Sprintf("case %s: %s recorded on this desk; it goes to approval at check-in, at the %s Center",
			one(got.ID), strings.ToLower(spec.Title), one(d.offline.Center)))
	case got.Status == cases.StatusPendingApproval:
		msg := fmt.Sprintf("case %s: %s recorded; it waits for a supervisor's approval", one(got.ID), strings.ToLower(spec.Title))
		if noApprover != "" {
			msg += "; " + noApprover
		}
		d.ws.caseWritten(got, msg)
	default:
		d.ws.caseWritten(got, fmt.Sprintf("case %s decided: %s", one(got.ID), strings.ToLower(spec.Title)))
	}
}

// conflict follows a write refused because the case changed after the reviewer read it: the case is reloaded, the
// message names who changed it and when, and what the reviewer chose and typed stays. When they may still decide
// the reloaded case the pane goes back to the form, now checked against the reloaded version; otherwise the pane
// keeps their record on screen and says why it cannot be written.
func (d *decisionPane) conflict(ce *cases.ConflictError) {
	d.ws.d.reload()
	if d.ws.pane != paneDecision {
		return // the case pane took the case away from this user and said so
	}
	msg := conflictText(ce)
	d.status, d.statusBad = msg, true
	fresh := d.ws.d.c
	d.c, d.notice = fresh, ""
	why := d.ws.d.why
	if why == "" {
		if err := cases.CanDecide(d.user, fresh); err != nil {
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
	d.status += " — check it and try again"
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

// seen notes a change committed to the case after the reviewer began the decision, so the pane says what changed
// and who changed it instead of silently showing other content. When the change took the case away from the
// reviewer, what they chose and typed stays on the pane, which says why it cannot be written and how to keep it.
func (d *decisionPane) seen(ch cases.Change, fresh *cases.Case) {
	if d.c == nil || fresh == nil || fresh.ID != d.c.ID || fresh.Version == d.c.Version {
		return
	}
	if err := cases.CanWork(d.user, fresh); err != nil && d.stage != stageStale {
		d.lose(fresh, fmt.Sprintf("case %s was %s", one(fresh.ID), changedBy(ch, fresh)), says(err))
		return
	}
	d.notice = changedNotice(ch, fresh, "decision")
}

// lose shows the draft over the case as it now is, which this user may no longer decide: what happened, why, and
// the draft as typed.
func (d *decisionPane) lose(fresh *cases.Case, what, why string) {
	d.record = d.draft()
	d.c, d.notice = fresh, ""
	d.stale, d.err = one(why), what
	d.stage = stageStale
	d.reasons.Blur()
	d.amount.Blur()
}

// draft is the decision as the reviewer has it so far: the record under review, or what the form holds.
func (d *decisionPane) draft() cases.Decision {
	if d.stage == stageConfirm || d.stage == stageStale {
		return d.record
	}
	s := d.spec()
	rec := cases.Decision{Outcome: s.Outcome}
	if s.Reasons {
		rec.Reasons = strings.TrimSpace(d.reasons.Value())
	}
	if s.Amount {
		if a, err := cases.ParseUSD(d.amount.Value()); err == nil {
			rec.Amount = a
		}
	}
	if s.Lines {
		for n, on := range d.lines {
			if on {
				rec.Lines = append(rec.Lines, n)
			}
		}
		sort.Ints(rec.Lines)
	}
	return rec
}

// typedText is the draft as words for a note or the clipboard: the outcome chosen, what was given for it, the
// reasons; "" when nothing is typed or chosen beyond the outcome.
func (d *decisionPane) typedText() string {
	if d.c == nil || len(d.specs) == 0 {
		return ""
	}
	rec := d.draft()
	amount := strings.TrimSpace(d.amount.Value())
	if rec.Reasons == "" && amount == "" && len(rec.Lines) == 0 {
		return ""
	}
	spec, _ := cases.Spec(rec.Outcome)
	head := "Decision not written: " + strings.ToLower(spec.Title)
	if amount != "" {
		head += ", amount " + amount
	}
	if len(rec.Lines) > 0 {
		ls := make([]string, len(rec.Lines))
		for i, n := range rec.Lines {
			ls[i] = fmt.Sprint(n)
		}
		head += ", lines " + strings.Join(ls, ", ")
	}
	if rec.Reasons == "" {
		return head + "."
	}
	return head + ". " + rec.Reasons
}

// keepAsNote writes the draft as a note on the case, against the newest version the session has read: the store
// decides whether this user may still add one. The draft stays, for d on the same case.
func (d *decisionPane) keepAsNote() tea.Cmd {
	text := d.typedText()
	if text == "" {
		d.refuse("nothing is typed to keep")
		return nil
	}
	id, version := d.c.ID, d.c.Version
	if open := d.ws.d.c; open != nil && open.ID == id {
		version = open.Version
	}
	got, err := d.desk.AddNote(d.user.Name, id, version, text)
	if err != nil {
		d.ws.keepRefused(err)
		return nil
	}
	d.ws.show(paneDetail)
	d.ws.caseWritten(got, "your decision's text is kept as a note on case "+one(got.ID))
	return nil
}

// View implements component.
func (d *decisionPane) View() string {
	h := d.bodyHeight()
	c := d.c
	if c == nil {
		return ""
	}
	st := d.st
	var b strings.Builder
	b.WriteString(fit(fmt.Sprintf(" %s  %s · %s at stake · %s", st.Title.Render("Decide "+one(c.ID)), c.Kind.Title(), c.Revenue(), one(c.Importer.Name)), d.width))
	b.WriteString("\n")
	if d.notice != "" {
		b.WriteString(st.Warn.Render(paragraph(" ▲ ", d.notice, d.width)))
	}
	b.WriteString("\n")
	switch d.stage {
	case stageOutcome:
		b.WriteString(" Outcomes a " + strings.ToLower(c.Kind.Title()) + " allows:\n")
		titleW := outcomeColumn(d.specs, d.width)
		for i, s := range d.specs {
			cur := "  "
			if i == d.choice {
				cur = "> "
			}
			title, needs := fit(s.Title, titleW-outcomeGap)+strings.Repeat(" ", outcomeGap), needsText(s)
			line := " " + cur + title + st.Muted.Render(needs)
			if i == d.choice {
				line = st.Cursor.Render(fit(" "+cur+title+needs, d.width))
			}
			b.WriteString(line + "\n")
		}
		if w, late := cases.LateDecision(c, cases.Decision{Outcome: d.spec().Outcome}, d.desk.Policy(), d.today()); late {
			b.WriteString("\n" + st.Warn.Render(strings.TrimSuffix(paragraph(" ▲ Too late: ", w, d.width), "\n")) + "\n")
		}
		if d.err != "" {
			b.WriteString("\n" + st.Bad.Render(wrap(" ✗ "+d.err, d.width-1)) + "\n")
		}
	case stageForm:
		s := d.spec()
		b.WriteString(" " + st.Section.Render(s.Title) + "\n")
		if s.Notice != "" {
			b.WriteString(st.Muted.Render(strings.TrimSuffix(paragraph(" Notice: ", s.Notice, d.width), "\n")) + "\n")
		}
		if _, late := cases.LateDecision(c, cases.Decision{Outcome: s.Outcome}, d.desk.Policy(), d.today()); late {
			b.WriteString(st.Warn.Render(fit(" ▲ Too late: the confirmation says what the law makes of this decision.", d.width)) + "\n")
		}
		if d.err != "" {
			// above the fields, so that it shows however many fields and lines follow
			b.WriteString(st.Bad.Render(strings.TrimSuffix(paragraph(" ✗ ", d.err, d.width), "\n")) + "\n")
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
				d.linesView(&b, c, focus, max(h-strings.Count(b.String(), "\n"), 1), d.width)
			}
		}
	case stageConfirm:
		b.WriteString(" " + st.Section.Render("This record will be written to case "+one(c.ID)+":") + "\n")
		decisionText(record{b: &b, st: st, w: d.width, offline: d.offline}, d.record)
		b.WriteString("\n")
		if d.record.Approval {
			b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph(" ▲ ", approvalWhy(c, d.record, d.desk.Policy()), d.width), "\n")) + "\n")
			if d.offline != nil {
				b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph(" ▲ ", fmt.Sprintf("This desk is offline: the decision waits here, pending approval, and goes to approval at check-in, at the %s Center.",
					one(d.offline.Center)), d.width), "\n")) + "\n")
			}
			if d.noApprover != "" {
				b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph(" ▲ ", capital(d.noApprover)+".", d.width), "\n")) + "\n")
			}
		} else {
			b.WriteString(st.Good.Render(" This decides the case.") + "\n")
		}
		k := d.keys
		if d.late != "" && !d.acked {
			b.WriteString("\n" + st.Warn.Render(" ▲ This decision comes after a deadline the law does not move:") + "\n")
			b.WriteString(st.Warn.Render(strings.TrimSuffix(paragraph("   ", d.late, d.width), "\n")) + "\n")
			if d.err != "" {
				b.WriteString(st.Bad.Render(strings.TrimSuffix(paragraph(" ✗ ", d.err, d.width), "\n")) + "\n")
			}
			b.WriteString("\n " + st.Key.Render(k.AckLate.Help().Key) + " acknowledge it (recorded with the decision)   " + st.Key.Render(k.Cancel.Help().Key) + " go back")
			break
		}
		b.WriteString("\n " + st.Key.Render(k.Confirm.Help().Key) + " write it   " + st.Key.Render(k.Cancel.Help().Key) + " go back")
	case stageStale:
		b.WriteString(st.Bad.Render(wrap(" ✗ "+d.err, d.width-1)) + "\n")
		b.WriteString(st.Warn.Render(wrap(" Nothing was written, and you cannot decide the case now: "+d.stale+".", d.width-1)) + "\n\n")
		b.WriteString(" " + st.Section.Render("Your record, as you wrote it:") + "\n")
		decisionText(record{b: &b, st: st, w: d.width, offline: d.offline}, d.record)
		k := d.keys
		b.WriteString("\n" + st.Key.Render(" esc") + " back to the case   " + st.Key.Render(k.KeepNote.Help().Key) + " keep it as a note   " +
			st.Key.Render(k.Copy.Help().Key) + " copy it")
	}
	return b.String()
}

// linesView lists the entry's lines with their boxes in at most rows lines, a window around the cursor when the
// entry has more lines than that.
func (d *decisionPane) linesView(b *strings.Builder, c *cases.Case, focus bool, rows, w int) {
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

// outcomeGap is the least room between an outcome's title and what it needs.
const outcomeGap = 2

// outcomeColumn is the width of the outcome titles' column on a screen w cells wide, the gap after the longest
// title included: 44 cells (where the requirements of every kind line up) or wider for a longer title, and
// narrower when the requirements would not fit, the titles then cut. A title and its requirements are never
// drawn together without the gap.
func outcomeColumn(specs []cases.OutcomeSpec, w int) int {
	col, needs := 44, 0
	for _, s := range specs {
		col = max(col, width(s.Title)+outcomeGap)
		needs = max(needs, width(needsText(s)))
	}
	if room := w - 3 - needs; col > room { // " > " before the title
		col = max(room, 12+outcomeGap)
	}
	return col
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

// capital begins a sentence made of a message that is written to follow a semicolon.
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
