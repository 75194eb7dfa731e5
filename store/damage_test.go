package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
)

// A store whose data pages are damaged (bbolt has no checksums on them) opens or is refused with a message, and
// once open, Check reports the damage and reads return errors; nothing panics, nothing is re-initialised.
func TestDamagedDataPage(t *testing.T) {
	bboltOnly(t, "a damaged page of the bbolt file")
	s, cs := fixture(t, 1500)
	target := cs[len(cs)/2]
	var value []byte
	s.view(func(tx kvTx) error { value = bytes.Clone(tx.Bucket(bCases).Get([]byte(target.ID))); return nil })
	src := s.Path()
	s.Close()
	pristine, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(src)
	m, ok := readMeta(f, 0)
	f.Close()
	if !ok {
		t.Fatal("cannot read the meta page")
	}
	ps := int(m.pageSize)
	off := bytes.Index(pristine, value)
	if off < 0 || bytes.Index(pristine[off+1:], value) >= 0 {
		t.Fatal("the target case's record is not in the file exactly once")
	}
	page := off / ps * ps // the leaf page of the cases bucket that holds the target
	if page < 2*ps {
		t.Fatal("the target is on a meta page")
	}
	count := int(binary.LittleEndian.Uint16(pristine[page+10:]))
	r := rand.New(rand.NewPCG(7, 7))
	tests := []struct {
		name   string
		damage func(b []byte) // b is the page
	}{
		{"random bytes over the page", func(b []byte) {
			for i := range b {
				b[i] = byte(r.Uint32())
			}
		}},
		{"page type", func(b []byte) { b[8], b[9] = 0x7f, 0x7f }},
		{"page id", func(b []byte) { binary.LittleEndian.PutUint64(b, 0xdeadbeef) }},
		{"element positions", func(b []byte) {
			for i := 0; i < count; i++ { // leaf elements: flags, pos, ksize, vsize (4 bytes each)
				binary.LittleEndian.PutUint32(b[16+16*i+4:], 0x7fff0000)
			}
		}},
		{"element sizes", func(b []byte) {
			for i := 0; i < count; i++ {
				binary.LittleEndian.PutUint32(b[16+16*i+12:], 0xfffffff0)
			}
		}},
		{"bytes inside a case", func(b []byte) {
			at := off - page + len(value)/2
			b[at] ^= 0x20
			b[at+7] ^= 0x01
		}},
		{"zeroed page", func(b []byte) { clear(b) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.db")
			b := bytes.Clone(pristine)
			tc.damage(b[page : page+ps])
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, Options{NoSync: true, Timeout: 200 * time.Millisecond})
			if err != nil {
				if !strings.Contains(err.Error(), path) {
					t.Fatalf("Open refuses the damaged store without naming it: %v", err)
				}
				t.Logf("Open: %v", err)
				return
			}
			defer s.Close()
			err = s.Check()
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Fatalf("Check of a store with a damaged data page = %v", err)
			}
			t.Logf("Check: %v", firstLine(err))
			failed := 0
			for _, c := range cs {
				if _, err := s.Case(Operator, c.ID); err != nil {
					failed++
				}
			}
			if _, err := s.Case(Operator, target.ID); err == nil && failed == 0 {
				t.Fatal("every case reads back from a damaged page")
			} else if err != nil && !errors.Is(err, cases.ErrNotFound) && // keys scrambled out of the page find nothing
				(!strings.Contains(err.Error(), "store "+path+" is damaged") || !strings.Contains(err.Error(), "restore it from a backup")) {
				t.Fatalf("reading a case from a damaged page: %v", err)
			}
			if _, err := s.Export(Operator, io.Discard, "jsonl"); err == nil {
				t.Fatal("Export reads every case from a damaged page")
			} else if !strings.Contains(err.Error(), "damaged") {
				t.Fatalf("Export error does not say the store is damaged: %v", err)
			}
			// everything else answers, one way or the other, without a panic
			s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Sort: cases.SortAmount})
			s.Counts(Operator, cases.QueueQuery{Center: "PHARMA"})
			s.VerifyAudit()
			s.VerifyHistory()
			s.History(Operator, target.ID)
			s.AddNote(target.Assignee, target.ID, 0, "written to a damaged store")
			if after, _ := os.ReadFile(path); len(after) == 0 {
				t.Fatal("the damaged store was emptied")
			}
		})
	}
}

func firstLine(err error) string { return strings.SplitN(err.Error(), "\n", 2)[0] }

// bbolt reads the freelist when it opens a file; a damaged one is an error naming the store, not a panic.
func TestDamagedFreelistPage(t *testing.T) {
	bboltOnly(t, "a damaged freelist page of the bbolt file")
	s, _ := fixture(t, 300)
	path := s.Path()
	s.Close()
	b, _ := os.ReadFile(path)
	var freelist uint64
	var txid uint64
	for _, off := range []int{0, 4096} { // the meta page with the higher txid is the current one
		m := b[off+16:]
		if id := binary.LittleEndian.Uint64(m[48:]); id >= txid {
			txid, freelist = id, binary.LittleEndian.Uint64(m[32:])
		}
	}
	if m, _ := func() (boltMeta, bool) { f, _ := os.Open(path); defer f.Close(); return readMeta(f, 0) }(); m.pageSize != 4096 {
		t.Skipf("page size %d", m.pageSize)
	}
	p := b[freelist*4096:]
	p[8], p[9] = 0x01, 0x00 // says it is a branch page
	os.WriteFile(path, b, 0o600)
	s, err := Open(path, Options{NoSync: true, Timeout: 200 * time.Millisecond})
	if err == nil {
		defer s.Close()
		if err := s.Check(); err == nil {
			t.Fatal("a store with a damaged freelist opens and checks clean")
		}
		return
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("Open = %v; want it to say the store is damaged", err)
	}
	t.Logf("Open: %v", err)
}
