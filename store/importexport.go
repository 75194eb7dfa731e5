package store

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"ceedesk/cases"
)

// Limits on what Import reads.
const (
	MaxImportRow  = 1 << 20  // one line of .jsonl, one record of .csv
	MaxImportFile = 16 << 30 // the whole file (about 14 million exported cases)
)

// maxImportFile is MaxImportFile, a variable so tests can lower it.
var maxImportFile int64 = MaxImportFile

// bulkImport is the size from which Import writes in batches, sorting the index entries outside the store,
// instead of in one transaction that updates the indexes case by case. A variable so tests can lower it.
var bulkImport = 20000

// ImportError is an import refused because of bad rows; nothing was imported. Rows lists every problem found, in
// line order, up to maxRowErrors (100,000); Omitted counts those beyond.
type ImportError struct {
	File    string
	Rows    []RowError
	Omitted int
}

// RowError is one problem with one row of an import file. Line is the 1-based line where the row starts; Field is
// the case field (its JSON path, which is also the CSV column), or "" for a problem with the row as a whole.
type RowError struct {
	Line   int
	Field  string
	Reason string
}

func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// clean makes a row error safe and short enough to print: it quotes what came from the file (an unknown field or
// column name, a bad value) wherever that holds something a terminal would act on (an escape sequence, a control
// character, invalid UTF-8), and cuts the field to 64 and the reason to 400 bytes.
func (e *RowError) clean() {
	e.Field = shorten(printable(e.Field), 64)
	e.Reason = shorten(printable(e.Reason), 400)
}

// printable escapes, Go-style (\x1b, \u202e, \xff), every rune of s that is neither graphic nor a space.
func printable(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || (r != ' ' && !unicode.IsGraphic(r)) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == ' ' || (r != utf8.RuneError && unicode.IsGraphic(r)):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

// shorten cuts s to at most max bytes at a rune boundary, marking the cut with "...".
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// maxShownRows bounds the rows Error prints.
const maxShownRows = 1000

func (e *ImportError) Error() string {
	var b strings.Builder
	noun := "rows"
	n := len(e.Rows) + e.Omitted
	if n == 1 {
		noun = "row"
	}
	fmt.Fprintf(&b, "import %s: %d bad %s; nothing imported", printable(e.File), n, noun)
	for i, r := range e.Rows {
		if i == maxShownRows {
			break
		}
		fmt.Fprintf(&b, "\n%s %s", printable(e.File), r.Error())
	}
	if n > maxShownRows {
		fmt.Fprintf(&b, "\n... and %d more", n-min(len(e.Rows), maxShownRows))
	}
	return b.String()
}

// ImportOptions are the choices of ImportWith.
type ImportOptions struct {
	// Progress, when set, is called now and then, from the goroutine that called ImportWith, with what the import
	// is doing: "checking" (Done rows checked; Total 0, not known before the end), "writing" (Done of Total cases)
	// and "indexing" (Done of Total index entries).
	Progress func(ImportProgress)
}

// ImportProgress is how far an import has gone.
type ImportProgress struct {
	Phase       string
	Done, Total int64
}

// Import reads cases from r, a .jsonl or .csv file (by the extension of name; see docs/import-format.md), and adds
// them all, or none. It is ImportWith without progress.
func (s *Store) Import(r io.Reader, name, actor string) (int, error) {
	return s.ImportWith(r, name, actor, ImportOptions{})
}

// ImportWith reads cases from r, a .jsonl or .csv file (by the extension of name; see docs/import-format.md), and
// adds them all, or none. It reads r once, row by row, in bounded memory whatever its size, and checks every row
// before it writes anything: the format, cases.Validate (after cases.Normalize), ids unique within the file and new
// to the store, the assignee an existing user of the case's Center who can hold cases, everyone else it names a
// user, and no time it records later than now. If any row is bad it returns an *ImportError listing the bad rows
// and writes nothing. The checked cases wait, ready to be written, in a temporary file beside the store (a few
// thousand, in memory) until the check ends.
//
// An import under bulkImport cases is written in one transaction. A larger one is written in batches, in id
// order, with fsync off until the end (like Load); its index entries are sorted outside the store and added once
// every case is in. Each batch records how far the import got (an import journal, see ImportJournal). If a batch
// cannot be written (a full disk) the error says how many cases were imported; running the same import again
// imports the rest: the cases the journal says were imported are skipped, not refused as already in the store.
// While a journal is open the store refuses to import any other file. If the process dies during a large import,
// the next Open rebuilds the indexes, and the same import finishes it.
//
// Each imported case gets one audit event (action "import"); a case without a version gets version 1. The actor
// must be an admin or the Operator.
func (s *Store) ImportWith(r io.Reader, name, actor string, opt ImportOptions) (int, error) {
	base := filepath.Base(name)
	if err := s.notOnDesk("import"); err != nil {
		return 0, err
	}
	var j *ImportJournal
	var users map[string]cases.User
	var seq uint64
	var dirty bool
	err := s.view(func(tx kvTx) error {
		if err := s.checkAdmin(tx, actor); err != nil {
			return err
		}
		var err error
		if j, err = readJournal(tx); err != nil {
			return err
		}
		dirty = tx.Bucket(bMeta).Get(mDirty) != nil
		seq = metaUint(tx, mAuditSeq)
		users, err = s.caseHolders(tx)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", base, err)
	}
	scan, err := importFormat(name)
	if err != nil {
		return 0, err
	}
	switch {
	case s.readOnly:
		return 0, fmt.Errorf("import %s: store %s is open read-only", base, s.path)
	case dirty:
		return 0, fmt.Errorf("import %s: %s; nothing imported", base, dirtyIndexes)
	case j != nil && j.File != base:
		return 0, fmt.Errorf("import %s: %s; nothing imported", base, j.refusal())
	}
	now := s.clock()
	k := &importCheck{s: s, actor: actor, now: now, users: users, journal: j, ids: newIDSet(),
		spool: newImportSpool(s.tempDir()), progress: opt.Progress}
	defer k.spool.discard()
	if err := k.run(r, scan, base); err != nil {
		return 0, err
	}
	k.ids, k.pending = nil, nil // for the write, the memory they held
	if len(k.bad) > 0 {
		slices.SortStableFunc(k.bad, func(a, b RowError) int { return a.Line - b.Line })
		return 0, &ImportError{File: base, Rows: k.bad, Omitted: k.omitted}
	}
	if j != nil {
		if k.sum != j.SHA256 {
			return 0, fmt.Errorf("import %s: this is not the file whose import stopped: its content differs (sha256 %.12s…, not %.12s…); %s; nothing imported",
				base, k.sum, j.SHA256, j.refusal())
		}
		if k.skipped != j.Written {
			return 0, fmt.Errorf("import %s: the unfinished import of this file imported %d cases, but %d of its cases are in the store; nothing imported",
				base, j.Written, k.skipped)
		}
	}
	n := k.spool.n
	if j == nil && n == 0 {
		return 0, nil
	}
	if j == nil && n < bulkImport && s.fitsOneTransaction(k.spool) {
		return s.importOne(k.spool, base, actor, now)
	}
	next := &ImportJournal{File: base, SHA256: k.sum, Size: k.size, Cases: n, Actor: actor, Started: now}
	if j != nil {
		c := *j
		next = &c
	}
	return s.importBulk(k.spool, j, next, base, actor, now, seq, opt.Progress)
}

// dirtyIndexes says why a store whose indexes an interrupted bulk write left incomplete takes no import.
const dirtyIndexes = "the store's indexes are incomplete after an interrupted import or load; they are rebuilt when the store is next opened: restart ceedesk (the server too), then import again"

// importFormat is the reader of an import file's format, chosen by the extension of its name.
func importFormat(name string) (func(io.Reader, func(importRow) error) error, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return func(r io.Reader, emit func(importRow) error) error {
			return scanJSONL(r, func(line int, text []byte, bad *RowError) error {
				return emit(importRow{line: line, text: text, bad: bad})
			})
		}, nil
	case ".csv":
		return func(r io.Reader, emit func(importRow) error) error {
			return scanCSV(r, func(line int, rec []string, cols []int, bad *RowError) error {
				return emit(importRow{line: line, csv: true, rec: rec, cols: cols, bad: bad})
			})
		}, nil
	}
	return nil, fmt.Errorf("import %s: want a .jsonl or .csv file", filepath.Base(name))
}

// importRow is one row of an import file as its reader found it: a problem with the row as a whole (bad), or the
// text of a .jsonl row, or the cells of a .csv record and the columns they are for.
type importRow struct {
	line int
	bad  *RowError
	csv  bool
	text []byte
	rec  []string
	cols []int
}

// caseOf makes the case of a row, or says why it cannot; the problems come without their line.
func (r *importRow) caseOf() (*cases.Case, []RowError) {
	switch {
	case r.bad != nil:
		return nil, []RowError{*r.bad}
	case r.csv:
		return csvCase(r.rec, r.cols)
	}
	if errs := notUTF8(r.text); len(errs) > 0 {
		return nil, errs
	}
	c, re := decodeJSONCase(r.text)
	if re != nil {
		return nil, []RowError{*re}
	}
	return c, nil
}

// checkCase applies cases.Normalize to a case read from an import file and returns its problems but those of its
// id (unique in the file, new to the store), which come between pre and post: cases.Validate and cases.CheckTimes
// (no time later than now) before, then an assignee who cannot hold the case and every other person it names who
// is not a user.
func checkCase(c *cases.Case, users map[string]cases.User, now time.Time) (pre, post []RowError) {
	cases.Normalize(c)
	for _, e := range append(cases.Validate(c), cases.CheckTimes(c, now)...) {
		var fe *cases.FieldError
		if errors.As(e, &fe) {
			pre = append(pre, RowError{Field: fe.Field, Reason: fe.Reason})
		} else {
			pre = append(pre, RowError{Reason: e.Error()})
		}
	}
	if msg := holderProblem(users, c); msg != "" {
		post = append(post, RowError{Field: "assignee", Reason: msg})
	}
	for _, fe := range unknownPeople(users, c) {
		post = append(post, RowError{Field: fe.Field, Reason: fe.Reason})
	}
	return pre, post
}

func dupError(id string, first int) RowError {
	return RowError{Field: "id", Reason: fmt.Sprintf("case %s is also on line %d", id, first)}
}

func existsError(id string) RowError {
	return RowError{Field: "id", Reason: fmt.Sprintf("case %s is already in the store", id)}
}

type parsedCase struct {
	line int
	c    *cases.Case
}

// readImport reads a whole import file (the format chosen by the extension of name) into cases without looking at
// any store: it returns the cases read, the rows that could not be read (each naming its line and, where it can,
// its field), and an error for a problem with the file as a whole (wrong extension, over MaxImportFile,
// unreadable). With checkImport it is the check Import makes, all in memory, for small files and tests.
func readImport(r io.Reader, name string) ([]parsedCase, []RowError, error) {
	base := filepath.Base(name)
	scan, err := importFormat(name)
	if err != nil {
		return nil, nil, err
	}
	lr := &limitReader{r: r, left: maxImportFile}
	var rows []parsedCase
	var bad []RowError
	err = scan(lr, func(row importRow) error {
		c, errs := row.caseOf()
		for _, e := range errs {
			e.Line = row.line
			bad = append(bad, e)
		}
		if c != nil {
			rows = append(rows, parsedCase{line: row.line, c: c})
		}
		return nil
	})
	if lr.over {
		return nil, nil, overLimit(base)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("import %s: %w", base, err)
	}
	return rows, bad, nil
}

func overLimit(base string) error {
	return fmt.Errorf("import %s: the file is over %d bytes (%d MiB), the limit; split it", base, maxImportFile, maxImportFile>>20)
}

// checkImport checks the cases read from an import file, adding to bad every problem: cases.Validate (after
// cases.Normalize, which it applies), ids unique within the file, ids not already in the store (exists),
// assignees who can hold the case and every other person it names a user (users), and no time it records later
// than now (cases.CheckTimes). On return bad is in line order and every entry is safe to print.
func checkImport(rows []parsedCase, bad *[]RowError, users map[string]cases.User, exists func(id string) bool, now time.Time) {
	firstLine := map[string]int{}
	for _, p := range rows {
		pre, post := checkCase(p.c, users, now)
		errs := pre
		if id := p.c.ID; id != "" {
			if l, ok := firstLine[id]; ok {
				errs = append(errs, dupError(id, l))
			} else {
				firstLine[id] = p.line
			}
			if exists(id) {
				errs = append(errs, existsError(id))
			}
		}
		for _, e := range append(errs, post...) {
			e.Line = p.line
			*bad = append(*bad, e)
		}
	}
	for i := range *bad {
		(*bad)[i].clean()
	}
	slices.SortStableFunc(*bad, func(a, b RowError) int { return a.Line - b.Line })
}

// The check of a streamed import. A reader goroutine cuts the file into chunks of rows; workers, one per CPU, make
// and check the cases of a chunk, each on its own, and build the record of every good one (the encoded case, its
// queue row, the change its audit event records, its importer and decision keys: all a write needs, so that
// nothing is decoded twice); the calling goroutine takes the chunks back in file order for what needs the whole
// file: ids unique within it (idSet), ids new to the store (looked up lookupBatch
// at a time, in short read transactions), the report of every bad row in line order, and the records, into the
// spool. Once a row is bad nothing more is spooled, but every row is still checked.

const (
	chunkRows   = 256     // rows a worker takes at a time
	chunkBytes  = 1 << 20 // or this much text
	lookupBatch = 4096    // ids looked up in the store in one read transaction
)

// maxRowErrors is how many row problems an ImportError holds; the rest are counted. A variable for tests.
var maxRowErrors = 100000

type importChunk struct {
	rows  []importRow
	arena []byte
	out   []checkedRow
	done  chan struct{}
}

func (c *importChunk) add(row importRow) {
	switch {
	case row.text != nil:
		start := len(c.arena)
		c.arena = append(c.arena, row.text...)
		row.text = c.arena[start:len(c.arena):len(c.arena)]
	case row.rec != nil:
		row.rec = slices.Clone(row.rec) // the cells' strings are the reader's own; the slice is reused
	}
	c.rows = append(c.rows, row)
}

func (c *importChunk) full() bool { return len(c.rows) >= chunkRows || len(c.arena) >= chunkBytes }

// idSet is the ids of an import file, each with the line it is first on: a map from a hash of the id to where
// the id and its line are kept, in chunks of bytes, with a map of its own for an id whose hash another has. It
// holds no pointers the garbage collector must follow, and about 40 bytes an id.
type idSet struct {
	seed   maphash.Seed
	at     map[uint64]uint64 // hash -> chunk<<20 | offset of uvarint line, uvarint length, id
	chunks [][]byte
	more   map[string]int32
}

func newIDSet() *idSet {
	return &idSet{seed: maphash.MakeSeed(), at: map[uint64]uint64{}, more: map[string]int32{}}
}

// add records that id is on line, unless it is already in the set: then it returns the line it was first on.
func (s *idSet) add(id string, line int) (first int, dup bool) {
	h := maphash.String(s.seed, id)
	if ref, ok := s.at[h]; ok {
		b := s.chunks[ref>>20][ref&(1<<20-1):]
		l, n := binary.Uvarint(b)
		size, m := binary.Uvarint(b[n:])
		if string(b[n+m:n+m+int(size)]) == id {
			return int(l), true
		}
		if l, ok := s.more[id]; ok {
			return int(l), true
		}
		s.more[id] = int32(line)
		return 0, false
	}
	need := 2*binary.MaxVarintLen64 + len(id)
	last := len(s.chunks) - 1
	if last < 0 || cap(s.chunks[last])-len(s.chunks[last]) < need {
		s.chunks = append(s.chunks, make([]byte, 0, max(1<<20, need)))
		last++
	}
	c := s.chunks[last]
	s.at[h] = uint64(last)<<20 | uint64(len(c))
	c = binary.AppendUvarint(c, uint64(line))
	c = binary.AppendUvarint(c, uint64(len(id)))
	s.chunks[last] = append(c, id...)
	return 0, false
}

// checkedRow is a row after the checks that need only itself.
type checkedRow struct {
	line      int
	id        string // "" when the row gives no case, or a case without an id
	pre, post []RowError
	rec       []byte // a good row's spool record
	dupOf     int    // the line of an earlier row with the same id, or 0
	exists    bool
}

type importCheck struct {
	s        *Store
	actor    string
	now      time.Time
	users    map[string]cases.User
	journal  *ImportJournal // an unfinished import of a file of this name, which this may be the rest of
	progress func(ImportProgress)

	ids     *idSet
	pending []checkedRow
	bad     []RowError
	omitted int
	failed  atomic.Bool // a row is bad: nothing more is spooled
	spool   *importSpool
	skipped int // cases of the file that the unfinished import imported
	rows    int
	err     error // a failure of the check itself (the store, the spool)

	sum  string // the file's SHA-256, hex
	size int64
}

// run checks every row of r, spooling the good rows' records while there is no bad one.
func (k *importCheck) run(r io.Reader, scan func(io.Reader, func(importRow) error) error, base string) error {
	h := sha256.New()
	lr := &limitReader{r: r, left: maxImportFile}
	in := io.TeeReader(lr, h)
	workers := max(1, min(runtime.GOMAXPROCS(0), 8))
	jobs := make(chan *importChunk, workers)
	order := make(chan *importChunk, 2*workers+2)
	free := make(chan []byte, 3*workers+3) // the chunks' arenas, used again
	newChunk := func() *importChunk {
		c := &importChunk{done: make(chan struct{})}
		select {
		case c.arena = <-free:
		default:
			c.arena = make([]byte, 0, chunkBytes)
		}
		return c
	}
	var scanErr error
	go func() {
		defer close(order)
		defer close(jobs)
		cur := newChunk()
		send := func() {
			jobs <- cur
			order <- cur
			cur = newChunk()
		}
		scanErr = scan(in, func(row importRow) error {
			cur.add(row)
			if cur.full() {
				send()
			}
			return nil
		})
		if len(cur.rows) > 0 {
			send()
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				k.work(c)
				select {
				case free <- c.arena[:0]:
				default:
				}
				c.rows, c.arena = nil, nil
				close(c.done)
			}
		}()
	}
	last := 0
	for c := range order {
		<-c.done
		for _, row := range c.out {
			k.take(row)
		}
		k.rows += len(c.out)
		if k.progress != nil && k.rows-last >= 10000 {
			last = k.rows
			k.progress(ImportProgress{Phase: "checking", Done: int64(k.rows)})
		}
	}
	wg.Wait()
	k.resolve()
	switch {
	case lr.over:
		return overLimit(base)
	case scanErr != nil:
		return fmt.Errorf("import %s: %w", base, scanErr)
	case k.err != nil:
		return fmt.Errorf("import %s: nothing imported: %w", base, k.err)
	}
	if !k.failed.Load() {
		if err := k.spool.finish(); err != nil {
			return fmt.Errorf("import %s: nothing imported: %w", base, err)
		}
	}
	k.sum, k.size = hex.EncodeToString(h.Sum(nil)), lr.read
	return nil
}

// work makes and checks the cases of one chunk, on a worker.
func (k *importCheck) work(c *importChunk) {
	c.out = make([]checkedRow, len(c.rows))
	for i := range c.rows {
		row := &c.rows[i]
		out := &c.out[i]
		out.line = row.line
		cs, errs := row.caseOf()
		if cs == nil {
			out.pre = errs
			continue
		}
		out.id = cs.ID
		out.pre, out.post = checkCase(cs, k.users, k.now)
		if len(out.pre) == 0 && len(out.post) == 0 && !k.failed.Load() {
			var err error
			if out.rec, err = k.s.spoolRecord(cs, k.actor, k.now); err != nil {
				out.post = append(out.post, RowError{Reason: err.Error()})
			}
		}
	}
}

// take adds a checked row, in file order, to the check of the whole file.
func (k *importCheck) take(row checkedRow) {
	if row.id != "" {
		if l, dup := k.ids.add(row.id, row.line); dup {
			row.dupOf = l
		}
	}
	k.pending = append(k.pending, row)
	if len(k.pending) == lookupBatch {
		k.resolve()
	}
}

// resolve looks up the ids of the pending rows in the store, in one read transaction, then reports their problems
// and spools the good ones, in file order.
func (k *importCheck) resolve() {
	if len(k.pending) == 0 {
		return
	}
	ord := make([]int, 0, len(k.pending))
	for i := range k.pending {
		if k.pending[i].id != "" {
			ord = append(ord, i)
		}
	}
	slices.SortFunc(ord, func(a, b int) int { return strings.Compare(k.pending[a].id, k.pending[b].id) })
	if err := k.s.view(func(tx kvTx) error {
		cb := tx.Bucket(bCases)
		for _, i := range ord {
			k.pending[i].exists = cb.Get([]byte(k.pending[i].id)) != nil
		}
		return nil
	}); err != nil && k.err == nil {
		k.err = err
		k.fail()
	}
	for i := range k.pending {
		row := &k.pending[i]
		errs := row.pre
		if row.dupOf != 0 {
			errs = append(errs, dupError(row.id, row.dupOf))
		}
		skip := false
		if row.exists {
			// a case the unfinished import of this file wrote (imports write in id order, so every id up to its
			// last) is skipped; whether this is that file the hash tells at the end
			if j := k.journal; j != nil && row.id <= j.LastID && row.dupOf == 0 {
				skip = true
			} else {
				errs = append(errs, existsError(row.id))
			}
		}
		errs = append(errs, row.post...)
		switch {
		case len(errs) > 0:
			for _, e := range errs {
				e.Line = row.line
				e.clean()
				if len(k.bad) < maxRowErrors {
					k.bad = append(k.bad, e)
				} else {
					k.omitted++
				}
			}
			k.fail()
		case skip:
			k.skipped++
		case !k.failed.Load():
			if err := k.spool.add(row.rec); err != nil && k.err == nil {
				k.err = err
				k.fail()
			}
		}
	}
	clear(k.pending)
	k.pending = k.pending[:0]
}

// fail stops the spooling: once a row is bad, or the check itself failed, nothing will be written.
func (k *importCheck) fail() {
	if !k.failed.Swap(true) {
		k.spool.discard()
	}
}

type limitReader struct {
	r    io.Reader
	left int64
	read int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// one byte more tells a file of exactly the limit from a longer one
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
			return 0, errors.New("file over the import limit")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.read += int64(n)
	return n, err
}

// scanJSONL hands fn each row of a .jsonl file, one case per line, with its line number; blank lines are skipped.
// A row over MaxImportRow comes with bad set and no text. The text is valid only during the call.
func scanJSONL(r io.Reader, fn func(line int, text []byte, bad *RowError) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var line []byte
	tooBig := func(n int) *RowError {
		return &RowError{Line: n, Reason: fmt.Sprintf("the row is over %d MiB, the limit", MaxImportRow>>20)}
	}
	for n := 1; ; n++ {
		line = line[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !tooLong {
				line = append(line, chunk...)
				if len(line) > MaxImportRow+2 {
					tooLong, line = true, line[:0]
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return err
		}
		var ferr error
		if tooLong {
			ferr = fn(n, nil, tooBig(n))
		} else if text := bytes.TrimSpace(line); len(text) > 0 {
			if len(text) > MaxImportRow {
				ferr = fn(n, nil, tooBig(n))
			} else {
				ferr = fn(n, text, nil)
			}
		}
		if ferr != nil {
			return ferr
		}
		if err == io.EOF {
			return nil
		}
	}
}

// notUTF8 reports every string of a JSON text (a .jsonl row, a CSV cell holding JSON) that is not valid UTF-8, by
// its field path inside the text ("notes[2].text") and with the reason cases.CheckUTF8 gives. It is needed before
// decoding, because encoding/json turns such bytes into U+FFFD without a word, and the case would be stored
// other than written. Text that is valid UTF-8 costs one scan.
func notUTF8(text []byte) []RowError {
	if utf8.Valid(text) {
		return nil
	}
	type level struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			if !l.object {
				fmt.Fprintf(&b, "[%d]", l.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(l.key)
		}
		return b.String()
	}
	var out []RowError
	dec := json.NewDecoder(bytes.NewReader(text))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return out // the end, or a syntax error that decoding will report
		}
		var top *level
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && !top.object {
					top.index++
				}
				stack = append(stack, level{object: d == '{', wantKey: d == '{', index: -1})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		}
		raw := text[start:dec.InputOffset()]
		s, isString := tok.(string)
		if isString {
			s = rawJSONString(raw[bytes.IndexByte(raw, '"'):])
		}
		switch {
		case top != nil && top.object && top.wantKey:
			top.key, top.wantKey = s, false
			if why := utf8Problem(s); why != "" {
				out = append(out, RowError{Field: path(), Reason: "the field name " + why})
			}
			continue
		case top != nil && top.object:
			top.wantKey = true
		case top != nil:
			top.index++
		}
		if isString {
			if why := utf8Problem(s); why != "" {
				out = append(out, RowError{Field: path(), Reason: why})
			}
		}
	}
}

// utf8Problem is cases.CheckUTF8's reason for refusing s, or "".
func utf8Problem(s string) string {
	var te *cases.TextError
	if err := cases.CheckUTF8("", s); errors.As(err, &te) {
		return te.Reason
	}
	return ""
}

// rawJSONString undoes the escapes of a JSON string literal (quotes included) as encoding/json does, but keeps
// bytes that are not UTF-8 as they are.
func rawJSONString(lit []byte) string {
	lit = lit[1 : len(lit)-1]
	b := make([]byte, 0, len(lit))
	hex4 := func(i int) rune {
		if i+4 > len(lit) {
			return -1
		}
		v, err := strconv.ParseUint(string(lit[i:i+4]), 16, 32)
		if err != nil {
			return -1
		}
		return rune(v)
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' || i+1 == len(lit) {
			b = append(b, lit[i])
			continue
		}
		i++
		switch lit[i] {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(i + 1)
			i += 4
			if utf16.IsSurrogate(r) {
				if i+2 < len(lit) && lit[i+1] == '\\' && lit[i+2] == 'u' {
					if r2 := utf16.DecodeRune(r, hex4(i+3)); r2 != utf8.RuneError {
						r = r2
						i += 6
					}
				}
			}
			b = utf8.AppendRune(b, r) // a lone surrogate becomes U+FFFD, as encoding/json makes it
		default: // \" \\ \/
			b = append(b, lit[i])
		}
	}
	return string(b)
}

func decodeJSONCase(text []byte) (*cases.Case, *RowError) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	c := new(cases.Case)
	if err := dec.Decode(c); err != nil {
		return nil, jsonRowError(err)
	}
	if dec.More() {
		return nil, &RowError{Reason: "more than one JSON value on the line; want one case per line"}
	}
	return c, nil
}

func jsonRowError(err error) *RowError {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return &RowError{Field: te.Field, Reason: fmt.Sprintf("want %s, not a JSON %s", jsonTypeName(te.Type.Kind().String()), te.Value)}
	case errors.As(err, &se):
		return &RowError{Reason: fmt.Sprintf("not valid JSON at byte %d: %v", se.Offset, se)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return &RowError{Field: f, Reason: "unknown field"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &RowError{Reason: "the JSON object is not complete"}
	}
	return &RowError{Reason: strings.TrimPrefix(err.Error(), "json: ")}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return kind
}

// Export writes every case, in id order, as .jsonl (one cases.Case JSON per line) or .csv (the columns of
// docs/import-format.md). Import of the output into an empty store gives the same cases, versions and last-change
// fields included. It reads from one transaction, so the export is consistent while writers continue. The actor
// takes what cases.BulkScope allows: an admin or the operator every case, a supervisor their Center's; a reviewer
// is refused before anything is written.
func (s *Store) Export(actor string, w io.Writer, format string) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	n := 0
	var write func(c *cases.Case) error
	var cw *csv.Writer
	switch strings.ToLower(format) {
	case "jsonl", "":
		write = func(c *cases.Case) error {
			b, err := json.Marshal(c)
			if err != nil {
				return err
			}
			bw.Write(cases.EscapeJSON(b))
			return bw.WriteByte('\n')
		}
	case "csv":
		cw = csv.NewWriter(bw)
		if err := cw.Write(csvHeader()); err != nil {
			return 0, err
		}
		rec := make([]string, len(csvColumns))
		write = func(c *cases.Case) error {
			for i, col := range csvColumns {
				rec[i] = col.get(c)
			}
			return cw.Write(rec)
		}
	default:
		return 0, fmt.Errorf("export: format %q: want jsonl or csv", format)
	}
	err := s.view(func(tx kvTx) error {
		center, err := s.bulkScope(tx, actor, "export cases")
		if err != nil {
			return err
		}
		return tx.Bucket(bCases).ForEach(func(k, v []byte) error {
			c, err := decodeCase(v)
			if err != nil {
				return fmt.Errorf("case %s: %w", k, err)
			}
			if center != "" && c.Center != center {
				return nil
			}
			if err := write(c); err != nil {
				return err
			}
			n++
			return nil
		})
	})
	if err == nil && cw != nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush() // a refusal leaves what was buffered (the CSV header) unwritten
	}
	if err != nil {
		return n, fmt.Errorf("export: %w", s.damagedRecord(err))
	}
	return n, nil
}

// mImport is the meta key of the import journal: the large import under way, or stopped before its end.
var mImport = []byte("import_journal")

// ImportJournal is what the store records of a large import while it is written, in the transaction of each batch:
// the file (by name and by the SHA-256 of its content), how many cases it holds, how many are imported, and the
// last of them (cases are imported in id order, so every case of the file up to that id is in). An import that
// ends clears it; one that stopped leaves it, and then the store refuses to import any other file until the same
// file is imported again (which imports the rest) or the journal is abandoned (AbandonImport).
type ImportJournal struct {
	File    string    `json:"file"`
	SHA256  string    `json:"sha256"`
	Size    int64     `json:"size"`
	Cases   int       `json:"cases"`   // the cases the file holds
	Written int       `json:"written"` // the cases imported so far
	LastID  string    `json:"last_id"` // the greatest id imported so far
	Actor   string    `json:"actor"`
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated,omitzero"`
}

func (j *ImportJournal) String() string {
	last := ""
	if j.LastID != "" {
		last = fmt.Sprintf(", the last case %s", printable(j.LastID))
	}
	return fmt.Sprintf("an import of %s (%d cases, %d bytes, sha256 %.12s…) started by %s at %s stopped after %d of its cases%s",
		printable(j.File), j.Cases, j.Size, j.SHA256, printable(j.Actor), j.Started.UTC().Format("2006-01-02 15:04:05Z"), j.Written, last)
}

// refusal says why another import cannot start, and what to do.
func (j *ImportJournal) refusal() string {
	return fmt.Sprintf("%s; import the same file again to import the other %d (the cases already imported are skipped), or abandon that import (ceedesk import --abandon), which keeps what it imported",
		j, j.Cases-j.Written)
}

func readJournal(tx kvTx) (*ImportJournal, error) {
	v := tx.Bucket(bMeta).Get(mImport)
	if v == nil {
		return nil, nil
	}
	j := new(ImportJournal)
	if err := json.Unmarshal(v, j); err != nil {
		return nil, fmt.Errorf("the journal of an unfinished import does not read (%v)", err)
	}
	return j, nil
}

func putJournal(tx kvTx, j *ImportJournal) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return tx.Bucket(bMeta).Put(mImport, v)
}

// UnfinishedImport returns the journal of a large import that stopped before its end, or nil when there is none.
func (s *Store) UnfinishedImport() (*ImportJournal, error) {
	var j *ImportJournal
	err := s.view(func(tx kvTx) error {
		var err error
		j, err = readJournal(tx)
		return err
	})
	return j, err
}

// AbandonImport forgets an unfinished import (admin or operator only): the cases it imported stay, with their
// audit events, and the store takes other imports again. It returns the journal it cleared, nil when there was
// none.
func (s *Store) AbandonImport(actor string) (*ImportJournal, error) {
	var j *ImportJournal
	err := s.update(func(tx kvTx) error {
		if err := s.checkAdmin(tx, actor); err != nil {
			return err
		}
		var err error
		if j, err = readJournal(tx); err != nil || j == nil {
			return err
		}
		return tx.Bucket(bMeta).Delete(mImport)
	})
	if err != nil {
		return nil, fmt.Errorf("abandon import: %w", err)
	}
	return j, nil
}
