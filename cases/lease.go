package cases

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Lease is a case checked out of the Center to a desk: while it runs (to the end of Until), the case's record at
// the Center is its holder's, and the work is done on the desk file and checked in later.
type Lease struct {
	User     string    `json:"user"`     // who checked the case out
	Checkout string    `json:"checkout"` // the checkout's id (CheckoutID)
	At       time.Time `json:"at"`       // when it was checked out
	Until    Date      `json:"until"`    // the last day of the lease
	Version  uint64    `json:"version"`  // the case's version at checkout
}

// Active reports whether the lease still holds on today.
func (l *Lease) Active(today Date) bool { return l != nil && today <= l.Until }

// String is what every queue, detail pane and `case` shows: "checked out to alice until 2026-12-08", or for a
// lease whose last day has passed "checked out to alice (lease ended 2026-12-08)".
func (l *Lease) String() string {
	return "checked out to " + l.User + " until " + l.Until.String()
}

// Label is String as of today.
func (l *Lease) Label(today Date) string {
	if l.Active(today) {
		return l.String()
	}
	return "checked out to " + l.User + " (lease ended " + l.Until.String() + ")"
}

// MaxLeaseDays is the longest lease a checkout may ask for; DefaultLeaseDays is the lease when none is asked.
const (
	MaxLeaseDays     = 30
	DefaultLeaseDays = 7
)

// ErrLeased is wrapped by every refusal of a write to a case checked out to someone else.
var ErrLeased = errors.New("checked out")

// LeaseError refuses a write to a case checked out to someone else.
type LeaseError struct {
	ID    string
	Lease Lease
}

func (e *LeaseError) Error() string {
	return fmt.Sprintf("case %s is %s; the work is on their desk file and comes back at check-in (a supervisor may break the lease: ceedesk checkout break %s --reason TEXT)",
		e.ID, e.Lease.String(), e.ID)
}

func (e *LeaseError) Unwrap() error { return ErrLeased }

// CanWriteLeased reports whether actor may change case id while it carries lease l (nil: none) on today: anyone when
// there is no lease or it has ended, its holder, and nobody else. A supervisor who must act breaks the lease first
// (CanBreakLease), which is recorded.
func CanWriteLeased(actor User, id string, l *Lease, today Date) error {
	if !l.Active(today) || l.User == actor.Name {
		return nil
	}
	return &LeaseError{ID: id, Lease: *l}
}

// CanCheckOut reports whether u may check c out to a desk: a reviewer their own open cases, a supervisor the open
// cases of their Center; never a decided case, one waiting for approval, or one already checked out.
func CanCheckOut(u User, c *Case, l *Lease, today Date) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	switch {
	case u.Role == RoleSupervisor && u.Center == c.Center:
	case u.Role == RoleReviewer && c.Assignee == u.Name:
	case u.Role == RoleReviewer:
		return forbidden("a reviewer checks out only their own cases; case %s is assigned to %s", c.ID, orNobody(c.Assignee))
	case u.Role == RoleSupervisor:
		return forbidden("case %s is in the %s Center; you supervise %s", c.ID, c.Center, u.Center)
	default:
		return forbidden("admins manage users and keys, not cases")
	}
	switch c.Status {
	case StatusDecided:
		return invalid("case %s is decided; only open cases are checked out", c.ID)
	case StatusPendingApproval:
		return invalid("case %s is waiting for approval; only open cases are checked out", c.ID)
	}
	if l.Active(today) {
		if l.User == u.Name {
			return invalid("case %s is already checked out to you (checkout %s) until %s; check that desk file in, or release it: ceedesk checkout release %s",
				c.ID, l.Checkout, l.Until, c.ID)
		}
		return &LeaseError{ID: c.ID, Lease: *l}
	}
	return nil
}

// CanBreakLease reports whether u may end someone's lease on c before it is checked in: a supervisor of the
// case's Center, with a reason, which the audit log keeps. The holder's changes to the case then conflict at
// check-in unless the case is left as it was.
func CanBreakLease(u User, c *Case, reason string) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	if u.Role != RoleSupervisor || u.Center != c.Center {
		return forbidden("only a supervisor of the %s Center may break a checkout", c.Center)
	}
	if strings.TrimSpace(reason) == "" {
		return invalid("breaking a checkout needs a reason (--reason TEXT): the audit log keeps it")
	}
	return CheckReason("the reason", reason)
}

// CanReleaseLease reports whether u may release a lease on c by hand (the desk file's work is given up or has
// landed): its holder, or a supervisor of the case's Center.
func CanReleaseLease(u User, c *Case, l *Lease) error {
	if u.Disabled {
		return forbidden("%s is disabled", u.Name)
	}
	if l.User == u.Name || u.Role == RoleSupervisor && u.Center == c.Center {
		return nil
	}
	return forbidden("only %s, who checked case %s out, or a supervisor of the %s Center may release it", l.User, c.ID, c.Center)
}

// LeaseDays checks the length of a lease a checkout asks for (0: DefaultLeaseDays) and returns it.
func LeaseDays(days int) (int, error) {
	switch {
	case days == 0:
		return DefaultLeaseDays, nil
	case days < 1 || days > MaxLeaseDays:
		return 0, invalid("--days %d: a lease runs 1 to %d days", days, MaxLeaseDays)
	}
	return days, nil
}

// OfflineInfo is what a desk file says of itself: whose it is, what it holds, until when, and how much of its
// work is still to be checked in.
type OfflineInfo struct {
	Checkout string    // the checkout's id
	User     string    // whose desk it is
	Center   string    // the Center the cases were checked out of
	At       time.Time // when they were checked out
	Until    Date      // the last day of the lease
	Cases    int       // how many cases it holds
	Pending  int       // changes made on it and not landed yet
	Path     string    // the desk file
}

// Banner is the line the workstation shows over a desk file.
func (o OfflineInfo) Banner(today Date) string {
	s := fmt.Sprintf("Offline desk: %d cases checked out from %s on %s; lease ends %s", o.Cases, o.Center, DateOf(o.At.Local()), o.Until)
	if today > o.Until {
		s = fmt.Sprintf("Offline desk: %d cases checked out from %s on %s; the lease ended %s", o.Cases, o.Center, DateOf(o.At.Local()), o.Until)
	}
	switch o.Pending {
	case 0:
		return s + " · nothing to check in yet"
	case 1:
		return s + " · 1 change to check in"
	}
	return s + fmt.Sprintf(" · %d changes to check in", o.Pending)
}
