package store

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"ceedesk/cases"
)

// MaxPage is the largest page Queue returns; DefaultPage is used when the query's Limit is 0.
const (
	MaxPage     = 10000
	DefaultPage = 50
)

func (s *Store) today() cases.Date { return cases.DateOf(s.now()) }

func getCase(tx kvTx, id string) (*cases.Case, error) {
	v := tx.Bucket(bCases).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("case %s: %w", id, cases.ErrNotFound)
	}
	c, err := decodeCase(v)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", id, err)
	}
	return c, nil
}

// Case returns the stored case as actor may see it (cases.CanView); it wraps cases.ErrNotFound when there is
// none and cases.ErrForbidden when actor may not see it. The caller owns the result.
func (s *Store) Case(actor, id string) (*cases.Case, error) {
	var c *cases.Case
	err := s.view(func(tx kvTx) error {
		var err error
		if c, err = getCase(tx, id); err != nil {
			return err
		}
		if err := s.checkCase(tx, actor, c); err != nil {
			return err
		}
		c.Lease, err = getLease(tx, id)
		return err
	})
	if err != nil {
		c = nil
	}
	return c, s.damagedRecord(err)
}

// walker yields one scope's index entries in sort order, or in reverse order, merging the open and decided splits
// when both are wanted. On a due-date index it can be held to a range of due dates: it seeks to one end and stops
// past the other.
type walker struct {
	curs    []kvCursor
	k, v    [][]byte
	lo, hi  []byte // with a range: the first and the last due date's prefix
	ranged  bool
	reverse bool
}

// dueRange is an inclusive range of due dates.
type dueRange struct{ from, to cases.Date }

// everyDue is the range of every due date.
var everyDue = dueRange{math.MinInt32, math.MaxInt32}

func (r dueRange) intersect(o dueRange) dueRange {
	return dueRange{max(r.from, o.from), min(r.to, o.to)}
}
func (r dueRange) hull(o dueRange) dueRange { return dueRange{min(r.from, o.from), max(r.to, o.to)} }

// newWalker walks the scope's index of the given sort in order; due, if not nil, holds a due-date index to that
// range.
func newWalker(tx kvTx, scope []byte, sort byte, open, decided bool, due *dueRange) *walker {
	return walk(tx, scope, sort, open, decided, due, false)
}

// walk is newWalker in either direction: with reverse set it starts at the last entry and steps back.
func walk(tx kvTx, scope []byte, sort byte, open, decided bool, due *dueRange, reverse bool) *walker {
	w := &walker{reverse: reverse}
	if due != nil && sort == sortDue {
		w.lo, w.hi, w.ranged = dateKey(nil, due.from), dateKey(nil, due.to), true
	}
	idx := tx.Bucket(bIndex)
	for _, split := range []bool{true, false} {
		if (split && !open) || (!split && !decided) {
			continue
		}
		b := idx.Bucket(indexName(scope, split, sort))
		if b == nil {
			continue
		}
		c := b.Cursor()
		k, v := w.start(c)
		if k = w.bound(k); k == nil {
			continue
		}
		w.curs = append(w.curs, c)
		w.k = append(w.k, k)
		w.v = append(w.v, v)
	}
	return w
}

// start puts c on the walk's first entry.
func (w *walker) start(c kvCursor) ([]byte, []byte) {
	switch {
	case !w.reverse && w.ranged:
		return c.Seek(w.lo)
	case !w.reverse:
		return c.First()
	case w.ranged:
		// the last entry of the range is the one before the first key of the day after it
		if d := binary.BigEndian.Uint32(w.hi); d != math.MaxUint32 {
			if k, _ := c.Seek(binary.BigEndian.AppendUint32(nil, d+1)); k != nil {
				return c.Prev()
			}
		}
	}
	return c.Last()
}

// bound returns k, or nil when k is past the walk's range.
func (w *walker) bound(k []byte) []byte {
	if !w.ranged || k == nil {
		return k
	}
	day := k[:min(len(k), 4)]
	if !w.reverse && bytes.Compare(day, w.hi) > 0 || w.reverse && bytes.Compare(day, w.lo) < 0 {
		return nil
	}
	return k
}

// next returns the next entry, or nil at the end.
func (w *walker) next() ([]byte, []byte) {
	i := -1
	if len(w.curs) == 1 { // one split: nothing to merge
		if w.k[0] != nil {
			i = 0
		}
	}
	for j := 0; j < len(w.curs) && len(w.curs) > 1; j++ {
		if w.k[j] != nil && (i < 0 || (bytes.Compare(w.k[j], w.k[i]) < 0) != w.reverse) {
			i = j
		}
	}
	if i < 0 {
		return nil, nil
	}
	k, v := w.k[i], w.v[i]
	var nk, nv []byte
	if w.reverse {
		nk, nv = w.curs[i].Prev()
	} else {
		nk, nv = w.curs[i].Next()
	}
	w.k[i], w.v[i] = w.bound(nk), nv
	return k, v
}

// Codes: an index value starts with a status code (1 + the index in cases.Statuses, 0 for one this version does not
// know) and a kind code (likewise for cases.Kinds). A code mask has the bit 8*status+kind for each pair it admits.
const anyCodes = ^uint64(0)

var (
	decidedCodes = uint64(0xFF) << (8 * statusCode(cases.StatusDecided))
	openCodes    = ^decidedCodes
	// knownCodes are the pairs a row can have: every status and kind, and the unknown ones
	knownCodes = func() (m uint64) {
		for st := 0; st <= len(cases.Statuses); st++ {
			for k := 0; k <= len(cases.Kinds); k++ {
				m |= 1 << (8*st + k)
			}
		}
		return m
	}()
)

// bounds are what every row a filter matches has in common, for a walk to skip the others: the code pairs it may
// have, the range of its due date, and whether the codes decide the filter exactly (no row needs testing).
type bounds struct {
	codes uint64
	due   dueRange
	exact bool
}

// boundsOf works out the bounds of a filter as of today, from its own terms and its groups.
func boundsOf(f *cases.Filter, today cases.Date) bounds {
	b := bounds{codes: termCodes(f), due: everyDue, exact: onlyCodes(f)}
	if f.DueOp != "" {
		b.due = b.due.intersect(relativeDue(f.DueOp, f.DueDays, today))
	}
	if f.Due.Set() {
		r := everyDue
		if f.Due.From != 0 {
			r.from = f.Due.From
		}
		if f.Due.To != 0 {
			r.to = f.Due.To
		}
		b.due = b.due.intersect(r)
	}
	for i := range f.All {
		g := boundsOf(&f.All[i], today)
		b.codes, b.due, b.exact = b.codes&g.codes, b.due.intersect(g.due), b.exact && g.exact
	}
	for i := range f.Not {
		// a negated filter leaves out only what it decides from the codes alone
		if g := boundsOf(&f.Not[i], today); g.exact {
			b.codes &^= g.codes
		} else {
			b.exact = false
		}
	}
	if len(f.Any) > 0 {
		alt := bounds{due: dueRange{math.MaxInt32, math.MinInt32}, exact: true}
		for i := range f.Any {
			g := boundsOf(&f.Any[i], today)
			alt.codes, alt.due, alt.exact = alt.codes|g.codes, alt.due.hull(g.due), alt.exact && g.exact
		}
		b.codes, b.due, b.exact = b.codes&alt.codes, b.due.intersect(alt.due), b.exact && alt.exact
	}
	return b
}

// termCodes is the code mask of a conjunction's own kind and status terms, worked out by applying them to each
// code pair, so that it agrees with cases.Filter.Match (an unknown status is open and in no list).
func termCodes(f *cases.Filter) uint64 {
	if len(f.Kinds) == 0 && len(f.Statuses) == 0 && !f.OpenOnly {
		return anyCodes
	}
	terms := cases.Filter{Kinds: f.Kinds, Statuses: f.Statuses, OpenOnly: f.OpenOnly}
	var m uint64
	for st := 0; st < 8; st++ {
		for k := 0; k < 8; k++ {
			r := cases.QueueRow{}
			if st >= 1 && st <= len(cases.Statuses) {
				r.Status = cases.Statuses[st-1]
			}
			if k >= 1 && k <= len(cases.Kinds) {
				r.Kind = cases.Kinds[k-1]
			}
			if terms.Match(&r, 0) {
				m |= 1 << (8*st + k)
			}
		}
	}
	return m
}

// onlyCodes reports whether a conjunction's own terms are all kind and status terms.
func onlyCodes(f *cases.Filter) bool {
	return len(f.Words) == 0 && f.DueOp == "" && !f.Due.Set() && !f.Received.Set() && f.Importer == "" &&
		f.Assignee == "" && !f.Unassigned && f.Center == "" && f.AmountOp == ""
}

// relativeDue is the range of due dates a due term in days admits as of today (the arithmetic of
// cases.Filter.Match).
func relativeDue(op string, days int, today cases.Date) dueRange {
	at := int64(today) + int64(days)
	lo, hi := int64(math.MinInt32), int64(math.MaxInt32)
	switch op {
	case "<":
		hi = at - 1
	case "<=":
		hi = at
	case ">":
		lo = at + 1
	case ">=":
		lo = at
	default:
		lo, hi = at, at
	}
	clamp := func(v int64) cases.Date { return cases.Date(min(max(v, math.MinInt32), math.MaxInt32)) }
	return dueRange{clamp(lo), clamp(hi)}
}

// plan is how a query walks an index: which splits, in which direction, whether rows must be tested against the
// filter, and the quick check on the index value (status, kind) that skips rows without decoding them.
type plan struct {
	scope         []byte
	sort          byte
	reverse       bool
	open, decided bool
	scan          bool   // rows must be tested with match
	codes         uint64 // the status and kind code pairs a matching row may have
	center        string // extra condition when both Assignee and Center are given
	match         *cases.Matcher
	today         cases.Date
	due           *dueRange // the due dates the filter admits, when it bounds them
	noTotal       bool
}

func (s *Store) plan(q cases.QueueQuery) (*plan, error) {
	scope, err := scopeOf(q)
	if err != nil {
		return nil, err
	}
	so, err := sortCode(q.Sort)
	if err != nil {
		return nil, err
	}
	if n := filterSize(q.Filter); n > cases.MaxFilter {
		return nil, fmt.Errorf("%w: filter is %d characters; the limit is %d", cases.ErrInvalid, n, cases.MaxFilter)
	}
	p := &plan{scope: scope, sort: scopeSort(scope, so), reverse: q.Reverse, open: true, decided: !q.OpenOnly,
		today: q.Today, noTotal: q.NoTotal}
	if p.today == 0 {
		p.today = s.today()
	}
	b := boundsOf(&q.Filter, p.today)
	p.codes = b.codes
	p.open = p.open && b.codes&openCodes != 0
	p.decided = p.decided && b.codes&decidedCodes != 0
	if b.due != everyDue {
		p.due = &b.due
	}
	if q.Assignee != "" && q.Center != "" {
		p.center = q.Center
	}
	p.scan = !b.exact || p.center != ""
	if p.scan {
		p.match = q.Filter.Matcher(p.today)
	}
	return p, nil
}

// masked reports whether the quick check leaves out rows of the given splits.
func (p *plan) masked(open, decided bool) bool {
	in := knownCodes
	if !open {
		in &^= openCodes
	}
	if !decided {
		in &^= decidedCodes
	}
	return in&^p.codes != 0
}

// filterSize is the length of a filter's query text, or of its text terms when it was built without one: each
// term is matched against every row of the scope, so a filter is held to cases.MaxFilter however it was made.
func filterSize(f cases.Filter) int {
	return max(termsSize(&f), utf8.RuneCountInString(f.Query))
}

func termsSize(f *cases.Filter) int {
	count := utf8.RuneCountInString
	n := count(f.Importer) + count(f.Assignee) + count(f.Center)
	for i, w := range f.Words {
		n += count(w) + min(i, 1) // a space between words
	}
	for _, gs := range [][]cases.Filter{f.All, f.Any, f.Not} {
		for i := range gs {
			n += termsSize(&gs[i]) + 1
		}
	}
	return n
}

// quick applies the plan's code mask to an index value.
func (p *plan) quick(v []byte) bool {
	return len(v) < 2 || p.codes>>(8*(v[0]&7)+v[1]&7)&1 != 0
}

// matches applies the filter to a decoded row.
func (p *plan) matches(r *cases.QueueRow) bool {
	if p.center != "" && !strings.EqualFold(r.Center, p.center) {
		return false
	}
	return p.match == nil || p.match.Match(r)
}

func readRow(rows kvBucket, id []byte) (cases.QueueRow, error) {
	return readRowAs(rows, id, decodeRow)
}

// readRowView reads a row whose strings are valid only inside the transaction (see decodeRowView).
func readRowView(rows kvBucket, id []byte) (cases.QueueRow, error) {
	return readRowAs(rows, id, decodeRowView)
}

func readRowAs(rows kvBucket, id []byte, decode func([]byte, *cases.QueueRow) error) (cases.QueueRow, error) {
	var r cases.QueueRow
	v := rows.Get(id)
	if v == nil {
		return r, fmt.Errorf("index names case %s, which has no row (run ceedesk's check)", id)
	}
	if err := decode(v, &r); err != nil {
		return r, fmt.Errorf("case %s: %w", id, err)
	}
	return r, nil
}

// entryRow returns the queue row of an index entry: from the entry's own copy in a due-date index, else from the
// rows bucket. With view set the row's strings are valid only inside the transaction (cloneRow keeps a row).
func entryRow(rows kvBucket, k, v []byte, sort byte, view bool) (cases.QueueRow, error) {
	var r cases.QueueRow
	if sort == sortDue && rowFromDueEntry(k, v, &r, view) {
		return r, nil
	}
	if view {
		return readRowView(rows, keyID(k, sort))
	}
	return readRow(rows, keyID(k, sort))
}

// sortInMemory is how far into a filtered queue in a sort other than due a window may end and still be found by
// keeping the rows up to its end in memory; a window further on is found by a second walk of that sort's index.
var sortInMemory = 1 << 14

// probeRows is how many entries of its own index a filtered query in a sort other than due, asked with NoTotal,
// tries (reading each entry's row) before it falls back to the walk of the due-date index that finds every match.
var probeRows = 1024

// Queue returns one window of a reviewer's or a Center's queue and the size of the whole queue after the filter
// (-1 when q.NoTotal spared counting it). Without a filter it seeks in the ordered index and decodes only the rows
// returned. With one, it walks the scope's due-date index once, in key order (in reverse for q.Reverse), testing
// the row copies the entries hold, and with q.NoTotal stops when the window is full; in another sort it then
// orders the matches (see scanOtherSort). The actor must be allowed to see the queue (cases.CanViewQueue,
// cases.CanViewCenter).
func (s *Store) Queue(actor string, q cases.QueueQuery) (cases.QueuePage, error) {
	p, err := s.plan(q)
	if err != nil {
		return cases.QueuePage{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultPage
	}
	limit = min(limit, MaxPage)
	offset := max(q.Offset, 0)
	page := cases.QueuePage{Offset: offset}
	read := func(tx kvTx) error {
		if err := s.checkQueue(tx, actor, q); err != nil {
			return err
		}
		if !p.open && !p.decided {
			return nil
		}
		rows := tx.Bucket(bRows)
		if p.scan && p.sort != sortDue {
			return scanOtherSort(tx, p, offset, limit, &page)
		}
		w := walk(tx, p.scope, p.sort, p.open, p.decided, p.due, p.reverse)
		masked := p.masked(p.open, p.decided)
		if !p.scan && !masked {
			t := decodeTotals(tx.Bucket(bStats).Get(totalsKey(p.scope)))
			if p.open {
				page.Total += int(t.Open)
			}
			if p.decided {
				page.Total += int(t.All - t.Open)
			}
			for i := 0; i < offset; i++ {
				if k, _ := w.next(); k == nil {
					return nil
				}
			}
			for len(page.Rows) < limit {
				k, v := w.next()
				if k == nil {
					break
				}
				r, err := entryRow(rows, k, v, p.sort, false)
				if err != nil {
					return err
				}
				page.Rows = append(page.Rows, r)
			}
			return nil
		}
		n := 0
		for k, v := w.next(); k != nil; k, v = w.next() {
			if masked && !p.quick(v) {
				continue
			}
			if !p.scan {
				n++
				if n > offset && len(page.Rows) < limit {
					r, err := entryRow(rows, k, v, p.sort, false)
					if err != nil {
						return err
					}
					page.Rows = append(page.Rows, r)
				}
			} else {
				r, err := entryRow(rows, k, v, p.sort, true)
				if err != nil {
					return err
				}
				if !p.matches(&r) {
					continue
				}
				n++
				if n > offset && len(page.Rows) < limit {
					cloneRow(&r)
					page.Rows = append(page.Rows, r)
				}
			}
			if p.noTotal && len(page.Rows) == limit {
				page.Total = -1
				return nil
			}
		}
		page.Total = n
		return nil
	}
	// the page and its rows' leases from one read
	err = s.view(func(tx kvTx) error {
		if err := read(tx); err != nil {
			return err
		}
		return fillLeases(tx, page.Rows)
	})
	return page, err
}

// scanOtherSort answers a filtered query in a sort other than due. Asked with NoTotal, it first walks the sort's
// own index, reading the row of each entry, in case the window's matches come within probeRows entries. Otherwise
// it finds the matching rows in one walk of the scope's due-date index (sequential, the rows in the values),
// counting them, and orders them: when the window ends within sortInMemory rows, by keeping the first rows up to
// its end in a heap ordered by their index keys; past that by walking the wanted sort's index once, keeping the
// entries whose ids matched and reading only the rows of the page.
func scanOtherSort(tx kvTx, p *plan, offset, limit int, page *cases.QueuePage) error {
	rows := tx.Bucket(bRows)
	if p.noTotal {
		if done, err := probeOtherSort(tx, p, offset, limit, page); done || err != nil {
			return err
		}
	}
	if offset+limit <= sortInMemory {
		return firstInMemory(tx, p, offset, limit, page)
	}
	ids := map[string]struct{}{} // views into the transaction's pages
	err := matchingDue(tx, p, p.decided, func(r *cases.QueueRow) { ids[r.ID] = struct{}{} })
	if err != nil {
		return err
	}
	n := 0
	w := walk(tx, p.scope, p.sort, p.open, p.decided, nil, p.reverse)
	for k, _ := w.next(); k != nil; k, _ = w.next() {
		id := keyID(k, p.sort)
		if _, ok := ids[string(id)]; !ok {
			continue
		}
		n++
		if n > offset && len(page.Rows) < limit {
			r, err := readRow(rows, id)
			if err != nil {
				return err
			}
			page.Rows = append(page.Rows, r)
		}
	}
	page.Total = n
	return nil
}

// firstInMemory finds the rows [offset, offset+limit) of a filtered query in the plan's sort, and counts its
// matches, from one walk of the due-date index, keeping the first offset+limit matches in the sort's order in a
// heap (the greatest on top, to be replaced by a lesser one).
func firstInMemory(tx kvTx, p *plan, offset, limit int, page *cases.QueuePage) error {
	h := &rowHeap{reverse: p.reverse}
	keep, n := offset+limit, 0
	var key []byte
	err := matchingDue(tx, p, p.decided, func(r *cases.QueueRow) {
		n++
		key = appendIndexKey(key[:0], r, p.sort)
		if len(h.keys) == keep && !h.less(key, h.keys[0]) {
			return
		}
		cloneRow(r)
		if len(h.keys) == keep {
			h.keys[0], h.rows[0] = append(h.keys[0][:0], key...), *r
			heap.Fix(h, 0)
			return
		}
		heap.Push(h, heapEntry{bytes.Clone(key), *r})
	})
	if err != nil {
		return err
	}
	page.Total = n
	out := make([]cases.QueueRow, len(h.keys))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(heapEntry).row
	}
	if offset < len(out) {
		page.Rows = out[offset:]
	}
	return nil
}

// rowHeap holds rows with their index keys, the greatest key (the least in reverse) at the top.
type rowHeap struct {
	keys    [][]byte
	rows    []cases.QueueRow
	reverse bool
}

type heapEntry struct {
	key []byte
	row cases.QueueRow
}

// less reports whether key a comes before key b in the query's order.
func (h *rowHeap) less(a, b []byte) bool { return (bytes.Compare(a, b) < 0) != h.reverse }

func (h *rowHeap) Len() int           { return len(h.keys) }
func (h *rowHeap) Less(i, j int) bool { return h.less(h.keys[j], h.keys[i]) }
func (h *rowHeap) Swap(i, j int) {
	h.keys[i], h.keys[j] = h.keys[j], h.keys[i]
	h.rows[i], h.rows[j] = h.rows[j], h.rows[i]
}
func (h *rowHeap) Push(x any) {
	e := x.(heapEntry)
	h.keys, h.rows = append(h.keys, e.key), append(h.rows, e.row)
}
func (h *rowHeap) Pop() any {
	i := len(h.keys) - 1
	e := heapEntry{h.keys[i], h.rows[i]}
	h.keys, h.rows = h.keys[:i], h.rows[:i]
	return e
}

// probeOtherSort walks the sort's own index for the window of a query with NoTotal, reading each entry's row, and
// reports whether it filled the window (or reached the end) within probeRows entries; when not, page is as it was.
func probeOtherSort(tx kvTx, p *plan, offset, limit int, page *cases.QueuePage) (bool, error) {
	rows := tx.Bucket(bRows)
	masked := p.masked(p.open, p.decided)
	w := walk(tx, p.scope, p.sort, p.open, p.decided, nil, p.reverse)
	var got []cases.QueueRow
	n := 0
	for seen := 0; seen < probeRows; seen++ {
		k, v := w.next()
		if k == nil {
			page.Rows, page.Total = got, n
			return true, nil
		}
		if masked && !p.quick(v) {
			continue
		}
		r, err := readRowView(rows, keyID(k, p.sort))
		if err != nil {
			return false, err
		}
		if !p.matches(&r) {
			continue
		}
		if n++; n > offset {
			cloneRow(&r)
			if got = append(got, r); len(got) == limit {
				page.Rows, page.Total = got, -1
				return true, nil
			}
		}
	}
	return false, nil
}

// Counts returns the queue's headline numbers as of q.Today (today when zero); Offset, Limit, Sort, Reverse and
// NoTotal are ignored. Without a filter they come from per-scope statistics; with one, from the open rows of that
// scope. The actor must be allowed to see the queue, as for Queue.
func (s *Store) Counts(actor string, q cases.QueueQuery) (cases.Counts, error) {
	q.Sort, q.Reverse, q.NoTotal = cases.SortDue, false, false
	p, err := s.plan(q)
	if err != nil {
		return cases.Counts{}, err
	}
	var c cases.Counts
	err = s.view(func(tx kvTx) error {
		if err := s.checkQueue(tx, actor, q); err != nil {
			return err
		}
		switch {
		case !p.open:
		case !p.scan && !p.masked(true, false):
			c = scopeCounts(tx, p.scope, p.today)
		default:
			return matchingDue(tx, p, false, func(r *cases.QueueRow) { c.Tally(r, p.today) })
		}
		return nil
	})
	return c, err
}

// matchingDue calls fn with each row of the plan's scope that passes its filter, in due-date order, from one walk
// of the due-date index (open rows, and decided ones when decided is set). A row is a view into the
// transaction's pages: clone what is kept.
func matchingDue(tx kvTx, p *plan, decided bool, fn func(r *cases.QueueRow)) error {
	rows := tx.Bucket(bRows)
	w := newWalker(tx, p.scope, sortDue, p.open, decided, p.due)
	masked := p.masked(p.open, decided)
	var r cases.QueueRow // one row reused for the walk: fn gets a pointer, so r lives on the heap once, not per row
	for k, v := w.next(); k != nil; k, v = w.next() {
		if masked && !p.quick(v) {
			continue
		}
		var err error
		if r, err = entryRow(rows, k, v, sortDue, true); err != nil {
			return err
		}
		if p.matches(&r) {
			fn(&r)
		}
	}
	return nil
}

// scopeCounts reads a scope's counts from its totals and its histogram of open cases by due date.
func scopeCounts(tx kvTx, scope []byte, today cases.Date) cases.Counts {
	st := tx.Bucket(bStats)
	t := decodeTotals(st.Get(totalsKey(scope)))
	c := cases.Counts{Open: int(t.Open), Pending: int(t.Pending), Revenue: cases.Cents(t.Revenue)}
	prefix := histPrefix(scope)
	cur := st.Cursor()
	for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+4; k, v = cur.Next() {
		due := cases.Date(binary.BigEndian.Uint32(k[len(prefix):]) ^ 0x80000000)
		n := int(binary.BigEndian.Uint64(v))
		left := today.DaysUntil(due)
		switch {
		case left < 0:
			c.Overdue += n
		case left <= 7:
			c.DueWeek += n
		default:
			return c
		}
	}
	return c
}

// Approvals lists the Center's cases whose decision waits for a supervisor's approval, earliest due first; the
// actor must be a supervisor of the Center or an admin (cases.CanOversee). ApprovalRows gives the same rows with
// who decided each and whether the actor may approve it.
func (s *Store) Approvals(actor, center string) ([]cases.QueueRow, error) {
	var out []cases.QueueRow
	center = strings.ToUpper(center)
	err := s.view(func(tx kvTx) error {
		if err := s.oversee(tx, actor, center); err != nil {
			return err
		}
		var err error
		out, err = pendingRows(tx, center)
		return err
	})
	return out, err
}

// pendingRows reads the queue rows of the Center's decisions waiting for approval, earliest due first, from its
// open due-date index (nothing when its statistics count none).
func pendingRows(tx kvTx, center string) ([]cases.QueueRow, error) {
	var out []cases.QueueRow
	scope := scopeCenter(center)
	if decodeTotals(tx.Bucket(bStats).Get(totalsKey(scope))).Pending == 0 {
		return nil, nil
	}
	pending := statusCode(cases.StatusPendingApproval)
	rows := tx.Bucket(bRows)
	w := newWalker(tx, scope, sortDue, true, false, nil)
	for k, v := w.next(); k != nil; k, v = w.next() {
		if len(v) >= 2 && v[0] != pending {
			continue
		}
		r, err := entryRow(rows, k, v, sortDue, false)
		if err != nil {
			return nil, err
		}
		if r.Status == cases.StatusPendingApproval {
			out = append(out, r)
		}
	}
	return out, nil
}

// ApprovalRows is Approvals with, for each decision, who recorded it and whether the actor may approve (or
// return) it, and if not why (cases.CanApprove, under the store's Policy, its approvers included), all from one
// read transaction. The rule is applied again when the approval is written.
func (s *Store) ApprovalRows(actor, center string) ([]cases.ApprovalRow, error) {
	var out []cases.ApprovalRow
	center = strings.ToUpper(center)
	err := s.view(func(tx kvTx) error {
		if err := s.oversee(tx, actor, center); err != nil {
			return err
		}
		u, err := s.reader(tx, actor)
		if err != nil {
			return err
		}
		rows, err := pendingRows(tx, center)
		if err != nil {
			return err
		}
		out = make([]cases.ApprovalRow, len(rows))
		for i, r := range rows {
			c, err := getCase(tx, r.ID)
			if err != nil {
				return err
			}
			out[i] = cases.ApprovalRow{QueueRow: r, CanApprove: true}
			if c.Decision != nil {
				out[i].Decider = c.Decision.By
			}
			if err := cases.CanApprove(u, c, s.policy); err != nil {
				out[i].CanApprove, out[i].Why = false, cases.Reason(err)
			}
		}
		return nil
	})
	return out, s.damagedRecord(err)
}

// Approvers says who may approve the decision waiting on case id (cases.WhoMayApprove, under the store's Policy),
// and, when no supervisor of its Center may, a warning saying so and who can. For a case with no decision waiting
// it answers for a decision the actor would record now. The actor must be allowed to see the case.
func (s *Store) Approvers(actor, id string) (cases.ApproverSet, error) {
	var a cases.ApproverSet
	err := s.view(func(tx kvTx) error {
		c, err := getCase(tx, id)
		if err != nil {
			return err
		}
		if err := s.checkCase(tx, actor, c); err != nil {
			return err
		}
		decider := actor
		if c.Status == cases.StatusPendingApproval && c.Decision != nil {
			decider = c.Decision.By
		}
		users, err := usersOf(tx, "")
		if err != nil {
			return err
		}
		a = cases.WhoMayApprove(c, decider, users, s.policy)
		return nil
	})
	return a, s.damagedRecord(err)
}

// Workload returns the workload board of the Center: the line of its open cases nobody holds (User ""), then one
// Load per person who holds open cases of the Center, and per enabled reviewer of the Center even with none,
// sorted by name. Each line counts the Center's cases only, so the lines sum to the Center's own counts. The actor
// must be a supervisor of the Center or an admin (cases.CanOversee).
func (s *Store) Workload(actor, center string, today cases.Date) ([]cases.Load, error) {
	if today == 0 {
		today = s.today()
	}
	center = strings.ToUpper(center)
	var out []cases.Load
	err := s.view(func(tx kvTx) error {
		if err := s.oversee(tx, actor, center); err != nil {
			return err
		}
		var err error
		out, err = holderLoads(tx, center, today)
		return err
	})
	return out, err
}
