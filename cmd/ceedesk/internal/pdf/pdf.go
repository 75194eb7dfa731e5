// Package pdf prints a notice (a cases.Document) as a PDF on U.S. Letter paper. It lays out the same Document that
// Document.Text renders, so the paper and the plain text say the same things: the letterhead, the title and form,
// the fields, the body's headings, paragraphs, figures and tables, the signatures, and on every page the document's
// footer and page number.
//
// The PDF uses the standard Helvetica fonts, which every PDF reader has, with the Windows-1252 character set: a
// character outside it (most scripts other than Latin) prints as "?". Text is stripped of control characters
// (Document.Plain) before it is laid out. The same Document always gives the same bytes: the file's dates are the
// notice's date, not the time of printing.
package pdf

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"ceedesk/cases"
)

// Page geometry, in millimetres.
const (
	margin     = 25.0
	topMargin  = 20.0
	lineHeight = 5.0
	bodySize   = 10.0
)

// Write writes doc as a PDF to w. It fails only when w does, or when the document cannot be laid out.
func Write(w io.Writer, doc cases.Document) error {
	doc = doc.Plain()
	f := fpdf.New("P", "mm", "Letter", "")
	f.SetMargins(margin, topMargin, margin)
	f.SetAutoPageBreak(true, 20)
	f.SetCatalogSort(true)
	at := doc.Date.Time()
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetTitle(doc.Title, true)
	f.SetSubject(doc.Subject, true)
	if len(doc.From) > 0 {
		f.SetAuthor(strings.Join(doc.From, ", "), true)
	}
	f.SetCreator("ceedesk", true)
	f.AliasNbPages("{nb}")
	p := &page{f: f, tr: translator(f)}
	p.w, _ = f.GetPageSize()
	p.w -= 2 * margin
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont("Helvetica", "", 8)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(p.w*0.8, 4, p.tr(doc.Footer), "", 0, "L", false, 0, "")
		f.CellFormat(p.w*0.2, 4, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "R", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	p.document(doc)
	if err := f.Error(); err != nil {
		return fmt.Errorf("laying out the notice: %w", err)
	}
	return f.Output(w)
}

// page lays out one document on f.
type page struct {
	f  *fpdf.Fpdf
	tr func(string) string
	w  float64 // the width between the margins
}

func (p *page) document(doc cases.Document) {
	f := p.f
	for i, l := range doc.From {
		if i == 0 {
			f.SetFont("Helvetica", "B", 12)
		} else {
			f.SetFont("Helvetica", "", bodySize)
		}
		f.MultiCell(p.w, lineHeight+0.5, p.tr(l), "", "L", false)
	}
	f.Ln(6)
	f.SetFont("Helvetica", "B", 14)
	title := p.tr(strings.ToUpper(doc.Title))
	if doc.Form != "" {
		f.SetFont("Helvetica", "", bodySize)
		formW := f.GetStringWidth(p.tr(doc.Form)) + 2
		f.SetFont("Helvetica", "B", 14)
		y := f.GetY()
		f.MultiCell(p.w-formW, 7, title, "", "L", false)
		after := f.GetY()
		f.SetXY(margin+p.w-formW, y)
		f.SetFont("Helvetica", "", bodySize)
		f.CellFormat(formW, 7, p.tr(doc.Form), "", 0, "R", false, 0, "")
		f.SetXY(margin, after)
	} else {
		f.MultiCell(p.w, 7, title, "", "L", false)
	}
	p.rule(0.5)
	f.Ln(2)
	head := append([]cases.Field{{Label: "Date", Value: doc.Date.String()}}, doc.Fields...)
	head = append(head, cases.Field{Label: "Subject", Value: doc.Subject})
	p.fields(0, head)
	for _, b := range doc.Body {
		f.Ln(4)
		if b.Heading != "" {
			f.SetFont("Helvetica", "B", 11)
			f.MultiCell(p.w, 6, p.tr(strings.ToUpper(b.Heading)), "", "L", false)
			f.Ln(1)
		}
		f.SetFont("Helvetica", "", bodySize)
		for i, para := range b.Paragraphs {
			if i > 0 {
				f.Ln(2)
			}
			f.MultiCell(p.w, lineHeight, p.tr(strings.TrimRight(para, "\n")), "", "L", false)
		}
		if len(b.Fields) > 0 {
			if len(b.Paragraphs) > 0 {
				f.Ln(2)
			}
			p.fields(6, b.Fields)
		}
		if b.Table != nil {
			f.Ln(2)
			p.table(b.Table)
		}
	}
	if len(doc.Signed) > 0 {
		f.Ln(8)
		p.fields(0, doc.Signed)
	}
}

// rule draws a line across the page at the current position.
func (p *page) rule(width float64) {
	f := p.f
	f.SetLineWidth(width)
	y := f.GetY() + 1
	f.Line(margin, y, margin+p.w, y)
	f.SetY(y + 1)
	f.SetLineWidth(0.2)
}

// fields lays out labelled values: the labels in bold in a column, each value wrapped beside its label.
func (p *page) fields(indent float64, fs []cases.Field) {
	f := p.f
	f.SetFont("Helvetica", "B", bodySize)
	labelW := 0.0
	for _, fl := range fs {
		labelW = max(labelW, f.GetStringWidth(p.tr(fl.Label+":")))
	}
	labelW = min(labelW+4, p.w/2)
	for _, fl := range fs {
		f.SetX(margin + indent)
		f.SetFont("Helvetica", "B", bodySize)
		f.CellFormat(labelW, lineHeight, p.tr(fl.Label+":"), "", 0, "L", false, 0, "")
		f.SetFont("Helvetica", "", bodySize)
		f.MultiCell(p.w-indent-labelW, lineHeight, p.tr(fl.Value), "", "L", false)
	}
}

// table lays out a table with a ruled head; the widest text column gives way when the table is wider than the
// page, its texts cut to fit.
func (p *page) table(t *cases.Table) {
	f := p.f
	const pad = 3.0
	cols := len(t.Head)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return p.tr(r[i])
		}
		return ""
	}
	right := func(i int) bool { return i < len(t.Right) && t.Right[i] }
	ws := make([]float64, cols)
	f.SetFont("Helvetica", "B", 9)
	for i := range ws {
		ws[i] = f.GetStringWidth(cell(t.Head, i)) + pad
	}
	f.SetFont("Helvetica", "", 9)
	for _, r := range t.Rows {
		for i := range ws {
			ws[i] = max(ws[i], f.GetStringWidth(cell(r, i))+pad)
		}
	}
	total := 0.0
	for _, w := range ws {
		total += w
	}
	if over := total - p.w; over > 0 {
		widest := -1
		for i := range ws {
			if !right(i) && (widest < 0 || ws[i] > ws[widest]) {
				widest = i
			}
		}
		if widest >= 0 {
			ws[widest] = max(ws[widest]-over, 20)
		}
	}
	align := func(i int) string {
		if right(i) {
			return "R"
		}
		return "L"
	}
	f.SetFont("Helvetica", "B", 9)
	for i := 0; i < cols; i++ {
		f.CellFormat(ws[i], lineHeight+1, cell(t.Head, i), "B", 0, align(i), false, 0, "")
	}
	f.Ln(-1)
	f.SetFont("Helvetica", "", 9)
	for _, r := range t.Rows {
		for i := 0; i < cols; i++ {
			f.CellFormat(ws[i], lineHeight+1, p.fit(cell(r, i), ws[i]-pad), "", 0, align(i), false, 0, "")
		}
		f.Ln(-1)
	}
}

// fit cuts s (already translated) to w millimetres in the current font, ending it with an ellipsis.
func (p *page) fit(s string, w float64) string {
	if p.f.GetStringWidth(s) <= w+0.01 {
		return s
	}
	const ellipsis = "\x85" // … in Windows-1252
	b := []byte(s)
	for len(b) > 0 && p.f.GetStringWidth(string(b)+ellipsis) > w {
		b = b[:len(b)-1]
	}
	return string(b) + ellipsis
}

// translator turns UTF-8 text into the Windows-1252 bytes of the standard fonts; a character the set lacks
// becomes "?" (fpdf's own translation would print it as ".", which reads as punctuation).
func translator(f *fpdf.Fpdf) func(string) string {
	tr := f.UnicodeTranslatorFromDescriptor("")
	return func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r < 0x80:
				b.WriteRune(r)
			default:
				if c := tr(string(r)); c != "." {
					b.WriteString(c)
				} else {
					b.WriteByte('?')
				}
			}
		}
		return b.String()
	}
}
