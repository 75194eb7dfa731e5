package cases

import (
	"strings"
	"unicode"
)

// Clean makes text from outside (importer names, notes, descriptions) safe to put on a terminal: escape
// sequences (CSI, OSC, DCS and the like) are removed whole, and every other control character except newline and
// tab becomes a space. Printable text, including non-ASCII letters, is kept.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d || r == 0x90 || r == 0x9e || r == 0x9f || r == 0x98:
			i = skipEscape(rs, i)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= 0x200e && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CleanLine is Clean for a one-line field: newlines and tabs become spaces too.
func CleanLine(s string) string {
	s = Clean(s)
	if strings.ContainsAny(s, "\n\t\r") {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\t' || r == '\r' {
				return ' '
			}
			return r
		}, s)
	}
	return s
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 {
			return false
		}
	}
	return true
}

// skipEscape returns the index of the last rune of the escape sequence starting at i.
func skipEscape(rs []rune, i int) int {
	r := rs[i]
	var kind rune // '[' CSI, ']' OSC, 'P' DCS, '_' APC, '^' PM, 'X' SOS
	switch r {
	case 0x9b:
		kind = '['
	case 0x9d:
		kind = ']'
	case 0x90:
		kind = 'P'
	case 0x9f:
		kind = '_'
	case 0x9e:
		kind = '^'
	case 0x98:
		kind = 'X'
	default: // ESC
		if i+1 >= len(rs) {
			return i
		}
		i++
		kind = rs[i]
		switch kind {
		case '[', ']', 'P', '_', '^', 'X':
		default:
			// two-character escape (ESC c, ESC 7, ...) or ESC with intermediates (ESC ( B)
			for kind >= 0x20 && kind <= 0x2f && i+1 < len(rs) {
				i++
				kind = rs[i]
			}
			return i
		}
	}
	if kind == '[' {
		for i+1 < len(rs) {
			i++
			if rs[i] >= 0x40 && rs[i] <= 0x7e {
				return i
			}
		}
		return i
	}
	// string sequences end at BEL, ST (ESC \) or the C1 ST
	for i+1 < len(rs) {
		i++
		switch rs[i] {
		case 0x07, 0x9c:
			return i
		case 0x1b:
			if i+1 < len(rs) && rs[i+1] == '\\' {
				return i + 1
			}
			return i - 1 // this ESC ends the string and starts the next sequence, which goes too
		}
	}
	return i
}
