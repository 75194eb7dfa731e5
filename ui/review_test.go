package ui

import (
	"strings"
	"sync"
	"testing"

	"ceedesk/cases"
	"ceedesk/store"
)

// writeLog is a desk that records every write made through it; reads go straight to the store.
type writeLog struct {
	*store.Store
	mu     sync.Mutex
	writes []string
}

func (w *writeLog) wrote(what, id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, what+" "+id)
}

func (w *writeLog) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.writes...)
}

func (w *writeLog) StartReview(actor, id string, version uint64) (*cases.Case, error) {
	w.wrote("review", id)
	return w.Store.StartReview(actor, id, version)
}

func (w *writeLog) Decide(actor, id string, version uint64, d cases.Decision, today cases.Date) (*cases.Case, error) {
	w.wrote("decide", id)
	return w.Store.Decide(actor, id, version, d, today)
}

func (w *writeLog) AddNote(actor, id string, version uint64, text string) (*cases.Case, error) {
	w.wrote("note", id)
	return w.Store.AddNote(actor, id, version, text)
}

func (w *writeLog) RequestInfo(actor, id string, version uint64, question string, today cases.Date) (*cases.Case, error) {
	w.wrote("request", id)
	return w.Store.RequestInfo(actor, id, version, question, today)
}

func (w *writeLog) AnswerRequest(actor, id string, version uint64, answered cases.Date, text string, today cases.Date) (*cases.Case, error) {
	w.wrote("answer", id)
	return w.Store.AnswerRequest(actor, id, version, answered, text, today)
}

func (w *writeLog) NoticeOfAction(actor, id string, version uint64, proposed bool, action string, sent, today cases.Date) (*cases.Case, error) {
	w.wrote("notice", id)
	return w.Store.NoticeOfAction(actor, id, version, proposed, action, sent, today)
}

func (w *writeLog) RecordReply(actor, id string, version uint64, replied cases.Date, text string, today cases.Date) (*cases.Case, error) {
	w.wrote("reply", id)
	return w.Store.RecordReply(actor, id, version, replied, text, today)
}

func (w *writeLog) Assign(actor string, ids []string, versions []uint64, to, reason string, today cases.Date) ([]*cases.Case, error) {
	w.wrote("assign", strings.Join(ids, ","))
	return w.Store.Assign(actor, ids, versions, to, reason, today)
}

func (w *writeLog) Approve(actor, id string, version uint64, comment, lateAck string, today cases.Date) (*cases.Case, error) {
	w.wrote("approve", id)
	return w.Store.Approve(actor, id, version, comment, lateAck, today)
}

func (w *writeLog) Return(actor, id string, version uint64, comment string) (*cases.Case, error) {
	w.wrote("return", id)
	return w.Store.Return(actor, id, version, comment)
}

func versions(t *testing.T, s *store.Store) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for _, c := range testCases() {
		got, err := s.Case(store.Operator, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[c.ID] = got.Version
	}
	return out
}

// A reviewer who opens cases, pages through them, looks at the decision pane and leaves writes nothing: every
// case keeps its version and its status.
func TestOpeningACaseWritesNothing(t *testing.T) {
	s := newTestStore(t)
	desk := &writeLog{Store: s}
	before := versions(t, s)
	keys := []string{"enter", "]", "]", "[", "d", "esc", "esc", "j", "j", "enter", "esc"}
	keys = append(append(append(keys, ":"), chars("open 2709-26-100045")...), "enter", "esc")
	m := run(t, testOptions(t, desk, "alice"), 120, 40, keys...)
	if w := desk.all(); len(w) > 0 {
		t.Fatalf("opening and paging wrote %v", w)
	}
	for id, v := range versions(t, s) {
		if v != before[id] {
			t.Errorf("case %s went from version %d to %d", id, before[id], v)
		}
	}
	if c, _ := s.Case(store.Operator, "PEA-25-000001"); c.Status != cases.StatusAssigned {
		t.Errorf("the first case opened is %s, want assigned", c.Status)
	}
	if m.pane != paneQueue {
		t.Errorf("esc should have led back to the queue, on %s", m.pane)
	}
}

// The begin-review key moves the open case from assigned to in review, once, and says so; help lists it, and the
// config may move it to another key.
func TestBeginReviewKey(t *testing.T) {
	s := newTestStore(t)
	desk := &writeLog{Store: s}
	m := run(t, testOptions(t, desk, "alice"), 120, 40, "enter", "e")
	if !strings.Contains(m.status, "review started on case PEA-25-000001") || m.statusBad {
		t.Fatalf("status %q", m.status)
	}
	if c, _ := s.Case(store.Operator, "PEA-25-000001"); c.Status != cases.StatusInReview || c.Version != 2 {
		t.Fatalf("the case is %s at version %d, want in review at 2", c.Status, c.Version)
	}
	if w := desk.all(); len(w) != 1 || w[0] != "review PEA-25-000001" {
		t.Fatalf("writes %v", w)
	}
	if v := m.View(); !strings.Contains(v, "· in review ·") || strings.Contains(v, "begin review") {
		t.Fatalf("the pane should show the case in review and no longer offer to begin it:\n%s", v)
	}

	m = run(t, testOptions(t, desk, "alice"), 120, 40, "enter", "e")
	if !m.statusBad || !strings.Contains(m.status, "case PEA-25-000001 is in review: only an assigned case waits for its review to begin") {
		t.Fatalf("a second e: status %q", m.status)
	}
	if w := desk.all(); len(w) != 1 {
		t.Fatalf("a second e wrote: %v", w)
	}

	opt := testOptions(t, desk, "alice")
	opt.Config.Keys = map[string][]string{"begin_review": {"E"}} // B is break_checkout's
	m = run(t, opt, 160, 48, "j", "enter", "?")
	if v := m.View(); !strings.Contains(v, "E            begin review (assigned → in review)") {
		t.Fatalf("help should list the remapped key:\n%s", v)
	}
	m = run(t, opt, 160, 48, "j", "enter", "e", "E")
	if c, _ := s.Case(store.Operator, m.d.c.ID); c.Status != cases.StatusInReview || !strings.Contains(m.status, "review started") {
		t.Fatalf("E should begin the review of %s: %s (%q)", m.d.c.ID, c.Status, m.status)
	}

	ro := testOptions(t, desk, "alice")
	ro.ReadOnly = true
	m = run(t, ro, 120, 40, "j", "j", "enter", "e")
	if m.status != "this session is read-only" {
		t.Fatalf("e in a read-only session: %q", m.status)
	}
}

// A note is the reviewer's first act on an assigned case: it begins the review, and the status line says so.
func TestNoteOnAnAssignedCaseBeginsItsReview(t *testing.T) {
	s := newTestStore(t)
	m := run(t, testOptions(t, s, "alice"), 120, 40, append(append([]string{"enter", "n"}, chars("Broker called.")...), "ctrl+s")...)
	if !strings.Contains(m.status, "note added to case PEA-25-000001; review started") {
		t.Fatalf("status %q", m.status)
	}
	if c, _ := s.Case(store.Operator, "PEA-25-000001"); c.Status != cases.StatusInReview || len(c.Notes) != 1 {
		t.Fatalf("%s with %d notes", c.Status, len(c.Notes))
	}
}
