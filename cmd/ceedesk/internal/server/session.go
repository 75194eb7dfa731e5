package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"ceedesk/cases"
	"ceedesk/ui"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	bm "github.com/charmbracelet/wish/bubbletea"
)

// session is one SSH session of an identified user, registered with the server so Shutdown and the access
// watcher (access.go) can reach it.
type session struct {
	user cases.User
	fp   string
	kind string // "workstation" or "command"

	// The session's output and error output, watched (output.go); force closes the session's connection, for a
	// session that does not end when told to.
	stdout, stderr io.Writer
	watch          *outputWatch
	force          func()
	done           chan struct{} // closed when the session's handler has returned

	mu        sync.Mutex
	program   *tea.Program  // the workstation, once started
	reason    string        // why the server ended the session, shown to the user
	by        string        // who or what ended it, for the log: shutdown, idle, admin
	stops     []func()      // run when the session ends: change feed, idle timer
	stop      func()        // stops the command the session runs, once it runs one
	withdrawn chan struct{} // closed when the user's access was withdrawn (key revoked, user disabled or changed)

	lastInput atomic.Int64 // unix nanoseconds of the last key or mouse event
}

func (s *Server) newSession(sess ssh.Session, u cases.User, fp string) *session {
	ss := &session{user: u, fp: fp, kind: "workstation", withdrawn: make(chan struct{}), done: make(chan struct{})}
	if len(sess.Command()) > 0 || sess.RawCommand() != "" {
		ss.kind = "command"
	}
	ss.lastInput.Store(time.Now().UnixNano())
	conn := connOf(sess.Context())
	ss.force = func() {
		if conn != nil {
			conn.Conn.Close() // the only way to end a write the client does not take
			return
		}
		sess.Close()
	}
	ss.watch = newOutputWatch(s.set.output, func() { s.outputBlocked(sess, ss) })
	ss.stdout, ss.stderr = ss.watch.wrap(sess), ss.watch.wrap(sess.Stderr())
	return ss
}

// outputBlocked ends a session whose client has taken none of its output for settings.output.
func (s *Server) outputBlocked(sess ssh.Session, ss *session) {
	s.set.logger.Warn("output blocked; connection closed", "user", ss.user.Name, "remote", sess.RemoteAddr().String(),
		"session", ss.kind, "blocked_for", s.set.output)
	ss.end(fmt.Sprintf(msgOutputBlocked, s.set.output), "output")
	ss.force()
}

// enforceEnd closes the connection of a session told to end that has not ended within settings.endGrace: a
// workstation or command blocked writing to a client that does not read can end no other way, and must not
// hold up Shutdown or keep a withdrawn user's session open.
func (s *Server) enforceEnd(ss *session) {
	time.AfterFunc(s.set.endGrace, func() {
		select {
		case <-ss.done:
			return
		default:
		}
		_, by := ss.endReason()
		s.set.logger.Warn("session did not end when told to; connection closed", "user", ss.user.Name,
			"session", ss.kind, "ended_by", by, "waited", s.set.endGrace)
		ss.force()
	})
}

// end ends the workstation, if any, and has reason shown on the user's screen once the workstation has left it.
// A session whose workstation has not started yet never starts it. A command the session runs goes on: only
// withdraw stops one.
func (ss *session) end(reason, by string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.reason != "" {
		return
	}
	ss.reason, ss.by = reason, by
	if ss.program != nil {
		go ss.program.Quit() // Quit waits for the program's event loop; never hold the lock for it
	}
}

// withdraw ends the session because its user may no longer use it, whatever it is doing: the workstation quits
// and a running command is cancelled, its input closed and its output cut off; reason is the last thing the user
// sees. The store refuses the session's writes from the moment access was withdrawn (Store.WithKey); withdraw
// makes the session itself stop.
func (ss *session) withdraw(reason string) {
	ss.mu.Lock()
	select {
	case <-ss.withdrawn:
		ss.mu.Unlock()
		return
	default:
	}
	ss.reason, ss.by = reason, "admin" // over an earlier reason: a command finishing under Shutdown is stopped too
	close(ss.withdrawn)
	p, stop := ss.program, ss.stop
	ss.mu.Unlock()
	if stop != nil {
		stop()
	}
	if p != nil {
		go p.Quit()
	}
}

func (ss *session) isWithdrawn() bool {
	select {
	case <-ss.withdrawn:
		return true
	default:
		return false
	}
}

// runs records how to stop the command the session is about to run; it reports false when access was
// withdrawn before the command started.
func (ss *session) runs(stop func()) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.isWithdrawn() {
		return false
	}
	ss.stop = stop
	return true
}

func (ss *session) endReason() (reason, by string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.reason, ss.by
}

func (ss *session) onEnd(stop func()) {
	ss.mu.Lock()
	ss.stops = append(ss.stops, stop)
	ss.mu.Unlock()
}

func (ss *session) cleanup() {
	ss.mu.Lock()
	stops := ss.stops
	ss.stops = nil
	ss.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
}

// sessionMiddleware identifies the user from the proved key, registers the session, logs its start and end,
// and leaves nothing running when it ends.
func (s *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		remote := sess.RemoteAddr().String()
		u, fp, err := s.identify(sess)
		if err != nil {
			s.set.logger.Warn("refused", "reason", err.Error(), "remote", remote, "fingerprint", fp,
				"claimed", logText(sess.User()))
			fmt.Fprintln(sess.Stderr(), "ceedesk: access denied")
			sess.Exit(1)
			return
		}
		if claimed := sess.User(); claimed != u.Name {
			// The key decides who the session is; a login name that is not the key's user is a mistake (or a
			// probe) that must not run as either.
			s.set.logger.Warn("refused", "reason", "login name is not the key's user", "user", u.Name, "remote", remote,
				"fingerprint", fp, "claimed", logText(claimed))
			fmt.Fprintf(sess.Stderr(), msgWrongName+"\n", u.Name, u.Name)
			sess.Exit(1)
			return
		}
		ss := s.newSession(sess, u, fp)
		defer ss.watch.stop()
		defer close(ss.done)
		if refusal := s.register(sess, ss); refusal != "" {
			if refusal != msgShutdown {
				s.set.logger.Warn("refused", "reason", "too many sessions of one user", "user", u.Name, "remote", remote,
					"limit", s.set.maxUserSessions)
			}
			fmt.Fprintln(sess.Stderr(), refusal)
			sess.Exit(1)
			return
		}
		defer s.unregister(sess)
		defer ss.cleanup()
		// Access withdrawn between identify and register reached no registered session; look once more.
		if again, err := s.keyUser(fp); err != nil || !sameAccess(again, u) {
			s.set.logger.Warn("refused", "reason", "access changed while logging in", "user", u.Name, "remote", remote,
				"fingerprint", fp)
			fmt.Fprintln(sess.Stderr(), "ceedesk: access denied")
			sess.Exit(1)
			return
		}

		kind := ss.kind
		pty, _, hasPty := sess.Pty()
		s.set.logger.Info("login", "user", u.Name, "role", u.Role, "remote", remote, "fingerprint", fp,
			"claimed", logText(sess.User()), "session", kind, "pty", hasPty, "term", logText(pty.Term))
		start := time.Now()

		next(sess)

		reason, by := ss.endReason()
		if reason != "" && kind == "workstation" {
			fmt.Fprint(ss.stdout, "\r\n"+reason+"\r\n")
		}
		if by == "" {
			by = "user"
		}
		s.set.logger.Info("session end", "user", u.Name, "remote", remote, "session", kind,
			"duration", time.Since(start).Round(time.Millisecond), "ended_by", by)
		if ss.isWithdrawn() {
			sess.Exit(1)
		}
	}
}

// register adds the session to the open ones, unless the server is shutting down or its user has as many open
// as one may; it says why not.
func (s *Server) register(sess ssh.Session, ss *session) (refusal string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return msgShutdown
	case s.userSessions[ss.user.Name] >= s.set.maxUserSessions:
		return fmt.Sprintf(msgUserSessions, ss.user.Name, s.set.maxUserSessions)
	}
	s.sessions[sess] = ss
	s.userSessions[ss.user.Name]++
	s.active.Add(1)
	return ""
}

func (s *Server) unregister(sess ssh.Session) {
	s.mu.Lock()
	if ss, ok := s.sessions[sess]; ok {
		if s.userSessions[ss.user.Name]--; s.userSessions[ss.user.Name] <= 0 {
			delete(s.userSessions, ss.user.Name)
		}
		delete(s.sessions, sess)
	}
	s.mu.Unlock()
	s.active.Done()
}

func (s *Server) session(sess ssh.Session) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[sess]
}

// commands runs a session that names a command (ssh host queue, ssh -t host decide ...) through Config.Command as
// the session's user, with the command's exit status returned to the client. Sessions without a command go on
// to the workstation.
func (s *Server) commands(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		args := sess.Command()
		if len(args) == 0 && sess.RawCommand() == "" {
			next(sess)
			return
		}
		ss := s.session(sess)
		// The command line is split into words as runes, which turns a byte that is not UTF-8 into U+FFFD: a note
		// typed on a Latin-1 terminal would be stored as something other than what was sent. It is refused whole
		// instead, naming the byte, before any of it runs.
		if err := cases.CheckUTF8("the command", sess.RawCommand()); err != nil {
			s.set.logger.Warn("command", "user", ss.user.Name, "remote", sess.RemoteAddr().String(), "status", 1,
				"error", logText(err.Error()))
			fmt.Fprintf(ss.stderr, "ceedesk: %v\n", err)
			sess.Exit(1)
			return
		}
		clean := make([]string, len(args))
		for i, a := range args {
			clean[i] = cases.CleanLine(a)
		}
		logArgs := logText(strings.Join(clean, " "))
		// A command keeps running when the server starts shutting down; it is cancelled when its client closes
		// the session or the connection (the session's context, see sessionChannel), when Shutdown runs out
		// of time, or when the user's access is withdrawn.
		ctx, cancel := context.WithCancel(sess.Context())
		defer cancel()
		stop := context.AfterFunc(s.hardStop, cancel)
		defer stop()

		start := time.Now()
		stderr := &firstLine{w: ss.stderr}
		// The command reads and writes through valves the server can close: a command waiting for input (a
		// batch read from a slow script) or blocked writing must still end the moment access is withdrawn, and
		// say nothing more than why.
		in := newInput(sess)
		defer in.Close()
		stdout, errOut := &valve{w: ss.stdout}, &valve{w: stderr}
		if !ss.runs(func() {
			stdout.shut()
			errOut.shut()
			in.CloseWithError(errWithdrawn)
			cancel()
		}) {
			reason, _ := ss.endReason()
			fmt.Fprintln(ss.stderr, reason)
			sess.Exit(1)
			return
		}
		status := s.desk.exec(ctx, ss.user, ss.fp, args, in, stdout, errOut)
		kv := []any{"user", ss.user.Name, "remote", sess.RemoteAddr().String(), "args", logArgs,
			"status", status, "duration", time.Since(start).Round(time.Millisecond)}
		switch {
		case ss.isWithdrawn():
			reason, _ := ss.endReason()
			s.set.logger.Warn("command", append(kv, "ended_by", "admin")...)
			fmt.Fprintln(ss.stderr, reason)
			sess.Exit(1)
			return
		case ctx.Err() != nil && sess.Context().Err() != nil:
			s.set.logger.Warn("command", append(kv, "ended_by", "client closed the session")...)
		case ctx.Err() != nil:
			s.set.logger.Warn("command", append(kv, "ended_by", "shutdown")...)
		case status != 0:
			s.set.logger.Warn("command", append(kv, "error", stderr.String())...)
		default:
			s.set.logger.Info("command", kv...)
		}
		sess.Exit(status)
	}
}

var errWithdrawn = errors.New("access withdrawn; the session has ended")

// newInput is r (a session's input) behind a pipe, which the server can close while the command is blocked
// reading: the session's own Read cannot be interrupted. The copy reads ahead by at most one read.
func newInput(r io.Reader) *io.PipeReader {
	pr, pw := io.Pipe()
	go func() {
		_, err := io.Copy(pw, r)
		pw.CloseWithError(err) // nil: the command sees the end of its input
	}()
	return pr
}

// valve passes writes on until it is shut; after that every write fails at once, so a command whose access was
// withdrawn prints nothing more and stops on its next write.
type valve struct {
	w      io.Writer
	closed atomic.Bool
}

func (v *valve) Write(p []byte) (int, error) {
	if v.closed.Load() {
		return 0, errWithdrawn
	}
	return v.w.Write(p)
}

func (v *valve) shut() { v.closed.Store(true) }

// firstLine passes a command's error output on to the client and keeps its first line for the server log:
// ceedesk's commands say what went wrong first (a usage error is followed by the usage).
type firstLine struct {
	w io.Writer

	mu   sync.Mutex
	head []byte // at most maxHead bytes of the start of the output
}

const maxHead = 512

func (l *firstLine) Write(p []byte) (int, error) {
	l.mu.Lock()
	if room := maxHead - len(l.head); room > 0 {
		l.head = append(l.head, p[:min(room, len(p))]...)
	}
	l.mu.Unlock()
	return l.w.Write(p)
}

// String is the first line that has text, cleaned for the log.
func (l *firstLine) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	line, _, _ := strings.Cut(strings.TrimSpace(string(l.head)), "\n")
	return strings.TrimSpace(logText(line))
}

// workstation runs the workstation for a session with a terminal until the user quits, the client closes the
// session or the connection, or the server ends it (idle timeout, Shutdown).
//
// It does what wish's bubbletea middleware does, with three differences: the program ends when the client
// closes the session even though its connection stays open (the window channel is closed when the session's
// requests end; wish v1.4.7 then spins sending zero window sizes), window changes come from the session's window
// box (windowsOf), latest first, so they never hold up the session's requests, and the session's screen draws
// each view as soon as there is one rather than on Bubble Tea's frame ticker (screen.go).
func (s *Server) workstation(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ss := s.session(sess)
		_, windows, _ := sess.Pty()
		changes := windowsOf(sess)
		p, scr := s.program(sess, ss)
		if p == nil {
			next(sess)
			return
		}
		go func() {
			defer p.Quit()
			// The pty-req's size comes first (it is older than every window change), then the latest change
			// whenever there is one. p.Send returns at once when p has ended.
			if w, ok := <-windows; ok {
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
			for {
				select {
				case _, ok := <-windows: // closed when the session's requests end
					if !ok {
						return
					}
				case <-changes.ready:
					if w, ok := changes.take(); ok {
						p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
					}
				}
			}
		}()
		scr.begin()
		_, err := p.Run()
		if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
			s.set.logger.Error("workstation ended with an error", "user", ss.user.Name, "error", logText(err.Error()))
		}
		scr.end(err == nil)
		p.Kill()
		next(sess)
	}
}

// program builds the workstation program for a session: its own Bubble Tea program, drawn on the session's
// screen (screen.go), styles from the client's terminal (bm.MakeRenderer), the store's change feed, and the
// idle timeout. Everything it starts is stopped by the session's cleanup. It returns nil when the session was
// ended before the program could start.
func (s *Server) program(sess ssh.Session, ss *session) (*tea.Program, *screen) {
	if reason, _ := ss.endReason(); reason != "" {
		return nil, nil
	}
	r, theme := sessionColours(sess)
	model := s.desk.model(seat{user: ss.user, fingerprint: ss.fp, remote: sess.RemoteAddr().String(), renderer: r, theme: theme, log: s.set.logger})
	scr := newScreen(ss.stdout) // watched: a client that stops reading must not wedge the workstation for good
	opts := append(bm.MakeOptions(sess),
		tea.WithOutput(io.Discard),
		tea.WithoutRenderer(),      // the screen draws
		tea.WithoutSignalHandler(), // the server's signals belong to Shutdown, not to each session
		// a copy's clipboard sequence (OSC 52) goes to the client's terminal, between two of the screen's frames
		tea.WithFilter(ui.Clipboard(betweenFrames{scr}, func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch k := msg.(type) {
			case tea.KeyMsg:
				ss.lastInput.Store(time.Now().UnixNano())
				if k.Type == tea.KeySpace {
					// bubbletea gives every space key the same rune slice, in every program, and bubbles'
					// text inputs sanitize a key's runes in place: two sessions typing a space at once would
					// write to it together.
					k.Runes = []rune{' '}
					return k
				}
			case tea.MouseMsg:
				ss.lastInput.Store(time.Now().UnixNano())
			}
			return msg
		})),
	)
	p := tea.NewProgram(drawnModel{Model: model, screen: scr}, opts...)

	ss.mu.Lock()
	if ss.reason != "" { // Shutdown reached this session while the workstation was being built
		ss.mu.Unlock()
		return nil, nil
	}
	ss.program = p
	ss.mu.Unlock()

	ss.onEnd(s.desk.watch(p.Send))
	ss.onEnd(s.idleTimer(ss))
	return p, scr
}

// betweenFrames writes to a session's terminal what the workstation sends besides its views (the clipboard
// sequence of a copy). It holds the screen's lock, under which the screen writes each frame in one write, so what
// it writes lands between two frames and never inside one; once the screen has ended it writes nothing.
type betweenFrames struct{ s *screen }

func (w betweenFrames) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.ended {
		return len(p), nil
	}
	return w.s.out.Write(p)
}

// idleTimer ends the workstation after the idle timeout without a keystroke; screen updates from other
// sessions' changes do not count as activity.
func (s *Server) idleTimer(ss *session) (stop func()) {
	var t *time.Timer
	var mu sync.Mutex
	check := func() {
		idle := time.Since(time.Unix(0, ss.lastInput.Load()))
		if idle >= s.set.idle {
			s.set.logger.Info("idle timeout", "user", ss.user.Name, "idle", idle.Round(time.Second))
			ss.end(fmt.Sprintf(msgIdle, s.set.idle), "idle")
			s.enforceEnd(ss)
			return
		}
		mu.Lock()
		if t != nil {
			t.Reset(s.set.idle - idle)
		}
		mu.Unlock()
	}
	mu.Lock()
	t = time.AfterFunc(s.set.idle, check)
	mu.Unlock()
	return func() {
		mu.Lock()
		t.Stop()
		t = nil
		mu.Unlock()
	}
}
