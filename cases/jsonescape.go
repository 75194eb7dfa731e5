package cases

import (
	"io"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// EscapeJSON returns the JSON text b (an encoder's output) with every character that a terminal acts on, or that
// reorders or hides what it shows, written as a \uXXXX escape: DEL and the C1 controls (U+007F–U+009F), the line
// and paragraph separators (U+2028, U+2029) and every format character (Unicode Cf: the bidirectional marks,
// embeddings, overrides and isolates U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069, the zero-width
// characters, U+FEFF, tags), those past U+FFFF as surrogate pairs. So a JSON stream shown on a terminal cannot
// move the cursor or reverse a line, and it decodes to exactly the same strings.
//
// Only characters past ASCII are changed, and in JSON they occur only inside strings, where an escape means the
// same character; an encoder already escapes the C0 controls. Bytes that are not UTF-8 pass unchanged. When there
// is nothing to escape b itself is returned.
func EscapeJSON(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x7f {
		i++
	}
	if i == len(b) {
		return b
	}
	var out []byte
	last := 0 // b[last:i] is still to be copied
	for i < len(b) {
		if b[i] < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if !escapeInJSON(r) || (r == utf8.RuneError && n <= 1) {
			i += n
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+16)
		}
		out = append(out, b[last:i]...)
		if r > 0xffff {
			r1, r2 := utf16.EncodeRune(r)
			out = appendU(appendU(out, r1), r2)
		} else {
			out = appendU(out, r)
		}
		i += n
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// escapeInJSON reports whether EscapeJSON writes r as an escape.
func escapeInJSON(r rune) bool {
	return r >= 0x7f && (r <= 0x9f || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r))
}

func appendU(b []byte, r rune) []byte {
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
}

// JSONEscaper returns a writer that passes each write on to w through EscapeJSON. Each write must hold whole
// characters, as each write of a json.Encoder (one whole value) does.
func JSONEscaper(w io.Writer) io.Writer { return jsonEscaper{w} }

type jsonEscaper struct{ w io.Writer }

func (e jsonEscaper) Write(p []byte) (int, error) {
	if _, err := e.w.Write(EscapeJSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
