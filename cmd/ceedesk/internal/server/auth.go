package server

import (
	"errors"
	"net"
	"strings"

	"ceedesk/cases"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// Authentication is by public key only. The server config offers no password or keyboard-interactive method,
// so x/crypto refuses those attempts itself; authAttempt logs them.
//
// offeredKey answers "would this key be accepted?". x/crypto calls it for every key a client OFFERS, before the
// client has proved it holds the private key, so nothing it learns may decide who the session is: a client can
// offer someone else's public key first and prove its own afterwards (soft-serve GHSA-pchf-49fh-w34r). The
// session's identity is resolved again, in identify, from ssh.Session.PublicKey(), which is the key whose
// signature the server verified.

type ctxKey string

const ctxOfferedKey ctxKey = "ceedesk.offered-key" // fingerprint of the last key offered; for logs only

func (s *Server) offeredKey(ctx ssh.Context, key ssh.PublicKey) bool {
	fp := gossh.FingerprintSHA256(key)
	ctx.SetValue(ctxOfferedKey, fp)
	if _, err := s.keyUser(fp); err != nil {
		s.set.logger.Warn("refused", "reason", err.Error(), "remote", ctx.RemoteAddr().String(),
			"fingerprint", fp, "claimed", logText(ctx.User()))
		return false
	}
	return true
}

// keyUser is the enabled user a key fingerprint belongs to.
func (s *Server) keyUser(fp string) (cases.User, error) {
	u, err := s.desk.userByKey(fp)
	switch {
	case errors.Is(err, cases.ErrNotFound):
		return cases.User{}, errors.New("unknown key")
	case errors.Is(err, cases.ErrForbidden): // revoked key, disabled user: the store says which
		return cases.User{}, errors.New(logText(err.Error()))
	case err != nil:
		return cases.User{}, errors.New("key lookup failed: " + logText(err.Error()))
	case u.Disabled:
		return cases.User{}, errors.New("user " + u.Name + " is disabled")
	}
	return u, nil
}

// identify resolves the session's user from the key the client proved.
func (s *Server) identify(sess ssh.Session) (cases.User, string, error) {
	key := sess.PublicKey()
	if key == nil {
		return cases.User{}, "", errors.New("no public key proved")
	}
	fp := gossh.FingerprintSHA256(key)
	if proved, _ := sess.Context().Value(ctxProvedKey).(string); proved != fp {
		// charmbracelet/ssh records the key from the last successful offer; x/crypto verified this one.
		return cases.User{}, fp, errors.New("the session's key is not the one the client proved")
	}
	u, err := s.keyUser(fp)
	return u, fp, err
}

// authAttempt logs authentication attempts by methods ceedesk does not accept.
func (s *Server) authAttempt(conn gossh.ConnMetadata, method string, err error) {
	if method == "none" || method == "publickey" || err == nil {
		return
	}
	s.set.logger.Warn("refused", "reason", method+" authentication is not accepted; use a public key",
		"remote", conn.RemoteAddr().String(), "claimed", logText(conn.User()))
}

// connectionFailed logs connections that ended before a session began: refused, or dropped in the handshake.
// Those the server closed itself (conns.go) were logged when it closed them.
func (s *Server) connectionFailed(conn net.Conn, err error) {
	if _, closed := s.closedBeforeLogin.LoadAndDelete(conn.RemoteAddr().String()); closed {
		return
	}
	msg := logText(err.Error())
	if strings.Contains(msg, "no auth passed yet") {
		s.set.logger.Warn("refused", "reason", "no public key was accepted (only public-key authentication is)",
			"remote", conn.RemoteAddr().String(), "error", msg)
		return
	}
	s.set.logger.Info("connection ended before login", "remote", conn.RemoteAddr().String(), "error", msg)
}
