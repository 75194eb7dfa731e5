package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	gossh "golang.org/x/crypto/ssh"
)

func TestLoginShowsEachUserTheirWorkstation(t *testing.T) {
	fx := start(t, fixtureOptions{})
	for _, tc := range []struct {
		name string
		role cases.Role
	}{
		{"alice", cases.RoleReviewer},
		{"sofia", cases.RoleSupervisor},
	} {
		t.Run(string(tc.role), func(t *testing.T) {
			id := fx.user(tc.name)
			term := openTerminal(t, mustDial(t, fx.addr, id), 100, 30)
			term.mustSee(0, fx.workstation(tc.name)...)
			if !fx.logHas("login", "user="+tc.name, "fingerprint="+id.fp, "session=workstation") {
				t.Errorf("log has no login line for %s:\n%s", tc.name, fx.logs.String())
			}
		})
	}
}

func TestRefused(t *testing.T) {
	fx := start(t, fixtureOptions{})
	known := fx.user("alice")
	revoked := fx.user("bob")
	fx.revoke(revoked)
	disabled := fx.user("dave")
	fx.disable("dave")
	stranger := newIdentity(t)

	for _, tc := range []struct {
		name   string
		auth   []gossh.AuthMethod
		logged []string
	}{
		{"unknown key", []gossh.AuthMethod{gossh.PublicKeys(stranger.signer)},
			[]string{"refused", "unknown key", stranger.fp}},
		{"revoked key", []gossh.AuthMethod{gossh.PublicKeys(revoked.signer)},
			[]string{"refused", "revoked", revoked.fp}},
		{"disabled user", []gossh.AuthMethod{gossh.PublicKeys(disabled.signer)},
			[]string{"refused", "disabled", disabled.fp}},
		// The server offers only publickey, so clients never get to send a password.
		{"password", []gossh.AuthMethod{gossh.Password("alice-password")},
			[]string{"refused", "no public key was accepted"}},
		{"keyboard-interactive", []gossh.AuthMethod{gossh.KeyboardInteractive(
			func(string, string, []string, []bool) ([]string, error) { return []string{"secret"}, nil })},
			[]string{"refused", "no public key was accepted"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dial(t, fx.addr, "alice", tc.auth...)
			if err == nil {
				c.Close()
				t.Fatal("connection accepted")
			}
			if !strings.Contains(err.Error(), "unable to authenticate") {
				t.Errorf("dial error %q; want an authentication failure", err)
			}
			if !fx.logHas(tc.logged...) {
				t.Errorf("log has no line with %q:\n%s", tc.logged, fx.logs.String())
			}
		})
	}
	// The refusals did not lock the known user out.
	out, _, _ := run(t, mustDial(t, fx.addr, known), "whoami", "")
	if !strings.Contains(out, "user=alice") {
		t.Errorf("known user after refusals: %q", out)
	}
}

// A client that offers another user's public key before proving its own must be its own user or nobody, never
// the user whose key it offered (soft-serve GHSA-pchf-49fh-w34r); logging in under the offered key's user name
// does not help it either.
func TestOfferedKeyIsNotIdentity(t *testing.T) {
	fx := start(t, fixtureOptions{})
	sofia := fx.user("sofia") // the supervisor: the identity worth stealing
	mallory := fx.user("mallory")
	stranger := newIdentity(t)

	for _, tc := range []struct {
		name    string
		login   string
		signers []gossh.Signer
		want    string // "" = refused at login
		wrong   bool   // let in, but every session refused: the login name is not the proved key's user
	}{
		{"registered impostor", "mallory", []gossh.Signer{impostor{sofia.signer.PublicKey(), mallory.signer}, mallory.signer}, "mallory", false},
		{"registered impostor as sofia", "sofia", []gossh.Signer{impostor{sofia.signer.PublicKey(), mallory.signer}, mallory.signer}, "mallory", true},
		{"unregistered impostor", "sofia", []gossh.Signer{impostor{sofia.signer.PublicKey(), stranger.signer}, stranger.signer}, "", false},
		{"own key offered first", "mallory", []gossh.Signer{mallory.signer, impostor{sofia.signer.PublicKey(), mallory.signer}}, "mallory", false},
		{"own key offered first, as sofia", "sofia", []gossh.Signer{mallory.signer, impostor{sofia.signer.PublicKey(), mallory.signer}}, "mallory", true},
		{"sofia's key only", "sofia", []gossh.Signer{impostor{sofia.signer.PublicKey(), stranger.signer}}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := dial(t, fx.addr, tc.login, gossh.PublicKeys(tc.signers...))
			if tc.want == "" {
				if err == nil {
					out, _, _ := run(t, c, "whoami", "")
					c.Close()
					t.Fatalf("impostor was let in: %q", out)
				}
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Close()
			out, errOut, status := run(t, c, "whoami", "")
			if tc.wrong {
				want := "ceedesk: this key belongs to " + tc.want + "; log in as " + tc.want
				if status != 1 || out != "" || strings.TrimSpace(errOut) != want {
					t.Errorf("command as %s with %s's key: stdout %q stderr %q status %d; want only %q and status 1",
						tc.login, tc.want, out, errOut, status, want)
				}
				term := openTerminal(t, c, 80, 24)
				term.mustSee(0, want)
				if err, ok := term.ended(5 * time.Second); !ok || exitStatus(err) != 1 {
					t.Errorf("workstation as %s with %s's key: ended %v, %v; want exit status 1", tc.login, tc.want, ok, err)
				}
				if scr := term.screen(0); strings.Contains(scr, "ceedesk ") && strings.Contains(scr, "(") {
					t.Errorf("a workstation was drawn:\n%s", scr)
				}
				return
			}
			if !strings.Contains(out, "user="+tc.want+" ") {
				t.Errorf("command ran as %q; want %s", out, tc.want)
			}
			term := openTerminal(t, c, 80, 24)
			term.mustSee(0, fx.workstation(tc.want)...)
			if strings.Contains(term.screen(0), "sofia") {
				t.Errorf("workstation mentions sofia:\n%s", term.screen(0))
			}
		})
	}
	if fx.logHas("INFO login", "user=sofia") {
		t.Errorf("log shows a login as sofia:\n%s", fx.logs.String())
	}
	if !fx.logHas("refused", "login name is not the key's user", "user=mallory", "claimed=sofia") {
		t.Errorf("log has no refusal of mallory logging in as sofia:\n%s", fx.logs.String())
	}
}

// A login name that is not the user of the key the client proved is refused, for a command and for the
// workstation, with what to do instead; nothing runs as either user.
func TestLoginNameMustBeTheKeysUser(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice := fx.user("alice")
	fx.user("bob")
	for _, login := range []string{"bob", "root", "Alice", ""} {
		t.Run("as "+login, func(t *testing.T) {
			c, err := dial(t, fx.addr, login, gossh.PublicKeys(alice.signer))
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Close()
			const want = "ceedesk: this key belongs to alice; log in as alice"
			out, errOut, status := run(t, c, "whoami", "")
			if status != 1 || out != "" || strings.TrimSpace(errOut) != want {
				t.Errorf("command: stdout %q stderr %q status %d; want %q, status 1", out, errOut, status, want)
			}
			term := openTerminal(t, c, 80, 24)
			term.mustSee(0, want)
			if err, ok := term.ended(5 * time.Second); !ok || exitStatus(err) != 1 {
				t.Errorf("workstation: ended %v, %v; want exit status 1", ok, err)
			}
		})
	}
	if fx.logHas("INFO login", "user=alice") || fx.logHas("command", "user=alice") {
		t.Errorf("a session ran as alice:\n%s", fx.logs.String())
	}
	if !fx.logHas("refused", "login name is not the key's user", "user=alice", "claimed=bob") {
		t.Errorf("no refusal logged:\n%s", fx.logs.String())
	}
	// Her own name lets her in.
	if out, _, status := run(t, mustDial(t, fx.addr, alice), "whoami", ""); status != 0 || !strings.Contains(out, "user=alice ") {
		t.Errorf("as alice: %q, status %d", out, status)
	}
}

// exitStatus is the exit status of a session's Wait error: 0 for nil, -1 when it did not end with a status.
func exitStatus(err error) int {
	var ee *gossh.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitStatus()
	}
	return -1
}

func TestCommands(t *testing.T) {
	fx := start(t, fixtureOptions{})
	carol := fx.user("sofia")
	c := mustDial(t, fx.addr, carol)

	for _, tc := range []struct {
		name, cmd, stdin string
		out, errOut      string
		status           int
	}{
		{"assign", "assign PR-1 bob --reason 'on leave'", "", "user=sofia role=supervisor args=assign|PR-1|bob|--reason|on leave ", "", 0},
		{"stdin reaches the command", "import -", "{}\n", `stdin="{}\n"`, "", 0},
		{"exit status", "fail now", "", "args=fail|now", "failing as asked", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, status := run(t, c, tc.cmd, tc.stdin)
			if !strings.Contains(out, tc.out) || !strings.Contains(errOut, tc.errOut) || status != tc.status {
				t.Errorf("%s: stdout %q stderr %q status %d; want %q, %q, %d", tc.cmd, out, errOut, status, tc.out, tc.errOut, tc.status)
			}
			if !fx.logHas("command", "user=sofia", fmt.Sprintf("status=%d", tc.status)) {
				t.Errorf("no command line in log:\n%s", fx.logs.String())
			}
		})
	}

	t.Run("the command gets the key the session proved", func(t *testing.T) {
		if out, _, _ := run(t, c, "whoami", ""); !strings.Contains(out, "key="+carol.fp) {
			t.Errorf("command output %q; want key=%s", out, carol.fp)
		}
	})

	t.Run("with a terminal", func(t *testing.T) {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		out, err := sess.Output("queue --mine")
		if err != nil || !strings.Contains(string(out), "args=queue|--mine") {
			t.Errorf("command with a PTY: %q, %v", out, err)
		}
	})

	t.Run("escape sequences do not reach the log", func(t *testing.T) {
		run(t, c, "note PR-1 \"\x1b]0;owned\x07\x1b[2Jhello\"", "")
		if strings.Contains(fx.logs.String(), "\x1b") {
			t.Errorf("log holds an escape sequence:\n%q", fx.logs.String())
		}
		if !fx.logHas("command", "hello") {
			t.Errorf("log lost the printable part:\n%s", fx.logs.String())
		}
	})

	t.Run("no terminal, no command", func(t *testing.T) {
		out, _, status := run(t, c, "", "")
		if status != 1 || !strings.Contains(out, "PTY") {
			t.Errorf("shell without a terminal: %q status %d", out, status)
		}
	})
}

func TestShutdownTellsOpenSessions(t *testing.T) {
	release := make(chan struct{})
	running := make(chan struct{}, 1)
	fx := start(t, fixtureOptions{exec: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		if args[0] == "backup" {
			running <- struct{}{}
			select {
			case <-release:
				fmt.Fprintln(stdout, "backup written")
				return 0
			case <-ctx.Done():
				return 1
			}
		}
		return echoExec(ctx, u, fp, args, stdin, stdout, stderr)
	}})
	alice := fx.user("alice")
	sofia := fx.user("sofia")
	term := openTerminal(t, mustDial(t, fx.addr, alice), 80, 24)
	term.mustSee(0, fx.workstation("alice")...)

	// A command in flight when Shutdown starts is allowed to finish.
	backup := make(chan string, 1)
	go func() {
		c, err := dial(t, fx.addr, "sofia", gossh.PublicKeys(sofia.signer))
		if err != nil {
			backup <- err.Error()
			return
		}
		defer c.Close()
		sess, _ := c.NewSession()
		out, _ := sess.Output("backup /tmp/x")
		backup <- string(out)
	}()
	select {
	case <-running:
	case out := <-backup:
		t.Fatalf("command did not start: %s", out)
	case <-time.After(10 * time.Second):
		t.Fatal("command did not start")
	}

	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- fx.srv.Shutdown(ctx)
	}()

	term.mustSee(0, "shutting down")
	if _, ok := term.ended(5 * time.Second); !ok {
		t.Fatal("workstation session still open after Shutdown told it")
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a command was still running", err)
	case <-time.After(100 * time.Millisecond):
	}
	if _, err := dial(t, fx.addr, "alice", gossh.PublicKeys(alice.signer)); err == nil {
		t.Error("a new connection was accepted during Shutdown")
	}
	close(release)
	select {
	case out := <-backup:
		if !strings.Contains(out, "backup written") {
			t.Errorf("command in flight: %q", out)
		}
	case <-time.After(10 * time.Second):
		t.Error("the command in flight never returned its output")
	}
	select {
	case err := <-shut:
		if err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Shutdown did not return")
	}
	select {
	case err := <-fx.served:
		fx.served <- err // for the cleanup
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("Serve did not return after Shutdown")
	}
	if !fx.logHas("session end", "user=alice", "ended_by=shutdown") {
		t.Errorf("log:\n%s", fx.logs.String())
	}
}

// Shutdown racing a Serve that has just started still stops it.
func TestShutdownRightAfterServe(t *testing.T) {
	fx := start(t, fixtureOptions{})
	for i := 0; i < 20; i++ {
		srv, err := New(Config{HostKeyPath: filepath.Join(t.TempDir(), "hk"), Store: fx.st, Command: echoExec,
			Logger: log.NewWithOptions(io.Discard, log.Options{})})
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		ln := listen(t)
		go func() { served <- srv.Serve(ln) }()
		if i%2 == 0 {
			runtime.Gosched()
		}
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve after Shutdown: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Serve still running after Shutdown")
		}
	}
}

func TestShutdownOutOfTimeCancelsCommands(t *testing.T) {
	running := make(chan struct{}, 1)
	fx := start(t, fixtureOptions{exec: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
		running <- struct{}{}
		<-ctx.Done()
		return 1
	}})
	sofia := fx.user("sofia")
	status := make(chan error, 1)
	c := mustDial(t, fx.addr, sofia)
	go func() {
		sess, _ := c.NewSession()
		status <- sess.Run("backup /tmp/x")
	}()
	select {
	case <-running:
	case err := <-status:
		t.Fatalf("command did not start: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("command did not start")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := fx.srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown out of time: %v; want a deadline error", err)
	}
	select {
	case <-status:
	case <-time.After(5 * time.Second):
		t.Error("command still running after Shutdown gave up")
	}
}

func TestIdleTimeoutSignsOut(t *testing.T) {
	fx := start(t, fixtureOptions{idle: 300 * time.Millisecond})
	alice := fx.user("alice")
	term := openTerminal(t, mustDial(t, fx.addr, alice), 80, 24)
	term.mustSee(0, fx.workstation("alice")...)
	term.mustSee(0, "signed out after 300ms without a keystroke")
	if _, ok := term.ended(5 * time.Second); !ok {
		t.Fatal("session still open after the idle timeout")
	}
	if !fx.logHas("session end", "user=alice", "ended_by=idle") {
		t.Errorf("log:\n%s", fx.logs.String())
	}
}

// probe is a workstation stand-in that shows what the server fed it: the window size and the renderer's colour
// profile.
type probe struct {
	w, h    int
	profile string
}

func (p probe) Init() tea.Cmd { return nil }
func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		p.w, p.h = ws.Width, ws.Height
	}
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "q" {
		return p, tea.Quit
	}
	return p, nil
}
func (p probe) View() string { return fmt.Sprintf("size %dx%d colours %s\n", p.w, p.h, p.profile) }

func TestTerminalSizeAndColours(t *testing.T) {
	profiles := []string{"TrueColor", "ANSI256", "ANSI", "Ascii"}
	fx := start(t, fixtureOptions{desk: func(d *desk) {
		d.model = func(w seat) tea.Model {
			return probe{profile: profiles[w.renderer.ColorProfile()]}
		}
	}})
	alice := fx.user("alice")
	c := mustDial(t, fx.addr, alice)
	term := openTerminal(t, c, 100, 30)
	term.mustSee(0, "size 100x30 colours ANSI256") // xterm-256color
	m := term.mark()
	if err := term.sess.WindowChange(40, 132); err != nil {
		t.Fatal(err)
	}
	term.mustSee(m, "size 132x40")
	term.send("q")
	if err, ok := term.ended(5 * time.Second); !ok || err != nil {
		t.Errorf("quit: ended %v, %v", ok, err)
	}
}

// Sessions that end every way a session ends (the user quits, the client closes the session on a connection it
// keeps open, the client drops the connection) leave no goroutine, subscription or registration behind.
func TestSessionsLeaveNothingBehind(t *testing.T) {
	// Ten sessions at once, most on one connection: more than one connection or user may have by default.
	fx := start(t, fixtureOptions{set: func(s *settings) { s.maxConnSessions, s.maxUserSessions = 32, 64 }})
	alice := fx.user("alice")
	settle := func(done func() bool) bool {
		for i := 0; i < 200; i++ {
			if done() {
				return true
			}
			time.Sleep(25 * time.Millisecond)
		}
		return done()
	}
	registered := func() int {
		fx.srv.mu.Lock()
		defer fx.srv.mu.Unlock()
		return len(fx.srv.sessions)
	}
	// One session first, so lazily started goroutines (timers, pools) are in the baseline.
	c := mustDial(t, fx.addr, alice)
	term := openTerminal(t, c, 80, 24)
	term.mustSee(0, fx.workstation("alice")...)
	term.sess.Close()
	c.Close()
	settle(func() bool { return registered() == 0 })
	time.Sleep(100 * time.Millisecond)
	base := runtime.NumGoroutine()

	const sessions, parallel = 200, 10
	shared := mustDial(t, fx.addr, alice) // one connection many sessions go through, as ssh ControlMaster does
	sem := make(chan struct{}, parallel)
	errs := make(chan error, sessions)
	for i := 0; i < sessions; i++ {
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem }()
			c := shared
			if i%3 == 0 {
				own, err := dial(t, fx.addr, "alice", gossh.PublicKeys(alice.signer))
				if err != nil {
					errs <- err
					return
				}
				c = own
			}
			term := openTerminal(t, c, 80, 24)
			if !term.waitFor(0, 10*time.Second, fx.workstation("alice")...) {
				errs <- fmt.Errorf("session %d: no workstation:\n%s", i, tail(term.screen(0), 2000))
				return
			}
			switch i % 3 {
			case 0:
				c.Close() // the client drops the connection
			case 1:
				term.send("q") // the user quits
				if _, ok := term.ended(10 * time.Second); !ok {
					errs <- fmt.Errorf("session %d did not end after q", i)
				}
			case 2:
				term.sess.Close() // the client closes the session, keeping the connection
			}
		}(i)
	}
	for i := 0; i < parallel; i++ {
		sem <- struct{}{}
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if !settle(func() bool { return registered() == 0 }) {
		t.Fatalf("%d sessions still open on the server after their clients closed them", registered())
	}
	shared.Close()
	if !settle(func() bool { return runtime.NumGoroutine() <= base }) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%d goroutines after %d sessions; baseline %d\n%s", runtime.NumGoroutine(), sessions, base, buf)
	}
}

func TestHostKeyCreatedOnceAndReused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "host_ed25519")
	first, created, err := hostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: created %v, %v", created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode: %v, %v", fi.Mode(), err)
	}
	if first.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s", first.PublicKey().Type())
	}
	again, created, err := hostKey(path)
	if err != nil || created {
		t.Fatalf("second start: created %v, %v", created, err)
	}
	if gossh.FingerprintSHA256(again.PublicKey()) != gossh.FingerprintSHA256(first.PublicKey()) {
		t.Error("second start made a new host key")
	}
	os.Chmod(path, 0o644)
	if _, _, err := hostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("world-readable host key: %v", err)
	}
	// The server presents the key it was given.
	os.Chmod(path, 0o600)
	fx := start(t, fixtureOptions{})
	_ = fx
}

// Sessions typing spaces into their text inputs at the same moment share no memory: bubbletea hands every
// program the same rune slice for a space and bubbles' text inputs write a key's runes in place, which the race
// detector caught in the soak test (go test -race fails here without the server's copy).
func TestTypingSpacesInManySessions(t *testing.T) {
	fx := start(t, fixtureOptions{})
	names := []string{"alice", "bob", "carol", "dave"}
	terms := make([]*terminal, len(names))
	for i, name := range names {
		terms[i] = openTerminal(t, mustDial(t, fx.addr, fx.user(name)), 100, 30)
		terms[i].mustSee(0, fx.workstation(name)...)
		m := terms[i].mark()
		terms[i].send(":")
		if !terms[i].waitOutput(m, 5*time.Second) {
			t.Fatalf("%s: no command line after ':'", name)
		}
	}
	errs := make(chan error, len(terms))
	forEach(len(terms), len(terms), func(i int) {
		for k := 0; k < 20; k++ {
			if err := terms[i].write("  "); err != nil {
				errs <- err
				return
			}
		}
		m := terms[i].mark()
		if err := terms[i].write("help\r"); err != nil {
			errs <- err
			return
		}
		if !terms[i].waitOutput(m, 5*time.Second) {
			errs <- fmt.Errorf("%s: no screen after the command", names[i])
		}
	})
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
