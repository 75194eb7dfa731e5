package store

import "sort"

// overlay is what an etcd transaction wrote, in key order: a skip list of etcd keys, each with its new value or a
// tombstone, which the transaction's reads put over the snapshot and its commit sends.
type overlay struct {
	head  ovNode
	level int
	n     int
	seed  uint64
}

type ovEntry struct {
	val  []byte
	tomb bool
}

type ovNode struct {
	key  string
	e    ovEntry
	next []*ovNode
}

const ovMaxLevel = 24

func (o *overlay) init() {
	if o.head.next == nil {
		o.head.next = make([]*ovNode, ovMaxLevel)
		o.level = 1
		o.seed = 0x9e3779b97f4a7c15
	}
}

func (o *overlay) randomLevel() int {
	o.seed ^= o.seed << 13
	o.seed ^= o.seed >> 7
	o.seed ^= o.seed << 17
	l := 1
	for x := o.seed; l < ovMaxLevel && x&3 == 0; x >>= 2 {
		l++
	}
	return l
}

// find fills prev with the last node < key at each level and returns the first node >= key.
func (o *overlay) find(key string, prev *[ovMaxLevel]*ovNode) *ovNode {
	o.init()
	x := &o.head
	for i := o.level - 1; i >= 0; i-- {
		for x.next[i] != nil && x.next[i].key < key {
			x = x.next[i]
		}
		if prev != nil {
			prev[i] = x
		}
	}
	return x.next[0]
}

func (o *overlay) get(key string) *ovNode {
	if o.n == 0 {
		return nil
	}
	if n := o.find(key, nil); n != nil && n.key == key {
		return n
	}
	return nil
}

func (o *overlay) set(key string, e ovEntry) {
	var prev [ovMaxLevel]*ovNode
	if n := o.find(key, &prev); n != nil && n.key == key {
		n.e = e
		return
	}
	l := o.randomLevel()
	for i := o.level; i < l; i++ {
		prev[i] = &o.head
	}
	if l > o.level {
		o.level = l
	}
	n := &ovNode{key: key, e: e, next: make([]*ovNode, l)}
	for i := 0; i < l; i++ {
		n.next[i] = prev[i].next[i]
		prev[i].next[i] = n
	}
	o.n++
}

// removeRange drops every entry in [lo, hi).
func (o *overlay) removeRange(lo, hi string) {
	if o.n == 0 {
		return
	}
	var prev [ovMaxLevel]*ovNode
	o.find(lo, &prev)
	for i := 0; i < o.level; i++ {
		x := prev[i].next[i]
		for x != nil && x.key < hi {
			if i == 0 {
				o.n--
			}
			x = x.next[i]
		}
		prev[i].next[i] = x
	}
}

// seekGE is the first entry >= key, nil if none.
func (o *overlay) seekGE(key string) *ovNode {
	if o.n == 0 {
		return nil
	}
	return o.find(key, nil)
}

// seekLT is the last entry < key, nil if none.
func (o *overlay) seekLT(key string) *ovNode {
	if o.n == 0 {
		return nil
	}
	var prev [ovMaxLevel]*ovNode
	o.find(key, &prev)
	if prev[0] == &o.head {
		return nil
	}
	return prev[0]
}

// any says whether some entry is in [lo, hi).
func (o *overlay) any(lo, hi string) bool {
	n := o.seekGE(lo)
	return n != nil && n.key < hi
}

// first is the first entry, for walking them all with next[0].
func (o *overlay) first() *ovNode {
	if o.n == 0 {
		return nil
	}
	return o.head.next[0]
}

// spans are disjoint key ranges [lo, hi), in order.
type spans []span

type span struct{ lo, hi string }

func (s *spans) add(lo, hi string) {
	v := *s
	i := sort.Search(len(v), func(i int) bool { return v[i].hi >= lo })
	j := i
	for j < len(v) && v[j].lo <= hi {
		lo, hi = min(lo, v[j].lo), max(hi, v[j].hi)
		j++
	}
	*s = append(v[:i], append([]span{{lo, hi}}, v[j:]...)...)
}

func (s spans) spanAt(k []byte) *span {
	i := sort.Search(len(s), func(i int) bool { return s[i].hi > string(k) })
	if i < len(s) && s[i].lo <= string(k) {
		return &s[i]
	}
	return nil
}

func (s spans) contains(k []byte) bool { return s.spanAt(k) != nil }

func (s spans) intersects(lo, hi string) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i].hi > lo })
	return i < len(s) && s[i].lo < hi
}
