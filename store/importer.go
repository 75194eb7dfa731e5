package store

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"ceedesk/cases"
)

// The importers bucket indexes cases by who imported what, which a case's queue row does not hold:
//
//	'i' importer-number 0x00 split due id  -> programs (one byte, a bit per cases.Program) + the case's queue row
//	'e' entry-number 0x00 id               -> nothing
//
// split is 'o' (open) or 'x' (decided), as in the index buckets, so that an importer's open cases are a seek and a
// walk in due order; the row copy lets the importer's view read one run of keys and nothing else. Because the
// entries come from the cases, not from the rows, every path that writes a case writes them (putCase, insertBulk),
// and rebuild writes them afresh only when it decodes the cases (recompute); Check compares them with the cases.
// The decisions bucket (report.go) is kept the same way.
var (
	bImporters = []byte("importers")
	bDecisions = []byte("decisions")
)

// MaxRelated is the most cases Related returns.
const MaxRelated = 20

// MaxImporterCases is the most cases of one importer the importer's view lists; its totals count them all.
const MaxImporterCases = 5000

const (
	keyImporter = 'i'
	keyEntry    = 'e'
)

func importerPrefix(number string) []byte {
	return append(append([]byte{keyImporter}, strings.ToUpper(strings.TrimSpace(number))...), 0)
}

func entryPrefix(entry string) []byte {
	return append(append([]byte{keyEntry}, strings.ToUpper(strings.TrimSpace(entry))...), 0)
}

func importerKey(number string, r *cases.QueueRow) []byte {
	k := importerPrefix(number)
	k = append(k, splitByte(r.Status.Open()))
	k = dateKey(k, r.Due)
	return append(k, r.ID...)
}

func splitByte(open bool) byte {
	if open {
		return 'o'
	}
	return 'x'
}

func programBits(ps []cases.Program) byte {
	var b byte
	for _, p := range ps {
		switch p {
		case cases.ProgramCTPAT:
			b |= 1
		case cases.ProgramISA:
			b |= 2
		}
	}
	return b
}

func bitPrograms(b byte) []cases.Program {
	var out []cases.Program
	if b&1 != 0 {
		out = append(out, cases.ProgramCTPAT)
	}
	if b&2 != 0 {
		out = append(out, cases.ProgramISA)
	}
	return out
}

// caseKeys calls fn with each entry the case c, whose queue row is r, has in the importers and decisions buckets.
// Every key and value is a fresh slice (bbolt holds what it is given until the transaction commits).
func caseKeys(c *cases.Case, r *cases.QueueRow, fn func(bucket, k, v []byte) error) error {
	if c.Importer.Number != "" {
		v := append([]byte{programBits(c.Importer.Programs)}, encodeRow(r)...)
		if err := fn(bImporters, importerKey(c.Importer.Number, r), v); err != nil {
			return err
		}
	}
	if c.Entry.Number != "" {
		if err := fn(bImporters, append(entryPrefix(c.Entry.Number), c.ID...), nil); err != nil {
			return err
		}
	}
	if k, v := decisionEntry(c, r); k != nil {
		return fn(bDecisions, k, v)
	}
	return nil
}

func putCaseKey(tx kvTx) func(bucket, k, v []byte) error {
	return func(bucket, k, v []byte) error { return tx.Bucket(bucket).Put(k, v) }
}

func deleteCaseKey(tx kvTx) func(bucket, k, v []byte) error {
	return func(bucket, k, _ []byte) error { return tx.Bucket(bucket).Delete(k) }
}

// caseKeySet is what the importers and decisions buckets should hold, collected from the cases.
type caseKeySet struct {
	keys map[string][][]byte
	vals map[string][][]byte
}

func newCaseKeySet() *caseKeySet {
	return &caseKeySet{keys: map[string][][]byte{}, vals: map[string][][]byte{}}
}

func (e *caseKeySet) add(bucket, k, v []byte) error {
	e.keys[string(bucket)] = append(e.keys[string(bucket)], k)
	e.vals[string(bucket)] = append(e.vals[string(bucket)], v)
	return nil
}

// sorted returns one bucket's keys and values in key order.
func (e *caseKeySet) sorted(bucket []byte) ([][]byte, [][]byte) {
	return sortedPairs(e.keys[string(bucket)], e.vals[string(bucket)])
}

// put adds the set to the importers and decisions buckets, in key order: a bucket written in one transaction
// holds its new keys in one node until the commit splits it, so keys put in random order cost a copy of that
// node each.
func (e *caseKeySet) put(tx kvTx) error {
	for _, name := range [][]byte{bImporters, bDecisions} {
		b := tx.Bucket(name)
		ks, vs := e.sorted(name)
		for i := range ks {
			if err := b.Put(ks[i], vs[i]); err != nil {
				return err
			}
		}
		delete(e.keys, string(name))
		delete(e.vals, string(name))
	}
	return nil
}

// write replaces the importers and decisions buckets with the set, in key order into full pages.
func (e *caseKeySet) write(tx kvTx) error {
	for _, name := range [][]byte{bImporters, bDecisions} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		b, err := tx.CreateBucket(name)
		if err != nil {
			return err
		}
		b.SetFillPercent(1.0)
		ks, vs := e.sorted(name)
		for i := range ks {
			if err := b.Put(ks[i], vs[i]); err != nil {
				return err
			}
		}
		delete(e.keys, string(name))
		delete(e.vals, string(name))
	}
	return nil
}

// verify reports each difference between the set and the buckets through report, which returns false to stop.
func (e *caseKeySet) verify(tx kvTx, report func(format string, a ...any) bool) {
	for _, name := range [][]byte{bImporters, bDecisions} {
		b := tx.Bucket(name)
		if b == nil {
			report("bucket %s is missing", name)
			continue
		}
		ks, vs := e.sorted(name)
		c := b.Cursor()
		k, v := c.First()
		i := 0
		for k != nil || i < len(ks) {
			switch {
			case k == nil || (i < len(ks) && bytes.Compare(ks[i], k) < 0):
				if !report("bucket %s lacks the entry %q that a case calls for", name, ks[i]) {
					return
				}
				i++
			case i >= len(ks) || bytes.Compare(k, ks[i]) < 0:
				if !report("bucket %s has an entry %q that no case calls for", name, k) {
					return
				}
				k, v = c.Next()
			default:
				if !bytes.Equal(v, vs[i]) && !report("bucket %s: entry %q is stale", name, k) {
					return
				}
				i++
				k, v = c.Next()
			}
		}
	}
}

// Importer is the importer's view: every case of the importer with that number (an EIN, SSN or CBP-assigned
// number, cases.ParseImporterNumber) that actor may see (cases.ViewScope: a reviewer or supervisor their own
// Center's, an admin or the operator every Center's), grouped by entry, with totals at stake and the importer's
// programs. It reads one run of the importers index in one transaction and no case. An importer with no case the
// actor may see wraps cases.ErrNotFound, and says no more about other Centers than a refusal would.
func (s *Store) Importer(actor, number string) (cases.ImporterView, error) {
	num, err := cases.ParseImporterNumber(number)
	if err != nil {
		return cases.ImporterView{}, fmt.Errorf("%w: %w", cases.ErrInvalid, err)
	}
	v := cases.ImporterView{Number: num}
	var rows []cases.QueueRow
	var latest cases.Date
	err = s.view(func(tx kvTx) error {
		u, err := s.reader(tx, actor)
		if err != nil {
			return err
		}
		center, err := cases.ViewScope(u)
		if err != nil {
			return err
		}
		prefix := importerPrefix(num)
		programs := byte(0)
		centers := map[string]bool{}
		c := tx.Bucket(bImporters).Cursor()
		for k, val := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, val = c.Next() {
			var r cases.QueueRow
			if len(val) < 1 {
				return fmt.Errorf("importer index entry %q is damaged (run ceedesk's check)", k)
			}
			if err := decodeRow(val[1:], &r); err != nil {
				return fmt.Errorf("importer index entry %q: %w", k, err)
			}
			if center != "" && r.Center != center {
				continue
			}
			programs |= val[0]
			centers[r.Center] = true
			if r.Received >= latest {
				latest, v.Name = r.Received, r.Importer
			}
			v.Tally(&r)
			if len(rows) < MaxImporterCases {
				rows = append(rows, r)
			}
		}
		v.Programs = bitPrograms(programs)
		for c := range centers {
			v.Centers = append(v.Centers, c)
		}
		sort.Strings(v.Centers)
		return nil
	})
	if err != nil {
		return cases.ImporterView{}, s.damagedRecord(err)
	}
	if v.Open+v.Decided == 0 {
		return cases.ImporterView{}, fmt.Errorf("importer %s: no case you may see: %w", num, cases.ErrNotFound)
	}
	v.Group(rows)
	return v, nil
}

// Related lists the cases related to case id that actor may see: the other cases of the same entry, then the
// open cases of the same importer (earliest due first), without the case itself, MaxRelated at most. The actor
// must be allowed to see the case.
func (s *Store) Related(actor, id string) ([]cases.QueueRow, error) {
	var out []cases.QueueRow
	err := s.view(func(tx kvTx) error {
		c, err := getCase(tx, id)
		if err != nil {
			return err
		}
		if err := s.checkCase(tx, actor, c); err != nil {
			return err
		}
		u, err := s.reader(tx, actor)
		if err != nil {
			return err
		}
		center, err := cases.ViewScope(u)
		if err != nil {
			return err
		}
		seen := map[string]bool{c.ID: true}
		visible := func(r *cases.QueueRow) bool { return center == "" || r.Center == center }
		cur := tx.Bucket(bImporters).Cursor()
		rows := tx.Bucket(bRows)
		if c.Entry.Number != "" {
			prefix := entryPrefix(c.Entry.Number)
			for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < MaxRelated; k, _ = cur.Next() {
				other := k[len(prefix):]
				if seen[string(other)] {
					continue
				}
				r, err := readRow(rows, other)
				if err != nil {
					return err
				}
				if visible(&r) {
					seen[r.ID] = true
					out = append(out, r)
				}
			}
		}
		if c.Importer.Number != "" {
			prefix := append(importerPrefix(c.Importer.Number), splitByte(true))
			for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < MaxRelated; k, v = cur.Next() {
				if len(k) < len(prefix)+4 || seen[string(k[len(prefix)+4:])] {
					continue
				}
				var r cases.QueueRow
				if len(v) < 1 {
					return fmt.Errorf("importer index entry %q is damaged (run ceedesk's check)", k)
				}
				if err := decodeRow(v[1:], &r); err != nil {
					return fmt.Errorf("importer index entry %q: %w", k, err)
				}
				if visible(&r) {
					seen[r.ID] = true
					out = append(out, r)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.damagedRecord(err)
	}
	return out, nil
}
