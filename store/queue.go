package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"ceedesk/cases"
)

// MaxPage is the largest page Queue returns; DefaultPage is used when the query's Limit is 0.
const (
	MaxPage     = 10000
	DefaultPage = 50
)

func (s *Store) today() cases.Date { return cases.DateOf(s.now()) }

func getCase(tx *bolt.Tx, id string) (*cases.Case, error) {
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
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		if c, err = getCase(tx, id); err != nil {
			return err
		}
		return s.checkCase(tx, actor, c)
	})
	if err != nil {
		c = nil
	}
	return c, s.damagedRecord(err)
}

// walker yields one scope's index entries in sort order, merging the open and decided splits when both are wanted.
// On a due-date index it can be held to a range of due dates: it seeks to the first and stops after the last.
type walker struct {
	curs   []*bolt.Cursor
	k, v   [][]byte
	until  []byte // with a range: entries whose key is greater than this (the last due date's prefix) end the walk
	ranged bool
}

// dueRange is an inclusive range of due dates.
type dueRange struct{ from, to cases.Date }

// newWalker walks the scope's index of the given sort; due, if not nil, holds a due-date index to that range.
func newWalker(tx *bolt.Tx, scope []byte, sort byte, open, decided bool, due *dueRange) *walker {
	w := &walker{}
	var from []byte
	if due != nil && sort == sortDue {
		from, w.until, w.ranged = dateKey(nil, due.from), dateKey(nil, due.to), true
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
		var k, v []byte
		if from != nil {
			k, v = c.Seek(from)
		} else {
			k, v = c.First()
		}
		if k = w.bound(k); k == nil {
			continue
		}
		w.curs = append(w.curs, c)
		w.k = append(w.k, k)
		w.v = append(w.v, v)
	}
	return w
}

// bound returns k, or nil when k is past the walk's range.
func (w *walker) bound(k []byte) []byte {
	if w.ranged && k != nil && bytes.Compare(k[:min(len(k), 4)], w.until) > 0 {
		return nil
	}
	return k
}

// next returns the next entry, or nil at the end.
func (w *walker) next() ([]byte, []byte) {
	i := -1
	for j := range w.curs {
		if w.k[j] != nil && (i < 0 || bytes.Compare(w.k[j], w.k[i]) < 0) {
			i = j
		}
	}
	if i < 0 {
		return nil, nil
	}
	k, v := w.k[i], w.v[i]
	nk, nv := w.curs[i].Next()
	w.k[i], w.v[i] = w.bound(nk), nv
	return k, v
}

// plan is how a query walks an index: which splits, whether a scan with the filter is needed, and quick checks on
// the index value (status, kind) that skip rows without decoding them.
type plan struct {
	scope         []byte
	sort          byte
	open, decided bool
	scan          bool
	statuses      [8]bool
	anyStatus     bool
	kinds         [8]bool
	anyKind       bool
	center        string // extra condition when both Assignee and Center are given
	filter        cases.Filter
	today         cases.Date
	due           *dueRange // the due dates the filter admits, when it has a due term
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
	p := &plan{scope: scope, sort: so, open: true, decided: !q.OpenOnly, filter: q.Filter, today: q.Today}
	if p.today == 0 {
		p.today = s.today()
	}
	f := q.Filter
	if f.OpenOnly {
		p.decided = false
	}
	if len(f.Statuses) > 0 {
		open, decided := false, false
		for _, st := range f.Statuses {
			p.statuses[statusCode(st)] = true
			open = open || st.Open()
			decided = decided || !st.Open()
		}
		p.anyStatus = true
		p.open = p.open && open
		p.decided = p.decided && decided
	}
	for _, k := range f.Kinds {
		p.kinds[kindCode(k)] = true
		p.anyKind = true
	}
	if q.Assignee != "" && q.Center != "" {
		p.center = q.Center
	}
	p.due = dueRangeOf(f, p.today)
	// status and kind terms are decided exactly from the index value (quick); only other terms need the row
	rest := f
	rest.OpenOnly, rest.Query, rest.Statuses, rest.Kinds = false, "", nil, nil
	p.scan = !rest.Empty() || p.center != ""
	return p, nil
}

// dueRangeOf turns a filter's due term into the range of due dates it admits as of today (the same arithmetic as
// cases.Filter.Match), or nil when the filter has none.
func dueRangeOf(f cases.Filter, today cases.Date) *dueRange {
	if f.DueOp == "" {
		return nil
	}
	at := int64(today) + int64(f.DueDays)
	lo, hi := int64(math.MinInt32), int64(math.MaxInt32)
	switch f.DueOp {
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
	return &dueRange{clamp(lo), clamp(hi)}
}

// filterSize is the length of a filter's query text, or of its text terms when it was built without one: each
// term is matched against every row of the scope, so a filter is held to cases.MaxFilter however it was made.
func filterSize(f cases.Filter) int {
	count := utf8.RuneCountInString
	n := count(f.Importer) + count(f.Assignee) + count(f.Center)
	for i, w := range f.Words {
		n += count(w) + min(i, 1) // a space between words
	}
	return max(n, count(f.Query))
}

// match applies the plan's quick checks to an index value, then the filter to the decoded row.
func (p *plan) quick(v []byte) bool {
	if len(v) < 2 {
		return true
	}
	if p.anyStatus && !p.statuses[v[0]&7] {
		return false
	}
	if p.anyKind && !p.kinds[v[1]&7] {
		return false
	}
	return true
}

func (p *plan) match(r *cases.QueueRow) bool {
	if p.center != "" && !strings.EqualFold(r.Center, p.center) {
		return false
	}
	return p.filter.Match(r, p.today)
}

func readRow(rows *bolt.Bucket, id []byte) (cases.QueueRow, error) {
	return readRowAs(rows, id, decodeRow)
}

// readRowView reads a row whose strings are valid only inside the transaction (see decodeRowView).
func readRowView(rows *bolt.Bucket, id []byte) (cases.QueueRow, error) {
	return readRowAs(rows, id, decodeRowView)
}

func readRowAs(rows *bolt.Bucket, id []byte, decode func([]byte, *cases.QueueRow) error) (cases.QueueRow, error) {
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
func entryRow(rows *bolt.Bucket, k, v []byte, sort byte, view bool) (cases.QueueRow, error) {
	var r cases.QueueRow
	if sort == sortDue && rowFromDueEntry(k, v, &r, view) {
		return r, nil
	}
	if view {
		return readRowView(rows, keyID(k, sort))
	}
	return readRow(rows, keyID(k, sort))
}

// sortInMemory is the number of matching rows up to which a filtered queue in a sort other than due is ordered in
// memory; more matches are ordered by a second walk of that sort's index.
var sortInMemory = 1 << 14

// Queue returns one window of a reviewer's or a Center's queue and the size of the whole queue after the filter.
// Without a filter it seeks in the ordered index and decodes only the rows returned. With one, it walks the scope's
// due-date index once, in key order, testing the row copies the entries hold; in another sort it then orders the
// matches (see scanOtherSort). No filtered query reads rows at random, nor any case. The actor must be allowed
// to see the queue (cases.CanViewQueue, cases.CanViewCenter).
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
	err = s.view(func(tx *bolt.Tx) error {
		if err := s.checkQueue(tx, actor, q); err != nil {
			return err
		}
		rows := tx.Bucket(bRows)
		if p.scan && p.sort != sortDue {
			return scanOtherSort(tx, p, offset, limit, &page)
		}
		w := newWalker(tx, p.scope, p.sort, p.open, p.decided, p.due)
		if !p.scan && !p.anyStatus && !p.anyKind {
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
			if !p.quick(v) {
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
				continue
			}
			r, err := entryRow(rows, k, v, p.sort, true)
			if err != nil {
				return err
			}
			if !p.match(&r) {
				continue
			}
			n++
			if n > offset && len(page.Rows) < limit {
				cloneRow(&r)
				page.Rows = append(page.Rows, r)
			}
		}
		page.Total = n
		return nil
	})
	return page, err
}

// scanOtherSort answers a filtered query in a sort other than due. It finds the matching rows in one walk of the
// scope's due-date index (sequential, the rows in the values), then orders them: up to sortInMemory matches by
// sorting them on their index keys; past that by walking the wanted sort's index once, keeping the entries whose
// ids matched and reading only the rows of the page.
func scanOtherSort(tx *bolt.Tx, p *plan, offset, limit int, page *cases.QueuePage) error {
	rows := tx.Bucket(bRows)
	var kept []cases.QueueRow
	var ids map[string]struct{} // views into the transaction's pages
	err := matchingDue(tx, p, p.decided, func(r *cases.QueueRow) {
		switch {
		case ids == nil && len(kept) < sortInMemory:
			cloneRow(r)
			kept = append(kept, *r)
			return
		case ids == nil:
			ids = make(map[string]struct{}, 4*sortInMemory)
			for i := range kept {
				ids[kept[i].ID] = struct{}{}
			}
			kept = nil
		}
		ids[r.ID] = struct{}{}
	})
	if err != nil {
		return err
	}
	if ids == nil {
		keys := make([][]byte, len(kept))
		ord := make([]int, len(kept))
		for i := range kept {
			keys[i], ord[i] = indexKey(&kept[i], p.sort), i
		}
		slices.SortFunc(ord, func(a, b int) int { return bytes.Compare(keys[a], keys[b]) })
		page.Total = len(kept)
		for i := offset; i < len(ord) && len(page.Rows) < limit; i++ {
			page.Rows = append(page.Rows, kept[ord[i]])
		}
		return nil
	}
	n := 0
	w := newWalker(tx, p.scope, p.sort, p.open, p.decided, nil)
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

// Counts returns the queue's headline numbers as of q.Today (today when zero); Offset, Limit and Sort are ignored.
// Without a filter they come from per-scope statistics; with one, from the open rows of that scope. The actor must
// be allowed to see the queue, as for Queue.
func (s *Store) Counts(actor string, q cases.QueueQuery) (cases.Counts, error) {
	q.Sort = cases.SortDue
	p, err := s.plan(q)
	if err != nil {
		return cases.Counts{}, err
	}
	var c cases.Counts
	err = s.view(func(tx *bolt.Tx) error {
		if err := s.checkQueue(tx, actor, q); err != nil {
			return err
		}
		if !p.scan && !p.anyStatus && !p.anyKind {
			c = scopeCounts(tx, p.scope, p.today)
			return nil
		}
		return matchingDue(tx, p, false, func(r *cases.QueueRow) { c.Tally(r, p.today) })
	})
	return c, err
}

// matchingDue calls fn with each row of the plan's scope that passes its filter, in due-date order, from one walk
// of the due-date index (open rows, and decided ones when decided is set). A row is a view into the
// transaction's pages: clone what is kept.
func matchingDue(tx *bolt.Tx, p *plan, decided bool, fn func(r *cases.QueueRow)) error {
	rows := tx.Bucket(bRows)
	w := newWalker(tx, p.scope, sortDue, p.open, decided, p.due)
	var r cases.QueueRow // one row reused for the walk: fn gets a pointer, so r lives on the heap once, not per row
	for k, v := w.next(); k != nil; k, v = w.next() {
		if !p.quick(v) {
			continue
		}
		var err error
		if r, err = entryRow(rows, k, v, sortDue, true); err != nil {
			return err
		}
		if p.match(&r) {
			fn(&r)
		}
	}
	return nil
}

// scopeCounts reads a scope's counts from its totals and its histogram of open cases by due date.
func scopeCounts(tx *bolt.Tx, scope []byte, today cases.Date) cases.Counts {
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
	err := s.view(func(tx *bolt.Tx) error {
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
func pendingRows(tx *bolt.Tx, center string) ([]cases.QueueRow, error) {
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
	err := s.view(func(tx *bolt.Tx) error {
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
	err := s.view(func(tx *bolt.Tx) error {
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
	err := s.view(func(tx *bolt.Tx) error {
		if err := s.oversee(tx, actor, center); err != nil {
			return err
		}
		var err error
		out, err = holderLoads(tx, center, today)
		return err
	})
	return out, err
}
