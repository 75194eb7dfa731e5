package server

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/store"

	"github.com/charmbracelet/log"
)

// A decision made in a workstation over SSH is in the server log with who made it, from where, and on which
// case; so is the review its reviewer began (opening a case writes nothing; e begins the review).
func TestWorkstationDecisionIsLogged(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice := fx.user("alice")
	c := fx.openCase("alice")
	client := mustDial(t, fx.addr, alice)
	remote := "remote=" + client.LocalAddr().String()

	term := openTerminal(t, client, 120, 50)
	term.mustSee(0, fx.workstation("alice")...)
	m := term.mark()
	term.command("open " + c.ID)
	term.mustSee(m, c.ID)
	for _, step := range []struct{ key, want string }{{"e", "review started"}, {"d", "Outcomes"}, {"\r", "This record will be written"}, {"y", "decided"}} {
		m := term.mark()
		term.send(step.key)
		term.mustSee(m, step.want)
	}
	got, err := fx.st.Case(store.Operator, c.ID)
	if err != nil || got.Status != cases.StatusDecided {
		t.Fatalf("case after the decision: %+v, %v", got, err)
	}
	outcome := cases.Outcomes(c)[0].Outcome
	for _, want := range [][]string{
		{"INFO", "start review", "user=alice", remote, "case=" + c.ID},
		{"INFO", "decide", "user=alice", remote, "case=" + c.ID, "outcome=" + string(outcome), "status=decided",
			fmt.Sprintf("version=%d", got.Version)},
	} {
		if !fx.logHas(want...) {
			t.Errorf("no log line with %q:\n%s", want, fx.logs.String())
		}
	}
}

// Every write the workstation makes through the session's desk is logged once it is committed, at Info, and
// every refusal at Warn with the store's reason.
func TestDeskWritesAreLogged(t *testing.T) {
	fx := start(t, fixtureOptions{cases: 200})
	out := &syncBuffer{}
	logger := log.NewWithOptions(out, log.Options{Level: log.DebugLevel})
	as := func(user string) *loggedDesk {
		return &loggedDesk{Desk: fx.st, log: logger, user: user, remote: "127.0.0.1:50000"}
	}
	alice, sofia := as("alice"), as("sofia")
	plain := fx.openCase("alice")
	pending := approvalCase(t, fx, "alice")
	other := fx.openCase("bob")
	adverse := cases.Decision{Outcome: adverseOutcome(pending), Reasons: "the goods were not excluded"}
	stale := plain.Version
	late, lateAck := lateCase(t, fx, "sofia", plain.ID, pending.ID, other.ID)
	page, err := fx.st.Queue(store.Operator, cases.QueueQuery{Assignee: "alice", OpenOnly: true, Limit: 100, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	var leased string
	for _, r := range page.Rows {
		if r.ID != plain.ID && r.ID != pending.ID && r.ID != late.ID && r.Status != cases.StatusPendingApproval {
			leased = r.ID
			break
		}
	}
	if _, err := fx.st.Checkout("alice", store.CheckoutRequest{IDs: []string{leased}, Today: testToday}, filepath.Join(t.TempDir(), "alice.desk")); err != nil {
		t.Fatal(err)
	}

	for _, step := range []struct {
		name  string
		write func() error
		want  []string // parts of the one line the write logs
	}{
		{"start review", func() error { _, err := alice.StartReview("alice", plain.ID, plain.Version); return err },
			[]string{"INFO", "start review", "case=" + plain.ID, "status=review"}},
		{"note", func() error { _, err := alice.AddNote("alice", plain.ID, 0, "called the filer"); return err },
			[]string{"INFO", "note", "case=" + plain.ID}},
		{"stale note", func() error { _, err := alice.AddNote("alice", plain.ID, stale, "again"); return err },
			[]string{"WARN", "note refused", "case=" + plain.ID, "changed by alice"}},
		{"request info", func() error {
			_, err := alice.RequestInfo("alice", plain.ID, 0, "send the invoices", testToday)
			return err
		}, []string{"INFO", "request info", "case=" + plain.ID, "status=awaiting_info", "due="}},
		{"answer", func() error {
			_, err := alice.AnswerRequest("alice", plain.ID, 0, testToday, "invoices attached", testToday)
			return err
		}, []string{"INFO", "answer", "case=" + plain.ID, "received=" + testToday.String(), "status=review"}},
		{"notice of action", func() error {
			_, err := alice.NoticeOfAction("alice", plain.ID, 0, true, "advance the rate", testToday, testToday)
			return err
		}, []string{"INFO", "notice of action", "case=" + plain.ID, "action=proposed", "sent=" + testToday.String(), "reply_due="}},
		{"reply on another's case", func() error {
			_, err := alice.RecordReply("alice", other.ID, 0, testToday, "no", testToday)
			return err
		}, []string{"WARN", "reply refused", "case=" + other.ID, "only the assignee"}},
		{"decide", func() error {
			_, err := alice.Decide("alice", plain.ID, 0, cases.Decision{Outcome: cases.Outcomes(plain)[0].Outcome}, testToday)
			return err
		}, []string{"INFO", "decide", "case=" + plain.ID, "status=decided", "outcome=" + string(cases.Outcomes(plain)[0].Outcome)}},
		{"decide again", func() error {
			_, err := alice.Decide("alice", plain.ID, 0, cases.Decision{Outcome: cases.Outcomes(plain)[0].Outcome}, testToday)
			return err
		}, []string{"WARN", "decide refused", "case=" + plain.ID, "already decided"}},
		{"late decide", func() error {
			_, err := sofia.Decide("sofia", late.ID, 0, cases.Decision{Outcome: cases.OutcomeAccepted}, testToday)
			return err
		}, []string{"WARN", "decide refused", "case=" + late.ID, "cannot be acted on after liquidation"}},
		{"late decide acknowledged", func() error {
			_, err := sofia.Decide("sofia", late.ID, 0, cases.Decision{Outcome: cases.OutcomeAccepted, LateAck: lateAck}, testToday)
			return err
		}, []string{"INFO", "decide", "case=" + late.ID, "status=decided", "late=acknowledged"}},
		{"decide for approval", func() error { _, err := alice.Decide("alice", pending.ID, 0, adverse, testToday); return err },
			[]string{"INFO", "decide", "case=" + pending.ID, "status=pending_approval"}},
		{"approve own decision", func() error { _, err := alice.Approve("alice", pending.ID, 0, "", "", testToday); return err },
			[]string{"WARN", "approve refused", "case=" + pending.ID, "only a supervisor"}},
		{"return", func() error { _, err := sofia.Return("sofia", pending.ID, 0, "cite the ruling"); return err },
			[]string{"INFO", "return", "user=sofia", "case=" + pending.ID, "to=alice"}},
		{"decide after return", func() error { _, err := alice.Decide("alice", pending.ID, 0, adverse, testToday); return err },
			[]string{"INFO", "decide", "case=" + pending.ID, "status=pending_approval"}},
		{"approve", func() error { _, err := sofia.Approve("sofia", pending.ID, 0, "agreed", "", testToday); return err },
			[]string{"INFO", "approve", "user=sofia", "case=" + pending.ID, "decided_by=alice", "outcome=" + string(adverse.Outcome)}},
		{"reassign", func() error {
			_, err := sofia.Assign("sofia", []string{other.ID}, nil, "carol", "bob is on leave", testToday)
			return err
		}, []string{"INFO", "assign", "user=sofia", "case=" + other.ID, "to=carol", `reason="bob is on leave"`}},
		{"reassign as a reviewer", func() error {
			_, err := alice.Assign("alice", []string{other.ID}, nil, "alice", "mine now", testToday)
			return err
		}, []string{"WARN", "assign refused", "user=alice", "case=" + other.ID, "only a supervisor"}},
		{"break a checkout as a reviewer", func() error { _, err := alice.BreakLease("alice", leased, "mine"); return err },
			[]string{"WARN", "break checkout refused", "case=" + leased, "only a supervisor"}},
		{"break a checkout", func() error { _, err := sofia.BreakLease("sofia", leased, "the importer called"); return err },
			[]string{"INFO", "break checkout", "user=sofia", "case=" + leased, "holder=alice", "checkout="}},
		{"acting as someone else", func() error { _, err := alice.AddNote("bob", other.ID, 0, "hello\x1b[2J"); return err },
			[]string{"WARN", "note refused", "user=alice", "actor=bob", "case=" + other.ID}},
	} {
		before := len(out.String())
		err := step.write()
		logged := strings.TrimSpace(out.String()[before:])
		if strings.Count(logged, "\n") != 0 || logged == "" {
			t.Errorf("%s: logged %d lines; want one:\n%s", step.name, strings.Count(logged, "\n")+1, logged)
			continue
		}
		if (err != nil) != (step.want[0] == "WARN") {
			t.Errorf("%s: error %v; logged %s", step.name, err, logged)
		}
		for _, part := range append(step.want, "remote=127.0.0.1:50000") {
			if !strings.Contains(logged, part) {
				t.Errorf("%s: log line lacks %q:\n%s", step.name, part, logged)
			}
		}
		if strings.Contains(logged, "\x1b") {
			t.Errorf("%s: log line holds an escape sequence: %q", step.name, logged)
		}
	}
}

// lateCase finds an open PSC or PEA of the ELEC Center past its liquidation date, and the acknowledgement by
// supervisor of accepting it; none of the cases skip.
func lateCase(t *testing.T, fx *fixture, supervisor string, skip ...string) (*cases.Case, string) {
	t.Helper()
	page, err := fx.st.Queue(store.Operator, cases.QueueQuery{Center: "ELEC", OpenOnly: true, Sort: cases.SortDue, Limit: 100, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		c, err := fx.st.Case(store.Operator, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind != cases.KindPSC && c.Kind != cases.KindPEA || c.Status != cases.StatusAssigned && c.Status != cases.StatusInReview || slices.Contains(skip, c.ID) {
			continue
		}
		if w, late := cases.LateDecision(c, cases.Decision{Outcome: cases.OutcomeAccepted}, fx.st.Policy(), testToday); late {
			return c, cases.AckLate(w, supervisor)
		}
	}
	t.Fatalf("no open PSC or PEA of ELEC past liquidation")
	return nil, ""
}

// approvalCase finds an open case of reviewer's that an adverse outcome needing only reasons sends for approval.
func approvalCase(t *testing.T, fx *fixture, reviewer string) *cases.Case {
	t.Helper()
	page, err := fx.st.Queue(store.Operator, cases.QueueQuery{Assignee: reviewer, OpenOnly: true, Limit: 1000, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		c, err := fx.st.Case(store.Operator, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != cases.StatusPendingApproval && adverseOutcome(c) != "" {
			return c
		}
	}
	t.Fatalf("no open case of %s that waits for approval when denied", reviewer)
	return nil
}

func adverseOutcome(c *cases.Case) cases.Outcome {
	for _, s := range cases.Outcomes(c) {
		d := cases.Decision{Outcome: s.Outcome, Reasons: "x"}
		if s.Adverse && !s.Amount && !s.Lines && cases.NeedsApproval(c, d, cases.DefaultPolicy()) {
			return s.Outcome
		}
	}
	return ""
}

// A command's exit status is in the log; a failure is a warning with the first line the command wrote to its
// error output.
func TestCommandOutcomeIsLogged(t *testing.T) {
	fx := start(t, fixtureOptions{cli: true})
	alice := fx.user("alice")
	c := mustDial(t, fx.addr, alice)
	remote := "remote=" + c.LocalAddr().String()
	open := fx.openCase("alice")
	other := fx.openCase("bob")

	for _, tc := range []struct {
		cmd    string
		status int
		want   []string
	}{
		{"note " + open.ID + " 'called the filer'", 0, []string{"INFO", "command", "status=0"}},
		{"note " + other.ID + " 'not mine'", 1, []string{"WARN", "command", "status=1", "error=", "only the assignee"}},
		{"assign " + open.ID + " bob --reason leave", 1, []string{"WARN", "command", "status=1", "only a supervisor"}},
		{"decide", 2, []string{"WARN", "command", "status=2", "error=", "one CASE is needed"}},
	} {
		_, _, status := run(t, c, tc.cmd, "")
		if status != tc.status {
			t.Errorf("%s: status %d; want %d", tc.cmd, status, tc.status)
		}
		args := strings.Fields(tc.cmd)[0]
		if !fx.logHas(append(tc.want, "user=alice", remote, "args="+args)...) && !fx.logHas(append(tc.want, "user=alice", remote, `args="`+args)...) {
			t.Errorf("%s: no log line with %q:\n%s", tc.cmd, tc.want, fx.logs.String())
		}
	}
}

// A client that closes one session and keeps its connection (ssh ControlMaster) cancels that session's command;
// the connection goes on working.
func TestClosingASessionCancelsItsCommand(t *testing.T) {
	running := make(chan struct{}, 1)
	cancelled := make(chan struct{}, 1)
	fx := start(t, fixtureOptions{exec: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if args[0] != "wait" {
			return echoExec(ctx, u, fp, args, stdin, stdout, stderr)
		}
		running <- struct{}{}
		select {
		case <-ctx.Done():
			cancelled <- struct{}{}
		case <-time.After(30 * time.Second):
		}
		return 1
	}})
	sofia := fx.user("sofia")
	c := mustDial(t, fx.addr, sofia)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("wait"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-running:
	case <-time.After(10 * time.Second):
		t.Fatal("command did not start")
	}
	sess.Close()
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the command was not cancelled when its session closed")
	}
	if out, _, status := run(t, c, "whoami", ""); status != 0 || !strings.Contains(out, "user=sofia") {
		t.Errorf("the connection after closing one of its sessions: %q, status %d", out, status)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !fx.logHas("WARN", "command", "args=wait", "client closed the session") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !fx.logHas("WARN", "command", "args=wait", "client closed the session") {
		t.Errorf("log:\n%s", fx.logs.String())
	}
}
