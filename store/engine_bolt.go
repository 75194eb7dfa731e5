package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// ErrLocked is the error Open wraps when another process holds the store file.
var ErrLocked = bolt.ErrTimeout

// boltEngine is the embedded engine: one bbolt file, one process.
type boltEngine struct {
	db   *bolt.DB
	path string

	saved struct { // the settings bulk(true) replaced
		noSync, noGrowSync bool
		allocSize          int
	}
}

func openBolt(path string, opt Options) (*boltEngine, error) {
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
	return &boltEngine{db: db, path: path}, nil
}

func (e *boltEngine) view(fn func(tx kvTx) error) error {
	return e.db.View(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

func (e *boltEngine) update(fn func(tx kvTx) error) error {
	return e.db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

func (e *boltEngine) close() error { return e.db.Close() }
func (e *boltEngine) name() string { return e.path }

func (e *boltEngine) check(report func(format string, a ...any) bool) error {
	return e.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() { // drain fully: the checker goroutine writes every error
			report("bbolt: %v", err)
		}
		return nil
	})
}

func (e *boltEngine) backup(w io.Writer) (int64, error) {
	var n int64
	err := e.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// bulk turns off fsync for a bulk load, and grows the file in large steps; off syncs what was written.
func (e *boltEngine) bulk(on bool) error {
	if on {
		e.saved.noSync, e.saved.noGrowSync, e.saved.allocSize = e.db.NoSync, e.db.NoGrowSync, e.db.AllocSize
		e.db.NoSync, e.db.NoGrowSync, e.db.AllocSize = true, true, 256<<20
		return nil
	}
	e.db.NoSync, e.db.NoGrowSync, e.db.AllocSize = e.saved.noSync, e.saved.noGrowSync, e.saved.allocSize
	return e.db.Sync()
}

func (e *boltEngine) limits() kvLimits { return kvLimits{} }

type boltTx struct{ tx *bolt.Tx }

func wrapBucket(b *bolt.Bucket) kvBucket {
	if b == nil {
		return nil
	}
	return boltBucket{b}
}

func (t boltTx) Bucket(name []byte) kvBucket { return wrapBucket(t.tx.Bucket(name)) }
func (t boltTx) CreateBucket(name []byte) (kvBucket, error) {
	b, err := t.tx.CreateBucket(name)
	return wrapBucket(b), err
}
func (t boltTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	b, err := t.tx.CreateBucketIfNotExists(name)
	return wrapBucket(b), err
}
func (t boltTx) DeleteBucket(name []byte) error { return t.tx.DeleteBucket(name) }
func (t boltTx) ForEach(fn func(name []byte, b kvBucket) error) error {
	return t.tx.ForEach(func(name []byte, b *bolt.Bucket) error { return fn(name, boltBucket{b}) })
}

type boltBucket struct{ b *bolt.Bucket }

func (b boltBucket) Get(k []byte) []byte                      { return b.b.Get(k) }
func (b boltBucket) Put(k, v []byte) error                    { return b.b.Put(k, v) }
func (b boltBucket) Delete(k []byte) error                    { return b.b.Delete(k) }
func (b boltBucket) Cursor() kvCursor                         { return b.b.Cursor() }
func (b boltBucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }
func (b boltBucket) ForEachBucket(fn func(name []byte) error) error {
	return b.b.ForEachBucket(fn)
}
func (b boltBucket) Bucket(name []byte) kvBucket { return wrapBucket(b.b.Bucket(name)) }
func (b boltBucket) CreateBucket(name []byte) (kvBucket, error) {
	n, err := b.b.CreateBucket(name)
	return wrapBucket(n), err
}
func (b boltBucket) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	n, err := b.b.CreateBucketIfNotExists(name)
	return wrapBucket(n), err
}
func (b boltBucket) DeleteBucket(name []byte) error { return b.b.DeleteBucket(name) }
func (b boltBucket) KeyN() int                      { return b.b.Stats().KeyN }
func (b boltBucket) SetFillPercent(f float64)       { b.b.FillPercent = f }

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
