package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
	"ceedesk/store"
)

// clearInput deletes n characters before the cursor.
func clearInput(m *Model, n int) {
	for i := 0; i < n; i++ {
		m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	}
}

// openPSC opens alice's PSC-25-000001, in review, in the detail pane.
func openPSC(t *testing.T, m *Model) {
	t.Helper()
	if !m.openCase("PSC-25-000001", paneQueue) {
		t.Fatalf("open: %s", m.status)
	}
}

// A: the importer's answer to the open request, dated today unless changed; the case is back in review.
func TestAnswerDialog(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 100, 40)
	openPSC(t, m)
	press(m, "A")
	if m.dlg != nil || !strings.Contains(m.status, "case PSC-25-000001 has no open request for information to answer; i sends one") {
		t.Fatalf("A with no request: dialog %v, status %q", m.dlg != nil, m.status)
	}
	press(m, "i")
	typeText(m, "Send the mill certificate.")
	press(m, "ctrl+s")
	if m.d.c.Status != cases.StatusAwaitingInfo {
		t.Fatalf("request: %s %q", m.d.c.Status, m.status)
	}
	if v := m.View(); !strings.Contains(v, "A answer") {
		t.Errorf("the footer should offer the answer while a request is open:\n%s", v)
	}
	press(m, "A")
	if m.dlg == nil || m.dlg.kind != dialogAnswer || !strings.Contains(m.View(), "Send the mill certificate.") {
		t.Fatalf("A should open the answer dialog naming the request:\n%s", m.View())
	}
	typeText(m, "Certificate attached.")
	press(m, "tab")
	clearInput(m, 10)
	typeText(m, "2026-03-09")
	press(m, "ctrl+s")
	if m.dlg == nil || !strings.Contains(m.View(), "the answer is dated 2026-03-09, after today (2026-03-02)") {
		t.Fatalf("an answer dated after today should stay in the dialog with the rule's words:\n%s", m.View())
	}
	clearInput(m, 10)
	typeText(m, "03/02/2026")
	press(m, "ctrl+s")
	if m.dlg == nil || !strings.Contains(m.dlg.err, `received on: date "03/02/2026": want YYYY-MM-DD`) {
		t.Fatalf("a date that does not parse: %+v", m.dlg)
	}
	clearInput(m, 10)
	typeText(m, "2026-03-02")
	press(m, "ctrl+s")
	if m.dlg != nil {
		t.Fatalf("the answer was not written: %s", m.dlg.err)
	}
	c := m.d.c
	if c.Status != cases.StatusInReview || c.Requests[0].Answer != "Certificate attached." || c.Requests[0].Answered != testToday || c.Requests[0].RecordedBy != "alice" {
		t.Fatalf("answered: %s %+v", c.Status, c.Requests[0])
	}
	if !strings.Contains(m.status, "answer received 2026-03-02 recorded on case PSC-25-000001; it is back in review") {
		t.Errorf("status: %q", m.status)
	}
	if v := m.caseText(c, nil, 100); !strings.Contains(v, "answered 2026-03-02 (recorded by alice)") || !strings.Contains(v, "Certificate attached.") {
		t.Errorf("the detail pane should show the answer:\n%s", v)
	}
	stored, _ := s.Case(store.Operator, c.ID)
	if stored.Status != cases.StatusInReview {
		t.Errorf("stored status %s", stored.Status)
	}
}

// o: a notice of action, proposed (reply due 20 days after sending, rolled) or taken, with the date it was sent.
func TestNoticeOfActionDialog(t *testing.T) {
	s := newTestStore(t)
	m := newTestModel(t, s, "alice", 100, 40)
	openPSC(t, m)
	press(m, "o")
	if m.dlg == nil || m.dlg.kind != dialogNotice || !m.dlg.proposed {
		t.Fatalf("o should open the notice dialog, proposed by default")
	}
	press(m, "ctrl+s")
	if m.dlg == nil || !strings.Contains(m.dlg.err, "the action is empty") {
		t.Fatalf("a notice without its action: %+v", m.dlg)
	}
	typeText(m, "Advance line 2 to 8517.62.0090.")
	press(m, "tab")
	clearInput(m, 10)
	typeText(m, "2026-02-27")
	press(m, "tab", "space", "space") // taken, then proposed again
	press(m, "ctrl+s")
	if m.dlg != nil {
		t.Fatalf("not written: %s", m.dlg.err)
	}
	n := m.d.c.Notices
	if len(n) != 1 || !n[0].Proposed || n[0].Sent != d(2026, 2, 27) || n[0].ReplyDue != d(2026, 3, 19) || n[0].Action != "Advance line 2 to 8517.62.0090." {
		t.Fatalf("notice: %+v", n)
	}
	if !strings.Contains(m.status, "notice of proposed action recorded on case PSC-25-000001 (reply due 2026-03-19)") {
		t.Errorf("status %q", m.status)
	}
	if v := m.caseText(m.d.c, nil, 100) + m.footer(); !strings.Contains(v, "NOTICES OF ACTION (CBP FORM 29)") || !strings.Contains(v, "proposed action · sent 2026-02-27 by alice · reply due 2026-03-19") ||
		!strings.Contains(v, "R reply") {
		t.Errorf("the detail pane should show the notice and offer the reply:\n%s", v)
	}
	press(m, "o")
	typeText(m, "Rate advanced.")
	press(m, "tab", "tab", "t", "ctrl+s")
	// the last notice (the one before it is kept once the store's codec carries notices)
	if n := m.d.c.Notices; len(n) == 0 || n[len(n)-1].Proposed || n[len(n)-1].ReplyDue != 0 || n[len(n)-1].Sent != testToday {
		t.Fatalf("action taken: %+v", n)
	}
}

// replyDesk records the reply the workstation writes and answers with the case it was given plus the reply, as the
// store does once notices are kept.
type replyDesk struct {
	*store.Store
	c      *cases.Case
	called string
}

func (r *replyDesk) Case(actor, id string) (*cases.Case, error) {
	if r.c != nil && id == r.c.ID {
		return r.c.Clone(), nil
	}
	return r.Store.Case(actor, id)
}

func (r *replyDesk) RecordReply(actor, id string, version uint64, replied cases.Date, text string, today cases.Date) (*cases.Case, error) {
	r.called = strings.Join([]string{actor, id, replied.String(), text, today.String()}, "|")
	c := r.c.Clone()
	if err := cases.RecordReply(c, user(nil, actor), replied, text, today, c.UpdatedAt); err != nil {
		return nil, err
	}
	c.Version++
	return c, nil
}

// R: the importer's reply to the latest notice still waiting for one.
func TestReplyDialog(t *testing.T) {
	s := newTestStore(t)
	c, err := s.Case(store.Operator, "PSC-25-000001")
	if err != nil {
		t.Fatal(err)
	}
	desk := &replyDesk{Store: s}
	m := newTestModel(t, desk, "alice", 100, 40)
	openPSC(t, m)
	press(m, "R")
	if m.dlg != nil || !strings.Contains(m.status, "has no notice of action waiting for a reply; o records one") {
		t.Fatalf("R with no notice: %q", m.status)
	}
	c.Notices = []cases.ActionNotice{{By: "alice", Sent: d(2026, 2, 27), Proposed: true, Action: "Advance line 2.", ReplyDue: d(2026, 3, 19)}}
	desk.c = c
	openPSC(t, m)
	press(m, "R")
	if m.dlg == nil || m.dlg.kind != dialogReply || !strings.Contains(m.View(), "Replies to the notice of proposed action sent 2026-02-27: Advance line 2.") {
		t.Fatalf("R should open the reply dialog naming the notice:\n%s", m.View())
	}
	typeText(m, "The goods are switches of 8517.62.")
	press(m, "ctrl+s")
	if m.dlg != nil {
		t.Fatalf("not written: %s", m.dlg.err)
	}
	if desk.called != "alice|PSC-25-000001|2026-03-02|The goods are switches of 8517.62.|2026-03-02" {
		t.Fatalf("RecordReply called with %s", desk.called)
	}
	if !strings.Contains(m.status, "reply received 2026-03-02 recorded on case PSC-25-000001") || !strings.Contains(m.caseText(m.d.c, nil, 100), "replied 2026-03-02") {
		t.Errorf("status %q\n%s", m.status, m.View())
	}
}

// The new keys say why they do nothing: in a read-only session, and on a case the user may not work.
func TestCorrespondenceKeysSayWhyNot(t *testing.T) {
	s := newTestStore(t)
	ro := New(Options{Desk: s, User: user(t, "alice"), Today: func() cases.Date { return testToday }, Renderer: asciiRenderer(), ReadOnly: true}).(*Model)
	ro.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	openPSC(t, ro)
	for _, k := range []string{"A", "o", "R"} {
		press(ro, k)
		if ro.dlg != nil || ro.status != "this session is read-only" {
			t.Errorf("%s in a read-only session: dialog %v, status %q", k, ro.dlg != nil, ro.status)
		}
	}
	press(ro, "?")
	if v := ro.View(); !strings.Contains(v, "record the importer's answer (CBP Form 28)  — this session is read-only") {
		t.Errorf("help should say why A is off:\n%s", v)
	}

	m := newTestModel(t, s, "bob", 100, 40)
	if !m.openCase("PSC-25-000001", paneQueue) {
		t.Fatal(m.status)
	}
	for _, k := range []string{"A", "o", "R"} {
		press(m, k)
		if m.dlg != nil || !strings.Contains(m.status, "only the assignee") {
			t.Errorf("%s on alice's case as bob: dialog %v, status %q", k, m.dlg != nil, m.status)
		}
	}
}
