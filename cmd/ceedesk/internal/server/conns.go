package server

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// A connection has settings.handshake to log in (exchange versions and keys and prove a key); one that has not
// by then is closed. At most settings.maxLogins connections may be logging in at once: when one more arrives,
// the one that has waited longest is closed to make room, preferring one that has not said a word (not even its
// SSH version). Legitimate logins take milliseconds, so a crowd of idle or stalled connections cannot keep
// anyone out for longer than it takes to open more of them; it also never holds more than maxLogins of the
// server's goroutines and descriptors. Once logged in, a connection may hold at most settings.maxConnSessions
// sessions at once.

// clientConn is one client's TCP connection, from accept to close.
type clientConn struct {
	net.Conn
	s        *Server
	remote   string
	accepted time.Time
	spoke    atomic.Bool  // the client has sent something
	deadline *time.Timer  // closes the connection if it has not logged in by then
	sessions atomic.Int32 // session channels open
}

func (c *clientConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.spoke.Store(true)
	}
	return n, err
}

func (c *clientConn) Close() error {
	c.s.loggedIn(c) // or never will
	return c.Conn.Close()
}

const ctxConn ctxKey = "ceedesk.conn"

// connOf is the connection a context (a connection's or a session's) belongs to; nil outside the server.
func connOf(ctx interface{ Value(any) any }) *clientConn {
	c, _ := ctx.Value(ctxConn).(*clientConn)
	return c
}

// admit is the server's ConnCallback: it starts the connection's login deadline and makes room among the
// connections logging in. A nil result closes the connection (the server is shutting down).
func (s *Server) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	c := &clientConn{Conn: conn, s: s, remote: conn.RemoteAddr().String(), accepted: time.Now()}
	c.deadline = time.AfterFunc(s.set.handshake, func() {
		if s.loggedIn(c) {
			s.closedBeforeLogin.Store(c.remote, true)
			s.set.logger.Warn("refused", "reason", fmt.Sprintf("not logged in after %s", s.set.handshake), "remote", c.remote)
			c.Conn.Close()
		}
	})
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		c.deadline.Stop()
		return nil
	}
	var evict *clientConn
	if len(s.logins) >= s.set.maxLogins {
		for p := range s.logins {
			if evict == nil || (p.spoke.Load() == evict.spoke.Load() && p.accepted.Before(evict.accepted)) ||
				(!p.spoke.Load() && evict.spoke.Load()) {
				evict = p
			}
		}
		delete(s.logins, evict)
	}
	s.logins[c] = struct{}{}
	s.mu.Unlock()
	if evict != nil {
		evict.deadline.Stop()
		s.closedBeforeLogin.Store(evict.remote, true)
		s.crowded.note(s, evict)
		evict.Conn.Close()
	}
	ctx.SetValue(ctxConn, c)
	return c
}

// loggedIn takes c off the connections logging in; it reports whether c was still on it.
func (s *Server) loggedIn(c *clientConn) bool {
	s.mu.Lock()
	_, ok := s.logins[c]
	delete(s.logins, c)
	s.mu.Unlock()
	if ok {
		c.deadline.Stop()
	}
	return ok
}

// proved is x/crypto's VerifiedPublicKeyCallback: the client has just proved it holds key. The connection is
// logged in, and the key is noted so that a session can check that its key (ssh.Session.PublicKey) is this one.
func (s *Server) proved(ctx ssh.Context) func(gossh.ConnMetadata, gossh.PublicKey, *gossh.Permissions, string) (*gossh.Permissions, error) {
	return func(_ gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, _ string) (*gossh.Permissions, error) {
		ctx.SetValue(ctxProvedKey, gossh.FingerprintSHA256(key))
		if c := connOf(ctx); c != nil {
			s.loggedIn(c)
		}
		return perms, nil
	}
}

const ctxProvedKey ctxKey = "ceedesk.proved-key" // fingerprint of the key whose signature x/crypto verified

// crowdLog logs the connections closed to make room at most once a second, with how many it did not log.
type crowdLog struct {
	mu       sync.Mutex
	last     time.Time
	unlogged int
}

func (l *crowdLog) note(s *Server, c *clientConn) {
	l.mu.Lock()
	if time.Since(l.last) < time.Second {
		l.unlogged++
		l.mu.Unlock()
		return
	}
	more := l.unlogged
	l.last, l.unlogged = time.Now(), 0
	l.mu.Unlock()
	s.set.logger.Warn("refused", "reason", fmt.Sprintf("%d connections logging in at once; closed the one waiting longest", s.set.maxLogins),
		"remote", c.remote, "waited", time.Since(c.accepted).Round(time.Millisecond), "also_closed", more)
}

// closePending closes every connection still logging in; Shutdown calls it once no more are admitted.
func (s *Server) closePending() {
	s.mu.Lock()
	pending := make([]*clientConn, 0, len(s.logins))
	for c := range s.logins {
		pending = append(pending, c)
	}
	clear(s.logins)
	s.mu.Unlock()
	for _, c := range pending {
		c.deadline.Stop()
		s.closedBeforeLogin.Store(c.remote, true)
		c.Conn.Close()
	}
}

// sessionChannel admits a session channel within the connection's limit and runs it (channel.go).
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	if c := connOf(ctx); c != nil {
		if n := c.sessions.Add(1); int(n) > s.set.maxConnSessions {
			c.sessions.Add(-1)
			s.set.logger.Warn("refused", "reason", "too many sessions on one connection", "remote", c.remote,
				"claimed", logText(conn.User()), "limit", s.set.maxConnSessions)
			nc.Reject(gossh.ResourceShortage, fmt.Sprintf(msgConnSessions, s.set.maxConnSessions))
			return
		}
		defer c.sessions.Add(-1)
	}
	sessionChannel(srv, conn, nc, ctx)
}
