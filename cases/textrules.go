package cases

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The rules for text people write into the record: note text, the questions of requests for information, the
// reasons of decisions, the comments of approvals and returns, the reasons of reassignments. Each way in (the
// workstation, the command line, SSH, a desk file checked in, an import) applies these same functions, so what one
// accepts the others accept, and a text refused is refused everywhere with the same words.
//
// They accept every valid UTF-8 text but NUL: escape sequences, other controls and bidirectional marks are kept as
// written, since the record must say what was written. Clean takes them off before text reaches a terminal, and
// EscapeJSON before it leaves as JSON.

// TextError is a text refused by one of the text rules. Field names the text as its reader knows it ("the note"
// for an action, "notes[2].text" on import); Reason says what is wrong with it ("is 9000 characters; the limit is
// 8192"). It wraps ErrInvalid.
type TextError struct {
	Field  string
	Reason string
}

func (e *TextError) Error() string { return ErrInvalid.Error() + ": " + e.Field + " " + e.Reason }

func (e *TextError) Unwrap() error { return ErrInvalid }

// CheckText is the rule every text a person writes shares: valid UTF-8 (CheckUTF8), no NUL character, and at
// most max characters (not bytes).
func CheckText(field, s string, max int) error {
	if err := CheckUTF8(field, s); err != nil {
		return err
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return &TextError{field, fmt.Sprintf("holds a NUL character (byte %d); remove it", i)}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return &TextError{field, fmt.Sprintf("is %d characters; the limit is %d", n, max)}
	}
	return nil
}

// CheckNote is the rule for a note's text and a request's question: CheckText with the limit MaxNote, and not
// empty (blank is empty).
func CheckNote(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return &TextError{field, "is empty"}
	}
	return CheckText(field, s, MaxNote)
}

// CheckReason is the rule for a decision's reasons, an approval's or a return's comment and a reassignment's
// reason: CheckText with the limit MaxReasons. Whether one is required depends on the act, and the act says so.
func CheckReason(field, s string) error {
	return CheckText(field, s, MaxReasons)
}

// Limits on what one case holds of what people write. A case at every limit still exports as one import row
// (1 MiB, store.MaxImportRow) in either format, whatever its characters: JSON writes some characters (<, >, &,
// controls) as six bytes, so the notes and requests of a case take at most 6 × 96 KiB of its row, and the rest
// of the case (its reasons, its explanation, its lines) has about 450 KiB. store's TestACaseAtEveryTextLimit
// RoundTrips holds it to that.
const (
	MaxNotes        = 500      // notes on one case
	MaxNotesSize    = 64 << 10 // bytes of note text on one case, all notes together
	MaxRequests     = 100      // requests for information on one case
	MaxRequestsSize = 32 << 10 // bytes of questions on one case, all requests together
)

// caseTexts is one kind of text a case holds many of (notes, requests) and its limits.
type caseTexts struct {
	plural  string
	max     int
	maxSize int
}

var (
	notesLimit    = caseTexts{"notes", MaxNotes, MaxNotesSize}
	requestsLimit = caseTexts{"requests for information", MaxRequests, MaxRequestsSize}
)

// over reports whether a case holding n such texts of size bytes in all is over the count or the size limit;
// the actions and Validate both decide by it.
func (l caseTexts) over(n, size int) (count, bytes bool) {
	return n > l.max, size > l.maxSize
}

// room refuses one more text of add bytes on case id, which holds n of them of size bytes.
func (l caseTexts) room(id string, n, size, add int) error {
	count, bytes := l.over(n+1, size+add)
	switch {
	case count:
		return invalid("case %s has %d %s, the limit; it takes no more", id, n, l.plural)
	case bytes:
		return invalid("case %s holds %d bytes of %s; %d more would pass the limit of %d bytes (%d KiB) for one case", id, size, l.plural, add, l.maxSize, l.maxSize>>10)
	}
	return nil
}

// problem says how a case holding n such texts of size bytes is over the limits, or "".
func (l caseTexts) problem(n, size int) string {
	count, bytes := l.over(n, size)
	switch {
	case count:
		return fmt.Sprintf("%d %s; a case holds at most %d", n, l.plural, l.max)
	case bytes:
		return fmt.Sprintf("%d bytes of %s; a case holds at most %d bytes (%d KiB)", size, l.plural, l.maxSize, l.maxSize>>10)
	}
	return ""
}

func notesSize(ns []Note) int {
	n := 0
	for _, x := range ns {
		n += len(x.Text)
	}
	return n
}

func requestsSize(rs []InfoRequest) int {
	n := 0
	for _, x := range rs {
		n += len(x.Question)
	}
	return n
}
