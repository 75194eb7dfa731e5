package server

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/cases"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
)

type fakeDesk struct {
	mu   sync.Mutex
	keys map[string]cases.User
	subs map[chan cases.Change]struct{}
}

type tinyModel struct {
	u       cases.User
	changes int
	width   int
}

func (m tinyModel) Init() tea.Cmd { return nil }
func (m tinyModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	case cases.Change:
		m.changes++
	case tea.WindowSizeMsg:
		m.width = msg.Width
	}
	return m, nil
}
func (m tinyModel) View() string {
	return fmt.Sprintf("desk of %s (%s) changes=%d width=%d\n", m.u.Name, m.u.Role, m.changes, m.width)
}

func (f *fakeDesk) desk(exec func(ctx context.Context, u cases.User, args []string, stdin io.Reader, stdout, stderr io.Writer) int) desk {
	return desk{
		userByKey: func(fp string) (cases.User, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			u, ok := f.keys[fp]
			if !ok {
				return cases.User{}, fmt.Errorf("key %s: %w", fp, cases.ErrNotFound)
			}
			return u, nil
		},
		model: func(u cases.User, _ *lipgloss.Renderer) tea.Model { return tinyModel{u: u} },
		watch: func(send func(tea.Msg)) func() {
			ch := make(chan cases.Change, 8)
			f.mu.Lock()
			f.subs[ch] = struct{}{}
			f.mu.Unlock()
			done := make(chan struct{})
			go func() {
				for {
					select {
					case c := <-ch:
						send(c)
					case <-done:
						return
					}
				}
			}()
			return func() {
				f.mu.Lock()
				delete(f.subs, ch)
				f.mu.Unlock()
				close(done)
			}
		},
		exec: exec,
	}
}

func (f *fakeDesk) publish(c cases.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		select {
		case ch <- c:
		default:
		}
	}
}

func echoExec(ctx context.Context, u cases.User, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	in, _ := io.ReadAll(stdin)
	fmt.Fprintf(stdout, "user=%s role=%s args=%s stdin=%q\n", u.Name, u.Role, strings.Join(args, "|"), in)
	if len(args) > 0 && args[0] == "fail" {
		fmt.Fprintln(stderr, "failing as asked")
		return 1
	}
	return 0
}

func TestFakeDesk(t *testing.T) {
	alice, bob := newIdentity(t), newIdentity(t)
	f := &fakeDesk{keys: map[string]cases.User{
		alice.fp: {Name: "alice", Role: cases.RoleReviewer, Center: "ELEC"},
		bob.fp:   {Name: "bob", Role: cases.RoleSupervisor, Center: "ELEC"},
	}, subs: map[chan cases.Change]struct{}{}}
	var logs strings.Builder
	var logMu sync.Mutex
	logger := log.NewWithOptions(lockedWriter{&logs, &logMu}, log.Options{})
	srv, err := newServer(settings{hostKeyPath: t.TempDir() + "/hk", logger: logger}, f.desk(echoExec))
	if err != nil {
		t.Fatal(err)
	}
	ln := listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()

	c := mustDial(t, addr, alice)
	out, _, st := run(t, c, "assign CASE bob --reason 'on leave'", "in")
	t.Logf("exec: %q %d", out, st)
	term := openTerminal(t, c, 80, 24)
	term.mustSee(0, "desk of alice (reviewer)")
	m := term.mark()
	f.publish(cases.Change{Seq: 1})
	term.mustSee(m, "changes=1")
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	term.mustSee(m, "shutting down")
	t.Logf("shutdown %v; serve: %v", time.Since(start), <-served)
	logMu.Lock()
	t.Log(logs.String())
	logMu.Unlock()
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
