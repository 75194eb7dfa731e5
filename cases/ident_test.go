package cases

import (
	"strings"
	"testing"
)

func TestParseEntryNumber(t *testing.T) {
	valid := []struct{ in, want string }{
		{"B76-0324527-8", "B76-0324527-8"},
		{"ABC-1234567-6", "ABC-1234567-6"},
		{"999-9999999-0", "999-9999999-0"},
		{"316-0000001-7", "316-0000001-7"},
		{"b76-0324527-8", "B76-0324527-8"},
		{"B7603245278", "B76-0324527-8"},
		{"  abc12345676 ", "ABC-1234567-6"},
	}
	for _, tc := range valid {
		got, err := ParseEntryNumber(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseEntryNumber(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	invalid := []struct{ in, want string }{
		{"316-0000001-9", `entry number "316-0000001-9": check digit should be 7`},
		{"B76-0324527-9", `entry number "B76-0324527-9": check digit should be 8`},
		{"", `entry number "": empty`},
		{"B76-0324527", `entry number "B76-0324527": want XXX-NNNNNNN-N`},
		{"B760-324527-8", `entry number "B760-324527-8": want XXX-NNNNNNN-N`},
		{"B76-03245X7-8", `entry number "B76-03245X7-8": serial "03245X7" must be 7 digits`},
		{"B*6-0324527-8", `entry number "B*6-0324527-8": filer code "B*6" must be 3 letters or digits`},
		{"B76-0324527-X", `entry number "B76-0324527-X": check digit 'X' is not a digit (it should be 8)`},
		{"B76+0324527+8", `entry number "B76+0324527+8": want XXX-NNNNNNN-N`},
		{"B76-0324527-88", `entry number "B76-0324527-88": want XXX-NNNNNNN-N`},
		{"B7-60324527-8", `entry number "B7-60324527-8": want XXX-NNNNNNN-N`},
	}
	for _, tc := range invalid {
		_, err := ParseEntryNumber(tc.in)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseEntryNumber(%q) error = %v; want it to start %q", tc.in, err, tc.want)
		}
	}
}

func TestEntryCheckDigitLetterValues(t *testing.T) {
	// A–I, J–R and S–Z each map onto a run of digits (S starts at 2, not 1); a letter in the first position
	// counts its value once, in the second doubled.
	cases := []struct {
		filer, serial string
		want          int
	}{
		{"B76", "0324527", 8},
		{"ABC", "1234567", 6},
		{"999", "9999999", 0},
		{"316", "0000001", 7},
		{"A00", "0000000", 9}, // A=1 → sum 1
		{"J00", "0000000", 9}, // J=1
		{"I00", "0000000", 1}, // I=9
		{"R00", "0000000", 1}, // R=9
		{"S00", "0000000", 8}, // S=2
		{"Z00", "0000000", 1}, // Z=9
		{"0S0", "0000000", 6}, // S=2 doubled = 4
		{"0Z0", "0000000", 1}, // Z=9 doubled = 18 - 9 = 9
		{"0E0", "0000000", 9}, // E=5 doubled = 10 - 9 = 1
		{"abc", "1234567", 6}, // either case
		{"000", "0000000", 0},
	}
	for _, tc := range cases {
		got, err := EntryCheckDigit(tc.filer, tc.serial)
		if err != nil || got != tc.want {
			t.Errorf("EntryCheckDigit(%q, %q) = %d, %v; want %d", tc.filer, tc.serial, got, err, tc.want)
		}
	}
	for _, bad := range [][2]string{{"AB", "1234567"}, {"AB!", "1234567"}, {"ABC", "123456"}, {"ABC", "12345678"}, {"ABC", "12345a7"}} {
		if _, err := EntryCheckDigit(bad[0], bad[1]); err == nil || !strings.HasPrefix(err.Error(), "entry number ") {
			t.Errorf("EntryCheckDigit(%q, %q) error = %v; want an entry number error", bad[0], bad[1], err)
		}
	}
}

// Every serial with its computed check digit parses; every other check digit is refused.
func TestEntryCheckDigitRoundTrip(t *testing.T) {
	for _, filer := range []string{"B76", "ZZ9", "1A2", "SJR"} {
		for n := 0; n < 2000; n += 37 {
			serial := strings.Repeat("0", 7-len(itoa(n))) + itoa(n)
			d, err := EntryCheckDigit(filer, serial)
			if err != nil {
				t.Fatal(err)
			}
			for c := 0; c < 10; c++ {
				num := filer + "-" + serial + "-" + itoa(c)
				_, err := ParseEntryNumber(num)
				if (err == nil) != (c == d) {
					t.Fatalf("ParseEntryNumber(%q) = %v with check digit %d", num, err, d)
				}
			}
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestParseImporterNumber(t *testing.T) {
	valid := []struct{ in, want string }{
		{"12-345678900", "12-345678900"},
		{"12-3456789a0", "12-3456789A0"},
		{"95-1234567BX", "95-1234567BX"},
		{"123-45-6789", "123-45-6789"},
		{"665-01-0001", "665-01-0001"},
		{"262704-00123", "262704-00123"},
		{" 12-345678900 ", "12-345678900"},
	}
	for _, tc := range valid {
		got, err := ParseImporterNumber(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseImporterNumber(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	invalid := []struct{ in, want string }{
		{"", `importer number "": empty`},
		{"12-3456789O0", `importer number "12-3456789O0": the EIN suffix "O0" uses 'O'; the suffix is never O, I or Z`},
		{"12-3456789AI", `the suffix is never O, I or Z`},
		{"12-3456789ZZ", `the suffix is never O, I or Z`},
		{"12-3456789A-", `EIN suffix "A-" must be 2 letters or digits`},
		{"12-34567X900", `an EIN is NN-NNNNNNN followed by a 2-character suffix`},
		{"1234567890A", `want an EIN NN-NNNNNNNXX, an SSN NNN-NN-NNNN or a CBP-assigned number YYDDPP-NNNNN`},
		{"123456789", `want an EIN`},
		{"000-12-3456", `SSN area 000 is never issued`},
		{"666-12-3456", `SSN area 666 is never issued`},
		{"912-12-3456", `SSN area 912 is never issued`},
		{"123-00-4567", `SSN group 00 is never issued`},
		{"123-45-0000", `SSN serial 0000 is never issued`},
		{"123-4A-6789", `an SSN is NNN-NN-NNNN, all digits`},
		{"2627A4-00123", `a CBP-assigned number is YYDDPP-NNNNN, all digits`},
	}
	for _, tc := range invalid {
		_, err := ParseImporterNumber(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "importer number ") {
			t.Errorf("ParseImporterNumber(%q) error = %v; want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestParseHTS(t *testing.T) {
	valid := []struct{ in, want string }{
		{"8471.30.0100", "8471300100"},
		{"8471300100", "8471300100"},
		{"8471.30.01.00", "8471300100"},
		{" 0101.21.0010 ", "0101210010"},
	}
	for _, tc := range valid {
		got, err := ParseHTS(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseHTS(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
		if f := FormatHTS(got); f != FormatHTS(tc.want) {
			t.Errorf("FormatHTS(%q) = %q", got, f)
		}
	}
	invalid := []struct{ in, want string }{
		{"", `HTS number "": empty`},
		{"8471.30.010", `HTS number "8471.30.010": want 10 digits`},
		{"84713001", `HTS number "84713001": want 10 digits`},
		{"8471-30-0100", `want 10 digits written NNNN.NN.NNNN`},
		{"847.130.0100", `want 10 digits written NNNN.NN.NNNN`},
		{"8471.3O.0100", `want 10 digits written NNNN.NN.NNNN`},
		{"0071300100", `there is no HTSUS chapter 00`},
	}
	for _, tc := range invalid {
		_, err := ParseHTS(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "HTS number ") {
			t.Errorf("ParseHTS(%q) error = %v; want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestFormatHTS(t *testing.T) {
	for in, want := range map[string]string{
		"8471300100": "8471.30.0100",
		"84713001":   "8471.30.01",
		"847130":     "847130",
		"84713001x0": "84713001x0",
		"":           "",
	} {
		if got := FormatHTS(in); got != want {
			t.Errorf("FormatHTS(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestParsePortAndName(t *testing.T) {
	for code, name := range map[string]string{
		"2704": "Los Angeles", "2709": "Long Beach", "2720": "Los Angeles Intl Airport", "4701": "JFK Airport",
		"1001": "New York", "4601": "Newark/New York",
	} {
		got, err := ParsePort(code)
		if err != nil || got != code {
			t.Errorf("ParsePort(%q) = %q, %v", code, got, err)
		}
		if PortName(code) != name {
			t.Errorf("PortName(%q) = %q; want %q", code, PortName(code), name)
		}
	}
	if got, err := ParsePort(" 3004 "); err != nil || got != "3004" {
		t.Errorf("an unnamed 4-digit port is valid: %q, %v", got, err)
	}
	if PortName("3004") != "" {
		t.Errorf("PortName of an unknown port should be empty")
	}
	for in, want := range map[string]string{
		"":      `port code "": empty`,
		"270":   `port code "270": want 4 digits`,
		"27040": `port code "27040": want 4 digits`,
		"27A4":  `port code "27A4": want 4 digits`,
		"0012":  `port code "0012": there is no Schedule D district 00`,
	} {
		if _, err := ParsePort(in); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParsePort(%q) error = %v; want %q", in, err, want)
		}
	}
}

func TestParseProtestNumber(t *testing.T) {
	for in, want := range map[string]string{
		"2704-26-100123":  "2704-26-100123",
		"270426100123":    "2704-26-100123",
		" 4701-25-000001": "4701-25-000001",
	} {
		got, err := ParseProtestNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseProtestNumber(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{
		"":                `protest number "": empty`,
		"2704-26-10012":   `protest number "2704-26-10012": want PPPP-YY-NNNNNN`,
		"2704-2-6100123":  `protest number "2704-2-6100123": want PPPP-YY-NNNNNN`,
		"2704-26-10012X":  `protest number "2704-26-10012X": want PPPP-YY-NNNNNN, all digits`,
		"0004-26-100123":  `protest number "0004-26-100123": port 0004: there is no Schedule D district 00`,
		"2704-26-1001234": `want PPPP-YY-NNNNNN`,
	} {
		if _, err := ParseProtestNumber(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseProtestNumber(%q) error = %v; want %q", in, err, want)
		}
	}
}

func TestParseEntryType(t *testing.T) {
	names := map[string]string{
		"01": "consumption", "02": "quota", "03": "AD/CVD", "06": "FTZ consumption", "11": "informal",
		"21": "warehouse", "23": "TIB", "31": "warehouse withdrawal for consumption",
	}
	for code, name := range names {
		got, err := ParseEntryType(code)
		if err != nil || got != code {
			t.Errorf("ParseEntryType(%q) = %q, %v", code, got, err)
		}
		if EntryTypeName(code) != name {
			t.Errorf("EntryTypeName(%q) = %q; want %q", code, EntryTypeName(code), name)
		}
	}
	for n := 31; n <= 38; n++ {
		code := itoa(n)
		if _, err := ParseEntryType(code); err != nil || !strings.HasPrefix(EntryTypeName(code), "warehouse withdrawal") {
			t.Errorf("entry type %s is a warehouse withdrawal: %v, %q", code, err, EntryTypeName(code))
		}
	}
	for in, want := range map[string]string{
		"":    `entry type "": empty`,
		"1":   `entry type "1": want 2 digits`,
		"001": `entry type "001": want 2 digits`,
		"0A":  `entry type "0A": want 2 digits`,
		"07":  `entry type "07": unknown; want 01, 02, 03, 06, 11, 21, 23 or 31–38`,
		"39":  `entry type "39": unknown`,
		"30":  `entry type "30": unknown`,
	} {
		if _, err := ParseEntryType(in); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseEntryType(%q) error = %v; want %q", in, err, want)
		}
	}
	if EntryTypeName("07") != "" {
		t.Errorf("EntryTypeName of an unknown type should be empty")
	}
}

func TestQuoteInputCutsLongInput(t *testing.T) {
	long := strings.Repeat("é", 100)
	_, err := ParseEntryNumber(long)
	if err == nil || len(err.Error()) > 200 || !strings.Contains(err.Error(), "…") {
		t.Fatalf("error for long input should be cut short: %v", err)
	}
	if !strings.HasPrefix(err.Error(), `entry number "éééé`) {
		t.Errorf("cut input should stay valid UTF-8: %v", err)
	}
}
