package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/store"
	"ceedesk/themes"
	"ceedesk/ui"
)

// runDesk is the workstation at this desk.
func runDesk(ctx context.Context, g *globals, stderr io.Writer) int {
	st, today, cfg, code := g.open(stderr, "queue", nil)
	if code != cli.ExitOK {
		return code
	}
	defer st.Close()
	users, err := st.Users(store.Operator, "")
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk: %v\n", err)
		return cli.ExitFail
	}
	if len(users) == 0 {
		fmt.Fprintf(stderr, `The store %s is new: it has no users and no cases yet.
  To look around first:      ceedesk demo
  To make a practice store:  ceedesk seed --cases 2000   (then: ceedesk --as alice)
  To set up a Center:        ceedesk user add NAME --role supervisor --center ELEC
                             ceedesk import cases.jsonl   (format: docs/import-format.md)
`, st.Path())
		return cli.ExitFail
	}
	name, err := deskUser(st, g.as)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk: %v\n", err)
		return cli.ExitUsage
	}
	if name == "" {
		name = os.Getenv("CEEDESK_USER")
	}
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	u, err := st.User(name)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk: no user %q in %s; say who you are with --as USER (see: ceedesk user list)\n", name, st.Path())
		return cli.ExitFail
	}
	return workstation(ctx, st, u, today, g, cfg, stderr)
}

// deskUser is who works on a desk file: the reviewer it was checked out to, whom --as (as) may name but not
// change. On a Center store it is as.
func deskUser(st *store.Store, as string) (string, error) {
	info, ok := st.Offline()
	if !ok {
		return as, nil
	}
	if as != "" && as != info.User {
		return "", fmt.Errorf("%s is %s's desk file (checkout %s); it is worked on as %s, not --as %s", st.Path(), info.User, info.Checkout, info.User, as)
	}
	return info.User, nil
}

// workstation runs the Bubble Tea program on this terminal until the user quits.
func workstation(ctx context.Context, st *store.Store, u cases.User, today cases.Date, g *globals, cfg ui.Config, stderr io.Writer) int {
	if g.today == "" {
		today = 0 // follow the real date across midnight
	}
	// Under NO_COLOR, termenv drops every attribute, bold and reverse video too, which would hide the cursor row
	// and the input cursor; a terminal that can show colour keeps its attributes and the workstation its colour
	// off (NO_COLOR asks for no colour, not for no emphasis).
	r := lipgloss.NewRenderer(os.Stdout)
	if themes.NoColor() && r.ColorProfile() == termenv.Ascii && r.Output().ColorProfile() != termenv.Ascii {
		r.SetColorProfile(termenv.ANSI)
	}
	model := ui.New(ui.Options{
		Desk:     st,
		User:     u,
		Theme:    cfg.Theme,
		Renderer: r,
		NoColor:  themes.NoColor(),
		Config:   cfg,
		Today: func() cases.Date {
			if today != 0 {
				return today
			}
			return cases.DateOf(time.Now())
		},
	})
	out := &terminal{f: os.Stdout}
	p := tea.NewProgram(model, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx),
		tea.WithOutput(out), tea.WithFilter(ui.Clipboard(out, nil)))
	stop := ui.Watch(st, p.Send)
	defer stop()
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintf(stderr, "ceedesk: %v\n", err)
		return cli.ExitFail
	}
	return cli.ExitOK
}

// terminal is the desk's terminal as the workstation writes to it. Bubble Tea's renderer writes each frame in one
// write, from a goroutine of its own; the clipboard sequence of a copy (ui.Clipboard) is written from the
// program's event loop. One lock around every write keeps the sequence out of the middle of a frame. It is a
// term.File (Fd) so that Bubble Tea still finds the terminal and its size.
type terminal struct {
	f  *os.File
	mu sync.Mutex
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.f.Write(p)
}

func (t *terminal) Read(p []byte) (int, error) { return t.f.Read(p) }
func (t *terminal) Close() error               { return t.f.Close() }
func (t *terminal) Fd() uintptr                { return t.f.Fd() }

// runDemo opens the workstation on a fresh demo store: a few thousand seeded cases, a demo reviewer, no set-up.
func runDemo(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("demo", g)
	n := fs.Int("cases", 3000, "how many cases to seed")
	seed := fs.Int64("seed", 1, "seed of the synthetic caseload")
	keep := fs.String("keep", "", "keep the demo store at this path instead of a temporary file")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: ceedesk demo [--as USER] [--cases N] [--seed S] [--keep PATH] [--today YYYY-MM-DD]")
		return cli.ExitUsage
	}
	today, cfg, code := g.setup(stderr)
	if code != cli.ExitOK {
		return code
	}
	path := *keep
	if path == "" {
		dir, err := os.MkdirTemp("", "ceedesk-demo-")
		if err != nil {
			fmt.Fprintf(stderr, "ceedesk demo: %v\n", err)
			return cli.ExitFail
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "demo.db")
	} else if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(stderr, "ceedesk demo: %s exists; the demo makes a fresh store (remove it or pick another --keep path)\n", path)
		return cli.ExitFail
	}
	// A demo keys its audit chain like any store, with its own key beside it, never the Center's (audit_key).
	opt := store.Options{Policy: cfg.Policy, AuditKeyDefault: filepath.Join(filepath.Dir(path), "audit.key")}
	st, err := store.Open(path, opt)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk demo: %v\n", err)
		return cli.ExitFail
	}
	defer st.Close()
	if _, err := seedStore(st, *n, *seed, today, stderr); err != nil {
		fmt.Fprintf(stderr, "ceedesk demo: %v\n", err)
		return cli.ExitFail
	}
	as := g.as
	if as == "" {
		as = "alice"
	}
	u, err := st.User(as)
	if err != nil {
		fmt.Fprintf(stderr, "ceedesk demo: no demo user %q; try alice (reviewer) or sofia (supervisor)\n", as)
		return cli.ExitFail
	}
	return workstation(ctx, st, u, today, g, cfg, stderr)
}

// seedStore adds the demo users and n synthetic cases, showing progress on a terminal and nothing in a pipe.
func seedStore(st *store.Store, n int, seed int64, today cases.Date, stderr io.Writer) (int, error) {
	gen := synth.New(seed, today)
	gen.NotAfter(time.Now()) // what is seeded has happened: an export of it imports into another store
	for _, u := range gen.Users() {
		if _, err := st.User(u.Name); err == nil {
			continue // seeding again adds cases to the same demo users
		}
		if err := st.AddUser(store.Operator, u); err != nil {
			return 0, err
		}
	}
	var progress func(int)
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(f.Fd()) && n >= 10000 {
		start := time.Now()
		last := time.Time{}
		progress = func(done int) {
			if time.Since(last) < 200*time.Millisecond && done < n {
				return
			}
			last = time.Now()
			rate := float64(done) / time.Since(start).Seconds()
			fmt.Fprintf(stderr, "\rseeding: %d of %d cases (%.0f%%, %.0f/s)   ", done, n, 100*float64(done)/float64(n), rate)
			if done >= n {
				fmt.Fprintln(stderr)
			}
		}
	}
	i := 0
	return st.Load(store.Operator, func() (*cases.Case, bool) {
		if i >= n {
			return nil, false
		}
		i++
		return gen.Next(), true
	}, progress)
}
