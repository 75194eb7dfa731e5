package server

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// spew is a workstation stand-in that draws its whole screen anew as fast as Bubble Tea will draw it.
type spew struct{ w, h, frame int }

type spewTick struct{}

func spewNext() tea.Cmd {
	return tea.Tick(2*time.Millisecond, func(time.Time) tea.Msg { return spewTick{} })
}

func (m spew) Init() tea.Cmd { return spewNext() }
func (m spew) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case spewTick:
		m.frame++
		return m, spewNext()
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}
func (m spew) View() string {
	line := fmt.Sprintf("%08d ", m.frame) + strings.Repeat("x", max(0, m.w-10))
	return strings.TrimSuffix(strings.Repeat(line+"\n", max(1, m.h-1)), "\n")
}

func spewing(d *desk) { d.model = func(seat) tea.Model { return spew{} } }

// deafTerminal opens a workstation whose client reads none of its output, as a client that hung does. It
// returns a channel that is closed when the session has ended.
func deafTerminal(t *testing.T, c *gossh.Client) (ended chan struct{}) {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() })
	if err := sess.RequestPty("xterm-256color", maxRows, maxCols, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.StdoutPipe(); err != nil { // never read
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	ended = make(chan struct{})
	go func() { sess.Wait(); close(ended) }()
	return ended
}

// blocked waits until some open session's output has made no progress for at least d.
func (fx *fixture) blocked(d time.Duration, timeout time.Duration) bool {
	return waitUntil(timeout, func() bool {
		fx.srv.mu.Lock()
		defer fx.srv.mu.Unlock()
		for _, ss := range fx.srv.sessions {
			if ss.watch.blockedFor() >= d {
				return true
			}
		}
		return false
	})
}

// A session whose client takes none of its output for the output timeout is ended, a workstation drawing or
// a command writing; a client that reads is never ended for it, however much it is sent.
func TestBlockedOutputEndsTheSession(t *testing.T) {
	const timeout = 300 * time.Millisecond
	flooding := make(chan error, 1)
	fx := start(t, fixtureOptions{desk: spewing, set: func(s *settings) { s.output = timeout },
		exec: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			chunk := []byte(strings.Repeat("flood\n", 10000))
			for {
				if _, err := stdout.Write(chunk); err != nil {
					flooding <- err
					return 1
				}
			}
		}})
	alice := fx.user("alice")

	t.Run("workstation", func(t *testing.T) {
		began := time.Now()
		ended := deafTerminal(t, mustDial(t, fx.addr, alice))
		select {
		case <-ended:
			t.Logf("a workstation whose client stopped reading ended %v after it started (output timeout %v)", time.Since(began).Round(time.Millisecond), timeout)
		case <-time.After(20 * time.Second):
			t.Fatal("a workstation whose client reads nothing is still open after 20s")
		}
		if !waitUntil(5*time.Second, func() bool {
			return fx.logHas("output blocked; connection closed", "user=alice", "session=workstation")
		}) {
			t.Errorf("no log line:\n%s", tail(fx.logs.String(), 3000))
		}
	})

	t.Run("command", func(t *testing.T) {
		sess, err := mustDial(t, fx.addr, alice).NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		if _, err := sess.StdoutPipe(); err != nil { // never read
			t.Fatal(err)
		}
		began := time.Now()
		if err := sess.Start("export"); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-flooding:
			t.Logf("a command whose client stopped reading had its write fail after %v: %v", time.Since(began).Round(time.Millisecond), err)
		case <-time.After(20 * time.Second):
			t.Fatal("a command writing to a client that reads nothing is still blocked after 20s")
		}
		if !waitUntil(5*time.Second, func() bool { return fx.logHas("output blocked; connection closed", "user=alice", "session=command") }) {
			t.Errorf("no log line:\n%s", tail(fx.logs.String(), 3000))
		}
	})

	t.Run("a client that reads", func(t *testing.T) {
		term := openTerminal(t, mustDial(t, fx.addr, alice), 80, 24)
		if !term.waitOutput(0, 10*time.Second) {
			t.Fatal("no screen")
		}
		m := term.mark()
		if _, ended := term.ended(3 * time.Second); ended {
			t.Fatal("a workstation whose client reads was ended")
		}
		t.Logf("a reading client took %d KiB in 3s without being ended", (term.mark()-m)>>10)
		term.send("q")
	})
}

// The idle timeout signs out a workstation even when its client has stopped reading, so that the workstation
// cannot leave the screen by itself.
func TestIdleTimeoutEndsABlockedWorkstation(t *testing.T) {
	const idle = 4 * time.Second // time enough for the workstation's output to block first
	fx := start(t, fixtureOptions{desk: spewing, idle: idle})
	began := time.Now()
	ended := deafTerminal(t, mustDial(t, fx.addr, fx.user("alice")))
	if !fx.blocked(300*time.Millisecond, idle-500*time.Millisecond) {
		t.Fatalf("the workstation's output did not block within %v", idle-500*time.Millisecond)
	}
	select {
	case <-ended:
		t.Logf("ended %v after it started (idle timeout %v, then %v to leave the screen)", time.Since(began).Round(time.Millisecond), idle, defaultEndGrace)
	case <-time.After(idle + 20*time.Second):
		t.Fatalf("a blocked workstation is still open 20s after its idle timeout")
	}
	for _, want := range [][]string{{"idle timeout", "user=alice"}, {"session did not end when told to", "ended_by=idle"}} {
		if !waitUntil(5*time.Second, func() bool { return fx.logHas(want...) }) {
			t.Errorf("no log line with %q:\n%s", want, tail(fx.logs.String(), 3000))
		}
	}
}

// Shutdown is not held up by a workstation whose client has stopped reading: it is told to end like every other
// and, when it cannot, its connection is closed.
func TestShutdownIsNotHeldUpByABlockedSession(t *testing.T) {
	fx := start(t, fixtureOptions{desk: spewing})
	ended := deafTerminal(t, mustDial(t, fx.addr, fx.user("alice")))
	if !fx.blocked(500*time.Millisecond, 20*time.Second) {
		t.Fatal("the workstation's output never blocked")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	began := time.Now()
	err := fx.srv.Shutdown(ctx)
	took := time.Since(began)
	t.Logf("Shutdown with a blocked workstation returned in %v (%v)", took.Round(time.Millisecond), err)
	if err != nil || took > 10*time.Second {
		t.Errorf("Shutdown with a blocked workstation: %v after %v; want nil well within 10s", err, took)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Error("the blocked workstation's session is still open after Shutdown")
	}
}
