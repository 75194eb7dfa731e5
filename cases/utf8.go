package cases

import (
	"fmt"
	"unicode/utf8"
)

// CheckUTF8 refuses text that is not valid UTF-8, naming the field and the byte offset of the first bad byte.
// Every text that enters the record (arguments, SSH, the workstation, paste, import) passes it, so what is
// stored, hashed into the audit chain and shown again is exactly what was accepted. The error is a *TextError.
func CheckUTF8(field, s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return &TextError{field, fmt.Sprintf("is not valid UTF-8: byte %d (0x%02x) does not start a character; send the text as UTF-8", i, s[i])}
		}
		i += n
	}
	return nil
}
