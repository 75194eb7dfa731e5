package store

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"ceedesk/cases"
)

// The CSV format: one row per case under a header row naming the columns (any order; a missing column is empty).
// Column names are the cases' JSON field paths. Dates are YYYY-MM-DD, money is dollars with cents (1234.50),
// lists (of names, codes or dates) are joined with ';', entry lines are "number|hts|description|origin|value|rate_bp|duty"
// joined with ';' (with '\' escaping '\', '|' and ';' inside a description), and notes, requests, notices and
// decision are JSON.
// docs/import-format.md is the reference.

type csvColumn struct {
	name string
	get  func(c *cases.Case) string
	set  func(c *cases.Case, v string) error
}

func ensureProtest(c *cases.Case) *cases.Protest {
	if c.Protest == nil {
		c.Protest = &cases.Protest{}
	}
	return c.Protest
}
func ensurePSC(c *cases.Case) *cases.PSC {
	if c.PSC == nil {
		c.PSC = &cases.PSC{}
	}
	return c.PSC
}
func ensurePEA(c *cases.Case) *cases.PEA {
	if c.PEA == nil {
		c.PEA = &cases.PEA{}
	}
	return c.PEA
}
func ensureDisclosure(c *cases.Case) *cases.Disclosure {
	if c.Disclosure == nil {
		c.Disclosure = &cases.Disclosure{}
	}
	return c.Disclosure
}
func ensureValidation(c *cases.Case) *cases.Validation {
	if c.Validation == nil {
		c.Validation = &cases.Validation{}
	}
	return c.Validation
}

func usd(v cases.Cents) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprintf("%d.%02d", int64(v/100), int64(v%100))
	if neg {
		s = "-" + s
	}
	return s
}

func parseUSD(v string) (cases.Cents, error) {
	if v == "" {
		return 0, nil
	}
	return cases.ParseUSD(v)
}

func parseDate(v string) (cases.Date, error) {
	if v == "" {
		return 0, nil
	}
	return cases.ParseDate(v)
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "", "false", "no", "0":
		return false, nil
	case "true", "yes", "1":
		return true, nil
	}
	return false, fmt.Errorf("%q: want true or false", v)
}

func joinList[T ~string](xs []T) string {
	ss := make([]string, len(xs))
	for i, x := range xs {
		ss[i] = string(x)
	}
	return strings.Join(ss, ";")
}

func splitList[T ~string](v string) []T {
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ";")
	out := make([]T, len(parts))
	for i, p := range parts {
		out[i] = T(strings.TrimSpace(p))
	}
	return out
}

func joinDates(ds []cases.Date) string {
	ss := make([]string, len(ds))
	for i, d := range ds {
		ss[i] = d.String()
	}
	return strings.Join(ss, ";")
}

// splitDates reads dates joined with ';'; a bad one is named by its place in the list ("[1]").
func splitDates(v string) ([]cases.Date, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	parts := strings.Split(v, ";")
	out := make([]cases.Date, len(parts))
	var bad cellFieldErrors
	for i, p := range parts {
		p = strings.TrimSpace(p)
		d, err := cases.ParseDate(p)
		if p == "" {
			err = errors.New("empty; want a date YYYY-MM-DD between the ';'")
		}
		if err != nil {
			bad = append(bad, RowError{Field: fmt.Sprintf("[%d]", i), Reason: err.Error()})
		}
		out[i] = d
	}
	if bad != nil {
		return nil, bad
	}
	return out, nil
}

// listCol is a column of a kind-specific list of names or codes, joined with ';'.
func listCol[P any](name string, get func(c *cases.Case) *P, ensure func(c *cases.Case) *P, field func(p *P) *[]string) csvColumn {
	return csvColumn{name,
		func(c *cases.Case) string {
			if p := get(c); p != nil {
				return joinList(*field(p))
			}
			return ""
		},
		func(c *cases.Case, v string) error {
			if v != "" {
				*field(ensure(c)) = splitList[string](v)
			}
			return nil
		}}
}

func jsonCell[T any](v T, empty bool) string {
	if empty {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(cases.EscapeJSON(b))
}

// cellFieldErrors are problems with fields inside a cell that holds JSON; each Field is a path inside the cell.
type cellFieldErrors []RowError

func (e cellFieldErrors) Error() string { return e[0].Field + ": " + e[0].Reason }

func parseJSONCell(v string, dst any) error {
	if v == "" {
		return nil
	}
	if errs := notUTF8([]byte(v)); len(errs) > 0 {
		return cellFieldErrors(errs)
	}
	dec := json.NewDecoder(strings.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		re := jsonRowError(err)
		if re.Field != "" {
			return fmt.Errorf("%s: %s", re.Field, re.Reason)
		}
		return errors.New(re.Reason)
	}
	return nil
}

func dateCol(name string, ptr func(c *cases.Case, create bool) *cases.Date) csvColumn {
	return csvColumn{name,
		func(c *cases.Case) string {
			if p := ptr(c, false); p != nil {
				return p.String()
			}
			return ""
		},
		func(c *cases.Case, v string) error {
			v = strings.TrimSpace(v)
			d, err := parseDate(v)
			if err == nil && v != "" {
				*ptr(c, true) = d
			}
			return err
		}}
}

func moneyCol(name string, ptr func(c *cases.Case, create bool) *cases.Cents) csvColumn {
	return csvColumn{name,
		func(c *cases.Case) string {
			if p := ptr(c, false); p != nil {
				return usd(*p)
			}
			return ""
		},
		func(c *cases.Case, v string) error {
			v = strings.TrimSpace(v)
			m, err := parseUSD(v)
			if err == nil && v != "" {
				*ptr(c, true) = m
			}
			return err
		}}
}

func textCol(name string, ptr func(c *cases.Case, create bool) *string) csvColumn {
	return csvColumn{name,
		func(c *cases.Case) string {
			if p := ptr(c, false); p != nil {
				return *p
			}
			return ""
		},
		func(c *cases.Case, v string) error {
			if v != "" {
				*ptr(c, true) = v
			}
			return nil
		}}
}

func boolCol(name string, ptr func(c *cases.Case, create bool) *bool) csvColumn {
	return csvColumn{name,
		func(c *cases.Case) string {
			if p := ptr(c, false); p != nil && *p {
				return "true"
			}
			return ""
		},
		func(c *cases.Case, v string) error {
			v = strings.TrimSpace(v)
			b, err := parseBool(v)
			if err == nil && v != "" {
				*ptr(c, true) = b
			}
			return err
		}}
}

// part returns a field accessor for a kind-specific part: nil when the part is absent and create is false.
func part[P any, F any](get func(c *cases.Case) *P, ensure func(c *cases.Case) *P, field func(p *P) *F) func(c *cases.Case, create bool) *F {
	return func(c *cases.Case, create bool) *F {
		p := get(c)
		if p == nil {
			if !create {
				return nil
			}
			p = ensure(c)
		}
		return field(p)
	}
}

func always[F any](field func(c *cases.Case) *F) func(c *cases.Case, create bool) *F {
	return func(c *cases.Case, _ bool) *F { return field(c) }
}

var (
	getProtest    = func(c *cases.Case) *cases.Protest { return c.Protest }
	getPSC        = func(c *cases.Case) *cases.PSC { return c.PSC }
	getPEA        = func(c *cases.Case) *cases.PEA { return c.PEA }
	getDisclosure = func(c *cases.Case) *cases.Disclosure { return c.Disclosure }
	getValidation = func(c *cases.Case) *cases.Validation { return c.Validation }
)

var csvColumns = []csvColumn{
	textCol("id", always(func(c *cases.Case) *string { return &c.ID })),
	{"kind", func(c *cases.Case) string { return string(c.Kind) }, func(c *cases.Case, v string) error { c.Kind = cases.Kind(v); return nil }},
	textCol("center", always(func(c *cases.Case) *string { return &c.Center })),
	{"status", func(c *cases.Case) string { return string(c.Status) }, func(c *cases.Case, v string) error { c.Status = cases.Status(v); return nil }},
	dateCol("received", always(func(c *cases.Case) *cases.Date { return &c.Received })),
	textCol("assignee", always(func(c *cases.Case) *string { return &c.Assignee })),
	dateCol("assigned", always(func(c *cases.Case) *cases.Date { return &c.Assigned })),
	dateCol("first_assigned", always(func(c *cases.Case) *cases.Date { return &c.FirstAssigned })),
	textCol("importer.number", always(func(c *cases.Case) *string { return &c.Importer.Number })),
	textCol("importer.name", always(func(c *cases.Case) *string { return &c.Importer.Name })),
	{"importer.programs", func(c *cases.Case) string { return joinList(c.Importer.Programs) },
		func(c *cases.Case, v string) error { c.Importer.Programs = splitList[cases.Program](v); return nil }},
	textCol("entry.number", always(func(c *cases.Case) *string { return &c.Entry.Number })),
	textCol("entry.type", always(func(c *cases.Case) *string { return &c.Entry.Type })),
	textCol("entry.port", always(func(c *cases.Case) *string { return &c.Entry.Port })),
	dateCol("entry.entry_date", always(func(c *cases.Case) *cases.Date { return &c.Entry.EntryDate })),
	dateCol("entry.liquidates", always(func(c *cases.Case) *cases.Date { return &c.Entry.Liquidates })),
	dateCol("entry.extended", always(func(c *cases.Case) *cases.Date { return &c.Entry.Extended })),
	dateCol("entry.liquidated", always(func(c *cases.Case) *cases.Date { return &c.Entry.Liquidated })),
	{"entry.extensions", func(c *cases.Case) string { return joinDates(c.Entry.Extensions) },
		func(c *cases.Case, v string) error {
			ds, err := splitDates(v)
			c.Entry.Extensions = ds
			return err
		}},
	dateCol("entry.suspended", always(func(c *cases.Case) *cases.Date { return &c.Entry.Suspended })),
	dateCol("entry.unsuspended", always(func(c *cases.Case) *cases.Date { return &c.Entry.Unsuspended })),
	{"entry.lines", func(c *cases.Case) string { return formatLines(c.Entry.Lines) },
		func(c *cases.Case, v string) error {
			ls, err := parseLines(v)
			c.Entry.Lines = ls
			return err
		}},

	textCol("protest.number", part(getProtest, ensureProtest, func(p *cases.Protest) *string { return &p.Number })),
	dateCol("protest.filed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.Filed })),
	dateCol("protest.protested", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.Protested })),
	{"protest.grounds", func(c *cases.Case) string {
		if c.Protest == nil {
			return ""
		}
		return joinList(c.Protest.Grounds)
	}, func(c *cases.Case, v string) error {
		if v != "" {
			ensureProtest(c).Grounds = splitList[cases.Ground](v)
		}
		return nil
	}},
	moneyCol("protest.claimed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Cents { return &p.Claimed })),
	dateCol("protest.accel_mailed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.AccelMailed })),
	boolCol("protest.further_review", part(getProtest, ensureProtest, func(p *cases.Protest) *bool { return &p.FurtherReview })),
	dateCol("protest.afr_filed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.AFRFiled })),
	listCol("protest.original_deciders", getProtest, ensureProtest, func(p *cases.Protest) *[]string { return &p.OriginalDeciders }),
	dateCol("protest.afr_decided", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.AFRDecided })),
	boolCol("protest.afr_denied", part(getProtest, ensureProtest, func(p *cases.Protest) *bool { return &p.AFRDenied })),
	dateCol("protest.set_aside_filed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.SetAsideFiled })),
	dateCol("protest.hq_referred", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.HQReferred })),
	dateCol("protest.hq_answered", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.HQAnswered })),
	listCol("protest.consolidated", getProtest, ensureProtest, func(p *cases.Protest) *[]string { return &p.Consolidated }),
	dateCol("protest.last_filed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.LastFiled })),
	dateCol("protest.denial_mailed", part(getProtest, ensureProtest, func(p *cases.Protest) *cases.Date { return &p.DenialMailed })),

	dateCol("psc.filed", part(getPSC, ensurePSC, func(p *cases.PSC) *cases.Date { return &p.Filed })),
	{"psc.version", func(c *cases.Case) string {
		if c.PSC == nil {
			return ""
		}
		return strconv.Itoa(c.PSC.Version)
	}, func(c *cases.Case, v string) error {
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q: want a whole number", v)
		}
		ensurePSC(c).Version = n
		return nil
	}},
	listCol("psc.reason_codes", getPSC, ensurePSC, func(p *cases.PSC) *[]string { return &p.ReasonCodes }),
	moneyCol("psc.duty_diff", part(getPSC, ensurePSC, func(p *cases.PSC) *cases.Cents { return &p.DutyDiff })),
	textCol("psc.explanation", part(getPSC, ensurePSC, func(p *cases.PSC) *string { return &p.Explanation })),

	dateCol("pea.filed", part(getPEA, ensurePEA, func(p *cases.PEA) *cases.Date { return &p.Filed })),
	moneyCol("pea.duty_diff", part(getPEA, ensurePEA, func(p *cases.PEA) *cases.Cents { return &p.DutyDiff })),
	textCol("pea.explanation", part(getPEA, ensurePEA, func(p *cases.PEA) *string { return &p.Explanation })),

	dateCol("disclosure.disclosed", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.Disclosed })),
	boolCol("disclosure.oral", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *bool { return &p.Oral })),
	dateCol("disclosure.confirmed", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.Confirmed })),
	dateCol("disclosure.perfected", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.Perfected })),
	moneyCol("disclosure.lost_revenue", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Cents { return &p.LostRevenue })),
	moneyCol("disclosure.tender", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Cents { return &p.Tender })),
	dateCol("disclosure.confirm_waived", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.ConfirmWaived })),
	dateCol("disclosure.perfection_extended", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.PerfectionExtended })),
	dateCol("disclosure.calculated", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.Calculated })),
	{"disclosure.culpability", func(c *cases.Case) string {
		if c.Disclosure == nil {
			return ""
		}
		return string(c.Disclosure.Culpability)
	}, func(c *cases.Case, v string) error {
		if v != "" {
			ensureDisclosure(c).Culpability = cases.Culpability(v)
		}
		return nil
	}},
	dateCol("disclosure.liquidated", part(getDisclosure, ensureDisclosure, func(p *cases.Disclosure) *cases.Date { return &p.Liquidated })),

	{"validation.program", func(c *cases.Case) string {
		if c.Validation == nil {
			return ""
		}
		return string(c.Validation.Program)
	}, func(c *cases.Case, v string) error {
		if v != "" {
			ensureValidation(c).Program = cases.Program(v)
		}
		return nil
	}},
	textCol("validation.scope", part(getValidation, ensureValidation, func(p *cases.Validation) *string { return &p.Scope })),
	dateCol("validation.due", part(getValidation, ensureValidation, func(p *cases.Validation) *cases.Date { return &p.Due })),

	{"notes", func(c *cases.Case) string { return jsonCell(c.Notes, len(c.Notes) == 0) },
		func(c *cases.Case, v string) error { return parseJSONCell(v, &c.Notes) }},
	{"requests", func(c *cases.Case) string { return jsonCell(c.Requests, len(c.Requests) == 0) },
		func(c *cases.Case, v string) error { return parseJSONCell(v, &c.Requests) }},
	{"notices", func(c *cases.Case) string { return jsonCell(c.Notices, len(c.Notices) == 0) },
		func(c *cases.Case, v string) error { return parseJSONCell(v, &c.Notices) }},
	{"decision", func(c *cases.Case) string { return jsonCell(c.Decision, c.Decision == nil) },
		func(c *cases.Case, v string) error { return parseJSONCell(v, &c.Decision) }},

	{"version", func(c *cases.Case) string { return strconv.FormatUint(c.Version, 10) }, func(c *cases.Case, v string) error {
		if v == "" {
			return nil
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fmt.Errorf("%q: want a whole number", v)
		}
		c.Version = n
		return nil
	}},
	textCol("updated_by", always(func(c *cases.Case) *string { return &c.UpdatedBy })),
	{"updated_at", func(c *cases.Case) string {
		if c.UpdatedAt.IsZero() {
			return ""
		}
		return c.UpdatedAt.Format(time.RFC3339Nano)
	}, func(c *cases.Case, v string) error {
		if v == "" {
			return nil
		}
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q: want a time such as 2026-03-02T14:05:00Z", v)
		}
		c.UpdatedAt = t
		return nil
	}},
}

func csvHeader() []string {
	h := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		h[i] = c.name
	}
	return h
}

var lineEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`, `;`, `\;`)

func formatLines(ls []cases.Line) string {
	var b strings.Builder
	for i, l := range ls {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%d|%s|%s|%s|%s|%d|%s", l.Number, lineEscaper.Replace(l.HTS), lineEscaper.Replace(l.Description),
			lineEscaper.Replace(l.Origin), usd(l.Value), l.RateBP, usd(l.Duty))
	}
	return b.String()
}

// splitEscaped splits s at sep outside backslash escapes and removes the escapes.
func splitEscaped(s string, sep byte) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case s[i] == sep:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(s[i])
		}
	}
	return append(out, cur.String())
}

// splitRaw splits at sep outside escapes but keeps the escapes, for a second split.
func splitRaw(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func parseLines(v string) ([]cases.Line, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []cases.Line
	for i, item := range splitRaw(v, ';') {
		f := splitEscaped(item, '|')
		if len(f) != 7 {
			return out, fmt.Errorf("line %d has %d fields; want number|hts|description|origin|value|rate_bp|duty", i+1, len(f))
		}
		var l cases.Line
		var err error
		if l.Number, err = strconv.Atoi(strings.TrimSpace(f[0])); err != nil {
			return out, fmt.Errorf("line %d: number %q: want a whole number", i+1, f[0])
		}
		l.HTS, l.Description, l.Origin = strings.TrimSpace(f[1]), f[2], strings.TrimSpace(f[3])
		if l.Value, err = parseUSD(strings.TrimSpace(f[4])); err != nil {
			return out, fmt.Errorf("line %d: value: %v", i+1, err)
		}
		if l.RateBP, err = strconv.Atoi(strings.TrimSpace(f[5])); err != nil {
			return out, fmt.Errorf("line %d: rate_bp %q: want basis points as a whole number (250 = 2.50%%)", i+1, f[5])
		}
		if l.Duty, err = parseUSD(strings.TrimSpace(f[6])); err != nil {
			return out, fmt.Errorf("line %d: duty: %v", i+1, err)
		}
		out = append(out, l)
	}
	return out, nil
}

// cellField names a field inside a JSON cell by the case's own path: column "notes", path "[0].text" is
// "notes[0].text".
func cellField(column, path string) string {
	switch {
	case path == "":
		return column
	case strings.HasPrefix(path, "["):
		return column + path
	}
	return column + "." + path
}

// scanCSV reads the header, then hands fn each record with its line (where the record starts) and the column
// each of its cells is for (cols, the same slice for every record); a record that cannot be read, or whose size or
// number of fields is wrong, comes with bad set and no cells. Problems with the header are rows of line 1, and end
// the scan: without the columns no record can be read. fn's record is valid only during the call.
func scanCSV(r io.Reader, fn func(line int, rec []string, cols []int, bad *RowError) error) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return fmt.Errorf("line 1: %v", err)
	}
	byName := map[string]int{}
	for i, c := range csvColumns {
		byName[c.name] = i
	}
	cols := make([]int, len(header))
	var headerBad []RowError
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		j, ok := byName[h]
		if !ok {
			headerBad = append(headerBad, RowError{Line: 1, Field: h, Reason: "unknown column; see docs/import-format.md"})
			continue
		}
		if seen[h] {
			headerBad = append(headerBad, RowError{Line: 1, Field: h, Reason: "column given twice"})
		}
		seen[h] = true
		cols[i] = j
	}
	if len(headerBad) > 0 {
		for i := range headerBad {
			if err := fn(1, nil, nil, &headerBad[i]); err != nil {
				return err
			}
		}
		return nil
	}
	nfields := len(header)
	start := cr.InputOffset()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		end := cr.InputOffset()
		size := end - start
		start = end
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			if err := fn(pe.StartLine, nil, nil, &RowError{Line: pe.StartLine, Reason: pe.Err.Error()}); err != nil {
				return err
			}
			if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
				return nil // the reader cannot resynchronise after a broken quote
			}
			continue
		}
		line, _ := cr.FieldPos(0) // only after a record was read: FieldPos panics after an error
		var bad *RowError
		switch {
		case size > MaxImportRow:
			bad = &RowError{Line: line, Reason: fmt.Sprintf("the row is over %d MiB, the limit", MaxImportRow>>20)}
		case len(rec) != nfields:
			bad = &RowError{Line: line, Reason: fmt.Sprintf("the row has %d fields, the header %d", len(rec), nfields)}
		}
		if bad != nil {
			rec = nil
		}
		if err := fn(line, rec, cols, bad); err != nil {
			return err
		}
	}
}

// csvCase makes a case of one CSV record, whose cells are for the columns cols names; every cell problem is a
// RowError naming its column (without a line: the caller's).
func csvCase(rec []string, cols []int) (*cases.Case, []RowError) {
	c := new(cases.Case)
	var bad []RowError
	for i, v := range rec {
		col := csvColumns[cols[i]]
		var inCell cellFieldErrors
		switch err := col.set(c, v); {
		case errors.As(err, &inCell):
			for _, e := range inCell {
				bad = append(bad, RowError{Field: cellField(col.name, e.Field), Reason: e.Reason})
			}
		case err != nil:
			bad = append(bad, RowError{Field: col.name, Reason: err.Error()})
		}
	}
	if len(bad) > 0 {
		return nil, bad
	}
	// the part of the case's own kind exists even when all its columns are empty, so Validate names what is missing
	switch c.Kind {
	case cases.KindProtest:
		ensureProtest(c)
	case cases.KindPSC:
		ensurePSC(c)
	case cases.KindPEA:
		ensurePEA(c)
	case cases.KindDisclosure:
		ensureDisclosure(c)
	case cases.KindValidation:
		ensureValidation(c)
	}
	return c, nil
}
