package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// A store copied into an empty one (as ceedesk migrate does) in transactions within a bounded engine's limits is
// the same store: its cases, indexes, audit chain and histories check; a copy cut off half-way is refused on
// opening and started over by the next copy.
func TestCopyIntoWithinLimits(t *testing.T) {
	bboltOnly(t, "the copy is a bbolt file the test opens again by its path")
	src, cs := fixture(t, 300)
	if _, err := src.Assign("sofia", []string{openCases(cs, "alice")[0].ID}, nil, "bob", "leave", today); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	dst := openTest(t, path)
	le := &limitedEngine{engine: dst.eng, lim: kvLimits{Ops: 700, Bytes: 1 << 20}}
	dst.eng = le
	fail := 5
	limitedFault = func() error {
		if fail--; fail == 0 {
			return errors.New("the connection was lost")
		}
		return nil
	}
	_, err := src.CopyInto(dst, nil)
	limitedFault = nil
	if err == nil {
		t.Fatal("the copy went through a lost connection")
	}
	dst.eng = le.engine
	dst.Close()
	if _, err := Open(path, Options{Timeout: time.Second}); !errors.Is(err, ErrMigrating) {
		t.Fatalf("opening a cut-off copy: %v", err)
	}
	dst, err = Open(path, Options{Timeout: time.Second, Migrating: true, Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	le = &limitedEngine{engine: dst.eng, lim: kvLimits{Ops: 700, Bytes: 1 << 20}}
	dst.eng = le
	var calls int
	n, err := src.CopyInto(dst, func(done, total int) {
		calls++
		if done > total {
			t.Errorf("progress %d of %d", done, total)
		}
	})
	if err != nil || n != 300 || le.most > 700 || calls < 5 {
		t.Fatalf("copy: %d cases, %v; largest transaction %d, %d progress calls", n, err, le.most, calls)
	}
	dst.eng = le.engine
	dst.Close()
	dst = openTest(t, path)
	if err := dst.VerifyCopy(300); err != nil {
		t.Fatal(err)
	}
	a, _ := src.Case(Operator, cs[0].ID)
	b, err := dst.Case(Operator, cs[0].ID)
	if err != nil || a.Version != b.Version || a.Assignee != b.Assignee {
		t.Fatalf("case %s differs: %+v / %+v (%v)", cs[0].ID, a, b, err)
	}
	if _, err := src.CopyInto(dst, nil); err == nil {
		t.Fatal("a copy into a store that is not empty")
	}
}
