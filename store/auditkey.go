package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The audit chain is keyed: from the event meta names (audit_keyed_from) on, each event's hash is an HMAC-SHA256
// under a 32-byte key kept in a file outside the store, so someone who can write the store file but cannot read
// the key cannot recompute the chain after an event they change. Events before that one (a store from before
// keys) keep their plain SHA-256 hashes. Meta also records the key's ID (a hash of the key, never the key) and
// the file it was in, so that a copy of the store (a backup, a restore) finds its key on the same machine.
//
// A key file holds the key as 64 hexadecimal digits and a newline. ceedesk uses a key file only if it is a
// regular file (never a symbolic link), owned by the user running ceedesk (or root), and neither readable nor
// writable by anyone else; it creates one with mode 0600 and O_EXCL, and never over an existing file.

var (
	mAuditKeyedFrom = []byte("audit_keyed_from")
	mAuditKeyID     = []byte("audit_key_id")
	mAuditKeyPath   = []byte("audit_key_path")
)

const (
	auditKeySize     = 32
	auditKeyFileSize = 2*auditKeySize + 1
)

// auditKey is a chain key read from its file.
type auditKey struct {
	key  []byte
	id   string
	path string // absolute
}

// auditKeyID names a key without revealing it: the first 16 hex digits of a SHA-256 of it.
func auditKeyID(key []byte) string {
	h := sha256.New()
	h.Write([]byte("ceedesk-audit-key-id\n"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// readAuditKey reads a key file, refusing one that is a link, not a regular file, someone else's, open to others,
// or not a key.
func readAuditKey(path string) (*auditKey, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	li, err := os.Lstat(abs)
	if err != nil {
		return nil, err
	}
	if li.Mode()&fs.ModeSymlink != 0 {
		return nil, fmt.Errorf("%s is a symbolic link; name the key file itself (ceedesk does not follow links to its key)", abs)
	}
	if !li.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", abs)
	}
	f, err := os.OpenFile(abs, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(li, fi) {
		return nil, fmt.Errorf("%s was replaced while ceedesk read it", abs)
	}
	if err := keyFileIsPrivate(abs, fi); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, auditKeyFileSize+1))
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSuffix(string(b), "\n"))
	if err != nil || len(key) != auditKeySize {
		return nil, fmt.Errorf("%s is not an audit key: want %d hexadecimal digits and a newline", abs, 2*auditKeySize)
	}
	return &auditKey{key: key, id: auditKeyID(key), path: abs}, nil
}

// createAuditKey makes a new key file at path, or reads the one another process made there first. The key is
// written to a new temporary file (O_EXCL, mode 0600) beside it, synced, and linked into place, which fails
// rather than replace anything at path; so a reader never sees half a key.
func createAuditKey(path string) (*auditKey, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	key := make([]byte, auditKeySize)
	rand.Read(key)
	tmp, err := os.CreateTemp(dir, ".audit-key-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), abs); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readAuditKey(abs)
		}
		return nil, err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return &auditKey{key: key, id: auditKeyID(key), path: abs}, nil
}

// chainKey is what an open store knows about its chain's key: for a keyed chain the key, or why the store has
// none; for a chain not keyed yet, where its key is read or made on the first event of the keyed chain (and the
// key once it is).
type chainKey struct {
	mu   sync.Mutex
	key  *auditKey
	path string // for a chain not keyed yet; "" for a keyed one
	err  error  // why a keyed chain has no key (a store opened read-only without it)
}

// current is the key the store holds, nil when it has none yet.
func (ck *chainKey) current() *auditKey {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	return ck.key
}

// forNewChain is the key a chain not keyed yet is keyed with: read from ck.path, or made there.
func (ck *chainKey) forNewChain() (*auditKey, error) {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	if ck.key != nil {
		return ck.key, nil
	}
	k, err := readAuditKey(ck.path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err = createAuditKey(ck.path)
	}
	if err != nil {
		return nil, err
	}
	ck.key = k
	return k, nil
}

// openChainKey runs when Open has initialised the store. For a keyed chain it finds the key (opt.AuditKey when
// set, else the file the store recorded, else opt.AuditKeyDefault) and checks by its ID that it is the chain's
// key; opened read-write without it, the store is refused; read-only, it opens and VerifyAudit says why it cannot
// check the keyed events. A chain not keyed yet, opened read-write with a key path, is keyed from its next event:
// the key file is read then, or made when there is none, and meta records the event, the key's ID and the file
// in the transaction that appends it. A key file already there is checked now, so that an unusable one is refused
// when the store opens rather than at its first change.
func (s *Store) openChainKey(opt Options) error {
	var from uint64
	var id, recorded string
	err := s.view(func(tx kvTx) error {
		meta := tx.Bucket(bMeta)
		from = metaUint(tx, mAuditKeyedFrom)
		id, recorded = string(meta.Get(mAuditKeyID)), string(meta.Get(mAuditKeyPath))
		return nil
	})
	if err != nil {
		return err
	}
	if from != 0 {
		k, err := findChainKey(opt, id, recorded)
		if err != nil {
			err = fmt.Errorf("store %s: its audit chain is keyed from event %d with key %s, but %v; copy the key there, or name its file with audit_key in the config (or --audit-key FILE)", s.path, from, id, err)
			if !s.readOnly {
				return err
			}
		}
		s.chain = &chainKey{key: k, err: err}
		return nil
	}
	path := opt.AuditKey
	if path == "" {
		path = opt.AuditKeyDefault
	}
	if s.readOnly || path == "" {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("store %s: audit key %s: %w", s.path, path, err)
	}
	ck := &chainKey{path: abs}
	if k, err := readAuditKey(abs); err == nil {
		ck.key = k
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store %s: audit key: %w", s.path, err)
	}
	s.chain = ck
	return nil
}

// keyChain keys a chain that is not keyed yet from event seq, inside the transaction that appends it.
func keyChain(tx kvTx, ck *chainKey, seq uint64) error {
	k, err := ck.forNewChain()
	if err != nil {
		return fmt.Errorf("audit log: the key for the chain: %w; nothing was written", err)
	}
	meta := tx.Bucket(bMeta)
	if err := meta.Put(mAuditKeyedFrom, be64(seq)); err != nil {
		return err
	}
	if err := meta.Put(mAuditKeyID, []byte(k.id)); err != nil {
		return err
	}
	return meta.Put(mAuditKeyPath, []byte(k.path))
}

// findChainKey looks for the key with the given ID: only in opt.AuditKey when the caller named a file, else in
// the file the store recorded, then in opt.AuditKeyDefault. Its error says where it looked and what it found.
func findChainKey(opt Options, id, recorded string) (*auditKey, error) {
	var places []string
	if opt.AuditKey != "" {
		places = []string{opt.AuditKey}
	} else {
		places = []string{recorded}
		if def, err := filepath.Abs(opt.AuditKeyDefault); opt.AuditKeyDefault != "" && err == nil && def != recorded {
			places = append(places, def)
		}
	}
	var why []string
	for _, p := range places {
		if p == "" {
			continue
		}
		k, err := readAuditKey(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			why = append(why, fmt.Sprintf("it is not at %s (no such file)", p))
		case err != nil:
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = fmt.Errorf("%s: %v", p, pe.Err)
			}
			why = append(why, fmt.Sprintf("%v", err))
		case k.id != id:
			why = append(why, fmt.Sprintf("%s holds another key (%s)", k.path, k.id))
		default:
			return k, nil
		}
	}
	if len(why) == 0 {
		return nil, errors.New("the store does not say where its key is")
	}
	return nil, errors.New(strings.Join(why, ", and "))
}
