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

	bolt "go.etcd.io/bbolt"

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

// maxShownRows bounds the rows Error prints; Rows always holds all of them.
const maxShownRows = 1000

func (e *ImportError) Error() string {
	var b strings.Builder
	noun := "rows"
	if len(e.Rows) == 1 {
		noun = "row"
	}
	fmt.Fprintf(&b, "import %s: %d bad %s; nothing imported", e.File, len(e.Rows), noun)
	for i, r := range e.Rows {
		if i == maxShownRows {
			fmt.Fprintf(&b, "\n... and %d more", len(e.Rows)-maxShownRows)
			break
		}
		fmt.Fprintf(&b, "\n%s %s", e.File, r.Error())
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
	var parse func(io.Reader, *[]RowError) ([]parsedCase, error)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		parse = parseJSONL
	case ".csv":
		parse = parseCSV
	default:
		return 0, fmt.Errorf("import %s: want a .jsonl or .csv file", base)
	}
	if err := s.db.View(func(tx *bolt.Tx) error { return checkAdmin(tx, actor) }); err != nil {
		return 0, fmt.Errorf("import %s: %w", base, err)
	}
	lr := &limitReader{r: r, left: maxImportFile}
	var bad []RowError
	rows, err := parse(lr, &bad)
	if lr.over {
		return 0, fmt.Errorf("import %s: the file is over %d bytes (%d MiB), the limit; split it", base, maxImportFile, maxImportFile>>20)
	}
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", base, err)
	}
	firstLine := map[string]int{}
	err = s.db.View(func(tx *bolt.Tx) error {
		users, err := s.caseHolders(tx)
		if err != nil {
			return err
		}
		for _, p := range rows {
			c := p.c
			cases.Normalize(c)
			for _, e := range cases.Validate(c) {
				var fe *cases.FieldError
				if errors.As(e, &fe) {
					bad = append(bad, RowError{Line: p.line, Field: fe.Field, Reason: fe.Reason})
				} else {
					bad = append(bad, RowError{Line: p.line, Reason: e.Error()})
				}
			}
			if c.ID != "" {
				if l, ok := firstLine[c.ID]; ok {
					bad = append(bad, RowError{Line: p.line, Field: "id", Reason: fmt.Sprintf("case %s is also on line %d", c.ID, l)})
				} else {
					firstLine[c.ID] = p.line
				}
				if tx.Bucket(bCases).Get([]byte(c.ID)) != nil {
					bad = append(bad, RowError{Line: p.line, Field: "id", Reason: fmt.Sprintf("case %s is already in the store", c.ID)})
				}
			}
			if msg := holderProblem(users, c); msg != "" {
				bad = append(bad, RowError{Line: p.line, Field: "assignee", Reason: msg})
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("import %s: %w", base, err)
	}
	if len(bad) > 0 {
		slices.SortStableFunc(bad, func(a, b RowError) int { return a.Line - b.Line })
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
	err = s.update(func(tx *bolt.Tx) error {
		a := openAudit(tx)
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
// fields included. It reads from one transaction, so the export is consistent while writers continue.
func (s *Store) Export(w io.Writer, format string) (int, error) {
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
			bw.Write(b)
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
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bCases).ForEach(func(k, v []byte) error {
			c, err := decodeCase(v)
			if err != nil {
				return fmt.Errorf("case %s: %w", k, err)
			}
			if err := write(c); err != nil {
				return err
			}
			n++
			return nil
		})
	})
	if cw != nil {
		cw.Flush()
		if err == nil {
			err = cw.Error()
		}
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}
