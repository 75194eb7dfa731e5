package store

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// The import fuzz targets feed arbitrary bytes to the reader and checker that Import runs before it writes
// anything, then to Import itself on one store per fuzz worker. For any input: no panic; every rejected row is a
// readable, printable error naming its line (and its field, when the problem is a field); a rejected file changes
// nothing in the store; an accepted file imports exactly the cases it holds, each of which survives the store's
// encodings unchanged. Plain `go test` replays the f.Add seeds and testdata/fuzz; `go test -fuzz=FuzzImportJSONL`
// explores further.

var fuzzUsers = func() map[string]cases.User {
	m := map[string]cases.User{}
	for _, u := range synth.New(1, today).Users() {
		m[u.Name] = u
	}
	return m
}()

// readableText fails unless s is one line of valid UTF-8 with nothing a terminal would act on.
func readableText(t *testing.T, what, s string, max int) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q is not valid UTF-8", what, s)
	}
	for _, r := range s {
		if r != ' ' && !unicode.IsGraphic(r) {
			t.Fatalf("%s %q holds %U, which is not printable", what, s, r)
		}
	}
	if len(s) > max {
		t.Fatalf("%s is %d bytes long: %q", what, len(s), s)
	}
}

// checkRowErrors fails unless every bad row names a line of the file and reads well.
func checkRowErrors(t *testing.T, data []byte, bad []RowError) {
	t.Helper()
	lines := bytes.Count(data, []byte("\n")) + 1
	for i, e := range bad {
		if e.Line < 1 || e.Line > lines {
			t.Fatalf("bad row %+v: line %d is not in the file of %d lines", e, e.Line, lines)
		}
		if i > 0 && e.Line < bad[i-1].Line {
			t.Fatalf("bad rows out of line order: %+v before %+v", bad[i-1], e)
		}
		if strings.TrimSpace(e.Reason) == "" {
			t.Fatalf("bad row %+v has no reason", e)
		}
		readableText(t, "field", e.Field, 64)
		readableText(t, "row error", e.Error(), 500)
	}
}

// jsonlCases counts the cases a .jsonl file holds: its lines that are not blank.
func jsonlCases(data []byte) int {
	n := 0
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) > 0 {
			n++
		}
	}
	return n
}

// csvCases counts the records after the header.
func csvCases(data []byte) int {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	n := -1
	for {
		if _, err := r.Read(); err != nil {
			break
		}
		n++
	}
	return max(n, 0)
}

// fuzzStore is one store per fuzz worker (each worker is a process), opened on first use.
type fuzzStore struct {
	dir  string
	once sync.Once
	s    *Store
	err  error
	ok   int
}

func (fs *fuzzStore) get(t *testing.T) *Store {
	fs.once.Do(func() {
		fs.s, fs.err = openTestEngine(t, filepath.Join(fs.dir, "fuzz.db"), Options{NoSync: true, Timeout: time.Second})
		if fs.err != nil {
			return
		}
		for _, u := range fuzzUsers {
			if fs.err = fs.s.AddUser(Operator, u); fs.err != nil {
				return
			}
		}
	})
	if fs.err != nil {
		t.Fatal(fs.err)
	}
	return fs.s
}

type storeMark struct{ cases, seq uint64 }

func mark(t *testing.T, s *Store) storeMark {
	var m storeMark
	if err := s.view(func(tx kvTx) error {
		m = storeMark{metaUint(tx, mCases), metaUint(tx, mAuditSeq)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func fuzzImport(t *testing.T, fs *fuzzStore, data []byte, name string, count func([]byte) int) {
	rows, bad, err := readImport(bytes.NewReader(data), name)
	accepted := false
	if err != nil {
		readableText(t, "file error", err.Error(), 500)
	} else {
		checkImport(rows, &bad, fuzzUsers, func(string) bool { return false }, time.Now())
		checkRowErrors(t, data, bad)
		if accepted = len(bad) == 0; accepted {
			if want := count(data); len(rows) != want {
				t.Fatalf("accepted %d cases from a file that holds %d", len(rows), want)
			}
			for _, p := range rows {
				if errs := cases.Validate(p.c); len(errs) > 0 {
					t.Fatalf("line %d: accepted, then invalid: %v", p.line, errs)
				}
				v, _ := encodeCase(p.c)
				c, err := decodeCase(v)
				if err != nil {
					t.Fatalf("line %d: stored case does not decode: %v", p.line, err)
				}
				if again, _ := encodeCase(c); !bytes.Equal(again, v) {
					t.Fatalf("line %d: case changes when stored and read back", p.line)
				}
				r := p.c.Row(cases.DefaultPolicy())
				var back cases.QueueRow
				if err := decodeRow(encodeRow(&r), &back); err != nil || back != r {
					t.Fatalf("line %d: queue row changes when stored and read back: %+v, %v", p.line, back, err)
				}
			}
		}
	}

	s := fs.get(t)
	before := mark(t, s)
	n, err := s.Import(bytes.NewReader(data), name, Operator)
	after := mark(t, s)
	if err != nil {
		readableText(t, "import error", strings.SplitN(err.Error(), "\n", 2)[0], 500)
		var ie *ImportError
		if errors.As(err, &ie) {
			checkRowErrors(t, data, ie.Rows)
			if accepted {
				for _, r := range ie.Rows {
					if r.Field != "id" || !strings.Contains(r.Reason, "already in the store") {
						t.Fatalf("the checker accepts the file, Import refuses it: %v", err)
					}
				}
			}
		} else if accepted {
			t.Fatalf("the checker accepts the file, Import refuses it: %v", err)
		}
		if n != 0 || after != before {
			t.Fatalf("a refused import changed the store: %d cases, %+v -> %+v", n, before, after)
		}
		return
	}
	if !accepted {
		t.Fatalf("Import took %d cases from a file the checker refuses (%v)", n, bad)
	}
	if want := count(data); n != want || after.cases != before.cases+uint64(n) || after.seq != before.seq+uint64(n) {
		t.Fatalf("Import = %d of %d cases; store %+v -> %+v", n, want, before, after)
	}
	if fs.ok++; n > 0 && fs.ok%32 == 1 {
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

func readSeed(f *testing.F, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// addLarge adds seeds of 100 KB and more when the corpus is only replayed (plain go test). While fuzzing they are
// left out: the engine mutates and minimises every interesting input, which for inputs this size takes minutes.
func addLarge(f *testing.F, seeds ...string) {
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		return
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
}

func FuzzImportJSONL(f *testing.F) {
	example := readSeed(f, "testdata/example.jsonl")
	first := string(bytes.SplitN(example, []byte("\n"), 2)[0])
	edit := func(old, new string) string { return strings.Replace(first, old, new, 1) }
	for _, s := range []string{
		string(example),
		"",
		"\n\n  \n",
		first, // no final newline
		strings.ReplaceAll(string(example), "\n", "\r\n"), // CRLF
		"\ufeff" + first, // byte order mark
		edit(`"kind":"protest"`, `"kind":"protest","colour":"red"`),             // unknown field
		edit(`"kind":"protest"`, `"kind":"protest","\u001b[31mred\u001b[0m":1`), // escape sequence in a field name
		edit(`"kind":"protest"`, "\"kind\":\"protest\",\"\x1b]0;pwned\x07\":1"), // raw OSC in a field name
		edit(`"E21-2115062-8"`, `"316-0000001-9"`),                              // check digit
		edit(`"version":2`, `"version":"two"`),                                  // wrong type
		edit(`"version":2`, `"version":-1`),
		edit(`"version":2`, `"version":1e400`),
		edit(`"assignee":"alice"`, `"assignee":"erin"`), // another Center's reviewer
		edit(`"assignee":"alice"`, `"assignee":"nobody"`),
		edit(`"received":"2026-04-11"`, `"received":"2026-02-30"`),
		edit(`"claimed":3778818`, `"claimed":37788.18`),
		edit(`Evergreen Semiconductor LLC`, "Evergreen\x00Semi\x1b[2Jconductor"),
		edit(`Evergreen Semiconductor LLC`, "Evergreen \xff\xfe Semiconductor"), // invalid UTF-8
		edit(`Evergreen Semiconductor LLC`, `Evergreen \u202e Semiconductor`),
		first + "\n" + first,   // duplicate id
		first + " " + first,    // two values on a line
		`{"id": "X", "kind": `, // broken JSON
		`null`, `[]`, `"case"`, `{}`, `{"id":null}`,
		strings.Repeat("[", 1000) + strings.Repeat("]", 1000),
		"\x00\x00\x00\n" + first,
	} {
		f.Add([]byte(s))
	}
	addLarge(f,
		edit(`Evergreen Semiconductor LLC`, strings.Repeat("E", 100000)), // huge field
		strings.Repeat("[", 100000)+strings.Repeat("]", 100000),
		`{"id":"`+strings.Repeat("x", MaxImportRow)+`"}`, // over the row limit
	)
	fs := &fuzzStore{dir: f.TempDir()}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, fs, data, "fuzz.jsonl", jsonlCases)
	})
}

func FuzzImportCSV(f *testing.F) {
	example := readSeed(f, "testdata/example.csv")
	minimal := string(readSeed(f, "testdata/minimal.csv"))
	header, row, _ := strings.Cut(minimal, "\n")
	row = strings.TrimSuffix(row, "\n")
	edit := func(old, new string) string { return header + "\n" + strings.Replace(row, old, new, 1) + "\n" }
	for _, s := range []string{
		string(example),
		minimal,
		"",
		header + "\n",
		strings.ReplaceAll(minimal, "\n", "\r\n"),
		"\ufeff" + minimal,
		"id,colour\nX,red\n",             // unknown column
		"id,id\nX,Y\n",                   // column given twice
		"id,\x1b[31mcolour\nX,red\n",     // escape sequence in a column name
		"id,\xff\xfe\nX,red\n",           // invalid UTF-8 in a column name
		edit("2026-05-04", "2026-02-30"), // bad date
		edit("1250.00", "12.345"),        // bad money
		edit("1|8528.52.0000|Monitors|MY|1161432.00|0|0.00", "1|8528.52.0000|Monitors|MY"), // short entry line
		edit("1|8528.52.0000|Monitors|MY|1161432.00|0|0.00", `1|8528.52.0000|Mon\|it\;ors\\|MY|1161432.00|0|0.00`),
		edit("E21-2115062-8", "316-0000001-9"),
		edit("Evergreen Semiconductor LLC", "Ever\x00green"),
		edit("Evergreen Semiconductor LLC", "Ever\x1b]0;pwned\x07green"),
		edit("Evergreen Semiconductor LLC", "Ever\xffgreen"),
		edit("Evergreen Semiconductor LLC", `"Evergreen ""Semi"" LLC"`),
		edit("Evergreen Semiconductor LLC", `Ever"green`), // bare quote
		edit("Evergreen Semiconductor LLC", `"Evergreen`), // unterminated quote
		edit(",pea,", ",pea,extra,"),                      // field count
		edit(",pea,", ",protest,"),                        // another kind's part
		header + ",notes\n" + row + `,"[{""author"":""x"",""colour"":1}]"` + "\n",
		header + ",decision\n" + row + `,"{""outcome"":7}"` + "\n",
		header + ",version\n" + row + ",-3\n",
		header + "\n" + row + "\n" + row + "\n", // duplicate id
	} {
		f.Add([]byte(s))
	}
	addLarge(f,
		edit("Evergreen Semiconductor LLC", strings.Repeat("E", 100000)),                    // huge field
		header+"\n"+strings.Replace(row, "Adds", strings.Repeat("x", MaxImportRow), 1)+"\n", // over the row limit
	)
	fs := &fuzzStore{dir: f.TempDir()}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzImport(t, fs, data, "fuzz.csv", csvCases)
	})
}
