package server

import (
	"errors"
	"fmt"

	"ceedesk/cases"
	"ceedesk/store"
)

// Access is decided at login and again after every change to users or keys: the server follows the store's
// change feed, and after a change that is not case work it asks the store again, for every open session, whom
// the session's key belongs to. A session whose key was revoked, whose user was disabled, or whose user's role
// or Center changed is withdrawn (session.withdraw): it ends at once, whatever it is doing, and tells its user
// why. The store already refuses the session's writes from the commit that withdrew its access (Store.WithKey);
// this makes the session stop showing and doing what its user may no longer see or do.

const (
	msgRevoked  = "ceedesk: your key was revoked by %s; this session has ended"
	msgDisabled = "ceedesk: your account was disabled by %s; this session has ended"
	msgChanged  = "ceedesk: your account was changed by %s (now %s); this session has ended. Log in again."
)

// watchAccess re-checks the open sessions after every change to users or keys, until changes is closed.
func (s *Server) watchAccess(changes <-chan cases.Change) {
	for ch := range changes {
		// Case work names its cases; a change to users or keys names none. Merged changes ("many") may hide
		// either.
		if len(ch.Cases) > 0 && ch.Action != "many" {
			continue
		}
		s.recheckAccess(ch)
	}
}

// recheckAccess withdraws every open session whose user may no longer use it; it asks the store once per key.
func (s *Server) recheckAccess(ch cases.Change) {
	s.mu.Lock()
	open := make([]*session, 0, len(s.sessions))
	for _, ss := range s.sessions {
		open = append(open, ss)
	}
	s.mu.Unlock()

	type verdict struct {
		user cases.User
		err  error
	}
	seen := map[string]verdict{}
	for _, ss := range open {
		v, ok := seen[ss.fp]
		if !ok {
			v.user, v.err = s.desk.userByKey(ss.fp)
			seen[ss.fp] = v
		}
		reason := s.accessReason(ss, v.user, v.err, ch)
		if reason == "" {
			continue
		}
		s.set.logger.Warn("session withdrawn", "user", ss.user.Name, "fingerprint", ss.fp, "reason", reason,
			"change", ch.Action, "by", logText(ch.Actor))
		ss.withdraw(reason)
		s.enforceEnd(ss)
	}
}

// accessReason says why the session must end, given what the store now says its key maps to, or "" when it
// may go on. A store that cannot answer ends nothing; the store still refuses every write a revoked key makes.
func (s *Server) accessReason(ss *session, now cases.User, err error, ch cases.Change) string {
	who := changedBy(ch)
	switch {
	case err == nil && now.Disabled: // UserByKey refuses disabled users; this is for a desk that does not
		return fmt.Sprintf(msgDisabled, who)
	case err == nil && !sameAccess(now, ss.user):
		return fmt.Sprintf(msgChanged, who, describeAccess(now))
	case err == nil:
		return ""
	case errors.Is(err, cases.ErrForbidden), errors.Is(err, cases.ErrNotFound):
		if u, uerr := s.desk.user(ss.user.Name); uerr == nil && u.Disabled {
			return fmt.Sprintf(msgDisabled, who)
		}
		return fmt.Sprintf(msgRevoked, who)
	}
	s.set.logger.Error("access check failed; the session goes on", "user", ss.user.Name, "fingerprint", ss.fp,
		"error", logText(err.Error()))
	return ""
}

// sameAccess reports whether now grants what the session was opened with: the same user, role and Center.
func sameAccess(now, was cases.User) bool {
	return now.Name == was.Name && now.Role == was.Role && now.Center == was.Center && !now.Disabled
}

func describeAccess(u cases.User) string {
	if u.Center == "" {
		return string(u.Role)
	}
	return string(u.Role) + " at " + u.Center
}

// changedBy names who made the change for the user's screen.
func changedBy(ch cases.Change) string {
	switch {
	case ch.Action == "many" || ch.Actor == "":
		return "an administrator"
	case ch.Actor == store.Operator:
		return "the operator"
	}
	return cases.CleanLine(ch.Actor)
}
