package store

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ceedesk/cases"
)

// loadBatch is how many cases Load writes per transaction.
const loadBatch = 50000

// stamp gives a case arriving from outside its version and last-change fields when it has none: version 1, the
// actor and now. Values that are present (a re-import of an export) are kept exactly.
func stamp(c *cases.Case, actor string, now time.Time) {
	if c.Version == 0 {
		c.Version = 1
	}
	if c.UpdatedBy == "" {
		c.UpdatedBy = actor
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = now
	}
}

// insertBulk writes new cases (already validated and stamped, sorted by id) with their rows, their importer and
// decision entries and one audit event each, without touching the indexes; the caller rebuilds them (or calls
// putCase instead).
func (s *Store) insertBulk(tx kvTx, a *auditLog, actor, action, reason string, batch []*cases.Case, now time.Time) error {
	cb, rows := tx.Bucket(bCases), tx.Bucket(bRows)
	cb.SetFillPercent(0.9)
	rows.SetFillPercent(0.9)
	a.history.SetFillPercent(0.9)
	ck := newCaseKeySet() // put in key order once the batch is read: a bucket takes random keys slowly in bulk
	for _, c := range batch {
		id := []byte(c.ID)
		if cb.Get(id) != nil {
			return fmt.Errorf("case %s already exists in the store", c.ID)
		}
		v, err := encodeCase(c)
		if err != nil {
			return err
		}
		if err := cb.Put(id, v); err != nil {
			return err
		}
		r := c.Row(s.policy)
		if err := rows.Put(id, encodeRow(&r)); err != nil {
			return err
		}
		if err := caseKeys(c, &r, ck.add); err != nil {
			return err
		}
		if err := a.append(cases.Event{At: now, Actor: actor, Case: c.ID, Action: action, Change: cases.Diff(nil, c), Reason: reason}); err != nil {
			return err
		}
		a.events = a.events[:0] // bulk writes publish one summary change, not one per case
	}
	if err := ck.put(tx); err != nil {
		return err
	}
	if err := tx.Bucket(bMeta).Put(mCases, be64(metaUint(tx, mCases)+uint64(len(batch)))); err != nil {
		return err
	}
	return a.flush()
}

// caseHolders maps every user's name to the user, for checking assignees.
func (s *Store) caseHolders(tx kvTx) (map[string]cases.User, error) {
	m := map[string]cases.User{}
	err := tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
		u, err := getUser(tx, string(k))
		if err != nil {
			return err
		}
		m[u.Name] = u
		return nil
	})
	return m, err
}

// holderProblem says why a case's assignee cannot hold it, or "" when it can.
func holderProblem(users map[string]cases.User, c *cases.Case) string {
	if c.Assignee == "" {
		return ""
	}
	u, ok := users[c.Assignee]
	switch {
	case !ok:
		return fmt.Sprintf("%s is not a ceedesk user", c.Assignee)
	case u.Role != cases.RoleReviewer && u.Role != cases.RoleSupervisor:
		return fmt.Sprintf("%s is an %s and cannot hold cases", u.Name, u.Role)
	case !strings.EqualFold(u.Center, c.Center):
		return fmt.Sprintf("%s is in the %s Center, not %s", u.Name, u.Center, c.Center)
	}
	return ""
}

// unknownPeople reports every name a case records that is not a user of the store, by its JSON path: the authors
// of its notes, who made its requests and who recorded their answers, who sent its notices of action, who decided
// and approved it, who took part in the original decision of a
// protest under further review (a misspelt one would escape 19 CFR 174.26), and who changed it last (which may
// also be the operator, who stamps what it imports or seeds). The assignee is holderProblem's.
func unknownPeople(users map[string]cases.User, c *cases.Case) []*cases.FieldError {
	var out []*cases.FieldError
	check := func(field, name string) {
		if _, ok := users[name]; !ok && name != "" {
			out = append(out, &cases.FieldError{Field: field, Reason: fmt.Sprintf("%s is not a ceedesk user; add the user first", name)})
		}
	}
	for i, n := range c.Notes {
		check(fmt.Sprintf("notes[%d].author", i), n.Author)
	}
	for i, r := range c.Requests {
		check(fmt.Sprintf("requests[%d].by", i), r.By)
		check(fmt.Sprintf("requests[%d].recorded_by", i), r.RecordedBy)
	}
	for i, n := range c.Notices {
		check(fmt.Sprintf("notices[%d].by", i), n.By)
	}
	if d := c.Decision; d != nil {
		check("decision.by", d.By)
		check("decision.approver", d.Approver)
	}
	if p := c.Protest; p != nil {
		for i, n := range p.OriginalDeciders {
			check(fmt.Sprintf("protest.original_deciders[%d]", i), n)
		}
	}
	if c.UpdatedBy != Operator {
		check("updated_by", c.UpdatedBy)
	}
	return out
}

func validationText(errs []error) string {
	var parts []string
	for i, e := range errs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(errs)-5))
			break
		}
		parts = append(parts, e.Error())
	}
	return strings.Join(parts, "; ")
}

// Load bulk-loads new cases (for seeding): each is validated (cases.Validate, assignee a user of its Center), gets
// one audit event (action "seed") and is written in transactions of 50,000 cases with fsync off; the indexes are
// rebuilt once at the end and the file is synced once. Load is not all or nothing: on an error the cases of earlier
// batches stay, the indexes are rebuilt for them and the error says how many were loaded. If the process dies
// during Load, the next Open rebuilds the indexes. progress, if not nil, is called after each batch. Other writes
// wait until Load returns.
func (s *Store) Load(actor string, next func() (*cases.Case, bool), progress func(done int)) (int, error) {
	if s.readOnly {
		return 0, fmt.Errorf("store %s is open read-only", s.path)
	}
	if err := s.notOnDesk("seed"); err != nil {
		return 0, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// No fsync per commit, nor per file growth (bbolt syncs whenever it grows the file), and growth in large
	// steps; one sync at the end.
	if err := s.eng.bulk(true); err != nil {
		return 0, err
	}
	bulkOn := true
	defer func() {
		if bulkOn {
			s.eng.bulk(false)
		}
	}()

	var users map[string]cases.User
	err := s.boltUpdate(func(tx kvTx) error {
		var err error
		if users, err = s.caseHolders(tx); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(mDirty, []byte{1})
	})
	if err != nil {
		return 0, err
	}
	now := s.clock()
	done := 0
	var lastSeq uint64
	// on an engine with bounded transactions a batch is what one takes: a seeded case writes its record, its row,
	// its importer and decision keys, its audit event and history (about 8 keys and 3 KB)
	per := loadBatch
	if lim := s.eng.limits(); lim.Ops > 0 {
		per = max(1, min(per, (lim.Ops*9/10-txOverheadOps)/8))
		if lim.Bytes > 0 {
			per = max(1, min(per, (lim.Bytes*8/10-txOverheadBytes)/(4<<10)))
		}
	}
	batch := make([]*cases.Case, 0, min(per, 4096))
	flush := func() error {
		slices.SortFunc(batch, func(a, b *cases.Case) int { return strings.Compare(a.ID, b.ID) })
		for i := 1; i < len(batch); i++ {
			if batch[i].ID == batch[i-1].ID {
				return fmt.Errorf("case %s is given twice", batch[i].ID)
			}
		}
		err := s.boltUpdate(func(tx kvTx) error {
			a := s.openAudit(tx)
			if err := s.insertBulk(tx, a, actor, "seed", "", batch, now); err != nil {
				return err
			}
			lastSeq = a.seq
			return nil
		})
		if err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	var loadErr error
	for {
		c, ok := next()
		if !ok {
			break
		}
		if errs := cases.Validate(c); len(errs) > 0 {
			loadErr = fmt.Errorf("case %s: %s", c.ID, validationText(errs))
			break
		}
		if p := holderProblem(users, c); p != "" {
			loadErr = fmt.Errorf("case %s: assignee: %s", c.ID, p)
			break
		}
		stamp(c, actor, now)
		batch = append(batch, c)
		if len(batch) == per {
			if loadErr = flush(); loadErr != nil {
				break
			}
		}
	}
	if loadErr == nil && len(batch) > 0 {
		loadErr = flush()
	}
	err = s.updateLarge(func(tx kvTx) error { return s.rebuild(tx, false) })
	bulkOn = false
	if serr := s.eng.bulk(false); err == nil {
		err = serr
	}
	if loadErr != nil || err != nil {
		return done, fmt.Errorf("load into %s stopped after %d cases: %w", s.path, done, errors.Join(loadErr, err))
	}
	if done > 0 {
		s.feed.publish(cases.Change{Seq: lastSeq, Action: "seed", Actor: actor, At: now})
	}
	return done, nil
}

// The write of a large import. The check (importexport.go) leaves the good cases in an importSpool: records that
// hold all a write needs, in runs sorted by id. A reader goroutine merges the runs into batches in id order and,
// before it hands a batch on, writes the batch's index, importer and decision entries, sorted, as a run of a
// second temporary file (indexRuns); the calling goroutine writes each batch in one transaction (cases, rows,
// audit events and history, the case count and the import journal), then adds the entries of every written batch
// to the store from a merge of their runs, a transaction per indexTxEntries, and the statistics. Memory stays
// bounded by the batch and run sizes, whatever the size of the import; both temporary files are beside the store
// (on Unix, removed as soon as they are made: nothing is left behind however the process ends).

// importBatchSize is how many cases one transaction of a large import writes on an engine without limits (bbolt);
// a variable so tests can lower it. An engine with limits gets as many as fit them.
var importBatchSize = 5000

// indexTxEntries and indexTxBytes bound a transaction that adds index entries on an engine without limits.
var indexTxEntries, indexTxBytes = 50000, 4 << 20

// spoolChunk is how much of an import's records the check gathers before it sorts them and writes them out as a
// run; a variable so tests can lower it. An import under it never touches the disk.
var spoolChunk = 16 << 20

// importFault, when a test sets it, is called before each transaction of a large import, with its step ("batch",
// a batch of cases, or "index", index entries) and how many of that step were written; an error stops the import
// there, as a full disk would, and errImportCrash stops it as a process killed there would stop: without a word
// to the store.
var importFault func(step string, n int) error

var errImportCrash = errors.New("the process died (a test's crash)")

// Transactions of an engine with limits keep this much room for what a batch writes besides its cases.
const txOverheadOps, txOverheadBytes = 32, 16 << 10

// spoolRecord builds a good case's record: the case stamped and encoded as the store keeps it, its queue row, the
// change its audit event records, and its importer and decision keys.
func (s *Store) spoolRecord(c *cases.Case, actor string, now time.Time) ([]byte, error) {
	stamp(c, actor, now)
	enc, err := encodeCase(c)
	if err != nil {
		return nil, err
	}
	r := c.Row(s.policy)
	row := encodeRow(&r)
	change := cases.Diff(nil, c)
	b := make([]byte, 0, 24+len(c.ID)+len(enc)+len(row)+len(change)+3*(len(row)+64))
	b = appendField(b, []byte(c.ID))
	b = appendField(b, enc)
	b = appendField(b, row)
	b = appendField(b, []byte(change))
	var keys []spoolKey
	err = caseKeys(c, &r, func(bucket, k, v []byte) error {
		code := byte('m')
		if bytes.Equal(bucket, bDecisions) {
			code = 'd'
		}
		keys = append(keys, spoolKey{code, k, v})
		return nil
	})
	if err != nil {
		return nil, err
	}
	b = append(b, byte(len(keys)))
	for _, k := range keys {
		b = append(b, k.bucket)
		b = appendField(b, k.k)
		b = appendField(b, k.v)
	}
	return b, nil
}

func appendField(b, f []byte) []byte { return append(binary.AppendUvarint(b, uint64(len(f))), f...) }

func readField(b []byte) (f, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}

type spoolKey struct {
	bucket byte // 'm' importers, 'd' decisions
	k, v   []byte
}

// spoolRec is a record read back; its slices point into the record.
type spoolRec struct {
	id, enc, row, change []byte
	keys                 []spoolKey
}

var errSpool = errors.New("an import's temporary file does not read back as written")

func parseSpoolRec(b []byte) (spoolRec, error) {
	var r spoolRec
	ok := true
	field := func() []byte {
		var f []byte
		if ok {
			f, b, ok = readField(b)
		}
		return f
	}
	r.id, r.enc, r.row, r.change = field(), field(), field(), field()
	if !ok || len(b) == 0 {
		return r, errSpool
	}
	n := int(b[0])
	b = b[1:]
	for range n {
		if len(b) == 0 {
			return r, errSpool
		}
		k := spoolKey{bucket: b[0]}
		b = b[1:]
		k.k, k.v = field(), field()
		r.keys = append(r.keys, k)
	}
	if !ok || len(b) != 0 {
		return r, errSpool
	}
	return r, nil
}

func recID(rec []byte) []byte {
	id, _, _ := readField(rec)
	return id
}

// tempFile makes a temporary file in dir and, where the system allows it, removes its name at once, so that it
// goes with the process however that ends; remove is the name still to remove at the end, or "".
func tempFile(dir string) (f *os.File, remove string, err error) {
	f, err = os.CreateTemp(dir, ".ceedesk-import-*")
	if err != nil {
		return nil, "", err
	}
	if os.Remove(f.Name()) != nil {
		remove = f.Name()
	}
	return f, remove, nil
}

func closeTemp(f *os.File, remove string) {
	if f != nil {
		f.Close()
	}
	if remove != "" {
		os.Remove(remove)
	}
}

// tempDir is where an import's temporary files go: beside the store, on the disk that must hold the import anyway
// (and not in a /tmp that may be memory).
func (s *Store) tempDir() string {
	if fi, err := os.Stat(filepath.Dir(s.path)); err == nil && fi.IsDir() {
		return filepath.Dir(s.path)
	}
	return os.TempDir()
}

// importSpool holds the checked cases of an import until they are written: in memory up to spoolChunk, beyond it
// in a temporary file, as runs each sorted by id.
type importSpool struct {
	dir    string
	f      *os.File
	remove string
	w      *bufio.Writer
	off    int64
	runs   []spoolRun
	arena  []byte
	spans  []arenaSpan // the records of arena
	mem    bool        // every record is in arena, sorted
	n      int
	bytes  int64
}

type arenaSpan struct{ lo, hi int32 }

type spoolRun struct{ off, size int64 }

func newImportSpool(dir string) *importSpool { return &importSpool{dir: dir} }

func (sp *importSpool) add(rec []byte) error {
	if len(sp.arena)+len(rec) > spoolChunk && len(sp.spans) > 0 {
		if err := sp.flushRun(); err != nil {
			return err
		}
	}
	lo := len(sp.arena)
	sp.arena = append(sp.arena, rec...)
	sp.spans = append(sp.spans, arenaSpan{int32(lo), int32(len(sp.arena))})
	sp.n++
	sp.bytes += int64(len(rec))
	return nil
}

func (sp *importSpool) sortSpans() {
	slices.SortFunc(sp.spans, func(a, b arenaSpan) int {
		return bytes.Compare(recID(sp.arena[a.lo:a.hi]), recID(sp.arena[b.lo:b.hi]))
	})
}

func (sp *importSpool) flushRun() error {
	if sp.f == nil {
		var err error
		if sp.f, sp.remove, err = tempFile(sp.dir); err != nil {
			return fmt.Errorf("a temporary file for the import: %w", err)
		}
		sp.w = bufio.NewWriterSize(sp.f, 256<<10)
	}
	sp.sortSpans()
	start := sp.off
	var hdr [binary.MaxVarintLen64]byte
	for _, s := range sp.spans {
		rec := sp.arena[s.lo:s.hi]
		n := binary.PutUvarint(hdr[:], uint64(len(rec)))
		sp.w.Write(hdr[:n])
		sp.w.Write(rec)
		sum := binary.BigEndian.AppendUint32(hdr[:0], crc32.Checksum(rec, crc32c)) // a record read back is the record written
		if _, err := sp.w.Write(sum); err != nil {
			return fmt.Errorf("the import's temporary file: %w", err)
		}
		sp.off += int64(n + len(rec) + 4)
	}
	sp.runs = append(sp.runs, spoolRun{start, sp.off - start})
	sp.arena, sp.spans = sp.arena[:0], sp.spans[:0]
	return nil
}

// finish ends the gathering: the records are sorted in memory, or all written out.
func (sp *importSpool) finish() error {
	if sp.f == nil {
		sp.sortSpans()
		sp.mem = true
		return nil
	}
	if len(sp.spans) > 0 {
		if err := sp.flushRun(); err != nil {
			return err
		}
	}
	sp.arena, sp.spans = nil, nil
	if err := sp.w.Flush(); err != nil {
		return fmt.Errorf("the import's temporary file: %w", err)
	}
	return nil
}

// discard drops every record and the temporary file.
func (sp *importSpool) discard() {
	closeTemp(sp.f, sp.remove)
	*sp = importSpool{dir: sp.dir}
}

// spoolIter reads a spool's records in id order.
type spoolIter struct {
	sp   *importSpool
	i    int
	h    runHeap
	last *runReader // advanced at the next call, so what next returned stays valid until then
}

type runReader struct {
	r   *bufio.Reader
	cur []byte
}

func (rr *runReader) advance() (bool, error) {
	n, err := binary.ReadUvarint(rr.r)
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if n > 1<<30 {
		return false, errSpool
	}
	rr.cur = slices.Grow(rr.cur[:0], int(n)+4)[:n+4]
	if _, err := io.ReadFull(rr.r, rr.cur); err != nil {
		return false, fmt.Errorf("%w: %v", errSpool, err)
	}
	sum := binary.BigEndian.Uint32(rr.cur[n:])
	if rr.cur = rr.cur[:n]; crc32.Checksum(rr.cur, crc32c) != sum {
		return false, fmt.Errorf("%w: a record's checksum does not match", errSpool)
	}
	return true, nil
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return bytes.Compare(recID(h[i].cur), recID(h[j].cur)) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (sp *importSpool) iter() (*spoolIter, error) {
	it := &spoolIter{sp: sp}
	if sp.mem {
		return it, nil
	}
	bufSize := max(16<<10, min(256<<10, (8<<20)/max(1, len(sp.runs))))
	for _, r := range sp.runs {
		rr := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(sp.f, r.off, r.size), bufSize)}
		ok, err := rr.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			it.h = append(it.h, rr)
		}
	}
	heap.Init(&it.h)
	return it, nil
}

// next returns the next record, valid until the next call, or nil after the last.
func (it *spoolIter) next() ([]byte, error) {
	if it.sp.mem {
		if it.i == len(it.sp.spans) {
			return nil, nil
		}
		s := it.sp.spans[it.i]
		it.i++
		return it.sp.arena[s.lo:s.hi], nil
	}
	if it.last != nil {
		ok, err := it.last.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			heap.Fix(&it.h, 0)
		} else {
			heap.Pop(&it.h)
		}
		it.last = nil
	}
	if len(it.h) == 0 {
		return nil, nil
	}
	it.last = it.h[0]
	return it.last.cur, nil
}

// fitsOneTransaction says whether the engine takes the spool's cases in one transaction that updates the indexes
// case by case (putCase): always, on an engine without limits.
func (s *Store) fitsOneTransaction(sp *importSpool) bool {
	lim := s.eng.limits()
	const opsPerCase, bytesPerCase = 40, 2048 // case, row, index entries (up to 17), statistics, keys, event
	return (lim.Ops == 0 || sp.n*opsPerCase+txOverheadOps <= lim.Ops) &&
		(lim.Bytes == 0 || 3*sp.bytes+int64(sp.n)*bytesPerCase+txOverheadBytes <= int64(lim.Bytes))
}

// importOne writes a small import in one transaction, updating the indexes case by case: all or nothing.
func (s *Store) importOne(sp *importSpool, base, actor string, now time.Time) (int, error) {
	var seq uint64
	var ids []string
	err := s.update(func(tx kvTx) error {
		ids = ids[:0]
		if err := s.checkAdmin(tx, actor); err != nil {
			return err
		}
		if j, err := readJournal(tx); err != nil || j != nil {
			if err == nil {
				err = errors.New(j.refusal())
			}
			return err
		}
		it, err := sp.iter()
		if err != nil {
			return err
		}
		a := s.openAudit(tx)
		cb := tx.Bucket(bCases)
		for {
			b, err := it.next()
			if err != nil || b == nil {
				if err != nil {
					return err
				}
				break
			}
			rec, err := parseSpoolRec(b)
			if err != nil {
				return err
			}
			if cb.Get(rec.id) != nil {
				return fmt.Errorf("case %s was added to the store during the import", rec.id)
			}
			c, err := decodeCase(rec.enc)
			if err != nil {
				return err
			}
			if err := s.putCase(tx, nil, c); err != nil {
				return err
			}
			if err := a.append(cases.Event{At: now, Actor: actor, Case: c.ID, Action: "import", Change: string(rec.change), Reason: base}); err != nil {
				return err
			}
			if len(ids) < maxCoalesce {
				ids = append(ids, c.ID)
			}
		}
		seq = a.seq
		return a.flush()
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: nothing imported: %w", base, err)
	}
	s.feed.publish(cases.Change{Seq: seq, Action: "import", Actor: actor, Cases: ids, At: now})
	return sp.n, nil
}

// importBatch is a batch of records, in id order, in arenas of their own.
type importBatch struct {
	recs   []spoolRec
	arenas [][]byte
	ops    int
	bytes  int
	stats  batchStats // what the batch adds to the statistics
}

type batchStats struct {
	totals map[string]*totals
	hist   map[string]uint64
}

// fold adds b to s.
func (s *batchStats) fold(b batchStats) {
	if s.totals == nil {
		s.totals, s.hist = map[string]*totals{}, map[string]uint64{}
	}
	for k, t := range b.totals {
		a := s.totals[k]
		if a == nil {
			a = new(totals)
			s.totals[k] = a
		}
		a.All, a.Open, a.Pending, a.Revenue = a.All+t.All, a.Open+t.Open, a.Pending+t.Pending, a.Revenue+t.Revenue
	}
	for k, n := range b.hist {
		s.hist[k] += n
	}
}

func (b *importBatch) add(rec []byte) (spoolRec, error) {
	last := len(b.arenas) - 1
	if last < 0 || cap(b.arenas[last])-len(b.arenas[last]) < len(rec) {
		b.arenas = append(b.arenas, make([]byte, 0, max(4<<20, len(rec))))
		last++
	}
	a := b.arenas[last]
	lo := len(a)
	a = append(a, rec...)
	b.arenas[last] = a
	r, err := parseSpoolRec(a[lo:len(a):len(a)])
	if err == nil {
		b.recs = append(b.recs, r)
	}
	return r, err
}

// recCost is what writing a record costs a transaction of the bulk path: the case, its row, its audit event and
// its history entry.
func recCost(r *spoolRec, actor, reason string) (ops, size int) {
	change, _ := json.Marshal(string(r.change))
	event := 320 + len(r.id) + len(actor) + 6*len(reason) + len(change) // the JSON of the event, both hashes included
	return 4, 3*len(r.id) + 9 + len(r.enc) + len(r.row) + event
}

var errStopped = errors.New("stopped")

// readBatches cuts the spool into batches, writes each batch's index entries as a run, and hands the batch on.
func (s *Store) readBatches(sp *importSpool, lim kvLimits, runs *indexRuns, actor, reason string, out chan<- *importBatch, stop <-chan struct{}) error {
	it, err := sp.iter()
	if err != nil {
		return err
	}
	b := new(importBatch)
	flush := func() error {
		var err error
		if b.stats, err = runs.add(b.recs); err != nil {
			return err
		}
		select {
		case out <- b:
		case <-stop:
			return errStopped
		}
		b = new(importBatch)
		return nil
	}
	for {
		raw, err := it.next()
		if err != nil {
			return err
		}
		if raw == nil {
			break
		}
		full := len(b.recs) >= importBatchSize
		ops, size := 0, 0
		if lim.Ops > 0 || lim.Bytes > 0 {
			rec, err := parseSpoolRec(raw)
			if err != nil {
				return err
			}
			ops, size = recCost(&rec, actor, reason)
			if (lim.Ops > 0 && ops+txOverheadOps > lim.Ops) || (lim.Bytes > 0 && size+txOverheadBytes > lim.Bytes) {
				return fmt.Errorf("case %s is too large for one transaction of %s (%d bytes)", rec.id, s.eng.name(), size)
			}
			full = full || (lim.Ops > 0 && b.ops+ops+txOverheadOps > lim.Ops) || (lim.Bytes > 0 && b.bytes+size+txOverheadBytes > lim.Bytes)
		}
		if full && len(b.recs) > 0 {
			if err := flush(); err != nil {
				return err
			}
		}
		if _, err := b.add(raw); err != nil {
			return err
		}
		b.ops += ops
		b.bytes += size
	}
	if len(b.recs) > 0 {
		return flush()
	}
	return nil
}

// importBulk writes a large import (or the rest of one that stopped: j is its journal) in batches, then its index
// entries and statistics.
func (s *Store) importBulk(sp *importSpool, resume *ImportJournal, j *ImportJournal, base, actor string, now time.Time, seq0 uint64, progress func(ImportProgress)) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// The check ran without the writer lock: see that what it found still holds.
	changed := false
	err := s.view(func(tx kvTx) error {
		cur, err := readJournal(tx)
		switch {
		case err != nil:
			return err
		case tx.Bucket(bMeta).Get(mDirty) != nil:
			return errors.New(dirtyIndexes)
		case cur != nil && (resume == nil || cur.SHA256 != resume.SHA256 || cur.Written != resume.Written):
			return errors.New(cur.refusal())
		case cur == nil && resume != nil:
			return fmt.Errorf("the unfinished import of %s was abandoned during the check; import again", printable(resume.File))
		}
		changed = metaUint(tx, mAuditSeq) != seq0
		return nil
	})
	if err == nil && changed {
		err = s.recheck(sp)
	}
	if err != nil {
		return 0, fmt.Errorf("import %s: nothing imported: %w", base, err)
	}

	if err := s.eng.bulk(true); err != nil {
		return 0, fmt.Errorf("import %s: nothing imported: %w", base, err)
	}
	bulkOn := true
	defer func() {
		if bulkOn {
			s.eng.bulk(false)
		}
	}()
	lim := s.eng.limits()
	runs := &indexRuns{dir: s.tempDir()}
	defer runs.discard()
	batches := make(chan *importBatch)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		readErr = s.readBatches(sp, lim, runs, actor, base, batches, stop)
	}()
	written, nb := 0, 0
	var stats batchStats // of the batches written
	var seq uint64
	var ids []string
	var writeErr error
	total := int64(j.Cases - j.Written)
	if progress != nil {
		progress(ImportProgress{Phase: "writing", Total: total})
	}
	for b := range batches {
		if importFault != nil {
			if writeErr = importFault("batch", nb); writeErr != nil {
				break
			}
		}
		next := *j
		next.Written += len(b.recs)
		next.LastID = string(b.recs[len(b.recs)-1].id)
		next.Updated = now
		err := s.boltUpdate(func(tx kvTx) error {
			if err := s.checkAdmin(tx, actor); err != nil {
				return err
			}
			meta := tx.Bucket(bMeta)
			if nb == 0 {
				if err := meta.Put(mDirty, []byte{1}); err != nil {
					return err
				}
			}
			cb, rows := tx.Bucket(bCases), tx.Bucket(bRows)
			cb.SetFillPercent(0.9)
			rows.SetFillPercent(0.9)
			a := s.openAudit(tx)
			a.history.SetFillPercent(0.9)
			for i := range b.recs {
				r := &b.recs[i]
				if cb.Get(r.id) != nil {
					return fmt.Errorf("case %s was added to the store during the import", r.id)
				}
				if err := cb.Put(r.id, r.enc); err != nil {
					return err
				}
				if err := rows.Put(r.id, r.row); err != nil {
					return err
				}
				if err := a.append(cases.Event{At: now, Actor: actor, Case: string(r.id), Action: "import", Change: string(r.change), Reason: base}); err != nil {
					return err
				}
				a.events = a.events[:0] // a bulk write publishes one summary change, not one per case
			}
			if err := meta.Put(mCases, be64(metaUint(tx, mCases)+uint64(len(b.recs)))); err != nil {
				return err
			}
			if err := putJournal(tx, &next); err != nil {
				return err
			}
			seq = a.seq
			return a.flush()
		})
		if err != nil {
			writeErr = err
			break
		}
		*j = next
		nb++
		stats.fold(b.stats)
		for i := 0; i < len(b.recs) && len(ids) < maxCoalesce; i++ {
			ids = append(ids, string(b.recs[i].id))
		}
		written += len(b.recs)
		if progress != nil {
			progress(ImportProgress{Phase: "writing", Done: int64(written), Total: total})
		}
	}
	close(stop)
	for range batches { // the reader ends at its next batch
	}
	if writeErr == nil && readErr != nil && !errors.Is(readErr, errStopped) {
		writeErr = readErr
	}
	if errors.Is(writeErr, errImportCrash) {
		return written, writeErr // as a killed process leaves the store: the next Open rebuilds the indexes
	}
	runs.groups, runs.arena, runs.buf = nil, nil, nil // the batch builder's, no longer needed
	// Index what was written, and close the journal if that is all of the file.
	var idxErr error
	if nb > 0 || writeErr == nil {
		idxErr = s.writeIndexRuns(runs, nb, stats, lim, writeErr == nil, progress)
		if errors.Is(idxErr, errImportCrash) {
			return written, idxErr
		}
	}
	bulkOn = false
	if err := s.eng.bulk(false); idxErr == nil {
		idxErr = err
	}
	if written > 0 && idxErr == nil {
		s.feed.publish(cases.Change{Seq: seq, Action: "import", Actor: actor, Cases: ids, At: now})
	}
	var incomplete string
	if idxErr != nil {
		incomplete = fmt.Sprintf("; their index entries could not all be written (%v): the store's indexes are rebuilt when the store is next opened, so restart ceedesk (the server too)", idxErr)
	}
	switch {
	case writeErr != nil && j.Written == 0:
		return 0, fmt.Errorf("import %s: nothing imported: %w", base, writeErr)
	case writeErr != nil:
		return written, fmt.Errorf("import %s stopped after %d of its %d cases: %w; the %d imported are in the store, each with its audit event%s; import the same file again to import the other %d",
			base, j.Written, j.Cases, writeErr, j.Written, incomplete, j.Cases-j.Written)
	case idxErr != nil:
		return written, fmt.Errorf("import %s: all %d cases are in the store%s; then import the same file again to end the import", base, j.Cases, incomplete)
	}
	return written, nil
}

// recheck sees that none of the spooled ids came into the store since the check looked.
func (s *Store) recheck(sp *importSpool) error {
	it, err := sp.iter()
	if err != nil {
		return err
	}
	for done := false; !done; {
		err := s.view(func(tx kvTx) error {
			cb := tx.Bucket(bCases)
			for range 10000 {
				rec, err := it.next()
				if err != nil {
					return err
				}
				if rec == nil {
					done = true
					return nil
				}
				if id := recID(rec); cb.Get(id) != nil {
					return fmt.Errorf("case %s was added to the store during the import's check; import again", id)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// indexRuns are the index, importer and decision entries of the batches of a large import, each batch's sorted by
// bucket and key, in a temporary file.
type indexRuns struct {
	dir     string
	f       *os.File
	remove  string
	w       *bufio.Writer
	off     int64
	runs    []indexRun
	buckets []derivedBucket // by number
	index   map[string]int  // index bucket name -> number
	other   [2]int          // the numbers of importers and decisions, once they have one (number+1)
	groups  [][]runEntry    // a batch's entries by bucket number
	arena   []byte          // a batch's keys and values
	buf     []byte          // a batch's run, encoded
	name    []byte
}

type derivedBucket struct{ top, nested []byte }

type indexRun struct {
	off, size int64
	entries   int
	sum       uint32 // CRC-32C of the run, checked when the run is read back
}

type runEntry struct{ k, v []byte }

func (x *indexRuns) bucket(top, nested []byte) int {
	x.buckets = append(x.buckets, derivedBucket{top, slices.Clone(nested)})
	x.groups = append(x.groups, nil)
	return len(x.buckets) - 1
}

// add writes the run of one batch: the entries putCase would add to the index, importers and decisions buckets
// for its cases (index and putCaseKey), derived as expected.add and caseKeys derive them for rebuild and Check, in
// bucket and key order; it returns what they add to the statistics (expected.addStats).
func (x *indexRuns) add(recs []spoolRec) (batchStats, error) {
	if x.f == nil {
		var err error
		if x.f, x.remove, err = tempFile(x.dir); err != nil {
			return batchStats{}, fmt.Errorf("a temporary file for the import's index entries: %w", err)
		}
		x.w = bufio.NewWriterSize(x.f, 256<<10)
		x.index = map[string]int{}
	}
	st := newExpected()
	for i := range x.groups {
		clear(x.groups[i])
		x.groups[i] = x.groups[i][:0]
	}
	x.arena = x.arena[:0]
	var r cases.QueueRow
	for i := range recs {
		if err := decodeRowView(recs[i].row, &r); err != nil {
			return batchStats{}, fmt.Errorf("case %s: %w", recs[i].id, err)
		}
		open := r.Status.Open()
		for _, sc := range rowScopes(&r) {
			for _, so := range sortCodes {
				if scopeSort(sc, so) != so {
					continue
				}
				x.name = append(x.name[:0], sc...)
				x.name = append(x.name, 0, splitByte(open), so)
				id, ok := x.index[string(x.name)]
				if !ok {
					id = x.bucket(bIndex, x.name)
					x.index[string(x.name)] = id
				}
				lo := len(x.arena)
				x.arena = appendIndexKey(x.arena, &r, so)
				k := x.arena[lo:len(x.arena):len(x.arena)]
				v := indexValue(&r, sortOther)
				if so == sortDue {
					lo = len(x.arena)
					x.arena = appendDueValue(x.arena, &r)
					v = x.arena[lo:len(x.arena):len(x.arena)]
				}
				x.groups[id] = append(x.groups[id], runEntry{k, v})
			}
		}
		for _, sc := range statScopes(&r) {
			st.addStats(sc, &r)
		}
		for _, k := range recs[i].keys {
			j, top := 0, bImporters
			if k.bucket == 'd' {
				j, top = 1, bDecisions
			}
			if x.other[j] == 0 {
				x.other[j] = x.bucket(top, nil) + 1
			}
			id := x.other[j] - 1
			x.groups[id] = append(x.groups[id], runEntry{k.k, k.v})
		}
	}
	run := indexRun{off: x.off}
	x.buf = x.buf[:0]
	for id, g := range x.groups {
		slices.SortFunc(g, func(a, b runEntry) int { return bytes.Compare(a.k, b.k) })
		for _, e := range g {
			x.buf = binary.AppendUvarint(x.buf, uint64(id))
			x.buf = appendField(x.buf, e.k)
			x.buf = appendField(x.buf, e.v)
		}
		run.entries += len(g)
	}
	if _, err := x.w.Write(x.buf); err != nil {
		return batchStats{}, fmt.Errorf("the import's temporary file: %w", err)
	}
	x.off += int64(len(x.buf))
	run.size = x.off - run.off
	run.sum = crc32.Checksum(x.buf, crc32c)
	x.runs = append(x.runs, run)
	return batchStats{st.totals, st.hist}, nil
}

func (x *indexRuns) discard() { closeTemp(x.f, x.remove) }

// entryReader reads the entries of one run.
type entryReader struct {
	r      *bufio.Reader
	crc    hash.Hash32 // of what was read
	sum    uint32      // of the run, as written
	nb     int         // how many buckets there are
	bucket uint32
	k, v   []byte
}

func newEntryReader(f *os.File, r indexRun, buckets, bufSize int) *entryReader {
	er := &entryReader{crc: crc32.New(crc32c), sum: r.sum, nb: buckets}
	er.r = bufio.NewReaderSize(io.TeeReader(io.NewSectionReader(f, r.off, r.size), er.crc), bufSize)
	return er
}

func (er *entryReader) advance() (bool, error) {
	id, err := binary.ReadUvarint(er.r)
	if err == io.EOF {
		if er.crc.Sum32() != er.sum {
			return false, fmt.Errorf("%w: a run of index entries does not match its checksum", errSpool)
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if id >= uint64(er.nb) {
		return false, fmt.Errorf("%w: an index entry names bucket %d of %d", errSpool, id, er.nb)
	}
	er.bucket = uint32(id)
	for _, p := range []*[]byte{&er.k, &er.v} {
		n, err := binary.ReadUvarint(er.r)
		if err != nil || n > 1<<30 {
			return false, errSpool
		}
		*p = slices.Grow((*p)[:0], int(n))[:n]
		if _, err := io.ReadFull(er.r, *p); err != nil {
			return false, fmt.Errorf("%w: %v", errSpool, err)
		}
	}
	return true, nil
}

type entryHeap []*entryReader

func (h entryHeap) Len() int { return len(h) }
func (h entryHeap) Less(i, j int) bool {
	if h[i].bucket != h[j].bucket {
		return h[i].bucket < h[j].bucket
	}
	return bytes.Compare(h[i].k, h[j].k) < 0
}
func (h entryHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *entryHeap) Push(x any)   { *h = append(*h, x.(*entryReader)) }
func (h *entryHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// mergedEntries are entries of the runs in key order, in an arena of their own (the engine holds what it is given
// until the commit).
type mergedEntries struct {
	ents  []mergedEntry
	arena []byte
}

// mergedEntry is an entry of a bucket, whose key and value follow each other in the arena from lo.
type mergedEntry struct {
	bucket     uint32
	lo         uint32
	klen, vlen uint32
}

func (c *mergedEntries) kv(e *mergedEntry) (k, v []byte) {
	k = c.arena[e.lo : e.lo+e.klen : e.lo+e.klen]
	if e.vlen > 0 {
		v = c.arena[e.lo+e.klen : e.lo+e.klen+e.vlen : e.lo+e.klen+e.vlen]
	}
	return k, v
}

// merge hands out the entries of the first n runs in (bucket, key) order, a chunk at a time.
func (x *indexRuns) merge(n int, out chan<- *mergedEntries, stop <-chan struct{}) error {
	var h entryHeap
	if n > 0 {
		bufSize := max(16<<10, min(256<<10, (8<<20)/n))
		for _, r := range x.runs[:n] {
			er := newEntryReader(x.f, r, len(x.buckets), bufSize)
			ok, err := er.advance()
			if err != nil {
				return err
			}
			if ok {
				h = append(h, er)
			}
		}
	}
	heap.Init(&h)
	const chunk = 1 << 20
	c := &mergedEntries{arena: make([]byte, 0, chunk), ents: make([]mergedEntry, 0, chunk/32)}
	send := func() bool {
		select {
		case out <- c:
			c = &mergedEntries{arena: make([]byte, 0, chunk), ents: make([]mergedEntry, 0, chunk/32)}
			return true
		case <-stop:
			return false
		}
	}
	for len(h) > 0 {
		er := h[0]
		if cap(c.arena)-len(c.arena) < len(er.k)+len(er.v) && len(c.ents) > 0 {
			if !send() {
				return errStopped
			}
		}
		lo := len(c.arena)
		c.arena = append(append(c.arena, er.k...), er.v...)
		c.ents = append(c.ents, mergedEntry{bucket: er.bucket, lo: uint32(lo), klen: uint32(len(er.k)), vlen: uint32(len(er.v))})
		ok, err := er.advance()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	if len(c.ents) > 0 && !send() {
		return errStopped
	}
	return nil
}

// writeIndexRuns adds the entries of the first n runs to the store, in key order (a goroutine merges the runs
// while this one writes), then their statistics, then clears the mark that the indexes are incomplete and, when
// finish is set, the import journal.
func (s *Store) writeIndexRuns(x *indexRuns, n int, stats batchStats, lim kvLimits, finish bool, progress func(ImportProgress)) error {
	var total int64
	if n > 0 {
		if err := x.w.Flush(); err != nil {
			return fmt.Errorf("the import's temporary file: %w", err)
		}
		for _, r := range x.runs[:n] {
			total += int64(r.entries)
		}
	}
	if progress != nil {
		progress(ImportProgress{Phase: "indexing", Total: total})
	}
	chunks := make(chan *mergedEntries, 2)
	stop := make(chan struct{})
	var mergeErr error
	go func() {
		defer close(chunks)
		mergeErr = x.merge(n, chunks, stop)
	}()
	defer func() {
		close(stop)
		for range chunks {
		}
	}()
	maxOps, maxBytes := indexTxEntries, indexTxBytes
	if lim.Ops > 0 {
		maxOps = lim.Ops - txOverheadOps
	}
	if lim.Bytes > 0 {
		maxBytes = lim.Bytes - txOverheadBytes
	}
	var cur *mergedEntries
	pos := 0
	peek := func() *mergedEntry {
		for cur == nil || pos == len(cur.ents) {
			c, ok := <-chunks
			if !ok {
				return nil
			}
			cur, pos = c, 0
		}
		return &cur.ents[pos]
	}
	var done int64
	for txs := 0; peek() != nil; txs++ {
		if importFault != nil {
			if err := importFault("index", txs); err != nil {
				return err
			}
		}
		err := s.boltUpdate(func(tx kvTx) error {
			bucket := ^uint32(0)
			var b kvBucket
			ops, size := 0, 0
			for e := peek(); e != nil; e = peek() {
				need := int(e.klen + e.vlen)
				if e.bucket != bucket {
					need += len(x.buckets[e.bucket].nested)
				}
				if ops > 0 && (ops+2 > maxOps || size+need > maxBytes) {
					break
				}
				if e.bucket != bucket {
					d := x.buckets[e.bucket]
					if d.nested == nil {
						b = tx.Bucket(d.top)
					} else {
						var err error
						if b, err = tx.Bucket(d.top).CreateBucketIfNotExists(d.nested); err != nil {
							return err
						}
						ops++
					}
					b.SetFillPercent(0.9)
					bucket = e.bucket
				}
				if err := b.Put(cur.kv(e)); err != nil {
					return err
				}
				ops++
				size += need
				done++
				pos++
			}
			return nil
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(ImportProgress{Phase: "indexing", Done: done, Total: total})
		}
	}
	if mergeErr != nil {
		return mergeErr
	}
	// statistics: the batches' totals and histograms, added to the store's
	tot, hist := stats.totals, stats.hist
	keys := make([]string, 0, len(tot)+len(hist))
	for k := range tot {
		keys = append(keys, k)
	}
	for k := range hist {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for len(keys) > 0 {
		m := min(len(keys), max(1, maxOps), max(1, maxBytes/64))
		err := s.boltUpdate(func(tx kvTx) error {
			st := tx.Bucket(bStats)
			for _, k := range keys[:m] {
				var v []byte
				if t, ok := tot[k]; ok {
					old := decodeTotals(st.Get([]byte(k)))
					old.All, old.Open, old.Pending, old.Revenue = old.All+t.All, old.Open+t.Open, old.Pending+t.Pending, old.Revenue+t.Revenue
					v = old.encode()
				} else {
					var c uint64
					if old := st.Get([]byte(k)); len(old) == 8 {
						c = binary.BigEndian.Uint64(old)
					}
					v = be64(c + hist[k])
				}
				if err := st.Put([]byte(k), v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		keys = keys[m:]
	}
	return s.boltUpdate(func(tx kvTx) error {
		meta := tx.Bucket(bMeta)
		if err := meta.Delete(mDirty); err != nil {
			return err
		}
		if finish {
			return meta.Delete(mImport)
		}
		return nil
	})
}
