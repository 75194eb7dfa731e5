package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"ceedesk/cases"
)

// Indexes. Each scope (a reviewer's cases, a Center's cases) has one nested bucket in "index" per sort and per
// open/decided split, named scope 0x00 split sort, where scope is 'a'+assignee or 'c'+center, split is 'o' (open)
// or 'x' (decided) and sort is one of sortCodes. Keys are the sort key, then (but in the due and case sorts) the
// due date, then the case id, so a page of a queue is a seek and a walk over keys, and cases that tie in a sort
// are in due-date order. Values start with two bytes (status code, kind code), so status and kind filters need no
// row decode. In the due-date indexes the value then holds a copy of the rest of the case's queue row (see
// appendRowCopy): a filtered queue is one sequential walk of one index, reading no other bucket, where looking each
// row up by id would be one random read per case of the scope. Check verifies every copy. A reviewer's scope has no
// assignee index: all its cases have one assignee, and its due index is already in that order.

const (
	sortDue      = 'd'
	sortReceived = 'r'
	sortAmount   = 'm'
	sortImporter = 'i'
	sortKind     = 'k'
	sortCase     = 'c'
	sortStatus   = 's'
	sortAssignee = 'a'
	sortEntry    = 'e'
)

var sortCodes = []byte{sortDue, sortReceived, sortAmount, sortImporter, sortKind, sortCase, sortStatus, sortAssignee, sortEntry}

// sortOther stands for any sort but due where only the difference matters.
const sortOther = sortReceived

func sortCode(k cases.SortKey) (byte, error) {
	switch k {
	case cases.SortDue, "":
		return sortDue, nil
	case cases.SortReceived:
		return sortReceived, nil
	case cases.SortAmount:
		return sortAmount, nil
	case cases.SortImporter:
		return sortImporter, nil
	case cases.SortKind:
		return sortKind, nil
	case cases.SortCase:
		return sortCase, nil
	case cases.SortStatus:
		return sortStatus, nil
	case cases.SortAssignee:
		return sortAssignee, nil
	case cases.SortEntry:
		return sortEntry, nil
	}
	return 0, fmt.Errorf("sort %q: want due, received, amount, importer, kind, case, status, assignee or entry", k)
}

// scopeSort is the index that serves a sort in a scope: a reviewer's cases in assignee order are in due order.
func scopeSort(scope []byte, sort byte) byte {
	if sort == sortAssignee && len(scope) > 0 && scope[0] == 'a' {
		return sortDue
	}
	return sort
}

func scopeCenter(c string) []byte   { return append([]byte{'c'}, c...) }
func scopeAssignee(a string) []byte { return append([]byte{'a'}, a...) }

// scopeHolder is the statistics scope of the cases of one Center held by one person, or by nobody (holder ""):
// 'w' center 0x00 holder. It has no index buckets; its totals and histogram make the workload board's lines,
// unassigned cases included, sum to the Center's own figures whoever holds cases of more than one Center.
func scopeHolder(center, holder string) []byte {
	b := append([]byte{'w'}, center...)
	return append(append(b, 0), holder...)
}

// statScopes are the scopes whose statistics count r: its index scopes and its holder's scope in its Center.
func statScopes(r *cases.QueueRow) [][]byte {
	return append(rowScopes(r), scopeHolder(r.Center, r.Assignee))
}

func rowScopes(r *cases.QueueRow) [][]byte {
	s := [][]byte{scopeCenter(r.Center)}
	if r.Assignee != "" {
		s = append(s, scopeAssignee(r.Assignee))
	}
	return s
}

func indexName(scope []byte, open bool, sort byte) []byte {
	split := byte('x')
	if open {
		split = 'o'
	}
	n := make([]byte, 0, len(scope)+3)
	n = append(n, scope...)
	return append(n, 0, split, sort)
}

// dateKey orders dates as unsigned big-endian bytes.
func dateKey(b []byte, d cases.Date) []byte {
	return binary.BigEndian.AppendUint32(b, uint32(d)^0x80000000)
}

func appendIndexKey(b []byte, r *cases.QueueRow, sort byte) []byte {
	switch sort {
	case sortDue:
		return append(dateKey(b, r.Due), r.ID...)
	case sortCase:
		return append(b, r.ID...)
	case sortReceived:
		b = dateKey(b, r.Received)
	case sortAmount: // largest first
		b = binary.BigEndian.AppendUint64(b, ^(uint64(r.Revenue) ^ 1<<63))
	case sortKind:
		b = append(b, kindCode(r.Kind))
	case sortStatus:
		b = append(b, statusCode(r.Status))
	case sortImporter:
		b = appendFolded(b, r.Importer)
	case sortAssignee:
		b = appendFolded(b, r.Assignee)
	case sortEntry:
		b = appendFolded(b, r.Entry)
	}
	return append(dateKey(b, r.Due), r.ID...)
}

// appendFolded appends s in ASCII lower case without its zero bytes, then a zero byte that ends it.
func appendFolded(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != 0 {
			b = append(b, c)
		}
	}
	return append(b, 0)
}

func indexKey(r *cases.QueueRow, sort byte) []byte {
	return appendIndexKey(make([]byte, 0, 24+len(r.ID)+len(r.Importer)), r, sort)
}

// keyID extracts the case id from an index key.
func keyID(k []byte, sort byte) []byte {
	n := 0
	switch sort {
	case sortDue:
		n = 4
	case sortCase:
	case sortReceived:
		n = 8
	case sortAmount:
		n = 12
	case sortKind, sortStatus:
		n = 5
	default:
		n = bytes.IndexByte(k, 0) + 5
	}
	return k[min(max(n, 0), len(k)):]
}

func statusCode(s cases.Status) byte {
	for i, v := range cases.Statuses {
		if v == s {
			return byte(i + 1)
		}
	}
	return 0
}

func kindCode(k cases.Kind) byte {
	for i, v := range cases.Kinds {
		if v == k {
			return byte(i + 1)
		}
	}
	return 0
}

// indexValues holds the shared value slices (bbolt keeps references to values until commit).
var indexValues = func() map[[2]byte][]byte {
	m := map[[2]byte][]byte{}
	for s := 0; s <= len(cases.Statuses); s++ {
		for k := 0; k <= len(cases.Kinds); k++ {
			m[[2]byte{byte(s), byte(k)}] = []byte{byte(s), byte(k)}
		}
	}
	return m
}()

// indexValue is the value of r's entry in an index of the given sort; its result may be shared, never modify it.
func indexValue(r *cases.QueueRow, sort byte) []byte {
	if sort == sortDue {
		return appendDueValue(nil, r)
	}
	return indexValues[[2]byte{statusCode(r.Status), kindCode(r.Kind)}]
}

// appendDueValue appends the value of r's entry in a due-date index: status and kind codes, then the row copy.
func appendDueValue(b []byte, r *cases.QueueRow) []byte {
	if cap(b) == 0 {
		b = make([]byte, 0, dueValueSize(r))
	}
	b = append(b, statusCode(r.Status), kindCode(r.Kind))
	return appendRowCopy(b, r)
}

func dueValueSize(r *cases.QueueRow) int {
	return 2 + 4*binary.MaxVarintLen16 + len(r.Center) + len(r.Assignee) + len(r.Importer) + len(r.Entry) + 3*binary.MaxVarintLen64
}

// appendRowCopy appends the parts of a queue row that a due-date index entry does not already hold (the key holds
// the due date and the id, the first two value bytes the status and kind): length-prefixed center, assignee,
// importer and entry, then varints received and revenue and uvarint version.
func appendRowCopy(b []byte, r *cases.QueueRow) []byte {
	for _, s := range []string{r.Center, r.Assignee, r.Importer, r.Entry} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, int64(r.Received))
	b = binary.AppendVarint(b, int64(r.Revenue))
	return binary.AppendUvarint(b, r.Version)
}

// rowFromDueEntry rebuilds a queue row from a due-date index entry. With view set the row's strings point into k
// and v (valid until the transaction ends; cloneRow makes them independent). It reports false when the entry holds
// no usable copy (a status or kind this version does not know), and the caller reads the row instead. A filtered
// queue calls it for every case of the scope, so it decodes the copy's one-byte lengths inline.
func rowFromDueEntry(k, v []byte, r *cases.QueueRow, view bool) bool {
	if len(k) < 4 || len(v) < 2 || v[0] == 0 || v[1] == 0 || int(v[0]) > len(cases.Statuses) || int(v[1]) > len(cases.Kinds) {
		return false
	}
	r.Due = cases.Date(binary.BigEndian.Uint32(k) ^ 0x80000000)
	r.Status, r.Kind = cases.Statuses[v[0]-1], cases.Kinds[v[1]-1]
	if view {
		r.ID = unsafe.String(unsafe.SliceData(k[4:]), len(k)-4)
	} else {
		r.ID = string(k[4:])
	}
	b := v[2:]
	for _, f := range [4]*string{&r.Center, &r.Assignee, &r.Importer, &r.Entry} {
		n := 0
		if len(b) > 0 && b[0] < 0x80 {
			n, b = int(b[0]), b[1:]
		} else {
			u, w := binary.Uvarint(b)
			if w <= 0 || u > uint64(len(b)) {
				return false
			}
			n, b = int(u), b[w:]
		}
		switch {
		case n > len(b):
			return false
		case n == 0:
			*f = ""
		case view:
			*f = unsafe.String(&b[0], n)
		default:
			*f = string(b[:n])
		}
		b = b[n:]
	}
	received, w := binary.Varint(b)
	if w <= 0 {
		return false
	}
	revenue, x := binary.Varint(b[w:])
	if x <= 0 {
		return false
	}
	version, y := binary.Uvarint(b[w+x:])
	if y <= 0 || w+x+y != len(b) {
		return false
	}
	r.Received, r.Revenue, r.Version = cases.Date(received), cases.Cents(revenue), version
	return true
}

func (s *Store) index(tx kvTx, r *cases.QueueRow) error {
	idx := tx.Bucket(bIndex)
	open := r.Status.Open()
	for _, sc := range rowScopes(r) {
		for _, so := range sortCodes {
			if scopeSort(sc, so) != so {
				continue
			}
			b, err := idx.CreateBucketIfNotExists(indexName(sc, open, so))
			if err != nil {
				return err
			}
			if err := b.Put(indexKey(r, so), indexValue(r, so)); err != nil {
				return err
			}
		}
	}
	return statsAdd(tx.Bucket(bStats), r, 1)
}

func (s *Store) unindex(tx kvTx, r *cases.QueueRow) error {
	idx := tx.Bucket(bIndex)
	open := r.Status.Open()
	for _, sc := range rowScopes(r) {
		for _, so := range sortCodes {
			if scopeSort(sc, so) != so {
				continue
			}
			if b := idx.Bucket(indexName(sc, open, so)); b != nil {
				if err := b.Delete(indexKey(r, so)); err != nil {
					return err
				}
			}
		}
	}
	return statsAdd(tx.Bucket(bStats), r, -1)
}

// Stats: per scope, key scope 0x00 'T' -> totals; key scope 0x00 'D' date -> number of open cases due that day.

type totals struct {
	All, Open, Pending uint64
	Revenue            int64 // of open cases
}

func (t *totals) encode() []byte {
	b := make([]byte, 0, 32)
	b = binary.BigEndian.AppendUint64(b, t.All)
	b = binary.BigEndian.AppendUint64(b, t.Open)
	b = binary.BigEndian.AppendUint64(b, t.Pending)
	return binary.BigEndian.AppendUint64(b, uint64(t.Revenue))
}

func decodeTotals(b []byte) totals {
	if len(b) != 32 {
		return totals{}
	}
	be := binary.BigEndian
	return totals{All: be.Uint64(b), Open: be.Uint64(b[8:]), Pending: be.Uint64(b[16:]), Revenue: int64(be.Uint64(b[24:]))}
}

func (t *totals) add(r *cases.QueueRow, sign int) {
	d := uint64(sign) // two's complement: adding ^0 subtracts one
	t.All += d
	if r.Status.Open() {
		t.Open += d
		t.Revenue += int64(sign) * int64(r.Revenue)
		if r.Status == cases.StatusPendingApproval {
			t.Pending += d
		}
	}
}

func totalsKey(scope []byte) []byte  { return append(append(append([]byte{}, scope...), 0), 'T') }
func histPrefix(scope []byte) []byte { return append(append(append([]byte{}, scope...), 0), 'D') }
func histKey(scope []byte, d cases.Date) []byte {
	return dateKey(histPrefix(scope), d)
}

func statsAdd(st kvBucket, r *cases.QueueRow, sign int) error {
	for _, sc := range statScopes(r) {
		tk := totalsKey(sc)
		t := decodeTotals(st.Get(tk))
		t.add(r, sign)
		var err error
		if t == (totals{}) { // a scope left with no case has no totals, as a rebuild leaves it
			err = st.Delete(tk)
		} else {
			err = st.Put(tk, t.encode())
		}
		if err != nil {
			return err
		}
		if !r.Status.Open() {
			continue
		}
		hk := histKey(sc, r.Due)
		var n uint64
		if v := st.Get(hk); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		n += uint64(sign)
		if n == 0 {
			err = st.Delete(hk)
		} else {
			err = st.Put(hk, be64(n))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// putCase writes c (a new case when old is nil) with its row, indexes and statistics.
func (s *Store) putCase(tx kvTx, old, c *cases.Case) error {
	rows := tx.Bucket(bRows)
	id := []byte(c.ID)
	if old != nil {
		if v := rows.Get(id); v != nil {
			var r cases.QueueRow
			if err := decodeRow(v, &r); err != nil {
				return fmt.Errorf("case %s: %w", c.ID, err)
			}
			if err := s.unindex(tx, &r); err != nil {
				return err
			}
			if err := caseKeys(old, &r, deleteCaseKey(tx)); err != nil {
				return err
			}
		}
	}
	v, err := encodeCase(c)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bCases).Put(id, v); err != nil {
		return err
	}
	r := c.Row(s.policy)
	if err := rows.Put(id, encodeRow(&r)); err != nil {
		return err
	}
	if err := s.index(tx, &r); err != nil {
		return err
	}
	if err := caseKeys(c, &r, putCaseKey(tx)); err != nil {
		return err
	}
	if old == nil {
		return tx.Bucket(bMeta).Put(mCases, be64(metaUint(tx, mCases)+1))
	}
	return nil
}

// expected is what the index and stats buckets should hold for a set of rows; rebuild writes it and Check
// compares against it.
type expected struct {
	keys    map[string][][]byte // index bucket name -> keys
	vals    map[string][][]byte // parallel values
	stats   map[string][]byte
	only    byte // a sort code: the index buckets of that sort only; 0 for all
	arena   []byte
	scratch []byte
	nrows   int
	totals  map[string]*totals
	hist    map[string]uint64
}

func newExpected() *expected {
	return &expected{keys: map[string][][]byte{}, vals: map[string][][]byte{}, totals: map[string]*totals{}, hist: map[string]uint64{}}
}

func (e *expected) alloc(n int) []byte {
	if cap(e.arena)-len(e.arena) < n {
		e.arena = make([]byte, 0, max(1<<20, n))
	}
	start := len(e.arena)
	e.arena = e.arena[:start+n]
	return e.arena[start : start : start+n]
}

func (e *expected) add(r *cases.QueueRow) {
	e.nrows++
	open := r.Status.Open()
	for _, sc := range rowScopes(r) {
		for _, so := range sortCodes {
			if e.only != 0 && so != e.only || scopeSort(sc, so) != so {
				continue
			}
			name := string(indexName(sc, open, so))
			k := appendIndexKey(e.alloc(16+len(r.ID)+len(r.Importer)), r, so)
			e.keys[name] = append(e.keys[name], k)
			v := indexValue(r, sortOther)
			if so == sortDue {
				e.scratch = appendDueValue(e.scratch[:0], r)
				v = append(e.alloc(len(e.scratch)), e.scratch...)
			}
			e.vals[name] = append(e.vals[name], v)
		}
	}
	for _, sc := range statScopes(r) {
		e.addStats(sc, r)
	}
}

// addStats counts r in the statistics of the scope.
func (e *expected) addStats(sc []byte, r *cases.QueueRow) {
	tk := string(totalsKey(sc))
	t := e.totals[tk]
	if t == nil {
		t = &totals{}
		e.totals[tk] = t
	}
	t.add(r, 1)
	if r.Status.Open() {
		e.hist[string(histKey(sc, r.Due))]++
	}
}

// sorted returns the index bucket's keys and values in key order.
func (e *expected) sorted(name string) ([][]byte, [][]byte) {
	return sortedPairs(e.keys[name], e.vals[name])
}

// sortedPairs returns keys and the values beside them in key order, without changing the slices given.
func sortedPairs(ks, vs [][]byte) ([][]byte, [][]byte) {
	ord := make([]int32, len(ks))
	for i := range ord {
		ord[i] = int32(i)
	}
	slices.SortFunc(ord, func(a, b int32) int { return bytes.Compare(ks[a], ks[b]) })
	sk, sv := make([][]byte, len(ks)), make([][]byte, len(ks))
	for i, j := range ord {
		sk[i], sv[i] = ks[j], vs[j]
	}
	return sk, sv
}

func (e *expected) statsEntries() ([][]byte, [][]byte) {
	m := map[string][]byte{}
	for k, t := range e.totals {
		m[k] = t.encode()
	}
	for k, n := range e.hist {
		m[k] = be64(n)
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	ks, vs := make([][]byte, len(names)), make([][]byte, len(names))
	for i, n := range names {
		ks[i], vs[i] = []byte(n), m[n]
	}
	return ks, vs
}

// rebuild recomputes the index and stats buckets from the rows (and, when recompute is set, the rows from the
// cases, for a new Policy, and the importers and decisions buckets, whose entries only cases give), writing keys in
// order into fresh, full pages. It runs inside the caller's transaction.
func (s *Store) rebuild(tx kvTx, recompute bool) error {
	e := newExpected()
	rows := tx.Bucket(bRows)
	var n uint64
	if recompute {
		rows.SetFillPercent(1.0)
		ck := newCaseKeySet()
		err := tx.Bucket(bCases).ForEach(func(k, v []byte) error {
			c, err := decodeCase(v)
			if err != nil {
				return fmt.Errorf("case %s: %w", k, err)
			}
			r := c.Row(s.policy)
			e.add(&r)
			n++
			if err := caseKeys(c, &r, ck.add); err != nil {
				return err
			}
			return rows.Put(k, encodeRow(&r))
		})
		if err != nil {
			return err
		}
		if err := ck.write(tx); err != nil {
			return err
		}
	} else {
		err := rows.ForEach(func(k, v []byte) error {
			var r cases.QueueRow
			if err := decodeRow(v, &r); err != nil {
				return fmt.Errorf("row %s: %w", k, err)
			}
			e.add(&r)
			n++
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bIndex, bStats} {
		if err := tx.DeleteBucket(b); err != nil {
			return err
		}
		if _, err := tx.CreateBucket(b); err != nil {
			return err
		}
	}
	if err := writeIndexes(tx.Bucket(bIndex), e); err != nil {
		return err
	}
	st := tx.Bucket(bStats)
	st.SetFillPercent(1.0)
	ks, vs := e.statsEntries()
	for i := range ks {
		if err := st.Put(ks[i], vs[i]); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	pj, _ := json.Marshal(s.policy)
	if err := meta.Put(mPolicy, pj); err != nil {
		return err
	}
	if err := meta.Put(mPolicyFP, policyFingerprint(s.policy)); err != nil {
		return err
	}
	if err := meta.Put(mCases, be64(n)); err != nil {
		return err
	}
	return meta.Delete(mDirty)
}

// rebuildIndexes rewrites the index buckets of the given sorts from the rows, for a change of what their keys or
// values hold, one sort at a time: rewriting one sort's buckets instead of all keeps the pages a transaction holds
// twice (old until commit, and new) and the keys it sorts in memory to one sort's share, which matters for a
// migration of a large store.
func (s *Store) rebuildIndexes(tx kvTx, sorts ...byte) error {
	for _, so := range sorts {
		e := newExpected()
		e.only = so
		err := tx.Bucket(bRows).ForEach(func(k, v []byte) error {
			var r cases.QueueRow
			if err := decodeRow(v, &r); err != nil {
				return fmt.Errorf("row %s: %w", k, err)
			}
			e.add(&r)
			return nil
		})
		if err != nil {
			return err
		}
		idx := tx.Bucket(bIndex)
		var old [][]byte
		idx.ForEachBucket(func(name []byte) error {
			if len(name) > 0 && name[len(name)-1] == so {
				old = append(old, bytes.Clone(name))
			}
			return nil
		})
		for _, name := range old {
			if err := idx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if err := writeIndexes(idx, e); err != nil {
			return err
		}
	}
	return nil
}

// writeIndexes creates the index buckets e holds, writing each in key order into full pages.
func writeIndexes(idx kvBucket, e *expected) error {
	names := make([]string, 0, len(e.keys))
	for name := range e.keys {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		b, err := idx.CreateBucket([]byte(name))
		if err != nil {
			return err
		}
		b.SetFillPercent(1.0)
		ks, vs := e.sorted(name)
		for i := range ks {
			if err := b.Put(ks[i], vs[i]); err != nil {
				return err
			}
		}
		delete(e.keys, name)
		delete(e.vals, name)
	}
	return nil
}

// scopeOf validates a query's scope.
func scopeOf(q cases.QueueQuery) ([]byte, error) {
	switch {
	case q.Assignee != "":
		return scopeAssignee(strings.ToLower(q.Assignee)), nil
	case q.Center != "":
		return scopeCenter(strings.ToUpper(q.Center)), nil
	}
	return nil, fmt.Errorf("queue: name an assignee or a Center")
}
