package store

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"ceedesk/cases"
)

// Limits on what Import reads.
const (
	MaxImportRow  = 1 << 20 // one line of .jsonl, one record of .csv
	MaxImportFile = 1 << 30 // the whole file
)

// maxImportFile is MaxImportFile, a variable so tests can lower it.
var maxImportFile int64 = MaxImportFile

// bulkImport is the size from which Import rebuilds the indexes (in the same transaction) instead of updating
// them case by case.
const bulkImport = 20000

// ImportError is an import refused because of bad rows; nothing was imported. Rows lists every bad row found.
type ImportError struct {
	File string
	Rows []RowError
}

// RowError is one problem with one row of an import file. Line is the 1-based line where the row starts; Field is
// the case field (its JSON path, which is also the CSV column), or "" for a problem with the row as a whole.
type RowError struct {
	Line   int
	Field  string
	Reason string
}

func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
}

// clean makes a row error safe and short enough to print: it quotes what came from the file (an unknown field or
// column name, a bad value) wherever that holds something a terminal would act on (an escape sequence, a control
// character, invalid UTF-8), and cuts the field to 64 and the reason to 400 bytes.
func (e *RowError) clean() {
	e.Field = shorten(printable(e.Field), 64)
	e.Reason = shorten(printable(e.Reason), 400)
}

// printable escapes, Go-style (\x1b, \u202e, \xff), every rune of s that is neither graphic nor a space.
func printable(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || (r != ' ' && !unicode.IsGraphic(r)) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == ' ' || (r != utf8.RuneError && unicode.IsGraphic(r)):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

// shorten cuts s to at most max bytes at a rune boundary, marking the cut with "...".
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// maxShownRows bounds the rows Error prints; Rows always holds all of them.
const maxShownRows = 1000

func (e *ImportError) Error() string {
	var b strings.Builder
	noun := "rows"
	if len(e.Rows) == 1 {
		noun = "row"
	}
	fmt.Fprintf(&b, "import %s: %d bad %s; nothing imported", printable(e.File), len(e.Rows), noun)
	for i, r := range e.Rows {
		if i == maxShownRows {
			fmt.Fprintf(&b, "\n... and %d more", len(e.Rows)-maxShownRows)
			break
		}
		fmt.Fprintf(&b, "\n%s %s", printable(e.File), r.Error())
	}
	return b.String()
}

type parsedCase struct {
	line int
	c    *cases.Case
}

// Import reads cases from r, a .jsonl or .csv file (by the extension of name; see docs/import-format.md), and adds
// them all in one transaction, or none. Before writing it checks every row: the format, cases.Validate (after
// cases.Normalize), ids unique within the file and new to the store, and the assignee an existing user of the
// case's Center who can hold cases. If any row is bad it returns an *ImportError listing every bad row and writes
// nothing. Each imported case gets one audit event (action "import"); a case without a version gets version 1.
// The actor must be an admin or the Operator.
func (s *Store) Import(r io.Reader, name, actor string) (int, error) {
	base := filepath.Base(name)
	if err := s.notOnDesk("import"); err != nil {
		return 0, err
	}
	if err := s.view(func(tx kvTx) error { return s.checkAdmin(tx, actor) }); err != nil {
		return 0, fmt.Errorf("import %s: %w", base, err)
	}
	rows, bad, err := readImport(r, name)
	if err != nil {
		return 0, err
	}
	err = s.view(func(tx kvTx) error {
		users, err := s.caseHolders(tx)
		if err != nil {
			return err
		}
		cb := tx.Bucket(bCases)
		checkImport(rows, &bad, users, func(id string) bool { return cb.Get([]byte(id)) != nil }, s.clock())
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", base, err)
	}
	if len(bad) > 0 {
		return 0, &ImportError{File: base, Rows: bad}
	}
	if len(rows) == 0 {
		return 0, nil
	}
	now := s.clock()
	batch := make([]*cases.Case, len(rows))
	for i, p := range rows {
		stamp(p.c, actor, now)
		batch[i] = p.c
	}
	slices.SortFunc(batch, func(a, b *cases.Case) int { return strings.Compare(a.ID, b.ID) })
	var seq uint64
	err = s.update(func(tx kvTx) error {
		a := s.openAudit(tx)
		if len(batch) >= bulkImport {
			if err := s.insertBulk(tx, a, actor, "import", base, batch, now); err != nil {
				return err
			}
			seq = a.seq
			return s.rebuild(tx, false)
		}
		for _, c := range batch {
			if tx.Bucket(bCases).Get([]byte(c.ID)) != nil {
				return fmt.Errorf("case %s was added to the store during the import", c.ID)
			}
			if err := s.putCase(tx, nil, c); err != nil {
				return err
			}
			if err := a.append(cases.Event{At: now, Actor: actor, Case: c.ID, Action: "import", Change: cases.Diff(nil, c), Reason: base}); err != nil {
				return err
			}
		}
		seq = a.seq
		return a.flush()
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: nothing imported: %w", base, err)
	}
	ids := make([]string, 0, min(len(batch), maxCoalesce))
	for _, c := range batch[:min(len(batch), maxCoalesce)] {
		ids = append(ids, c.ID)
	}
	s.feed.publish(cases.Change{Seq: seq, Action: "import", Actor: actor, Cases: ids, At: now})
	return len(batch), nil
}

// readImport reads an import file (the format chosen by the extension of name) into cases without looking at any
// store: it returns the cases read, the rows that could not be read (each naming its line and, where it can, its
// field), and an error for a problem with the file as a whole (wrong extension, over MaxImportFile, unreadable).
func readImport(r io.Reader, name string) ([]parsedCase, []RowError, error) {
	base := filepath.Base(name)
	var parse func(io.Reader, *[]RowError) ([]parsedCase, error)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		parse = parseJSONL
	case ".csv":
		parse = parseCSV
	default:
		return nil, nil, fmt.Errorf("import %s: want a .jsonl or .csv file", base)
	}
	lr := &limitReader{r: r, left: maxImportFile}
	var bad []RowError
	rows, err := parse(lr, &bad)
	if lr.over {
		return nil, nil, fmt.Errorf("import %s: the file is over %d bytes (%d MiB), the limit; split it", base, maxImportFile, maxImportFile>>20)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("import %s: %w", base, err)
	}
	return rows, bad, nil
}

// checkImport checks the cases read from an import file, adding to bad every problem: cases.Validate (after
// cases.Normalize, which it applies), ids unique within the file, ids not already in the store (exists),
// assignees who can hold the case and every other person it names a user (users), and no time it records later
// than now (cases.CheckTimes). On return bad is in line order and every entry is safe to print.
func checkImport(rows []parsedCase, bad *[]RowError, users map[string]cases.User, exists func(id string) bool, now time.Time) {
	firstLine := map[string]int{}
	for _, p := range rows {
		c := p.c
		cases.Normalize(c)
		for _, e := range append(cases.Validate(c), cases.CheckTimes(c, now)...) {
			var fe *cases.FieldError
			if errors.As(e, &fe) {
				*bad = append(*bad, RowError{Line: p.line, Field: fe.Field, Reason: fe.Reason})
			} else {
				*bad = append(*bad, RowError{Line: p.line, Reason: e.Error()})
			}
		}
		if c.ID != "" {
			if l, ok := firstLine[c.ID]; ok {
				*bad = append(*bad, RowError{Line: p.line, Field: "id", Reason: fmt.Sprintf("case %s is also on line %d", c.ID, l)})
			} else {
				firstLine[c.ID] = p.line
			}
			if exists(c.ID) {
				*bad = append(*bad, RowError{Line: p.line, Field: "id", Reason: fmt.Sprintf("case %s is already in the store", c.ID)})
			}
		}
		if msg := holderProblem(users, c); msg != "" {
			*bad = append(*bad, RowError{Line: p.line, Field: "assignee", Reason: msg})
		}
		for _, fe := range unknownPeople(users, c) {
			*bad = append(*bad, RowError{Line: p.line, Field: fe.Field, Reason: fe.Reason})
		}
	}
	for i := range *bad {
		(*bad)[i].clean()
	}
	slices.SortStableFunc(*bad, func(a, b RowError) int { return a.Line - b.Line })
}

type limitReader struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// one byte more tells a file of exactly the limit from a longer one
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			l.over = true
			return 0, errors.New("file over the import limit")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// parseJSONL reads one case per line; blank lines are skipped. Unknown fields are an error naming the field.
func parseJSONL(r io.Reader, bad *[]RowError) ([]parsedCase, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []parsedCase
	var line []byte
	for n := 1; ; n++ {
		line = line[:0]
		tooLong := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !tooLong {
				line = append(line, chunk...)
				if len(line) > MaxImportRow+2 {
					tooLong, line = true, line[:0]
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if tooLong {
			*bad = append(*bad, RowError{Line: n, Reason: fmt.Sprintf("the row is over %d MiB, the limit", MaxImportRow>>20)})
		} else if text := bytes.TrimSpace(line); len(text) > 0 {
			if len(text) > MaxImportRow {
				*bad = append(*bad, RowError{Line: n, Reason: fmt.Sprintf("the row is over %d MiB, the limit", MaxImportRow>>20)})
			} else if errs := notUTF8(text); len(errs) > 0 {
				for _, re := range errs {
					re.Line = n
					*bad = append(*bad, re)
				}
			} else if c, re := decodeJSONCase(text); re != nil {
				re.Line = n
				*bad = append(*bad, *re)
			} else {
				out = append(out, parsedCase{line: n, c: c})
			}
		}
		if err == io.EOF {
			return out, nil
		}
	}
}

// notUTF8 reports every string of a JSON text (a .jsonl row, a CSV cell holding JSON) that is not valid UTF-8, by
// its field path inside the text ("notes[2].text") and with the reason cases.CheckUTF8 gives. It is needed before
// decoding, because encoding/json turns such bytes into U+FFFD without a word, and the case would be stored
// other than written. Text that is valid UTF-8 costs one scan.
func notUTF8(text []byte) []RowError {
	if utf8.Valid(text) {
		return nil
	}
	type level struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			if !l.object {
				fmt.Fprintf(&b, "[%d]", l.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(l.key)
		}
		return b.String()
	}
	var out []RowError
	dec := json.NewDecoder(bytes.NewReader(text))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return out // the end, or a syntax error that decoding will report
		}
		var top *level
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && !top.object {
					top.index++
				}
				stack = append(stack, level{object: d == '{', wantKey: d == '{', index: -1})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
			}
			continue
		}
		raw := text[start:dec.InputOffset()]
		s, isString := tok.(string)
		if isString {
			s = rawJSONString(raw[bytes.IndexByte(raw, '"'):])
		}
		switch {
		case top != nil && top.object && top.wantKey:
			top.key, top.wantKey = s, false
			if why := utf8Problem(s); why != "" {
				out = append(out, RowError{Field: path(), Reason: "the field name " + why})
			}
			continue
		case top != nil && top.object:
			top.wantKey = true
		case top != nil:
			top.index++
		}
		if isString {
			if why := utf8Problem(s); why != "" {
				out = append(out, RowError{Field: path(), Reason: why})
			}
		}
	}
}

// utf8Problem is cases.CheckUTF8's reason for refusing s, or "".
func utf8Problem(s string) string {
	var te *cases.TextError
	if err := cases.CheckUTF8("", s); errors.As(err, &te) {
		return te.Reason
	}
	return ""
}

// rawJSONString undoes the escapes of a JSON string literal (quotes included) as encoding/json does, but keeps
// bytes that are not UTF-8 as they are.
func rawJSONString(lit []byte) string {
	lit = lit[1 : len(lit)-1]
	b := make([]byte, 0, len(lit))
	hex4 := func(i int) rune {
		if i+4 > len(lit) {
			return -1
		}
		v, err := strconv.ParseUint(string(lit[i:i+4]), 16, 32)
		if err != nil {
			return -1
		}
		return rune(v)
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' || i+1 == len(lit) {
			b = append(b, lit[i])
			continue
		}
		i++
		switch lit[i] {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(i + 1)
			i += 4
			if utf16.IsSurrogate(r) {
				if i+2 < len(lit) && lit[i+1] == '\\' && lit[i+2] == 'u' {
					if r2 := utf16.DecodeRune(r, hex4(i+3)); r2 != utf8.RuneError {
						r = r2
						i += 6
					}
				}
			}
			b = utf8.AppendRune(b, r) // a lone surrogate becomes U+FFFD, as encoding/json makes it
		default: // \" \\ \/
			b = append(b, lit[i])
		}
	}
	return string(b)
}

func decodeJSONCase(text []byte) (*cases.Case, *RowError) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	c := new(cases.Case)
	if err := dec.Decode(c); err != nil {
		return nil, jsonRowError(err)
	}
	if dec.More() {
		return nil, &RowError{Reason: "more than one JSON value on the line; want one case per line"}
	}
	return c, nil
}

func jsonRowError(err error) *RowError {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return &RowError{Field: te.Field, Reason: fmt.Sprintf("want %s, not a JSON %s", jsonTypeName(te.Type.Kind().String()), te.Value)}
	case errors.As(err, &se):
		return &RowError{Reason: fmt.Sprintf("not valid JSON at byte %d: %v", se.Offset, se)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return &RowError{Field: f, Reason: "unknown field"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &RowError{Reason: "the JSON object is not complete"}
	}
	return &RowError{Reason: strings.TrimPrefix(err.Error(), "json: ")}
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return kind
}

// Export writes every case, in id order, as .jsonl (one cases.Case JSON per line) or .csv (the columns of
// docs/import-format.md). Import of the output into an empty store gives the same cases, versions and last-change
// fields included. It reads from one transaction, so the export is consistent while writers continue. The actor
// takes what cases.BulkScope allows: an admin or the operator every case, a supervisor their Center's; a reviewer
// is refused before anything is written.
func (s *Store) Export(actor string, w io.Writer, format string) (int, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	n := 0
	var write func(c *cases.Case) error
	var cw *csv.Writer
	switch strings.ToLower(format) {
	case "jsonl", "":
		write = func(c *cases.Case) error {
			b, err := json.Marshal(c)
			if err != nil {
				return err
			}
			bw.Write(cases.EscapeJSON(b))
			return bw.WriteByte('\n')
		}
	case "csv":
		cw = csv.NewWriter(bw)
		if err := cw.Write(csvHeader()); err != nil {
			return 0, err
		}
		rec := make([]string, len(csvColumns))
		write = func(c *cases.Case) error {
			for i, col := range csvColumns {
				rec[i] = col.get(c)
			}
			return cw.Write(rec)
		}
	default:
		return 0, fmt.Errorf("export: format %q: want jsonl or csv", format)
	}
	err := s.view(func(tx kvTx) error {
		center, err := s.bulkScope(tx, actor, "export cases")
		if err != nil {
			return err
		}
		return tx.Bucket(bCases).ForEach(func(k, v []byte) error {
			c, err := decodeCase(v)
			if err != nil {
				return fmt.Errorf("case %s: %w", k, err)
			}
			if center != "" && c.Center != center {
				return nil
			}
			if err := write(c); err != nil {
				return err
			}
			n++
			return nil
		})
	})
	if err == nil && cw != nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush() // a refusal leaves what was buffered (the CSV header) unwritten
	}
	if err != nil {
		return n, fmt.Errorf("export: %w", s.damagedRecord(err))
	}
	return n, nil
}
