package store

import (
	"bytes"
	"fmt"
)

// Bulk work (re-indexing every case, seeding) writes far more keys than one transaction of a distributed engine
// takes (etcd: --max-txn-ops, --max-request-bytes). updateLarge runs such work as one transaction where the engine
// allows it (bbolt), and elsewhere as a spill: the work runs against a read view, its writes are logged in order,
// and the log is applied in transactions each within the engine's limits, with meta's index_dirty set first, so
// that a store whose bulk work was cut off re-indexes itself when it is next opened.
//
// Work run through updateLarge reads the store as it was before the work began (a spilled transaction does not
// read back its own writes, except exact Gets); re-indexing and seeding are written so.

// spillOp is one logged write: on the bucket at path, put key=value, delete key, create the bucket named key
// (if it does not exist) or delete the bucket named key.
type spillOp struct {
	path  [][]byte
	kind  byte // 'p' put, 'd' delete, 'c' create bucket, 'x' delete bucket
	key   []byte
	value []byte
}

type spillLog struct{ ops []spillOp }

// spillTx is a kvTx whose reads go to a read view and whose writes go to a log.
type spillTx struct {
	base kvTx
	log  *spillLog
	gone map[string]bool // top-level buckets deleted or created afresh: their old content is not read
	tops map[string]*spillBucket
}

func newSpillTx(base kvTx, log *spillLog) *spillTx {
	return &spillTx{base: base, log: log, gone: map[string]bool{}, tops: map[string]*spillBucket{}}
}

func (t *spillTx) Bucket(name []byte) kvBucket {
	if b, ok := t.tops[string(name)]; ok {
		return b
	}
	if t.gone[string(name)] {
		return nil
	}
	base := t.base.Bucket(name)
	if base == nil {
		return nil
	}
	b := &spillBucket{t: t, path: [][]byte{clone(name)}, base: base, puts: map[string][]byte{}, subs: map[string]*spillBucket{}}
	t.tops[string(name)] = b
	return b
}

func (t *spillTx) CreateBucket(name []byte) (kvBucket, error) {
	if t.Bucket(name) != nil {
		return nil, fmt.Errorf("bucket %q exists", name)
	}
	return t.CreateBucketIfNotExists(name)
}

func (t *spillTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	if b := t.Bucket(name); b != nil {
		return b, nil
	}
	t.log.ops = append(t.log.ops, spillOp{kind: 'c', key: clone(name)})
	b := &spillBucket{t: t, path: [][]byte{clone(name)}, puts: map[string][]byte{}, subs: map[string]*spillBucket{}}
	t.tops[string(name)] = b
	return b, nil
}

func (t *spillTx) DeleteBucket(name []byte) error {
	if t.Bucket(name) == nil {
		return fmt.Errorf("bucket %q not found", name)
	}
	t.log.ops = append(t.log.ops, spillOp{kind: 'x', key: clone(name)})
	delete(t.tops, string(name))
	t.gone[string(name)] = true
	return nil
}

func (t *spillTx) ForEach(fn func(name []byte, b kvBucket) error) error {
	return t.base.ForEach(func(name []byte, _ kvBucket) error {
		if b := t.Bucket(name); b != nil {
			return fn(name, b)
		}
		return nil
	})
}

// spillBucket is a bucket of a spillTx: base is its content before the work (nil for one created by it).
type spillBucket struct {
	t    *spillTx
	path [][]byte
	base kvBucket
	puts map[string][]byte // exact Gets read back the work's own puts (nil value: deleted)
	subs map[string]*spillBucket
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func (b *spillBucket) log(kind byte, key, value []byte) {
	b.t.log.ops = append(b.t.log.ops, spillOp{path: b.path, kind: kind, key: clone(key), value: clone(value)})
}

func (b *spillBucket) Get(k []byte) []byte {
	if v, ok := b.puts[string(k)]; ok {
		return v
	}
	if b.base == nil {
		return nil
	}
	return b.base.Get(k)
}

func (b *spillBucket) Put(k, v []byte) error {
	b.puts[string(k)] = clone(v)
	b.log('p', k, v)
	return nil
}

func (b *spillBucket) Delete(k []byte) error {
	b.puts[string(k)] = nil
	b.log('d', k, nil)
	return nil
}

func (b *spillBucket) Cursor() kvCursor {
	if b.base == nil {
		return emptyCursor{}
	}
	return b.base.Cursor()
}

func (b *spillBucket) ForEach(fn func(k, v []byte) error) error {
	if b.base == nil {
		return nil
	}
	return b.base.ForEach(fn)
}

func (b *spillBucket) ForEachBucket(fn func(name []byte) error) error {
	if b.base == nil {
		return nil
	}
	return b.base.ForEachBucket(fn)
}

func (b *spillBucket) Bucket(name []byte) kvBucket {
	if s, ok := b.subs[string(name)]; ok {
		return s
	}
	if b.base == nil {
		return nil
	}
	base := b.base.Bucket(name)
	if base == nil {
		return nil
	}
	s := &spillBucket{t: b.t, path: append(append([][]byte{}, b.path...), clone(name)), base: base, puts: map[string][]byte{}, subs: map[string]*spillBucket{}}
	b.subs[string(name)] = s
	return s
}

func (b *spillBucket) CreateBucket(name []byte) (kvBucket, error) {
	if b.Bucket(name) != nil {
		return nil, fmt.Errorf("bucket %q exists", name)
	}
	return b.CreateBucketIfNotExists(name)
}

func (b *spillBucket) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	if s := b.Bucket(name); s != nil {
		return s, nil
	}
	b.log('c', name, nil)
	s := &spillBucket{t: b.t, path: append(append([][]byte{}, b.path...), clone(name)), puts: map[string][]byte{}, subs: map[string]*spillBucket{}}
	b.subs[string(name)] = s
	return s, nil
}

func (b *spillBucket) DeleteBucket(name []byte) error {
	b.log('x', name, nil)
	b.subs[string(name)] = nil
	delete(b.subs, string(name))
	return nil
}

func (b *spillBucket) KeyN() int {
	if b.base == nil {
		return 0
	}
	return b.base.KeyN()
}

func (b *spillBucket) SetFillPercent(float64) {}

type emptyCursor struct{}

func (emptyCursor) First() ([]byte, []byte)      { return nil, nil }
func (emptyCursor) Last() ([]byte, []byte)       { return nil, nil }
func (emptyCursor) Next() ([]byte, []byte)       { return nil, nil }
func (emptyCursor) Prev() ([]byte, []byte)       { return nil, nil }
func (emptyCursor) Seek([]byte) ([]byte, []byte) { return nil, nil }
func (emptyCursor) Delete() error                { return fmt.Errorf("no key at the cursor") }

// updateLarge runs fn, work too large for one transaction of some engines, as described above. On bbolt it is
// update: one transaction.
func (s *Store) updateLarge(fn func(tx kvTx) error) error {
	lim := s.eng.limits()
	if lim.Ops == 0 && lim.Bytes == 0 {
		return s.boltUpdate(fn)
	}
	var log spillLog
	if err := s.view(func(tx kvTx) error { return fn(newSpillTx(tx, &log)) }); err != nil {
		return err
	}
	if err := s.boltUpdate(func(tx kvTx) error { return tx.Bucket(bMeta).Put(mDirty, []byte{1}) }); err != nil {
		return err
	}
	return s.applySpill(log.ops, lim)
}

// applySpill applies logged writes in order, in transactions within lim (a little under it, for the engine's own
// keys).
func (s *Store) applySpill(ops []spillOp, lim kvLimits) error {
	// an engine may write more than one key for a bucket made or removed (its marker, the range of its keys):
	// those count as several, and a quarter of the limit is left for the engine's own keys
	maxOps, maxBytes := lim.Ops*3/4, lim.Bytes*3/4
	weight := map[byte]int{'p': 1, 'd': 1, 'c': 4, 'x': 4}
	for len(ops) > 0 {
		n, size, count := 0, 0, 0
		for n < len(ops) {
			sz := len(ops[n].key) + len(ops[n].value) + 16*len(ops[n].path) + 32
			w := weight[ops[n].kind]
			if n > 0 && (maxOps > 0 && count+w > maxOps || maxBytes > 0 && size+sz > maxBytes) {
				break
			}
			size += sz
			count += w
			n++
		}
		chunk := ops[:n]
		err := s.boltUpdate(func(tx kvTx) error {
			for _, op := range chunk {
				if err := applyOp(tx, op); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("bulk write stopped with %d writes to go (the store re-indexes itself when next opened): %w", len(ops), err)
		}
		ops = ops[n:]
	}
	return nil
}

func applyOp(tx kvTx, op spillOp) error {
	if len(op.path) == 0 {
		switch op.kind {
		case 'c':
			_, err := tx.CreateBucketIfNotExists(op.key)
			return err
		case 'x':
			if tx.Bucket(op.key) == nil {
				return nil
			}
			return tx.DeleteBucket(op.key)
		}
		return fmt.Errorf("a %c of a key outside any bucket", op.kind)
	}
	b := tx.Bucket(op.path[0])
	for _, p := range op.path[1:] {
		if b == nil {
			break
		}
		b = b.Bucket(p)
	}
	if b == nil {
		return fmt.Errorf("bucket %q is missing", bytes.Join(op.path, []byte("/")))
	}
	switch op.kind {
	case 'p':
		return b.Put(op.key, op.value)
	case 'd':
		return b.Delete(op.key)
	case 'c':
		_, err := b.CreateBucketIfNotExists(op.key)
		return err
	case 'x':
		if b.Bucket(op.key) == nil {
			return nil
		}
		return b.DeleteBucket(op.key)
	}
	return fmt.Errorf("unknown bulk write %c", op.kind)
}
