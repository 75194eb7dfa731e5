package cases

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Identifier parsing. Each parser returns the canonical form (as domain.md writes it) or an error that says
// exactly what is wrong, naming the kind of identifier and quoting the input, e.g.
// `entry number "316-0000001-9": check digit should be 7`. Surrounding spaces are ignored and letters may be in
// either case; the canonical form is upper case. A nil error guarantees the canonical form parses to itself.

// identError is the error of every identifier parser: `<what> "<input>": <rule>`.
func identError(what, input, format string, a ...any) error {
	return fmt.Errorf("%s %s: %s", what, quoteInput(input), fmt.Sprintf(format, a...))
}

// quoteInput quotes s for an error message, cutting long input (over 48 bytes, or over 64 characters once quoted)
// so one bad row cannot flood a report.
func quoteInput(s string) string {
	const maxIn, maxOut = 48, 64
	q := strconv.Quote(s)
	if len(s) <= maxIn && len(q) <= maxOut {
		return q
	}
	cut := min(len(s), maxIn)
	for {
		for cut > 0 && cut < len(s) && !utf8.RuneStart(s[cut]) { // do not split a UTF-8 sequence
			cut--
		}
		if q = strconv.Quote(s[:cut]); len(q) <= maxOut || cut == 0 {
			return q + "…"
		}
		cut--
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// dashed checks that s has dashes exactly where the layout (e.g. "XXX-NNNNNNN-N") has them and returns s
// without them. With dashes anywhere else, or a different length, ok is false.
func dashed(s, layout string) (string, bool) { return separated(s, layout, '-') }

// separated is dashed for any separator.
func separated(s, layout string, sep byte) (string, bool) {
	if len(s) != len(layout) {
		return "", false
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if (layout[i] == sep) != (s[i] == sep) {
			return "", false
		}
		if s[i] != sep {
			b = append(b, s[i])
		}
	}
	return string(b), true
}

// --- entry number ---------------------------------------------------------------------------------------------

// checkValue maps a filer-code character to its check-digit value: digits are themselves, A–I→1–9, J–R→1–9,
// S–Z→2–9 (CATAIR Appendix E).
func checkValue(c byte) (int, bool) {
	switch {
	case isDigit(c):
		return int(c - '0'), true
	case 'A' <= c && c <= 'I':
		return int(c-'A') + 1, true
	case 'J' <= c && c <= 'R':
		return int(c-'J') + 1, true
	case 'S' <= c && c <= 'Z':
		return int(c-'S') + 2, true
	}
	return 0, false
}

// ParseEntryNumber validates an entry number XXX-NNNNNNN-N (dashes optional on input) including its check digit,
// and returns it in canonical upper-case dashed form.
func ParseEntryNumber(s string) (string, error) {
	const what = "entry number"
	v := strings.ToUpper(strings.TrimSpace(s))
	var raw string
	switch len(v) {
	case 13:
		r, ok := dashed(v, "XXX-NNNNNNN-N")
		if !ok {
			return "", identError(what, s, "want XXX-NNNNNNN-N (filer code, 7-digit serial, check digit)")
		}
		raw = r
	case 11:
		if strings.Contains(v, "-") {
			return "", identError(what, s, "want XXX-NNNNNNN-N (filer code, 7-digit serial, check digit)")
		}
		raw = v
	case 0:
		return "", identError(what, s, "empty")
	default:
		return "", identError(what, s, "want XXX-NNNNNNN-N (filer code, 7-digit serial, check digit), 11 characters without the dashes")
	}
	filer, serial, check := raw[:3], raw[3:10], raw[10]
	want, err := entryCheckDigit(filer, serial)
	if err != nil {
		return "", identError(what, s, "%s", err)
	}
	if !isDigit(check) {
		return "", identError(what, s, "check digit %q is not a digit (it should be %d)", check, want)
	}
	if int(check-'0') != want {
		return "", identError(what, s, "check digit should be %d", want)
	}
	return filer + "-" + serial + "-" + string(check), nil
}

// EntryCheckDigit computes the check digit for a 3-character filer code and 7-digit serial (19 CFR 142.3a;
// CATAIR Appendix E). Letters may be in either case.
func EntryCheckDigit(filer, serial string) (int, error) {
	d, err := entryCheckDigit(strings.ToUpper(filer), serial)
	if err != nil {
		return 0, fmt.Errorf("entry number %s: %v", quoteInput(filer+"-"+serial), err)
	}
	return d, nil
}

// entryCheckDigit needs an upper-case filer code.
func entryCheckDigit(filer, serial string) (int, error) {
	if len(filer) != 3 {
		return 0, fmt.Errorf("filer code %q must be 3 letters or digits", filer)
	}
	if len(serial) != 7 || !allDigits(serial) {
		return 0, fmt.Errorf("serial %q must be 7 digits", serial)
	}
	sum := 0
	for i := 0; i < 10; i++ {
		var c byte
		if i < 3 {
			c = filer[i]
		} else {
			c = serial[i-3]
		}
		v, ok := checkValue(c)
		if !ok {
			return 0, fmt.Errorf("filer code %q must be 3 letters or digits", filer)
		}
		if i%2 == 1 { // positions 2, 4, 6, 8, 10 counted from 1
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return (10 - sum%10) % 10, nil
}

// --- importer number -------------------------------------------------------------------------------------------

// ParseImporterNumber validates an EIN (NN-NNNNNNNXX), SSN (NNN-NN-NNNN) or CBP-assigned (YYDDPP-NNNNN) number.
// The dashes are required, because without them an EIN with a numeric suffix and a CBP-assigned number are
// both 11 digits. The EIN suffix is two letters or digits, never O, I or Z. An SSN must be one the Social
// Security Administration can issue: area not 000, 666 or 900–999, group not 00, serial not 0000.
func ParseImporterNumber(s string) (string, error) {
	const what = "importer number"
	v := strings.ToUpper(strings.TrimSpace(s))
	if v == "" {
		return "", identError(what, s, "empty")
	}
	const want = "want an EIN NN-NNNNNNNXX, an SSN NNN-NN-NNNN or a CBP-assigned number YYDDPP-NNNNN"
	switch {
	case len(v) == 12 && v[2] == '-': // EIN
		if !allDigits(v[:2]) || !allDigits(v[3:10]) {
			return "", identError(what, s, "an EIN is NN-NNNNNNN followed by a 2-character suffix (e.g. 12-3456789A0)")
		}
		for _, c := range []byte(v[10:]) {
			switch {
			case c == 'O' || c == 'I' || c == 'Z':
				return "", identError(what, s, "the EIN suffix %q uses %q; the suffix is never O, I or Z", v[10:], c)
			case !isDigit(c) && !isUpper(c):
				return "", identError(what, s, "the EIN suffix %q must be 2 letters or digits", v[10:])
			}
		}
		return v, nil
	case len(v) == 11 && v[3] == '-': // SSN
		raw, ok := dashed(v, "NNN-NN-NNNN")
		if !ok || !allDigits(raw) {
			return "", identError(what, s, "an SSN is NNN-NN-NNNN, all digits")
		}
		area, group, serial := v[:3], v[4:6], v[7:]
		switch {
		case area == "000" || area == "666" || area[0] == '9':
			return "", identError(what, s, "SSN area %s is never issued (000, 666 and 900–999 are not)", area)
		case group == "00":
			return "", identError(what, s, "SSN group 00 is never issued")
		case serial == "0000":
			return "", identError(what, s, "SSN serial 0000 is never issued")
		}
		return v, nil
	case len(v) == 12 && v[6] == '-': // CBP-assigned
		raw, ok := dashed(v, "NNNNNN-NNNNN")
		if !ok || !allDigits(raw) {
			return "", identError(what, s, "a CBP-assigned number is YYDDPP-NNNNN, all digits")
		}
		return v, nil
	}
	return "", identError(what, s, want)
}

// --- HTSUS -----------------------------------------------------------------------------------------------------

// ParseHTS validates a 10-digit HTSUS number given as 8471.30.0100, 8471.30.01.00 or 8471300100 and returns the
// 10 digits.
func ParseHTS(s string) (string, error) {
	const what = "HTS number"
	v := strings.TrimSpace(s)
	var raw string
	switch len(v) {
	case 10:
		raw = v
	case 12:
		r, ok := separated(v, "NNNN.NN.NNNN", '.')
		if !ok {
			return "", identError(what, s, "want 10 digits written NNNN.NN.NNNN")
		}
		raw = r
	case 13:
		r, ok := separated(v, "NNNN.NN.NN.NN", '.')
		if !ok {
			return "", identError(what, s, "want 10 digits written NNNN.NN.NNNN")
		}
		raw = r
	case 0:
		return "", identError(what, s, "empty")
	default:
		return "", identError(what, s, "want 10 digits written NNNN.NN.NNNN (8-digit rate line and 2 statistical digits)")
	}
	if !allDigits(raw) {
		return "", identError(what, s, "want 10 digits written NNNN.NN.NNNN")
	}
	if raw[:2] == "00" {
		return "", identError(what, s, "there is no HTSUS chapter 00")
	}
	return raw, nil
}

// FormatHTS shows 10 digits as 8471.30.0100 (and an 8-digit rate line as 8471.30.01). Anything else is returned
// unchanged, so a bad stored value is still visible.
func FormatHTS(digits string) string {
	if !allDigits(digits) {
		return digits
	}
	switch len(digits) {
	case 10:
		return digits[:4] + "." + digits[4:6] + "." + digits[6:]
	case 8:
		return digits[:4] + "." + digits[4:6] + "." + digits[6:]
	}
	return digits
}

// --- ports -----------------------------------------------------------------------------------------------------

// ports names the Schedule D ports ceedesk knows: the Los Angeles and New York areas in full, and the main port
// of every other Center's city.
var ports = map[string]string{
	// District 27, Los Angeles
	"2704": "Los Angeles",
	"2709": "Long Beach",
	"2711": "El Segundo",
	"2720": "Los Angeles Intl Airport",
	// District 10, New York, and 46/47, the New York/Newark area
	"1001": "New York",
	"1002": "Albany",
	"4601": "Newark/New York",
	"4602": "Perth Amboy",
	"4701": "JFK Airport",
	// Other Centers' cities
	"0901": "Buffalo",
	"1704": "Atlanta",
	"2809": "San Francisco",
	"3801": "Detroit",
	"3901": "Chicago",
	"5201": "Miami",
	"5301": "Houston",
}

// ParsePort validates a 4-digit Schedule D port code DDPP (district, port). Ports ceedesk does not name are
// accepted; district 00 is not.
func ParsePort(s string) (string, error) {
	const what = "port code"
	v := strings.TrimSpace(s)
	if v == "" {
		return "", identError(what, s, "empty")
	}
	if len(v) != 4 || !allDigits(v) {
		return "", identError(what, s, "want 4 digits (Schedule D district and port, e.g. 2704)")
	}
	if v[:2] == "00" {
		return "", identError(what, s, "there is no Schedule D district 00")
	}
	return v, nil
}

// PortName names a known port ("Los Angeles"), or "" when unknown.
func PortName(code string) string { return ports[strings.TrimSpace(code)] }

// --- protest number --------------------------------------------------------------------------------------------

// ParseProtestNumber validates PPPP-YY-NNNNNN (port, 2-digit year, 6-digit serial; dashes optional on input) and
// returns it dashed.
func ParseProtestNumber(s string) (string, error) {
	const what = "protest number"
	v := strings.TrimSpace(s)
	var raw string
	switch len(v) {
	case 14:
		r, ok := dashed(v, "PPPP-YY-NNNNNN")
		if !ok {
			return "", identError(what, s, "want PPPP-YY-NNNNNN (port, 2-digit year, 6-digit serial)")
		}
		raw = r
	case 12:
		raw = v
	case 0:
		return "", identError(what, s, "empty")
	default:
		return "", identError(what, s, "want PPPP-YY-NNNNNN (port, 2-digit year, 6-digit serial)")
	}
	if !allDigits(raw) {
		return "", identError(what, s, "want PPPP-YY-NNNNNN, all digits (port, 2-digit year, 6-digit serial)")
	}
	if raw[:2] == "00" {
		return "", identError(what, s, "port %s: there is no Schedule D district 00", raw[:4])
	}
	return raw[:4] + "-" + raw[4:6] + "-" + raw[6:], nil
}

// --- entry type ------------------------------------------------------------------------------------------------

var entryTypes = map[string]string{
	"01": "consumption",
	"02": "quota",
	"03": "AD/CVD",
	"06": "FTZ consumption",
	"11": "informal",
	"21": "warehouse",
	"23": "TIB",
	"31": "warehouse withdrawal for consumption",
	"32": "warehouse withdrawal, quota",
	"33": "warehouse withdrawal",
	"34": "warehouse withdrawal, AD/CVD",
	"35": "warehouse withdrawal",
	"36": "warehouse withdrawal",
	"37": "warehouse withdrawal",
	"38": "warehouse withdrawal, quota and AD/CVD",
}

// ParseEntryType validates a 2-digit entry type and returns it. Only the types of domain.md are accepted:
// 01, 02, 03, 06, 11, 21, 23 and 31–38.
func ParseEntryType(s string) (string, error) {
	const what = "entry type"
	v := strings.TrimSpace(s)
	if v == "" {
		return "", identError(what, s, "empty")
	}
	if len(v) != 2 || !allDigits(v) {
		return "", identError(what, s, "want 2 digits, e.g. 01")
	}
	if _, ok := entryTypes[v]; !ok {
		return "", identError(what, s, "unknown; want 01, 02, 03, 06, 11, 21, 23 or 31–38")
	}
	return v, nil
}

// EntryTypeName names an entry type ("consumption"), or "" when unknown.
func EntryTypeName(t string) string { return entryTypes[strings.TrimSpace(t)] }
