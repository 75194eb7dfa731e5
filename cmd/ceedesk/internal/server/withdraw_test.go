package server

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/store"

	gossh "golang.org/x/crypto/ssh"
)

// batchSession is a `batch` command kept open: lines go to its standard input one at a time, as a script that
// reads its input from somewhere slow would send them.
type batchSession struct {
	t      testing.TB
	sess   *gossh.Session
	stdin  io.WriteCloser
	stdout *syncBuffer
	stderr *syncBuffer
	done   chan struct{}
	err    error // Wait's, once done is closed
}

func startBatch(t testing.TB, c *gossh.Client) *batchSession {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("batch: new session: %v", err)
	}
	t.Cleanup(func() { sess.Close() })
	b := &batchSession{t: t, sess: sess, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	sess.Stdout, sess.Stderr = b.stdout, b.stderr
	if b.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("batch"); err != nil {
		t.Fatalf("batch: %v", err)
	}
	go func() { b.err = sess.Wait(); close(b.done) }()
	return b
}

// line sends one line of commands; it may fail once the server has ended the session.
func (b *batchSession) line(s string) error {
	_, err := io.WriteString(b.stdin, s+"\n")
	return err
}

// waitOut waits until the standard output holds want.
func (b *batchSession) waitOut(want string, timeout time.Duration) bool {
	return waitUntil(timeout, func() bool { return strings.Contains(b.stdout.String(), want) })
}

// ended waits for the session to end and returns its exit status (-1 without one).
func (b *batchSession) ended(timeout time.Duration) (int, bool) {
	select {
	case <-b.done:
		return exitStatus(b.err), true
	case <-time.After(timeout):
		return 0, false
	}
}

// waitUntil polls cond until it holds or timeout passes.
func waitUntil(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// historyHas reports whether some event of the case's history mentions text.
func (fx *fixture) historyHas(id, text string) bool {
	fx.t.Helper()
	events, err := fx.st.History(store.Operator, id)
	if err != nil {
		fx.t.Fatal(err)
	}
	for _, e := range events {
		b, _ := json.Marshal(e)
		if strings.Contains(string(b), text) {
			return true
		}
	}
	return false
}

// Every write a session makes reaches the store through the key the session proved, and the store checks that
// key inside the write's transaction: once the key is revoked, neither a command already running nor an open
// workstation commits anything more, even if nothing else has ended the session yet.
func TestWritesThroughARevokedKeyDoNotCommit(t *testing.T) {
	// Without the change feed the server never ends the sessions itself: what stops the writes is the store.
	fx := start(t, fixtureOptions{cli: true, desk: func(d *desk) { d.changes = nil }})
	alice := fx.user("alice")
	c := fx.openCase("alice")
	conn := mustDial(t, fx.addr, alice)

	batch := startBatch(t, conn)
	if err := batch.line(fmt.Sprintf("note %s 'written before the revocation'", c.ID)); err != nil {
		t.Fatal(err)
	}
	if !batch.waitOut("note added", 10*time.Second) {
		t.Fatalf("first batch line not acknowledged: stdout %q stderr %q", batch.stdout, batch.stderr)
	}
	term := openTerminal(t, conn, 120, 50)
	term.mustSee(0, fx.workstation("alice")...)
	m := term.mark()
	term.command("open " + c.ID)
	term.mustSee(m, c.ID)

	fx.revoke(alice)

	if err := batch.line(fmt.Sprintf("note %s 'written after the revocation'", c.ID)); err != nil {
		t.Fatal(err)
	}
	if status, ok := batch.ended(10 * time.Second); !ok || status != 1 || !strings.Contains(batch.stderr.String(), "revoked") {
		t.Errorf("batch after the revocation: ended %v, status %d, stderr %q; want the store's refusal", ok, status, batch.stderr)
	}
	for _, step := range []struct{ key, want string }{{"d", "Outcomes"}, {"\r", "This record will be written"}} {
		m := term.mark()
		if term.write(step.key) != nil || !term.waitFor(m, 5*time.Second, step.want) {
			break // the server ended the workstation first: nothing to write from it
		}
	}
	m = term.mark()
	if term.write("y") == nil {
		term.waitFor(m, 5*time.Second, "✗")
	}

	if fx.historyHas(c.ID, "written after the revocation") {
		t.Error("a batch line sent after the key was revoked committed")
	}
	if !fx.historyHas(c.ID, "written before the revocation") {
		t.Error("the batch line sent before the revocation is not in the case's history")
	}
	if got, err := fx.st.Case(store.Operator, c.ID); err != nil || got.Decision != nil {
		t.Errorf("the workstation decided %s after its key was revoked: %+v, %v", c.ID, got.Decision, err)
	}
}

// Revoking a key, disabling a user or changing their role or Center ends that user's open sessions at once, a
// workstation and a batch command waiting for its next line alike, each with the reason on the user's screen;
// nothing sent after that commits, and other users' sessions go on.
func TestWithdrawnAccessEndsOpenSessions(t *testing.T) {
	fx := start(t, fixtureOptions{cli: true})
	admin := fx.user("admin")
	bystander := openTerminal(t, mustDial(t, fx.addr, fx.user("sofia")), 100, 30)
	bystander.mustSee(0, fx.workstation("sofia")...)

	for _, tc := range []struct {
		name, user string
		withdraw   func(id identity)
		want       string
	}{
		{"key revoked in the store", "alice", func(id identity) { fx.revoke(id) },
			"ceedesk: your key was revoked by the operator; this session has ended"},
		{"key revoked by an admin over SSH", "bob", func(id identity) { fx.admin(admin, "key revoke "+id.fp) },
			"ceedesk: your key was revoked by admin; this session has ended"},
		{"user disabled by an admin over SSH", "carol", func(identity) { fx.admin(admin, "user disable carol") },
			"ceedesk: your account was disabled by admin; this session has ended"},
		{"role changed in the store", "dave", func(identity) {
			u, err := fx.st.User("dave")
			if err != nil {
				t.Fatal(err)
			}
			u.Role = cases.RoleSupervisor
			if err := fx.st.SetUser(store.Operator, u); err != nil {
				t.Fatal(err)
			}
		}, "ceedesk: your account was changed by the operator (now supervisor at ELEC); this session has ended. Log in again."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := fx.user(tc.user)
			c := fx.openCase(tc.user)
			term := openTerminal(t, mustDial(t, fx.addr, id), 100, 30)
			term.mustSee(0, fx.workstation(tc.user)...)
			batch := startBatch(t, mustDial(t, fx.addr, id))
			if err := batch.line(fmt.Sprintf("note %s 'before'", c.ID)); err != nil {
				t.Fatal(err)
			}
			if !batch.waitOut("note added", 10*time.Second) {
				t.Fatalf("first batch line not acknowledged: stdout %q stderr %q", batch.stdout, batch.stderr)
			}

			began := time.Now()
			tc.withdraw(id)
			// Once the server has withdrawn both sessions, a line the script sends finds its session gone. (A
			// line that races the withdrawal is refused by the store: TestWritesThroughARevokedKeyDoNotCommit.)
			if !waitUntil(10*time.Second, func() bool {
				return strings.Count(fx.logs.String(), "session withdrawn user="+tc.user+" ") == 2
			}) {
				t.Errorf("the server did not withdraw both sessions:\n%s", fx.logs.String())
			}
			batch.line(fmt.Sprintf("note %s 'sent after access was withdrawn'", c.ID))

			if !term.waitFor(0, 10*time.Second, tc.want) {
				t.Errorf("workstation never showed %q:\n%s", tc.want, tail(term.screen(0), 2000))
			}
			err, ok := term.ended(10 * time.Second)
			took := time.Since(began)
			if !ok || exitStatus(err) != 1 {
				t.Errorf("workstation: ended %v, %v; want exit status 1", ok, err)
			}
			status, ok := batch.ended(10 * time.Second)
			batchTook := time.Since(began)
			if !ok || status != 1 {
				t.Errorf("batch: ended %v, status %d; want status 1", ok, status)
			}
			if got := strings.TrimSpace(batch.stderr.String()); got != tc.want {
				t.Errorf("batch error output %q; want only %q", got, tc.want)
			}
			t.Logf("after the change: workstation ended in %v, batch in %v", took.Round(time.Millisecond), batchTook.Round(time.Millisecond))
			if fx.historyHas(c.ID, "sent after access was withdrawn") {
				t.Error("a batch line sent after access was withdrawn committed")
			}
			if !fx.logHas("session end", "user="+tc.user, "ended_by=admin") {
				t.Errorf("no session end by admin in the log:\n%s", fx.logs.String())
			}
		})
	}

	m := bystander.mark()
	bystander.send("j")
	if !bystander.waitOutput(m, 5*time.Second) {
		t.Error("another user's workstation stopped answering")
	}
}

// admin runs an admin command over SSH as id and fails the test unless it succeeds.
func (fx *fixture) admin(id identity, cmd string) {
	fx.t.Helper()
	c, err := dial(fx.t, fx.addr, id.name, gossh.PublicKeys(id.signer))
	if err != nil {
		fx.t.Fatal(err)
	}
	defer c.Close()
	out, errOut, status, err := runCommand(c, cmd, "", time.Minute)
	if err != nil || status != 0 {
		fx.t.Fatalf("%s: %q %q status %d, %v", cmd, out, errOut, status, err)
	}
}
