package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

func TestOpenRefusals(t *testing.T) {
	dir := t.TempDir()
	t.Run("held by another", func(t *testing.T) {
		bboltOnly(t, "bbolt's lock on the file; etcd takes any number of processes")
		path := filepath.Join(dir, "held.db")
		s := openTest(t, path)
		_ = s
		_, err := openTestEngine(t, path, Options{Timeout: 50 * time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "store "+path+" is held by another ceedesk process") || !errors.Is(err, bolt.ErrTimeout) {
			t.Fatalf("second open: %v", err)
		}
	})
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"text file", "notes.txt", bytes.Repeat([]byte("not a database\n"), 1000), "not a ceedesk store: not a bbolt database file"},
		{"tiny file", "tiny.db", []byte("hi"), "too short to be a bbolt database file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bboltOnly(t, "a file that is not a bbolt database")
			p := write(tc.file, tc.content)
			_, err := openTestEngine(t, p, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("Open = %v, want %q naming the file", err, tc.want)
			}
			if b, _ := os.ReadFile(p); !bytes.Equal(b, tc.content) {
				t.Fatal("Open changed a file it refused")
			}
		})
	}
	t.Run("truncated", func(t *testing.T) {
		bboltOnly(t, "a truncated bbolt file")
		s, _ := fixture(t, 300)
		path := s.Path()
		s.Close()
		f, _ := os.Open(path)
		m, ok := readMeta(f, 0)
		f.Close()
		if !ok {
			t.Fatal("cannot read the meta page")
		}
		if err := os.Truncate(path, int64(m.pgid)*int64(m.pageSize)/2); err != nil {
			t.Fatal(err)
		}
		_, err := openTestEngine(t, path, Options{})
		if err == nil || !strings.Contains(err.Error(), "is truncated") {
			t.Fatalf("Open = %v", err)
		}
	})
	t.Run("newer schema", func(t *testing.T) {
		path := filepath.Join(dir, "newer.db")
		s := openTest(t, path)
		s.Close()
		rawUpdate(t, path, func(tx kvTx) error { return tx.Bucket(bMeta).Put(mSchema, be64(SchemaVersion+1)) })
		_, err := openTestEngine(t, path, Options{})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d, newer than this ceedesk", SchemaVersion+1)) {
			t.Fatalf("Open = %v", err)
		}
	})
	t.Run("other bbolt file", func(t *testing.T) {
		path := filepath.Join(dir, "other.db")
		rawUpdate(t, path, func(tx kvTx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
		_, err := openTestEngine(t, path, Options{})
		if err == nil || !strings.Contains(err.Error(), "not a ceedesk store") {
			t.Fatalf("Open = %v", err)
		}
	})
	t.Run("empty file", func(t *testing.T) {
		bboltOnly(t, "an empty file is a new bbolt store")
		p := write("empty.db", nil)
		s, err := openTestEngine(t, p, Options{})
		if err != nil {
			t.Fatalf("an empty file is a new store: %v", err)
		}
		s.Close()
	})
}

// rawUpdate edits the store at path (a file, or an etcd store's Path()) in one raw transaction of its engine.
func rawUpdate(t *testing.T, path string, fn func(tx kvTx) error) {
	t.Helper()
	rawEdit(t, path, fn)
}

func event(t *testing.T, tx kvTx, seq uint64) cases.Event {
	var e cases.Event
	if err := json.Unmarshal(tx.Bucket(bAudit).Get(be64(seq)), &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func putEvent(t *testing.T, tx kvTx, e cases.Event) {
	b, _ := json.Marshal(e)
	if err := tx.Bucket(bAudit).Put(be64(e.Seq), b); err != nil {
		t.Fatal(err)
	}
}

func TestAuditTamperIsDetected(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, tx kvTx)
		want   string
	}{
		{"edited", func(t *testing.T, tx kvTx) {
			e := event(t, tx, 20)
			e.Change = "status: review -> decided"
			putEvent(t, tx, e)
		}, "audit event 20: its content does not match its hash (edited)"},
		{"edited with its hash recomputed", func(t *testing.T, tx kvTx) {
			e := event(t, tx, 20)
			e.Actor = "mallory"
			e.Hash = eventHash(&e)
			putEvent(t, tx, e)
		}, "audit event 21: its previous-event hash does not match"},
		{"removed", func(t *testing.T, tx kvTx) {
			tx.Bucket(bAudit).Delete(be64(20))
		}, "audit event 20 is missing"},
		{"last removed", func(t *testing.T, tx kvTx) {
			last := metaUint(tx, mAuditSeq)
			tx.Bucket(bAudit).Delete(be64(last))
		}, "is missing: the log ends at"},
		{"reordered", func(t *testing.T, tx kvTx) {
			a, b := tx.Bucket(bAudit).Get(be64(20)), tx.Bucket(bAudit).Get(be64(21))
			a, b = bytes.Clone(a), bytes.Clone(b)
			tx.Bucket(bAudit).Put(be64(20), b)
			tx.Bucket(bAudit).Put(be64(21), a)
		}, "audit event 20: it says it is event 21"},
		{"reordered and renumbered", func(t *testing.T, tx kvTx) {
			a, b := event(t, tx, 20), event(t, tx, 21)
			a.Seq, b.Seq = 21, 20
			putEvent(t, tx, a)
			putEvent(t, tx, b)
		}, "audit event 20: its previous-event hash does not match"},
		{"inserted in the middle", func(t *testing.T, tx kvTx) {
			last := metaUint(tx, mAuditSeq)
			for seq := last; seq >= 20; seq-- { // shift every later event up one place
				e := event(t, tx, seq)
				e.Seq++
				putEvent(t, tx, e)
			}
			prev := event(t, tx, 19)
			forged := cases.Event{Seq: 20, At: prev.At, Actor: "mallory", Action: "note", Change: "forged", Prev: prev.Hash}
			forged.Hash = eventHash(&forged)
			putEvent(t, tx, forged)
		}, "audit event 21:"},
		{"appended with a valid chain", func(t *testing.T, tx kvTx) {
			last := event(t, tx, metaUint(tx, mAuditSeq))
			forged := cases.Event{Seq: last.Seq + 1, At: last.At, Actor: "mallory", Action: "note", Change: "forged", Prev: last.Hash}
			forged.Hash = eventHash(&forged)
			putEvent(t, tx, forged)
		}, "(inserted)"},
		{"stray key", func(t *testing.T, tx kvTx) {
			tx.Bucket(bAudit).Put([]byte("x"), []byte("{}"))
		}, "is not an event number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := fixture(t, 40)
			n, err := s.VerifyAudit()
			if err != nil || n != 51 { // 11 users, 40 cases
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			path := s.Path()
			s.Close()
			rawUpdate(t, path, func(tx kvTx) error { tc.tamper(t, tx); return nil })
			s = openTest(t, path)
			_, err = s.VerifyAudit()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("VerifyAudit = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestCheckFindsDamagedIndexes(t *testing.T) {
	tests := []struct {
		name   string
		damage func(tx kvTx)
		want   string
	}{
		{"index entry removed", func(tx kvTx) {
			b := tx.Bucket(bIndex).Bucket(indexName(scopeCenter("ELEC"), true, sortDue))
			k, _ := b.Cursor().First()
			b.Delete(bytes.Clone(k))
		}, "lacks the entry for case"},
		{"stray index entry", func(tx kvTx) {
			b := tx.Bucket(bIndex).Bucket(indexName(scopeCenter("ELEC"), true, sortAmount))
			b.Put(append(dateKey(be64(5), today), "GHOST"...), []byte{1, 1})
		}, "GHOST"},
		{"row stale", func(tx kvTx) {
			k, v := tx.Bucket(bRows).Cursor().First()
			var r cases.QueueRow
			decodeRow(v, &r)
			r.Due++
			tx.Bucket(bRows).Put(bytes.Clone(k), encodeRow(&r))
		}, "queue row is missing or stale"},
		{"row copy in a due index stale", func(tx kvTx) {
			b := tx.Bucket(bIndex).Bucket(indexName(scopeCenter("ELEC"), true, sortDue))
			k, v := b.Cursor().First()
			var r cases.QueueRow
			if !rowFromDueEntry(k, v, &r, false) {
				panic("the due index holds no row copy")
			}
			r.Importer = "Someone Else Ltd"
			b.Put(bytes.Clone(k), appendDueValue(nil, &r))
		}, "stale status, kind or copy of its row"},
		{"row copy in a due index missing", func(tx kvTx) {
			b := tx.Bucket(bIndex).Bucket(indexName(scopeAssignee("alice"), true, sortDue))
			k, v := b.Cursor().Last()
			b.Put(bytes.Clone(k), []byte{v[0], v[1]})
		}, "stale status, kind or copy of its row"},
		{"count wrong", func(tx kvTx) {
			st := tx.Bucket(bStats)
			tk := totalsKey(scopeCenter("ELEC"))
			t := decodeTotals(st.Get(tk))
			t.Open++
			st.Put(tk, t.encode())
		}, "statistics entry"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := fixture(t, 100)
			mustCheck(t, s)
			path := s.Path()
			s.Close()
			rawUpdate(t, path, func(tx kvTx) error { tc.damage(tx); return nil })
			s = openTest(t, path)
			if err := s.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v, want %q", err, tc.want)
			}
		})
	}
}

// workload makes random changes as random users; most are refused by the rules, which is part of the point.
func workload(t *testing.T, s *Store, cs []*cases.Case, r *rand.Rand, n int, stop *atomic.Bool) (ok int) {
	users, _ := s.Users(Operator, "")
	outcomes := []cases.Outcome{cases.OutcomeAllowed, cases.OutcomeDenied, cases.OutcomeAccepted, cases.OutcomeRejected, cases.OutcomeCompliant, cases.OutcomeValidated}
	for i := 0; i < n && (stop == nil || !stop.Load()); i++ {
		c := cs[r.IntN(len(cs))]
		u := users[r.IntN(len(users))].Name
		if r.IntN(3) > 0 { // mostly the people who can act
			if cur, err := s.Case(Operator, c.ID); err == nil && cur.Assignee != "" {
				u = cur.Assignee
			}
		}
		var err error
		switch r.IntN(7) {
		case 0:
			_, err = s.StartReview(u, c.ID, 0)
		case 1:
			_, err = s.Decide(u, c.ID, 0, cases.Decision{Outcome: outcomes[r.IntN(len(outcomes))], Reasons: "reasons", Amount: 100}, today)
		case 2:
			_, err = s.AddNote(u, c.ID, 0, "note")
		case 3:
			_, err = s.RequestInfo(u, c.ID, 0, "question", today)
		case 4:
			sup := map[string]string{"ELEC": "sofia", "PHARMA": "priya"}[c.Center]
			_, err = s.Assign(sup, []string{c.ID}, nil, users[r.IntN(len(users))].Name, "rebalance", today)
		case 5:
			_, err = s.Approve(map[bool]string{true: "sofia", false: "priya"}[r.IntN(2) == 0], c.ID, 0, "ok", "", today)
		case 6:
			_, err = s.Return(map[string]string{"ELEC": "sofia", "PHARMA": "priya"}[c.Center], c.ID, 0, "redo")
		}
		if err == nil {
			ok++
		} else if !errors.Is(err, cases.ErrForbidden) && !errors.Is(err, cases.ErrInvalid) {
			t.Errorf("unexpected error: %v", err)
			return ok
		}
	}
	return ok
}

func TestCheckPassesAfterRandomWorkload(t *testing.T) {
	s, cs := fixture(t, 300)
	ok := workload(t, s, cs, rand.New(rand.NewPCG(1, 2)), 1500, nil)
	if ok < 200 {
		t.Fatalf("only %d of 1500 random changes were allowed; the workload does not exercise the store", ok)
	}
	mustCheck(t, s)
	checkQueues(t, s, current(t, s, cs))
	// reopen: statistics and indexes persisted
	path := s.Path()
	s.Close()
	s = openTest(t, path)
	mustCheck(t, s)
}

func TestBackupWhileWriting(t *testing.T) {
	s, cs := fixture(t, 300)
	var stop atomic.Bool
	var wg sync.WaitGroup
	var changes int
	wg.Add(1)
	go func() {
		defer wg.Done()
		changes = workload(t, s, cs, rand.New(rand.NewPCG(3, 4)), 1<<30, &stop)
	}()
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		path := filepath.Join(dir, "backup.db")
		n, err := s.BackupFile(path)
		if err != nil || n == 0 {
			t.Fatalf("BackupFile = %d, %v", n, err)
		}
		b, err := Open(path, Options{ReadOnly: true}) // a backup is a bbolt file, whatever the engine
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Check(); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		if _, err := b.VerifyAudit(); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		b.Close()
	}
	stop.Store(true)
	wg.Wait()
	if changes == 0 {
		t.Fatal("nothing was written during the backups")
	}
	if _, err := s.BackupFile(s.Path()); err == nil || !strings.Contains(err.Error(), "live store") {
		t.Fatalf("backup over the live store: %v", err)
	}
	var buf bytes.Buffer
	if n, err := s.Backup(&buf); err != nil || n != int64(buf.Len()) {
		t.Fatalf("Backup = %d, %v (wrote %d)", n, err, buf.Len())
	}
}

func TestPolicyChangeReindexes(t *testing.T) {
	s, cs := fixture(t, 300)
	path := s.Path()
	s.Close()
	p := cases.DefaultPolicy()
	p.ValidationDays = 30
	p.DisclosureReviewDays = 45
	s2, err := openTestEngine(t, path, Options{Policy: p, NoSync: true, Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	moved := 0
	for _, c := range cs {
		if cases.DueDate(c, p) != cases.DueDate(c, cases.DefaultPolicy()) {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("the policy change moves no due date; the test proves nothing")
	}
	mustCheck(t, s2)
	checkQueues(t, s2, current(t, s2, cs))
}

func TestLoad(t *testing.T) {
	s := freshWithUsers(t)
	g := synth.New(5, today).Next
	const n = 3000
	i := 0
	var progress []int
	got, err := s.Load("seed", func() (*cases.Case, bool) {
		if i == n {
			return nil, false
		}
		i++
		return g(), true
	}, func(done int) { progress = append(progress, done) })
	if err != nil || got != n {
		t.Fatalf("Load = %d, %v", got, err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != n {
		t.Fatalf("progress %v", progress)
	}
	mustCheck(t, s)
	all := make([]*cases.Case, 0, n)
	s.view(func(tx kvTx) error {
		return tx.Bucket(bCases).ForEach(func(_, v []byte) error {
			c, _ := decodeCase(v)
			all = append(all, c)
			return nil
		})
	})
	checkQueues(t, s, all)
	if n, _ := s.VerifyAudit(); n != 11+3000 {
		t.Fatalf("%d audit events", n)
	}
	h, _ := s.History(Operator, all[0].ID)
	if len(h) != 1 || h[0].Action != "seed" {
		t.Fatalf("history %+v", h)
	}

	// a bad case stops the load; what came before stays, indexed
	bad := g()
	bad.Entry.Number = "316-0000001-9"
	more := []*cases.Case{g(), bad}
	got, err = s.Load("seed", func() (*cases.Case, bool) {
		if len(more) == 0 {
			return nil, false
		}
		c := more[0]
		more = more[1:]
		return c, true
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "check digit should be 7") || got != 0 {
		t.Fatalf("Load of a bad case = %d, %v", got, err)
	}
	mustCheck(t, s)
}

func TestInterruptedLoadIsReindexedOnOpen(t *testing.T) {
	s, _ := fixture(t, 50)
	path := s.Path()
	s.Close()
	rawUpdate(t, path, func(tx kvTx) error {
		tx.Bucket(bIndex).DeleteBucket(indexName(scopeCenter("ELEC"), true, sortDue))
		return tx.Bucket(bMeta).Put(mDirty, []byte{1})
	})
	s = openTest(t, path)
	mustCheck(t, s)
	var v []byte
	s.view(func(tx kvTx) error { v = tx.Bucket(bMeta).Get(mDirty); return nil })
	if v != nil {
		t.Fatal("the interrupted-load mark survived a re-index")
	}
}
