package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
)

type dialogKind int

const (
	dialogNote dialogKind = iota
	dialogInfo
	dialogApprove
	dialogReturn
	dialogReason
	dialogAnswer // the importer's answer to the latest open request for information
	dialogNotice // a notice of action, proposed or taken
	dialogReply  // the importer's reply to the latest notice of action without one
	dialogBreak  // the reason a supervisor breaks a case's checkout to a desk
)

// Fields of a dialog that asks more than its text, in the order tab moves through them.
const (
	focusText = iota
	focusDate
	focusChoice
)

// dialog asks for a piece of text (a note, a question for the importer, a comment, a reason) and then acts. A
// dialog about one case remembers the version of the case its user saw when it opened; the write is checked
// against that version.
type dialog struct {
	kind      dialogKind
	caseID    string
	version   uint64      // the version of caseID the user saw when the dialog opened
	latest    uint64      // the newest version of caseID the dialog has seen, which a note keeping its text is written against
	c         *cases.Case // approve and return: the case as the supervisor saw it
	title     string
	hint      string
	notice    string // a change made to the case since the dialog opened: what, who and when
	multiline bool   // enter adds a line; ctrl+s saves
	ta        textarea.Model
	err       string
	// answer, notice and reply: the date it was received or sent (today unless changed), and for a notice whether
	// the action is proposed; focus is the field that takes the keys (focusText, focusDate, focusChoice)
	dated     bool
	dateLabel string
	date      textinput.Model
	choosing  bool
	proposed  bool
	focus     int
}

// openDialog opens a dialog of kind about what the panes show (the open case, the approval under the cursor, the
// cases being reassigned), with the text kept from a conflict on the same dialog; the text field has the keys.
func (m *Model) openDialog(kind dialogKind) tea.Cmd {
	d := &dialog{kind: kind, multiline: true}
	switch kind {
	case dialogNote:
		d.caseID, d.version = m.d.c.ID, m.d.c.Version
		d.title = "Note on case " + one(d.caseID)
		d.ta = m.newTextarea("what you found, what you are waiting for, ...")
	case dialogInfo:
		d.caseID, d.version = m.d.c.ID, m.d.c.Version
		d.title = "Request for information (CBP Form 28) on case " + one(d.caseID)
		d.hint = fmt.Sprintf("The importer's answer is due %d days from today; the case waits for it.", m.infoDays())
		d.ta = m.newTextarea("the information the importer must supply")
	case dialogApprove:
		d.c = m.sup.apCase
		d.caseID, d.version = d.c.ID, d.c.Version
		d.title = "Approve the decision on case " + one(d.caseID)
		d.hint = "A comment is optional."
		d.multiline = false
		d.ta = m.newTextarea("comment (optional)")
	case dialogReturn:
		d.c = m.sup.apCase
		d.caseID, d.version = d.c.ID, d.c.Version
		d.title = "Return the decision on case " + one(d.caseID) + " to the reviewer"
		d.hint = "Say what the reviewer should look at again."
		d.multiline = false
		d.ta = m.newTextarea("comment for the reviewer")
	case dialogAnswer:
		c := m.d.c
		r := c.Requests[cases.OpenRequest(c)]
		d.caseID, d.version = c.ID, c.Version
		d.title = "Answer to the request for information (CBP Form 28) on case " + one(c.ID)
		d.hint = fmt.Sprintf("Answers the request of %s (answer due %s): %s", cases.DateOf(r.At), r.Due, one(r.Question))
		d.ta = m.newTextarea("the importer's answer, as received")
		d.withDate(m, "Received on")
	case dialogNotice:
		d.caseID, d.version = m.d.c.ID, m.d.c.Version
		d.title = "Notice of action (CBP Form 29) on case " + one(d.caseID)
		d.hint = fmt.Sprintf("A proposed action gives the importer %d days from the sending to reply before CBP acts; an action taken says what CBP did.", cases.NoticeReplyDays)
		d.ta = m.newTextarea("what CBP proposes to do, or did")
		d.withDate(m, "Sent on")
		d.choosing, d.proposed = true, true
	case dialogReply:
		c := m.d.c
		n := c.Notices[cases.OpenNotice(c)]
		d.caseID, d.version = c.ID, c.Version
		d.title = "Reply to the notice of action (CBP Form 29) on case " + one(c.ID)
		d.hint = fmt.Sprintf("Replies to the notice of %s sent %s: %s", noticeKind(n), n.Sent, one(n.Action))
		d.ta = m.newTextarea("the importer's reply, as received")
		d.withDate(m, "Received on")
	case dialogBreak:
		c := m.d.c
		d.caseID, d.version = c.ID, c.Version
		d.title = "Break the checkout of case " + one(c.ID)
		holder := one(c.Lease.User)
		d.hint = fmt.Sprintf("Case %s is %s (checkout %s). Breaking the checkout gives the case back to the Center now; "+
			"%s's changes to it on the desk file conflict at check-in once it changes here. The audit log keeps the reason.",
			one(c.ID), one(c.Lease.Label(m.today())), one(c.Lease.Checkout), holder)
		d.multiline = false
		d.ta = m.newTextarea("reason (" + holder + " is away, the importer is waiting, ...)")
	case dialogReason:
		d.title = fmt.Sprintf("Reassign %s to %s", plural(len(m.sup.reassignIDs), "case", "cases"), one(m.sup.reassignTo))
		d.hint = "Reassignment is recorded with its reason."
		d.multiline = false
		d.ta = m.newTextarea("reason (leave, workload, expertise, ...)")
	}
	d.latest = d.version
	if text, ok := m.drafts[d.draftKey()]; ok {
		d.ta.SetValue(text)
		delete(m.drafts, d.draftKey())
	}
	m.dlg = d
	d.layout(m)
	return d.ta.Focus()
}

// withDate gives the dialog a date field, today until changed.
func (d *dialog) withDate(m *Model, label string) {
	d.dated, d.dateLabel = true, label
	d.date = m.newInput("")
	d.date.CharLimit = 10
	d.date.Width = 11
	d.date.SetValue(m.today().String())
}

func noticeKind(n cases.ActionNotice) string {
	if n.Proposed {
		return "proposed action"
	}
	return "action taken"
}

// restyle gives the dialog's inputs the styles of a new theme.
func (d *dialog) restyle(c *common) {
	c.styleTextarea(&d.ta)
	if d.dated {
		c.styleInput(&d.date)
	}
}

// fields is how many fields tab moves through.
func (d *dialog) fields() int {
	switch {
	case d.choosing:
		return 3
	case d.dated:
		return 2
	}
	return 1
}

// focusField gives the keys to field f.
func (d *dialog) focusField(f int) tea.Cmd {
	d.focus = f
	d.ta.Blur()
	d.date.Blur()
	switch f {
	case focusText:
		return d.ta.Focus()
	case focusDate:
		return d.date.Focus()
	}
	return nil
}

// draftKey names the text a dialog keeps after a conflict, so that opening the same dialog on the same case
// gives it back.
func (d *dialog) draftKey() string { return fmt.Sprintf("%d:%s", d.kind, d.caseID) }

// what is what the dialog writes, for messages.
func (d *dialog) what() string {
	return [...]string{dialogNote: "note", dialogInfo: "request", dialogApprove: "approval", dialogReturn: "return", dialogReason: "reason",
		dialogAnswer: "answer", dialogNotice: "notice", dialogReply: "reply", dialogBreak: "reason"}[d.kind]
}

// changed reports whether the dialog's case changed since it opened, as far as the dialog has seen.
func (d *dialog) changed() bool { return d.caseID != "" && d.latest != d.version }

// noteHead heads the dialog's text when it is kept as a note, saying what it was to be.
func (d *dialog) noteHead() string {
	return [...]string{dialogNote: "", dialogInfo: "Request for information not sent: ", dialogApprove: "Approval comment not written: ",
		dialogReturn: "Return comment not written: ", dialogReason: "Reassignment reason not written: ",
		dialogAnswer: "Importer's answer not recorded: ", dialogNotice: "Notice of action not recorded: ",
		dialogReply: "Importer's reply not recorded: ", dialogBreak: "Reason for breaking the checkout not written: "}[d.kind]
}

// seen notes a change committed to the dialog's case after it opened: what changed and who changed it. The text
// stays; when the change took the case away from the user, the notice says the text cannot be written and how to
// keep it.
func (d *dialog) seen(m *Model, ch cases.Change) {
	c, err := m.desk.Case(m.user.Name, d.caseID)
	if err != nil || c.Version == d.version {
		return
	}
	d.latest = c.Version
	if err := cases.CanWork(m.user, c); err != nil {
		k := m.keys
		d.notice = fmt.Sprintf("%s — your %s cannot be written now: %s. %s copies it; %s keeps it as a note if you may still add one",
			changedBy(ch, c), d.what(), says(err), k.Copy.Help().Key, k.KeepNote.Help().Key)
		return
	}
	d.notice = changedNotice(ch, c, d.what())
}

// keepDialogAsNote writes the dialog's text as a note on its case, against the newest version the dialog has
// seen: the store decides whether the user may still add one. A refusal leaves the dialog open with the text.
func (m *Model) keepDialogAsNote() {
	d := m.dlg
	text := strings.TrimSpace(d.ta.Value())
	if text == "" {
		m.refuse("nothing is typed to keep")
		return
	}
	got, err := m.desk.AddNote(m.user.Name, d.caseID, d.latest, d.noteHead()+text)
	if err != nil {
		m.keepRefused(err)
		if c, err := m.desk.Case(m.user.Name, d.caseID); err == nil {
			d.latest = c.Version
		}
		return
	}
	m.dlg = nil
	msg := fmt.Sprintf("your %s is kept as a note on case %s", d.what(), one(got.ID))
	if d.kind == dialogNote {
		msg = "note added to case " + one(got.ID)
	}
	if m.d.c != nil && m.d.c.ID == got.ID {
		m.caseWritten(got, msg)
		return
	}
	m.say("%s", msg)
	m.q.refresh()
}

func (d *dialog) layout(m *Model) {
	d.ta.SetWidth(max(min(m.width-8, 100), 20))
	if d.multiline {
		d.ta.SetHeight(clamp(m.height-12-m.bannerLines()-2*(d.fields()-1), 3, 12))
	} else {
		d.ta.SetHeight(2)
	}
}

func (m *Model) dialogKey(msg tea.KeyMsg) tea.Cmd {
	d := m.dlg
	k := m.keys
	switch {
	case k.Back.pressed(msg):
		m.dlg = nil
		m.say("cancelled")
		return nil
	case k.Save.pressed(msg), !d.multiline && msg.String() == "enter":
		m.submitDialog()
		return nil
	case d.fields() > 1 && k.NextField.pressed(msg):
		return d.focusField((d.focus + 1) % d.fields())
	case d.fields() > 1 && k.PrevField.pressed(msg):
		return d.focusField((d.focus - 1 + d.fields()) % d.fields())
	case k.KeepNote.pressed(msg) && d.caseID != "":
		if m.allowed(k.KeepNote) {
			m.keepDialogAsNote()
		}
		return nil
	case k.Copy.pressed(msg):
		return m.copyText(strings.TrimSpace(d.ta.Value()))
	}
	var cmd tea.Cmd
	switch d.focus {
	case focusDate:
		if msg.String() == "enter" {
			return d.focusField((d.focus + 1) % d.fields())
		}
		d.date, cmd = d.date.Update(msg)
	case focusChoice:
		switch msg.String() {
		case " ", "left", "right", "h", "l":
			d.proposed = !d.proposed
		case "p":
			d.proposed = true
		case "t":
			d.proposed = false
		case "enter":
			return d.focusField(focusText)
		}
	default:
		d.ta, cmd = d.ta.Update(msg)
	}
	return cmd
}

// dialogDate reads the dialog's date field, saying in the dialog what is wrong with it.
func (m *Model) dialogDate() (cases.Date, bool) {
	d := m.dlg
	v, err := cases.ParseDate(strings.TrimSpace(d.date.Value()))
	if err != nil {
		d.err = strings.ToLower(d.dateLabel[:1]) + d.dateLabel[1:] + ": " + says(err)
		return 0, false
	}
	return v, true
}

func (m *Model) submitDialog() {
	d := m.dlg
	text := strings.TrimSpace(d.ta.Value())
	switch d.kind {
	case dialogNote:
		got, err := m.desk.AddNote(m.user.Name, d.caseID, d.version, text)
		if err != nil {
			m.dialogRefused(err)
			return
		}
		wasAssigned := m.d.c != nil && m.d.c.ID == got.ID && m.d.c.Status == cases.StatusAssigned
		m.dlg = nil
		msg := "note added to case " + one(got.ID)
		if wasAssigned && got.Status == cases.StatusInReview {
			msg += "; review started" // the assignee's first act on an assigned case begins its review
		}
		m.caseWritten(got, msg)
	case dialogInfo:
		got, err := m.desk.RequestInfo(m.user.Name, d.caseID, d.version, text, m.today())
		if err != nil {
			m.dialogRefused(err)
			return
		}
		m.dlg = nil
		due := ""
		if n := len(got.Requests); n > 0 {
			due = " (answer due " + got.Requests[n-1].Due.String() + ")"
		}
		m.caseWritten(got, "request for information sent on case "+one(got.ID)+due)
	case dialogAnswer:
		on, ok := m.dialogDate()
		if !ok {
			return
		}
		got, err := m.desk.AnswerRequest(m.user.Name, d.caseID, d.version, on, text, m.today())
		if err != nil {
			m.dialogRefused(err)
			return
		}
		m.dlg = nil
		rest := "; it is back in review"
		if i := cases.OpenRequest(got); i >= 0 {
			rest = fmt.Sprintf("; request %d is still open", i+1)
		} else if got.Status != cases.StatusInReview {
			rest = ""
		}
		m.caseWritten(got, "answer received "+on.String()+" recorded on case "+one(got.ID)+rest)
	case dialogNotice:
		on, ok := m.dialogDate()
		if !ok {
			return
		}
		got, err := m.desk.NoticeOfAction(m.user.Name, d.caseID, d.version, d.proposed, text, on, m.today())
		if err != nil {
			m.dialogRefused(err)
			return
		}
		m.dlg = nil
		msg := "notice of action taken recorded on case " + one(got.ID)
		if n := len(got.Notices); d.proposed && n > 0 {
			msg = "notice of proposed action recorded on case " + one(got.ID) + " (reply due " + got.Notices[n-1].ReplyDue.String() + ")"
		}
		m.caseWritten(got, msg)
	case dialogReply:
		on, ok := m.dialogDate()
		if !ok {
			return
		}
		got, err := m.desk.RecordReply(m.user.Name, d.caseID, d.version, on, text, m.today())
		if err != nil {
			m.dialogRefused(err)
			return
		}
		m.dlg = nil
		m.caseWritten(got, "reply received "+on.String()+" recorded on case "+one(got.ID))
	case dialogApprove, dialogReturn:
		c, version := d.c, d.version
		verb := "approve"
		if d.kind == dialogReturn {
			verb = "return"
			if text == "" {
				d.err = "returning a decision needs a comment for the reviewer"
				return
			}
		}
		m.dlg = nil
		write := func(ack string) {
			var err error
			if verb == "approve" {
				_, err = m.desk.Approve(m.user.Name, c.ID, version, text, ack, m.today())
			} else {
				_, err = m.desk.Return(m.user.Name, c.ID, version, text)
			}
			if err != nil {
				m.refusedApproval(err)
				if text != "" && isConflict(err) {
					m.drafts[d.draftKey()] = text
					m.status += "; your comment is kept"
				}
				return
			}
			if verb == "approve" {
				m.say("decision on case %s approved", one(c.ID))
			} else {
				m.say("decision on case %s returned to %s", one(c.ID), one(orNobody(c.Assignee)))
			}
			m.sup.loadApprovals()
			m.q.refresh()
		}
		m.confirm(fmt.Sprintf("%s the decision on case %s?", strings.ToUpper(verb[:1])+verb[1:], one(c.ID)),
			approvalSummary(c, text), func() { write("") })
		// The approval date is the decision's date: a decision made in time may be final too late.
		if verb == "approve" && c.Decision != nil && c.Decision.LateAck == "" {
			if w, late := cases.LateDecision(c, *c.Decision, m.desk.Policy(), m.today()); late {
				m.ask.late, m.ask.lateDo = w, write
			}
		}
		m.ask.caseID, m.ask.version, m.ask.what = c.ID, version, d.what()
	case dialogReason:
		if text == "" {
			d.err = "a reassignment needs a reason"
			return
		}
		m.dlg = nil
		m.sup.confirmReassign(text)
	case dialogBreak:
		if text == "" {
			d.err = "breaking a checkout needs a reason: the audit log keeps it"
			return
		}
		if c := m.d.c; c != nil && c.ID == d.caseID {
			if err := cases.CanBreakLease(m.user, c, text); err != nil {
				d.err = says(err)
				return
			}
		}
		m.dlg = nil
		m.confirmBreak(d.caseID, d.version, text)
	}
}

// confirmBreak asks before breaking the checkout of case id (at the version the supervisor saw) with the reason
// given, and breaks it on yes.
func (m *Model) confirmBreak(id string, version uint64, reason string) {
	if m.d.c == nil || m.d.c.ID != id || m.d.c.Lease == nil {
		m.refuse("case %s is no longer checked out (it was checked in or released); nothing was written", one(id))
		return
	}
	l := m.d.c.Lease
	body := fmt.Sprintf("Case:      %s\nCheckout:  %s · %s\nReason:    %s", one(id), one(l.Checkout), one(l.Label(m.today())), one(reason))
	m.confirm(fmt.Sprintf("Break the checkout of case %s to %s?", one(id), one(l.User)), body, func() {
		got, err := m.desk.BreakLease(m.user.Name, id, reason)
		if err != nil {
			m.refused(err)
			return
		}
		m.reload()
		m.say("checkout of case %s to %s broken; the audit log keeps your reason", one(id), one(got.User))
	})
	m.ask.caseID, m.ask.version, m.ask.what = id, version, "break of the checkout"
}

// dialogRefused keeps the dialog open with the store's reason. After a conflict it reloads the case and keeps the
// text: it closes the dialog, and opening the same dialog on the case again gives the text back; when the case is
// no longer the user's to work, the dialog could not open again, so it stays with the text and says why.
func (m *Model) dialogRefused(err error) {
	d := m.dlg
	var ce *cases.ConflictError
	if errors.As(err, &ce) {
		m.refused(err)
		text := strings.TrimSpace(d.ta.Value())
		if c, rerr := m.desk.Case(m.user.Name, d.caseID); rerr == nil && text != "" {
			if werr := cases.CanWork(m.user, c); werr != nil {
				d.latest = c.Version
				m.status = conflictText(ce) + "; nothing was written"
				d.err = fmt.Sprintf("your %s cannot be written now: %s. %s copies it", d.what(), says(werr), m.keys.Copy.Help().Key)
				return
			}
		}
		m.dlg = nil
		if text != "" {
			m.drafts[d.draftKey()] = d.ta.Value()
			key := map[dialogKind]*binding{dialogNote: m.keys.Note, dialogInfo: m.keys.Info, dialogAnswer: m.keys.Answer,
				dialogNotice: m.keys.NoticeOfAction, dialogReply: m.keys.Reply}[d.kind]
			m.status += fmt.Sprintf("; your %s is kept: %s reopens it", d.what(), key.Help().Key)
		}
		return
	}
	d.err = m.refusal(err)
}

func isConflict(err error) bool {
	var ce *cases.ConflictError
	return errors.As(err, &ce)
}

// refusedApproval explains a refused approval or return (the approver is never the decider, and so on).
func (m *Model) refusedApproval(err error) {
	m.refused(err)
	m.sup.loadApprovals()
}

func (d *dialog) view(m *Model, h int) string {
	st := m.st
	var b strings.Builder
	b.WriteString(st.Title.Render(d.title) + "\n")
	if d.hint != "" {
		b.WriteString(st.Muted.Render(d.hint) + "\n")
	}
	if d.notice != "" {
		b.WriteString(st.Warn.Render("▲ "+d.notice) + "\n")
	}
	b.WriteString("\n" + d.ta.View() + "\n")
	label := func(f int, t string) string {
		if d.focus == f {
			return st.Key.Render("▸ " + fit(t, 13))
		}
		return st.Label.Render("  " + fit(t, 13))
	}
	if d.dated {
		b.WriteString("\n" + label(focusDate, d.dateLabel) + " " + d.date.View() + st.Muted.Render("  YYYY-MM-DD") + "\n")
	}
	if d.choosing {
		mark := func(on bool) string {
			if on {
				return "(•)"
			}
			return "( )"
		}
		b.WriteString(label(focusChoice, "Action") + " " + mark(d.proposed) + fmt.Sprintf(" proposed (%d days to reply)   ", cases.NoticeReplyDays) +
			mark(!d.proposed) + " taken" + st.Muted.Render("   (space)") + "\n")
	}
	if d.err != "" {
		b.WriteString("\n" + st.Bad.Render("✗ "+d.err) + "\n")
	}
	save := "enter"
	if d.multiline {
		save = "ctrl+s"
	}
	b.WriteString("\n" + st.Key.Render(save) + " save   ")
	if d.fields() > 1 {
		b.WriteString(st.Key.Render("tab") + " next field   ")
	}
	if k := m.keys; d.changed() {
		b.WriteString(st.Key.Render(k.KeepNote.Help().Key) + " keep as note   " + st.Key.Render(k.Copy.Help().Key) + " copy   ")
	}
	b.WriteString(st.Key.Render("esc") + " cancel")
	return "\n" + st.Dialog.Width(max(min(m.width-4, 104), 24)).Render(b.String())
}

// confirmation asks y/n before a write that cannot be undone by the same key. One about a case remembers the
// version the user saw, to say when the case changes under the question.
type confirmation struct {
	title, body string
	do          func()
	// late is what the law makes of confirming now (cases.LateDecision), or "": then confirm refuses, and the
	// acknowledgement key runs lateDo with the acknowledgement instead.
	late    string
	lateDo  func(ack string)
	caseID  string
	version uint64
	what    string // what the write is, for the notice
	notice  string
}

// seen notes a change committed to the confirmation's case after the user began: what, who and when.
func (a *confirmation) seen(m *Model, ch cases.Change) {
	if c, err := m.desk.Case(m.user.Name, a.caseID); err == nil && c.Version != a.version {
		a.notice = changedNotice(ch, c, a.what)
	}
}

func (m *Model) confirm(title, body string, do func()) {
	m.ask = &confirmation{title: title, body: body, do: do}
}

func (m *Model) askKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case m.ask.late != "" && k.AckLate.pressed(msg):
		a := m.ask
		m.ask = nil
		a.lateDo(cases.AckLate(a.late, m.user.Name))
	case m.ask.late != "" && k.Confirm.pressed(msg):
		m.ask.notice = fmt.Sprintf("this comes too late: %s acknowledges what the law makes of it, %s goes back",
			k.AckLate.Help().Key, k.Cancel.Help().Key)
	case k.Confirm.pressed(msg):
		a := m.ask
		m.ask = nil
		a.do()
	case k.Cancel.pressed(msg):
		m.ask = nil
		m.say("cancelled; nothing was written")
	}
	return nil
}

func (a *confirmation) view(m *Model, h int) string {
	st := m.st
	body := st.Title.Render(a.title) + "\n\n" + a.body + "\n\n"
	if a.notice != "" {
		body += st.Warn.Render("▲ "+a.notice) + "\n\n"
	}
	if a.late != "" {
		body += st.Warn.Render(paragraph("▲ Too late: ", a.late, max(min(m.width-8, 100), 20))) + "\n" +
			st.Key.Render(m.keys.AckLate.Help().Key) + " acknowledge it and confirm (recorded with the decision)   " +
			st.Key.Render("esc/n") + " cancel"
		return "\n" + st.Dialog.Width(max(min(m.width-4, 104), 24)).Render(body)
	}
	body += st.Key.Render("y/enter") + " confirm   " + st.Key.Render("esc/n") + " cancel"
	return "\n" + st.Dialog.Width(max(min(m.width-4, 104), 24)).Render(body)
}
