package cases

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A request for information (CBP Form 28) is closed by the importer's answer; the case is back in review when no
// request stays open.
func TestAnswerRequest(t *testing.T) {
	asked := time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC)
	c := workCase(100)
	for _, q := range []string{"send the invoice", "send the contract"} {
		if err := RequestInfo(c, alice, q, policy, DateOf(asked), asked); err != nil {
			t.Fatal(err)
		}
	}
	if c.Status != StatusAwaitingInfo || OpenRequest(c) != 1 {
		t.Fatalf("two requests: %s, open %d", c.Status, OpenRequest(c))
	}
	refusals := []struct {
		name     string
		who      User
		n        int
		answered Date
		text     string
		want     string
	}{
		{"by another reviewer", bob, 0, today, "x", "only the assignee"},
		{"empty", alice, 0, today, "  ", "the answer is empty"},
		{"not UTF-8", alice, 0, today, "caf\xe9", "the answer is not valid UTF-8"},
		{"undated", alice, 0, 0, "x", "needs the date it was received"},
		{"dated after today", alice, 0, today.AddDays(1), "x", "the answer is dated 2026-03-03, after today (2026-03-02)"},
		{"dated before the request", alice, 0, d("2026-02-01"), "x", "the answer is dated 2026-02-01, before the request of 2026-02-02 it answers"},
		{"a request the case does not have", alice, 3, today, "x", "case PSC-26-000001 has 2 requests for information; there is no request 3"},
	}
	for _, r := range refusals {
		before := c.Clone()
		err := AnswerRequestNo(c, r.who, r.n, r.answered, r.text, today, now)
		if err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: %v; want %q", r.name, err, r.want)
		}
		if Diff(before, c) != "no change" {
			t.Errorf("%s: a refusal changed the case: %s", r.name, Diff(before, c))
		}
	}

	// The latest open request first; the case waits while another stays open.
	before := c.Clone()
	if err := AnswerRequest(c, alice, d("2026-02-20"), " contract attached ", today, now); err != nil {
		t.Fatal(err)
	}
	r := c.Requests[1]
	if r.Answered != d("2026-02-20") || r.Answer != "contract attached" || r.RecordedBy != "alice" || !r.RecordedAt.Equal(now) || c.Requests[0].Answered != 0 {
		t.Fatalf("answer: %+v / %+v", c.Requests[0], r)
	}
	if c.Status != StatusAwaitingInfo || OpenRequest(c) != 0 || c.UpdatedBy != "alice" {
		t.Fatalf("one request still open: %s, open %d", c.Status, OpenRequest(c))
	}
	if got, want := Diff(before, c), "answer to request for information 2 of 2026-02-02, received 2026-02-20: contract attached"; got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}
	if err := AnswerRequestNo(c, alice, 2, today, "again", today, now); err == nil || !strings.Contains(err.Error(), "request 2 of case PSC-26-000001 was already answered on 2026-02-20 (recorded by alice)") {
		t.Errorf("answering twice: %v", err)
	}

	// The last open request answered, by a supervisor of the Center: back in review.
	before = c.Clone()
	if err := AnswerRequestNo(c, sofia, 1, today, "invoice attached", today, now); err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusInReview || OpenRequest(c) != -1 || c.Requests[0].RecordedBy != "sofia" {
		t.Fatalf("no request open: %s %+v", c.Status, c.Requests[0])
	}
	want := "status: awaiting_info -> review; answer to request for information 1 of 2026-02-02, received 2026-03-02: invoice attached"
	if got := Diff(before, c); got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}
	if err := AnswerRequest(c, alice, today, "x", today, now); err == nil || !strings.Contains(err.Error(), "has no open request for information to answer") {
		t.Errorf("no open request: %v", err)
	}

	// A decision waiting for approval keeps waiting; a decided case takes no answer.
	c = workCase(20_000_00)
	_ = RequestInfo(c, alice, "q", policy, today, now)
	if err := Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now); err != nil {
		t.Fatal(err)
	}
	if err := AnswerRequest(c, alice, today, "late papers", today, now); err != nil || c.Status != StatusPendingApproval {
		t.Errorf("answer while pending: %v, %s", err, c.Status)
	}
	c = workCase(100)
	_ = RequestInfo(c, alice, "q", policy, today, now)
	c.Status, c.Decision = StatusDecided, &Decision{Outcome: OutcomeAccepted}
	if err := AnswerRequest(c, alice, today, "x", today, now); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is decided") {
		t.Errorf("answer on a decided case: %v", err)
	}
}

// A notice of action (CBP Form 29) is proposed, with 20 days to reply (19 CFR 152.2), or taken; the importer's
// reply closes it.
func TestNoticeOfActionAndReply(t *testing.T) {
	c := workCase(100)
	for _, r := range []struct {
		name   string
		who    User
		action string
		sent   Date
		want   string
	}{
		{"by another reviewer", bob, "rate advance", today, "only the assignee"},
		{"empty", alice, " ", today, "the action is empty"},
		{"undated", alice, "rate advance", 0, "needs the date it was sent"},
		{"dated after today", alice, "rate advance", today.AddDays(1), "the notice of action is dated 2026-03-03, after today"},
	} {
		if err := NoticeOfAction(c, r.who, true, r.action, r.sent, today, now); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: %v; want %q", r.name, err, r.want)
		}
	}
	if len(c.Notices) != 0 {
		t.Fatalf("refusals recorded notices: %+v", c.Notices)
	}

	// Sent Friday 2026-06-12: the 20th day is Thursday 07-02; sent 06-14, the 20th day is Saturday 07-04, Independence
	// Day, and the reply is due Monday 07-06.
	for _, tc := range []struct{ sent, due Date }{{d("2026-06-12"), d("2026-07-02")}, {d("2026-06-14"), d("2026-07-06")}} {
		c := workCase(100)
		if err := NoticeOfAction(c, alice, true, "rate advance", tc.sent, d("2026-06-15"), now); err != nil {
			t.Fatal(err)
		}
		if got := c.Notices[0].ReplyDue; got != tc.due {
			t.Errorf("sent %s: reply due %s, want %s", tc.sent, got, tc.due)
		}
	}

	before := c.Clone()
	if err := NoticeOfAction(c, alice, true, " advance line 2 to 8518.22.0000 ", d("2026-02-27"), today, now); err != nil {
		t.Fatal(err)
	}
	n := c.Notices[0]
	if !n.Proposed || n.Sent != d("2026-02-27") || n.ReplyDue != d("2026-03-19") || n.Action != "advance line 2 to 8518.22.0000" || n.By != "alice" || c.Status != StatusInReview {
		t.Fatalf("proposed notice: %+v, %s", n, c.Status)
	}
	if got, want := Diff(before, c), "notice of proposed action (CBP Form 29) sent 2026-02-27, reply due 2026-03-19: advance line 2 to 8518.22.0000"; got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}

	for _, r := range []struct {
		name    string
		replied Date
		text    string
		want    string
	}{
		{"empty", today, "", "the reply is empty"},
		{"before the notice", d("2026-02-26"), "x", "the reply is dated 2026-02-26, before the notice of 2026-02-27 it answers"},
		{"after today", today.AddDays(1), "x", "after today"},
	} {
		if err := RecordReply(c, alice, r.replied, r.text, today, now); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("reply %s: %v; want %q", r.name, err, r.want)
		}
	}
	before = c.Clone()
	if err := RecordReply(c, alice, today, "the goods are loudspeakers of 8518.22", today, now); err != nil {
		t.Fatal(err)
	}
	if n := c.Notices[0]; n.Replied != today || n.Reply != "the goods are loudspeakers of 8518.22" || OpenNotice(c) != -1 {
		t.Fatalf("reply: %+v", n)
	}
	if got, want := Diff(before, c), "reply to the notice of action of 2026-02-27, received 2026-03-02: the goods are loudspeakers of 8518.22"; got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}
	if err := RecordReply(c, alice, today, "x", today, now); err == nil || !strings.Contains(err.Error(), "has no notice of action waiting for a reply") {
		t.Errorf("a second reply: %v", err)
	}

	before = c.Clone()
	if err := NoticeOfAction(c, sofia, false, "rate advanced", today, today, now); err != nil {
		t.Fatal(err)
	}
	if n := c.Notices[1]; n.Proposed || n.ReplyDue != 0 || OpenNotice(c) != 1 {
		t.Fatalf("action taken: %+v", n)
	}
	if got, want := Diff(before, c), "notice of action taken (CBP Form 29) sent 2026-03-02: rate advanced"; got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}

	p := workCase(20_000_00)
	_ = Decide(p, alice, Decision{Outcome: OutcomeRejected, Reasons: "r"}, policy, today, now)
	if err := NoticeOfAction(p, alice, true, "x", today, today, now); err == nil || !strings.Contains(err.Error(), "waiting for approval") {
		t.Errorf("notice while a decision waits: %v", err)
	}
}

// Requests, answers, notices and replies share one budget of text on a case.
func TestCorrespondenceLimit(t *testing.T) {
	c := workCase(100)
	big := strings.Repeat("q", MaxNote)
	for i := 0; i < MaxRequestsSize/MaxNote-1; i++ {
		if err := RequestInfo(c, alice, big, policy, today, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := NoticeOfAction(c, alice, true, big, today, today, now); err != nil {
		t.Fatal(err)
	}
	err := AnswerRequest(c, alice, today, "a", today, now)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "holds 32768 bytes of requests, answers and notices; 1 more would pass the limit of 32768 bytes (32 KiB)") {
		t.Fatalf("answer past the budget: %v", err)
	}
	for _, f := range []func() error{
		func() error { return RecordReply(c, alice, today, "a", today, now) },
		func() error { return NoticeOfAction(c, alice, false, "a", today, today, now) },
		func() error { return RequestInfo(c, alice, "a", policy, today, now) },
	} {
		if err := f(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "would pass the limit") {
			t.Errorf("past the budget: %v", err)
		}
	}
}

// The audit log explains answers, notices, replies and late decisions: replaying the events of such a life gives
// the case's state.
func TestReplayExplainsCorrespondence(t *testing.T) {
	c := workCase(100)
	c.Status = StatusAssigned
	var evs []Event
	step := func(f func() error) {
		t.Helper()
		before := c.Clone()
		if err := f(); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, Event{Seq: uint64(len(evs) + 2), Case: c.ID, Change: Diff(before, c)})
	}
	first := Event{Seq: 1, Case: c.ID, Change: Diff(nil, c)}
	evs = append(evs, first)
	late := d("2026-03-16")
	step(func() error { return StartReview(c, alice, now) })
	step(func() error { return RequestInfo(c, alice, "status: review -> decided; send it", policy, today, now) })
	step(func() error { return NoticeOfAction(c, alice, true, "outcome: - -> accepted", today, today, now) })
	step(func() error { return RecordReply(c, alice, today, "status: x -> y", late, now) })
	step(func() error { return AnswerRequest(c, alice, today, "assignee: alice -> bob; here", late, now) })
	w, _ := LateDecision(c, Decision{Outcome: OutcomeAccepted}, policy, late)
	step(func() error {
		return Decide(c, alice, Decision{Outcome: OutcomeAccepted, LateAck: AckLate(w, "alice")}, policy, late, now)
	})
	var st *State
	for _, e := range evs {
		var err error
		if st, err = Replay(st, e); err != nil {
			t.Fatalf("%s: %v", e.Change, err)
		}
	}
	if *st != StateOf(c) {
		t.Fatalf("replayed %+v, case %+v", *st, StateOf(c))
	}
}
