package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ceedesk/cases"
)

// idleConns opens n TCP connections to addr that never say a word, and counts those the server closes.
func idleConns(t *testing.T, addr string, n int) (closed *atomic.Int32) {
	t.Helper()
	closed = &atomic.Int32{}
	for i := 0; i < n; i++ {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("idle connection %d: %v", i, err)
		}
		t.Cleanup(func() { conn.Close() })
		go func() {
			io.Copy(io.Discard, conn) // the server's version line, then nothing until it closes
			closed.Add(1)
		}()
	}
	return closed
}

// Connections that never log in (200 of them, not even sending their SSH version) do not keep a user from
// logging in: no more than 64 wait at once, the longest waiting is closed to make room, at once, and it is
// logged.
func TestIdleConnectionsDoNotStopALogin(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice := fx.user("alice")
	closed := idleConns(t, fx.addr, 200)
	if !waitUntil(10*time.Second, func() bool { return closed.Load() >= 200-defaultMaxLogins }) {
		t.Errorf("%d of 200 idle connections closed; want the %d beyond %d closed at once", closed.Load(), 200-defaultMaxLogins, defaultMaxLogins)
	}
	took, _ := fx.login(t, alice)
	t.Logf("200 idle connections, %d closed at once; a login then took %v", closed.Load(), took.Round(time.Millisecond))
	if took > 5*time.Second {
		t.Errorf("a login took %v beside 200 idle connections; want well under 5s", took)
	}
	if !fx.logHas("WARN", "refused", "64 connections logging in at once") {
		t.Errorf("no refusal logged:\n%s", tail(fx.logs.String(), 3000))
	}
	if n := strings.Count(fx.logs.String(), "logging in at once"); n > 20 {
		t.Errorf("%d log lines for the crowd; want them at most one a second", n)
	}
}

// A connection that has not logged in when the login deadline passes is closed, whether it never spoke or
// stalled half way through.
func TestLoginDeadline(t *testing.T) {
	const deadline = 500 * time.Millisecond
	fx := start(t, fixtureOptions{set: func(s *settings) { s.handshake = deadline }})
	alice := fx.user("alice")
	began := time.Now()
	silent := idleConns(t, fx.addr, 1)
	conn, err := net.Dial("tcp", fx.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "SSH-2.0-stalled\r\n") // its version, then nothing
	stalledClosed := make(chan time.Duration, 1)
	go func() { io.Copy(io.Discard, conn); stalledClosed <- time.Since(began) }()

	if !waitUntil(10*time.Second, func() bool { return silent.Load() == 1 }) {
		t.Error("a silent connection was still open 10s after a 500ms login deadline")
	}
	select {
	case took := <-stalledClosed:
		t.Logf("login deadline %v: connections closed after %v", deadline, took.Round(time.Millisecond))
		if took < deadline {
			t.Errorf("a connection was closed after %v, before its login deadline %v", took, deadline)
		}
	case <-time.After(10 * time.Second):
		t.Error("a connection that stalled in its handshake was still open 10s after a 500ms login deadline")
	}
	if !fx.logHas("WARN", "refused", "not logged in after 500ms") {
		t.Errorf("no refusal logged:\n%s", fx.logs.String())
	}
	// A real login is well within the deadline, and the deadline does not end a connection that logged in.
	c := mustDial(t, fx.addr, alice)
	time.Sleep(2 * deadline)
	if out, _, status := run(t, c, "whoami", ""); status != 0 || !strings.Contains(out, "user=alice") {
		t.Errorf("a connection past its login deadline after logging in: %q, status %d", out, status)
	}
}

// A connection may hold 8 sessions at once and a user 16 over all their connections; one more is refused with
// a message that says so, and fits again once one closes.
func TestSessionLimits(t *testing.T) {
	running := make(chan struct{}, 64)
	fx := start(t, fixtureOptions{exec: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if args[0] != "wait" {
			return echoExec(ctx, u, fp, args, stdin, stdout, stderr)
		}
		running <- struct{}{}
		<-ctx.Done()
		return 1
	}})
	alice := fx.user("alice")
	waiting := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			select {
			case <-running:
			case <-time.After(10 * time.Second):
				t.Fatalf("only %d of %d commands started", i, n)
			}
		}
	}
	first := mustDial(t, fx.addr, alice)
	var firstSessions []io.Closer
	for i := 0; i < defaultMaxConnSessions; i++ {
		sess, err := first.NewSession()
		if err != nil {
			t.Fatalf("session %d: %v", i+1, err)
		}
		firstSessions = append(firstSessions, sess)
		if err := sess.Start("wait"); err != nil {
			t.Fatal(err)
		}
	}
	waiting(defaultMaxConnSessions)
	_, err := first.NewSession()
	if want := fmt.Sprintf(msgConnSessions, defaultMaxConnSessions); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("session %d on one connection: %v; want refused with %q", defaultMaxConnSessions+1, err, want)
	}

	second := mustDial(t, fx.addr, alice)
	for i := 0; i < defaultMaxUserSessions-defaultMaxConnSessions; i++ {
		sess, err := second.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.Start("wait"); err != nil {
			t.Fatal(err)
		}
	}
	waiting(defaultMaxUserSessions - defaultMaxConnSessions)
	third := mustDial(t, fx.addr, alice)
	out, errOut, status := run(t, third, "whoami", "")
	if want := fmt.Sprintf(msgUserSessions, "alice", defaultMaxUserSessions); status != 1 || out != "" || strings.TrimSpace(errOut) != want {
		t.Errorf("alice's session %d: stdout %q stderr %q status %d; want %q, status 1", defaultMaxUserSessions+1, out, errOut, status, want)
	}
	// Another user is not affected.
	if out, _, status := run(t, mustDial(t, fx.addr, fx.user("bob")), "whoami", ""); status != 0 || !strings.Contains(out, "user=bob") {
		t.Errorf("bob beside alice's sessions: %q, status %d", out, status)
	}
	for _, want := range [][]string{{"refused", "too many sessions on one connection"}, {"refused", "too many sessions of one user", "user=alice"}} {
		if !fx.logHas(want...) {
			t.Errorf("no log line with %q:\n%s", want, fx.logs.String())
		}
	}

	firstSessions[0].Close()
	if !waitUntil(10*time.Second, func() bool {
		out, _, status, err := runCommand(first, "whoami", "", 10*time.Second)
		return err == nil && status == 0 && strings.Contains(out, "user=alice")
	}) {
		t.Error("no new session on the first connection after one of its sessions closed")
	}
}
