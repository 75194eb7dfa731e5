package cases

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FieldError is a problem with one field of a case, named by its JSON path ("entry.lines[2].hts").
type FieldError struct {
	Field  string
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Limits on what a case may hold, beyond MaxNote and MaxReasons.
const (
	MaxID          = 32  // case id
	MaxName        = 200 // importer name
	MaxDescription = 500 // line description, validation scope
)

// firstDate is the earliest date ceedesk accepts anywhere in a case.
var firstDate = NewDate(1990, time.January, 1)

// Validate checks a whole case as it arrives from outside (import, seed): every string valid UTF-8, identifiers
// with their check digits, the kind's own part present and the others absent, dates in order, money non-negative
// where it must be, names and descriptions within limits and free of control characters, and what people wrote
// (notes, questions, reasons) by the rules the actions apply (CheckNote, CheckReason). It returns every problem
// found, each a *FieldError: first every string that is not UTF-8 (and nothing else about it), then the rest in
// field order.
//
// Identifiers must already be in their canonical form (upper case, with dashes, HTS numbers as 10 digits); the
// error for one that is not says what to write. Normalize puts identifiers that parse into that form.
func Validate(c *Case) []error {
	v := &validator{}
	v.utf8(c)
	v.id(c)
	v.kind(c)
	if _, err := LookupCenter(c.Center); err != nil {
		v.add("center", "%v", err)
	} else if !isCenterCode(c.Center) {
		v.add("center", "write the code in capitals: %s", strings.ToUpper(c.Center))
	}
	v.importer(c.Importer)
	v.entry(c.Entry)
	v.date("received", c.Received, true)
	v.assignment(c)
	v.parts(c)
	v.notes(c)
	v.notices(c)
	v.decision(c)
	return v.errs
}

// CheckTimes reports every moment a case records that is after now, by its JSON path. Nothing that happened can be
// later than now, so such a time is a wrong clock or an edited file. The times are those of its notes, its requests and the recording
// of their answers, its notices of action, its decision and approval, and its last change. (Dates are calendar dates a desk may set ahead with --today,
// and are not compared.) Each problem is a *FieldError.
func CheckTimes(c *Case, now time.Time) []error {
	v := &validator{}
	after := func(field string, t time.Time) {
		if t.After(now) {
			v.add(field, "%s is later than now (%s); a time a case records has passed", t.Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339))
		}
	}
	for i, n := range c.Notes {
		after(fmt.Sprintf("notes[%d].at", i), n.At)
	}
	for i, r := range c.Requests {
		after(fmt.Sprintf("requests[%d].at", i), r.At)
		after(fmt.Sprintf("requests[%d].recorded_at", i), r.RecordedAt)
	}
	for i, n := range c.Notices {
		after(fmt.Sprintf("notices[%d].at", i), n.At)
	}
	if d := c.Decision; d != nil {
		after("decision.at", d.At)
		after("decision.approved", d.Approved)
	}
	after("updated_at", c.UpdatedAt)
	return v.errs
}

// Normalize puts every identifier of c that parses into its canonical form (entry number, importer number, port,
// entry type, HTS numbers, protest number, the protests consolidated with it, and a protest's id), and the Center
// code in capitals. It leaves alone
// what does not parse, for Validate to report.
func Normalize(c *Case) {
	canon := func(s *string, parse func(string) (string, error)) {
		if v, err := parse(*s); err == nil {
			*s = v
		}
	}
	if ctr, err := LookupCenter(c.Center); err == nil {
		c.Center = ctr.Code
	}
	canon(&c.Importer.Number, ParseImporterNumber)
	canon(&c.Entry.Number, ParseEntryNumber)
	canon(&c.Entry.Type, ParseEntryType)
	canon(&c.Entry.Port, ParsePort)
	for i := range c.Entry.Lines {
		canon(&c.Entry.Lines[i].HTS, ParseHTS)
		c.Entry.Lines[i].Origin = strings.ToUpper(strings.TrimSpace(c.Entry.Lines[i].Origin))
	}
	if c.Protest != nil {
		canon(&c.Protest.Number, ParseProtestNumber)
		canon(&c.ID, ParseProtestNumber)
		for i := range c.Protest.Consolidated {
			canon(&c.Protest.Consolidated[i], ParseProtestNumber)
		}
	}
}

type validator struct {
	errs    []error
	notUTF8 map[string]bool // fields already reported as not UTF-8, about which nothing more is said
}

func (v *validator) add(field, format string, a ...any) {
	if v.notUTF8[field] {
		return
	}
	v.errs = append(v.errs, &FieldError{Field: field, Reason: fmt.Sprintf(format, a...)})
}

// check adds the problem a text rule found, under the field's path.
func (v *validator) check(field string, err error) {
	var te *TextError
	switch {
	case err == nil:
	case errors.As(err, &te):
		v.add(field, "%s", te.Reason)
	default:
		v.add(field, "%v", err)
	}
}

// utf8 reports every string of the case that is not valid UTF-8, by its JSON path.
func (v *validator) utf8(c *Case) {
	if allUTF8(reflect.ValueOf(c)) {
		return
	}
	eachString("", reflect.ValueOf(c), func(field, s string) {
		if err := CheckUTF8(field, s); err != nil {
			v.check(field, err)
			if v.notUTF8 == nil {
				v.notUTF8 = map[string]bool{}
			}
			v.notUTF8[field] = true
		}
	})
}

// allUTF8 reports whether every string reachable from x is valid UTF-8, without building paths.
func allUTF8(x reflect.Value) bool {
	switch x.Kind() {
	case reflect.String:
		return utf8.ValidString(x.String())
	case reflect.Pointer:
		return x.IsNil() || allUTF8(x.Elem())
	case reflect.Slice:
		for i := 0; i < x.Len(); i++ {
			if !allUTF8(x.Index(i)) {
				return false
			}
		}
	case reflect.Struct:
		for i := 0; i < x.NumField(); i++ {
			if x.Type().Field(i).IsExported() && !allUTF8(x.Field(i)) {
				return false
			}
		}
	}
	return true
}

// eachString calls f with every string reachable from x and its path of JSON field names ("entry.lines[2].hts"),
// the path import files and their reports use.
func eachString(path string, x reflect.Value, f func(path, s string)) {
	switch x.Kind() {
	case reflect.String:
		f(path, x.String())
	case reflect.Pointer:
		if !x.IsNil() {
			eachString(path, x.Elem(), f)
		}
	case reflect.Slice:
		for i := 0; i < x.Len(); i++ {
			eachString(fmt.Sprintf("%s[%d]", path, i), x.Index(i), f)
		}
	case reflect.Struct:
		t := x.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if path != "" {
				name = path + "." + name
			}
			eachString(name, x.Field(i), f)
		}
	}
}

func isCenterCode(s string) bool {
	for _, c := range Centers {
		if c.Code == s {
			return true
		}
	}
	return false
}

// ident checks an identifier with its parser and that it is written canonically.
func (v *validator) ident(field, s string, parse func(string) (string, error)) {
	canon, err := parse(s)
	switch {
	case err != nil:
		v.add(field, "%v", err)
	case canon != s:
		v.add(field, "%s: write it %s", quoteInput(s), canon)
	}
}

// date checks that a date is set when required and is not before 1990.
func (v *validator) date(field string, d Date, required bool) {
	switch {
	case d == 0 && required:
		v.add(field, "required")
	case d != 0 && d < firstDate:
		v.add(field, "%s is before %s; ceedesk holds no earlier dates", d, firstDate)
	}
}

// order reports a date that is before another it must not precede.
func (v *validator) order(field string, d Date, what string, not Date) {
	if d != 0 && not != 0 && d < not {
		v.add(field, "%s is before %s (%s)", d, what, not)
	}
}

// later reports a date that is not after another it must follow.
func (v *validator) later(field string, d Date, what string, than Date) {
	if d != 0 && than != 0 && d <= than {
		v.add(field, "%s is not after %s (%s)", d, what, than)
	}
}

// only reports a date (or other fact) set without the fact it depends on.
func (v *validator) only(field string, set, needs bool, why string) {
	if set && !needs {
		v.add(field, "set, but %s", why)
	}
}

// text checks a name, a description or an explanation, text that comes only from outside: its length in
// characters, and that it holds no control characters (newline and tab are allowed where multiline is true).
// (What people write on a case, notes, questions and reasons, is checked by CheckNote and CheckReason instead,
// as the actions check it.) Text that is not UTF-8 is already reported.
func (v *validator) text(field, s string, required bool, max int, multiline bool) {
	if strings.TrimSpace(s) == "" {
		if required {
			v.add(field, "required")
		}
		return
	}
	if v.notUTF8[field] {
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		v.add(field, "is %d characters; the limit is %d", n, max)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if isControlRune(r) {
			v.add(field, "holds a control character (%U)", r)
			return
		}
	}
}

// isControlRune is what Clean takes off a terminal: C0 and C1 controls (ESC among them), DEL, the line and
// paragraph separators, and the bidirectional overrides that reorder what is shown.
func isControlRune(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= 0x200e && r <= 0x200f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func (v *validator) id(c *Case) {
	switch {
	case c.ID == "":
		v.add("id", "required")
	case c.Kind == KindProtest && c.Protest != nil:
		if c.ID != c.Protest.Number {
			v.add("id", "%s: a protest's id is its protest number %s", quoteInput(c.ID), quoteInput(c.Protest.Number))
		}
	case len(c.ID) > MaxID:
		v.add("id", "is %d characters; the limit is %d", len(c.ID), MaxID)
	default:
		for i := 0; i < len(c.ID); i++ {
			if b := c.ID[i]; !isUpper(b) && !isDigit(b) && b != '-' {
				v.add("id", "%s: use only capital letters, digits and dashes", quoteInput(c.ID))
				return
			}
		}
	}
}

func (v *validator) kind(c *Case) {
	known := false
	for _, k := range Kinds {
		known = known || c.Kind == k
	}
	if !known {
		v.add("kind", "%s: want one of protest, psc, pea, disclosure, validation", quoteInput(string(c.Kind)))
	}
}

func (v *validator) importer(im Importer) {
	v.ident("importer.number", im.Number, ParseImporterNumber)
	v.text("importer.name", im.Name, true, MaxName, false)
	seen := map[Program]bool{}
	for i, p := range im.Programs {
		field := fmt.Sprintf("importer.programs[%d]", i)
		switch {
		case p != ProgramCTPAT && p != ProgramISA:
			v.add(field, "%s: want C-TPAT or ISA", quoteInput(string(p)))
		case seen[p]:
			v.add(field, "%s is named twice", p)
		}
		seen[p] = true
	}
}

func (v *validator) entry(e EntrySummary) {
	v.ident("entry.number", e.Number, ParseEntryNumber)
	v.ident("entry.type", e.Type, ParseEntryType)
	v.ident("entry.port", e.Port, ParsePort)
	v.date("entry.entry_date", e.EntryDate, true)
	v.date("entry.liquidates", e.Liquidates, true)
	if e.Liquidates != 0 && e.EntryDate != 0 && e.Liquidates <= e.EntryDate {
		v.add("entry.liquidates", "%s is not after the entry date %s", e.Liquidates, e.EntryDate)
	}
	v.date("entry.extended", e.Extended, false)
	if e.Extended != 0 {
		// 19 U.S.C. 1504(b): up to three one-year extensions, four years from entry in all.
		if e.Liquidates != 0 && e.Extended <= e.Liquidates {
			v.add("entry.extended", "%s is not after the scheduled liquidation %s it extends", e.Extended, e.Liquidates)
		} else if e.EntryDate != 0 && e.Extended > addYears(e.EntryDate, 4) {
			v.add("entry.extended", "%s is more than four years after entry (%s); liquidation extends at most three times by a year", e.Extended, e.EntryDate)
		}
	}
	v.date("entry.liquidated", e.Liquidated, false)
	v.order("entry.liquidated", e.Liquidated, "the entry date", e.EntryDate)
	v.extensions(e)
	v.date("entry.suspended", e.Suspended, false)
	v.order("entry.suspended", e.Suspended, "the entry date", e.EntryDate)
	v.date("entry.unsuspended", e.Unsuspended, false)
	v.only("entry.unsuspended", e.Unsuspended != 0, e.Suspended != 0, "suspended is not: only a suspension is lifted")
	v.later("entry.unsuspended", e.Unsuspended, "the suspension", e.Suspended)
	seen := map[int]int{}
	for i, l := range e.Lines {
		p := fmt.Sprintf("entry.lines[%d]", i)
		if l.Number < 1 {
			v.add(p+".number", "%d: line numbers start at 1", l.Number)
		} else if j, dup := seen[l.Number]; dup {
			v.add(p+".number", "line %d is also entry.lines[%d]", l.Number, j)
		} else {
			seen[l.Number] = i
		}
		if l.HTS == "" {
			v.add(p+".hts", "required")
		} else {
			v.ident(p+".hts", l.HTS, ParseHTS)
		}
		v.text(p+".description", l.Description, false, MaxDescription, false)
		if len(l.Origin) != 2 || !isUpper(l.Origin[0]) || !isUpper(l.Origin[1]) {
			v.add(p+".origin", "%s: want a 2-letter country code in capitals (ISO 3166), e.g. CN", quoteInput(l.Origin))
		}
		if l.Value < 0 {
			v.add(p+".value", "%s is negative", l.Value)
		}
		if l.RateBP < 0 || l.RateBP > 100_000 {
			v.add(p+".rate_bp", "%d basis points: want 0 to 100000 (0%% to 1000%%)", l.RateBP)
		}
		if l.Duty < 0 {
			v.add(p+".duty", "%s is negative", l.Duty)
		}
	}
}

// MaxExtensions is how many times liquidation may be extended, each by a year (19 U.S.C. 1504(b)).
const MaxExtensions = 3

// extensions checks the dates the extensions of liquidation set: each after entry and after the one before, three
// at most, the last no more than four years after entry, and the extended date the last of them.
func (v *validator) extensions(e EntrySummary) {
	if n := len(e.Extensions); n > MaxExtensions {
		v.add("entry.extensions", "%d extensions; liquidation is extended at most %d times (19 U.S.C. 1504(b))", n, MaxExtensions)
	}
	for i, x := range e.Extensions {
		field := fmt.Sprintf("entry.extensions[%d]", i)
		v.date(field, x, true)
		switch {
		case i == 0:
			v.later(field, x, "the entry date", e.EntryDate)
		default:
			v.later(field, x, fmt.Sprintf("the extension before it, entry.extensions[%d]", i-1), e.Extensions[i-1])
		}
	}
	if n := len(e.Extensions); n > 0 {
		last := e.Extensions[n-1]
		field := fmt.Sprintf("entry.extensions[%d]", n-1)
		if e.EntryDate != 0 && last > addYears(e.EntryDate, 4) {
			v.add(field, "%s is more than four years after entry (%s)", last, e.EntryDate)
		}
		if e.Extended != 0 && last != 0 && e.Extended != last {
			v.add("entry.extended", "%s is not the date the last extension sets (%s); write that date", e.Extended, last)
		}
	}
}

func (v *validator) assignment(c *Case) {
	v.date("assigned", c.Assigned, false)
	v.order("assigned", c.Assigned, "the day the case was received", c.Received)
	v.date("first_assigned", c.FirstAssigned, false)
	v.order("first_assigned", c.FirstAssigned, "the day the case was received", c.Received)
	if c.FirstAssigned != 0 && c.Assigned != 0 && c.FirstAssigned > c.Assigned {
		v.add("first_assigned", "%s is after the case was assigned (%s); a reassignment never moves the first assignment", c.FirstAssigned, c.Assigned)
	}
	known := false
	for _, s := range Statuses {
		known = known || c.Status == s
	}
	switch {
	case !known:
		v.add("status", "%s: want one of new, assigned, review, awaiting_info, pending_approval, decided", quoteInput(string(c.Status)))
	case c.Status == StatusNew && c.Assignee != "":
		v.add("assignee", "a new case has no assignee (assigning it makes it assigned)")
	case c.Status != StatusNew && strings.TrimSpace(c.Assignee) == "":
		v.add("assignee", "required: a case %s has an assignee", c.Status.Title())
	}
	if c.Assignee != "" {
		v.text("assignee", c.Assignee, false, 64, false)
	}
}

// parts checks that exactly the kind's own part is present, and checks it.
func (v *validator) parts(c *Case) {
	present := map[Kind]bool{
		KindProtest: c.Protest != nil, KindPSC: c.PSC != nil, KindPEA: c.PEA != nil,
		KindDisclosure: c.Disclosure != nil, KindValidation: c.Validation != nil,
	}
	for _, k := range Kinds {
		switch {
		case k == c.Kind && !present[k]:
			v.add(string(k), "required: a %s case holds its %s part", k, k)
		case k != c.Kind && present[k]:
			v.add(string(k), "only a %s case holds a %s part; this case is %s", k, k, quoteInput(string(c.Kind)))
		}
	}
	switch c.Kind {
	case KindProtest:
		if c.Protest != nil {
			v.protest(c.Protest)
			v.denialMailed(c)
		}
	case KindPSC:
		if p := c.PSC; p != nil {
			v.date("psc.filed", p.Filed, true)
			v.order("psc.filed", p.Filed, "the entry date", c.Entry.EntryDate)
			if p.Version < 2 {
				v.add("psc.version", "%d: a PSC creates summary version 2 or later", p.Version)
			}
			if len(p.ReasonCodes) == 0 {
				v.add("psc.reason_codes", "required: at least one ACE PSC reason code")
			}
			for i, rc := range p.ReasonCodes {
				if len(rc) != 3 || !allDigits(rc) {
					v.add(fmt.Sprintf("psc.reason_codes[%d]", i), "%s: want a 3-digit reason code, e.g. 001", quoteInput(rc))
				}
			}
			v.text("psc.explanation", p.Explanation, true, MaxNote, true)
		}
	case KindPEA:
		if p := c.PEA; p != nil {
			v.date("pea.filed", p.Filed, true)
			v.order("pea.filed", p.Filed, "the entry date", c.Entry.EntryDate)
			v.text("pea.explanation", p.Explanation, true, MaxNote, true)
		}
	case KindDisclosure:
		if p := c.Disclosure; p != nil {
			v.date("disclosure.disclosed", p.Disclosed, true)
			v.date("disclosure.confirmed", p.Confirmed, false)
			if p.Confirmed != 0 && !p.Oral {
				v.add("disclosure.confirmed", "only an oral disclosure is confirmed in writing")
			}
			v.order("disclosure.confirmed", p.Confirmed, "the disclosure", p.Disclosed)
			v.date("disclosure.perfected", p.Perfected, false)
			v.order("disclosure.perfected", p.Perfected, "the disclosure", p.Disclosed)
			if p.LostRevenue < 0 {
				v.add("disclosure.lost_revenue", "%s is negative", p.LostRevenue)
			}
			if p.Tender < 0 {
				v.add("disclosure.tender", "%s is negative", p.Tender)
			}
			v.date("disclosure.confirm_waived", p.ConfirmWaived, false)
			v.only("disclosure.confirm_waived", p.ConfirmWaived != 0, p.Oral, "the disclosure is not oral: only an oral disclosure's written confirmation is waived")
			v.order("disclosure.confirm_waived", p.ConfirmWaived, "the disclosure", p.Disclosed)
			v.date("disclosure.perfection_extended", p.PerfectionExtended, false)
			v.later("disclosure.perfection_extended", p.PerfectionExtended, "the disclosure", p.Disclosed)
			v.date("disclosure.calculated", p.Calculated, false)
			v.order("disclosure.calculated", p.Calculated, "the disclosure", p.Disclosed)
			switch p.Culpability {
			case CulpabilityNone, CulpabilityNegligence, CulpabilityGross, CulpabilityFraud:
			default:
				v.add("disclosure.culpability", "%s: want negligence, gross_negligence or fraud", quoteInput(string(p.Culpability)))
			}
			v.date("disclosure.liquidated", p.Liquidated, false)
			v.order("disclosure.liquidated", p.Liquidated, "the entry date", c.Entry.EntryDate)
		}
	case KindValidation:
		if p := c.Validation; p != nil {
			if p.Program != ProgramCTPAT && p.Program != ProgramISA {
				v.add("validation.program", "%s: want C-TPAT or ISA", quoteInput(string(p.Program)))
			}
			v.text("validation.scope", p.Scope, true, MaxDescription, false)
			v.date("validation.due", p.Due, false)
			v.order("validation.due", p.Due, "the day the case was received", c.Received)
		}
	}
}

func (v *validator) protest(p *Protest) {
	v.ident("protest.number", p.Number, ParseProtestNumber)
	v.date("protest.filed", p.Filed, true)
	v.date("protest.protested", p.Protested, false)
	if p.Protested != 0 && p.Filed != 0 && p.Protested > p.Filed {
		v.add("protest.protested", "%s is after the protest was filed (%s)", p.Protested, p.Filed)
	}
	if len(p.Grounds) == 0 {
		v.add("protest.grounds", "required: at least one ground of protest (19 U.S.C. 1514(a))")
	}
	seen := map[Ground]bool{}
	for i, g := range p.Grounds {
		known := false
		for _, k := range Grounds {
			known = known || g == k
		}
		field := fmt.Sprintf("protest.grounds[%d]", i)
		switch {
		case !known:
			names := make([]string, len(Grounds))
			for j, k := range Grounds {
				names[j] = string(k)
			}
			v.add(field, "%s: want one of %s", quoteInput(string(g)), strings.Join(names, ", "))
		case seen[g]:
			v.add(field, "%s is named twice", g)
		}
		seen[g] = true
	}
	if p.Claimed < 0 {
		v.add("protest.claimed", "%s is negative", p.Claimed)
	}
	v.date("protest.accel_mailed", p.AccelMailed, false)
	v.order("protest.accel_mailed", p.AccelMailed, "the protest was filed", p.Filed)
	v.date("protest.afr_filed", p.AFRFiled, false)
	if p.AFRFiled != 0 && !p.FurtherReview {
		v.add("protest.afr_filed", "set, but further_review is not")
	}
	v.order("protest.afr_filed", p.AFRFiled, "the protest was filed", p.Filed)
	for i, n := range p.OriginalDeciders {
		v.text(fmt.Sprintf("protest.original_deciders[%d]", i), n, true, 64, false)
	}
	v.date("protest.afr_decided", p.AFRDecided, false)
	v.only("protest.afr_decided", p.AFRDecided != 0, p.FurtherReview, "further_review is not")
	if p.AFRFiled != 0 {
		v.order("protest.afr_decided", p.AFRDecided, "the application was filed", p.AFRFiled)
	} else {
		v.order("protest.afr_decided", p.AFRDecided, "the protest and its application were filed", p.Filed)
	}
	v.only("protest.afr_denied", p.AFRDenied, p.AFRDecided != 0, "afr_decided is not: give the date the application was denied")
	v.date("protest.set_aside_filed", p.SetAsideFiled, false)
	v.only("protest.set_aside_filed", p.SetAsideFiled != 0, p.AFRDenied, "afr_denied is not: only the denial of an application for further review is set aside (19 U.S.C. 1515(c))")
	v.order("protest.set_aside_filed", p.SetAsideFiled, "the application was denied", p.AFRDecided)
	v.date("protest.hq_referred", p.HQReferred, false)
	v.order("protest.hq_referred", p.HQReferred, "the protest was filed", p.Filed)
	v.date("protest.hq_answered", p.HQAnswered, false)
	v.only("protest.hq_answered", p.HQAnswered != 0, p.HQReferred != 0, "hq_referred is not: Headquarters answers a referral")
	v.later("protest.hq_answered", p.HQAnswered, "the referral to Headquarters", p.HQReferred)
	named := map[string]int{}
	for i, n := range p.Consolidated {
		field := fmt.Sprintf("protest.consolidated[%d]", i)
		v.ident(field, n, ParseProtestNumber)
		if j, dup := named[n]; dup {
			v.add(field, "%s is also protest.consolidated[%d]", n, j)
		} else if n == p.Number {
			v.add(field, "%s is this protest's own number", n)
		}
		named[n] = i
	}
	v.date("protest.last_filed", p.LastFiled, false)
	v.only("protest.last_filed", p.LastFiled != 0, len(p.Consolidated) > 0, "consolidated is empty: the last filing is that of the protests consolidated with this one")
	v.order("protest.last_filed", p.LastFiled, "this protest was filed", p.Filed)
	v.date("protest.denial_mailed", p.DenialMailed, false)
	v.order("protest.denial_mailed", p.DenialMailed, "the protest was filed", p.Filed)
}

// denialMailed checks that a protest records the mailing of a notice of denial only when CBP has denied it, in
// whole or part or on further review, and not before the decision.
func (v *validator) denialMailed(c *Case) {
	p, d := c.Protest, c.Decision
	if p.DenialMailed == 0 {
		return
	}
	denied := c.Status == StatusDecided && d != nil &&
		(d.Outcome == OutcomeDenied || d.Outcome == OutcomeDeniedInPart || d.Outcome == OutcomeAFRDenied)
	if !denied {
		v.add("protest.denial_mailed", "set, but the protest is not decided as denied, denied in part or denied on further review")
		return
	}
	v.order("protest.denial_mailed", p.DenialMailed, "the decision", d.On)
}

func (v *validator) notes(c *Case) {
	for i, n := range c.Notes {
		p := fmt.Sprintf("notes[%d]", i)
		v.text(p+".author", n.Author, true, 64, false)
		v.check(p+".text", CheckNote(p+".text", n.Text))
	}
	if why := notesLimit.problem(len(c.Notes), notesSize(c.Notes)); why != "" {
		v.add("notes", "%s", why)
	}
	for i, r := range c.Requests {
		p := fmt.Sprintf("requests[%d]", i)
		v.text(p+".by", r.By, true, 64, false)
		v.date(p+".due", r.Due, true)
		v.check(p+".question", CheckNote(p+".question", r.Question))
		v.answer(p, r)
	}
	if why := requestsLimit.problem(len(c.Requests), requestsSize(c.Requests)); why != "" {
		v.add("requests", "%s", why)
	}
}

// answer checks the importer's answer to a request: its date not before the request, its text by CheckNote, and
// who recorded it and when; none of them without the date it arrived.
func (v *validator) answer(p string, r InfoRequest) {
	if r.Answered == 0 {
		v.only(p+".answer", r.Answer != "", false, "answered is not: give the date the answer arrived")
		v.only(p+".recorded_by", r.RecordedBy != "", false, "answered is not")
		v.only(p+".recorded_at", !r.RecordedAt.IsZero(), false, "answered is not")
		return
	}
	v.date(p+".answered", r.Answered, false)
	// At is a UTC time; the request's date where the Center is (west of UTC) is its UTC date or the day before.
	if !r.At.IsZero() {
		if made := DateOf(r.At.UTC()).AddDays(-1); r.Answered < made {
			v.add(p+".answered", "%s is before the request was made (%s)", r.Answered, r.At.UTC().Format(time.RFC3339))
		}
	}
	v.check(p+".answer", CheckNote(p+".answer", r.Answer))
	v.text(p+".recorded_by", r.RecordedBy, true, 64, false)
	if !r.RecordedAt.IsZero() && !r.At.IsZero() && r.RecordedAt.Before(r.At) {
		v.add(p+".recorded_at", "%s is before the request was made (%s)", r.RecordedAt.UTC().Format(time.RFC3339), r.At.UTC().Format(time.RFC3339))
	}
}

// notices checks the notices of action (CBP Form 29): who sent each and when, what it proposes or records, the end
// of the reply period only for a proposed action, and the importer's reply not before the notice.
func (v *validator) notices(c *Case) {
	for i, n := range c.Notices {
		p := fmt.Sprintf("notices[%d]", i)
		v.text(p+".by", n.By, true, 64, false)
		v.date(p+".sent", n.Sent, true)
		v.check(p+".action", CheckNote(p+".action", n.Action))
		v.date(p+".reply_due", n.ReplyDue, false)
		v.only(p+".reply_due", n.ReplyDue != 0, n.Proposed, "the notice is of an action taken: only a proposed action has a reply period")
		v.later(p+".reply_due", n.ReplyDue, "the notice was sent", n.Sent)
		v.date(p+".replied", n.Replied, false)
		v.order(p+".replied", n.Replied, "the notice was sent", n.Sent)
		if n.Replied != 0 {
			v.check(p+".reply", CheckNote(p+".reply", n.Reply))
		} else {
			v.only(p+".reply", n.Reply != "", false, "replied is not: give the date the reply arrived")
		}
	}
}

func (v *validator) decision(c *Case) {
	d := c.Decision
	needs := c.Status == StatusDecided || c.Status == StatusPendingApproval
	switch {
	case d == nil && needs:
		v.add("decision", "required: a case %s has a decision", c.Status.Title())
		return
	case d == nil:
		return
	case !needs:
		v.add("decision", "a case %s has no decision yet", c.Status.Title())
		return
	}
	var te *TextError
	if err := CheckDecision(c, *d); errors.As(err, &te) {
		v.check("decision.reasons", err)
	} else if err != nil {
		v.add("decision", "%s", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	}
	v.check("decision.returned", CheckReason("decision.returned", d.Returned))
	v.check("decision.late_ack", CheckReason("decision.late_ack", d.LateAck))
	v.text("decision.by", d.By, true, 64, false)
	v.date("decision.on", d.On, true)
	switch {
	case c.Status == StatusPendingApproval && !d.Approval:
		v.add("decision.approval", "a decision pending approval is marked as waiting for approval")
	case c.Status == StatusPendingApproval && d.Approver != "":
		v.add("decision.approver", "a decision still pending approval has no approver")
	case c.Status == StatusDecided && d.Approval && d.Approver == "":
		v.add("decision.approver", "required: the decision waited for approval")
	case d.Approver != "" && d.Approver == d.By:
		v.add("decision.approver", "the approver is never the decider (%s)", d.By)
	}
}
