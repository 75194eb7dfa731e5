package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"ceedesk/cases"
	"ceedesk/cmd/ceedesk/internal/pdf"
)

// cmdNotice prints the document the Center sends about a case (cases.Notice), as plain text or as a PDF. Whoever
// may see the case may print it: the store's read applies the access rule. Locally --out writes the file whole
// and never through a link; over SSH the notice goes to standard output, as export does.
func cmdNotice(ctx context.Context, env *Env, args []string) error {
	fs := newFlags("notice")
	format := fs.String("format", "", "text or pdf (default: from --out's extension, else text)")
	out := fs.String("out", "", "file to write (default: standard output)")
	which := fs.String("which", "", "decision, cf28, cf29, cf28:N or cf29:N (default: the case's latest notice)")
	pos, err := flags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("one CASE is needed")
	}
	f := strings.ToLower(*format)
	if f == "" {
		f = "text"
		if strings.HasSuffix(strings.ToLower(*out), ".pdf") {
			f = "pdf"
		}
	}
	if f != "text" && f != "pdf" {
		return usagef("--format %q: want text or pdf", *format)
	}
	var kind cases.NoticeKind
	var n int
	if *which != "" {
		if kind, n, err = cases.ParsePaper(*which); err != nil {
			return usagef("--which: %s", strings.TrimPrefix(err.Error(), cases.ErrInvalid.Error()+": "))
		}
	}
	toStdout := env.Remote() || *out == "" || *out == "-"
	if f == "pdf" && toStdout && isTerminal(env.Stdout) {
		return usagef("a PDF is not for the terminal: write it with --out FILE.pdf or redirect standard output")
	}
	c, err := env.Store.Case(who(env), pos[0])
	if err != nil {
		return err
	}
	var doc cases.Document
	if kind == "" {
		doc, err = cases.Notice(c, env.Store.Policy(), env.Today)
	} else {
		doc, err = cases.NoticeOf(c, kind, n, env.Store.Policy(), env.Today)
	}
	if err != nil {
		return err
	}
	err = create(env, *out, func(w io.Writer) error {
		if f == "pdf" {
			return pdf.Write(w, doc)
		}
		_, err := io.WriteString(w, doc.Text())
		return err
	})
	if err != nil {
		return err
	}
	if !toStdout {
		fmt.Fprintf(env.Stdout, "%s (%s, %s) of case %s written to %s\n", doc.Title, doc.Paper, doc.Date, cases.CleanLine(c.ID), *out)
	}
	return nil
}

// isTerminal reports whether w is a terminal of this process.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
