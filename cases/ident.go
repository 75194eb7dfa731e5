package cases

// Identifier parsing. Each parser returns the canonical form (as domain.md writes it) or an error that says
// exactly what is wrong, e.g. `entry number 316-0000001-9: check digit should be 7`.

// ParseEntryNumber validates an entry number XXX-NNNNNNN-N (dashes optional on input) including its check digit,
// and returns it in canonical upper-case dashed form.
func ParseEntryNumber(s string) (string, error) { panic("unimplemented") }

// EntryCheckDigit computes the check digit for a 3-character filer code and 7-digit serial.
func EntryCheckDigit(filer, serial string) (int, error) { panic("unimplemented") }

// ParseImporterNumber validates an EIN (NN-NNNNNNNXX), SSN (NNN-NN-NNNN) or CBP-assigned (YYDDPP-NNNNN) number.
func ParseImporterNumber(s string) (string, error) { panic("unimplemented") }

// ParseHTS validates a 10-digit HTSUS number given as 8471.30.0100 or 8471300100 and returns the 10 digits.
func ParseHTS(s string) (string, error) { panic("unimplemented") }

// FormatHTS shows 10 digits as 8471.30.0100.
func FormatHTS(digits string) string { panic("unimplemented") }

// ParsePort validates a 4-digit Schedule D port code.
func ParsePort(s string) (string, error) { panic("unimplemented") }

// PortName names a known port ("Los Angeles"), or "" when unknown.
func PortName(code string) string { panic("unimplemented") }

// ParseProtestNumber validates PPPP-YY-NNNNNN.
func ParseProtestNumber(s string) (string, error) { panic("unimplemented") }

// ParseEntryType validates a 2-digit entry type and returns it.
func ParseEntryType(s string) (string, error) { panic("unimplemented") }

// EntryTypeName names an entry type ("consumption"), or "" when unknown.
func EntryTypeName(t string) string { panic("unimplemented") }
