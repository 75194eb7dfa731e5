package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"

	"github.com/charmbracelet/log"
)

// The day every server test runs on.
var testToday = cases.NewDate(2026, time.March, 2)

// syncBuffer is the server log under test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fixture is a running server on 127.0.0.1 over a real store in t.TempDir(), seeded with the synthetic demo
// users (sofia supervises ELEC; alice, bob, carol and dave review there) and a small caseload.
type fixture struct {
	t      testing.TB
	st     *store.Store
	srv    *Server
	addr   string
	logs   *syncBuffer
	served chan error
}

type fixtureOptions struct {
	cases int           // synthetic cases to load; 0 = 40
	idle  time.Duration // workstation idle timeout; 0 = the default
	exec  func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int
	desk  func(d *desk)     // changes to the server's desk before it serves (probe models)
	set   func(s *settings) // changes to the server's settings (limits) before it serves
	quiet bool              // log at warning level only (benchmarks)
	cli   bool              // run commands with the real ceedesk commands (package cli) instead of echoExec
	// load replaces the synthetic caseload: it gets the store (with the demo users added) and the generator.
	load func(st *store.Store, gen *synth.Generator)
}

func start(t testing.TB, opt fixtureOptions) *fixture {
	t.Helper()
	if opt.exec == nil {
		opt.exec = echoExec
	}
	if opt.cases == 0 {
		opt.cases = 40
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "ceedesk.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	gen := synth.New(7, testToday)
	for _, u := range gen.Users() {
		if err := st.AddUser(store.Operator, u); err != nil {
			t.Fatalf("add user %s: %v", u.Name, err)
		}
	}
	if opt.load != nil {
		opt.load(st, gen)
	} else {
		n := 0
		if _, err := st.Load(store.Operator, func() (*cases.Case, bool) {
			if n == opt.cases {
				return nil, false
			}
			n++
			return gen.Next(), true
		}, nil); err != nil {
			t.Fatalf("load cases: %v", err)
		}
	}
	if opt.cli {
		opt.exec = func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			// as ceedesk serve runs them: through the key the session proved
			return cli.Run(ctx, &cli.Env{Store: st.WithKey(fp), Stdin: stdin, Stdout: stdout, Stderr: stderr, Today: testToday, User: &u}, args)
		}
	}

	fx := &fixture{t: t, st: st, logs: &syncBuffer{}, served: make(chan error, 1)}
	level := log.DebugLevel
	if opt.quiet {
		level = log.WarnLevel
	}
	srv, err := New(Config{
		HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Store:       st,
		Today:       func() cases.Date { return testToday },
		IdleTimeout: opt.idle,
		Logger:      log.NewWithOptions(fx.logs, log.Options{Level: level}),
		Command:     opt.exec,
	})
	if err != nil {
		t.Fatal(err)
	}
	if opt.desk != nil {
		opt.desk(&srv.desk)
	}
	if opt.set != nil {
		opt.set(&srv.set)
	}
	fx.srv = srv
	ln := listen(t)
	fx.addr = ln.Addr().String()
	go func() { fx.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		select {
		case <-fx.served:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after Shutdown")
		}
		st.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", tail(fx.logs.String(), 20000))
		}
	})
	return fx
}

// user gives the named user a new key, adding the user (an ELEC reviewer) if the store has no such user.
func (fx *fixture) user(name string) identity {
	fx.t.Helper()
	if _, err := fx.st.User(name); err != nil {
		if err := fx.st.AddUser(store.Operator, cases.User{Name: name, Role: cases.RoleReviewer, Center: "ELEC"}); err != nil {
			fx.t.Fatalf("add user %s: %v", name, err)
		}
	}
	id := newIdentity(fx.t)
	id.name = name
	if err := fx.st.AddKey(store.Operator, name, id.fp, id.line); err != nil {
		fx.t.Fatalf("add key for %s: %v", name, err)
	}
	return id
}

func (fx *fixture) revoke(id identity) {
	fx.t.Helper()
	if err := fx.st.RevokeKey(store.Operator, id.fp); err != nil {
		fx.t.Fatal(err)
	}
}

func (fx *fixture) disable(name string) {
	fx.t.Helper()
	u, err := fx.st.User(name)
	if err != nil {
		fx.t.Fatal(err)
	}
	u.Disabled = true
	if err := fx.st.SetUser(store.Operator, u); err != nil {
		fx.t.Fatal(err)
	}
}

// workstation is what the workstation's title bar shows a user once it has drawn.
func (fx *fixture) workstation(name string) []string {
	fx.t.Helper()
	u, err := fx.st.User(name)
	if err != nil {
		fx.t.Fatal(err)
	}
	return []string{"ceedesk", fmt.Sprintf("%s (%s)", name, u.Role)}
}

// openCase finds an open case assigned to reviewer that its kind's first outcome decides outright: no reasons,
// amount or lines to give, no approval to wait for.
func (fx *fixture) openCase(reviewer string) *cases.Case {
	fx.t.Helper()
	page, err := fx.st.Queue(store.Operator, cases.QueueQuery{Assignee: reviewer, OpenOnly: true, Sort: cases.SortDue, Limit: 100, Today: testToday})
	if err != nil {
		fx.t.Fatal(err)
	}
	for _, r := range page.Rows {
		c, err := fx.st.Case(store.Operator, r.ID)
		if err != nil {
			fx.t.Fatal(err)
		}
		if c.Status != cases.StatusAssigned && c.Status != cases.StatusInReview {
			continue
		}
		if decidableOutright(c, fx.st.Policy()) {
			return c
		}
	}
	fx.t.Fatalf("no open case of %s decidable without a form", reviewer)
	return nil
}

// decidableOutright reports whether the first outcome of the case's kind decides it with nothing more to give
// (no reasons, amount or lines), no approval to wait for and in time (no lateness to acknowledge): a workstation
// decides it with d, enter, y.
func decidableOutright(c *cases.Case, p cases.Policy) bool {
	s := cases.Outcomes(c)
	if len(s) == 0 || s[0].Reasons || s[0].Amount || s[0].Lines {
		return false
	}
	d := cases.Decision{Outcome: s[0].Outcome}
	_, late := cases.LateDecision(c, d, p, testToday)
	return !late && !cases.NeedsApproval(c, d, p)
}

// logHas reports whether some line of the server log has every part.
func (fx *fixture) logHas(parts ...string) bool {
	for _, line := range strings.Split(fx.logs.String(), "\n") {
		all := true
		for _, p := range parts {
			if !strings.Contains(line, p) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// echoExec stands in for the command runner: it prints who ran what, and fails when asked to.
func echoExec(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	in, _ := io.ReadAll(stdin)
	fmt.Fprintf(stdout, "user=%s role=%s args=%s stdin=%q key=%s\n", u.Name, u.Role, strings.Join(args, "|"), in, fp)
	if len(args) > 0 && args[0] == "fail" {
		fmt.Fprintln(stderr, "failing as asked")
		return 1
	}
	return 0
}
