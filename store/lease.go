package store

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"ceedesk/cases"
)

// Leases, checkouts and check-ins at the Center (schema 6):
//
//	leases     case id -> JSON cases.Lease: the case is checked out to a desk
//	checkouts  checkout id -> JSON CheckoutRecord: what was checked out, by whom, until when (and when checked in)
//	landed     checkout id 0x00 big-endian seq -> JSON landing: a desk's pending change that landed, so a check-in
//	           run again (or resumed after it was cut off) never lands it twice
//
// meta holds the store's identity (store_id), which a desk file names, and the secret (desk_secret) that seals
// checkout records and keys the chain of a desk's pending changes. A lease changes no case record (its version
// stays), but taking, breaking or releasing one is an audit event of the case, and a change on the feed.
var (
	bLeases    = []byte("leases")
	bCheckouts = []byte("checkouts")
	bLanded    = []byte("landed")

	mStoreID    = []byte("store_id")
	mDeskSecret = []byte("desk_secret")
)

func getLease(tx kvTx, id string) (*cases.Lease, error) {
	b := tx.Bucket(bLeases)
	if b == nil {
		return nil, nil
	}
	v := b.Get([]byte(id))
	if v == nil {
		return nil, nil
	}
	return decodeLease(id, v)
}

func decodeLease(id string, v []byte) (*cases.Lease, error) {
	l := new(cases.Lease)
	if err := json.Unmarshal(v, l); err != nil {
		return nil, fmt.Errorf("case %s: damaged lease record: %w", id, err)
	}
	return l, nil
}

// dropLease ends lease l on case id in tx, with its audit event.
func dropLease(tx kvTx, a *auditLog, now time.Time, actor, action, id string, l *cases.Lease, reason string) error {
	if err := tx.Bucket(bLeases).Delete([]byte(id)); err != nil {
		return err
	}
	return leaseEvent(a, now, actor, action, id, l, nil, reason)
}

// hasLeases reports whether any case of the store is checked out, so that reads of a store without checkouts
// look nothing up.
func hasLeases(tx kvTx) bool {
	b := tx.Bucket(bLeases)
	if b == nil {
		return false
	}
	k, _ := b.Cursor().First()
	return k != nil
}

// fillLeases sets the Lease of each row that has one.
func fillLeases(tx kvTx, rows []cases.QueueRow) error {
	if len(rows) == 0 || !hasLeases(tx) {
		return nil
	}
	for i := range rows {
		l, err := getLease(tx, rows[i].ID)
		if err != nil {
			return err
		}
		rows[i].Lease = l
	}
	return nil
}

// leaseEvent is the audit event of taking, breaking or releasing a lease: no field of the case changes, the lease
// does.
func leaseEvent(a *auditLog, now time.Time, actor, action, id string, from, to *cases.Lease, reason string) error {
	show := func(l *cases.Lease) string {
		if l == nil {
			return "-"
		}
		return l.User + " until " + l.Until.String() + " (checkout " + l.Checkout + ")"
	}
	return a.append(cases.Event{At: now, Actor: actor, Case: id, Action: action,
		Change: "checkout: " + show(from) + " -> " + show(to), Reason: reason})
}

// storeIdentity returns the store's identity and desk secret, making them in tx when the store has none yet.
func storeIdentity(tx kvTx, create bool) (id string, secret []byte, err error) {
	meta := tx.Bucket(bMeta)
	if v := meta.Get(mStoreID); v != nil {
		return string(v), append([]byte(nil), meta.Get(mDeskSecret)...), nil
	}
	if !create {
		return "", nil, nil
	}
	var b [16]byte
	secret = make([]byte, 32)
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", nil, err
	}
	id = hex.EncodeToString(b[:])
	if err := meta.Put(mStoreID, []byte(id)); err != nil {
		return "", nil, err
	}
	return id, secret, meta.Put(mDeskSecret, secret)
}

// ID is the store's identity: a random id made once, which a desk file checked out of it names. "" for a store
// opened read-only that has none yet.
func (s *Store) ID() (string, error) {
	var id string
	err := s.view(func(tx kvTx) error {
		var err error
		id, _, err = storeIdentity(tx, false)
		return err
	})
	return id, err
}

// BreakLease ends the checkout of case id before it is checked in (cases.CanBreakLease): a supervisor of the case's
// Center, with a reason the audit log keeps. The holder's changes to the case conflict at check-in once the case
// has changed at the Center.
func (s *Store) BreakLease(actor, id, reason string) (*cases.Lease, error) {
	return s.endLease(actor, id, "checkout_break", strings.TrimSpace(reason), func(u cases.User, c *cases.Case, l *cases.Lease) error {
		return cases.CanBreakLease(u, c, reason)
	})
}

// ReleaseLease ends the checkout of case id by hand (cases.CanReleaseLease): its holder, giving up the desk's work
// on it, or a supervisor. A check-in releases the leases of the cases whose changes all landed by itself.
func (s *Store) ReleaseLease(actor, id string) (*cases.Lease, error) {
	return s.endLease(actor, id, "checkout_release", "", func(u cases.User, c *cases.Case, l *cases.Lease) error {
		return cases.CanReleaseLease(u, c, l)
	})
}

func (s *Store) endLease(actorName, id, action, reason string, may func(cases.User, *cases.Case, *cases.Lease) error) (*cases.Lease, error) {
	if s.desk != nil {
		return nil, fmt.Errorf("%w: a desk file has no checkouts of its own; break or release a checkout at the Center", cases.ErrInvalid)
	}
	var l *cases.Lease
	var seq uint64
	now := s.clock()
	err := s.update(func(tx kvTx) error {
		u, err := s.actorUser(tx, actorName)
		if err != nil {
			return err
		}
		c, err := getCase(tx, id)
		if err != nil {
			return err
		}
		if err := s.checkCase(tx, actorName, c); err != nil {
			return err
		}
		if l, err = getLease(tx, id); err != nil {
			return err
		}
		if l == nil {
			return fmt.Errorf("%w: case %s is not checked out", cases.ErrInvalid, id)
		}
		if err := may(u, c, l); err != nil {
			return err
		}
		a := s.openAudit(tx)
		if err := dropLease(tx, a, now, u.Name, action, id, l, reason); err != nil {
			return err
		}
		seq = a.seq
		return a.flush()
	})
	if err != nil {
		return nil, err
	}
	s.feed.publish(cases.Change{Seq: seq, Action: action, Actor: actorName, Cases: []string{id}, At: now})
	return l, nil
}

// Leases lists the checked-out cases actor may see (a supervisor their Center's, a reviewer their own), by case id.
func (s *Store) Leases(actor string) ([]cases.QueueRow, error) {
	var out []cases.QueueRow
	err := s.view(func(tx kvTx) error {
		u, err := s.reader(tx, actor)
		if err != nil {
			return err
		}
		return tx.Bucket(bLeases).ForEach(func(k, v []byte) error {
			c, err := getCase(tx, string(k))
			if err != nil {
				return err
			}
			l, err := decodeLease(string(k), v)
			if err != nil {
				return err
			}
			if cases.CanView(u, c) != nil || u.Role != cases.RoleSupervisor && u.Role != cases.RoleAdmin && l.User != u.Name {
				return nil
			}
			r := c.Row(s.policy)
			r.Lease = l
			out = append(out, r)
			return nil
		})
	})
	return out, err
}
