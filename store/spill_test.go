package store

import (
	"fmt"
	"strings"
	"testing"
)

// limitedEngine is an engine with a distributed engine's limits on each read-write transaction, which it
// enforces by counting what each one writes.
type limitedEngine struct {
	engine
	lim     kvLimits
	commits int
	most    int
}

func (e *limitedEngine) limits() kvLimits { return e.lim }

// limitedFault, when set, is called before each transaction of a limitedEngine, which fails with its error.
var limitedFault func() error

func (e *limitedEngine) update(fn func(tx kvTx) error) error {
	if limitedFault != nil {
		if err := limitedFault(); err != nil {
			return err
		}
	}
	e.commits++
	c := &countingTx{kvTx: nil}
	return e.engine.update(func(tx kvTx) error {
		c.kvTx, c.n = tx, 0
		if err := fn(c); err != nil {
			return err
		}
		e.most = max(e.most, c.n)
		if c.n > e.lim.Ops {
			return fmt.Errorf("a transaction wrote %d keys, over the limit of %d", c.n, e.lim.Ops)
		}
		return nil
	})
}

type countingTx struct {
	kvTx
	n int
}

func (t *countingTx) Bucket(name []byte) kvBucket {
	b := t.kvTx.Bucket(name)
	if b == nil {
		return nil
	}
	return countingBucket{b, t}
}

func (t *countingTx) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	t.n++
	b, err := t.kvTx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	return countingBucket{b, t}, nil
}

func (t *countingTx) DeleteBucket(name []byte) error { t.n++; return t.kvTx.DeleteBucket(name) }

type countingBucket struct {
	kvBucket
	t *countingTx
}

func (b countingBucket) Put(k, v []byte) error { b.t.n++; return b.kvBucket.Put(k, v) }
func (b countingBucket) Delete(k []byte) error { b.t.n++; return b.kvBucket.Delete(k) }
func (b countingBucket) Bucket(name []byte) kvBucket {
	n := b.kvBucket.Bucket(name)
	if n == nil {
		return nil
	}
	return countingBucket{n, b.t}
}
func (b countingBucket) CreateBucketIfNotExists(name []byte) (kvBucket, error) {
	b.t.n++
	n, err := b.kvBucket.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	return countingBucket{n, b.t}, nil
}

// Re-indexing every case on an engine whose transactions take 500 writes at most goes in transactions within the
// limit and leaves the store as one transaction would.
func TestRebuildSpillsWithinTheEnginesLimits(t *testing.T) {
	s, _ := fixture(t, 600)
	// lose the statistics and the queue rows, which the re-index derives again
	s.update(func(tx kvTx) error {
		tx.DeleteBucket(bStats)
		tx.CreateBucket(bStats)
		tx.DeleteBucket(bRows)
		_, err := tx.CreateBucket(bRows)
		return err
	})
	if s.Check() == nil {
		t.Fatal("Check passes a store without its statistics and rows")
	}
	le := &limitedEngine{engine: s.eng, lim: kvLimits{Ops: 500, Bytes: 1 << 20}}
	s.eng = le
	if err := s.updateLarge(func(tx kvTx) error { return s.rebuild(tx, true) }); err != nil {
		t.Fatal(err)
	}
	if le.commits < 10 || le.most > 500 {
		t.Fatalf("%d transactions, the largest %d writes", le.commits, le.most)
	}
	s.eng = le.engine
	mustCheck(t, s)
	var dirty []byte
	s.view(func(tx kvTx) error { dirty = tx.Bucket(bMeta).Get(mDirty); return nil })
	if dirty != nil {
		t.Fatal("index_dirty is still set after the spilled re-index")
	}
}

// A reassignment of more cases than one bounded transaction takes goes in parts, each within the limit.
func TestLargeReassignmentGoesInParts(t *testing.T) {
	s, cs := fixture(t, 400)
	var ids []string
	for _, c := range cs {
		if c.Center == "ELEC" && c.Status.Open() && c.Status != "pending_approval" && c.Assignee != "bob" && len(ids) < 40 {
			ids = append(ids, c.ID)
		}
	}
	le := &limitedEngine{engine: s.eng, lim: kvLimits{Ops: 1500, Bytes: 1 << 20}}
	s.eng = le
	got, err := s.Assign("sofia", ids, nil, "bob", "rebalance", today)
	s.eng = le.engine
	if err != nil || len(got) != len(ids) {
		t.Fatalf("assign: %d of %d, %v", len(got), len(ids), err)
	}
	t.Logf("%d transactions, the largest %d writes (%d cases a part)", le.commits, le.most, casesPerTx(le.lim))
	if le.commits < 3 || le.most > 1500 {
		t.Fatalf("%d transactions, the largest %d writes", le.commits, le.most)
	}
	for _, id := range ids {
		if c, _ := s.Case("sofia", id); c.Assignee != "bob" {
			t.Fatalf("%s is %s's", id, c.Assignee)
		}
	}
	mustCheck(t, s)
}

// On an engine with bounded transactions a checkout is bounded too, and says so; a check-in releases the leases
// of a large checkout in parts within the limit.
func TestCheckoutAndCheckinWithinTheEnginesLimits(t *testing.T) {
	s, cs := fixture(t, 400)
	mine := openCases(cs, "alice")
	le := &limitedEngine{engine: s.eng, lim: kvLimits{Ops: 40, Bytes: 1 << 20}}
	s.eng = le
	defer func() { s.eng = le.engine }()
	if _, err := s.Checkout("alice", CheckoutRequest{}, t.TempDir()+"/all.desk"); err == nil || !strings.Contains(err.Error(), "at most 9 in one checkout") {
		t.Fatalf("a checkout of %d cases on an engine of 40 keys a transaction: %v", len(mine), err)
	}
	var ids []string
	for _, c := range mine[:9] {
		ids = append(ids, c.ID)
	}
	le.lim.Ops = 100
	_, path := checkout(t, s, "alice", CheckoutRequest{IDs: ids})
	le.lim.Ops = 40
	rep, err := s.Checkin("alice", path, 0, nil)
	if err != nil || len(rep.Released) != 9 || le.most > 40 {
		t.Fatalf("check-in: %+v %v; largest transaction %d", rep, err, le.most)
	}
}
