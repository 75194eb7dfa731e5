package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// synthJSONL is n synthetic cases as a .jsonl file, after skipping the first skip of the generator (its ids are
// serial, so the cases of fixture(t, skip) are not among them).
func synthJSONL(t testing.TB, skip, n int) []byte {
	t.Helper()
	g := synth.New(1, today)
	for range skip {
		g.Next()
	}
	var b bytes.Buffer
	for range n {
		line, err := json.Marshal(g.Next())
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// streamed lowers the sizes of the large-import path so a few thousand cases take it: batches of 400 cases,
// spool runs of 64 KiB (so the check spills to a file), index transactions of 3,000 entries.
func streamed(t *testing.T) {
	oldBulk, oldBatch, oldChunk, oldEntries, oldBytes := bulkImport, importBatchSize, spoolChunk, indexTxEntries, indexTxBytes
	bulkImport, importBatchSize, spoolChunk, indexTxEntries, indexTxBytes = 100, 400, 64<<10, 3000, 256<<10
	t.Cleanup(func() {
		bulkImport, importBatchSize, spoolChunk, indexTxEntries, indexTxBytes = oldBulk, oldBatch, oldChunk, oldEntries, oldBytes
		importFault = nil
	})
}

// dump is every key and value of every bucket but meta (which also holds how the store was written), nested
// buckets included, one per line.
func dump(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	var walk func(path string, bk kvBucket)
	walk = func(path string, bk kvBucket) {
		bk.ForEach(func(k, v []byte) error {
			if v == nil {
				if nb := bk.Bucket(k); nb != nil {
					walk(path+"/"+string(k), nb)
					return nil
				}
			}
			fmt.Fprintf(&b, "%s %q %x\n", path, k, v)
			return nil
		})
	}
	err := s.view(func(tx kvTx) error {
		return tx.ForEach(func(name []byte, bk kvBucket) error {
			if !bytes.Equal(name, bMeta) {
				walk(string(name), bk)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func mustVerifyHistory(t *testing.T, s *Store, want int) {
	t.Helper()
	n, err := s.VerifyHistory()
	if err != nil || n != want {
		t.Fatalf("VerifyHistory = %d, %v; want %d cases", n, err, want)
	}
}

// importEvents counts the import events of each case.
func importEvents(t *testing.T, s *Store) map[string]int {
	t.Helper()
	got := map[string]int{}
	err := s.view(func(tx kvTx) error {
		return tx.Bucket(bAudit).ForEach(func(k, v []byte) error {
			var e cases.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			if e.Action == "import" {
				got[e.Case]++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func noTempFiles(t *testing.T, s *Store) {
	t.Helper()
	ms, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path()), ".ceedesk-import-*"))
	if len(ms) > 0 {
		t.Fatalf("temporary files left beside the store: %v", ms)
	}
}

// A large import (batches, index entries sorted outside the store) leaves the store exactly as the one-transaction
// import does: the same cases, index entries, statistics, importer and decision keys and audit events, into an
// empty store and into one that already holds cases.
func TestImportStreamedEqualsOneTransaction(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) *Store
		skip  int
	}{
		{"empty store", freshWithUsers, 0},
		{"store with cases", func(t *testing.T) *Store {
			s := freshWithUsers(t)
			g := synth.New(1, today)
			cs := make([]*cases.Case, 300)
			for i := range cs {
				cs[i] = g.Next()
			}
			addCases(t, s, cs...)
			return s
		}, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := synthJSONL(t, tc.skip, 3000)
			one := tc.store(t)
			if n, err := one.Import(bytes.NewReader(data), "cases.jsonl", Operator); err != nil || n != 3000 {
				t.Fatalf("one-transaction import = %d, %v", n, err)
			}
			streamed(t)
			var phases []string
			big := tc.store(t)
			n, err := big.ImportWith(bytes.NewReader(data), "cases.jsonl", Operator, ImportOptions{Progress: func(p ImportProgress) {
				if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
					phases = append(phases, p.Phase)
				}
			}})
			if err != nil || n != 3000 {
				t.Fatalf("streamed import = %d, %v", n, err)
			}
			if strings.Join(phases, " ") != "writing indexing" {
				t.Errorf("progress phases %v", phases)
			}
			mustCheck(t, big)
			mustVerifyHistory(t, big, 3000+tc.skip)
			if a, b := dump(t, one), dump(t, big); a != b {
				al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
				for i := range min(len(al), len(bl)) {
					if al[i] != bl[i] {
						t.Fatalf("the stores differ (%d and %d entries), first at entry %d:\n one: %.300s\n big: %.300s", len(al), len(bl), i, al[i], bl[i])
					}
				}
				t.Fatalf("the stores differ: %d and %d entries", len(al), len(bl))
			}
			for id, k := range importEvents(t, big) {
				if k != 1 {
					t.Fatalf("case %s has %d import events", id, k)
				}
			}
			if j, err := big.UnfinishedImport(); j != nil || err != nil {
				t.Fatalf("a finished import left its journal: %+v, %v", j, err)
			}
			noTempFiles(t, big)
		})
	}
}

// Bad rows anywhere in a large file (the first, one in the middle, the last, an id given twice far apart) are
// each reported, and nothing is written, though the good rows before them were already checked and spooled.
func TestImportStreamedRefusesBadRowsAnywhere(t *testing.T) {
	streamed(t)
	s := freshWithUsers(t)
	lines := strings.Split(strings.TrimSuffix(string(synthJSONL(t, 0, 3000)), "\n"), "\n")
	lines[0] = strings.Replace(lines[0], `"kind":`, `"colour":"red","kind":`, 1)
	var mid map[string]any
	json.Unmarshal([]byte(lines[1499]), &mid)
	mid["entry"].(map[string]any)["number"] = "316-0000001-9"
	b, _ := json.Marshal(mid)
	lines[1499] = string(b)
	lines[2989] = lines[9]
	lines[2999] = lines[2999][:len(lines[2999])/2]
	before := storeBytes(t, s)
	_, err := s.Import(strings.NewReader(strings.Join(lines, "\n")+"\n"), "cases.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("Import = %v, want an ImportError", err)
	}
	want := []struct {
		line        int
		field, text string
	}{
		{1, "colour", "unknown field"},
		{1500, "entry.number", "check digit"},
		{2990, "id", "also on line 10"},
		{3000, "", "not complete"},
	}
	if len(ie.Rows) != len(want) {
		t.Fatalf("%d bad rows, want %d:\n%v", len(ie.Rows), len(want), err)
	}
	for i, w := range want {
		if r := ie.Rows[i]; r.Line != w.line || r.Field != w.field || !strings.Contains(r.Reason, w.text) {
			t.Errorf("bad row %d = %+v; want line %d, %q, %q", i, r, w.line, w.field, w.text)
		}
	}
	if !strings.HasPrefix(err.Error(), "import cases.jsonl: 4 bad rows; nothing imported") {
		t.Errorf("error %s", err)
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store file")
	}
	noTempFiles(t, s)

	// the same in CSV, a bad cell in the last record
	one := freshWithUsers(t)
	if _, err := one.Import(bytes.NewReader(synthJSONL(t, 0, 1000)), "cases.jsonl", Operator); err != nil {
		t.Fatal(err)
	}
	var csvFile bytes.Buffer
	if _, err := one.Export(Operator, &csvFile, "csv"); err != nil {
		t.Fatal(err)
	}
	text := strings.TrimSuffix(csvFile.String(), "\n")
	last := strings.LastIndex(text, "\n")
	text = text[:last] + strings.Replace(text[last:], ",2026-", ",2026-02-30x", 1) + "\n"
	_, err = s.Import(strings.NewReader(text), "cases.csv", Operator)
	if !errors.As(err, &ie) || len(ie.Rows) != 1 || ie.Rows[0].Line != strings.Count(text, "\n") {
		t.Fatalf("bad last CSV record: %v", err)
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store file")
	}
	// and without it the CSV goes in, streamed
	if n, err := s.Import(&csvFile, "cases.csv", Operator); err != nil || n != 1000 {
		t.Fatalf("CSV import = %d, %v", n, err)
	}
	mustCheck(t, s)
	if a, b := dump(t, one), dump(t, s); a != b {
		// the audit events differ in their reason (the file name) and time; the cases, rows and indexes must not
		for _, name := range []string{"cases", "rows", "index", "stats", "importers", "decisions"} {
			if pick(a, name) != pick(b, name) {
				t.Fatalf("bucket %s differs between the .jsonl and the streamed .csv import", name)
			}
		}
	}
}

func pick(dump, bucket string) string {
	var b strings.Builder
	for _, l := range strings.Split(dump, "\n") {
		if strings.HasPrefix(l, bucket+" ") || strings.HasPrefix(l, bucket+"/") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// An import reads its file once, as a stream: standard input (over SSH, or "-") works as a file does, however it
// comes in pieces.
func TestImportStreamsFromAPipe(t *testing.T) {
	streamed(t)
	data := synthJSONL(t, 0, 2000)
	s := freshWithUsers(t)
	pr, pw := io.Pipe()
	go func() {
		for b := data; len(b) > 0; {
			n := min(len(b), 777)
			if _, err := pw.Write(b[:n]); err != nil {
				return
			}
			b = b[n:]
		}
		pw.Close()
	}()
	n, err := s.Import(pr, "cases.jsonl", Operator)
	if err != nil || n != 2000 {
		t.Fatalf("Import from a pipe = %d, %v", n, err)
	}
	mustCheck(t, s)
	mustVerifyHistory(t, s, 2000)
	noTempFiles(t, s)
}

// reopenable is a store whose file a test closes and opens again, as a restarted process would.
type reopenable struct {
	path  string
	clock func() time.Time
	s     *Store
}

func newReopenable(t *testing.T) *reopenable {
	clock := testClock()
	r := &reopenable{path: filepath.Join(t.TempDir(), "ceedesk.db"), clock: func() time.Time { return clock().Add(24 * time.Hour) }}
	r.open(t)
	for _, u := range synth.New(1, today).Users() {
		if err := r.s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { r.s.Close() })
	return r
}

func (r *reopenable) open(t *testing.T) {
	t.Helper()
	s, err := Open(r.path, Options{NoSync: true, Timeout: time.Second, Now: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	r.s = s
}

func (r *reopenable) reopen(t *testing.T) {
	t.Helper()
	r.s.Close()
	r.open(t)
}

func countedCases(t *testing.T, s *Store) int {
	var n uint64
	s.view(func(tx kvTx) error { n = metaUint(tx, mCases); return nil })
	return int(n)
}

// A large import cut off after some batches (a full disk) says how many cases it imported, leaves the store whole
// (they are in, indexed, each with its event), refuses any other import, and imports the rest when run again:
// every case once, with one audit event.
func TestImportInterruptedResumes(t *testing.T) {
	streamed(t)
	r := newReopenable(t)
	data := synthJSONL(t, 0, 3000)
	importFault = func(step string, n int) error {
		if step == "batch" && n == 3 {
			return errors.New("write ceedesk.db: no space left on device")
		}
		return nil
	}
	n, err := r.s.Import(bytes.NewReader(data), "cases.jsonl", Operator)
	if err == nil || n != 1200 || !strings.Contains(err.Error(), "import cases.jsonl stopped after 1200 of its 3000 cases: write ceedesk.db: no space left on device") ||
		!strings.Contains(err.Error(), "import the same file again to import the other 1800") {
		t.Fatalf("interrupted import = %d, %v", n, err)
	}
	importFault = nil
	mustCheck(t, r.s)
	mustVerifyHistory(t, r.s, 1200)
	j, err := r.s.UnfinishedImport()
	if err != nil || j == nil || j.File != "cases.jsonl" || j.Cases != 3000 || j.Written != 1200 || j.LastID == "" {
		t.Fatalf("journal %+v, %v", j, err)
	}

	// another file is refused while the journal is open, and so is this name with other content
	before := storeBytes(t, r.s)
	other := synthJSONL(t, 5000, 10)
	if _, err := r.s.Import(bytes.NewReader(other), "more.jsonl", Operator); err == nil ||
		!strings.Contains(err.Error(), "import more.jsonl: an import of cases.jsonl (3000 cases") || !strings.Contains(err.Error(), "stopped after 1200 of its cases") {
		t.Fatalf("another file during an unfinished import: %v", err)
	}
	changed := bytes.Replace(data, []byte(`"version":1`), []byte(`"version":2`), 1)
	if _, err := r.s.Import(bytes.NewReader(changed), "cases.jsonl", Operator); err == nil || !strings.Contains(err.Error(), "its content differs") {
		t.Fatalf("the same name, other content: %v", err)
	}
	if !bytes.Equal(before, storeBytes(t, r.s)) {
		t.Fatal("a refused import changed the store")
	}

	// the same file imports the rest
	n, err = r.s.Import(bytes.NewReader(data), "cases.jsonl", Operator)
	if err != nil || n != 1800 {
		t.Fatalf("resumed import = %d, %v", n, err)
	}
	mustCheck(t, r.s)
	mustVerifyHistory(t, r.s, 3000)
	ev := importEvents(t, r.s)
	if len(ev) != 3000 {
		t.Fatalf("%d cases have import events, want 3000", len(ev))
	}
	for id, k := range ev {
		if k != 1 {
			t.Fatalf("case %s has %d import events", id, k)
		}
	}
	if j, _ := r.s.UnfinishedImport(); j != nil {
		t.Fatalf("journal left: %+v", j)
	}
	if _, err := r.s.Import(bytes.NewReader(other), "more.jsonl", Operator); err != nil {
		t.Fatalf("an import after the resumed one: %v", err)
	}
	noTempFiles(t, r.s)
}

// A large import whose process dies half way leaves the store marked: the next Open rebuilds its indexes, and the
// same import then imports the rest, every case once.
func TestImportKilledResumes(t *testing.T) {
	streamed(t)
	r := newReopenable(t)
	data := synthJSONL(t, 0, 2000)
	importFault = func(step string, n int) error {
		if step == "batch" && n == 2 {
			return errImportCrash
		}
		return nil
	}
	if n, err := r.s.Import(bytes.NewReader(data), "cases.jsonl", Operator); !errors.Is(err, errImportCrash) || n != 800 {
		t.Fatalf("killed import = %d, %v", n, err)
	}
	importFault = nil
	r.reopen(t)
	mustCheck(t, r.s)
	if got := countedCases(t, r.s); got != 800 {
		t.Fatalf("%d cases after the restart, want 800", got)
	}
	if n, err := r.s.Import(bytes.NewReader(data), "cases.jsonl", Operator); err != nil || n != 1200 {
		t.Fatalf("resumed import = %d, %v", n, err)
	}
	mustCheck(t, r.s)
	mustVerifyHistory(t, r.s, 2000)
	for id, k := range importEvents(t, r.s) {
		if k != 1 {
			t.Fatalf("case %s has %d import events", id, k)
		}
	}
	// killed in its last step, the index entries: all cases are in, and the same import closes the journal
	r2 := newReopenable(t)
	importFault = func(step string, n int) error {
		if step == "index" && n == 2 {
			return errImportCrash
		}
		return nil
	}
	if n, err := r2.s.Import(bytes.NewReader(data), "cases.jsonl", Operator); !errors.Is(err, errImportCrash) || n != 2000 {
		t.Fatalf("killed import = %d, %v", n, err)
	}
	importFault = nil
	r2.reopen(t)
	if n, err := r2.s.Import(bytes.NewReader(data), "cases.jsonl", Operator); err != nil || n != 0 {
		t.Fatalf("import of a file all in = %d, %v", n, err)
	}
	if j, _ := r2.s.UnfinishedImport(); j != nil {
		t.Fatalf("journal left: %+v", j)
	}
	mustCheck(t, r2.s)
}

// An unfinished import may be abandoned: what it imported stays, and other imports go in again.
func TestImportAbandoned(t *testing.T) {
	streamed(t)
	s := freshWithUsers(t)
	importFault = func(step string, n int) error {
		if step == "batch" && n == 1 {
			return errors.New("no space left on device")
		}
		return nil
	}
	if n, err := s.Import(bytes.NewReader(synthJSONL(t, 0, 1000)), "cases.jsonl", Operator); err == nil || n != 400 {
		t.Fatalf("interrupted import = %d, %v", n, err)
	}
	importFault = nil
	if _, err := s.AbandonImport("alice"); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("a reviewer abandons an import: %v", err)
	}
	j, err := s.AbandonImport(Operator)
	if err != nil || j == nil || j.Written != 400 {
		t.Fatalf("AbandonImport = %+v, %v", j, err)
	}
	if n, err := s.Import(bytes.NewReader(synthJSONL(t, 5000, 10)), "more.jsonl", Operator); err != nil || n != 10 {
		t.Fatalf("import after abandoning = %d, %v", n, err)
	}
	mustCheck(t, s)
	mustVerifyHistory(t, s, 410)
}

// The report of a file with very many bad rows holds the first maxRowErrors and counts the rest.
func TestImportCountsRowsBeyondTheReport(t *testing.T) {
	old := maxRowErrors
	maxRowErrors = 5
	defer func() { maxRowErrors = old }()
	s := freshWithUsers(t)
	_, err := s.Import(strings.NewReader(strings.Repeat("{\"colour\":1}\n", 12)), "bad.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Rows) != 5 || ie.Omitted != 7 || ie.Rows[4].Line != 5 {
		t.Fatalf("Import = %v", err)
	}
	if !strings.HasPrefix(err.Error(), "import bad.jsonl: 12 bad rows; nothing imported") || !strings.HasSuffix(err.Error(), "line 5: colour: unknown field") {
		t.Fatalf("report:\n%s", err)
	}
}

// boundedEngine is bbolt with the limits of an engine such as etcd, which it enforces: a transaction over them
// fails, as it would there.
type boundedEngine struct {
	*boltEngine
	lim            kvLimits
	maxOps, maxLen int // the most any transaction wrote
	txs            int
}

func (e *boundedEngine) limits() kvLimits { return e.lim }

func (e *boundedEngine) update(fn func(tx kvTx) error) error {
	c := &txCount{}
	err := e.boltEngine.update(func(tx kvTx) error {
		if err := fn(boundedTx{tx, c}); err != nil {
			return err
		}
		if c.ops > e.lim.Ops || c.bytes > e.lim.Bytes {
			return fmt.Errorf("transaction of %d ops, %d bytes: over the engine's limits %+v", c.ops, c.bytes, e.lim)
		}
		return nil
	})
	if err == nil {
		e.maxOps, e.maxLen, e.txs = max(e.maxOps, c.ops), max(e.maxLen, c.bytes), e.txs+1
	}
	return err
}

type txCount struct{ ops, bytes int }

type boundedTx struct {
	kvTx
	c *txCount
}

func (t boundedTx) Bucket(name []byte) kvBucket { return wrapCounting(t.kvTx.Bucket(name), t.c) }
func (t boundedTx) CreateBucket(name []byte) (kvBucket, error) {
	t.c.ops++
	b, err := t.kvTx.CreateBucket(name)
	return wrapCounting(b, t.c), err
}
func (t boundedTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	t.c.ops++
	b, err := t.kvTx.CreateBucketIfNotExists(name)
	return wrapCounting(b, t.c), err
}

type boundedBucket struct {
	kvBucket
	c *txCount
}

func wrapCounting(b kvBucket, c *txCount) kvBucket {
	if b == nil {
		return nil
	}
	return boundedBucket{b, c}
}

func (b boundedBucket) Put(k, v []byte) error {
	b.c.ops++
	b.c.bytes += len(k) + len(v)
	return b.kvBucket.Put(k, v)
}
func (b boundedBucket) Delete(k []byte) error {
	b.c.ops++
	return b.kvBucket.Delete(k)
}
func (b boundedBucket) Bucket(name []byte) kvBucket {
	return wrapCounting(b.kvBucket.Bucket(name), b.c)
}
func (b boundedBucket) CreateBucket(name []byte) (kvBucket, error) {
	b.c.ops++
	n, err := b.kvBucket.CreateBucket(name)
	return wrapCounting(n, b.c), err
}
func (b boundedBucket) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	b.c.ops++
	n, err := b.kvBucket.CreateBucketIfNotExists(name)
	return wrapCounting(n, b.c), err
}

// On an engine with limits on a transaction, an import is written in transactions that keep within them: a small
// one in one transaction when it fits, any other as a large one.
func TestImportKeepsWithinTheEngineLimits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ceedesk.db")
	opt := Options{NoSync: true, Timeout: time.Second, Policy: cases.DefaultPolicy()}
	clock := testClock()
	opt.Now = func() time.Time { return clock().Add(24 * time.Hour) }
	be, err := openBolt(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	eng := &boundedEngine{boltEngine: be, lim: kvLimits{Ops: 512, Bytes: 256 << 10}}
	s, err := openStore(eng, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, u := range synth.New(1, today).Users() {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	data := synthJSONL(t, 0, 1500)
	txs := eng.txs
	lines := bytes.SplitAfter(data, []byte("\n"))
	if n, err := s.Import(bytes.NewReader(bytes.Join(lines[:5], nil)), "few.jsonl", Operator); err != nil || n != 5 {
		t.Fatalf("small import = %d, %v", n, err)
	}
	if eng.txs != txs+1 {
		t.Fatalf("a small import that fits took %d transactions", eng.txs-txs)
	}
	n, err := s.Import(bytes.NewReader(bytes.Join(lines[5:], nil)), "cases.jsonl", Operator)
	if err != nil || n != 1495 {
		t.Fatalf("import = %d, %v", n, err)
	}
	t.Logf("%d transactions, the largest %d ops and %d bytes (limits %+v)", eng.txs-txs, eng.maxOps, eng.maxLen, eng.lim)
	mustCheck(t, s)
	mustVerifyHistory(t, s, 1500)
}

// The ids of an import are told apart by their content, also when their hashes are the same.
func TestImportIDSetTellsCollidingIDsApart(t *testing.T) {
	s := newIDSet()
	if _, dup := s.add("PSC-26-000001", 3); dup {
		t.Fatal("the first id is a duplicate")
	}
	if l, dup := s.add("PSC-26-000001", 9); !dup || l != 3 {
		t.Fatalf("the same id again = %d, %v", l, dup)
	}
	// make another id's hash find the first id's entry, as a collision would
	other := "VAL-26-000001"
	s.at[maphash.String(s.seed, other)] = s.at[maphash.String(s.seed, "PSC-26-000001")]
	if _, dup := s.add(other, 11); dup {
		t.Fatal("an id whose hash another has is taken for that one")
	}
	if l, dup := s.add(other, 12); !dup || l != 11 {
		t.Fatalf("the colliding id again = %d, %v", l, dup)
	}
	long := strings.Repeat("X", 3<<20)
	s.add(long, 20)
	if l, dup := s.add(long, 21); !dup || l != 20 {
		t.Fatalf("a 3 MiB id again = %d, %v", l, dup)
	}
}

// What an import keeps in its temporary files reads back as written, or not at all: a damaged record, or a
// damaged run of index entries, is an error, never a case or an entry the store takes.
func TestImportTemporaryFilesAreChecked(t *testing.T) {
	streamed(t)
	s := freshWithUsers(t)
	sp := newImportSpool(t.TempDir())
	defer sp.discard()
	g := synth.New(1, today)
	for range 300 {
		rec, err := s.spoolRecord(g.Next(), Operator, s.clock())
		if err != nil {
			t.Fatal(err)
		}
		if err := sp.add(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := sp.finish(); err != nil || len(sp.runs) < 2 {
		t.Fatalf("finish = %v with %d runs; want several", err, len(sp.runs))
	}
	read := func() (int, error) {
		it, err := sp.iter()
		if err != nil {
			return 0, err
		}
		n := 0
		for {
			rec, err := it.next()
			if rec == nil || err != nil {
				return n, err
			}
			n++
		}
	}
	if n, err := read(); n != 300 || err != nil {
		t.Fatalf("read back %d records, %v", n, err)
	}
	damage := func(f *os.File, off int64) {
		var b [1]byte
		f.ReadAt(b[:], off)
		b[0] ^= 0x20
		f.WriteAt(b[:], off)
	}
	damage(sp.f, sp.runs[1].off+sp.runs[1].size/2)
	if _, err := read(); !errors.Is(err, errSpool) {
		t.Fatalf("a damaged spool reads back with %v", err)
	}

	x := &indexRuns{dir: t.TempDir()}
	defer x.discard()
	var b importBatch
	it, _ := newSpoolOf(t, s, 50).iter()
	for {
		raw, _ := it.next()
		if raw == nil {
			break
		}
		b.add(raw)
	}
	if _, err := x.add(b.recs); err != nil {
		t.Fatal(err)
	}
	x.w.Flush()
	damage(x.f, x.runs[0].size/3)
	out := make(chan *mergedEntries, 100)
	if err := x.merge(1, out, nil); !errors.Is(err, errSpool) {
		t.Fatalf("a damaged run of index entries merges with %v", err)
	}
}

func newSpoolOf(t *testing.T, s *Store, n int) *importSpool {
	sp := newImportSpool(t.TempDir())
	t.Cleanup(sp.discard)
	g := synth.New(2, today)
	for range n {
		rec, err := s.spoolRecord(g.Next(), Operator, s.clock())
		if err != nil {
			t.Fatal(err)
		}
		sp.add(rec)
	}
	if err := sp.finish(); err != nil {
		t.Fatal(err)
	}
	return sp
}
