package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/textarea"
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
)

// dialog asks for a piece of text (a note, a question for the importer, a comment, a reason) and then acts. A
// dialog about one case remembers the version of the case its user saw when it opened; the write is checked
// against that version.
type dialog struct {
	kind      dialogKind
	caseID    string
	version   uint64      // the version of caseID the user saw when the dialog opened
	c         *cases.Case // approve and return: the case as the supervisor saw it
	title     string
	hint      string
	notice    string // a change made to the case since the dialog opened: who and when
	multiline bool   // enter adds a line; ctrl+s saves
	ta        textarea.Model
	err       string
}

func (m *Model) openDialog(kind dialogKind) {
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
	case dialogReason:
		d.title = fmt.Sprintf("Reassign %s to %s", plural(len(m.sup.reassignIDs), "case", "cases"), one(m.sup.reassignTo))
		d.hint = "Reassignment is recorded with its reason."
		d.multiline = false
		d.ta = m.newTextarea("reason (leave, workload, expertise, ...)")
	}
	if text, ok := m.drafts[d.draftKey()]; ok {
		d.ta.SetValue(text)
		delete(m.drafts, d.draftKey())
	}
	m.dlg = d
	d.layout(m)
}

// draftKey names the text a dialog keeps after a conflict, so that opening the same dialog on the same case
// gives it back.
func (d *dialog) draftKey() string { return fmt.Sprintf("%d:%s", d.kind, d.caseID) }

// what is what the dialog writes, for messages.
func (d *dialog) what() string {
	return [...]string{dialogNote: "note", dialogInfo: "request", dialogApprove: "approval", dialogReturn: "return", dialogReason: "reason"}[d.kind]
}

// seen notes a change committed to the dialog's case after it opened.
func (d *dialog) seen(m *Model) {
	if c, err := m.desk.Case(m.user.Name, d.caseID); err == nil && c.Version != d.version {
		d.notice = changedNotice(c, d.what())
	}
}

func (m *Model) infoDays() int {
	if n := m.desk.Policy().InfoRequestDays; n > 0 {
		return n
	}
	return 30
}

func (d *dialog) layout(m *Model) {
	d.ta.SetWidth(max(min(m.width-8, 100), 20))
	if d.multiline {
		d.ta.SetHeight(clamp(m.height-12, 3, 12))
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
	}
	var cmd tea.Cmd
	d.ta, cmd = d.ta.Update(msg)
	return cmd
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
		m.dlg = nil
		m.caseWritten(got, "note added to case "+one(got.ID))
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
		m.confirm(fmt.Sprintf("%s the decision on case %s?", strings.ToUpper(verb[:1])+verb[1:], one(c.ID)),
			approvalSummary(m, c, text), func() {
				var err error
				if verb == "approve" {
					_, err = m.desk.Approve(m.user.Name, c.ID, version, text)
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
				m.loadApprovals()
				m.q.refresh(m)
			})
		m.ask.caseID, m.ask.version, m.ask.what = c.ID, version, d.what()
	case dialogReason:
		if text == "" {
			d.err = "a reassignment needs a reason"
			return
		}
		m.dlg = nil
		m.confirmReassign(text)
	}
}

// dialogRefused keeps the dialog open with the store's reason. After a conflict it closes the dialog, reloads the
// case and keeps the text: opening the same dialog on the case again gives it back.
func (m *Model) dialogRefused(err error) {
	d := m.dlg
	if isConflict(err) {
		m.dlg = nil
		m.refused(err)
		if text := strings.TrimSpace(d.ta.Value()); text != "" {
			m.drafts[d.draftKey()] = d.ta.Value()
			key := map[dialogKind]*binding{dialogNote: m.keys.Note, dialogInfo: m.keys.Info}[d.kind]
			m.status += fmt.Sprintf("; your %s is kept: %s reopens it", d.what(), key.Help().Key)
		}
		return
	}
	d.err = says(err)
}

func isConflict(err error) bool {
	var ce *cases.ConflictError
	return errors.As(err, &ce)
}

// caseWritten shows the case as the store returned it after a write, and says what was done.
func (m *Model) caseWritten(c *cases.Case, msg string) {
	m.d.c = c
	m.loadHistory()
	m.d.why = m.workReason(c)
	m.d.layout(m)
	m.say("%s", msg)
	m.q.refresh(m)
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
	if d.err != "" {
		b.WriteString("\n" + st.Bad.Render("✗ "+d.err) + "\n")
	}
	save := "enter"
	if d.multiline {
		save = "ctrl+s"
	}
	b.WriteString("\n" + st.Key.Render(save) + " save   " + st.Key.Render("esc") + " cancel")
	return "\n" + st.Dialog.Width(max(min(m.width-4, 104), 24)).Render(b.String())
}

// confirmation asks y/n before a write that cannot be undone by the same key. One about a case remembers the
// version the user saw, to say when the case changes under the question.
type confirmation struct {
	title, body string
	do          func()
	caseID      string
	version     uint64
	what        string // what the write is, for the notice
	notice      string
}

// seen notes a change committed to the confirmation's case after the user began.
func (a *confirmation) seen(m *Model) {
	if c, err := m.desk.Case(m.user.Name, a.caseID); err == nil && c.Version != a.version {
		a.notice = changedNotice(c, a.what)
	}
}

func (m *Model) confirm(title, body string, do func()) {
	m.ask = &confirmation{title: title, body: body, do: do}
}

func (m *Model) askKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
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
	body += st.Key.Render("y/enter") + " confirm   " + st.Key.Render("esc/n") + " cancel"
	return "\n" + st.Dialog.Width(max(min(m.width-4, 104), 24)).Render(body)
}
