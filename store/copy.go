package store

import (
	"errors"
	"fmt"

	"ceedesk/cases"
)

// mMigrating marks a store being filled by CopyInto: set by its first write, removed by its last, so a copy that
// was cut off is never taken for a store.
var mMigrating = []byte("migrating")

// ErrMigrating is wrapped by Open's refusal of a store whose copy (ceedesk migrate) was cut off.
var ErrMigrating = errors.New("a copy into this store was cut off")

// CopyInto copies the whole store, from one consistent read of it, into dst, which must be empty (a store just
// created, with no users, cases or audit events, or one whose copy was cut off), in transactions within dst's
// engine's limits, and returns the number of cases copied. progress, if not nil, is called with the keys copied so
// far and the total. A copy cut off half-way leaves dst marked (Open refuses it, wrapping ErrMigrating, unless
// Options.Migrating); CopyInto into it again starts over. Close dst, open it again and VerifyCopy it.
func (s *Store) CopyInto(dst *Store, progress func(done, total int)) (int, error) {
	if err := dst.checkEmpty(); err != nil {
		return 0, err
	}
	lim := dst.eng.limits()
	if lim.Ops == 0 {
		lim.Ops = 50000
	}
	if lim.Bytes == 0 {
		lim.Bytes = 64 << 20
	}
	var total, done, srcCases int
	err := s.view(func(src kvTx) error {
		err := src.ForEach(func(name []byte, b kvBucket) error {
			total += countKeys(b)
			return nil
		})
		if err != nil {
			return err
		}
		srcCases = int(metaUint(src, mCases))
		// start over: every bucket of dst goes, and the copy is marked until its last write
		var names [][]byte
		dst.view(func(tx kvTx) error {
			return tx.ForEach(func(name []byte, _ kvBucket) error { names = append(names, clone(name)); return nil })
		})
		var ops []spillOp
		for _, n := range names {
			ops = append(ops, spillOp{kind: 'x', key: n})
		}
		ops = append(ops, spillOp{kind: 'c', key: bMeta}, spillOp{path: [][]byte{bMeta}, kind: 'p', key: mMigrating, value: []byte{1}})
		flush := func(final bool) error {
			if len(ops) < lim.Ops/2 && !final {
				return nil
			}
			if err := dst.applySpill(ops, lim); err != nil {
				return fmt.Errorf("copying into %s: %w", dst.eng.name(), err)
			}
			ops = ops[:0]
			if progress != nil {
				progress(done, total)
			}
			return nil
		}
		var walk func(path [][]byte, b kvBucket) error
		walk = func(path [][]byte, b kvBucket) error {
			c := b.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				done++
				if v == nil && b.Bucket(k) != nil {
					ops = append(ops, spillOp{path: path, kind: 'c', key: clone(k)})
					if err := walk(append(append([][]byte{}, path...), clone(k)), b.Bucket(k)); err != nil {
						return err
					}
					continue
				}
				if len(path) == 1 && string(path[0]) == string(bMeta) && string(k) == string(mMigrating) {
					continue
				}
				ops = append(ops, spillOp{path: path, kind: 'p', key: clone(k), value: clone(v)})
				if err := flush(false); err != nil {
					return err
				}
			}
			return nil
		}
		err = src.ForEach(func(name []byte, b kvBucket) error {
			if string(name) != string(bMeta) {
				ops = append(ops, spillOp{kind: 'c', key: clone(name)})
			}
			return walk([][]byte{clone(name)}, b)
		})
		if err != nil {
			return err
		}
		ops = append(ops, spillOp{path: [][]byte{bMeta}, kind: 'd', key: mMigrating})
		return flush(true)
	})
	return srcCases, err
}

// countKeys counts the keys of b and the buckets nested in it.
func countKeys(b kvBucket) int {
	n := 0
	b.ForEach(func(k, v []byte) error {
		n++
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				n += countKeys(nb)
			}
		}
		return nil
	})
	return n
}

// checkEmpty refuses a store that holds anything but what a new store holds, or a copy that was cut off.
func (s *Store) checkEmpty() error {
	return s.view(func(tx kvTx) error {
		meta := tx.Bucket(bMeta)
		if meta != nil && meta.Get(mMigrating) != nil {
			return nil // a cut-off copy: start over
		}
		for _, b := range [][]byte{bCases, bUsers, bAudit} {
			if x := tx.Bucket(b); x != nil && x.KeyN() > 0 {
				return fmt.Errorf("%w: %s is not empty (it has %s); copy a store only into an empty one", cases.ErrInvalid, s.eng.name(), b)
			}
		}
		return nil
	})
}

// VerifyCopy checks a store CopyInto filled, opened again: it holds want cases, its indexes agree with them
// (Check), its audit chain verifies (with the key it was opened with) and explains every case (VerifyHistory).
func (s *Store) VerifyCopy(want int) error {
	var got int
	s.view(func(tx kvTx) error { got = int(metaUint(tx, mCases)); return nil })
	if got != want {
		return fmt.Errorf("the copy in %s counts %d cases, the store copied %d", s.eng.name(), got, want)
	}
	if err := s.Check(); err != nil {
		return fmt.Errorf("the copy in %s does not check: %w", s.eng.name(), err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		return fmt.Errorf("the copy in %s: its audit log does not verify: %w", s.eng.name(), err)
	}
	if _, err := s.VerifyHistory(); err != nil {
		return fmt.Errorf("the copy in %s: %w", s.eng.name(), err)
	}
	return nil
}
