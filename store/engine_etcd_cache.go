package store

import (
	"sync"

	"go.etcd.io/etcd/api/v3/mvccpb"
)

// etcdCache keeps what transactions read, for the transactions that begin while the store's transaction counter
// is where it was: every commit of the store moves the counter, so until it moves again each key, range and count
// under the prefix is what it was, whatever the cluster's revision (other prefixes move that). Reads of the same
// queue page, case or user between two commits cost the cluster one request (the transaction's start) instead of
// one per read. It assumes, as the whole engine does, that only ceedesk writes under the prefix.
type etcdCache struct {
	mu     sync.Mutex
	mod    int64 // the counter's mod revision the entries hold for
	size   int
	points map[string]cachedValue
	ranges map[etcdRangeKey]etcdRange
	counts map[[2]string]int
}

type etcdRangeKey struct {
	start, end string
	limit      int64
	desc       bool
}

type etcdRange struct {
	kvs  []*mvccpb.KeyValue
	more bool
}

const etcdCacheMax = 64 << 20 // bytes of keys and values held, at most

// at says whether entries for mod may be read or added, dropping the entries of an older mod.
func (c *etcdCache) at(mod int64) bool {
	if mod > c.mod || c.points == nil {
		c.mod, c.size = mod, 0
		c.points, c.ranges, c.counts = map[string]cachedValue{}, map[etcdRangeKey]etcdRange{}, map[[2]string]int{}
	}
	return mod == c.mod
}

func (c *etcdCache) room(n int) bool {
	if c.size+n > etcdCacheMax {
		c.points, c.ranges, c.counts, c.size = map[string]cachedValue{}, map[etcdRangeKey]etcdRange{}, map[[2]string]int{}, 0
	}
	c.size += n
	return true
}

func (c *etcdCache) point(mod int64, k string) (cachedValue, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at(mod) {
		return cachedValue{}, false
	}
	v, ok := c.points[k]
	return v, ok
}

func (c *etcdCache) setPoint(mod int64, k string, v cachedValue) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(mod) && c.room(len(k)+len(v.v)+64) {
		c.points[k] = v
	}
}

func (c *etcdCache) rng(mod int64, k etcdRangeKey) (etcdRange, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at(mod) {
		return etcdRange{}, false
	}
	r, ok := c.ranges[k]
	return r, ok
}

func (c *etcdCache) setRange(mod int64, k etcdRangeKey, r etcdRange) {
	n := len(k.start) + len(k.end) + 64
	for _, kv := range r.kvs {
		n += len(kv.Key) + len(kv.Value) + 64
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(mod) && c.room(n) {
		c.ranges[k] = r
	}
}

func (c *etcdCache) count(mod int64, k [2]string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at(mod) {
		return 0, false
	}
	n, ok := c.counts[k]
	return n, ok
}

func (c *etcdCache) setCount(mod int64, k [2]string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at(mod) && c.room(len(k[0])+len(k[1])+64) {
		c.counts[k] = n
	}
}

// committed carries the entries over a commit of t that moved the counter from mod to newMod: the commit held,
// so nothing else was committed in between, and what changed is exactly what t wrote. Ranges and counts over a
// key t wrote are dropped; the keys t wrote take their new values.
func (c *etcdCache) committed(mod, newMod int64, t *etcdTx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.points == nil || c.mod != mod || newMod <= mod {
		return
	}
	touched := func(lo, hi string) bool { return t.ov.any(lo, hi) || t.dels.intersects(lo, hi) }
	for k := range c.ranges {
		if touched(k.start, k.end) {
			delete(c.ranges, k)
		}
	}
	for k := range c.counts {
		if touched(k[0], k[1]) {
			delete(c.counts, k)
		}
	}
	if len(t.dels) > 0 {
		for k := range c.points {
			if t.dels.contains([]byte(k)) {
				delete(c.points, k)
			}
		}
	}
	for n := t.ov.first(); n != nil; n = n.next[0] {
		if n.e.tomb {
			c.points[n.key] = cachedValue{}
		} else {
			c.points[n.key] = cachedValue{n.e.val, true}
		}
		c.size += len(n.key) + len(n.e.val) + 64
	}
	c.mod = newMod
	if c.size > etcdCacheMax {
		c.points, c.ranges, c.counts, c.size = map[string]cachedValue{}, map[etcdRangeKey]etcdRange{}, map[[2]string]int{}, 0
	}
}
