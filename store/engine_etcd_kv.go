package store

import (
	"bytes"
	"encoding/binary"
	"sort"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/api/v3/mvccpb"
)

// The etcd engine's buckets, as keys under the store's prefix P. Each name (of a bucket or of a key) is escaped so
// that it sorts as the name does and no name's code is the start of another's: every 0x00 byte becomes 00 FF and
// the name ends in 00 01. After a name comes one byte that says what the name is in its bucket:
//
//	C name 01          a key, whose value is the etcd value
//	C name 02          a nested bucket (its value counts the buckets nested in it, so that a Put knows when it must
//	                   make sure it is not writing over one)
//	C name 03 ...      what the nested bucket holds: its own C is C name 03
//
// where C is the prefix of the bucket that holds the name: P for the top-level buckets. So a bucket's keys and
// nested buckets are one contiguous range of etcd keys, in the byte order bbolt keeps, each nested bucket followed
// by what it holds; a key and a bucket of the same name are adjacent, so one of them is found where the other would
// be; and deleting a bucket is one range. The store's transaction counter is P 00 02 "txn", which no name's code
// starts with.

const (
	tValue  = 0x01
	tBucket = 0x02
	tInside = 0x03
	tAfter  = 0x04 // the first byte past everything a name holds
)

// appendName appends the escaped code of name.
func appendName(dst, name []byte) []byte {
	for _, b := range name {
		if b == 0 {
			dst = append(dst, 0, 0xff)
		} else {
			dst = append(dst, b)
		}
	}
	return append(dst, 0, 1)
}

// decodeName reads one escaped name from the start of src, returning it and what follows.
func decodeName(src []byte) (name, rest []byte, ok bool) {
	name = []byte{}
	for i := 0; i < len(src); i++ {
		if src[i] != 0 {
			name = append(name, src[i])
			continue
		}
		if i+1 == len(src) {
			return nil, nil, false
		}
		switch src[i+1] {
		case 0xff:
			name = append(name, 0)
			i++
		case 0x01:
			return name, src[i+2:], true
		default:
			return nil, nil, false
		}
	}
	return nil, nil, false
}

// entryKey is C name typ.
func entryKey(c, name []byte, typ byte) []byte {
	k := make([]byte, 0, len(c)+len(name)+4)
	return append(appendName(append(k, c...), name), typ)
}

// prefixEnd is the first key past every key that starts with p (nil: none is).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// markerValue is a bucket's marker: 'B' and the number of buckets nested in it.
func markerValue(nested uint64) []byte { return binary.AppendUvarint([]byte{'B'}, nested) }

func markerCount(v []byte) (uint64, bool) {
	if len(v) < 2 || v[0] != 'B' {
		return 0, false
	}
	n, m := binary.Uvarint(v[1:])
	if m != len(v)-1 {
		return 0, false
	}
	return n, true
}

// etcdTx is one transaction: reads at one revision of the cluster, and (update) the writes it buffers, which its
// own reads see.
type etcdTx struct {
	e        *etcdEngine
	rev      int64
	mod      int64 // the transaction counter's mod revision at rev, for the engine's cache; -1: no cache
	writable bool
	cache    map[string]cachedValue // what point reads at rev found
	ov       overlay                // keys written (or deleted) by this transaction
	dels     spans                  // key ranges deleted by this transaction (buckets), before ov's entries
}

type cachedValue struct {
	v  []byte
	ok bool
}

// get is the value of k as the transaction sees it.
func (t *etcdTx) get(k []byte) ([]byte, bool) {
	if n := t.ov.get(string(k)); n != nil {
		if n.e.tomb {
			return nil, false
		}
		return n.e.val, true
	}
	if t.dels.contains(k) {
		return nil, false
	}
	return t.sget(k)
}

func (t *etcdTx) sget(k []byte) ([]byte, bool) {
	if c, ok := t.cache[string(k)]; ok {
		return c.v, c.ok
	}
	v, ok := t.e.readKey(t, k)
	t.cache[string(k)] = cachedValue{v, ok}
	return v, ok
}

func (t *etcdTx) put(k, v []byte) {
	t.ov.set(string(k), ovEntry{val: nonNil(bytes.Clone(v))})
}

func (t *etcdTx) del(k []byte) { t.ov.set(string(k), ovEntry{tomb: true}) }

func (t *etcdTx) delRange(lo, hi []byte) {
	t.ov.removeRange(string(lo), string(hi))
	t.dels.add(string(lo), string(hi))
}

func (t *etcdTx) root() *etcdBucket { return &etcdBucket{t: t, c: t.e.prefix} }

func (t *etcdTx) Bucket(name []byte) kvBucket { return t.root().Bucket(name) }
func (t *etcdTx) CreateBucket(name []byte) (kvBucket, error) {
	return t.root().CreateBucket(name)
}
func (t *etcdTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	return t.root().CreateBucketIfNotExists(name)
}
func (t *etcdTx) DeleteBucket(name []byte) error { return t.root().DeleteBucket(name) }
func (t *etcdTx) ForEach(fn func(name []byte, b kvBucket) error) error {
	r := t.root()
	return r.ForEachBucket(func(name []byte) error { return fn(name, r.Bucket(name)) })
}

// etcdBucket is a bucket whose entries are the keys C name typ; the top-level buckets' is the root, whose C is P
// and which has no marker of its own.
type etcdBucket struct {
	t      *etcdTx
	c      []byte // the prefix of what the bucket holds
	marker []byte // its own marker; nil for the root
}

func (b *etcdBucket) end() []byte { return prefixEnd(b.c) }

// nested is how many buckets are nested in b, by its marker (the root: some).
func (b *etcdBucket) nested() uint64 {
	if b.marker == nil {
		return 1
	}
	v, _ := b.t.get(b.marker)
	n, _ := markerCount(v)
	return n
}

func (b *etcdBucket) setNested(delta int) {
	if b.marker == nil {
		return
	}
	n := int64(b.nested()) + int64(delta)
	if n < 0 {
		n = 0
	}
	b.t.put(b.marker, markerValue(uint64(n)))
}

func (b *etcdBucket) isBucket(name []byte) bool {
	if b.nested() == 0 {
		return false
	}
	_, ok := b.t.get(entryKey(b.c, name, tBucket))
	return ok
}

func (b *etcdBucket) Get(key []byte) []byte {
	if b.marker == nil {
		return nil
	}
	v, ok := b.t.get(entryKey(b.c, key, tValue))
	if !ok {
		return nil
	}
	return v
}

func (b *etcdBucket) Put(key, value []byte) error {
	switch {
	case !b.t.writable:
		return bolt.ErrTxNotWritable
	case len(key) == 0:
		return bolt.ErrKeyRequired
	case len(key) > bolt.MaxKeySize:
		return bolt.ErrKeyTooLarge
	case int64(len(value)) > bolt.MaxValueSize:
		return bolt.ErrValueTooLarge
	case b.marker == nil:
		return bolt.ErrIncompatibleValue // a top-level entry is a bucket
	case b.isBucket(key):
		return bolt.ErrIncompatibleValue
	}
	b.t.put(entryKey(b.c, key, tValue), value)
	return nil
}

func (b *etcdBucket) Delete(key []byte) error {
	switch {
	case !b.t.writable:
		return bolt.ErrTxNotWritable
	case b.marker == nil || b.isBucket(key):
		return bolt.ErrIncompatibleValue
	}
	b.t.del(entryKey(b.c, key, tValue))
	return nil
}

func (b *etcdBucket) Bucket(name []byte) kvBucket {
	if nb := b.bucket(name); nb != nil {
		return nb
	}
	return nil
}

func (b *etcdBucket) bucket(name []byte) *etcdBucket {
	m := entryKey(b.c, name, tBucket)
	if _, ok := b.t.get(m); !ok {
		return nil
	}
	return &etcdBucket{t: b.t, c: entryKey(b.c, name, tInside), marker: m}
}

func (b *etcdBucket) CreateBucket(name []byte) (kvBucket, error) {
	switch {
	case !b.t.writable:
		return nil, bolt.ErrTxNotWritable
	case len(name) == 0:
		return nil, bolt.ErrBucketNameRequired
	case b.bucket(name) != nil:
		return nil, bolt.ErrBucketExists
	case b.marker != nil && b.Get(name) != nil:
		return nil, bolt.ErrIncompatibleValue
	case len(name) > bolt.MaxKeySize:
		return nil, bolt.ErrKeyTooLarge
	}
	m := entryKey(b.c, name, tBucket)
	b.t.put(m, markerValue(0))
	b.setNested(+1)
	return &etcdBucket{t: b.t, c: entryKey(b.c, name, tInside), marker: m}, nil
}

func (b *etcdBucket) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	if !b.t.writable {
		return nil, bolt.ErrTxNotWritable
	}
	if nb := b.bucket(name); nb != nil {
		return nb, nil
	}
	return b.CreateBucket(name)
}

func (b *etcdBucket) DeleteBucket(name []byte) error {
	if !b.t.writable {
		return bolt.ErrTxNotWritable
	}
	if b.bucket(name) == nil {
		if b.marker != nil && b.Get(name) != nil {
			return bolt.ErrIncompatibleValue
		}
		if len(name) == 0 {
			// bbolt seeks "" and, in an empty bucket, finds a nil key equal to it, which is not a bucket
			if k, _ := b.cursor().First(); k == nil {
				return bolt.ErrIncompatibleValue
			}
		}
		return bolt.ErrBucketNotFound
	}
	b.t.delRange(entryKey(b.c, name, tBucket), entryKey(b.c, name, tAfter))
	b.setNested(-1)
	return nil
}

func (b *etcdBucket) Cursor() kvCursor { return b.cursor() }

func (b *etcdBucket) cursor() *etcdCursor {
	return &etcdCursor{b: b, m: mergedView{t: b.t, lo: b.c, hi: b.end()}}
}

func (b *etcdBucket) ForEach(fn func(k, v []byte) error) error {
	c := b.cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (b *etcdBucket) ForEachBucket(fn func(name []byte) error) error {
	c := b.cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if err := fn(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// KeyN counts every key and bucket in b and in the buckets nested in it, as bbolt's Stats().KeyN does.
func (b *etcdBucket) KeyN() int {
	lo, hi := b.c, b.end()
	if !b.t.ov.any(string(lo), string(hi)) && !b.t.dels.intersects(string(lo), string(hi)) {
		return b.t.e.countRange(b.t, lo, hi)
	}
	m := mergedView{t: b.t, lo: lo, hi: hi}
	n := 0
	for k, _, ok := m.firstGE(lo); ok; k, _, ok = m.firstGE(append(bytes.Clone(k), 0)) {
		n++
	}
	return n
}

func (b *etcdBucket) SetFillPercent(float64) {}

// etcdCursor walks a bucket's names in order, as bbolt's cursor does: a move past either end returns nil and
// leaves the cursor where it was; a Seek past the end leaves it past the end, from where Prev is the last name.
type etcdCursor struct {
	b       *etcdBucket
	m       mergedView
	name    []byte // the current name; nil: none (pastEnd says which)
	pastEnd bool
}

// entry interprets the etcd key k of the bucket's range: its name and value (nil for a bucket), or where a walk
// goes on from: forward (past what a nested bucket holds, or past a key that is not the engine's), backward.
func (c *etcdCursor) entry(k []byte) (name []byte, isBucket, ok bool, fwd, back []byte) {
	n, rest, good := decodeName(k[len(c.b.c):])
	if !good || len(rest) == 0 {
		return nil, false, false, append(bytes.Clone(k), 0), k
	}
	switch {
	case rest[0] == tValue && len(rest) == 1:
		return n, false, true, nil, nil
	case rest[0] == tBucket && len(rest) == 1:
		return n, true, true, nil, nil
	case rest[0] == tInside:
		return nil, false, false, entryKey(c.b.c, n, tAfter), entryKey(c.b.c, n, tInside)
	}
	return nil, false, false, append(bytes.Clone(k), 0), k
}

func (c *etcdCursor) forward(x []byte) (k, v []byte, name []byte) {
	for {
		ek, ev, ok := c.m.firstGE(x)
		if !ok {
			return nil, nil, nil
		}
		n, isB, ok, fwd, _ := c.entry(ek)
		if ok {
			if isB {
				return n, nil, n
			}
			return n, ev, n
		}
		x = fwd
	}
}

func (c *etcdCursor) backward(x []byte) (k, v []byte, name []byte) {
	for {
		ek, ev, ok := c.m.lastLT(x)
		if !ok {
			return nil, nil, nil
		}
		n, isB, ok, _, back := c.entry(ek)
		if ok {
			if isB {
				return n, nil, n
			}
			return n, ev, n
		}
		x = back
	}
}

func (c *etcdCursor) land(k, v, name []byte) ([]byte, []byte) {
	if k != nil {
		c.name, c.pastEnd = name, false
	}
	return k, v
}

func (c *etcdCursor) First() ([]byte, []byte) {
	c.name, c.pastEnd = nil, false
	return c.land(c.forward(c.b.c))
}

func (c *etcdCursor) Last() ([]byte, []byte) {
	c.name, c.pastEnd = nil, false
	return c.land(c.backward(c.b.end()))
}

func (c *etcdCursor) Next() ([]byte, []byte) {
	if c.name == nil {
		return nil, nil
	}
	return c.land(c.forward(entryKey(c.b.c, c.name, tAfter)))
}

func (c *etcdCursor) Prev() ([]byte, []byte) {
	if c.name == nil {
		if c.pastEnd {
			return c.Last()
		}
		return nil, nil
	}
	return c.land(c.backward(appendName(bytes.Clone(c.b.c), c.name)))
}

func (c *etcdCursor) Seek(seek []byte) ([]byte, []byte) {
	x := appendName(bytes.Clone(c.b.c), seek)
	k, v, name := c.forward(x)
	if k == nil {
		c.name, c.pastEnd = nil, true
		return nil, nil
	}
	return c.land(k, v, name)
}

func (c *etcdCursor) Delete() error {
	if c.name == nil {
		return nil
	}
	if c.b.isBucket(c.name) {
		return bolt.ErrIncompatibleValue
	}
	return c.b.Delete(c.name)
}

// mergedView is the transaction's view of the etcd keys in [lo, hi): the snapshot, less the ranges deleted, with
// the overlay's writes over it. It reads the snapshot a page at a time, keeping the last page.
type mergedView struct {
	t      *etcdTx
	lo, hi []byte

	win   []*mvccpb.KeyValue // every snapshot key in [wlo, whi), in order (hi is never nil: a prefix is never all FF)
	wlo   []byte
	whi   []byte
	valid bool
	page  int
}

func (m *mergedView) limit() int64 {
	switch {
	case m.page == 0:
		m.page = 128
	case m.page < 4096:
		m.page *= 4
	}
	return int64(m.page)
}

// snapGE is the first snapshot key >= x in the view's range.
func (m *mergedView) snapGE(x []byte) *mvccpb.KeyValue {
	for {
		if bytes.Compare(x, m.hi) >= 0 {
			return nil
		}
		if m.valid && bytes.Compare(m.wlo, x) <= 0 && bytes.Compare(x, m.whi) < 0 {
			i := sort.Search(len(m.win), func(i int) bool { return bytes.Compare(m.win[i].Key, x) >= 0 })
			if i < len(m.win) {
				return m.win[i]
			}
			x = m.whi
			continue
		}
		kvs, more := m.t.e.readRange(m.t, x, m.hi, m.limit(), false)
		m.win, m.wlo, m.whi, m.valid = kvs, bytes.Clone(x), m.hi, true
		if more && len(kvs) > 0 {
			m.whi = append(bytes.Clone(kvs[len(kvs)-1].Key), 0)
		}
	}
}

// snapLT is the last snapshot key < x in the view's range.
func (m *mergedView) snapLT(x []byte) *mvccpb.KeyValue {
	for {
		if bytes.Compare(x, m.lo) <= 0 {
			return nil
		}
		if m.valid && bytes.Compare(m.wlo, x) < 0 && bytes.Compare(x, m.whi) <= 0 {
			i := sort.Search(len(m.win), func(i int) bool { return bytes.Compare(m.win[i].Key, x) >= 0 })
			if i > 0 {
				return m.win[i-1]
			}
			x = m.wlo
			continue
		}
		if bytes.Compare(x, m.hi) > 0 {
			x = m.hi
		}
		kvs, more := m.t.e.readRange(m.t, m.lo, x, m.limit(), true)
		m.win, m.wlo, m.whi, m.valid = kvs, m.lo, bytes.Clone(x), true
		if more && len(kvs) > 0 {
			m.wlo = kvs[0].Key
		}
	}
}

// firstGE is the first key >= x in the view, and its value.
func (m *mergedView) firstGE(x []byte) (k, v []byte, ok bool) {
	t := m.t
	var sk *mvccpb.KeyValue
	for sx := x; ; {
		sk = m.snapGE(sx)
		if sk == nil {
			break
		}
		if sp := t.dels.spanAt(sk.Key); sp != nil {
			sx = []byte(sp.hi)
			continue
		}
		if t.ov.get(string(sk.Key)) != nil {
			sx = append(bytes.Clone(sk.Key), 0)
			continue
		}
		break
	}
	on := t.ov.seekGE(string(x))
	for on != nil && on.e.tomb && on.key < string(m.hi) {
		on = on.next[0]
	}
	if on != nil && on.key >= string(m.hi) {
		on = nil
	}
	switch {
	case on != nil && (sk == nil || on.key < string(sk.Key)):
		return []byte(on.key), on.e.val, true
	case sk != nil:
		return sk.Key, nonNil(sk.Value), true
	}
	return nil, nil, false
}

// lastLT is the last key < x in the view, and its value.
func (m *mergedView) lastLT(x []byte) (k, v []byte, ok bool) {
	t := m.t
	var sk *mvccpb.KeyValue
	for sx := x; ; {
		sk = m.snapLT(sx)
		if sk == nil {
			break
		}
		if sp := t.dels.spanAt(sk.Key); sp != nil {
			sx = []byte(sp.lo)
			continue
		}
		if t.ov.get(string(sk.Key)) != nil {
			sx = sk.Key
			continue
		}
		break
	}
	on := t.ov.seekLT(string(x))
	for on != nil && on.e.tomb && on.key >= string(m.lo) {
		on = t.ov.seekLT(on.key)
	}
	if on != nil && on.key < string(m.lo) {
		on = nil
	}
	switch {
	case on != nil && (sk == nil || on.key > string(sk.Key)):
		return []byte(on.key), on.e.val, true
	case sk != nil:
		return sk.Key, nonNil(sk.Value), true
	}
	return nil, nil, false
}

func nonNil(v []byte) []byte {
	if v == nil {
		return []byte{}
	}
	return v
}
