package cases

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// A notice is a document the Center sends the importer about a case: the decision of a protest, the rejection of
// a PSC or PEA, a request for information (CBP Form 28), a notice of action (CBP Form 29), the validation of a
// prior disclosure. Notice builds it from the case as recorded, as a Document; Document.Text renders it as plain
// text and the command line's PDF writer renders the same Document, so the printed and the plain notice never
// say different things.
//
// Every figure a notice prints comes from the record or from a rule of this package: money as Cents.String, dates
// as Date.String, and the figures the clock rules compute (the date to contest a denial in court, the loss, the
// shortfall and the 1592(c)(4) cap of a disclosure) through clockFigures, never counted here.

// NoticeColumns is the width Document.Text wraps to.
const NoticeColumns = 78

// NoticeKind is what kind of document a notice is.
type NoticeKind string

const (
	// NoticeDecision is the notice of a final decision: a protest allowed, denied, denied in part or rejected;
	// a PSC or PEA rejected; a PSC decided by notice of action (CBP Form 29); a prior disclosure validated.
	NoticeDecision NoticeKind = "decision"
	// NoticeRequest is a request for information, CBP Form 28 (Case.Requests).
	NoticeRequest NoticeKind = "cf28"
	// NoticeAction is a notice of action, CBP Form 29 (Case.Notices).
	NoticeAction NoticeKind = "cf29"
)

// Paper names one document a case can produce.
type Paper struct {
	Kind NoticeKind
	N    int  // which request (cf28) or notice of action (cf29), from 1 in the order recorded; 0 for the decision
	Date Date // the date the document bears
}

// String names the paper as the command line does: "decision", "cf28:2".
func (p Paper) String() string {
	if p.Kind == NoticeDecision {
		return string(p.Kind)
	}
	return fmt.Sprintf("%s:%d", p.Kind, p.N)
}

// ParsePaper reads a paper's name: "decision", "cf28" or "cf29" (the latest of that kind; "28" and "29" too),
// or "cf28:N" and "cf29:N" for the N-th, from 1. n is 0 for the latest.
func ParsePaper(s string) (kind NoticeKind, n int, err error) {
	name, num, hasNum := strings.Cut(strings.ToLower(strings.TrimSpace(s)), ":")
	switch name {
	case "decision":
		kind = NoticeDecision
	case "cf28", "28", "cf-28":
		kind = NoticeRequest
	case "cf29", "29", "cf-29":
		kind = NoticeAction
	default:
		return "", 0, invalid("notice %q: want decision, cf28, cf29, cf28:N or cf29:N", s)
	}
	if hasNum {
		if kind == NoticeDecision {
			return "", 0, invalid("notice %q: a case has one decision; want decision", s)
		}
		if n, err = strconv.Atoi(num); err != nil || n < 1 {
			return "", 0, invalid("notice %q: %q is not a number from 1", s, num)
		}
	}
	return kind, n, nil
}

// Papers lists the documents c can produce as recorded, in the order of their dates (the decision after the
// requests and notices of the same day). A decision has a paper once it is final and its outcome sends a notice.
func Papers(c *Case) []Paper {
	var ps []Paper
	for i, r := range c.Requests {
		ps = append(ps, Paper{Kind: NoticeRequest, N: i + 1, Date: DateOf(r.At)})
	}
	for i, n := range c.Notices {
		ps = append(ps, Paper{Kind: NoticeAction, N: i + 1, Date: n.Sent})
	}
	if on, err := decisionPaper(c); err == nil {
		ps = append(ps, Paper{Kind: NoticeDecision, Date: on})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Date < ps[j].Date })
	return ps
}

// Notice builds the latest document of c (the last of Papers). When c has none, the error says why: no decision
// yet, a decision waiting for approval, an outcome or a kind that sends no notice. It wraps ErrInvalid.
func Notice(c *Case, p Policy, today Date) (Document, error) {
	return buildNotice(c, "", 0, p, today, clockRules{p: p, today: today})
}

// NoticeOf builds the document of c of kind k: the n-th of its kind (from 1), or the latest when n is 0. When
// there is no such document the error says why; it wraps ErrInvalid.
func NoticeOf(c *Case, k NoticeKind, n int, p Policy, today Date) (Document, error) {
	return buildNotice(c, k, n, p, today, clockRules{p: p, today: today})
}

// clockFigures are the figures a notice prints that the clock rules compute. A notice takes them from here and
// never counts or computes one itself; reconciling the notice with the clock rules is changing clockRules alone.
type clockFigures interface {
	// CourtDeadline is the last day to contest the denial of a protest in the Court of International Trade,
	// when the date it runs from is known.
	CourtDeadline(c *Case) (Date, bool)
	// DeemedDenied is the date a decided protest was denied by operation of law, and the law that says so.
	DeemedDenied(c *Case) (Date, string, bool)
	// DisclosureLoss is a prior disclosure's actual loss of revenue; Shortfall what the tender lacks of it.
	DisclosureLoss(c *Case) Cents
	Shortfall(c *Case) Cents
	// DisclosureCap is the 1592(c)(4) limit on a penalty, when it can be given as an amount.
	DisclosureCap(c *Case) (Cents, bool)
	// InterestFrom is the date interest on a disclosed loss runs from, and whether it is a date of liquidation.
	InterestFrom(c *Case) (Date, bool)
}

// clockRules are the clock rules' figures (clock.go, court.go and interest.go), as of a policy and a day.
type clockRules struct {
	p     Policy
	today Date
}

func (clockRules) CourtDeadline(c *Case) (Date, bool)        { return CourtDeadline(c) }
func (clockRules) DeemedDenied(c *Case) (Date, string, bool) { return DeemedDenied(c) }
func (clockRules) DisclosureLoss(c *Case) Cents              { return DisclosureLoss(c) }
func (clockRules) Shortfall(c *Case) Cents                   { return Shortfall(c) }
func (r clockRules) DisclosureCap(c *Case) (Cents, bool) {
	cap, _, err := DisclosureCap(c, r.p, r.today)
	return cap, err == nil
}
func (clockRules) InterestFrom(c *Case) (Date, bool) { return InterestFrom(c) }

// buildNotice is Notice (kind "") and NoticeOf, with the clock rules' figures from fig.
func buildNotice(c *Case, kind NoticeKind, n int, p Policy, today Date, fig clockFigures) (Document, error) {
	var paper Paper
	switch kind {
	case "":
		ps := Papers(c)
		if len(ps) == 0 {
			_, err := decisionPaper(c)
			return Document{}, err
		}
		paper = ps[len(ps)-1]
	case NoticeDecision:
		on, err := decisionPaper(c)
		if err != nil {
			return Document{}, err
		}
		paper = Paper{Kind: NoticeDecision, Date: on}
	case NoticeRequest, NoticeAction:
		count, what := len(c.Requests), "requests for information (CBP Form 28)"
		if kind == NoticeAction {
			count, what = len(c.Notices), "notices of action (CBP Form 29)"
		}
		if count == 0 {
			return Document{}, invalid("case %s has no %s", c.ID, what)
		}
		if n == 0 {
			n = count
		}
		if n > count {
			return Document{}, invalid("case %s has %d %s; there is no %s:%d", c.ID, count, what, kind, n)
		}
		paper = Paper{Kind: kind, N: n}
		if kind == NoticeRequest {
			paper.Date = DateOf(c.Requests[n-1].At)
		} else {
			paper.Date = c.Notices[n-1].Sent
		}
	default:
		return Document{}, invalid("notice kind %q: want decision, cf28 or cf29", kind)
	}
	b := noticeBuilder{c: c, p: p, fig: fig}
	var doc Document
	switch paper.Kind {
	case NoticeRequest:
		doc = b.request(paper, c.Requests[paper.N-1])
	case NoticeAction:
		doc = b.action(paper, c.Notices[paper.N-1])
	default:
		doc = b.decision(paper, *c.Decision)
	}
	doc.Footer = fmt.Sprintf("From case %s, version %d, as recorded; printed %s.", c.ID, c.Version, today)
	return doc, nil
}

// decisionPaper is the date of c's decision notice, or why c has none.
func decisionPaper(c *Case) (Date, error) {
	d := c.Decision
	switch {
	case c.Kind == KindValidation:
		return 0, invalid("case %s has no notice: a validation is not a kind that sends one", c.ID)
	case c.Status == StatusPendingApproval:
		return 0, invalid("case %s has no notice yet: no decision yet; the decision waits for a supervisor's approval, and it is made when it is approved", c.ID)
	case d == nil || c.Status != StatusDecided:
		return 0, invalid("case %s has no notice yet: no decision yet (status %s)", c.ID, c.Status.Title())
	}
	on, _ := finalDecisionDate(c)
	spec, _ := Spec(d.Outcome)
	title := strings.ToLower(spec.Title)
	if title == "" {
		title = string(d.Outcome)
	}
	switch c.Kind {
	case KindProtest:
		if d.Outcome == OutcomeReferredHQ {
			return 0, invalid("case %s has no notice: a referral to Headquarters is not a notice the Center sends; the notice follows Headquarters' answer", c.ID)
		}
		if c.Protest == nil {
			return 0, invalid("case %s has no notice: the protest is not on record", c.ID)
		}
		if c.Protest.DenialMailed != 0 && deniedOutcome(d) {
			on = c.Protest.DenialMailed // the notice of denial bears the date it was mailed
		}
		return on, nil
	case KindPSC, KindPEA:
		if d.Outcome == OutcomeRejected || (d.Outcome == OutcomeNoticeOfAction && c.Kind == KindPSC) {
			return on, nil
		}
		return 0, invalid("case %s has no notice: %s is not an outcome that sends one (ceedesk prints the rejection of a PSC or PEA and the notice of action on a PSC)", c.ID, title)
	case KindDisclosure:
		if d.Outcome == OutcomeValidated && c.Disclosure != nil {
			return on, nil
		}
		return 0, invalid("case %s has no notice: %s is not an outcome that sends one (ceedesk prints the validation of a prior disclosure)", c.ID, title)
	}
	return 0, invalid("case %s has no notice: a %s is not a kind that sends one", c.ID, strings.ToLower(string(c.Kind)))
}

// --- the document ----------------------------------------------------------------------------------------------

// Document is a notice ready to print: a letterhead, a title, the fields that say whom and what it concerns, a
// subject, a body of blocks and the people who decided or sent it. Its text is as recorded; Text and the PDF
// writer strip it of control characters (Plain), and a terminal shows it Cleaned.
type Document struct {
	Paper   Paper
	Form    string   // "CBP Form 28", "CBP Form 29"; "" for a letter
	Title   string   // "Notice of Denial of Protest"
	From    []string // the letterhead: the agency, the Center, its city
	Date    Date     // the date the notice bears
	Fields  []Field  // the importer, the entry, the case
	Subject string
	Body    []Block
	Signed  []Field // the deciding officer, the approver, who sent it
	Footer  string  // where the document came from
}

// Field is one labelled value.
type Field struct{ Label, Value string }

// Block is one part of a notice's body: an optional heading, then paragraphs, labelled figures and a table, in
// that order.
type Block struct {
	Heading    string
	Paragraphs []string
	Fields     []Field
	Table      *Table
}

// Table is a table of the body, such as the entry lines a decision allows.
type Table struct {
	Head  []string
	Rows  [][]string
	Right []bool // columns aligned right (amounts)
}

// Plain is the document with every text stripped of what is not text: control characters and escape introducers,
// bidirectional controls and line separators. What the record holds otherwise stays as written. Line breaks in a
// paragraph are kept; in any other text they become spaces.
func (d Document) Plain() Document { return d.mapText(stripPara, stripLine) }

// Cleaned is the document made safe for a terminal: paragraphs through Clean, every other text through CleanLine,
// so an escape sequence is removed whole.
func (d Document) Cleaned() Document { return d.mapText(Clean, CleanLine) }

// mapText returns a copy of d with para applied to every paragraph and line to every other text.
func (d Document) mapText(para, line func(string) string) Document {
	fields := func(fs []Field) []Field {
		if fs == nil {
			return nil
		}
		out := make([]Field, len(fs))
		for i, f := range fs {
			out[i] = Field{line(f.Label), line(f.Value)}
		}
		return out
	}
	lines := func(ss []string, f func(string) string) []string {
		if ss == nil {
			return nil
		}
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = f(s)
		}
		return out
	}
	n := d
	n.Form, n.Title, n.Subject, n.Footer = line(d.Form), line(d.Title), line(d.Subject), line(d.Footer)
	n.From = lines(d.From, line)
	n.Fields, n.Signed = fields(d.Fields), fields(d.Signed)
	n.Body = make([]Block, len(d.Body))
	for i, b := range d.Body {
		nb := Block{Heading: line(b.Heading), Paragraphs: lines(b.Paragraphs, para), Fields: fields(b.Fields)}
		if b.Table != nil {
			t := &Table{Head: lines(b.Table.Head, line), Right: append([]bool(nil), b.Table.Right...)}
			for _, r := range b.Table.Rows {
				t.Rows = append(t.Rows, lines(r, line))
			}
			nb.Table = t
		}
		n.Body[i] = nb
	}
	return n
}

// notText reports whether r is a character a printed notice leaves out: a control character other than newline,
// a bidirectional control, or a line or paragraph separator.
func notText(r rune) bool {
	return r < 0x20 && r != '\n' || r >= 0x7f && r <= 0x9f || r == '\u2028' || r == '\u2029' ||
		(r >= 0x200e && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// stripPara strips a paragraph (Plain): tabs become spaces, other characters that are not text go.
func stripPara(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case notText(r):
			return -1
		}
		return r
	}, s)
}

// stripLine strips a one-line text (Plain): line breaks and tabs become spaces.
func stripLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return ' '
		case notText(r):
			return -1
		}
		return r
	}, s)
}

// Text renders the document as plain text wrapped at NoticeColumns: what a notice file holds and what the golden
// tests compare.
func (d Document) Text() string { return d.TextWidth(NoticeColumns) }

// TextWidth renders the document as plain text wrapped at w columns (40 at least). Widths are counted in
// characters.
func (d Document) TextWidth(w int) string {
	w = max(w, 40)
	d = d.Plain()
	var t textWriter
	t.w = w
	for _, l := range d.From {
		t.wrapped("", l)
	}
	t.blank()
	title := strings.ToUpper(d.Title)
	if d.Form != "" {
		if gap := w - runes(title) - runes(d.Form); gap >= 2 {
			title += strings.Repeat(" ", gap) + d.Form
		} else {
			t.line(d.Form)
		}
	}
	t.wrapped("", title)
	t.line(strings.Repeat("=", w))
	head := append([]Field{{"Date", d.Date.String()}}, d.Fields...)
	head = append(head, Field{"Subject", d.Subject})
	t.fields("", head)
	for _, b := range d.Body {
		t.blank()
		if b.Heading != "" {
			t.wrapped("", strings.ToUpper(b.Heading))
		}
		for i, p := range b.Paragraphs {
			if i > 0 {
				t.blank()
			}
			t.paragraph(p)
		}
		if len(b.Fields) > 0 {
			if len(b.Paragraphs) > 0 {
				t.blank()
			}
			t.fields("  ", b.Fields)
		}
		if b.Table != nil {
			if len(b.Paragraphs) > 0 || len(b.Fields) > 0 {
				t.blank()
			}
			t.table(b.Table)
		}
	}
	if len(d.Signed) > 0 {
		t.blank()
		t.fields("", d.Signed)
	}
	if d.Footer != "" {
		t.blank()
		t.line(strings.Repeat("-", w))
		t.wrapped("", d.Footer)
	}
	return t.b.String()
}

// textWriter lays out a document's text.
type textWriter struct {
	b strings.Builder
	w int
}

func (t *textWriter) line(s string) { t.b.WriteString(strings.TrimRight(s, " ") + "\n") }

func (t *textWriter) blank() {
	if s := t.b.String(); s != "" && !strings.HasSuffix(s, "\n\n") {
		t.b.WriteString("\n")
	}
}

// wrapped writes s word-wrapped to the width, the first line after first and the others indented as far.
func (t *textWriter) wrapped(first, s string) {
	pad := strings.Repeat(" ", runes(first))
	for i, l := range wrapWords(s, t.w-runes(first)) {
		if i == 0 {
			t.line(first + l)
		} else {
			t.line(pad + l)
		}
	}
}

// paragraph writes a paragraph, keeping its own line breaks.
func (t *textWriter) paragraph(p string) {
	for _, l := range strings.Split(p, "\n") {
		if strings.TrimSpace(l) == "" {
			t.blank()
			continue
		}
		t.wrapped("", l)
	}
}

// fields writes labelled values in a column, each value wrapped under itself.
func (t *textWriter) fields(indent string, fs []Field) {
	n := 0
	for _, f := range fs {
		n = max(n, runes(f.Label))
	}
	n = min(n+2, t.w/2)
	for _, f := range fs {
		label := f.Label + ":"
		if runes(label) >= n {
			t.line(indent + label)
			label = ""
		}
		t.wrapped(indent+label+strings.Repeat(" ", n-runes(label)), f.Value)
	}
}

// table writes a table two spaces in: a column too wide for the page is the one cut, its texts ending in "…".
func (t *textWriter) table(tb *Table) {
	const indent, gap = 2, 2
	cols := len(tb.Head)
	for _, r := range tb.Rows {
		cols = max(cols, len(r))
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	right := func(i int) bool { return i < len(tb.Right) && tb.Right[i] }
	ws := make([]int, cols)
	for i := range ws {
		ws[i] = runes(cell(tb.Head, i))
		for _, r := range tb.Rows {
			ws[i] = max(ws[i], runes(cell(r, i)))
		}
	}
	total := indent + gap*(cols-1)
	for _, x := range ws {
		total += x
	}
	if over := total - t.w; over > 0 {
		widest := -1
		for i := range ws {
			if !right(i) && (widest < 0 || ws[i] > ws[widest]) {
				widest = i
			}
		}
		if widest >= 0 {
			ws[widest] = max(ws[widest]-over, 8)
		}
	}
	row := func(r []string) {
		var b strings.Builder
		b.WriteString(strings.Repeat(" ", indent))
		for i := 0; i < cols; i++ {
			if i > 0 {
				b.WriteString(strings.Repeat(" ", gap))
			}
			s := cut(cell(r, i), ws[i])
			pad := strings.Repeat(" ", ws[i]-runes(s))
			if right(i) {
				b.WriteString(pad + s)
			} else {
				b.WriteString(s + pad)
			}
		}
		t.line(b.String())
	}
	row(tb.Head)
	rule := make([]string, cols)
	for i := range rule {
		rule[i] = strings.Repeat("-", ws[i])
	}
	row(rule)
	for _, r := range tb.Rows {
		row(r)
	}
}

func runes(s string) int { return len([]rune(s)) }

// cut shortens s to n characters, the last of them "…".
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return string(r[:n-1]) + "…"
}

// wrapWords breaks s into lines of at most w characters at spaces; a word longer than a line is split.
func wrapWords(s string, w int) []string {
	w = max(w, 1)
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		wr := []rune(word)
		for len(wr) > w {
			if len(cur) > 0 {
				lines, cur = append(lines, string(cur)), nil
			}
			lines, wr = append(lines, string(wr[:w])), wr[w:]
		}
		switch {
		case len(cur) == 0:
			cur = wr
		case len(cur)+1+len(wr) <= w:
			cur = append(append(cur, ' '), wr...)
		default:
			lines, cur = append(lines, string(cur)), wr
		}
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// --- the notices -----------------------------------------------------------------------------------------------

// noticeBuilder builds the notices of one case.
type noticeBuilder struct {
	c   *Case
	p   Policy
	fig clockFigures
}

// letterhead is the Center's name and city, from the Center table.
func letterhead(code string) []string {
	lines := []string{"U.S. Customs and Border Protection"}
	if ctr, err := LookupCenter(code); err == nil {
		return append(lines, "Center of Excellence and Expertise: "+ctr.Name, ctr.City)
	}
	return append(lines, "Center of Excellence and Expertise "+code)
}

// document starts a notice: letterhead, title, the fields every notice carries and the subject.
func (b noticeBuilder) document(paper Paper, form, title, subject string) Document {
	c := b.c
	e := c.Entry
	entry := e.Number
	if t := strings.TrimSpace(e.Type + " " + EntryTypeName(e.Type)); t != "" {
		entry += " (type " + t + ")"
	}
	fs := []Field{
		{"Importer", c.Importer.Name},
		{"Importer no.", c.Importer.Number},
		{"Entry", entry},
		{"Port of entry", strings.TrimSpace(e.Port + " " + PortName(e.Port))},
		{"Date of entry", e.EntryDate.String()},
		{"Case", c.ID},
	}
	if c.Protest != nil && c.Kind == KindProtest {
		fs = append(fs, Field{"Protest no.", c.Protest.Number})
	}
	return Document{Paper: paper, Form: form, Title: title, From: letterhead(c.Center), Date: paper.Date,
		Fields: fs, Subject: subject}
}

// decided is the signature of a decision: who decided it and, where approval was required, who approved it.
func decisionFields(d Decision) []Field {
	fs := []Field{{"Deciding officer", d.By + ", " + d.On.String()}}
	if d.Approval && d.Approver != "" {
		fs = append(fs, Field{"Approved by", d.Approver + ", " + DateOf(d.Approved).String()})
	}
	return fs
}

// reasons is the decision's statement of reasons as a block, or nothing.
func reasons(heading, text string) []Block {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return []Block{{Heading: heading, Paragraphs: []string{strings.TrimSpace(text)}}}
}

func (b noticeBuilder) decision(paper Paper, d Decision) Document {
	switch b.c.Kind {
	case KindProtest:
		return b.protest(paper, d)
	case KindPSC, KindPEA:
		if d.Outcome == OutcomeNoticeOfAction {
			return b.decidedAction(paper, d)
		}
		return b.rejection(paper, d)
	}
	return b.disclosure(paper, d)
}

var groundTitles = map[Ground]string{
	GroundValue:          "appraised value",
	GroundClassification: "classification and rate",
	GroundCharges:        "charges or exactions",
	GroundExclusion:      "exclusion or redelivery",
	GroundLiquidation:    "liquidation or reliquidation",
	GroundDrawback:       "refusal of a drawback claim",
	GroundRefusal1520d:   "refusal to reliquidate under 19 U.S.C. 1520(d)",
	GroundClerical:       "clerical error, mistake of fact or inadvertence",
}

func (b noticeBuilder) protest(paper Paper, d Decision) Document {
	c, pr := b.c, b.c.Protest
	var title, subject, verdict string
	switch d.Outcome {
	case OutcomeAllowed:
		title, subject, verdict = "Notice of Protest Decision", "Protest %s allowed", "is allowed"
	case OutcomeAFRAllowed:
		title, subject, verdict = "Notice of Protest Decision", "Protest %s allowed on further review", "is allowed on further review"
	case OutcomeDenied:
		title, subject, verdict = "Notice of Denial of Protest", "Protest %s denied", "is denied"
	case OutcomeAFRDenied:
		title, subject, verdict = "Notice of Denial of Protest", "Protest %s denied on further review", "is denied on further review"
	case OutcomeDeniedInPart:
		title, subject, verdict = "Notice of Denial of Protest in Part", "Protest %s denied in part", "is allowed in part and denied in part"
	default:
		title, subject, verdict = "Notice of Rejection of Protest", "Protest %s rejected as untimely or not protestable", "is rejected as untimely or as not protestable"
	}
	doc := b.document(paper, "", title, fmt.Sprintf(subject, pr.Number))

	gs := make([]string, len(pr.Grounds))
	for i, g := range pr.Grounds {
		if gs[i] = groundTitles[g]; gs[i] == "" {
			gs[i] = string(g)
		}
	}
	text := fmt.Sprintf("Your protest %s of the decision of %s concerning entry %s", pr.Number, pr.Protested, c.Entry.Number)
	if len(gs) > 0 {
		text += " (grounds: " + strings.Join(gs, "; ") + ")"
	}
	text += ", filed " + pr.Filed.String()
	if pr.FurtherReview && pr.AFRFiled != 0 {
		text += " with an application for further review filed " + pr.AFRFiled.String()
	}
	text += ", " + verdict + "."
	if d.Outcome == OutcomeDeniedInPart {
		text += " It is allowed as to the amount and the entry lines below and denied as to the rest of the claim."
	}
	decision := Block{Heading: "Decision", Paragraphs: []string{text}}
	if d.Outcome != OutcomeRejectedProt {
		decision.Fields = append(decision.Fields, Field{"Refund claimed", pr.Claimed.String()})
		if d.Amount != 0 {
			decision.Fields = append(decision.Fields, Field{"Amount allowed", d.Amount.String()})
		}
		if len(d.Lines) > 0 {
			decision.Table = b.linesTable(d.Lines)
		}
	}
	doc.Body = append(doc.Body, decision)
	doc.Body = append(doc.Body, reasons("Reasons", d.Reasons)...)
	if court, ok := b.courtReview(d); ok {
		doc.Body = append(doc.Body, court)
	}
	if pr.FurtherReview && pr.AFRDenied {
		denied := "was denied"
		if pr.AFRDecided != 0 {
			denied += " on " + pr.AFRDecided.String()
		}
		doc.Body = append(doc.Body, Block{Heading: "Denial of further review", Paragraphs: []string{
			"Your application for further review " + denied + ". You may ask the Commissioner to set that denial aside by a request filed within 60 days after the date of the notice of its denial (19 U.S.C. 1515(c)).",
		}})
	}
	doc.Signed = decisionFields(d)
	return doc
}

// courtReview is the court-review statement of a denied protest, with its date from the clock rules.
func (b noticeBuilder) courtReview(d Decision) (Block, bool) {
	c := b.c
	const cite = "(28 U.S.C. 2636(a); 19 CFR 174.31)"
	block := Block{Heading: "Review by the Court of International Trade"}
	due, dueOK := b.fig.CourtDeadline(c)
	if on, basis, ok := b.fig.DeemedDenied(c); ok {
		text := fmt.Sprintf("This protest was denied by operation of law on %s (%s), before the decision above was made. You may contest the denial in the United States Court of International Trade by filing a summons within 180 days after that date", on, basis)
		if dueOK {
			text += ", that is, by " + due.String()
		}
		block.Paragraphs = []string{text + " " + cite + "."}
		return block, true
	}
	if !deniedOutcome(&d) {
		return Block{}, false
	}
	what := "this denial"
	if d.Outcome == OutcomeDeniedInPart {
		what = "the denial of the part of your protest that is denied"
	}
	text := fmt.Sprintf("You may contest %s in the United States Court of International Trade by filing a summons within 180 days after the date of mailing of this notice", what)
	if mailed := c.Protest.DenialMailed; mailed != 0 && dueOK {
		text += fmt.Sprintf(", %s, that is, by %s", mailed, due)
	}
	block.Paragraphs = []string{text + " " + cite + "."}
	return block, true
}

// linesTable is the table of the entry lines named, as the entry summary records them.
func (b noticeBuilder) linesTable(numbers []int) *Table {
	t := &Table{Head: []string{"Line", "HTSUS", "Description", "Entered value", "Duty"}, Right: []bool{true, false, false, true, true}}
	for _, n := range numbers {
		row := []string{strconv.Itoa(n), "", "(not a line of the entry summary)", "", ""}
		for _, l := range b.c.Entry.Lines {
			if l.Number == n {
				row = []string{strconv.Itoa(n), FormatHTS(l.HTS), l.Description, l.Value.String(), l.Duty.String()}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (b noticeBuilder) rejection(paper Paper, d Decision) Document {
	c := b.c
	e := c.Entry
	var what, filed, explanation, remedy string
	var diff Cents
	if c.Kind == KindPSC && c.PSC != nil {
		ps := c.PSC
		what = "Post-Summary Correction"
		filed = fmt.Sprintf("The post-summary correction to entry %s filed %s (summary version %d", e.Number, ps.Filed, ps.Version)
		if len(ps.ReasonCodes) > 0 {
			filed += "; reason codes " + strings.Join(ps.ReasonCodes, ", ")
		}
		filed += ") is rejected."
		diff, explanation = ps.DutyDiff, ps.Explanation
		remedy = "The entry summary stands as it was before this correction. After the entry liquidates, your remedy is a protest of the liquidation (CBP Form 19; 19 U.S.C. 1514), filed within 180 days after the date of liquidation."
	} else {
		what = "Post-Entry Amendment"
		filed = fmt.Sprintf("The post-entry amendment to entry %s", e.Number)
		if c.PEA != nil {
			filed += " filed " + c.PEA.Filed.String()
			diff, explanation = c.PEA.DutyDiff, c.PEA.Explanation
		}
		filed += " is rejected."
		remedy = "The entry liquidates as entered. Your remedy is a protest of the liquidation (CBP Form 19; 19 U.S.C. 1514), filed within 180 days after the date of liquidation."
	}
	doc := b.document(paper, "", "Notice of Rejection of "+what, fmt.Sprintf("%s to entry %s rejected", strings.ToUpper(what[:1])+strings.ToLower(what[1:]), e.Number))
	block := Block{Heading: "Decision", Paragraphs: []string{filed}, Fields: []Field{{"Duty difference claimed", diff.String()}}}
	if e.Liquidated != 0 {
		block.Fields = append(block.Fields, Field{"Liquidated", e.Liquidated.String()})
	} else if liq := e.LiquidationDate(); liq != 0 {
		label := "Scheduled liquidation"
		if e.Extended != 0 {
			label = "Liquidation (extended)"
		}
		block.Fields = append(block.Fields, Field{label, liq.String()})
	}
	doc.Body = append(doc.Body, block)
	doc.Body = append(doc.Body, reasons("Reasons", d.Reasons)...)
	if strings.TrimSpace(explanation) != "" {
		doc.Body = append(doc.Body, Block{Heading: "Your explanation, as filed", Paragraphs: []string{strings.TrimSpace(explanation)}})
	}
	doc.Body = append(doc.Body, Block{Heading: "Your remedy", Paragraphs: []string{remedy}})
	doc.Signed = decisionFields(d)
	return doc
}

// decidedAction is the notice of action (CBP Form 29) by which a PSC was decided: an action taken.
func (b noticeBuilder) decidedAction(paper Paper, d Decision) Document {
	c := b.c
	doc := b.document(paper, "CBP Form 29", "Notice of Action", "Action taken on entry "+c.Entry.Number)
	text := fmt.Sprintf("CBP has taken the following action on entry %s", c.Entry.Number)
	if c.PSC != nil {
		text += fmt.Sprintf(", on review of the post-summary correction filed %s", c.PSC.Filed)
	}
	doc.Body = append(doc.Body, Block{Heading: "Action taken", Paragraphs: []string{text + ".", strings.TrimSpace(d.Reasons)},
		Fields: []Field{{"Amount", d.Amount.String()}}})
	doc.Signed = decisionFields(d)
	return doc
}

func (b noticeBuilder) request(paper Paper, r InfoRequest) Document {
	c := b.c
	doc := b.document(paper, "CBP Form 28", "Request for Information", "Request for information about entry "+c.Entry.Number)
	due := "by " + r.Due.String()
	if r.Due == 0 {
		due = fmt.Sprintf("within %d days of the date of this request", b.infoDays())
	}
	doc.Body = append(doc.Body, Block{Heading: "Information requested", Paragraphs: []string{
		fmt.Sprintf("To review case %s, CBP needs the information below about entry %s. Please send it to the Center %s, citing case %s and the date of this request.", c.ID, c.Entry.Number, due, c.ID),
		strings.TrimSpace(r.Question),
	}, Fields: []Field{{"Answer due", r.Due.String()}}})
	if r.Answered != 0 {
		ans := Block{Heading: "Answer received " + r.Answered.String(), Paragraphs: []string{strings.TrimSpace(r.Answer)}}
		if r.RecordedBy != "" {
			ans.Fields = []Field{{"Recorded by", r.RecordedBy + ", " + DateOf(r.RecordedAt).String()}}
		}
		doc.Body = append(doc.Body, ans)
	}
	doc.Signed = []Field{{"Requested by", r.By}}
	return doc
}

func (b noticeBuilder) infoDays() int {
	if b.p.InfoRequestDays > 0 {
		return b.p.InfoRequestDays
	}
	return DefaultPolicy().InfoRequestDays
}

func (b noticeBuilder) action(paper Paper, n ActionNotice) Document {
	c := b.c
	var doc Document
	if n.Proposed {
		doc = b.document(paper, "CBP Form 29", "Notice of Action: Proposed", "Proposed action on entry "+c.Entry.Number)
		reply := "You may reply within 20 days of the date of this notice"
		if n.ReplyDue != 0 {
			reply += ", that is, by " + n.ReplyDue.String()
		}
		reply += ", giving the reasons the action should not be taken. CBP will take the action after that date unless your reply shows why it should not."
		block := Block{Heading: "Action proposed", Paragraphs: []string{
			fmt.Sprintf("CBP proposes to take the following action on entry %s.", c.Entry.Number), strings.TrimSpace(n.Action), reply,
		}}
		if n.ReplyDue != 0 {
			block.Fields = []Field{{"Reply due", n.ReplyDue.String()}}
		}
		doc.Body = append(doc.Body, block)
	} else {
		doc = b.document(paper, "CBP Form 29", "Notice of Action: Taken", "Action taken on entry "+c.Entry.Number)
		doc.Body = append(doc.Body, Block{Heading: "Action taken", Paragraphs: []string{
			fmt.Sprintf("CBP has taken the following action on entry %s.", c.Entry.Number), strings.TrimSpace(n.Action),
		}})
	}
	if n.Replied != 0 {
		doc.Body = append(doc.Body, Block{Heading: "Reply received " + n.Replied.String(), Paragraphs: []string{strings.TrimSpace(n.Reply)}})
	}
	doc.Signed = []Field{{"Sent by", n.By}}
	return doc
}

func (b noticeBuilder) disclosure(paper Paper, d Decision) Document {
	c, pd := b.c, b.c.Disclosure
	doc := b.document(paper, "", "Notice of Validation of Prior Disclosure", "Prior disclosure of "+pd.Disclosed.String()+" validated")
	how := "made in writing"
	switch {
	case pd.Oral && pd.Confirmed != 0:
		how = "made orally and confirmed in writing on " + pd.Confirmed.String()
	case pd.Oral && pd.ConfirmWaived != 0:
		how = "made orally; written confirmation waived on " + pd.ConfirmWaived.String()
	case pd.Oral:
		how = "made orally"
	}
	if pd.Perfected != 0 {
		how += ", perfected on " + pd.Perfected.String()
	}
	loss, short := b.fig.DisclosureLoss(c), b.fig.Shortfall(c)
	doc.Body = append(doc.Body, Block{Heading: "Decision", Paragraphs: []string{
		fmt.Sprintf("Your prior disclosure of %s (%s), concerning entry %s, is validated (19 U.S.C. 1592(c)(4); 19 CFR 162.74).", pd.Disclosed, how, c.Entry.Number),
	}})

	money := Block{Heading: "Loss of revenue", Fields: []Field{
		{"Loss disclosed", pd.LostRevenue.String()},
		{"Actual loss computed", loss.String()},
		{"Tendered", pd.Tender.String()},
		{"Shortfall", short.String()},
	}}
	if short > 0 {
		text := fmt.Sprintf("The amount tendered is %s less than the actual loss of revenue. ", short)
		if pd.Calculated != 0 {
			text += fmt.Sprintf("CBP notified you of its calculation on %s; the shortfall is due within 30 days after that date", pd.Calculated)
		} else {
			text += "The shortfall is due within 30 days after CBP notifies you of its calculation"
		}
		money.Paragraphs = []string{text + " (19 CFR 162.74(c))."}
	} else {
		money.Paragraphs = []string{"The amount tendered covers the actual loss of revenue."}
	}
	doc.Body = append(doc.Body, money)

	// The limit on a penalty (19 U.S.C. 1592(c)(4)): its amount from the clock rules when they give one.
	limit := Block{Heading: "Culpability and the limit on a penalty", Fields: []Field{{"Culpability found", culpabilityTitle(pd.Culpability)}}}
	capAmount, capOK := b.fig.DisclosureCap(c)
	switch pd.Culpability {
	case CulpabilityFraud:
		text := "Because the violation was disclosed before, or without knowledge of, a formal investigation, a penalty for fraud may not exceed 100 percent of the lost duties, taxes and fees"
		if capOK {
			text += ": " + capAmount.String()
		}
		limit.Paragraphs = []string{text + " (19 U.S.C. 1592(c)(4)(A))."}
	case CulpabilityNegligence, CulpabilityGross:
		from, liquidated := b.fig.InterestFrom(c)
		fromWhat := "the date of entry"
		if liquidated {
			fromWhat = "the date of liquidation"
		}
		text := fmt.Sprintf("Because the violation was disclosed before, or without knowledge of, a formal investigation, a penalty for %s may not exceed the interest on the actual loss of revenue of %s, computed under 19 U.S.C. 1505(c) from %s, %s", culpabilityTitle(pd.Culpability), loss, from, fromWhat)
		if capOK {
			text += ": " + capAmount.String()
		}
		limit.Paragraphs = []string{text + " (19 U.S.C. 1592(c)(4)(B))."}
	default:
		limit.Paragraphs = []string{"No degree of culpability has been found. The limit on a penalty follows from it: for fraud, 100 percent of the lost duties, taxes and fees; for negligence or gross negligence, the interest on them (19 U.S.C. 1592(c)(4))."}
	}
	if capOK {
		limit.Fields = append(limit.Fields, Field{"Limit on a penalty", capAmount.String()})
	}
	doc.Body = append(doc.Body, limit)
	doc.Body = append(doc.Body, reasons("Reasons", d.Reasons)...)
	doc.Signed = decisionFields(d)
	return doc
}

func culpabilityTitle(k Culpability) string {
	switch k {
	case CulpabilityNegligence:
		return "negligence"
	case CulpabilityGross:
		return "gross negligence"
	case CulpabilityFraud:
		return "fraud"
	case CulpabilityNone:
		return "not determined"
	}
	return string(k)
}
