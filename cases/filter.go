package cases

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxFilter is the longest filter query accepted.
const MaxFilter = 512

// Filter selects queue rows. The zero Filter matches every row.
//
// The query language (the workstation's / and `ceedesk queue --filter`). Words are matched, ignoring case, as parts
// of the case id, the importer name or the entry number; field terms narrow further:
//
//	acme b76                     words: each must occur in the case id, importer name or entry number
//	kind:protest  kind:psc,pea   kind, or any of a list (k: for short)
//	status:review  status:open   status (open = not decided; st: for short), or any of a list
//	due:<7d  due:<=0d  due:>30d  days from today to the due date (=, <, <=, >, >=; -3d is three days ago)
//	due:overdue  due:today  due:week
//	due:<2026-12-31  due:>=2026-12-01  due:2026-12-15                  due dates
//	due:2026-12-01..2026-12-31  due:2026-12-01..  due:..2026-12-31    ranges; both ends are included
//	received:2026-11-01..  received:..2026-10-31  received:<2026-11-01  the date received, in the same forms
//	importer:acme  importer:"acme corp"   part of the importer name (imp: for short)
//	assignee:bob  to:bob                  the reviewer holding the case, by user name
//	assignee:none  assignee:-             cases no one holds
//	center:ELEC
//	amount:>10000  amount:<500.00         dollars at stake (revenue: works too)
//
// Terms side by side must all hold, a field given twice both times (`due:>=2026-12-01 due:<=2026-12-31` is
// December). OR between terms gives alternatives and binds looser than the terms side by side:
// `kind:protest due:<7d OR amount:>100000` is the protests due within a week, and any case of more than $100,000.
// NOT before a term, or - stuck to its front, leaves out what the term matches: `-status:decided`,
// `NOT importer:acme`, `-acme`. Parentheses group: `(kind:protest OR kind:psc) -importer:acme`. OR and NOT are
// keywords only in capitals. Quotes make text literal: a value with spaces (importer:"acme corp"), a word that
// would be a keyword or start with - or ( ("OR", "-3"), or a user who is called none (assignee:"none").
//
// A Filter is a conjunction of its terms (the fields below) and of its groups All, Any and Not; ParseFilter makes
// one such conjunction per group of the query.
type Filter struct {
	Words      []string // lower case; each must occur in the case id, importer name or entry number
	Kinds      []Kind   // the case's kind is one of these
	Statuses   []Status // the case's status is one of these
	OpenOnly   bool     // the case is not decided
	DueOp      string   // "<", "<=", ">", ">=", "=" or "": with DueDays, the days from today to the due date
	DueDays    int
	Due        DateRange // the due date is in this range
	Received   DateRange // the date received is in this range
	Importer   string    // lower case; part of the importer name
	Assignee   string    // lower case user name of the reviewer holding the case
	Unassigned bool      // no one holds the case
	Center     string
	AmountOp   string // "<", "<=", ">", ">=", "=" or "": with Amount, the revenue at stake
	Amount     Cents

	All []Filter // each of these must match too: a field repeated in one conjunction, a group in parentheses
	Any []Filter // when there are any, one of these must match: the alternatives of an OR
	Not []Filter // none of these may match: NOT and -

	Query string // the text it was parsed from
}

// DateRange is an inclusive range of dates; a zero end leaves that side open. A row whose date is zero (none) is
// in no range.
type DateRange struct{ From, To Date }

// Set reports whether the range bounds anything.
func (r DateRange) Set() bool { return r.From != 0 || r.To != 0 }

// Has reports whether d is in the range.
func (r DateRange) Has(d Date) bool {
	return d != 0 && (r.From == 0 || d >= r.From) && (r.To == 0 || d <= r.To)
}

// Empty reports whether the filter matches everything.
func (f Filter) Empty() bool {
	return len(f.Words) == 0 && len(f.Kinds) == 0 && len(f.Statuses) == 0 && !f.OpenOnly && f.DueOp == "" &&
		!f.Due.Set() && !f.Received.Set() && f.Importer == "" && f.Assignee == "" && !f.Unassigned && f.Center == "" &&
		f.AmountOp == "" && len(f.All) == 0 && len(f.Any) == 0 && len(f.Not) == 0
}

// NamesStatus reports whether a status term appears anywhere in the filter, also under NOT or OR: a queue that
// leaves decided cases out by default keeps them in when the query speaks of statuses.
func (f Filter) NamesStatus() bool {
	if len(f.Statuses) > 0 || f.OpenOnly {
		return true
	}
	for _, gs := range [][]Filter{f.All, f.Any, f.Not} {
		for i := range gs {
			if gs[i].NamesStatus() {
				return true
			}
		}
	}
	return false
}

// ParseFilter reads a filter query; an error names the term that is wrong and why.
func ParseFilter(q string) (Filter, error) {
	if n := utf8.RuneCountInString(q); n > MaxFilter || len(q) > 4*MaxFilter {
		return Filter{Query: q}, fmt.Errorf("filter is %d characters; the limit is %d", n, MaxFilter)
	}
	toks, err := lex(q)
	if err != nil {
		return Filter{Query: q}, err
	}
	p := parser{toks: toks}
	f, err := p.expr()
	if err == nil && p.pos < len(p.toks) { // only a ) stops expr early
		err = fmt.Errorf("filter has a ) that closes no (")
	}
	if err != nil {
		return Filter{Query: q}, err
	}
	f.Query = q
	return f, nil
}

// token is one unit of a query: a term, a keyword or a parenthesis.
type token struct {
	kind   byte   // 't' term, '|' OR, '!' NOT or -, '(' or ')'
	text   string // a term's text, quotes removed
	quoted []bool // for each byte of text, whether it was inside quotes
}

// lex splits a query into tokens. Unquoted, a leading - or NOT negates, a leading ( opens a group and a trailing )
// that its term does not open itself closes one.
func lex(q string) ([]token, error) {
	var toks []token
	var text []byte
	var quoted []bool
	inQuote, any := false, false
	hadQuote := false
	flush := func() {
		if any {
			toks = appendTokens(toks, string(text), quoted, hadQuote)
		}
		text, quoted, any, hadQuote = text[:0], nil, false, false
	}
	for _, r := range q {
		switch {
		case r == '"':
			inQuote, any, hadQuote = !inQuote, true, true
		case unicode.IsSpace(r) && !inQuote:
			flush()
		case unicode.IsControl(r):
			return nil, fmt.Errorf("filter has a control character (%U)", r)
		default:
			n := len(text)
			text = utf8.AppendRune(text, r)
			for range len(text) - n {
				quoted = append(quoted, inQuote)
			}
			any = true
		}
	}
	if inQuote {
		return nil, fmt.Errorf("filter has an unclosed quote")
	}
	flush()
	return toks, nil
}

func appendTokens(toks []token, text string, quoted []bool, hadQuote bool) []token {
	bare := func(i int) bool { return i < len(text) && !quoted[i] }
	for bare(0) && (text[0] == '(' || text[0] == '-') {
		if text[0] == '(' {
			toks = append(toks, token{kind: '('})
		} else {
			toks = append(toks, token{kind: '!', text: "-"})
		}
		text, quoted = text[1:], quoted[1:]
	}
	opens, closes := 0, 0
	for i := 0; i < len(text); i++ {
		switch {
		case quoted[i]:
		case text[i] == '(':
			opens++
		case text[i] == ')':
			closes++
		}
	}
	trailing := 0
	for closes > opens && bare(len(text)-1) && text[len(text)-1] == ')' {
		text, quoted = text[:len(text)-1], quoted[:len(quoted)-1]
		closes--
		trailing++
	}
	allBare := !hadQuote
	for _, q := range quoted {
		allBare = allBare && !q
	}
	switch {
	case text == "OR" && allBare:
		toks = append(toks, token{kind: '|', text: "OR"})
	case text == "NOT" && allBare:
		toks = append(toks, token{kind: '!', text: "NOT"})
	case text != "" || len(quoted) > 0:
		toks = append(toks, token{kind: 't', text: text, quoted: quoted})
	}
	for range trailing {
		toks = append(toks, token{kind: ')'})
	}
	return toks
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() byte {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].kind
	}
	return 0
}

// expr reads alternatives: conj {OR conj}. It stops at a ) or the end.
func (p *parser) expr() (Filter, error) {
	first, n, err := p.conj()
	if err != nil {
		return first, err
	}
	if p.peek() != '|' {
		return first, nil
	}
	if n == 0 {
		return first, fmt.Errorf("filter has an OR without a term on each side")
	}
	f := Filter{Any: []Filter{first}}
	for p.peek() == '|' {
		p.pos++
		next, n, err := p.conj()
		if err != nil {
			return f, err
		}
		if n == 0 {
			return f, fmt.Errorf("filter has an OR without a term on each side")
		}
		f.Any = append(f.Any, next)
	}
	return f, nil
}

// conj reads terms side by side, up to an OR, a ) or the end, and says how many it read.
func (p *parser) conj() (Filter, int, error) {
	var f Filter
	n := 0
	for k := p.peek(); k != 0 && k != '|' && k != ')'; k = p.peek() {
		if err := p.unary(&f); err != nil {
			return f, n, err
		}
		n++
	}
	return f, n, nil
}

// unary reads one negation, group or term into the conjunction f.
func (p *parser) unary(f *Filter) error {
	t := p.toks[p.pos]
	p.pos++
	switch t.kind {
	case '!':
		var g Filter
		if k := p.peek(); k == 0 || k == '|' || k == ')' {
			return fmt.Errorf("filter has a %s without a term after it", t.text)
		}
		if err := p.unary(&g); err != nil {
			return err
		}
		f.Not = append(f.Not, g)
	case '(':
		g, err := p.expr()
		if err != nil {
			return err
		}
		if p.peek() != ')' {
			return fmt.Errorf("filter has a ( that is not closed")
		}
		p.pos++
		if g.Empty() {
			return fmt.Errorf("filter has () with no term inside")
		}
		f.All = append(f.All, g)
	default:
		return p.term(f, t)
	}
	return nil
}

// term adds one word or field term to f; a field f already has goes into f.All, so that both must hold.
func (p *parser) term(f *Filter, t token) error {
	colon := -1
	for i := 0; i < len(t.text) && !t.quoted[i]; i++ {
		if t.text[i] == ':' {
			colon = i
			break
		}
	}
	if colon <= 0 || strings.Contains(t.text[:colon], " ") {
		f.Words = append(f.Words, strings.ToLower(t.text))
		return nil
	}
	field, val := t.text[:colon], t.text[colon+1:]
	valQuoted := len(val) > 0 && t.quoted[colon+1]
	show := field + ":" + val
	if val == "" {
		return fmt.Errorf("filter term %q: %s needs a value", show, field)
	}
	var g Filter
	var err error
	switch strings.ToLower(field) {
	case "kind", "k":
		for _, v := range strings.Split(val, ",") {
			k, kerr := ParseKind(v)
			if kerr != nil {
				return fmt.Errorf("filter term %q: %v", show, kerr)
			}
			g.Kinds = append(g.Kinds, k)
		}
	case "status", "st":
		for _, v := range strings.Split(val, ",") {
			if strings.EqualFold(v, "open") {
				g.OpenOnly = true
				continue
			}
			s, serr := ParseStatus(v)
			if serr != nil {
				return fmt.Errorf("filter term %q: %v", show, serr)
			}
			g.Statuses = append(g.Statuses, s)
		}
	case "due":
		err = g.parseDue(val)
	case "received":
		g.Received, err = parseDateTerm(val)
		if err == errNoDate {
			err = fmt.Errorf("received wants a date such as 2026-11-01, >=2026-11-01 or 2026-11-01..2026-11-30")
		}
	case "importer", "imp":
		g.Importer = strings.ToLower(val)
	case "assignee", "to":
		if !valQuoted && (strings.EqualFold(val, "none") || val == "-") {
			g.Unassigned = true
		} else {
			g.Assignee = strings.ToLower(val)
		}
	case "center":
		g.Center = strings.ToUpper(val)
	case "amount", "revenue":
		op, rest := splitOp(val)
		a, aerr := ParseUSD(rest)
		if aerr != nil {
			return fmt.Errorf("filter term %q: %v", show, aerr)
		}
		g.AmountOp, g.Amount = op, a
	default:
		return fmt.Errorf("filter term %q: unknown field %q; want kind, status, due, received, importer, assignee, center or amount", show, field)
	}
	if err != nil {
		return fmt.Errorf("filter term %q: %v", show, err)
	}
	if f.fields()&g.fields() != 0 {
		f.All = append(f.All, g)
		return nil
	}
	f.Kinds, f.Statuses, f.OpenOnly = append(f.Kinds, g.Kinds...), append(f.Statuses, g.Statuses...), f.OpenOnly || g.OpenOnly
	if g.DueOp != "" {
		f.DueOp, f.DueDays = g.DueOp, g.DueDays
	}
	if g.Due.Set() {
		f.Due = g.Due
	}
	if g.Received.Set() {
		f.Received = g.Received
	}
	if g.Importer != "" {
		f.Importer = g.Importer
	}
	if g.Assignee != "" || g.Unassigned {
		f.Assignee, f.Unassigned = g.Assignee, g.Unassigned
	}
	if g.Center != "" {
		f.Center = g.Center
	}
	if g.AmountOp != "" {
		f.AmountOp, f.Amount = g.AmountOp, g.Amount
	}
	return nil
}

// fields is a bit per field term the conjunction sets (words aside: they are a list that is all required anyway).
func (f *Filter) fields() int {
	b := 0
	for i, set := range []bool{len(f.Kinds) > 0, len(f.Statuses) > 0 || f.OpenOnly, f.DueOp != "", f.Due.Set(),
		f.Received.Set(), f.Importer != "", f.Assignee != "" || f.Unassigned, f.Center != "", f.AmountOp != ""} {
		if set {
			b |= 1 << i
		}
	}
	return b
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
	r, err := parseDateTerm(val)
	if err == nil {
		f.Due = r
		return nil
	}
	if err != errNoDate {
		return err
	}
	op, rest := splitOp(val)
	rest = strings.TrimSuffix(strings.ToLower(rest), "d")
	n, err := strconv.Atoi(rest)
	if err != nil || n < -100000 || n > 100000 {
		return fmt.Errorf("due wants days such as <7d, >=30d, overdue or week, or dates such as <2026-12-31 or 2026-12-01..2026-12-31")
	}
	f.DueOp, f.DueDays = op, n
	return nil
}

// errNoDate says a value is not written as a date at all (it may be days).
var errNoDate = fmt.Errorf("not a date")

// parseDateTerm reads a date value: D, =D, <D, <=D, >D, >=D, D..D, D.. or ..D. A value that does not look like a
// date gives errNoDate; one that does but is wrong says why.
func parseDateTerm(val string) (DateRange, error) {
	if from, to, ok := strings.Cut(val, ".."); ok {
		if from == "" && to == "" {
			return DateRange{}, fmt.Errorf("a range wants a date on one side of .. at least")
		}
		var r DateRange
		for _, side := range []struct {
			s string
			d *Date
		}{{from, &r.From}, {to, &r.To}} {
			if side.s == "" {
				continue
			}
			d, err := parseFilterDate(side.s)
			if err == errNoDate {
				return r, fmt.Errorf("range end %q: want a date such as 2026-12-31", side.s)
			}
			if err != nil {
				return r, err
			}
			*side.d = d
		}
		if r.From != 0 && r.To != 0 && r.To < r.From {
			return r, fmt.Errorf("the range %s..%s ends before it starts", r.From, r.To)
		}
		return r, nil
	}
	op, rest := splitOp(val)
	d, err := parseFilterDate(rest)
	if err != nil {
		return DateRange{}, err
	}
	switch op {
	case "<":
		return DateRange{To: d - 1}, nil
	case "<=":
		return DateRange{To: d}, nil
	case ">":
		return DateRange{From: d + 1}, nil
	case ">=":
		return DateRange{From: d}, nil
	}
	return DateRange{From: d, To: d}, nil
}

// parseFilterDate reads YYYY-MM-DD (month and day may have one digit), saying which part is wrong.
func parseFilterDate(s string) (Date, error) {
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || !allDigits(parts[0]) {
		return 0, errNoDate
	}
	for _, p := range parts[1:] {
		if p == "" || len(p) > 2 || !allDigits(p) {
			return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
		}
	}
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	if y < 1900 {
		return 0, fmt.Errorf("year %d is before 1900", y)
	}
	if m < 1 || m > 12 {
		return 0, fmt.Errorf("month %d is not 1 to 12", m)
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > days {
		return 0, fmt.Errorf("day %d: %s %d has %d days", d, time.Month(m), y, days)
	}
	return NewDate(y, time.Month(m), d), nil
}

func splitOp(v string) (string, string) {
	for _, op := range []string{"<=", ">=", "<", ">", "="} {
		if strings.HasPrefix(v, op) {
			return op, v[len(op):]
		}
	}
	return "=", v
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

// Match reports whether the row passes the filter as of today. To test many rows, prepare a Matcher once.
func (f Filter) Match(r *QueueRow, today Date) bool {
	return f.Matcher(today).Match(r)
}

// Matcher is a filter prepared for testing many rows as of one day. It is safe for concurrent use.
type Matcher struct {
	n     mnode
	today Date
}

// mnode is one conjunction of a prepared filter.
type mnode struct {
	words      []needle
	kinds      []Kind
	statuses   []Status
	openOnly   bool
	dueOp      string
	dueDays    int
	due        DateRange
	received   DateRange
	importer   *needle
	assignee   string
	unassigned bool
	center     string
	amountOp   string
	amount     Cents
	all        []mnode
	any        []mnode
	not        []mnode
}

// Matcher prepares the filter for testing rows as of today.
func (f Filter) Matcher(today Date) *Matcher {
	return &Matcher{n: prepare(&f), today: today}
}

func prepare(f *Filter) mnode {
	n := mnode{kinds: f.Kinds, statuses: f.Statuses, openOnly: f.OpenOnly, dueOp: f.DueOp, dueDays: f.DueDays,
		due: f.Due, received: f.Received, assignee: f.Assignee, unassigned: f.Unassigned, center: f.Center,
		amountOp: f.AmountOp, amount: f.Amount}
	for _, w := range f.Words {
		n.words = append(n.words, newNeedle(w))
	}
	if f.Importer != "" {
		imp := newNeedle(f.Importer)
		n.importer = &imp
	}
	for _, g := range []struct {
		from []Filter
		to   *[]mnode
	}{{f.All, &n.all}, {f.Any, &n.any}, {f.Not, &n.not}} {
		for i := range g.from {
			*g.to = append(*g.to, prepare(&g.from[i]))
		}
	}
	return n
}

// Match reports whether the row passes the filter.
func (m *Matcher) Match(r *QueueRow) bool { return m.n.match(r, m.today) }

func (n *mnode) match(r *QueueRow, today Date) bool {
	if len(n.kinds) > 0 && !hasKind(n.kinds, r.Kind) {
		return false
	}
	if n.openOnly && !r.Status.Open() {
		return false
	}
	if len(n.statuses) > 0 && !hasStatus(n.statuses, r.Status) {
		return false
	}
	if n.dueOp != "" && !compare(n.dueOp, int64(today.DaysUntil(r.Due)), int64(n.dueDays)) {
		return false
	}
	if n.due.Set() && !n.due.Has(r.Due) || n.received.Set() && !n.received.Has(r.Received) {
		return false
	}
	if n.amountOp != "" && !compare(n.amountOp, int64(r.Revenue), int64(n.amount)) {
		return false
	}
	if n.center != "" && !strings.EqualFold(r.Center, n.center) {
		return false
	}
	if n.unassigned && r.Assignee != "" || n.assignee != "" && !strings.EqualFold(r.Assignee, n.assignee) {
		return false
	}
	if n.importer != nil && !n.importer.in(r.Importer) {
		return false
	}
	for i := range n.words {
		w := &n.words[i]
		if !w.in(r.Importer) && !w.in(r.ID) && !w.in(r.Entry) {
			return false
		}
	}
	for i := range n.all {
		if !n.all[i].match(r, today) {
			return false
		}
	}
	for i := range n.not {
		if n.not[i].match(r, today) {
			return false
		}
	}
	if len(n.any) == 0 {
		return true
	}
	for i := range n.any {
		if n.any[i].match(r, today) {
			return true
		}
	}
	return false
}

func hasKind(ks []Kind, k Kind) bool {
	for _, v := range ks {
		if v == k {
			return true
		}
	}
	return false
}

func hasStatus(ss []Status, s Status) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// needle is lower-case text to find in any case.
type needle struct {
	s     string
	ascii bool
}

func newNeedle(s string) needle {
	s = strings.ToLower(s)
	return needle{s: s, ascii: isASCII(s)}
}

// asciiLower maps A-Z to a-z and every other byte to itself.
var asciiLower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// in reports whether s holds the needle, ignoring case: as strings.Contains(strings.ToLower(s), n.s) would.
func (n *needle) in(s string) bool {
	_, _, ok := n.index(s, 0)
	return ok
}

// index finds the needle in s at or after byte from, and returns the bytes of s it spans.
func (n *needle) index(s string, from int) (int, int, bool) {
	m := len(n.s)
	if m == 0 {
		return from, from, true
	}
	if !n.ascii {
		return foldIndex(s, from, n.s)
	}
	// An ASCII needle matches only ASCII bytes of s, at the same offsets: lower case turns no other rune into ASCII
	// but the Kelvin sign (k) and the dotted capital I (i), which send s the long way.
	c0 := n.s[0]
	for i := from; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			if c == 0xE2 || c == 0xC4 {
				if r, _ := utf8.DecodeRuneInString(s[i:]); r == '\u212A' || r == '\u0130' {
					return foldIndex(s, from, n.s)
				}
			}
			continue
		}
		if asciiLower[c] != c0 || i+m > len(s) {
			continue
		}
		j := 1
		for j < m && asciiLower[s[i+j]] == n.s[j] {
			j++
		}
		if j == m {
			return i, i + m, true
		}
	}
	return 0, 0, false
}

// foldIndex finds sub (lower case) in s at or after byte from, comparing rune by rune under unicode.ToLower.
func foldIndex(s string, from int, sub string) (int, int, bool) {
	for i := from; i < len(s); {
		if end, ok := foldAt(s, i, sub); ok {
			return i, end, true
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return 0, 0, false
}

// foldAt reports whether sub matches s from byte i, and where in s the match ends.
func foldAt(s string, i int, sub string) (int, bool) {
	for j := 0; j < len(sub); {
		if i >= len(s) {
			return 0, false
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		l, v := utf8.DecodeRuneInString(sub[j:])
		if unicode.ToLower(r) != l {
			return 0, false
		}
		i, j = i+w, j+v
	}
	return i, true
}

// containsFold reports whether s contains the lower-case substring sub, ignoring case.
func containsFold(s, sub string) bool {
	n := needle{s: sub, ascii: isASCII(sub)}
	return n.in(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Highlights returns the parts of s that the filter's words and importer terms match, ignoring case, as byte ranges
// [start, end) in order, neither overlapping nor touching; terms under NOT count for nothing. The ranges fall on
// rune boundaries of s, so that a queue can underline them in its case id, importer and entry columns.
func (f Filter) Highlights(s string) [][2]int {
	var ns []needle
	f.positive(&ns, false)
	var out [][2]int
	for i := range ns {
		if ns[i].s == "" {
			continue
		}
		for from := 0; from < len(s); {
			start, end, ok := ns[i].index(s, from)
			if !ok {
				break
			}
			out = append(out, [2]int{start, end})
			_, w := utf8.DecodeRuneInString(s[start:])
			from = start + w
		}
	}
	if len(out) == 0 {
		return nil
	}
	slices.SortFunc(out, func(a, b [2]int) int { return cmp.Or(a[0]-b[0], a[1]-b[1]) })
	merged := out[:1]
	for _, r := range out[1:] {
		last := &merged[len(merged)-1]
		if r[0] <= last[1] {
			last[1] = max(last[1], r[1])
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// positive gathers the needles of the words and importer terms that are not negated (an even number of NOTs).
func (f *Filter) positive(ns *[]needle, negated bool) {
	if !negated {
		for _, w := range f.Words {
			*ns = append(*ns, newNeedle(w))
		}
		if f.Importer != "" {
			*ns = append(*ns, newNeedle(f.Importer))
		}
	}
	for i := range f.All {
		f.All[i].positive(ns, negated)
	}
	for i := range f.Any {
		f.Any[i].positive(ns, negated)
	}
	for i := range f.Not {
		f.Not[i].positive(ns, !negated)
	}
}
