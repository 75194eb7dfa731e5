package cases

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz targets check, for any input: no panic; a nil error means the canonical output parses to itself; an
// error is readable text that names what was parsed. Plain `go test` replays the f.Add seeds and the corpus in
// testdata/fuzz; `go test -fuzz=FuzzParseEntryNumber` explores further.

// readableError fails unless err is one line of valid, printable UTF-8 that starts with prefix.
func readableError(t *testing.T, err error, prefix string) {
	t.Helper()
	msg := err.Error()
	if msg == "" || !utf8.ValidString(msg) || !strings.HasPrefix(msg, prefix) {
		t.Fatalf("error %q: want readable text starting %q", msg, prefix)
	}
	for _, r := range msg {
		if isControlRune(r) {
			t.Fatalf("error %q holds a control character %U", msg, r)
		}
	}
	if len(msg) > 300 {
		t.Fatalf("error is %d bytes long: %q", len(msg), msg)
	}
}

// fuzzIdent checks the properties every identifier parser shares.
func fuzzIdent(t *testing.T, s string, parse func(string) (string, error), prefix string) string {
	out, err := parse(s)
	if err != nil {
		readableError(t, err, prefix)
		if out != "" {
			t.Fatalf("%q: an error with output %q", s, out)
		}
		return ""
	}
	again, err := parse(out)
	if err != nil || again != out {
		t.Fatalf("%q parsed to %q, which parses to %q, %v", s, out, again, err)
	}
	return out
}

func FuzzParseEntryNumber(f *testing.F) {
	for _, s := range []string{"B76-0324527-8", "ABC-1234567-6", "999-9999999-0", "316-0000001-9", "b7603245278", "",
		"B76-0324527", "B76-03245X7-8", "ÀBC-1234567-6", "---------0---", " ZZZ-0000000-0 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fuzzIdent(t, s, ParseEntryNumber, "entry number ")
		if out == "" {
			return
		}
		if len(out) != 13 || out[3] != '-' || out[11] != '-' || strings.ToUpper(out) != out {
			t.Fatalf("%q: canonical form %q is not XXX-NNNNNNN-N", s, out)
		}
		d, err := EntryCheckDigit(out[:3], out[4:11])
		if err != nil || int(out[12]-'0') != d {
			t.Fatalf("%q: accepted with check digit %c, computed %d, %v", s, out[12], d, err)
		}
	})
}

func FuzzParseImporterNumber(f *testing.F) {
	for _, s := range []string{"12-345678900", "12-3456789AB", "12-3456789O0", "123-45-6789", "000-12-3456", "262704-00123",
		"", "12-3456789a0", "1234567890A", "12-3456789é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fuzzIdent(t, s, ParseImporterNumber, "importer number ")
		if out != "" && strings.ContainsAny(out[len(out)-2:], "OIZ") && len(out) == 12 && out[2] == '-' {
			t.Fatalf("%q: EIN suffix with O, I or Z accepted: %q", s, out)
		}
	})
}

func FuzzParseHTS(f *testing.F) {
	for _, s := range []string{"8471.30.0100", "8471300100", "8471.30.01.00", "0071300100", "8471.30.010", "", "8471-30-0100",
		"８４７１３００１００"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fuzzIdent(t, s, ParseHTS, "HTS number ")
		if out == "" {
			return
		}
		if len(out) != 10 || !allDigits(out) {
			t.Fatalf("%q: canonical HTS %q is not 10 digits", s, out)
		}
		if back, err := ParseHTS(FormatHTS(out)); err != nil || back != out {
			t.Fatalf("%q: FormatHTS(%q) = %q parses to %q, %v", s, out, FormatHTS(out), back, err)
		}
	})
}

func FuzzParseProtestNumber(f *testing.F) {
	for _, s := range []string{"2704-26-100123", "270426100123", "0004-26-100123", "2704-26-10012X", "", "2704--26-10012"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := fuzzIdent(t, s, ParseProtestNumber, "protest number ")
		if out != "" && (len(out) != 14 || out[4] != '-' || out[7] != '-') {
			t.Fatalf("%q: canonical form %q is not PPPP-YY-NNNNNN", s, out)
		}
	})
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "acme", "kind:psc,pea status:open due:<7d", `importer:"acme corp" amount:>10000`,
		"due:overdue center:elec", "amount:1.234", `"unclosed`, "a\x1b[2J", "::::", "due:<-0d", "kind:,", "k:\"\"",
		"kind:protest OR kind:psc", "acme OR globex -status:decided", "NOT importer:acme", "(acme OR b76) -(kind:pea)",
		"due:<2026-12-31", "due:2026-12-01..2026-12-31 received:2026-11-01..", "received:..2026-10-31",
		"due:<2026-13-01", "assignee:none OR assignee:-", `assignee:"none"`, "((a)", "a))", "()", "- NOT", "OR OR",
		`"OR" "-x" "(y)"`, "importer:(usa)", "--a", "NOT NOT NOT a", "due:2026-02-29", "due:..", "due:2026-1-1.."} {
		f.Add(s)
	}
	today := d("2026-03-02")
	rows := []QueueRow{
		{ID: "2704-26-100123", Kind: KindProtest, Status: StatusInReview, Center: "ELEC", Assignee: "alice", Due: d("2026-03-01"), Received: d("2026-01-10"), Importer: "Société Acme", Entry: "B76-0324527-8", Revenue: 50_000_00},
		{ID: "PD-26-000004", Kind: KindDisclosure, Status: StatusNew, Center: "PHARMA", Due: d("2026-12-20"), Received: d("2026-11-01"), Importer: "Globex (USA) \u212Aelvin", Revenue: 2_000_00},
		{ID: "PEA-26-000002", Kind: KindPEA, Status: StatusDecided, Center: "ELEC", Assignee: "none", Due: d("2026-03-09"), Importer: "Harbor OR Inc", Entry: "999-9999999-0"},
		{},
	}
	f.Fuzz(func(t *testing.T, q string) {
		fl, err := ParseFilter(q)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "filter ") {
				t.Fatalf("ParseFilter(%q) error %q does not say it is about the filter", q, err)
			}
			readableErrorText(t, err)
			return
		}
		if fl.Query != q {
			t.Fatalf("Query = %q; want %q", fl.Query, q)
		}
		matched := make([]bool, len(rows))
		m := fl.Matcher(today)
		for i := range rows {
			matched[i] = m.Match(&rows[i])
			for _, s := range []string{rows[i].ID, rows[i].Importer, rows[i].Entry} {
				checkRanges(t, q, s, fl.Highlights(s))
			}
		}
		// Parsing is deterministic, and an empty filter matches every row.
		if again, err := ParseFilter(q); err != nil || !reflect.DeepEqual(again, fl) {
			t.Fatalf("ParseFilter(%q) is not deterministic", q)
		}
		if fl.Empty() {
			if !matched[0] {
				t.Fatalf("an empty filter %q refused a row", q)
			}
			return
		}
		// NOT ( q ) matches exactly the rows q does not; q OR q the rows q does.
		for _, form := range []struct {
			q      string
			negate bool
		}{{"NOT ( " + q + " )", true}, {q + " OR " + q, false}} {
			if len(form.q) > MaxFilter {
				continue
			}
			g, err := ParseFilter(form.q)
			if err != nil {
				t.Fatalf("%q parses but %q does not: %v", q, form.q, err)
			}
			for i := range rows {
				if g.Match(&rows[i], today) != (matched[i] != form.negate) {
					t.Fatalf("%q and %q disagree on row %d", q, form.q, i)
				}
			}
		}
	})
}

// checkRanges fails unless rs are ordered, apart, non-empty byte ranges of s on rune boundaries.
func checkRanges(t *testing.T, q, s string, rs [][2]int) {
	t.Helper()
	for i, r := range rs {
		if r[0] < 0 || r[1] > len(s) || r[0] >= r[1] || i > 0 && r[0] <= rs[i-1][1] ||
			!utf8.RuneStart(s[r[0]]) || r[1] < len(s) && !utf8.RuneStart(s[r[1]]) {
			t.Fatalf("ParseFilter(%q).Highlights(%q) = %v: range %d is out of order or not on rune boundaries", q, s, rs, i)
		}
	}
}

// The fast case-insensitive search agrees with lower-casing the text and searching it, and the ranges it reports
// hold text that lower-cases to the needle.
func FuzzContainsFold(f *testing.F) {
	for _, s := range [][2]string{{"Acme Corp", "corp"}, {"ÉLECTRONIQUE", "électronique"}, {"\u212Aelvin", "kelvin"},
		{"\u0130stanbul", "istanbul"}, {"Straße", "straße"}, {"a\xffb", "\xff"}, {"abc\u212A", "abck"}, {"", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, s, word string) {
		n := newNeedle(word)
		want := strings.Contains(strings.ToLower(s), n.s)
		if got := n.in(s); got != want {
			t.Fatalf("needle %q in %q = %v; strings.Contains(strings.ToLower) says %v", n.s, s, got, want)
		}
		if start, end, ok := n.index(s, 0); ok && strings.ToLower(s[start:end]) != n.s {
			t.Fatalf("needle %q in %q: found %q at %d:%d", n.s, s, s[start:end], start, end)
		}
	})
}

// readableErrorText is readableError for errors that quote the user's text with %q (filter terms).
func readableErrorText(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if msg == "" || !utf8.ValidString(msg) {
		t.Fatalf("error %q is not readable text", msg)
	}
	for _, r := range msg {
		if isControlRune(r) {
			t.Fatalf("error %q holds a control character %U", msg, r)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"ACME\x1b]0;owned\x07\x1b[2J", "plain", "\x1b[31mred\x1b[0m", "x\x1b]8;;u\x1b\\y", "\u009b31m",
		"a\u202eb", "Société\n\tÉ", "\x1b", "\x1b]0;t\x1b[2J", "\xff\xfe", "\x1bP\x1b\\", "\r\n\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Clean(s)
		if r, bad := controlIn(out); bad {
			t.Fatalf("Clean(%q) = %q holds %U", s, out, r)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("Clean(%q) = %q is not valid UTF-8", s, out)
		}
		if again := Clean(out); again != out {
			t.Fatalf("Clean is not idempotent: %q → %q → %q", s, out, again)
		}
		line := CleanLine(s)
		if strings.ContainsAny(line, "\n\t\r") {
			t.Fatalf("CleanLine(%q) = %q keeps a line break or tab", s, line)
		}
		if r, bad := controlIn(line); bad {
			t.Fatalf("CleanLine(%q) = %q holds %U", s, line, r)
		}
	})
}
