package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"ceedesk/cases"
)

// makeSchema4 turns a closed store into one of schema version 4: no importers or decisions bucket, and no
// statistics per holder.
func makeSchema4(t *testing.T, path string) {
	t.Helper()
	rawUpdate(t, path, func(tx kvTx) error {
		for _, b := range [][]byte{bImporters, bDecisions} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		st := tx.Bucket(bStats)
		var holders [][]byte
		st.ForEach(func(k, _ []byte) error {
			if k[0] == 'w' {
				holders = append(holders, bytes.Clone(k))
			}
			return nil
		})
		for _, k := range holders {
			if err := st.Delete(k); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(mSchema, be64(4))
	})
}

// makeSchema0 turns a closed store into one of schema version 0: cases, users, keys, audit and a minimal meta,
// without any derived bucket.
func makeSchema0(t *testing.T, path string) {
	t.Helper()
	makeSchema4(t, path)
	rawUpdate(t, path, func(tx kvTx) error {
		for _, b := range [][]byte{bRows, bIndex, bStats, bHistory} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		for _, k := range [][]byte{mPolicy, mPolicyFP, mCases, mDirty} {
			meta.Delete(k)
		}
		return meta.Put(mSchema, be64(0))
	})
}

// makeSchema1 turns a closed store into one of schema version 1: due-date index entries hold only status and kind.
func makeSchema1(t *testing.T, path string) {
	t.Helper()
	makeSchema4(t, path)
	rawUpdate(t, path, func(tx kvTx) error {
		idx := tx.Bucket(bIndex)
		err := idx.ForEachBucket(func(name []byte) error {
			if name[len(name)-1] != sortDue {
				return nil
			}
			b := idx.Bucket(name)
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if err := b.Put(bytes.Clone(k), []byte{v[0], v[1]}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(mSchema, be64(1))
	})
}

// makeSchema2 turns a closed store (whose chain is not keyed) into one of schema version 2: the layout is the same.
func makeSchema2(t *testing.T, path string) {
	t.Helper()
	makeSchema4(t, path)
	rawUpdate(t, path, func(tx kvTx) error { return tx.Bucket(bMeta).Put(mSchema, be64(2)) })
}

// makeSchema3 turns a closed store into one of schema version 3: keys of the received, amount and importer indexes
// hold no due date, and there are no indexes by kind, case, status, assignee or entry.
func makeSchema3(t *testing.T, path string) {
	t.Helper()
	makeSchema4(t, path)
	rawUpdate(t, path, func(tx kvTx) error {
		idx := tx.Bucket(bIndex)
		var names [][]byte
		idx.ForEachBucket(func(name []byte) error { names = append(names, bytes.Clone(name)); return nil })
		for _, name := range names {
			switch so := name[len(name)-1]; so {
			case sortDue:
			case sortReceived, sortAmount, sortImporter:
				b := idx.Bucket(name)
				var ks, vs [][]byte
				b.ForEach(func(k, v []byte) error { ks, vs = append(ks, bytes.Clone(k)), append(vs, bytes.Clone(v)); return nil })
				for i, k := range ks {
					at := len(k) - len(keyID(k, so)) - 4 // where the due date is
					if err := b.Delete(k); err != nil {
						return err
					}
					if err := b.Put(append(k[:at:at], k[at+4:]...), vs[i]); err != nil {
						return err
					}
				}
			default:
				if err := idx.DeleteBucket(name); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bMeta).Put(mSchema, be64(3))
	})
}

func schemaOf(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatalf("%s does not open: %v", path, err)
	}
	defer db.Close()
	var v uint64
	db.View(func(tx *bolt.Tx) error { v = metaUint(boltTx{tx}, mSchema); return nil })
	return v
}

func casesIn(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatalf("%s does not open: %v", path, err)
	}
	defer db.Close()
	var n int
	db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bCases).Stats().KeyN; return nil })
	return n
}

func TestMigrateOlderSchemas(t *testing.T) {
	bboltOnly(t, "a migration of an old bbolt file (older schemas exist only as files; a migration writes its backup beside the file)")
	for _, from := range []uint64{0, 1, 2, 3, 4} {
		t.Run(fmt.Sprintf("from %d", from), func(t *testing.T) {
			s, cs := worked(t, 300)
			nEvents, err := s.VerifyAudit()
			if err != nil {
				t.Fatal(err)
			}
			histories := map[string][]cases.Event{}
			for _, c := range cs[:40] {
				if histories[c.ID], err = s.History(Operator, c.ID); err != nil {
					t.Fatal(err)
				}
			}
			path := s.Path()
			s.Close()
			switch from {
			case 0:
				makeSchema0(t, path)
			case 1:
				makeSchema1(t, path)
			case 2:
				makeSchema2(t, path)
			case 3:
				makeSchema3(t, path)
			case 4:
				makeSchema4(t, path)
			}

			if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "open it read-write once to migrate it") {
				t.Fatalf("read-only open of an older schema: %v", err)
			}
			s = openTest(t, path)
			backup := fmt.Sprintf("%s.schema-%d.bak", path, from)
			if got := schemaOf(t, backup); got != from {
				t.Fatalf("backup %s has schema %d, want %d", backup, got, from)
			}
			if n := casesIn(t, backup); n != len(cs) {
				t.Fatalf("backup %s holds %d cases, want %d", backup, n, len(cs))
			}
			var schema uint64
			s.view(func(tx kvTx) error { schema = metaUint(tx, mSchema); return nil })
			if schema != SchemaVersion {
				t.Fatalf("migrated store has schema %d", schema)
			}
			mustCheck(t, s)
			if n, err := s.VerifyAudit(); err != nil || n != nEvents {
				t.Fatalf("VerifyAudit after migration = %d, %v; want %d", n, err, nEvents)
			}
			if n, err := s.VerifyHistory(); err != nil || n != len(cs) {
				t.Fatalf("VerifyHistory after migration = %d, %v", n, err)
			}
			for id, want := range histories {
				got, err := s.History(Operator, id)
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Fatalf("history of %s after migration: %v\n got %+v\nwant %+v", id, err, got, want)
				}
			}
			checkQueues(t, s, cs)
			// a migrated store takes writes and reopens without migrating again
			c := find(t, cs, func(c *cases.Case) bool { return c.Status == cases.StatusAssigned })
			if _, err := s.AddNote(c.Assignee, c.ID, c.Version, "after the migration"); err != nil {
				t.Fatal(err)
			}
			s.Close()
			os.Remove(backup)
			s = openTest(t, path)
			if _, err := os.Stat(backup); !errors.Is(err, os.ErrNotExist) {
				t.Fatal("a current store was backed up for a migration again")
			}
			mustCheck(t, s)
		})
	}
}

func TestInterruptedMigrationLeavesTheStoreAsItWas(t *testing.T) {
	bboltOnly(t, "a migration of an old bbolt file (older schemas exist only as files; a migration writes its backup beside the file)")
	s, cs := fixture(t, 200)
	path := s.Path()
	s.Close()
	makeSchema0(t, path)
	before, _ := os.ReadFile(path)
	for _, step := range []uint64{0, 1} {
		migrateFault = func(from uint64) error {
			if from == step {
				return errors.New("the disk is full")
			}
			return nil
		}
		_, err := Open(path, Options{NoSync: true})
		migrateFault = nil
		backup := path + ".schema-0.bak"
		for _, want := range []string{"migrating schema version 0 to", "the store is unchanged", backup, "the disk is full", fmt.Sprintf("step %d to %d", step, step+1)} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("failed migration at step %d: %v; want %q", step, err, want)
			}
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
			t.Fatalf("a failed migration (step %d) changed the store file", step)
		}
		if got := schemaOf(t, backup); got != 0 {
			t.Fatalf("backup has schema %d", got)
		}
	}
	s = openTest(t, path)
	mustCheck(t, s)
	checkQueues(t, s, cs)
}

func TestMigrationStepsCoverEveryOlderVersion(t *testing.T) {
	for v := uint64(0); v < SchemaVersion; v++ {
		m, ok := migrations[v]
		if !ok || m.what == "" {
			t.Errorf("no described migration step from schema version %d", v)
		}
	}
	if _, ok := migrations[SchemaVersion]; ok {
		t.Error("a migration step starts from the current schema version")
	}
}

func TestMigrationUnderANewPolicyReindexes(t *testing.T) {
	bboltOnly(t, "a migration of an old bbolt file (older schemas exist only as files; a migration writes its backup beside the file)")
	s, cs := fixture(t, 200)
	path := s.Path()
	s.Close()
	makeSchema1(t, path)
	p := cases.DefaultPolicy()
	p.ValidationDays = 30
	s2, err := Open(path, Options{Policy: p, NoSync: true, Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	mustCheck(t, s2)
	checkQueues(t, s2, cs)
}
