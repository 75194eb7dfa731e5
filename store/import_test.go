package store

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// worked is a fixture whose cases have been through the workflow, so notes, requests, decisions, approvals and
// versions above 1 are all present.
func worked(t *testing.T, n int) (*Store, []*cases.Case) {
	s, cs := fixture(t, n)
	done := 0
	for _, c := range cs {
		if c.Center != "ELEC" || !c.Status.Open() || c.Assignee == "" || c.Status == cases.StatusPendingApproval {
			continue
		}
		switch done % 3 {
		case 0:
			if _, err := s.AddNote(c.Assignee, c.ID, 0, "called | the broker; \"urgent\"\nsecond line"); err != nil {
				t.Fatal(err)
			}
		case 1:
			if _, err := s.RequestInfo(c.Assignee, c.ID, 0, "send the invoice", today); err != nil {
				t.Fatal(err)
			}
		case 2:
			if c.Kind == cases.KindPSC {
				if _, err := s.Decide(c.Assignee, c.ID, 0, cases.Decision{Outcome: cases.OutcomeAccepted}, today); err != nil {
					t.Fatal(err)
				}
			}
		}
		done++
		if done == 30 {
			break
		}
	}
	return s, current(t, s, cs)
}

// freshWithUsers is an empty store with the synthetic users, whose clock is a day after the fixtures': import
// refuses times later than its now, and everything the fixtures record (their clock, the synthetic caseload's
// times of day) is earlier.
func freshWithUsers(t *testing.T) *Store {
	s := openTomorrow(t)
	for _, u := range synth.New(1, today).Users() {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestExportImportRoundTrip(t *testing.T) {
	src, cs := worked(t, 400)
	for _, format := range []string{"jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			var out bytes.Buffer
			n, err := src.Export(Operator, &out, format)
			if err != nil || n != len(cs) {
				t.Fatalf("Export = %d, %v; want %d cases", n, err, len(cs))
			}
			dst := freshWithUsers(t)
			m, err := dst.Import(bytes.NewReader(out.Bytes()), "cases."+format, Operator)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if m != n {
				t.Fatalf("imported %d of %d", m, n)
			}
			for _, c := range cs {
				got, err := dst.Case(Operator, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, c) {
					a, _ := json.Marshal(c)
					b, _ := json.Marshal(got)
					t.Fatalf("case %s differs after the round trip:\n was %s\n got %s", c.ID, a, b)
				}
			}
			var again bytes.Buffer
			dst.Export(Operator, &again, format)
			if !bytes.Equal(again.Bytes(), out.Bytes()) {
				t.Fatal("exporting the imported store gives a different file")
			}
			h, _ := dst.History(Operator, cs[0].ID)
			if len(h) != 1 || h[0].Action != "import" || h[0].Reason != "cases."+format {
				t.Fatalf("imported case history %+v", h)
			}
			mustCheck(t, dst)
		})
	}
}

func jsonLine(t *testing.T, c *cases.Case, edit func(m map[string]any)) string {
	b, _ := json.Marshal(c)
	if edit == nil {
		return string(b)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	edit(m)
	b, _ = json.Marshal(m)
	return string(b)
}

// storeBytes is what the store holds: the bbolt file's bytes, or on etcd every bucket's keys and values, so that
// a test sees whether anything at all was written.
func storeBytes(t *testing.T, s *Store) []byte {
	if onEtcd() {
		return storeDump(t, s)
	}
	b, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportIsAllOrNothingAndReportsEveryBadRow(t *testing.T) {
	s, _ := fixture(t, 10)
	g := synth.New(99, today)
	for i := 0; i < 100; i++ { // synthetic ids are serial: skip past the fixture's
		g.Next()
	}
	var fresh []*cases.Case
	for len(fresh) < 6 {
		c := g.Next()
		if c.Center == "ELEC" && c.Assignee != "" {
			fresh = append(fresh, c)
		}
	}
	existing, _ := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Limit: 1})
	inStore, _ := s.Case(Operator, existing.Rows[0].ID)
	inStore.Version, inStore.UpdatedBy = 0, ""
	lines := []string{
		jsonLine(t, fresh[0], nil), // 1 good
		jsonLine(t, fresh[1], func(m map[string]any) { m["colour"] = "red" }),                                     // 2 unknown field
		jsonLine(t, fresh[2], func(m map[string]any) { m["entry"].(map[string]any)["number"] = "316-0000001-9" }), // 3 check digit
		jsonLine(t, fresh[0], nil), // 4 duplicate of line 1
		jsonLine(t, inStore, nil),  // 5 already in the store
		jsonLine(t, fresh[3], func(m map[string]any) { m["assignee"] = "erin" }), // 6 another Center's reviewer
		`{"id": "X", "kind": `, // 7 broken JSON
		"",                     // 8 blank: skipped
		jsonLine(t, fresh[4], func(m map[string]any) { m["version"] = "two" }), // 9 wrong type
		jsonLine(t, fresh[5], nil), // 10 good
	}
	before, beforeAudit := storeBytes(t, s), 0
	beforeAudit, _ = s.VerifyAudit()
	_, err := s.Import(strings.NewReader(strings.Join(lines, "\n")+"\n"), "/tmp/cases.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("Import = %v, want an ImportError", err)
	}
	want := []struct {
		line  int
		field string
		text  string
	}{
		{2, "colour", "unknown field"},
		{3, "entry.number", "check digit should be 7"},
		{4, "id", "also on line 1"},
		{5, "id", "already in the store"},
		{6, "assignee", "erin is in the PHARMA Center"},
		{7, "", "not complete"},
		{9, "version", "whole number"},
	}
	if len(ie.Rows) != len(want) {
		t.Fatalf("got %d bad rows, want %d:\n%v", len(ie.Rows), len(want), err)
	}
	for i, w := range want {
		r := ie.Rows[i]
		if r.Line != w.line || r.Field != w.field || !strings.Contains(r.Reason, w.text) {
			t.Errorf("bad row %d = %+v, want line %d field %q reason containing %q", i, r, w.line, w.field, w.text)
		}
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "import cases.jsonl: 7 bad rows; nothing imported") || !strings.Contains(msg, `cases.jsonl line 3: entry.number: entry number "316-0000001-9": check digit should be 7`) {
		t.Fatalf("error text:\n%s", msg)
	}
	if after, _ := s.VerifyAudit(); after != beforeAudit {
		t.Fatal("a refused import wrote audit events")
	}
	if _, err := s.Case(Operator, fresh[0].ID); !errors.Is(err, cases.ErrNotFound) {
		t.Fatal("a good row of a refused import was written")
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store file")
	}

	// the same file without its bad rows goes in whole
	good := lines[0] + "\n\n" + lines[9] + "\n"
	n, err := s.Import(strings.NewReader(good), "cases.jsonl", Operator)
	if err != nil || n != 2 {
		t.Fatalf("Import of the good rows = %d, %v", n, err)
	}
	c, _ := s.Case(Operator, fresh[0].ID)
	if c.Version != 1 {
		t.Fatalf("imported case has version %d, want 1", c.Version)
	}
	mustCheck(t, s)
}

func TestImportCSVReportsCellsByColumn(t *testing.T) {
	s, _ := fixture(t, 5)
	g := synth.New(77, today)
	for i := 0; i < 100; i++ {
		g.Next()
	}
	var rows [][]string
	for len(rows) < 5 {
		c := g.Next()
		if c.Center != "ELEC" {
			continue
		}
		rec := make([]string, len(csvColumns))
		for i, col := range csvColumns {
			rec[i] = col.get(c)
		}
		rows = append(rows, rec)
	}
	col := func(name string) int {
		for i, c := range csvColumns {
			if c.name == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	rows[1][col("entry.entry_date")] = "2026-02-30"
	rows[2][col("entry.lines")] = "1|8471300100|Laptops|CN|100.00|0"
	rows[3][col("psc.duty_diff")] = "12.345"
	rows[3][col("kind")] = "psc"
	rows[4][col("importer.number")] = "not-a-number"
	var buf bytes.Buffer
	w := csvWriter(&buf)
	w.Write(csvHeader())
	for _, r := range rows {
		w.Write(r)
	}
	w.Flush()
	before := storeBytes(t, s)
	_, err := s.Import(&buf, "cases.csv", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("Import = %v", err)
	}
	want := map[int]string{3: "entry.entry_date", 4: "entry.lines", 5: "psc.duty_diff", 6: "importer.number"}
	got := map[int]string{}
	for _, r := range ie.Rows {
		if _, dup := got[r.Line]; !dup {
			got[r.Line] = r.Field
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("bad rows by line %v, want %v\n%v", got, want, err)
	}
	if !bytes.Equal(before, storeBytes(t, s)) {
		t.Fatal("a refused import changed the store file")
	}

	_, err = s.Import(strings.NewReader("id,colour\nX,red\n"), "bad.csv", Operator)
	if !errors.As(err, &ie) || ie.Rows[0].Field != "colour" || ie.Rows[0].Line != 1 {
		t.Fatalf("unknown column: %v", err)
	}
}

func TestImportLimits(t *testing.T) {
	s, _ := fixture(t, 1)
	huge := `{"id":"` + strings.Repeat("x", MaxImportRow) + `"}`
	_, err := s.Import(strings.NewReader("\n"+huge+"\n"), "big.jsonl", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Rows[0].Line != 2 || !strings.Contains(ie.Rows[0].Reason, "over 1 MiB") {
		t.Fatalf("row over the limit: %v", err)
	}
	old := maxImportFile
	maxImportFile = 1000
	defer func() { maxImportFile = old }()
	_, err = s.Import(strings.NewReader(strings.Repeat("\n", 1001)), "big.jsonl", Operator)
	if err == nil || !strings.Contains(err.Error(), "over 1000 bytes") {
		t.Fatalf("file over the limit: %v", err)
	}
	if _, err := s.Import(strings.NewReader(strings.Repeat("\n", 1000)), "ok.jsonl", Operator); err != nil {
		t.Fatalf("file of exactly the limit: %v", err)
	}
	if _, err := s.Import(strings.NewReader(""), "cases.xlsx", Operator); err == nil || !strings.Contains(err.Error(), ".jsonl or .csv") {
		t.Fatalf("unknown extension: %v", err)
	}
	if _, err := s.Import(strings.NewReader(""), "cases.jsonl", "alice"); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("reviewer import: %v", err)
	}
}

func TestCSVLinesEscaping(t *testing.T) {
	ls := []cases.Line{{Number: 1, HTS: "8471300100", Description: `a|b;c\d`, Origin: "CN", Value: 123456, RateBP: 250, Duty: 3086}, {Number: 3, HTS: "8473301180", Description: "", Origin: "TW", Value: 5, Duty: 0}}
	s := formatLines(ls)
	got, err := parseLines(s)
	if err != nil || !reflect.DeepEqual(got, ls) {
		t.Fatalf("%q parsed to %+v, %v", s, got, err)
	}
	if s != `1|8471300100|a\|b\;c\\d|CN|1234.56|250|30.86;3|8473301180||TW|0.05|0|0.00` {
		t.Fatalf("format %q", s)
	}
	if _, err := parseLines("1|2|3"); err == nil {
		t.Fatal("short line accepted")
	}

}

func csvWriter(b *bytes.Buffer) *csv.Writer { return csv.NewWriter(b) }

// The examples of docs/import-format.md (kept in testdata) import, and both formats give the same cases.
func TestDocumentedExamplesImport(t *testing.T) {
	var got [2][]*cases.Case
	for i, name := range []string{"testdata/example.jsonl", "testdata/example.csv"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		s := freshWithUsers(t)
		n, err := s.Import(f, name, Operator)
		if err != nil || n != 2 {
			t.Fatalf("%s: %d, %v", name, n, err)
		}
		for _, id := range []string{"2704-26-100002", "PSC-26-000011"} {
			c, err := s.Case(Operator, id)
			if err != nil {
				t.Fatal(err)
			}
			got[i] = append(got[i], c)
		}
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Fatal("the .jsonl and .csv examples give different cases")
	}
}

// docs/import-format.md lists the CSV columns an export writes, in order, and its example (testdata/example.csv)
// has that header.
func TestDocumentedCSVColumns(t *testing.T) {
	doc, err := os.ReadFile("../docs/import-format.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "The column names are the JSON field paths:\n\n```\n"
	i := bytes.Index(doc, []byte(intro))
	if i < 0 {
		t.Fatal("docs/import-format.md no longer lists the columns")
	}
	list, _, _ := strings.Cut(string(doc[i+len(intro):]), "```")
	var listed []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f != "" {
			listed = append(listed, f)
		}
	}
	if want := csvHeader(); !reflect.DeepEqual(listed, want) {
		t.Errorf("docs list the columns\n%v\nan export writes\n%v", listed, want)
	}
	f, err := os.Open("testdata/example.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil || !reflect.DeepEqual(header, csvHeader()) {
		t.Errorf("testdata/example.csv header %v, %v; want an export's", header, err)
	}
	if !bytes.Contains(doc, []byte(strings.Join(csvHeader(), ",")+"\n")) {
		t.Error("the CSV example of docs/import-format.md does not have an export's header")
	}
}

func TestDocumentedMinimalRowImports(t *testing.T) {
	s := freshWithUsers(t)
	f, err := os.Open("testdata/minimal.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := s.Import(f, "minimal.csv", Operator); err != nil || n != 1 {
		t.Fatalf("Import = %d, %v", n, err)
	}
	c, err := s.Case(Operator, "PEA-26-900001")
	if err != nil || c.Entry.Lines[0].HTS != "8528520000" || c.PEA.DutyDiff != 125000 || c.Version != 1 || c.UpdatedBy != Operator {
		t.Fatalf("imported %+v, %v", c, err)
	}
}

// Field and column names and values from the file reach the report escaped, never raw (found by FuzzImportJSONL
// and FuzzImportCSV: an unknown field named with an escape sequence was printed as is).
func TestImportErrorsEscapeWhatATerminalWouldActOn(t *testing.T) {
	s, _ := fixture(t, 1)
	for _, tc := range []struct{ file, content, want string }{
		{"e.jsonl", "{\"\\u001b]0;pwned\\u0007\":1}\n", `line 1: \x1b]0;pwned\a: unknown field`},
		{"e.csv", "id,\x1b[31mcolour\xff\nX,red\n", `line 1: \x1b[31mcolour\xff: unknown column`},
		{"e.csv", "id,\u202eloc\nX,1\n", `line 1: \u202eloc: unknown column`},
	} {
		_, err := s.Import(strings.NewReader(tc.content), tc.file, Operator)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%q: %v; want %q", tc.content, err, tc.want)
		}
		for _, r := range err.Error() {
			if r != '\n' && r != ' ' && !unicode.IsGraphic(r) {
				t.Fatalf("%q: the report holds %U", tc.content, r)
			}
		}
	}
	// a broken quote right after the header is a bad row, not a crash
	_, err := s.Import(strings.NewReader("id\n\""), "q.csv", Operator)
	var ie *ImportError
	if !errors.As(err, &ie) || ie.Rows[0].Line != 2 {
		t.Fatalf("broken quote: %v", err)
	}
}
