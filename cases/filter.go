package cases

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFilter is the longest filter query accepted.
const MaxFilter = 512

// Filter selects queue rows. The zero Filter matches every row.
//
// The query language: words are matched, case-insensitively, against the case id, importer name and entry number;
// field terms narrow further:
//
//	kind:protest         kind:psc,pea        (any of a list)
//	status:review        status:open          (open = not decided)
//	due:<7d  due:<=0d  due:>30d  due:overdue  due:week
//	importer:acme        assignee:bob        center:ELEC
//	amount:>10000        amount:<500.00      (dollars)
//
// Values with spaces are quoted: importer:"acme corp".
type Filter struct {
	Words    []string // lower case
	Kinds    []Kind
	Statuses []Status
	OpenOnly bool
	DueOp    string // "<", "<=", ">", ">=", "=" or ""
	DueDays  int
	Importer string // lower case substring
	Assignee string
	Center   string
	AmountOp string
	Amount   Cents
	Query    string // the text it was parsed from
}

// Empty reports whether the filter matches everything.
func (f Filter) Empty() bool {
	return len(f.Words) == 0 && len(f.Kinds) == 0 && len(f.Statuses) == 0 && !f.OpenOnly && f.DueOp == "" &&
		f.Importer == "" && f.Assignee == "" && f.Center == "" && f.AmountOp == ""
}

// ParseFilter reads a filter query; an error names the term that is wrong and why.
func ParseFilter(q string) (Filter, error) {
	f := Filter{Query: q}
	if n := utf8.RuneCountInString(q); n > MaxFilter || len(q) > 4*MaxFilter {
		return f, fmt.Errorf("filter is %d characters; the limit is %d", n, MaxFilter)
	}
	terms, err := splitTerms(q)
	if err != nil {
		return f, err
	}
	for _, t := range terms {
		field, val, ok := strings.Cut(t, ":")
		if !ok || field == "" || strings.ContainsAny(field, " \"") {
			f.Words = append(f.Words, strings.ToLower(t))
			continue
		}
		if val == "" {
			return f, fmt.Errorf("filter term %q: %s needs a value", t, field)
		}
		switch strings.ToLower(field) {
		case "kind", "k":
			for _, v := range strings.Split(val, ",") {
				k, err := ParseKind(v)
				if err != nil {
					return f, fmt.Errorf("filter term %q: %v", t, err)
				}
				f.Kinds = append(f.Kinds, k)
			}
		case "status", "st":
			for _, v := range strings.Split(val, ",") {
				if strings.EqualFold(v, "open") {
					f.OpenOnly = true
					continue
				}
				s, err := ParseStatus(v)
				if err != nil {
					return f, fmt.Errorf("filter term %q: %v", t, err)
				}
				f.Statuses = append(f.Statuses, s)
			}
		case "due":
			if err := f.parseDue(val); err != nil {
				return f, fmt.Errorf("filter term %q: %v", t, err)
			}
		case "importer", "imp":
			f.Importer = strings.ToLower(val)
		case "assignee", "to":
			f.Assignee = strings.ToLower(val)
		case "center":
			f.Center = strings.ToUpper(val)
		case "amount", "revenue":
			op, rest := splitOp(val)
			a, err := ParseUSD(rest)
			if err != nil {
				return f, fmt.Errorf("filter term %q: %v", t, err)
			}
			f.AmountOp, f.Amount = op, a
		default:
			return f, fmt.Errorf("filter term %q: unknown field %q; want kind, status, due, importer, assignee, center or amount", t, field)
		}
	}
	return f, nil
}

func (f *Filter) parseDue(val string) error {
	switch strings.ToLower(val) {
	case "overdue":
		f.DueOp, f.DueDays = "<", 0
		return nil
	case "week":
		f.DueOp, f.DueDays = "<=", 7
		return nil
	case "today":
		f.DueOp, f.DueDays = "<=", 0
		return nil
	}
	op, rest := splitOp(val)
	rest = strings.TrimSuffix(strings.ToLower(rest), "d")
	n, err := strconv.Atoi(rest)
	if err != nil || n < -100000 || n > 100000 {
		return fmt.Errorf("due wants days such as <7d, >=30d, overdue or week")
	}
	f.DueOp, f.DueDays = op, n
	return nil
}

func splitOp(v string) (string, string) {
	for _, op := range []string{"<=", ">=", "<", ">", "="} {
		if strings.HasPrefix(v, op) {
			return op, v[len(op):]
		}
	}
	return "=", v
}

func splitTerms(q string) ([]string, error) {
	var terms []string
	var b strings.Builder
	inQuote := false
	for _, r := range q {
		switch {
		case r == '"':
			inQuote = !inQuote
		case unicode.IsSpace(r) && !inQuote:
			if b.Len() > 0 {
				terms = append(terms, b.String())
				b.Reset()
			}
		case unicode.IsControl(r):
			return nil, fmt.Errorf("filter has a control character (%U)", r)
		default:
			b.WriteRune(r)
		}
	}
	if inQuote {
		return nil, fmt.Errorf("filter has an unclosed quote")
	}
	if b.Len() > 0 {
		terms = append(terms, b.String())
	}
	return terms, nil
}

func compare(op string, a, b int64) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return a == b
}

// Match reports whether the row passes the filter as of today.
func (f Filter) Match(r *QueueRow, today Date) bool {
	if len(f.Kinds) > 0 {
		ok := false
		for _, k := range f.Kinds {
			ok = ok || r.Kind == k
		}
		if !ok {
			return false
		}
	}
	if f.OpenOnly && !r.Status.Open() {
		return false
	}
	if len(f.Statuses) > 0 {
		ok := false
		for _, s := range f.Statuses {
			ok = ok || r.Status == s
		}
		if !ok {
			return false
		}
	}
	if f.DueOp != "" && !compare(f.DueOp, int64(today.DaysUntil(r.Due)), int64(f.DueDays)) {
		return false
	}
	if f.AmountOp != "" && !compare(f.AmountOp, int64(r.Revenue), int64(f.Amount)) {
		return false
	}
	if f.Center != "" && !strings.EqualFold(r.Center, f.Center) {
		return false
	}
	if f.Assignee != "" && !strings.EqualFold(r.Assignee, f.Assignee) {
		return false
	}
	if f.Importer != "" && !containsFold(r.Importer, f.Importer) {
		return false
	}
	for _, w := range f.Words {
		if !containsFold(r.ID, w) && !containsFold(r.Importer, w) && !containsFold(r.Entry, w) {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains the lower-case substring sub, ignoring case (ASCII fast path).
func containsFold(s, sub string) bool {
	if !isASCII(s) || !isASCII(sub) {
		return strings.Contains(strings.ToLower(s), sub) // "Électronique" holds "électronique"
	}
	if len(sub) > len(s) {
		return false
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
