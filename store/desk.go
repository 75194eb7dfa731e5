package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"ceedesk/cases"
)

// A desk file is an ordinary ceedesk store holding only the cases checked out to one person, with their
// histories, that person (no keys) and the Center's policy, plus the bucket desk:
//
//	desk     "checkout" -> JSON sealedCheckout: the checkout record and the Center's seal over it
//	         "key"      -> the key of this checkout's chain of pending changes
//	         "pending"  (bucket) big-endian seq -> JSON PendingChange: every change made on the desk, in order,
//	                    each MAC'd under the key together with the one before it
//	         "outcome"  (bucket) big-endian seq -> JSON Outcome: what the last check-in made of each change
//
// The seal is an HMAC under the Center store's desk secret, which never leaves the Center: a desk file whose
// checkout record was altered, or that came from another Center store, is refused at check-in. The chain of
// pending changes is keyed by a key the Center derives from the same secret, so one edited by hand is refused too.
var (
	bDesk     = []byte("desk")
	dCheckout = []byte("checkout")
	dKey      = []byte("key")
	dPending  = []byte("pending")
	dOutcome  = []byte("outcome")
)

// MaxCheckout is the most cases one checkout takes.
const MaxCheckout = 10000

// CheckoutRecord says what was checked out of a Center store to a desk.
type CheckoutRecord struct {
	ID     string       `json:"id"`
	User   string       `json:"user"`
	Center string       `json:"center"`
	Store  string       `json:"store"` // the identity of the Center store (Store.ID)
	At     time.Time    `json:"at"`
	Today  cases.Date   `json:"today"` // the date the rules used at checkout (the lease runs from it)
	Until  cases.Date   `json:"until"`
	Cases  []CheckedOut `json:"cases"`
	// CheckedIn is when the checkout was last checked in at the Center (Center's copy only).
	CheckedIn time.Time `json:"checked_in,omitempty"`
}

// CheckedOut is one case of a checkout and its version when it was checked out.
type CheckedOut struct {
	ID      string `json:"id"`
	Version uint64 `json:"version"`
}

type sealedCheckout struct {
	Record json.RawMessage `json:"record"`
	Seal   string          `json:"seal"`
}

// PendingChange is one change made on a desk file, kept for check-in.
type PendingChange struct {
	Seq     uint64    `json:"seq"`
	Made    time.Time `json:"made"`
	Actor   string    `json:"actor"`
	Op      Op        `json:"op"`
	Version uint64    `json:"version"` // the case's version on the desk the change was made on
	MAC     string    `json:"mac"`
}

// Outcome is what a check-in made of one pending change.
type Outcome struct {
	State     string    `json:"state"` // landed, conflict or refused
	Detail    string    `json:"detail,omitempty"`
	At        time.Time `json:"at"`                   // when it was checked in (landed: when it landed)
	CenterSeq uint64    `json:"center_seq,omitempty"` // landed: the Center's audit event (0: it changed nothing)
	Earlier   bool      `json:"earlier,omitempty"`    // landed by an earlier check-in of the same file
}

// Outcome states.
const (
	Landed   = "landed"
	Conflict = "conflict"
	Refused  = "refused"
)

func seal(secret []byte, record []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("ceedesk-checkout-1\x00"))
	m.Write(record)
	return hex.EncodeToString(m.Sum(nil))
}

// chainKey of a checkout: the key its desk's pending changes are MAC'd with.
func deskChainKey(secret []byte, checkout string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("ceedesk-desk-key-1\x00"))
	m.Write([]byte(checkout))
	return m.Sum(nil)
}

// pendingMAC is the MAC of a pending change (its MAC field aside) after the one before it.
func pendingMAC(key []byte, prev string, p PendingChange) string {
	p.MAC = ""
	b, _ := json.Marshal(p)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("ceedesk-pending-1\x00"))
	m.Write([]byte(prev))
	m.Write([]byte{0})
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// deskState is what an open desk file knows of itself.
type deskState struct {
	record CheckoutRecord
	key    []byte
}

// loadDesk reads the desk bucket of a store, if it has one: nil for a Center store.
func loadDesk(tx kvTx, path string) (*deskState, error) {
	b := tx.Bucket(bDesk)
	if b == nil {
		return nil, nil
	}
	var sc sealedCheckout
	if err := json.Unmarshal(b.Get(dCheckout), &sc); err != nil {
		return nil, fmt.Errorf("desk file %s is damaged: its checkout record does not read (%v)", path, err)
	}
	d := &deskState{key: append([]byte(nil), b.Get(dKey)...)}
	if err := json.Unmarshal(sc.Record, &d.record); err != nil {
		return nil, fmt.Errorf("desk file %s is damaged: its checkout record does not read (%v)", path, err)
	}
	if len(d.key) != sha256.Size || b.Bucket(dPending) == nil || b.Bucket(dOutcome) == nil {
		return nil, fmt.Errorf("desk file %s is damaged: its desk bucket is incomplete", path)
	}
	return d, nil
}

// keep records op, just applied by actor to a case at version before, as the desk's next pending change.
func (d *deskState) keep(tx kvTx, op *Op, actor string, before uint64, now time.Time) error {
	b := tx.Bucket(bDesk).Bucket(dPending)
	p := PendingChange{Made: now, Actor: actor, Op: *op, Version: before}
	prev := ""
	if k, v := b.Cursor().Last(); k != nil {
		var last PendingChange
		if err := json.Unmarshal(v, &last); err != nil {
			return fmt.Errorf("desk file: pending change %x is damaged: %w", k, err)
		}
		p.Seq, prev = last.Seq, last.MAC
	}
	p.Seq++
	p.MAC = pendingMAC(d.key, prev, p)
	v, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return b.Put(be64(p.Seq), v)
}

// DeskInfo describes an open desk file.
type DeskInfo struct {
	CheckoutRecord
	Pending int // changes not landed yet (as far as this file knows)
	Landed  int
}

// Desk describes the store when it is a desk file, and is nil for a Center store.
func (s *Store) Desk() (*DeskInfo, error) {
	if s.desk == nil {
		return nil, nil
	}
	info := &DeskInfo{CheckoutRecord: s.desk.record}
	err := s.view(func(tx kvTx) error {
		b := tx.Bucket(bDesk)
		out := b.Bucket(dOutcome)
		return b.Bucket(dPending).ForEach(func(k, _ []byte) error {
			var o Outcome
			if v := out.Get(k); v != nil && json.Unmarshal(v, &o) == nil && o.State == Landed {
				info.Landed++
			} else {
				info.Pending++
			}
			return nil
		})
	})
	return info, err
}

// DeskChange is a pending change of a desk file with what the last check-in made of it (State "" before any).
type DeskChange struct {
	PendingChange
	Outcome
}

// DeskChanges lists a desk file's changes in order, with their outcomes.
func (s *Store) DeskChanges() ([]DeskChange, error) {
	if s.desk == nil {
		return nil, fmt.Errorf("%w: store %s is not a desk file", cases.ErrInvalid, s.path)
	}
	var out []DeskChange
	err := s.view(func(tx kvTx) error {
		b := tx.Bucket(bDesk)
		oc := b.Bucket(dOutcome)
		return b.Bucket(dPending).ForEach(func(k, v []byte) error {
			var dc DeskChange
			if err := json.Unmarshal(v, &dc.PendingChange); err != nil {
				return fmt.Errorf("desk file %s: pending change %d is damaged: %w", s.path, binaryUint(k), err)
			}
			if o := oc.Get(k); o != nil {
				if err := json.Unmarshal(o, &dc.Outcome); err != nil {
					return fmt.Errorf("desk file %s: the outcome of change %d is damaged: %w", s.path, dc.Seq, err)
				}
			}
			out = append(out, dc)
			return nil
		})
	})
	return out, err
}

func binaryUint(k []byte) uint64 {
	if len(k) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k)
}

// CheckoutRequest is what a checkout asks for: the cases a filter finds in the actor's queue (a supervisor's:
// their Center's), and/or the cases named; a lease of Days days (0: cases.DefaultLeaseDays).
type CheckoutRequest struct {
	Filter *cases.Filter
	IDs    []string
	Days   int
	Today  cases.Date
}

// Checkout checks cases out of this Center store to a new desk file at path (which must not exist): in one write
// transaction it checks each case may be checked out by actor (cases.CanCheckOut), records a lease on it with an
// audit event, records the checkout, and writes the desk file; the file is in place only when the leases are
// committed, and no lease is left when the file cannot be written.
func (s *Store) Checkout(actor string, req CheckoutRequest, path string) (*CheckoutRecord, error) {
	if s.desk != nil {
		return nil, fmt.Errorf("%w: %s is itself a desk file; check cases out of the Center's store", cases.ErrInvalid, s.path)
	}
	days, err := cases.LeaseDays(req.Days)
	if err != nil {
		return nil, err
	}
	if _, err := os.Lstat(path); err == nil {
		return nil, fmt.Errorf("%s exists; a checkout writes a new desk file (name another, or remove it)", path)
	}
	if req.Today == 0 {
		req.Today = s.today()
	}
	today := req.Today
	ids, err := s.checkoutIDs(actor, req)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: nothing to check out: no open case of yours matches", cases.ErrInvalid)
	}
	if len(ids) > MaxCheckout {
		return nil, fmt.Errorf("%w: %d cases match; one checkout takes at most %d (narrow the filter)", cases.ErrInvalid, len(ids), MaxCheckout)
	}
	// A checkout is one transaction (its leases stand or fall together with the desk file): on an engine whose
	// transactions are bounded, that bounds a checkout.
	if most := checkoutsPerTx(s.eng.limits()); len(ids) > most {
		return nil, fmt.Errorf("%w: %d cases match, and this store's engine takes at most %d in one checkout (etcd's --max-txn-ops is %d); narrow the filter, or check out in parts",
			cases.ErrInvalid, len(ids), most, s.eng.limits().Ops)
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	now := s.clock()
	rec := &CheckoutRecord{ID: hex.EncodeToString(b[:]), At: now, Today: today, Until: today.AddDays(days - 1)}
	tmp := path + ".part"
	var seq uint64
	err = s.update(func(tx kvTx) error {
		// an engine shared by several processes may run this again after another process's commit: the desk
		// file of the attempt before is not this one's
		os.Remove(tmp)
		u, err := s.actorUser(tx, actor)
		if err != nil {
			return err
		}
		storeID, secret, err := storeIdentity(tx, true)
		if err != nil {
			return err
		}
		rec.User, rec.Center, rec.Store, rec.Cases = u.Name, u.Center, storeID, rec.Cases[:0]
		a := s.openAudit(tx)
		snap := &deskSnapshot{user: u}
		leases := tx.Bucket(bLeases)
		for _, id := range ids {
			c, err := getCase(tx, id)
			if err != nil {
				return err
			}
			l, err := getLease(tx, id)
			if err != nil {
				return err
			}
			if err := cases.CanCheckOut(u, c, l, today); err != nil {
				return err
			}
			nl := &cases.Lease{User: u.Name, Checkout: rec.ID, At: now, Until: rec.Until, Version: c.Version}
			v, _ := json.Marshal(nl)
			if err := leases.Put([]byte(id), v); err != nil {
				return err
			}
			if err := leaseEvent(a, now, u.Name, "checkout", id, l, nl, ""); err != nil {
				return err
			}
			rec.Cases = append(rec.Cases, CheckedOut{ID: id, Version: c.Version})
			snap.cases = append(snap.cases, c)
			evs, err := caseEvents(tx, id)
			if err != nil {
				return err
			}
			snap.events = append(snap.events, evs...)
		}
		snap.events = append(snap.events, a.events...)
		rv, _ := json.Marshal(rec)
		if err := tx.Bucket(bCheckouts).Put([]byte(rec.ID), rv); err != nil {
			return err
		}
		snap.sealed = sealedCheckout{Record: rv, Seal: seal(secret, rv)}
		snap.key = deskChainKey(secret, rec.ID)
		if err := s.writeDesk(tmp, snap); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("writing the desk file %s: %w", path, err)
		}
		seq = a.seq
		return a.flush()
	})
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	s.feed.publish(cases.Change{Seq: seq, Action: "checkout", Actor: actor, Cases: ids, At: now})
	if err := os.Rename(tmp, path); err != nil {
		return rec, fmt.Errorf("checkout %s is recorded but its desk file could not be put in place (%v); it is %s", rec.ID, err, tmp)
	}
	return rec, nil
}

// checkoutKeys is what a checkout writes for each case (its lease, audit event and history entry), and
// checkoutFixed what it writes once (the checkout record, the audit head, the store's identity).
const checkoutKeys, checkoutFixed = 3, 8

// checkoutsPerTx is how many cases one checkout may take on an engine with limits lim.
func checkoutsPerTx(lim kvLimits) int {
	if lim.Ops == 0 {
		return MaxCheckout
	}
	return max(1, (lim.Ops*9/10-checkoutFixed)/checkoutKeys)
}

// checkoutIDs are the cases a checkout request names: those its filter finds among the open cases actor may check
// out (a reviewer's own queue, a supervisor's Center), then those named, each once.
func (s *Store) checkoutIDs(actor string, req CheckoutRequest) ([]string, error) {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if req.Filter != nil || len(req.IDs) == 0 {
		u, err := s.User(actor)
		if err != nil {
			return nil, err
		}
		q := cases.QueueQuery{Assignee: u.Name, OpenOnly: true, Limit: MaxPage, Today: req.Today}
		if u.Role == cases.RoleSupervisor {
			q = cases.QueueQuery{Center: u.Center, OpenOnly: true, Limit: MaxPage, Today: req.Today}
		}
		if req.Filter != nil {
			q.Filter = *req.Filter
		}
		for {
			page, err := s.Queue(actor, q)
			if err != nil {
				return nil, err
			}
			for _, r := range page.Rows {
				if r.Status != cases.StatusPendingApproval && (r.Lease == nil || !r.Lease.Active(req.Today)) {
					add(r.ID)
				}
			}
			if len(page.Rows) < q.Limit || len(ids) > MaxCheckout {
				break
			}
			q.Offset += len(page.Rows)
		}
	}
	for _, id := range req.IDs {
		add(id)
	}
	return ids, nil
}

// caseEvents are the audit events of case id, oldest first.
func caseEvents(tx kvTx, id string) ([]cases.Event, error) {
	prefix := append([]byte(id), 0)
	audit := tx.Bucket(bAudit)
	var out []cases.Event
	c := tx.Bucket(bHistory).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		seq := k[len(prefix):]
		v := audit.Get(seq)
		if v == nil {
			return nil, fmt.Errorf("case %s: history names audit event %d, which is missing", id, binaryUint(seq))
		}
		var e cases.Event
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, fmt.Errorf("audit event %d: %w", binaryUint(seq), err)
		}
		out = append(out, e)
	}
	return out, nil
}

// deskSnapshot is what a desk file is written from.
type deskSnapshot struct {
	user   cases.User
	cases  []*cases.Case
	events []cases.Event // in the Center's order
	sealed sealedCheckout
	key    []byte
}

// writeDesk writes a new desk file at path: a fresh store under this store's policy holding the snapshot, its
// history events re-chained in the desk's own (unkeyed) audit log in the Center's order.
//
// The store is built beside path and then copied to it page by page up to its high-water mark: a bbolt file grows
// in steps of many megabytes, and a desk file travels (over SSH, on a laptop), so it carries only what it holds.
func (s *Store) writeDesk(path string, snap *deskSnapshot) error {
	build := path + ".build"
	os.Remove(build)
	defer os.Remove(build)
	d, err := Open(build, Options{Policy: s.policy, Now: s.now, NoSync: true})
	if err != nil {
		return err
	}
	err = d.boltUpdate(func(tx kvTx) error {
		if err := putUser(tx, snap.user); err != nil {
			return err
		}
		for _, c := range snap.cases {
			if err := d.putCase(tx, nil, c); err != nil {
				return err
			}
		}
		sort.SliceStable(snap.events, func(i, j int) bool { return snap.events[i].Seq < snap.events[j].Seq })
		a := d.openAudit(tx)
		for _, e := range snap.events {
			e.Seq, e.Prev, e.Hash = 0, "", ""
			if err := a.append(e); err != nil {
				return err
			}
		}
		if err := a.flush(); err != nil {
			return err
		}
		b, err := tx.CreateBucket(bDesk)
		if err != nil {
			return err
		}
		sv, _ := json.Marshal(snap.sealed)
		if err := b.Put(dCheckout, sv); err != nil {
			return err
		}
		if err := b.Put(dKey, snap.key); err != nil {
			return err
		}
		if _, err := b.CreateBucket(dPending); err != nil {
			return err
		}
		_, err = b.CreateBucket(dOutcome)
		return err
	})
	if err == nil {
		err = WriteNewFile(path, func(w io.Writer) error {
			_, err := d.Backup(w)
			return err
		})
	}
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// errDesk wraps every refusal of a desk file at check-in.
var errDesk = errors.New("desk file refused")

// Offline describes a desk file for the workstation's banner; false for a Center store.
func (s *Store) Offline() (cases.OfflineInfo, bool) {
	info, err := s.Desk()
	if err != nil || info == nil {
		return cases.OfflineInfo{}, false
	}
	return cases.OfflineInfo{Checkout: info.ID, User: info.User, Center: info.Center, At: info.At, Until: info.Until,
		Cases: len(info.Cases), Pending: info.Pending, Path: s.path}, true
}

// notOnDesk refuses on a desk file what only the Center does (importing, seeding, managing users and keys): a
// desk file holds one checkout, and only the work on its cases goes back at check-in.
func (s *Store) notOnDesk(what string) error {
	if s.desk == nil {
		return nil
	}
	return fmt.Errorf("%w: %s is a desk file (%s's checkout %s); %s at the Center's store, where it is kept",
		cases.ErrInvalid, s.path, s.desk.record.User, s.desk.record.ID, strings.ReplaceAll(what, "_", " "))
}
