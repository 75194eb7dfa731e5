package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Schema history. Each step turns a store of schema `from` into one of from+1. Steps run in order, all in ONE
// write transaction, after Open has written a backup of the store beside it (PATH.schema-N.bak), so a migration
// either completes or leaves the file exactly as it was.
//
//	0  cases, users, keys, audit and meta only: the layout before the derived buckets
//	1  + rows, index, stats and history, derived from the cases and the audit log
//	2  due-date index entries carry a copy of their queue row (filtered queues read one index sequentially)
//	3  the audit chain may be keyed (HMAC-SHA256 under a key kept outside the store, from the event meta records);
//	   nothing is rewritten, but a ceedesk of schema 2 would extend a keyed chain with plain hashes, so it must
//	   refuse the store as newer instead
//	4  index keys but the due and case sorts' hold the due date before the case id (ties in a sort are in due
//	   order), and there are indexes by kind, case id, status, assignee and entry number
//	5  + importers (cases by importer and by entry) and decisions (decided cases by Center and decision date),
//	   derived from the cases, and statistics per holder of each Center's cases (unassigned included); a ceedesk
//	   of schema 4 would write cases without them
//	6  + leases, checkouts and landed (cases checked out to desk files and their check-ins); a ceedesk of schema 5
//	   would write to a case checked out to someone's desk
type migration struct {
	what  string
	apply func(s *Store, tx kvTx) error // may be nil when the step only changes what is derived
	// derive says what the step changes among the derived buckets; the migration rebuilds what the steps ask for,
	// once, after the last step
	derive derivation
}

// derivation is a set of what a step changes among the derived buckets.
type derivation int

const (
	deriveNothing     derivation = 0
	deriveDueIndexes  derivation = 1 << iota // the due-date index buckets, from the rows
	deriveSortIndexes                        // the index buckets of every other sort, from the rows
	deriveAll                                // rows from the cases, then every index and the statistics
)

// migrations is keyed by the schema version a step starts from.
var migrations = map[uint64]migration{
	0: {"add queue rows, indexes, statistics and case histories, derived from the cases and the audit log", addDerivedBuckets, deriveAll},
	1: {"keep a copy of each queue row in the due-date indexes", nil, deriveDueIndexes},
	2: {"let the audit chain be keyed", nil, deriveNothing},
	3: {"order the ties of every sort by due date, and index the queue by kind, case, status, assignee and entry", nil, deriveSortIndexes},
	4: {"index cases by importer and entry, decided cases by decision date, and count each Center's cases per holder", addCaseKeys, deriveNothing},
	5: {"record checkouts to desk files", addDeskBuckets, deriveNothing},
}

// addCaseKeys derives what schema 5 adds from the cases alone, in one walk of them, without rebuilding the
// indexes schema 4 already has: the importers and decisions buckets, and the statistics per holder of each
// Center's cases. When an earlier step (or a change of policy) rebuilds everything, the rebuild derives them again.
func addCaseKeys(s *Store, tx kvTx) error {
	ck := newCaseKeySet()
	e := newExpected()
	err := tx.Bucket(bCases).ForEach(func(k, v []byte) error {
		c, err := decodeCase(v)
		if err != nil {
			return fmt.Errorf("case %s: %w", k, err)
		}
		r := c.Row(s.policy)
		e.addStats(scopeHolder(r.Center, r.Assignee), &r)
		return caseKeys(c, &r, ck.add)
	})
	if err != nil {
		return err
	}
	if err := ck.write(tx); err != nil {
		return err
	}
	st := tx.Bucket(bStats)
	ks, vs := e.statsEntries()
	for i := range ks {
		if err := st.Put(ks[i], vs[i]); err != nil {
			return err
		}
	}
	return nil
}

// addDeskBuckets creates the buckets of checkouts, empty: a store from before them has none.
func addDeskBuckets(s *Store, tx kvTx) error {
	for _, name := range [][]byte{bLeases, bCheckouts, bLanded} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}

// migrateFault, when set by a test, is called after each step and fails the migration with its error.
var migrateFault func(from uint64) error

// addDerivedBuckets creates the derived buckets of schema 1 afresh and fills the case histories from the audit log
// (every event that names a case); rows, indexes and statistics are then rebuilt from the cases.
func addDerivedBuckets(s *Store, tx kvTx) error {
	for _, name := range [][]byte{bRows, bIndex, bStats, bHistory} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	hist := tx.Bucket(bHistory)
	hist.SetFillPercent(0.9)
	return tx.Bucket(bAudit).ForEach(func(k, v []byte) error {
		var e struct {
			Seq  uint64 `json:"seq"`
			Case string `json:"case"`
		}
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("audit event %x: %w", k, err)
		}
		if e.Case == "" {
			return nil
		}
		return hist.Put(historyKey(e.Case, e.Seq), nil)
	})
}

// migrate brings a store of schema from up to SchemaVersion: it writes the backup PATH.schema-N.bak (a consistent
// copy, synced to disk) and then runs every step and the rebuild they call for in one transaction, stamping the new
// version last. On any failure the store is unchanged and the error names the backup.
func (s *Store) migrate(from uint64) error {
	backup := fmt.Sprintf("%s.schema-%d.bak", s.path, from)
	if _, err := s.BackupFile(backup); err != nil {
		return fmt.Errorf("store %s has schema version %d; writing a backup before migrating it to version %d failed, so it is unchanged: %w", s.path, from, SchemaVersion, err)
	}
	err := s.boltUpdate(func(tx kvTx) error {
		derive := deriveNothing
		for v := from; v < SchemaVersion; v++ {
			m, ok := migrations[v]
			if !ok {
				return fmt.Errorf("no step from schema version %d", v)
			}
			if m.apply != nil {
				if err := m.apply(s, tx); err != nil {
					return fmt.Errorf("step %d to %d (%s): %w", v, v+1, m.what, err)
				}
			}
			if migrateFault != nil {
				if err := migrateFault(v); err != nil {
					return fmt.Errorf("step %d to %d (%s): %w", v, v+1, m.what, err)
				}
			}
			derive |= m.derive
		}
		// a store indexed under another policy, or whose bulk load was interrupted, needs everything rebuilt anyway
		meta := tx.Bucket(bMeta)
		if derive != deriveNothing && (!bytes.Equal(meta.Get(mPolicyFP), policyFingerprint(s.policy)) || meta.Get(mDirty) != nil) {
			derive = deriveAll
		}
		var sorts []byte
		for _, so := range sortCodes {
			if so == sortDue && derive&deriveDueIndexes != 0 || so != sortDue && derive&deriveSortIndexes != 0 {
				sorts = append(sorts, so)
			}
		}
		var err error
		if derive&deriveAll != 0 {
			err = s.rebuild(tx, true)
		} else {
			err = s.rebuildIndexes(tx, sorts...)
		}
		if err != nil {
			return fmt.Errorf("rebuilding the derived buckets: %w", err)
		}
		return tx.Bucket(bMeta).Put(mSchema, be64(SchemaVersion))
	})
	if err != nil {
		return fmt.Errorf("store %s: migrating schema version %d to %d failed, so the store is unchanged (a copy from before the attempt is %s): %w", s.path, from, SchemaVersion, backup, err)
	}
	return nil
}
