package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ceedesk/cases"
)

// Key is a user's SSH public key.
type Key struct {
	Fingerprint   string    `json:"fingerprint"` // ssh.FingerprintSHA256, "SHA256:..."
	User          string    `json:"user"`
	AuthorizedKey string    `json:"authorized_key"` // authorized_keys line
	Added         time.Time `json:"added"`
	Revoked       bool      `json:"revoked,omitempty"`
}

func getUser(tx kvTx, name string) (cases.User, error) {
	v := tx.Bucket(bUsers).Get([]byte(name))
	if v == nil {
		return cases.User{}, fmt.Errorf("user %s: %w", name, cases.ErrNotFound)
	}
	var u cases.User
	if err := json.Unmarshal(v, &u); err != nil {
		return cases.User{}, fmt.Errorf("user %s: damaged record: %w", name, err)
	}
	return u, nil
}

func putUser(tx kvTx, u cases.User) error {
	v, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return tx.Bucket(bUsers).Put([]byte(u.Name), v)
}

// actorUser loads the acting user for case work; an unknown or disabled actor is forbidden, and so is any actor
// of a store seen through a key (WithKey) that is revoked or not the actor's.
func (s *Store) actorUser(tx kvTx, name string) (cases.User, error) {
	if err := s.checkKey(tx, name); err != nil {
		return cases.User{}, err
	}
	u, err := getUser(tx, name)
	if errors.Is(err, cases.ErrNotFound) {
		if name == Operator {
			return u, fmt.Errorf("%w: the operator does not work cases; act as a user (--as NAME)", cases.ErrForbidden)
		}
		return u, fmt.Errorf("%w: %s is not a ceedesk user", cases.ErrForbidden, name)
	}
	if err != nil {
		return u, err
	}
	if u.Disabled {
		return u, fmt.Errorf("%w: %s is disabled", cases.ErrForbidden, name)
	}
	return u, nil
}

// checkKey refuses an actor when the store is seen through a key that is not on record, is revoked, or belongs to
// someone else. Without a key (a local desk, the operator) it allows everyone.
func (s *Store) checkKey(tx kvTx, name string) error {
	if s.key == "" {
		return nil
	}
	v := tx.Bucket(bKeys).Get([]byte(s.key))
	if v == nil {
		return fmt.Errorf("%w: key %s is no longer on record; your session has ended", cases.ErrForbidden, s.key)
	}
	var k Key
	if err := json.Unmarshal(v, &k); err != nil {
		return fmt.Errorf("key %s: damaged record: %w", s.key, err)
	}
	switch {
	case k.Revoked:
		return fmt.Errorf("%w: key %s was revoked; your session has ended", cases.ErrForbidden, s.key)
	case k.User != name:
		return fmt.Errorf("%w: key %s belongs to %s, not %s", cases.ErrForbidden, s.key, k.User, name)
	}
	return nil
}

// checkAdmin allows the operator (never through a key) and enabled admins.
func (s *Store) checkAdmin(tx kvTx, actor string) error {
	if actor == Operator && s.key == "" {
		return nil
	}
	u, err := s.actorUser(tx, actor)
	if err != nil {
		return err
	}
	return cases.CanAdmin(u)
}

func checkUserFields(u *cases.User) error {
	if !cases.ValidUserName(u.Name) {
		return fmt.Errorf("%w: user name %q: want a lower-case letter then up to 31 of a-z 0-9 . _ -", cases.ErrInvalid, u.Name)
	}
	if u.Name == Operator {
		return fmt.Errorf("%w: user name %q is reserved for the local operator", cases.ErrInvalid, u.Name)
	}
	r, err := cases.ParseRole(string(u.Role))
	if err != nil {
		return fmt.Errorf("%w: user %s: %v", cases.ErrInvalid, u.Name, err)
	}
	u.Role = r
	u.Display = cases.CleanLine(u.Display)
	if u.Center == "" && r == cases.RoleAdmin {
		return nil
	}
	c, err := cases.LookupCenter(u.Center)
	if err != nil {
		return fmt.Errorf("%w: user %s: %v", cases.ErrInvalid, u.Name, err)
	}
	u.Center = c.Code
	return nil
}

func describeUser(u cases.User) string {
	s := fmt.Sprintf("role %s, center %s", u.Role, u.Center)
	if u.Display != "" {
		s += ", display " + u.Display
	}
	if u.Disabled {
		s += ", disabled"
	}
	return s
}

// AddUser adds a user; the actor must be an admin or the Operator. The name must match [a-z][a-z0-9._-]{0,31}, the
// role be reviewer, supervisor or admin, and the Center a known code (optional for admins).
func (s *Store) AddUser(actor string, u cases.User) error {
	if err := checkUserFields(&u); err != nil {
		return err
	}
	return s.adminWrite(actor, "user_add", func(tx kvTx, now time.Time) (string, error) {
		if tx.Bucket(bUsers).Get([]byte(u.Name)) != nil {
			return "", fmt.Errorf("%w: user %s already exists", cases.ErrInvalid, u.Name)
		}
		if u.Created.IsZero() {
			u.Created = now
		}
		u.Created = u.Created.UTC()
		return "user " + u.Name + ": " + describeUser(u), putUser(tx, u)
	})
}

// adminWrite is one admin-only transaction that changes users or keys: write makes the change and says what it
// was, for one audit event, or "" when there was nothing to change (no event, no publication).
func (s *Store) adminWrite(actor, action string, write func(tx kvTx, now time.Time) (string, error)) error {
	if err := s.notOnDesk(action); err != nil {
		return err
	}
	var seq uint64
	now := s.clock()
	err := s.update(func(tx kvTx) error {
		if err := s.checkAdmin(tx, actor); err != nil {
			return err
		}
		change, err := write(tx, now)
		if err != nil || change == "" {
			return err
		}
		a := s.openAudit(tx)
		if err := a.append(cases.Event{At: now, Actor: actor, Action: action, Change: change}); err != nil {
			return err
		}
		seq = a.seq
		return a.flush()
	})
	if err != nil || seq == 0 {
		return err
	}
	s.feed.publish(cases.Change{Seq: seq, Action: action, Actor: actor, At: now})
	return nil
}

// SetUser changes an existing user's role, Center, display name or disabled flag; Created is kept.
func (s *Store) SetUser(actor string, u cases.User) error {
	if err := checkUserFields(&u); err != nil {
		return err
	}
	return s.adminWrite(actor, "user_change", func(tx kvTx, now time.Time) (string, error) {
		old, err := getUser(tx, u.Name)
		if err != nil {
			return "", err
		}
		u.Created = old.Created
		if old == u {
			return "", nil
		}
		if actor == u.Name && (u.Disabled || u.Role != cases.RoleAdmin) {
			return "", fmt.Errorf("%w: %s cannot disable or demote themself", cases.ErrForbidden, actor)
		}
		return fmt.Sprintf("user %s: %s -> %s", u.Name, describeUser(old), describeUser(u)), putUser(tx, u)
	})
}

// User returns the named user; it wraps cases.ErrNotFound when there is none. It resolves who is acting (the
// workstation's user, the local --as); what a user may see of others goes through Users and Keys.
func (s *Store) User(name string) (cases.User, error) {
	var u cases.User
	err := s.view(func(tx kvTx) error {
		var err error
		u, err = getUser(tx, name)
		return err
	})
	return u, err
}

// Users lists the users of a Center ("" = all) that actor may see (cases.DirectoryScope: an admin or the operator
// everyone, a supervisor their Center's users, a reviewer themselves), sorted by name.
func (s *Store) Users(actor, center string) ([]cases.User, error) {
	var out []cases.User
	err := s.view(func(tx kvTx) error {
		scope, self, err := s.directory(tx, actor)
		if err != nil {
			return err
		}
		all, err := usersOf(tx, center)
		for _, u := range all {
			if cases.CanListUser(scope, self, u) {
				out = append(out, u)
			}
		}
		return err
	})
	return out, err
}

// directory is the actor's cases.DirectoryScope.
func (s *Store) directory(tx kvTx, actor string) (center, self string, err error) {
	u, err := s.reader(tx, actor)
	if err != nil {
		return "", "", err
	}
	return cases.DirectoryScope(u)
}

// usersOf lists the users of a Center ("" = all) in name order, with no read rule: for the store's own use.
func usersOf(tx kvTx, center string) ([]cases.User, error) {
	var out []cases.User
	err := tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
		var u cases.User
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("user %s: damaged record: %w", k, err)
		}
		if center == "" || strings.EqualFold(u.Center, center) {
			out = append(out, u)
		}
		return nil
	})
	return out, err // bbolt keys are in name order
}

// CanAdmin reports whether actor may do an admin's work (users, keys, imports, backups: a backup is a copy of
// the whole store): an enabled admin, or the operator. The store checks again inside each such write.
func (s *Store) CanAdmin(actor string) error {
	return s.view(func(tx kvTx) error { return s.checkAdmin(tx, actor) })
}

// SetDisabled disables or enables a user (admin or operator only); disabling ends what the user may do at once,
// since every read and write loads the acting user in its own transaction.
func (s *Store) SetDisabled(actor, name string, disabled bool) error {
	action := map[bool]string{true: "disabled", false: "enabled"}[disabled]
	return s.adminWrite(actor, "user_change", func(tx kvTx, now time.Time) (string, error) {
		u, err := getUser(tx, name)
		if err != nil {
			return "", err
		}
		if u.Disabled == disabled {
			return "", fmt.Errorf("%w: user %s is already %s", cases.ErrInvalid, name, action)
		}
		if actor == name && disabled {
			return "", fmt.Errorf("%w: %s cannot disable themself", cases.ErrForbidden, actor)
		}
		old := u
		u.Disabled = disabled
		return fmt.Sprintf("user %s: %s -> %s", u.Name, describeUser(old), describeUser(u)), putUser(tx, u)
	})
}

// AddKey registers an SSH public key (by its SHA256 fingerprint) for a user; admin or Operator only. A fingerprint
// is unique across users; re-adding a revoked key is refused.
func (s *Store) AddKey(actor, user, fingerprint, authorizedKey string) error {
	if !strings.HasPrefix(fingerprint, "SHA256:") || len(fingerprint) < 10 {
		return fmt.Errorf("%w: key fingerprint %q: want SHA256:... as ssh.FingerprintSHA256 prints it", cases.ErrInvalid, fingerprint)
	}
	return s.adminWrite(actor, "key_add", func(tx kvTx, now time.Time) (string, error) {
		if _, err := getUser(tx, user); err != nil {
			return "", err
		}
		if v := tx.Bucket(bKeys).Get([]byte(fingerprint)); v != nil {
			var k Key
			json.Unmarshal(v, &k)
			if k.Revoked {
				return "", fmt.Errorf("%w: key %s was revoked and cannot be added again", cases.ErrInvalid, fingerprint)
			}
			return "", fmt.Errorf("%w: key %s already belongs to %s", cases.ErrInvalid, fingerprint, k.User)
		}
		k := Key{Fingerprint: fingerprint, User: user, AuthorizedKey: strings.TrimSpace(authorizedKey), Added: now}
		return "key " + fingerprint + " for " + user, putKey(tx, k)
	})
}

// putKey writes a key record.
func putKey(tx kvTx, k Key) error {
	v, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return tx.Bucket(bKeys).Put([]byte(k.Fingerprint), v)
}

// RevokeKey marks a key revoked; it stays on record so it cannot be re-added. Admin or Operator only.
func (s *Store) RevokeKey(actor, fingerprint string) error {
	return s.adminWrite(actor, "key_revoke", func(tx kvTx, now time.Time) (string, error) {
		v := tx.Bucket(bKeys).Get([]byte(fingerprint))
		if v == nil {
			return "", fmt.Errorf("key %s: %w", fingerprint, cases.ErrNotFound)
		}
		var k Key
		if err := json.Unmarshal(v, &k); err != nil {
			return "", fmt.Errorf("key %s: damaged record: %w", fingerprint, err)
		}
		if k.Revoked {
			return "", fmt.Errorf("%w: key %s is already revoked", cases.ErrInvalid, fingerprint)
		}
		k.Revoked = true
		return "key " + fingerprint + " of " + k.User + " revoked", putKey(tx, k)
	})
}

// Keys lists a user's keys ("" = everyone's), revoked ones included, by fingerprint: the keys of the users actor
// may see (cases.DirectoryScope).
func (s *Store) Keys(actor, user string) ([]Key, error) {
	var out []Key
	err := s.view(func(tx kvTx) error {
		scope, self, err := s.directory(tx, actor)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		return tx.Bucket(bKeys).ForEach(func(fp, v []byte) error {
			var k Key
			if err := json.Unmarshal(v, &k); err != nil {
				return fmt.Errorf("key %s: damaged record: %w", fp, err)
			}
			if user != "" && k.User != user {
				return nil
			}
			ok, known := seen[k.User]
			if !known {
				holder, err := getUser(tx, k.User)
				ok = err == nil && cases.CanListUser(scope, self, holder)
				seen[k.User] = ok
			}
			if ok {
				out = append(out, k)
			}
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Key) int { return strings.Compare(a.Fingerprint, b.Fingerprint) })
	return out, err
}

// UserByKey returns the user a key fingerprint belongs to. An unknown key wraps cases.ErrNotFound; a revoked key or
// a disabled user wraps cases.ErrForbidden.
func (s *Store) UserByKey(fingerprint string) (cases.User, error) {
	var u cases.User
	err := s.view(func(tx kvTx) error {
		v := tx.Bucket(bKeys).Get([]byte(fingerprint))
		if v == nil {
			return fmt.Errorf("key %s: %w", fingerprint, cases.ErrNotFound)
		}
		var k Key
		if err := json.Unmarshal(v, &k); err != nil {
			return fmt.Errorf("key %s: damaged record: %w", fingerprint, err)
		}
		if k.Revoked {
			return fmt.Errorf("%w: key %s is revoked", cases.ErrForbidden, fingerprint)
		}
		var err error
		if u, err = getUser(tx, k.User); err != nil {
			return err
		}
		if u.Disabled {
			return fmt.Errorf("%w: %s is disabled", cases.ErrForbidden, u.Name)
		}
		return nil
	})
	return u, err
}
