package server

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

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
	events, err := fx.st.History(id)
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
	fx := start(t, fixtureOptions{cli: true})
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

	if err := batch.line(fmt.Sprintf("note %s 'written after the revocation'", c.ID)); err == nil {
		batch.ended(10 * time.Second)
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
	if got, err := fx.st.Case(c.ID); err != nil || got.Decision != nil {
		t.Errorf("the workstation decided %s after its key was revoked: %+v, %v", c.ID, got.Decision, err)
	}
}
