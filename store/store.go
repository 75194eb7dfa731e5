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
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

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
	db       *bolt.DB
	path     string
	policy   cases.Policy
	now      func() time.Time
	readOnly bool

	wmu sync.Mutex // serialises this package's writers, so Load can switch off fsync safely

	chain *chainKey // the audit chain's key, or where it is made; nil: the chain is not keyed and has no key path

	desk *deskState // the checkout a desk file holds; nil for a Center store (desk.go)
	cimu sync.Mutex // one check-in at a time (checkin.go)

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

// Open opens the store at path, creating and initialising it when the file does not exist or is empty.
//
// Open never re-initialises a file that has content: a file that is not a bbolt database, is truncated, is damaged
// or has a newer schema is refused with an error saying which. When another process holds the file, Open waits
// opt.Timeout and then fails with an error naming the file. A store of an older schema is migrated: Open first
// writes a backup beside it, PATH.schema-N.bak, then migrates in one transaction; if that fails the store is left
// as it was and the error names the backup. When the store's indexes were computed under a different Policy (due
// dates depend on it), Open recomputes rows and indexes in one transaction.
func Open(path string, opt Options) (*Store, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = time.Second
	}
	if opt.Policy == (cases.Policy{}) {
		opt.Policy = cases.DefaultPolicy()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := precheck(path, opt.ReadOnly); err != nil {
		return nil, err
	}
	var db *bolt.DB
	err := guard(path, func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{
			Timeout:         opt.Timeout,
			NoSync:          opt.NoSync,
			ReadOnly:        opt.ReadOnly,
			FreelistType:    bolt.FreelistMapType,
			InitialMmapSize: initialMmap(path),
		})
		return err
	})
	if err != nil {
		return nil, openError(path, err)
	}
	s := &Store{core: &core{db: db, path: path, policy: opt.Policy, now: opt.Now, readOnly: opt.ReadOnly}}
	// A desk file works under the Center's policy, recorded in it, whatever the local config says, and its audit
	// chain is its own, unkeyed: the Center's key never leaves the Center.
	err = s.view(func(tx *bolt.Tx) error {
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
		db.Close()
		return nil, err
	}
	return s, nil
}

// initialMmap is the size bbolt maps a store at first. A Center's store maps 1 GiB at once, so that its file
// growing never waits for the readers of the moment to finish; but bbolt then grows the file in 16 MiB steps
// whatever it holds, and a small store (a desk file, which travels) would be mostly empty pages. A file under
// 64 MiB is mapped as it is and grows as it fills.
func initialMmap(path string) int {
	if fi, err := os.Stat(path); err == nil && fi.Size() >= 64<<20 {
		return 1 << 30
	}
	return 0
}

func openError(path string, err error) error {
	var de *damagedError
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, bolt.ErrTimeout):
		return fmt.Errorf("store %s is held by another ceedesk process (the server?); stop it, or run the command through the server over SSH: %w", path, err)
	case errors.Is(err, bolt.ErrInvalid):
		return fmt.Errorf("store %s is not a ceedesk store: not a bbolt database file", path)
	case errors.Is(err, bolt.ErrVersionMismatch):
		return fmt.Errorf("store %s was written by an incompatible bbolt version", path)
	case errors.Is(err, bolt.ErrChecksum):
		return fmt.Errorf("store %s is corrupt: both bbolt meta pages fail their checksum", path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("store %s: permission denied: %w", path, err)
	}
	return fmt.Errorf("open store %s: %w", path, err)
}

// precheck reads the bbolt meta pages itself so that a truncated file is refused with a clear error before bbolt
// maps it (touching a page past the end of a mapped file is a fatal SIGBUS, not an error).
func precheck(path string, readOnly bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if readOnly {
			return fmt.Errorf("store %s does not exist", path)
		}
		return nil
	}
	if err != nil {
		return openError(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return openError(path, err)
	}
	if info.IsDir() {
		return fmt.Errorf("store %s is a directory, not a ceedesk store", path)
	}
	size := info.Size()
	if size == 0 {
		if readOnly {
			return fmt.Errorf("store %s is empty", path)
		}
		return nil
	}
	// Meta page 0 is at offset 0 and names the page size; meta page 1 follows one page later. If page 0 is
	// damaged, look for page 1 at every page size bbolt supports, as bbolt does.
	var best *boltMeta
	consider := func(off int64) {
		if m, ok := readMeta(f, off); ok && (best == nil || m.txid > best.txid) {
			best = &m
		}
	}
	consider(0)
	if best != nil {
		consider(int64(best.pageSize))
	} else {
		for i := 0; i <= 14; i++ {
			consider(1024 << i)
		}
	}
	if best == nil {
		if size < 1024 {
			return fmt.Errorf("store %s is not a ceedesk store: %d bytes, too short to be a bbolt database file", path, size)
		}
		return fmt.Errorf("store %s is not a ceedesk store: not a bbolt database file", path)
	}
	if need := int64(best.pgid) * int64(best.pageSize); size < need {
		return fmt.Errorf("store %s is truncated: the file is %d bytes but its database needs %d; restore it from a backup", path, size, need)
	}
	return nil
}

type boltMeta struct {
	pageSize uint32
	pgid     uint64
	txid     uint64
}

// readMeta decodes a bbolt meta page at off (16-byte page header, then magic, version, page size, flags, root
// bucket, freelist, high-water page id, txid and an FNV-64a checksum of what precedes it).
func readMeta(f *os.File, off int64) (boltMeta, bool) {
	var buf [16 + 64]byte
	if _, err := f.ReadAt(buf[:], off); err != nil {
		return boltMeta{}, false
	}
	m := buf[16:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != 0xED0CDAED || le.Uint32(m[4:]) != 2 {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(m[8:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

func policyFingerprint(p cases.Policy) []byte {
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return []byte(hex.EncodeToString(sum[:]))
}

// init checks the schema of an existing store, initialises a new one, and re-indexes when the policy changed or a
// bulk load was interrupted.
func (s *Store) init() error {
	var fresh, reindex, migrate bool
	var schema uint64
	err := s.view(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta == nil {
			empty := true
			tx.ForEach(func(name []byte, _ *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("store %s is not a ceedesk store: a bbolt file without ceedesk's meta bucket", s.path)
			}
			fresh = true
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
	if err != nil {
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
		return s.boltUpdate(func(tx *bolt.Tx) error {
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
		err := s.view(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bMeta)
			reindex = !bytes.Equal(meta.Get(mPolicyFP), policyFingerprint(s.policy)) || meta.Get(mDirty) != nil
			return nil
		})
		if err != nil {
			return err
		}
	}
	if reindex {
		return s.boltUpdate(func(tx *bolt.Tx) error { return s.rebuild(tx, true) })
	}
	return nil
}

// WithKey returns the store as seen by a session that proved the SSH key fingerprint: the same open store, whose
// every read and write refuses (cases.ErrForbidden) once that key is revoked, removed or no longer the acting
// user's, checked in the transaction that reads or writes. Close the original store, not this one.
func (s *Store) WithKey(fingerprint string) *Store { return &Store{core: s.core, key: fingerprint} }

// Close closes the store. Subscribers' channels are closed.
func (s *Store) Close() error {
	s.feed.closeAll()
	return s.db.Close()
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Policy is the local policy the store computes due dates and approvals with.
func (s *Store) Policy() cases.Policy { return s.policy }

func (s *Store) clock() time.Time { return s.now().UTC() }

// update runs fn in one write transaction, serialised with Load.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
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

func metaUint(tx *bolt.Tx, key []byte) uint64 {
	v := tx.Bucket(bMeta).Get(key)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// Backup writes a consistent copy of the whole store to w from one read transaction; writers continue meanwhile.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup of %s: %w", s.path, err)
	}
	return n, nil
}
