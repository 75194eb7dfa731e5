package store

import (
	"errors"
	"strings"
	"testing"

	"ceedesk/cases"
)

// The importer's answer to a request for information and a notice of action go through the store's rules in
// one transaction, each with one audit event that says what was recorded, and the audit log still explains every
// case. (The assertions are on the case each write returns; reading the new fields back waits for the codec to
// carry them.)
func TestAnswerAndNoticeOfAction(t *testing.T) {
	s, cs := fixture(t, 400)
	c := find(t, cs, func(c *cases.Case) bool {
		return c.Center == "ELEC" && c.Kind == cases.KindPSC && c.Status == cases.StatusInReview && len(c.Requests) == 0
	})
	rv := c.Assignee
	if _, err := s.AnswerRequest(rv, c.ID, c.Version, today, "x", today); !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), "no open request for information") {
		t.Fatalf("an answer with no request: %v", err)
	}
	r, err := s.RequestInfo(rv, c.ID, c.Version, "send the invoice", today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AnswerRequest(otherReviewer(rv), c.ID, r.Version, today, "x", today); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("an answer by another reviewer: %v", err)
	}
	if _, err := s.AnswerRequest(rv, c.ID, r.Version, today.AddDays(1), "x", today); err == nil || !strings.Contains(err.Error(), "after today") {
		t.Fatalf("an answer dated tomorrow: %v", err)
	}
	if _, err := s.AnswerRequest(rv, c.ID, r.Version-1, today, "x", today); !errors.As(err, new(*cases.ConflictError)) {
		t.Fatalf("an answer against a stale version: %v", err)
	}
	a, err := s.AnswerRequest(rv, c.ID, r.Version, today, " invoice attached ", today)
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != r.Version+1 || a.Status != cases.StatusInReview || len(a.Requests) != 1 {
		t.Fatalf("answered: version %d status %s requests %+v", a.Version, a.Status, a.Requests)
	}
	if q := a.Requests[0]; q.Answered != today || q.Answer != "invoice attached" || q.RecordedBy != rv || q.RecordedAt.IsZero() {
		t.Fatalf("the answer: %+v", q)
	}
	if got, err := s.Case(Operator, c.ID); err != nil || got.Status != cases.StatusInReview || got.Version != a.Version ||
		len(got.Requests) != 1 || got.Requests[0] != a.Requests[0] {
		t.Fatalf("read back: %v %+v", err, got)
	}

	n, err := s.NoticeOfAction(rv, c.ID, a.Version, true, "advance the rate of line 1", today.AddDays(-2), today)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Notices) != 1 || !n.Notices[0].Proposed || n.Notices[0].Sent != today.AddDays(-2) || n.Notices[0].ReplyDue != cases.RollForward(today.AddDays(18)) || n.Notices[0].By != rv {
		t.Fatalf("notice: %+v", n.Notices)
	}
	if got, _ := s.Case(Operator, c.ID); len(got.Notices) != 1 || got.Notices[0] != n.Notices[0] {
		t.Fatalf("the notice read back: %+v", got.Notices)
	}
	rp, err := s.RecordReply(rv, c.ID, n.Version, today, "the rate is right; see ruling N123", today)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Case(Operator, c.ID); len(got.Notices) != 1 || got.Notices[0].Replied != today || got.Notices[0].Reply != rp.Notices[0].Reply || got.Version != rp.Version {
		t.Fatalf("the reply read back: %+v", got.Notices)
	}
	n = rp
	if _, err := s.NoticeOfAction(rv, c.ID, n.Version, false, " ", today, today); err == nil || !strings.Contains(err.Error(), "the action is empty") {
		t.Fatalf("a notice without its action: %v", err)
	}

	h, err := s.History(Operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"request_info", "status: review -> awaiting_info; request for information due",
		"answer", "status: awaiting_info -> review; answer to request for information 1 of " + today.String() + ", received " + today.String() + ": invoice attached",
		"notice_of_action", "notice of proposed action (CBP Form 29) sent " + today.AddDays(-2).String() + ", reply due " + n.Notices[0].ReplyDue.String() + ": advance the rate of line 1",
	}
	last := h[len(h)-4 : len(h)-1]
	for i, e := range last {
		if e.Action != want[2*i] || e.Actor != rv || !strings.HasPrefix(e.Change, want[2*i+1]) {
			t.Errorf("event %d: %s %s %q; want %s %q", i, e.Actor, e.Action, e.Change, want[2*i], want[2*i+1])
		}
	}
	mustCheck(t, s)
	if _, err := s.VerifyHistory(); err != nil {
		t.Fatalf("VerifyHistory: %v", err)
	}
}
