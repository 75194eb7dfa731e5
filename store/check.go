package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxProblems bounds how many problems Check reports.
const maxProblems = 20

// Check verifies the whole store in one read transaction. First it reads every key and value of every bucket; a
// page it cannot read (bbolt panics, or a page reference leads outside the file) is reported with the bucket it
// belongs to, and Check stops there, the store being damaged. Then bbolt's own page checks; then that every case
// record is intact (its checksum) and has the queue row its content gives under the store's Policy, that the index
// buckets hold exactly the entries those rows call for (no missing, extra or stale entry, every row copy equal to
// its row), that the importers and decisions buckets hold exactly the entries the cases call for, that the
// statistics and the case count in meta are right, and that every history entry points at an audit event. It reports up to 20 problems.
func (s *Store) Check() error {
	var problems []error
	report := func(format string, a ...any) bool {
		if len(problems) < maxProblems {
			problems = append(problems, fmt.Errorf(format, a...))
		}
		return len(problems) < maxProblems
	}
	// every page first, guarded: bbolt's checker runs in a goroutine of its own, where a damaged page reference is
	// a fatal fault
	damaged := false
	err := s.view(func(tx kvTx) error {
		return tx.ForEach(func(name []byte, b kvBucket) error {
			if err := guard(s.path, func() error { return readAll(b) }); err != nil {
				var de *damagedError
				if errors.As(err, &de) {
					report("bucket %s: a page cannot be read (%v)", name, de.what)
				} else {
					report("bucket %s: %v", name, err)
				}
				damaged = true
			}
			return nil
		})
	})
	if err == nil && damaged {
		err = fmt.Errorf("the store is damaged; restore it from a backup (ceedesk restore FILE)")
	}
	if err == nil {
		err = s.guard(func() error { return s.eng.check(report) })
	}
	if err == nil {
		err = s.view(func(tx kvTx) error {
			e := newExpected()
			ck := newCaseKeySet()
			rows := tx.Bucket(bRows)
			ncases := 0
			err := tx.Bucket(bCases).ForEach(func(k, v []byte) error {
				ncases++
				c, err := decodeCase(v)
				if err != nil {
					report("case %s: %v", k, err)
					return nil
				}
				if c.ID != string(k) {
					report("case stored under %q says its id is %q", k, c.ID)
				}
				r := c.Row(s.policy)
				if got := rows.Get(k); !bytes.Equal(got, encodeRow(&r)) {
					report("case %s: its queue row is missing or stale", k)
				}
				e.add(&r)
				return caseKeys(c, &r, ck.add)
			})
			if err != nil {
				return err
			}
			ck.verify(tx, report)
			if n := rows.KeyN(); n != ncases {
				rows.ForEach(func(k, _ []byte) error {
					if tx.Bucket(bCases).Get(k) == nil {
						return errorsStop(report("row %s has no case", k))
					}
					return nil
				})
			}
			if n := metaUint(tx, mCases); n != uint64(ncases) {
				report("meta counts %d cases, the store holds %d", n, ncases)
			}
			idx := tx.Bucket(bIndex)
			idx.ForEachBucket(func(name []byte) error {
				if _, ok := e.keys[string(name)]; !ok {
					if n := idx.Bucket(name).KeyN(); n > 0 {
						report("index %q has %d entries for cases that do not belong there", name, n)
					}
				}
				return nil
			})
			for name := range e.keys {
				ks, vs := e.sorted(name)
				b := idx.Bucket([]byte(name))
				if b == nil {
					report("index %q is missing", name)
					continue
				}
				c := b.Cursor()
				k, v := c.First()
				i := 0
				for k != nil || i < len(ks) {
					switch {
					case k == nil || (i < len(ks) && bytes.Compare(ks[i], k) < 0):
						report("index %q lacks the entry for case %s", name, keyID(ks[i], name[len(name)-1]))
						i++
					case i >= len(ks) || bytes.Compare(k, ks[i]) < 0:
						report("index %q has an entry for case %s that does not match its row", name, keyID(k, name[len(name)-1]))
						k, v = c.Next()
					default:
						if !bytes.Equal(v, vs[i]) {
							report("index %q: entry for case %s has a stale status, kind or copy of its row", name, keyID(k, name[len(name)-1]))
						}
						i++
						k, v = c.Next()
					}
				}
			}
			ks, vs := e.statsEntries()
			st := tx.Bucket(bStats)
			if st.KeyN() != len(ks) {
				report("statistics have %d entries, the rows call for %d", st.KeyN(), len(ks))
			}
			for i := range ks {
				if got := st.Get(ks[i]); !bytes.Equal(got, vs[i]) {
					report("statistics entry %q is %x, the rows give %x", ks[i], got, vs[i])
				}
			}
			audit := tx.Bucket(bAudit)
			return tx.Bucket(bHistory).ForEach(func(k, _ []byte) error {
				i := bytes.IndexByte(k, 0)
				if i < 0 || len(k) != i+9 {
					return errorsStop(report("history key %q is malformed", k))
				}
				id, seq := k[:i], binary.BigEndian.Uint64(k[i+1:])
				if audit.Get(k[i+1:]) == nil {
					return errorsStop(report("history of case %s names audit event %d, which does not exist", id, seq))
				}
				return nil
			})
		})
	}
	if errors.Is(err, errStop) {
		err = nil
	}
	if err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check %s: %w", s.path, errors.Join(problems...))
	}
	return nil
}

// readAll reads every key and value of b and of the buckets nested in it, touching the first and last byte of each
// so that a page reference leading outside the file faults here, under guard.
func readAll(b kvBucket) error {
	var sink byte
	touch := func(p []byte) {
		if len(p) > 0 {
			sink ^= p[0] ^ p[len(p)-1]
		}
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		touch(k)
		touch(v)
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				if err := readAll(nb); err != nil {
					return err
				}
			}
		}
	}
	readSink = sink
	return nil
}

var readSink byte // keeps readAll's reads from being optimised away

var errStop = errors.New("too many problems")

func errorsStop(more bool) error {
	if more {
		return nil
	}
	return errStop
}

// BackupFile writes a consistent copy of the store to path while writers continue, whole or not at all and never
// through a symbolic link (WriteFile): path is always either the old backup or a complete new one. It refuses to
// write over the live store.
func (s *Store) BackupFile(path string) (int64, error) {
	return s.backupTo(path, WriteFile)
}

// BackupNewFile is BackupFile for a path that must not exist yet (WriteNewFile): the server's backups never
// replace a file.
func (s *Store) BackupNewFile(path string) (int64, error) {
	return s.backupTo(path, WriteNewFile)
}

func (s *Store) backupTo(path string, writeFile func(string, func(io.Writer) error) error) (int64, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	live, _ := filepath.Abs(s.path)
	if abs == live {
		return 0, fmt.Errorf("backup %s: that is the live store; choose another file", path)
	}
	if a, err := os.Stat(abs); err == nil {
		if b, err := os.Stat(live); err == nil && os.SameFile(a, b) {
			return 0, fmt.Errorf("backup %s: that is the live store; choose another file", path)
		}
	}
	var n int64
	err = writeFile(abs, func(w io.Writer) error {
		var err error
		n, err = s.Backup(w)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("backup %s: %w", path, err)
	}
	return n, nil
}
