// Package store keeps ceedesk's cases, users, keys and audit log in one bbolt file.
//
// Every change is one bbolt Update transaction that loads the acting user, applies the rule function from package
// cases to a copy of the stored case, checks the version the actor saw, rewrites the case, its compact queue row
// and its index entries, and appends exactly one audit event per changed case. A queue page is a cursor seek in an
// ordered index plus one row decode per visible row; nothing scans every case. After each commit a cases.Change is
// published to in-process subscribers.
//
// Layout of the file (schema version 6; migrate.go has the history and the steps from older versions):
//
//	cases    id -> encoded cases.Case
//	rows     id -> compact binary cases.QueueRow (the queue projection, due date computed with the store's Policy)
//	index    one nested bucket per scope (assignee or Center), open/decided and sort; keys sortkey+due+id, values
//	         status, kind and, in the due-date indexes, a copy of the rest of the queue row (index.go)
//	stats    per scope (and per holder of a Center's cases, nobody included): totals (all, open, pending,
//	         revenue) and a histogram of open cases per due date
//	importers  importer number, split, due, id -> programs and queue row; entry number, id -> nothing (importer.go)
//	decisions  center, decision date, id -> due date and decider (report.go)
//	leases, checkouts, landed  cases checked out to desks, the checkouts, and the desk changes that landed (lease.go)
//	history  id 0x00 seq -> nothing: the audit events of a case
//	users    name -> JSON cases.User
//	keys     SHA256 fingerprint -> JSON Key
//	audit    big-endian seq -> JSON cases.Event (hash-chained)
//	desk     in a desk file only: its checkout, pending changes and their outcomes (desk.go)
//	meta     schema version, policy and its fingerprint, last audit seq and hash, case count, and for a keyed audit
//	         chain the event it is keyed from, the key's ID and the key file's path (auditkey.go)
package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"ceedesk/cases"
)

// Operator is the name the local operator acts as: someone running ceedesk with file access to the store. It is
// trusted like an admin for user and key management; it never works cases.
const Operator = "operator"

// SchemaVersion is the layout version this package reads and writes. Open migrates a store of an older version
// (see migrate.go) and refuses a newer one.
const SchemaVersion = 6

// Options configure Open.
type Options struct {
	Timeout  time.Duration    // bbolt open timeout; 0 means 1s
	NoSync   bool             // only for bulk seeding and tests; changes are durable (fsync) by default
	Policy   cases.Policy     // zero value means cases.DefaultPolicy()
	Now      func() time.Time // clock for event timestamps; nil = time.Now
	ReadOnly bool
	// Migrating opens a store whose copy into it (CopyInto) was cut off, for CopyInto to start over; Open refuses
	// such a store otherwise.
	Migrating bool

	// AuditKey is the file holding the audit chain's key, as the operator named it (auditkey.go has the format).
	// A keyed chain is opened only with its own key: when AuditKey is "", the file the store recorded when its
	// chain was keyed, then AuditKeyDefault. Opened read-write without its key, a keyed store is refused.
	AuditKey string
	// AuditKeyDefault is where a chain that is not keyed yet (a new store, a store from before keys) gets its key
	// when AuditKey is "": the file is read, or created (mode 0600) when there is none, and the chain is keyed from
	// its next event. "" with AuditKey "" leaves such a chain unkeyed.
	AuditKeyDefault string
}

// Store is an open ceedesk store. It is safe for concurrent use.
//
// A Store from WithKey is the same open store seen through one SSH key: every operation it runs checks, inside its
// own transaction, that the key is still on record for the acting user and not revoked.
type Store struct {
	*core
	key string // SSH key fingerprint every operation is made with; "" = none (a local desk or the operator)
}

// core is what every view of one open store shares.
type core struct {
	eng       engine
	path      string
	policy    cases.Policy
	now       func() time.Time
	readOnly  bool
	migrating bool // opened for CopyInto to start over (Options.Migrating)

	wmu sync.Mutex // serialises this package's writers, so Load can switch off fsync safely

	chain *chainKey // the audit chain's key, or where it is made; nil: the chain is not keyed and has no key path

	desk *deskState // the checkout a desk file holds; nil for a Center store (desk.go)

	stopWatch func()     // ends the watch of a shared engine's audit log (feed.go)
	cimu      sync.Mutex // one check-in at a time (checkin.go)

	feed feed
}

var (
	bCases   = []byte("cases")
	bRows    = []byte("rows")
	bIndex   = []byte("index")
	bStats   = []byte("stats")
	bHistory = []byte("history")
	bUsers   = []byte("users")
	bKeys    = []byte("keys")
	bAudit   = []byte("audit")
	bMeta    = []byte("meta")

	allBuckets = [][]byte{bCases, bRows, bIndex, bStats, bHistory, bUsers, bKeys, bAudit, bMeta, bImporters, bDecisions, bLeases, bCheckouts, bLanded}

	mSchema    = []byte("schema")
	mPolicy    = []byte("policy")
	mPolicyFP  = []byte("policy_fingerprint")
	mAuditSeq  = []byte("audit_seq")
	mAuditHash = []byte("audit_hash")
	mCases     = []byte("cases")
	mDirty     = []byte("index_dirty") // set while Load runs; the indexes are rebuilt on the next Open if left set
)

// defaults fills in what the options leave unset: a 1s timeout, the default policy, the real clock.
func (opt *Options) defaults() {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if opt.Policy == (cases.Policy{}) {
		opt.Policy = cases.DefaultPolicy()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
}

// Open opens the store at path, creating and initialising it when the file does not exist or is empty.
//
// Open never re-initialises a file that has content: a file that is not a bbolt database, is truncated, is damaged
// or has a newer schema is refused with an error saying which. When another process holds the file, Open waits
// opt.Timeout and then fails with an error naming the file. A store of an older schema is migrated: Open first
// writes a backup beside it, PATH.schema-N.bak, then migrates in one transaction; if that fails the store is left
// as it was and the error names the backup. When the store's indexes were computed under a different Policy (due
// dates depend on it), Open recomputes rows and indexes in one transaction.
func Open(path string, opt Options) (*Store, error) {
	opt.defaults()
	eng, err := openBolt(path, opt)
	if err != nil {
		return nil, err
	}
	return openStore(eng, path, opt)
}

// openStore opens the store on an engine: it reads a desk file's own policy, initialises, migrates or re-indexes
// the store as it needs, and opens the audit chain's key.
func openStore(eng engine, path string, opt Options) (*Store, error) {
	s := &Store{core: &core{eng: eng, path: path, policy: opt.Policy, now: opt.Now, readOnly: opt.ReadOnly, migrating: opt.Migrating}}
	// A desk file works under the Center's policy, recorded in it, whatever the local config says, and its audit
	// chain is its own, unkeyed: the Center's key never leaves the Center.
	err := s.view(func(tx kvTx) error {
		d, err := loadDesk(tx, path)
		if err != nil || d == nil {
			return err
		}
		var p cases.Policy
		if err := json.Unmarshal(tx.Bucket(bMeta).Get(mPolicy), &p); err != nil {
			return fmt.Errorf("desk file %s is damaged: its policy does not read (%v)", path, err)
		}
		s.policy, s.desk = p, d
		opt.AuditKey, opt.AuditKeyDefault = "", ""
		return nil
	})
	if err == nil {
		err = s.init()
	}
	if err == nil {
		err = s.openChainKey(opt)
	}
	if err != nil {
		eng.close()
		return nil, err
	}
	if w, ok := eng.(watcher); ok {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		s.feed.watched = true
		go func() {
			defer close(done)
			s.watchAudit(ctx, w)
		}()
		s.stopWatch = func() { cancel(); <-done }
	}
	return s, nil
}

func policyFingerprint(p cases.Policy) []byte {
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return []byte(hex.EncodeToString(sum[:]))
}

// init checks the schema of an existing store, initialises a new one, and re-indexes when the policy changed or a
// bulk load was interrupted.
func (s *Store) init() error {
	var fresh, reindex, migrate, cutOff bool
	var schema uint64
	err := s.view(func(tx kvTx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			empty := true
			tx.ForEach(func(name []byte, _ kvBucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("store %s is not a ceedesk store: a bbolt file without ceedesk's meta bucket", s.path)
			}
			fresh = true
			return nil
		}
		if meta.Get(mMigrating) != nil {
			if !s.migrating {
				return fmt.Errorf("store %s: %w (ceedesk migrate); run the migrate again, which starts over", s.path, ErrMigrating)
			}
			cutOff = true // a partial copy: nothing in it is looked at before CopyInto starts over
			return nil
		}
		v := meta.Get(mSchema)
		if len(v) != 8 {
			return fmt.Errorf("store %s is not a ceedesk store: no schema version", s.path)
		}
		switch schema = binary.BigEndian.Uint64(v); {
		case schema > SchemaVersion:
			return fmt.Errorf("store %s has schema version %d, newer than this ceedesk (%d); upgrade ceedesk", s.path, schema, SchemaVersion)
		case schema < SchemaVersion:
			for n := schema; n < SchemaVersion; n++ {
				if _, ok := migrations[n]; !ok {
					return fmt.Errorf("store %s has schema version %d, which this ceedesk cannot migrate", s.path, schema)
				}
			}
			migrate = true
			return nil
		}
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				return fmt.Errorf("store %s is damaged: bucket %q is missing", s.path, b)
			}
		}
		if !bytes.Equal(meta.Get(mPolicyFP), policyFingerprint(s.policy)) || meta.Get(mDirty) != nil {
			reindex = true
		}
		return nil
	})
	if err != nil || cutOff {
		return err
	}
	if s.readOnly {
		if migrate {
			return fmt.Errorf("store %s has schema version %d, older than this ceedesk (%d); open it read-write once to migrate it (a backup is written first)", s.path, schema, SchemaVersion)
		}
		if fresh {
			return fmt.Errorf("store %s is empty; open it read-write once to initialise it", s.path)
		}
		if reindex {
			return fmt.Errorf("store %s was indexed under a different policy (or an interrupted load); open it read-write once to re-index", s.path)
		}
		return nil
	}
	if fresh {
		return s.boltUpdate(func(tx kvTx) error {
			for _, b := range allBuckets {
				if _, err := tx.CreateBucket(b); err != nil {
					return err
				}
			}
			meta := tx.Bucket(bMeta)
			meta.Put(mSchema, be64(SchemaVersion))
			pj, _ := json.Marshal(s.policy)
			meta.Put(mPolicy, pj)
			meta.Put(mPolicyFP, policyFingerprint(s.policy))
			meta.Put(mAuditSeq, be64(0))
			meta.Put(mAuditHash, []byte{})
			return meta.Put(mCases, be64(0))
		})
	}
	if migrate {
		if err := s.migrate(schema); err != nil {
			return err
		}
		err := s.view(func(tx kvTx) error {
			meta := tx.Bucket(bMeta)
			reindex = !bytes.Equal(meta.Get(mPolicyFP), policyFingerprint(s.policy)) || meta.Get(mDirty) != nil
			return nil
		})
		if err != nil {
			return err
		}
	}
	if reindex {
		return s.updateLarge(func(tx kvTx) error { return s.rebuild(tx, true) })
	}
	return nil
}

// WithKey returns the store as seen by a session that proved the SSH key fingerprint: the same open store, whose
// every read and write refuses (cases.ErrForbidden) once that key is revoked, removed or no longer the acting
// user's, checked in the transaction that reads or writes. Close the original store, not this one.
func (s *Store) WithKey(fingerprint string) *Store { return &Store{core: s.core, key: fingerprint} }

// Close closes the store. Subscribers' channels are closed.
func (s *Store) Close() error {
	if s.stopWatch != nil {
		s.stopWatch()
	}
	s.feed.closeAll()
	return s.eng.close()
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Policy is the local policy the store computes due dates and approvals with.
func (s *Store) Policy() cases.Policy { return s.policy }

func (s *Store) clock() time.Time { return s.now().UTC() }

// update runs fn in one write transaction, serialised with Load.
func (s *Store) update(fn func(tx kvTx) error) error {
	if s.readOnly {
		return fmt.Errorf("store %s is open read-only", s.path)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.boltUpdate(fn)
}

func be64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func metaUint(tx kvTx, key []byte) uint64 {
	v := tx.Bucket(bMeta).Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// Backup writes a consistent copy of the whole store to w from one read transaction; writers continue meanwhile.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	n, err := s.eng.backup(w)
	if err != nil {
		return n, fmt.Errorf("backup of %s: %w", s.path, err)
	}
	return n, nil
}
