package server

import (
	"fmt"
	"unicode/utf8"

	"ceedesk/cases"
)

// maxLogText bounds a field of a log line that a client chose (the name it claims, its command's arguments, its
// terminal's name, an error that quotes it): the log is read by people and tools, and a client must not fill it.
const maxLogText = 256

// logText is s fit for the log: control and escape sequences stripped (cases.CleanLine), then cut to
// maxLogText bytes at a character boundary, marked with how much was cut.
func logText(s string) string {
	s = cases.CleanLine(s)
	if len(s) <= maxLogText {
		return s
	}
	cut := maxLogText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…[%d more bytes]", s[:cut], len(s)-cut)
}
