package store

import (
	"context"
	"io"
)

// The store is written once, over a small ordered key-value engine: nested buckets of ordered keys, a read view
// that stays consistent for its whole transaction, and a read-write transaction that commits atomically or not at
// all, one at a time. bbolt (engine_bolt.go) is the embedded engine; etcd (engine_etcd.go) the engine of a Center
// that runs on more than one machine. Nothing outside these files knows which engine a store is on.

// kvTx is one transaction of an engine: read-only (view) or read-write (update). A bucket that does not exist is
// nil (an untyped nil interface), as bbolt's is.
type kvTx interface {
	Bucket(name []byte) kvBucket
	CreateBucket(name []byte) (kvBucket, error)
	CreateBucketIfNotExists(name []byte) (kvBucket, error)
	DeleteBucket(name []byte) error
	// ForEach calls fn for each top-level bucket, in name order.
	ForEach(fn func(name []byte, b kvBucket) error) error
}

// kvBucket is an ordered set of keys, each with a value or a nested bucket. Values it returns are valid only in
// the transaction, and must not be changed.
type kvBucket interface {
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	Cursor() kvCursor
	// ForEach calls fn for each key in order; a nested bucket has a nil value.
	ForEach(fn func(k, v []byte) error) error
	// ForEachBucket calls fn for each nested bucket's name, in order.
	ForEachBucket(fn func(name []byte) error) error
	Bucket(name []byte) kvBucket
	CreateBucket(name []byte) (kvBucket, error)
	CreateBucketIfNotExists(name []byte) (kvBucket, error)
	DeleteBucket(name []byte) error
	// KeyN counts the keys (nested buckets included).
	KeyN() int
	// SetFillPercent is a hint for bulk writes in key order (bbolt packs its pages fuller); engines may ignore it.
	SetFillPercent(f float64)
}

// kvCursor walks a bucket's keys in order. A nested bucket's key comes with a nil value. Each move returns a nil
// key past either end.
type kvCursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	Next() (k, v []byte)
	Prev() (k, v []byte)
	Seek(seek []byte) (k, v []byte)
	Delete() error
}

// engine is where a store's buckets live.
type engine interface {
	view(fn func(tx kvTx) error) error
	update(fn func(tx kvTx) error) error
	close() error
	// name says which engine and where, for messages: the file, or the etcd endpoints and prefix.
	name() string
	// check runs the engine's own consistency check of its pages or keys, reporting each problem.
	check(report func(format string, a ...any) bool) error
	// backup writes a consistent copy of the whole store to w as a bbolt file, which Open reads.
	backup(w io.Writer) (int64, error)
	// bulk switches the engine to its fastest unsafe-on-crash mode for a bulk load (on), and back (off), after
	// which everything written is durable.
	bulk(on bool) error
	// limits are what one read-write transaction may hold; 0 is no limit.
	limits() kvLimits
}

// kvLimits bound one read-write transaction of an engine.
type kvLimits struct {
	Ops   int // keys written or deleted
	Bytes int // keys and values written
}

// watcher is an engine that several processes share (etcd): a store on it learns of every commit, its own and
// other processes', through watch, and takes no single-process lock.
type watcher interface {
	// watch calls fn, in commit order, with the key and value of every key put into the top-level bucket named
	// (not into buckets nested in it), from now on, by any process. It returns when ctx ends (nil) or when the
	// watch cannot go on (the error says why); a store then reopens it.
	watch(ctx context.Context, bucket []byte, fn func(key, value []byte)) error
}
