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
