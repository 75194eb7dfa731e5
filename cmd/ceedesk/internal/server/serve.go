package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"ceedesk/cases"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/activeterm"
	gossh "golang.org/x/crypto/ssh"
)

// desk is what the server needs besides the listener: who a key belongs to, the workstation model for a session,
// and the change feed. New builds it from the store and the ui package.
type desk struct {
	userByKey func(fingerprint string) (cases.User, error)
	user      func(name string) (cases.User, error)
	changes   func() (<-chan cases.Change, func()) // the store's change feed; nil = access is checked at login only
	model     func(w seat) tea.Model
	watch     func(send func(tea.Msg)) (stop func())
	exec      func(ctx context.Context, u cases.User, fingerprint string, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// seat is what one session's workstation is built from.
type seat struct {
	user        cases.User
	fingerprint string             // the key the session proved; the workstation's store is seen through it
	remote      string             // the client's address, for the log
	renderer    *lipgloss.Renderer // styles for the client's terminal
	theme       string             // "" = the configured theme; "monochrome" when the client asked for no colour
	log         *log.Logger        // the server log, for the session's writes
}

// settings are Config's plain values after defaults, and the server's limits.
type settings struct {
	listen      string
	hostKeyPath string
	idle        time.Duration
	logger      *log.Logger

	handshake       time.Duration // to log in, from accept (conns.go)
	maxLogins       int           // connections logging in at once
	maxConnSessions int           // sessions on one connection at once
	maxUserSessions int           // sessions of one user at once, over all connections
	output          time.Duration // a session whose output makes no progress this long is ended (output.go)
	endGrace        time.Duration // a session told to end that has not after this long has its connection closed
}

// Server serves the workstation and the ceedesk commands over SSH to the users of one store.
type Server struct {
	desk desk
	set  settings
	srv  *ssh.Server

	mu           sync.Mutex
	ln           net.Listener
	closing      bool
	sessions     map[ssh.Session]*session // keyed by the SSH session: the ssh.Context is shared by a connection's sessions
	userSessions map[string]int           // open sessions by user name
	logins       map[*clientConn]struct{} // connections not logged in yet
	active       sync.WaitGroup           // session handlers running

	closedBeforeLogin sync.Map // remote address -> true: connections the server closed while logging in, already logged
	crowded           crowdLog

	hardStop   context.Context // cancelled when Shutdown runs out of time: commands still running are told to stop
	cancelHard context.CancelFunc

	watching  bool   // the access watcher has started (on the first Serve)
	stopWatch func() // ends it; nil before
}

const (
	defaultListen = "127.0.0.1:2222"
	defaultIdle   = 30 * time.Minute

	defaultHandshake       = 10 * time.Second
	defaultMaxLogins       = 64
	defaultMaxConnSessions = 8
	defaultMaxUserSessions = 16
	defaultOutput          = time.Minute
	defaultEndGrace        = 2 * time.Second

	msgShutdown  = "ceedesk: the server is shutting down; everything you saved is kept. Connect again in a few minutes."
	msgIdle      = "ceedesk: signed out after %s without a keystroke; everything you saved is kept."
	msgWrongName = "ceedesk: this key belongs to %s; log in as %s"

	msgOutputBlocked = "ceedesk: your terminal took none of the screen for %s; the session has ended"

	msgConnSessions = "ceedesk: this connection already has %d sessions open, the most one connection may have; close one or connect again"
	msgUserSessions = "ceedesk: %s already has %d sessions open, the most one user may have; close one and try again"
)

func newServer(set settings, d desk) (*Server, error) {
	if set.listen == "" {
		set.listen = defaultListen
	}
	if set.idle <= 0 {
		set.idle = defaultIdle
	}
	if set.handshake <= 0 {
		set.handshake = defaultHandshake
	}
	if set.maxLogins <= 0 {
		set.maxLogins = defaultMaxLogins
	}
	if set.maxConnSessions <= 0 {
		set.maxConnSessions = defaultMaxConnSessions
	}
	if set.maxUserSessions <= 0 {
		set.maxUserSessions = defaultMaxUserSessions
	}
	if set.output <= 0 {
		set.output = defaultOutput
	}
	if set.endGrace <= 0 {
		set.endGrace = defaultEndGrace
	}
	if set.logger == nil {
		set.logger = log.NewWithOptions(os.Stderr, log.Options{ReportTimestamp: true, Prefix: "ceedesk serve"})
	}
	if d.exec == nil {
		return nil, errors.New("ceedesk serve: no command runner configured (Config.Command)")
	}
	signer, created, err := hostKey(set.hostKeyPath)
	if err != nil {
		return nil, err
	}
	if created {
		set.logger.Info("host key created", "path", set.hostKeyPath, "fingerprint", gossh.FingerprintSHA256(signer.PublicKey()))
	}
	s := &Server{desk: d, set: set, sessions: map[ssh.Session]*session{}, userSessions: map[string]int{},
		logins: map[*clientConn]struct{}{}}
	s.hardStop, s.cancelHard = context.WithCancel(context.Background())
	s.srv, err = wish.NewServer(
		wish.WithAddress(set.listen),
		wish.WithVersion("ceedesk"),
		wish.WithPublicKeyAuth(s.offeredKey),
		// The connection-level timeout only catches stuck connections (a handshake that never ends, a command
		// that never reads); the workstation's own idle timeout counts keystrokes, not screen updates.
		wish.WithIdleTimeout(set.idle+time.Minute),
		func(srv *ssh.Server) error {
			srv.AddHostKey(signer)
			srv.ConnCallback = s.admit
			srv.ServerConfigCallback = func(ctx ssh.Context) *gossh.ServerConfig {
				return &gossh.ServerConfig{AuthLogCallback: s.authAttempt, VerifiedPublicKeyCallback: s.proved(ctx)}
			}
			srv.ConnectionFailedCallback = s.connectionFailed
			// Sessions only (no port forwarding, no other channel types), each with a context that ends when
			// the client closes it, even on a connection it keeps open.
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			return nil
		},
		// Middlewares run last to first: a session is identified and logged, then either runs a command or,
		// with a terminal, the workstation.
		wish.WithMiddleware(
			s.workstation,
			activeterm.Middleware(),
			s.commands,
			s.sessionMiddleware,
		),
	)
	if err != nil {
		return nil, fmt.Errorf("ceedesk serve: %w", err)
	}
	return s, nil
}

// Serve accepts SSH connections on ln until Shutdown; it returns nil once Shutdown has started (even when
// Shutdown ran first), or the listener's error. It does not wait for sessions to end: wait for Shutdown to return
// before closing the store.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return nil
	}
	s.ln = ln
	if !s.watching && s.desk.changes != nil {
		s.watching = true
		changes, unsubscribe := s.desk.changes()
		watched := make(chan struct{})
		go func() { defer close(watched); s.watchAccess(changes) }()
		s.stopWatch = func() { unsubscribe(); <-watched }
	}
	s.mu.Unlock()
	s.set.logger.Info("listening", "addr", ln.Addr().String())
	err := s.srv.Serve(ln)
	s.mu.Lock()
	closing := s.closing
	s.mu.Unlock()
	if closing || errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on Config.Listen (127.0.0.1:2222 by default) and calls Serve.
func (s *Server) ListenAndServe() error {
	ln, err := net.Listen("tcp", s.set.listen)
	if err != nil {
		return fmt.Errorf("ceedesk serve: listen on %s: %w", s.set.listen, err)
	}
	return s.Serve(ln)
}

// Addr is the address Serve listens on, nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Shutdown stops accepting connections, tells every open workstation on its screen that the server is going
// down and ends it, lets running commands finish, then closes the remaining connections. It returns when every
// session has ended, or ctx's error if ctx ends first (then commands still running are cancelled and every
// connection is closed). Transactions already committed are durable; the caller closes the store after Shutdown
// returns.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	if s.ln != nil {
		// ssh.Server.Shutdown closes only the listeners its Serve has registered; a Serve that started just
		// before Shutdown may not have yet.
		s.ln.Close()
	}
	open := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		open = append(open, ss)
	}
	s.mu.Unlock()
	s.set.logger.Info("shutting down", "sessions", len(open))
	s.closePending()

	listeners := make(chan error, 1)
	go func() { listeners <- s.srv.Shutdown(ctx) }()
	for _, ss := range open {
		ss.end(msgShutdown, "shutdown")
		if ss.kind == "workstation" { // commands may finish; Shutdown's ctx bounds them
			s.enforceEnd(ss)
		}
	}

	ended := make(chan struct{})
	go func() { s.active.Wait(); close(ended) }()
	var err error
	select {
	case <-ended:
	case <-ctx.Done():
		err = fmt.Errorf("ceedesk serve: shutdown: sessions still open: %w", ctx.Err())
		s.cancelHard()
	}
	s.srv.Close() // connections left without a session, and everything when out of time
	if lerr := <-listeners; err == nil && lerr != nil && !errors.Is(lerr, net.ErrClosed) &&
		!errors.Is(lerr, context.Canceled) && !errors.Is(lerr, context.DeadlineExceeded) {
		err = fmt.Errorf("ceedesk serve: shutdown: %w", lerr)
	}
	s.cancelHard()
	s.mu.Lock()
	stopWatch := s.stopWatch
	s.stopWatch = nil
	s.mu.Unlock()
	if stopWatch != nil {
		stopWatch()
	}
	s.set.logger.Info("stopped")
	return err
}

func errorf(format string, a ...any) error {
	return fmt.Errorf("ceedesk serve: "+format, a...)
}
