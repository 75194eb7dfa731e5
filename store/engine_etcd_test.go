package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// The etcd engine against bbolt's: the same operations on both, the same results. These run whatever engine the
// rest of the suite runs on (CEEDESK_TEST_ENGINE), on the shared test member.

func testBoltEngine(t testing.TB) *boltEngine {
	t.Helper()
	e, err := openBolt(filepath.Join(t.TempDir(), "kv.db"), Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.close() })
	return e
}

func testEtcdEngine(t testing.TB, eo EtcdOptions) *etcdEngine {
	t.Helper()
	e, err := openEtcd(eo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.close() })
	return e
}

// freshEtcdOptions are the options of a prefix of the shared member that nothing has used.
func freshEtcdOptions(t testing.TB) EtcdOptions {
	return testEtcdOptions(t, testPrefix(filepath.Join(t.TempDir(), "kv")))
}

// kvScript runs a random script of bucket operations, in transactions some of which roll back, and says what
// each operation returned, one line each.
func kvScript(e engine, seed uint64, txns int) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	names := [][]byte{[]byte(""), []byte("a"), []byte("a\x00"), []byte("a\x00b"), []byte("a\x01"), []byte("ab"), []byte("b"),
		[]byte("\x00"), []byte("\x00\x00"), []byte("\xff"), []byte("\xff\xff"), []byte("k1"), []byte("k10"), []byte("k2")}
	tops := [][]byte{[]byte("a"), []byte("a\x00"), []byte("b"), []byte("\xff")}
	nested := [][]byte{[]byte("a"), []byte("a\x00"), []byte("\xff"), []byte("k1")}
	name := func() []byte { return names[r.IntN(len(names))] }
	bucketName := func() []byte {
		if r.IntN(4) == 0 {
			return name()
		}
		return nested[r.IntN(len(nested))]
	}
	var out []string
	say := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	kv := func(k, v []byte) string {
		switch {
		case k == nil:
			return "end"
		case v == nil:
			return fmt.Sprintf("%q=bucket", k)
		}
		return fmt.Sprintf("%q=%q", k, v)
	}
	errOf := func(err error) string {
		if err == nil {
			return "ok"
		}
		return err.Error()
	}
	for i := range txns {
		kind := r.IntN(10)
		nops := 3 + r.IntN(25)
		fn := func(tx kvTx) error {
			for j := range nops {
				top := tops[r.IntN(len(tops))]
				if r.IntN(50) == 0 {
					top = []byte{}
				}
				if r.IntN(6) == 0 {
					switch r.IntN(10) {
					case 0, 1:
						_, err := tx.CreateBucket(top)
						say("%d.%d CreateBucket(%q) %s", i, j, top, errOf(err))
					case 2, 3, 4, 5:
						_, err := tx.CreateBucketIfNotExists(top)
						say("%d.%d CreateBucketIfNotExists(%q) %s", i, j, top, errOf(err))
					case 6:
						err := tx.DeleteBucket(top)
						say("%d.%d DeleteBucket(%q) %s", i, j, top, errOf(err))
					default:
						var ns []string
						tx.ForEach(func(n []byte, b kvBucket) error { ns = append(ns, fmt.Sprintf("%q:%v", n, b != nil)); return nil })
						say("%d.%d tx.ForEach %v", i, j, ns)
					}
					continue
				}
				b := tx.Bucket(top)
				path := fmt.Sprintf("%q", top)
				if b != nil && r.IntN(3) == 0 {
					n := bucketName()
					path += fmt.Sprintf("/%q", n)
					b = b.Bucket(n)
				}
				if b == nil {
					say("%d.%d %s: no bucket", i, j, path)
					continue
				}
				switch op := r.IntN(12); op {
				case 0, 1, 2:
					k := name()
					v := []byte(fmt.Sprintf("v%d.%d", i, j))
					if r.IntN(5) == 0 {
						v = []byte{}
					}
					say("%d.%d %s Put(%q) %s", i, j, path, k, errOf(b.Put(k, v)))
				case 3:
					k := name()
					v := b.Get(k)
					say("%d.%d %s Get(%q) %q nil:%v", i, j, path, k, v, v == nil)
				case 4:
					k := name()
					say("%d.%d %s Delete(%q) %s", i, j, path, k, errOf(b.Delete(k)))
				case 5:
					k := bucketName()
					var err error
					switch r.IntN(4) {
					case 0:
						_, err = b.CreateBucket(k)
					case 1, 2:
						_, err = b.CreateBucketIfNotExists(k)
					case 3:
						err = b.DeleteBucket(k)
					}
					say("%d.%d %s bucket op on %q: %s", i, j, path, k, errOf(err))
				case 6, 7, 8:
					c := b.Cursor()
					var moves []string
					for m := range 8 {
						var k, v []byte
						var what string
						switch x := r.IntN(5); {
						case m == 0 && x >= 2 || x == 4:
							s := name()
							what = fmt.Sprintf("Seek(%q)", s)
							k, v = c.Seek(s)
						case x == 0:
							what = "First"
							k, v = c.First()
						case x == 1:
							what = "Last"
							k, v = c.Last()
						case x == 2:
							what = "Next"
							k, v = c.Next()
						default:
							what = "Prev"
							k, v = c.Prev()
						}
						moves = append(moves, what+" "+kv(k, v))
					}
					say("%d.%d %s cursor %s", i, j, path, strings.Join(moves, ", "))
				case 9:
					var all []string
					b.ForEach(func(k, v []byte) error { all = append(all, kv(k, v)); return nil })
					say("%d.%d %s ForEach %s", i, j, path, strings.Join(all, " "))
				case 10:
					var all []string
					b.ForEachBucket(func(k []byte) error { all = append(all, fmt.Sprintf("%q", k)); return nil })
					say("%d.%d %s ForEachBucket %s", i, j, path, strings.Join(all, " "))
				case 11:
					// in a write, bbolt counts the pages committed before it, not what the transaction wrote
					if kind == 1 {
						say("%d.%d %s KeyN %d", i, j, path, b.KeyN())
					}
				}
			}
			if kind == 0 {
				return errors.New("rolled back")
			}
			return nil
		}
		var err error
		if kind == 1 {
			err = e.view(func(tx kvTx) error {
				// a view's writes are refused; run only the reads (the script's writes fail alike on both)
				return fn(tx)
			})
		} else {
			err = e.update(fn)
		}
		say("%d: %v", i, err)
	}
	return out
}

func TestEtcdEngineMatchesBbolt(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			want := kvScript(testBoltEngine(t), seed, 150)
			got := kvScript(testEtcdEngine(t, freshEtcdOptions(t)), seed, 150)
			for i := range max(len(want), len(got)) {
				var w, g string
				if i < len(want) {
					w = want[i]
				}
				if i < len(got) {
					g = got[i]
				}
				if w != g {
					t.Fatalf("after %d operations that agree:\nbbolt: %s\netcd:  %s", i, w, g)
				}
			}
		})
	}
}

// TestEtcdEngineLayout reads the keys the engine wrote: every bucket one range under the prefix, in bbolt's order.
func TestEtcdEngineLayout(t *testing.T) {
	eo := freshEtcdOptions(t)
	e := testEtcdEngine(t, eo)
	err := e.update(func(tx kvTx) error {
		b, _ := tx.CreateBucket([]byte("index"))
		for _, n := range []string{"b\x00c", "b", "a"} {
			nb, err := b.CreateBucket([]byte(n))
			if err != nil {
				return err
			}
			nb.Put([]byte("k\x00"), []byte("v"))
		}
		return b.Put([]byte("b\x01"), []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.cli.Get(context.Background(), eo.Prefix, clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range resp.Kvs {
		keys = append(keys, fmt.Sprintf("%q", kv.Key[len(eo.Prefix):]))
	}
	want := []string{
		`"\x00\x02txn"`,
		`"index\x00\x01\x02"`,
		`"index\x00\x01\x03a\x00\x01\x02"`,
		`"index\x00\x01\x03a\x00\x01\x03k\x00\xff\x00\x01\x01"`,
		`"index\x00\x01\x03b\x00\x01\x02"`,
		`"index\x00\x01\x03b\x00\x01\x03k\x00\xff\x00\x01\x01"`,
		`"index\x00\x01\x03b\x00\xffc\x00\x01\x02"`,
		`"index\x00\x01\x03b\x00\xffc\x00\x01\x03k\x00\xff\x00\x01\x01"`,
		`"index\x00\x01\x03b\x01\x00\x01\x01"`,
	}
	if strings.Join(keys, "\n") != strings.Join(want, "\n") {
		t.Fatalf("keys under the prefix:\n%s\nwant\n%s", strings.Join(keys, "\n"), strings.Join(want, "\n"))
	}
	var problems []string
	if err := e.check(func(f string, a ...any) bool { problems = append(problems, fmt.Sprintf(f, a...)); return true }); err != nil || problems != nil {
		t.Fatalf("check = %v %q", err, problems)
	}
	// a key that is not the engine's, and a marker that miscounts
	e.cli.Put(context.Background(), eo.Prefix+"stray", "x")
	e.cli.Put(context.Background(), eo.Prefix+"index\x00\x01\x02", string(markerValue(5)))
	e.cli.Put(context.Background(), eo.Prefix+"index\x00\x01\x03q\x00\x01\x03z\x00\x01\x01", "orphan")
	problems = nil
	e.check(func(f string, a ...any) bool { problems = append(problems, fmt.Sprintf(f, a...)); return true })
	got := strings.Join(problems, "\n")
	for _, w := range []string{`"stray" under prefix`, `its marker counts 5 nested buckets, it holds 3`, `"q" has keys but no marker`} {
		if !strings.Contains(got, w) {
			t.Errorf("check reported\n%s\nwithout %q", got, w)
		}
	}
}

func TestEtcdEngineReadsItsOwnWrites(t *testing.T) {
	e := testEtcdEngine(t, freshEtcdOptions(t))
	err := e.update(func(tx kvTx) error {
		b, _ := tx.CreateBucket([]byte("b"))
		for i := 0; i < 200; i += 2 {
			b.Put(fmt.Appendf(nil, "k%03d", i), []byte("old"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = e.update(func(tx kvTx) error {
		b := tx.Bucket([]byte("b"))
		for i := 1; i < 200; i += 2 {
			b.Put(fmt.Appendf(nil, "k%03d", i), []byte("new"))
		}
		for i := 0; i < 200; i += 4 {
			b.Delete(fmt.Appendf(nil, "k%03d", i))
		}
		var fwd, back []string
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			fwd = append(fwd, string(k)+"="+string(v))
		}
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			back = append([]string{string(k) + "=" + string(v)}, back...)
		}
		var want []string
		for i := range 200 {
			switch {
			case i%2 == 1:
				want = append(want, fmt.Sprintf("k%03d=new", i))
			case i%4 != 0:
				want = append(want, fmt.Sprintf("k%03d=old", i))
			}
		}
		if strings.Join(fwd, " ") != strings.Join(want, " ") || strings.Join(back, " ") != strings.Join(want, " ") {
			return fmt.Errorf("in the transaction:\nforward  %v\nbackward %v\nwant     %v", fwd, back, want)
		}
		if k, _ := c.Seek([]byte("k100")); string(k) != "k101" {
			return fmt.Errorf("Seek(k100) = %q, want k101 (k100 deleted)", k)
		}
		if n := b.KeyN(); n != len(want) {
			return fmt.Errorf("KeyN = %d, want %d", n, len(want))
		}
		// a bucket deleted and made again in the same transaction holds only what was put since
		tx.DeleteBucket([]byte("b"))
		b, _ = tx.CreateBucket([]byte("b"))
		b.Put([]byte("k050"), []byte("again"))
		if k, v := b.Cursor().First(); string(k) != "k050" || string(v) != "again" || b.KeyN() != 1 {
			return fmt.Errorf("after DeleteBucket and CreateBucket: %q=%q, KeyN %d", k, v, b.KeyN())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e.view(func(tx kvTx) error {
		var all []string
		tx.Bucket([]byte("b")).ForEach(func(k, v []byte) error { all = append(all, string(k)+"="+string(v)); return nil })
		if strings.Join(all, " ") != "k050=again" {
			t.Errorf("after commit: %v", all)
		}
		return nil
	})
}

func TestEtcdEngineRollsBack(t *testing.T) {
	e := testEtcdEngine(t, freshEtcdOptions(t))
	e.update(func(tx kvTx) error { b, _ := tx.CreateBucket([]byte("b")); return b.Put([]byte("k"), []byte("v")) })
	resp0, _ := e.cli.Get(context.Background(), string(e.counter))
	boom := errors.New("boom")
	err := e.update(func(tx kvTx) error {
		b := tx.Bucket([]byte("b"))
		b.Put([]byte("k"), []byte("changed"))
		b.Put([]byte("other"), []byte("x"))
		tx.CreateBucket([]byte("c"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update = %v", err)
	}
	resp1, _ := e.cli.Get(context.Background(), string(e.counter))
	if resp1.Header.Revision != resp0.Header.Revision {
		t.Fatalf("a rolled back transaction wrote: revision %d -> %d", resp0.Header.Revision, resp1.Header.Revision)
	}
	e.view(func(tx kvTx) error {
		if v := tx.Bucket([]byte("b")).Get([]byte("k")); string(v) != "v" || tx.Bucket([]byte("c")) != nil {
			t.Errorf("after the rollback: %q, bucket c %v", v, tx.Bucket([]byte("c")))
		}
		return nil
	})
}

// TestEtcdEngineConcurrentCommits: two processes' worth of clients increment one counter; each increment reads and
// writes in one transaction, and every one lands once.
func TestEtcdEngineConcurrentCommits(t *testing.T) {
	eo := freshEtcdOptions(t)
	a, b := testEtcdEngine(t, eo), testEtcdEngine(t, eo)
	if err := a.update(func(tx kvTx) error { _, err := tx.CreateBucket([]byte("n")); return err }); err != nil {
		t.Fatal(err)
	}
	const each = 200
	var runs [2]int
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i, e := range []*etcdEngine{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				err := e.update(func(tx kvTx) error {
					runs[i]++
					bk := tx.Bucket([]byte("n"))
					var n uint64
					if v := bk.Get([]byte("count")); v != nil {
						n = binary.BigEndian.Uint64(v)
					}
					return bk.Put([]byte("count"), be64(n+1))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	a.view(func(tx kvTx) error {
		if n := binary.BigEndian.Uint64(tx.Bucket([]byte("n")).Get([]byte("count"))); n != 2*each {
			t.Errorf("count = %d, want %d", n, 2*each)
		}
		return nil
	})
	t.Logf("%d and %d runs for %d commits each", runs[0], runs[1], each)
}

// TestEtcdEngineSettlesALostCommit: a commit whose answer is lost is looked for in the counter's history; one that
// landed is not applied again, and one that did not land can no longer land.
func TestEtcdEngineSettlesALostCommit(t *testing.T) {
	e := testEtcdEngine(t, freshEtcdOptions(t))
	e.update(func(tx kvTx) error { _, err := tx.CreateBucket([]byte("n")); return err })
	ctx := context.Background()
	counter := func() (int64, string) {
		r, err := e.cli.Get(ctx, string(e.counter))
		if err != nil || len(r.Kvs) == 0 {
			t.Fatalf("the counter: %v", err)
		}
		return r.Kvs[0].ModRevision, string(r.Kvs[0].Value)
	}
	guarded := func(m int64, txid string) bool {
		r, err := e.cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(string(e.counter)), "=", m)).
			Then(clientv3.OpPut(string(e.counter), txid)).Commit()
		if err != nil {
			t.Fatal(err)
		}
		return r.Succeeded
	}

	// landed, then another process committed after it
	m, _ := counter()
	if !guarded(m, "lost-1") {
		t.Fatal("the commit did not land")
	}
	m2, _ := counter()
	guarded(m2, "someone-else")
	if landed, err := e.settle("lost-1", m); err != nil || !landed {
		t.Fatalf("settle of a commit that landed = %v, %v", landed, err)
	}

	// never sent: settle fences the counter, so that the commit can no longer land
	m, _ = counter()
	if landed, err := e.settle("lost-2", m); err != nil || landed {
		t.Fatalf("settle of a commit that did not land = %v, %v", landed, err)
	}
	if guarded(m, "lost-2") {
		t.Fatal("a commit settled as not landed landed afterwards")
	}
	if _, v := counter(); v != "lost-2-fence" {
		t.Fatalf("counter = %q after the fence", v)
	}
}

// TestEtcdEngineLimits: a change bigger than the cluster takes is refused before it is sent, naming the numbers.
func TestEtcdEngineLimits(t *testing.T) {
	eo := freshEtcdOptions(t)
	eo.MaxTxnOps, eo.MaxRequestBytes = 10, 4096
	e := testEtcdEngine(t, eo)
	if l := e.limits(); l.Ops != 10 || l.Bytes != 4096 {
		t.Fatalf("limits = %+v", l)
	}
	if err := e.update(func(tx kvTx) error { _, err := tx.CreateBucket([]byte("b")); return err }); err != nil {
		t.Fatal(err)
	}
	err := e.update(func(tx kvTx) error {
		for i := range 20 {
			tx.Bucket([]byte("b")).Put(fmt.Appendf(nil, "k%d", i), []byte("v"))
		}
		return nil
	})
	var le *etcdLimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "this change writes 20 keys in one transaction") ||
		!strings.Contains(err.Error(), "takes at most 10 (--max-txn-ops)") {
		t.Fatalf("20 keys: %v", err)
	}
	err = e.update(func(tx kvTx) error { return tx.Bucket([]byte("b")).Put([]byte("big"), make([]byte, 5000)) })
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "takes at most 4096 (--max-request-bytes)") {
		t.Fatalf("5000 bytes: %v", err)
	}
	e.view(func(tx kvTx) error {
		if n := tx.Bucket([]byte("b")).KeyN(); n != 0 {
			t.Errorf("refused changes wrote %d keys", n)
		}
		return nil
	})
	if e2, err := openEtcd(EtcdOptions{Endpoints: eo.Endpoints, Prefix: "/ceedesk-test/defaults"}); err != nil {
		t.Fatal(err)
	} else {
		defer e2.close()
		if l := e2.limits(); l.Ops != 128 || l.Bytes != 3<<19 {
			t.Fatalf("default limits = %+v", l)
		}
	}
}

func TestEtcdEngineWatch(t *testing.T) {
	e := testEtcdEngine(t, freshEtcdOptions(t))
	e.update(func(tx kvTx) error {
		b, _ := tx.CreateBucket([]byte("feed"))
		b.CreateBucket([]byte("nested"))
		_, err := tx.CreateBucket([]byte("other"))
		return err
	})
	ctx, cancel := context.WithCancel(context.Background())
	type kv struct{ k, v string }
	got := make(chan kv, 100)
	done := make(chan error, 1)
	go func() {
		done <- e.watch(ctx, []byte("feed"), func(k, v []byte) { got <- kv{string(k), string(v)} })
	}()
	// the watch starts at some point after the call: probe until it sees a put
	for probed := false; !probed; {
		e.update(func(tx kvTx) error { return tx.Bucket([]byte("feed")).Put([]byte("probe"), []byte("p")) })
		select {
		case <-got:
			probed = true
		case <-time.After(100 * time.Millisecond):
		}
	}
	for len(got) > 0 {
		<-got
	}
	for i := range 5 {
		err := e.update(func(tx kvTx) error {
			f := tx.Bucket([]byte("feed"))
			f.Put(fmt.Appendf(nil, "k%d\x00", i), fmt.Appendf(nil, "v%d", i))
			f.Bucket([]byte("nested")).Put([]byte("inner"), []byte("no"))
			tx.Bucket([]byte("other")).Put([]byte("elsewhere"), []byte("no"))
			return f.Delete([]byte("probe"))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		select {
		case p := <-got:
			if want := (kv{fmt.Sprintf("k%d\x00", i), fmt.Sprintf("v%d", i)}); p != want {
				t.Fatalf("put %d: %q, want %q", i, p, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("put %d never came", i)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("watch after its context ended: %v", err)
	}
	if len(got) != 0 {
		t.Fatalf("more puts than written: %q", <-got)
	}
}

// TestEtcdStoreBackupIsABboltStore: a store on etcd backs up to a bbolt file that Open reads, with everything in it.
func TestEtcdStoreBackupIsABboltStore(t *testing.T) {
	s, err := OpenEtcd(freshEtcdOptions(t), Options{Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedStore(t, s, 60)
	path := filepath.Join(t.TempDir(), "backup.db")
	if _, err := s.BackupFile(path); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	mustCheck(t, s)
	mustCheck(t, b)
	if a, c := storeDump(t, s), storeDump(t, b); !bytes.Equal(a, c) {
		t.Fatalf("the backup holds other keys than the store (%d bytes of listing, %d)", len(a), len(c))
	}
}

// seedStore puts the synthetic users and n cases into s, one a transaction, and returns the generator.
func seedStore(t testing.TB, s *Store, n int) *synth.Generator {
	t.Helper()
	g := synth.New(1, today)
	for _, u := range g.Users() {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	seedStoreCases(t, s, g, n)
	return g
}

func seedStoreCases(t testing.TB, s *Store, g *synth.Generator, n int) {
	t.Helper()
	for range n {
		addCases(t, s, g.Next())
	}
}

func TestOpenEtcdRefusals(t *testing.T) {
	eps := testEtcdEndpoints(t)
	for _, tc := range []struct {
		eo   EtcdOptions
		want string
	}{
		{EtcdOptions{Prefix: "/x/"}, "no endpoints"},
		{EtcdOptions{Endpoints: eps}, "no prefix"},
		{EtcdOptions{Endpoints: []string{"http://127.0.0.1:1"}, Prefix: "/x/", DialTimeout: 500 * time.Millisecond}, "http://127.0.0.1:1 prefix /x/: the cluster does not answer within 500ms"},
		{EtcdOptions{Endpoints: eps, Prefix: "/x/", Cert: "c.pem"}, "needs both --cert and --key"},
		{EtcdOptions{Endpoints: eps, Prefix: "/x/", CACert: filepath.Join(t.TempDir(), "none.pem")}, "TLS"},
	} {
		_, err := OpenEtcd(tc.eo, Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenEtcd(%+v) = %v, want %q", tc.eo, err, tc.want)
		}
	}
	// a prefix that holds something else than a store
	eo := freshEtcdOptions(t)
	e := testEtcdEngine(t, eo)
	e.update(func(tx kvTx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
	if _, err := OpenEtcd(eo, Options{}); err == nil || !strings.Contains(err.Error(), "not a ceedesk store") || !strings.Contains(err.Error(), eo.Prefix) {
		t.Errorf("OpenEtcd on another prefix's keys = %v", err)
	}
	s, err := OpenEtcd(EtcdOptions{Endpoints: eps, Prefix: strings.TrimSuffix(freshEtcdOptions(t).Prefix, "/")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(s.Path(), "/") || !strings.HasPrefix(s.Path(), "etcd "+eps[0]+" prefix /") {
		t.Errorf("Path = %q", s.Path())
	}
	s.Close()
}

// TestEtcdStoreOnAClusterLosingAMember: a store on a three-member cluster goes on while one member is down and
// after it is back.
func TestEtcdStoreOnAClusterLosingAMember(t *testing.T) {
	c := startEtcdCluster(t, 3)
	eo := EtcdOptions{Endpoints: c.endpoints(), Prefix: "/ceedesk/ELEC/", MaxTxnOps: testEtcdMaxTxnOps, MaxRequestBytes: testEtcdMaxRequestBytes}
	s, err := OpenEtcd(eo, Options{Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := seedStore(t, s, 10)
	for i := range 3 {
		c.stop(i)
		seedStoreCases(t, s, g, 3)
		c.restart(i)
	}
	mustCheck(t, s)
	var n int
	s.view(func(tx kvTx) error { n = tx.Bucket(bCases).KeyN(); return nil })
	if n != 19 {
		t.Fatalf("%d cases, want 19", n)
	}
}

// TestEtcdOpsOfASingleCaseChange measures what one change of one case writes in its transaction on etcd (with the
// store's transaction counter), which the cluster's --max-txn-ops must take.
func TestEtcdOpsOfASingleCaseChange(t *testing.T) {
	s, err := OpenEtcd(freshEtcdOptions(t), Options{Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := seedStore(t, s, 200)
	var cs []*cases.Case
	s.view(func(tx kvTx) error {
		return tx.Bucket(bCases).ForEach(func(k, v []byte) error {
			c, err := decodeCase(v)
			cs = append(cs, c)
			return err
		})
	})
	var last [2]int
	e := s.eng.(*etcdEngine)
	e.sent = func(ops, bytes int) { last = [2]int{ops, bytes} }
	measure := func(what string, fn func() error) {
		t.Helper()
		last = [2]int{}
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		t.Logf("%-40s %4d etcd operations, %6d bytes", what, last[0], last[1])
		if last[0] > etcdDefaultMaxTxnOps {
			t.Errorf("%s writes %d operations, more than etcd's default --max-txn-ops (%d)", what, last[0], etcdDefaultMaxTxnOps)
		}
	}
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && bigProtest(c) })
	measure("seed one case (putCase, one audit event)", func() error { addCases(t, s, g.Next()); return nil })
	var got *cases.Case
	measure("note", func() (err error) { got, err = s.AddNote(c.Assignee, c.ID, c.Version, "looked at it"); return })
	measure("decide (goes to approval)", func() (err error) {
		got, err = s.Decide(c.Assignee, c.ID, got.Version, cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "classified correctly"}, today)
		return
	})
	measure("approve", func() (err error) { got, err = s.Approve("sofia", c.ID, got.Version, "agree", "", today); return })
	o := find(t, cs, func(x *cases.Case) bool {
		return x.Center == "ELEC" && x.Status.Open() && x.Assignee != "" && x.Assignee != "bob" && x.ID != c.ID
	})
	measure("assign one case", func() error {
		_, err := s.Assign("sofia", []string{o.ID}, []uint64{o.Version}, "bob", "leave", today)
		return err
	})
}

// TestEtcdEngineLostCommitsLandOnce: a commit whose request or whose answer is lost is settled, and the change
// lands exactly once either way.
func TestEtcdEngineLostCommitsLandOnce(t *testing.T) {
	e := testEtcdEngine(t, freshEtcdOptions(t))
	e.update(func(tx kvTx) error { _, err := tx.CreateBucket([]byte("n")); return err })
	var mode int
	e.lose = func() int { m := mode; mode = loseNothing; return m }
	incr := func(tx kvTx) error {
		b := tx.Bucket([]byte("n"))
		var n uint64
		if v := b.Get([]byte("count")); v != nil {
			n = binary.BigEndian.Uint64(v)
		}
		return b.Put([]byte("count"), be64(n+1))
	}
	count := func() (n uint64) {
		e.view(func(tx kvTx) error {
			n = binary.BigEndian.Uint64(tx.Bucket([]byte("n")).Get([]byte("count")))
			return nil
		})
		return n
	}
	for i, m := range []int{loseAnswer, loseRequest, loseNothing, loseAnswer, loseRequest} {
		mode = m
		if err := e.update(incr); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
		if n := count(); n != uint64(i+1) {
			t.Fatalf("after change %d (lost %d): count %d", i, m, n)
		}
	}
}
