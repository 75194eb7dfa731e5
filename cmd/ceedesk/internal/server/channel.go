package server

import (
	"context"
	"sync"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// sessionChannel runs one SSH session channel as charmbracelet/ssh's DefaultSessionHandler does, but gives the
// session a context of its own (sessionContext): ssh.Session.Context() then ends when this session's channel
// closes, not only when the whole connection does. A client that closes one session and keeps its connection
// open (ssh -O / ControlMaster, a multiplexing client) thereby cancels the command that session was running.
//
// DefaultSessionHandler returns when the channel's requests end, which x/crypto/ssh signals when the channel is
// closed by either side or the connection goes.
//
// The session's requests pass through filterRequests (requests.go): window changes go to a box of their own
// (windowsOf), terminal sizes are clamped.
func sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	sctx := newSessionContext(ctx)
	defer sctx.cancel()
	windows := newWindowBox()
	sctx.SetValue(ctxWindows, windows)
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, windows: windows}, sctx)
}

const ctxWindows ctxKey = "ceedesk.windows"

// windowsOf is the box a session's window changes arrive in.
func windowsOf(sess ssh.Session) *windowBox {
	if b, ok := sess.Context().Value(ctxWindows).(*windowBox); ok {
		return b
	}
	return newWindowBox() // never filled
}

// sessionContext is the ssh.Context of one session. Connection metadata (user, addresses, permissions, the
// public key the client proved) and the connection-wide lock come from the connection's context; values set on
// the session (SetValue) stay with the session. It is done when the session's channel closes or the connection
// ends, whichever comes first.
type sessionContext struct {
	ssh.Context                 // the connection's
	done        context.Context // child of the connection's context, cancelled when the channel closes
	cancel      context.CancelFunc

	mu     sync.Mutex
	values map[any]any
}

func newSessionContext(conn ssh.Context) *sessionContext {
	done, cancel := context.WithCancel(conn)
	return &sessionContext{Context: conn, done: done, cancel: cancel, values: map[any]any{}}
}

func (c *sessionContext) Deadline() (time.Time, bool) { return c.done.Deadline() }
func (c *sessionContext) Done() <-chan struct{}       { return c.done.Done() }
func (c *sessionContext) Err() error                  { return c.done.Err() }

// Value looks in the session's own values, then in the connection's. Lookups go through done so that contexts
// derived from the session find its cancellation directly instead of watching it with a goroutine.
func (c *sessionContext) Value(key any) any {
	c.mu.Lock()
	v, ok := c.values[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	return c.done.Value(key)
}

// SetValue sets a value for this session only; the connection's other sessions do not see it.
func (c *sessionContext) SetValue(key, value any) {
	c.mu.Lock()
	c.values[key] = value
	c.mu.Unlock()
}
