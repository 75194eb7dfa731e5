package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

// backup writes the whole store, as of one revision, as an ordinary bbolt file: it copies every bucket into a
// temporary bbolt file, in batches, then streams that file to w. Open reads the copy as any store file.
func (e *etcdEngine) backup(w io.Writer) (int64, error) {
	f, err := os.CreateTemp("", "ceedesk-etcd-backup-*.db")
	if err != nil {
		return 0, fmt.Errorf("a temporary file for the copy: %w", err)
	}
	path := f.Name()
	f.Close()
	defer os.Remove(path)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true, FreelistType: bolt.FreelistMapType})
	if err != nil {
		return 0, fmt.Errorf("the temporary copy %s: %w", path, err)
	}
	defer db.Close()
	err = e.view(func(tx kvTx) error {
		tx.(*etcdTx).mod = -1 // a copy of everything: past the cache
		return copyBuckets(tx, func(fn func(dst kvTx) error) error {
			return db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
		})
	})
	if err != nil {
		return 0, err
	}
	if err := db.Sync(); err != nil {
		return 0, err
	}
	var n int64
	err = db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// copyBuckets copies every bucket of src, nested ones too, with their keys in order, into the transactions batch
// runs, each of bounded size.
func copyBuckets(src kvTx, batch func(fn func(dst kvTx) error) error) error {
	const maxOps, maxBytes = 20000, 8 << 20
	type op struct {
		path     [][]byte // the bucket it is in; nil: the top level
		key, val []byte   // val nil: key is a bucket to create
	}
	var pending []op
	size := 0
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		err := batch(func(dst kvTx) error {
			var cur kvBucket
			var curPath string
			for _, o := range pending {
				p := string(bytes.Join(o.path, []byte{0}))
				if len(o.path) > 0 && (cur == nil || p != curPath) {
					cur = dst.Bucket(o.path[0])
					for _, n := range o.path[1:] {
						if cur == nil {
							break
						}
						cur = cur.Bucket(n)
					}
					if cur == nil {
						return fmt.Errorf("copy: bucket %q is missing in the copy", o.path)
					}
					cur.SetFillPercent(1.0)
					curPath = p
				}
				var err error
				switch {
				case len(o.path) == 0:
					_, err = dst.CreateBucket(o.key)
				case o.val == nil:
					_, err = cur.CreateBucket(o.key)
				default:
					err = cur.Put(o.key, o.val)
				}
				if err != nil {
					return fmt.Errorf("copy: bucket %q key %q: %w", o.path, o.key, err)
				}
			}
			return nil
		})
		pending, size = pending[:0], 0
		return err
	}
	add := func(o op) error {
		pending = append(pending, o)
		size += len(o.key) + len(o.val) + 16
		if len(pending) >= maxOps || size >= maxBytes {
			return flush()
		}
		return nil
	}
	var walk func(b kvBucket, path [][]byte) error
	walk = func(b kvBucket, path [][]byte) error {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v != nil {
				if err := add(op{path: path, key: bytes.Clone(k), val: bytes.Clone(v)}); err != nil {
					return err
				}
				continue
			}
			nb := b.Bucket(k)
			if nb == nil {
				continue
			}
			if err := add(op{path: path, key: bytes.Clone(k)}); err != nil {
				return err
			}
			if err := walk(nb, append(path[:len(path):len(path)], bytes.Clone(k))); err != nil {
				return err
			}
		}
		return nil
	}
	err := src.ForEach(func(name []byte, b kvBucket) error {
		if err := add(op{key: bytes.Clone(name)}); err != nil {
			return err
		}
		return walk(b, [][]byte{bytes.Clone(name)})
	})
	if err != nil {
		return err
	}
	return flush()
}

// check reads every key under the prefix, at one revision, and reports each that is not the engine's: a key that
// does not decode, a key outside any bucket, the keys of a bucket without its marker, a key and a bucket of one
// name, a marker whose count of nested buckets is wrong.
func (e *etcdEngine) check(report func(format string, a ...any) bool) error {
	return e.view(func(tx kvTx) error {
		t := tx.(*etcdTx)
		t.mod = -1 // what is under the prefix now, whoever wrote it
		type open struct {
			c         []byte
			path      string
			want, got uint64
			lastValue []byte // the last key's name seen directly in it
		}
		root := &open{c: e.prefix, path: ""}
		stack := []*open{root}
		ok := true
		closeTop := func() {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if b.want != b.got && ok {
				ok = report("etcd: bucket %s: its marker counts %d nested buckets, it holds %d", b.path, b.want, b.got)
			}
		}
		m := mergedView{t: t, lo: e.prefix, hi: prefixEnd(e.prefix)}
		for kv := m.snapGE(e.prefix); kv != nil && ok; {
			k := kv.Key
			next := append(bytes.Clone(k), 0)
			if bytes.Equal(k, e.counter) {
				kv = m.snapGE(next)
				continue
			}
			for len(stack) > 1 && !bytes.HasPrefix(k, stack[len(stack)-1].c) {
				closeTop()
			}
			parent := stack[len(stack)-1]
			name, rest, good := decodeName(k[len(parent.c):])
			switch {
			case !good || len(rest) == 0 || (rest[0] == tValue || rest[0] == tBucket) && len(rest) != 1:
				ok = report("etcd: key %q under prefix %s is not a key of a ceedesk store", k[len(e.prefix):], e.prefix)
			case rest[0] == tValue:
				if parent == root {
					ok = report("etcd: key %q under prefix %s is outside any bucket", name, e.prefix)
				}
				parent.lastValue = name
			case rest[0] == tBucket:
				if parent.lastValue != nil && bytes.Equal(parent.lastValue, name) {
					ok = report("etcd: bucket %s holds both a key and a bucket named %q", parent.path, name)
				}
				want, good := markerCount(kv.Value)
				if !good {
					ok = report("etcd: bucket %s%q: its marker does not read (%q)", parent.path+"/", name, kv.Value)
				}
				parent.got++
				stack = append(stack, &open{c: entryKey(parent.c, name, tInside), path: parent.path + "/" + fmt.Sprintf("%q", name), want: want})
			case rest[0] == tInside:
				ok = report("etcd: bucket %s/%q has keys but no marker", parent.path, name)
				next = entryKey(parent.c, name, tAfter)
			default:
				ok = report("etcd: key %q under prefix %s is not a key of a ceedesk store", k[len(e.prefix):], e.prefix)
			}
			kv = m.snapGE(next)
		}
		for len(stack) > 1 {
			closeTop()
		}
		return nil
	})
}
