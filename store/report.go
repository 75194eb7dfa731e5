package store

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"

	"ceedesk/cases"
)

// The decisions bucket holds the decided cases by Center and the date their decision became final:
//
//	center 0x00 decision-date id  -> due date (4 bytes, as in keys) + who decided
//
// so that a Center's decisions of the last weeks, and how many met their clock, are one seek and a walk over
// exactly those decisions. It is kept like the importers bucket (importer.go).

func decisionPrefix(center string) []byte { return append([]byte(center), 0) }

// decisionEntry is the decided case's entry in the decisions bucket, or nil when it has none (undecided, or
// decided on a day not recorded).
func decisionEntry(c *cases.Case, r *cases.QueueRow) (k, v []byte) {
	on := cases.DecisionDate(c)
	if on == 0 {
		return nil, nil
	}
	k = dateKey(decisionPrefix(c.Center), on)
	k = append(k, c.ID...)
	v = dateKey(nil, r.Due)
	if c.Decision != nil {
		v = append(v, c.Decision.By...)
	}
	return k, v
}

func keyDate(b []byte) cases.Date { return cases.Date(binary.BigEndian.Uint32(b) ^ 0x80000000) }

// holderLoads is the workload board of a Center as of today, from its holder statistics: the line of the cases
// nobody holds (User ""), then one line per person holding open cases of the Center, and per enabled reviewer of
// it even with none, by name. Each line counts only the Center's cases, so the lines sum to the Center's figures.
func holderLoads(tx kvTx, center string, today cases.Date) ([]cases.Load, error) {
	st := tx.Bucket(bStats)
	load := func(holder string) cases.Load {
		scope := scopeHolder(center, holder)
		l := cases.Load{User: holder, Counts: scopeCounts(tx, scope, today)}
		prefix := histPrefix(scope)
		if k, _ := st.Cursor().Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+4 {
			l.Oldest = keyDate(k[len(prefix):])
		}
		return l
	}
	out := []cases.Load{load("")}
	seen := map[string]bool{}
	prefix := scopeHolder(center, "")
	cur := st.Cursor()
	k, _ := cur.Seek(prefix)
	for k != nil && bytes.HasPrefix(k, prefix) {
		rest := k[len(prefix):]
		end := bytes.IndexByte(rest, 0)
		if end < 0 {
			break
		}
		holder := string(rest[:end])
		if holder != "" && decodeTotals(st.Get(totalsKey(scopeHolder(center, holder)))).Open > 0 {
			seen[holder] = true
		}
		k, _ = cur.Seek(append(scopeHolder(center, holder), 1)) // past every key of this holder
	}
	users, err := usersOf(tx, center)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == cases.RoleReviewer && !u.Disabled {
			seen[u.Name] = true
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, load(n))
	}
	return out, nil
}

// Report returns the Center's figures as of today (the store's today when zero): the workload board's lines
// (holderLoads), the Center's open cases by days to their clock, and the decisions made final in each of the last
// cases.ReportWeeks weeks with how many met their clock. The actor must be a supervisor of the Center or an admin
// (cases.CanOversee). It reads statistics and the decisions of those weeks, in one transaction; no case, and no
// row, is read.
func (s *Store) Report(actor, center string, today cases.Date) (cases.Report, error) {
	if today == 0 {
		today = s.today()
	}
	center = strings.ToUpper(center)
	r := cases.NewReport(center, today)
	err := s.view(func(tx kvTx) error {
		if err := s.oversee(tx, actor, center); err != nil {
			return err
		}
		var err error
		if r.Holders, err = holderLoads(tx, center, today); err != nil {
			return err
		}
		scope := scopeCenter(center)
		r.Total = scopeCounts(tx, scope, today)
		prefix := histPrefix(scope)
		cur := tx.Bucket(bStats).Cursor()
		for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
			if len(k) == len(prefix)+4 && len(v) == 8 {
				r.AddOpen(keyDate(k[len(prefix):]), int(binary.BigEndian.Uint64(v)))
			}
		}
		dp := decisionPrefix(center)
		dc := tx.Bucket(bDecisions).Cursor()
		for k, v := dc.Seek(dateKey(dp, r.FirstDay())); k != nil && bytes.HasPrefix(k, dp) && len(k) >= len(dp)+4; k, v = dc.Next() {
			on := keyDate(k[len(dp):])
			if on > today {
				break
			}
			var due cases.Date
			if len(v) >= 4 {
				due = keyDate(v)
			}
			r.AddDecision(on, due)
		}
		return nil
	})
	if err != nil {
		return cases.Report{}, err
	}
	return r, nil
}
