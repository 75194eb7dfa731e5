package server

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// login is the time a user takes to connect and see their workstation drawn.
func (fx *fixture) login(t *testing.T, id identity) (time.Duration, *terminal) {
	t.Helper()
	began := time.Now()
	c, err := dial(t, fx.addr, id.name, publicKey(id))
	if err != nil {
		t.Fatalf("login as %s: %v", id.name, err)
	}
	t.Cleanup(func() { c.Close() })
	term, err := startTerminal(t, c, 80, 24, "xterm-256color", nil)
	if err != nil {
		t.Fatalf("login as %s: %v", id.name, err)
	}
	if !term.waitFor(0, 10*time.Second, fx.workstation(id.name)...) {
		t.Fatalf("login as %s: no workstation after 10s:\n%s", id.name, tail(term.screen(0), 2000))
	}
	return time.Since(began), term
}

// A client that floods its session with window changes (2,000 of them, sizes up to 10000x10000) neither wedges
// that session nor keeps anyone else from logging in: only the latest size matters, and it is clamped to what a
// screen can be.
func TestWindowChangeFlood(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice, bob := fx.user("alice"), fx.user("bob")
	_, term := fx.login(t, alice)

	began := time.Now()
	for i := 0; i < 2000; i++ {
		w, h := 80+i%50, 24+i%20
		if i%10 == 0 {
			w, h = 10000, 10000
		}
		if err := term.sess.WindowChange(h, w); err != nil {
			t.Fatalf("window change %d: %v", i, err)
		}
	}
	if err := term.sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	sent := time.Since(began)

	took, _ := fx.login(t, bob)
	t.Logf("2,000 window changes sent in %v; a new login then took %v", sent.Round(time.Millisecond), took.Round(time.Millisecond))
	if took > 5*time.Second {
		t.Errorf("a new login took %v after another session's window changes; want well under 5s", took)
	}

	// The flooded session still answers a key, promptly.
	m := term.mark()
	keyed := time.Now()
	term.send("j")
	if !term.waitOutput(m, 10*time.Second) {
		t.Fatal("the flooded session does not answer a key")
	}
	t.Logf("the flooded session answered a key in %v", time.Since(keyed).Round(time.Millisecond))
}

// Window changes that arrive before the session's shell has started (a client resized while connecting, or a
// hostile one) do not wedge the session's requests: the shell starts, at the latest size, and the connection's
// other sessions go on.
func TestWindowChangesBeforeTheShell(t *testing.T) {
	fx := start(t, fixtureOptions{desk: func(d *desk) {
		d.model = func(w seat) tea.Model { return probe{} }
	}})
	alice := fx.user("alice")
	c := mustDial(t, fx.addr, alice)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i++ {
		if err := sess.WindowChange(24+i%40, 80+i%100); err != nil {
			t.Fatalf("window change %d: %v", i, err)
		}
	}
	if err := sess.WindowChange(40, 132); err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	go io.Copy(out, stdout)
	shell := make(chan error, 1)
	began := time.Now()
	go func() { shell <- sess.Shell() }()
	select {
	case err := <-shell:
		if err != nil {
			t.Fatalf("shell: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the shell request was never answered after 2,000 window changes: the session's requests are wedged")
	}
	if !waitUntil(10*time.Second, func() bool { return strings.Contains(ansi.Strip(out.String()), "size 132x40") }) {
		t.Fatalf("the workstation never drew at the last size (132x40):\n%s", tail(ansi.Strip(out.String()), 2000))
	}
	t.Logf("shell answered and drawn at the last size in %v", time.Since(began).Round(time.Millisecond))
	if out, _, status, err := runCommand(c, "whoami", "", 10*time.Second); err != nil || status != 0 || !strings.Contains(out, "user=alice") {
		t.Errorf("another session on the same connection: %q, status %d, %v", out, status, err)
	}
}

// A terminal that claims to be 10000x10000 is drawn as the largest screen there is (500x300), and costs what
// a terminal of that size costs: the server never builds a screen of a hundred million cells.
func TestHugeTerminalCostsWhatANormalOneDoes(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice := fx.user("alice")
	c := mustDial(t, fx.addr, alice)
	memory := func() (inUse, allocated uint64) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc, ms.TotalAlloc
	}
	// open draws a workstation of w x h and returns what it added to the heap and what it allocated meanwhile.
	open := func(w, h int) (term *terminal, kept, allocated uint64) {
		inUse0, total0 := memory()
		term = openTerminal(t, c, w, h)
		if !term.waitFor(0, 20*time.Second, fx.workstation("alice")...) {
			t.Fatalf("%dx%d: no workstation after 20s", w, h)
		}
		term.mustSee(0, "to filter") // the queue has drawn
		inUse1, total1 := memory()
		if inUse1 > inUse0 {
			kept = inUse1 - inUse0
		}
		return term, kept, total1 - total0
	}
	open(80, 24) // lazily built state (styles, caches) goes into the baseline
	_, smallKept, smallAlloc := open(80, 24)
	_, bigKept, bigAlloc := open(maxCols, maxRows)
	term, hugeKept, hugeAlloc := open(10000, 10000)
	t.Logf("heap kept / allocated while drawing: 80x24 %d / %d KiB, %dx%d %d / %d KiB, 10000x10000 %d / %d KiB",
		smallKept>>10, smallAlloc>>10, maxCols, maxRows, bigKept>>10, bigAlloc>>10, hugeKept>>10, hugeAlloc>>10)
	if limit := bigAlloc + bigAlloc/2 + 4<<20; hugeAlloc > limit {
		t.Errorf("drawing a 10000x10000 terminal allocated %d KiB; want at most %d KiB (what %dx%d costs, half again, plus 4 MiB)",
			hugeAlloc>>10, limit>>10, maxCols, maxRows)
	}
	if limit := bigKept + bigKept/2 + 4<<20; hugeKept > limit {
		t.Errorf("a 10000x10000 terminal keeps %d KiB; want at most %d KiB", hugeKept>>10, limit>>10)
	}
	// one whole frame, redrawn once the session has nothing else to draw (a count finishing late draws a second,
	// partial frame, which is not what is measured here)
	term.settle(300 * time.Millisecond)
	m := term.mark()
	term.send("\x0c") // ctrl+l: redraw
	term.mustSee(m, "to filter")
	term.settle(300 * time.Millisecond)
	if lines := strings.Count(term.screen(m), "\n"); lines > maxRows {
		t.Errorf("the huge terminal was drawn with %d lines; want at most %d", lines, maxRows)
	}
}

// A terminal's size is clamped to what a screen can be, in the pty-req and in every window change; a size of
// 0 says nothing and is 80x24.
func TestTerminalSizesAreClamped(t *testing.T) {
	fx := start(t, fixtureOptions{desk: func(d *desk) {
		d.model = func(w seat) tea.Model { return probe{} }
	}})
	c := mustDial(t, fx.addr, fx.user("alice"))
	for _, tc := range []struct {
		w, h int
		want string
	}{
		{10000, 10000, "size 500x300"},
		{0, 0, "size 80x24"},
		{1, 1, "size 20x5"},
		{4294967295, 4294967295, "size 500x300"},
		{132, 40, "size 132x40"},
	} {
		term := openTerminal(t, c, tc.w, tc.h)
		if !term.waitFor(0, 5*time.Second, tc.want) {
			t.Errorf("pty-req %dx%d: screen shows %q; want %q", tc.w, tc.h, tail(term.screen(0), 200), tc.want)
		}
		m := term.mark()
		if err := term.sess.WindowChange(tc.h, tc.w); err != nil { // from a sane size back to this one
			t.Fatal(err)
		}
		if err := term.sess.WindowChange(30, 100); err != nil {
			t.Fatal(err)
		}
		if !term.waitFor(m, 5*time.Second, "size 100x30") {
			t.Errorf("window change after %dx%d: screen shows %q; want the last size, 100x30", tc.w, tc.h, tail(term.screen(m), 200))
		}
		term.sess.Close()
	}
}

// A session keeps at most maxEnv environment variables from its client.
func TestEnvironmentIsBounded(t *testing.T) {
	fx := start(t, fixtureOptions{})
	c := mustDial(t, fx.addr, fx.user("alice"))
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if sess.Setenv("BIG", strings.Repeat("x", maxEnvBytes)) == nil {
		t.Errorf("a %d-byte environment variable was accepted", maxEnvBytes)
	}
	accepted := 0
	for i := 0; i < 2*maxEnv; i++ {
		if sess.Setenv(fmt.Sprintf("V%d", i), "x") == nil {
			accepted++
		}
	}
	if accepted != maxEnv {
		t.Errorf("%d environment variables accepted; want %d", accepted, maxEnv)
	}
	if out, err := sess.Output("whoami"); err != nil || !strings.Contains(string(out), "user=alice") {
		t.Errorf("the session after its environment was refused: %q, %v", out, err)
	}
}
