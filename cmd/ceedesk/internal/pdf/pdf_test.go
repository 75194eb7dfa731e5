package pdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
)

// deniedInPart is a protest denied in part, its notice mailed, with an importer name that is not plain ASCII.
func deniedInPart() *cases.Case {
	return &cases.Case{
		ID: "2704-26-100123", Kind: cases.KindProtest, Center: "ELEC", Version: 4, Status: cases.StatusDecided,
		Importer: cases.Importer{Number: "95-1234567A0", Name: "Société Acme Électronique 中"},
		Entry: cases.EntrySummary{Number: "B76-0324527-8", Type: "01", Port: "2704", EntryDate: cases.NewDate(2025, 1, 6),
			Liquidates: cases.NewDate(2025, 11, 17), Liquidated: cases.NewDate(2025, 11, 14), Lines: []cases.Line{
				{Number: 1, HTS: "8471300100", Description: "Portable computers", Origin: "CN", Value: 48_000_00},
				{Number: 2, HTS: "8517620090", Description: "Network switches, managed, Layer 3, rack-mounted, with the power supplies and the cables of the rack", Origin: "TW", Value: 125_000_00, RateBP: 250, Duty: 3_125_00},
			}},
		Protest: &cases.Protest{Number: "2704-26-100123", Filed: cases.NewDate(2026, 1, 5), Protested: cases.NewDate(2025, 11, 14),
			Grounds: []cases.Ground{cases.GroundClassification}, Claimed: 12_345_67, DenialMailed: cases.NewDate(2026, 2, 26)},
		Decision: &cases.Decision{Outcome: cases.OutcomeDeniedInPart, Amount: 3_125_00, Lines: []int{2}, By: "alice", On: cases.NewDate(2026, 2, 20),
			Reasons: "Line 2 is classified as claimed.\nLines 1 and 3 were entered free of duty (\\ no refund)."},
	}
}

func notice(t *testing.T, c *cases.Case) cases.Document {
	t.Helper()
	doc, err := cases.Notice(c, cases.DefaultPolicy(), cases.NewDate(2026, time.March, 2))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func write(t *testing.T, doc cases.Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// contents inflates every compressed stream of a PDF.
func contents(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(r)
			out.Write(b)
		}
		rest = rest[j+len("endstream"):]
	}
	return out.String()
}

func TestWrite(t *testing.T) {
	doc := notice(t, deniedInPart())
	pdf := write(t, doc)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	if !bytes.Contains(pdf, []byte("/Count 1")) {
		t.Errorf("want one page")
	}
	text := contents(t, pdf)
	for _, want := range []string{"(2704-26-100123)", "NOTICE OF DENIAL OF PROTEST IN PART", "Page 1 of 1", "Soci\xe9t\xe9 Acme \xc9lectronique ?", `\(\\ no refund\)`} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not draw %q", want)
		}
	}
	if again := write(t, doc); !bytes.Equal(pdf, again) {
		t.Error("the same notice gave two different files")
	}
}

// A long notice runs onto more pages, each with its footer.
func TestWriteManyPages(t *testing.T) {
	c := deniedInPart()
	c.Decision.Reasons = strings.Repeat("The classification of the switches follows from the General Rules of Interpretation. ", 120)
	pdf := write(t, notice(t, c))
	m := regexp.MustCompile(`/Count (\d+)`).FindSubmatch(pdf)
	if m == nil || string(m[1]) == "1" {
		t.Fatalf("want several pages, got %q", m)
	}
	if text := contents(t, pdf); !strings.Contains(text, "Page 2 of "+string(m[1])) {
		t.Error("no footer on page 2")
	}
}

// TestPDFTextMatchesTheDocument reads the PDF back with pdftotext (poppler-utils), where it is installed, and finds
// every text of the Document in it.
func TestPDFTextMatchesTheDocument(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not installed (apt-get install poppler-utils)")
	}
	c := deniedInPart()
	c.Importer.Name = "Acme Électronique"
	doc := notice(t, c)
	path := filepath.Join(t.TempDir(), "notice.pdf")
	if err := os.WriteFile(path, write(t, doc), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	got := flat(string(out))
	var want []string
	want = append(want, doc.From...)
	want = append(want, strings.ToUpper(doc.Title), doc.Subject, doc.Date.String(), doc.Footer)
	for _, f := range append(append([]cases.Field{}, doc.Fields...), doc.Signed...) {
		want = append(want, f.Label+":", f.Value)
	}
	for _, b := range doc.Body {
		want = append(want, strings.ToUpper(b.Heading))
		want = append(want, b.Paragraphs...)
		for _, f := range b.Fields {
			want = append(want, f.Label+":", f.Value)
		}
		if b.Table != nil {
			want = append(want, b.Table.Head...)
			for _, r := range b.Table.Rows {
				for _, cell := range r {
					if len(cell) < 40 { // the long description is cut to its column
						want = append(want, cell)
					}
				}
			}
		}
	}
	for _, w := range want {
		if !strings.Contains(got, flat(w)) {
			t.Errorf("pdftotext does not find %q in:\n%s", flat(w), out)
		}
	}
}
