package cases

import (
	"math"
	"strings"
	"testing"
)

func TestCentsString(t *testing.T) {
	for c, want := range map[Cents]string{
		0:              "$0.00",
		1:              "$0.01",
		99:             "$0.99",
		100:            "$1.00",
		123456:         "$1,234.56",
		100000000:      "$1,000,000.00",
		99999999:       "$999,999.99",
		-1:             "-$0.01",
		-123456:        "-$1,234.56",
		math.MaxInt64:  "$92,233,720,368,547,758.07",
		math.MinInt64:  "-$92,233,720,368,547,758.08",
		-math.MaxInt64: "-$92,233,720,368,547,758.07",
	} {
		if got := c.String(); got != want {
			t.Errorf("Cents(%d).String() = %q; want %q", int64(c), got, want)
		}
	}
}

func TestParseUSD(t *testing.T) {
	for in, want := range map[string]Cents{
		"0":              0,
		"1234.56":        123456,
		"$1,234.56":      123456,
		"1234":           123400,
		"1234.5":         123450,
		".5":             50,
		" $10,000 ":      1_000_000,
		"-5":             -500,
		"-$1,234.56":     -123456,
		"0.01":           1,
		"90000000000000": 90_000_000_000_000_00,
	} {
		got, err := ParseUSD(in)
		if err != nil || got != want {
			t.Errorf("ParseUSD(%q) = %d, %v; want %d", in, int64(got), err, int64(want))
		}
	}
	for in, want := range map[string]string{
		"":                        `amount "": empty`,
		"$":                       `amount "$": empty`,
		"-":                       `amount "-": empty`,
		"1.234":                   `amount "1.234": want dollars with at most two decimal places`,
		"1.":                      `want dollars with at most two decimal places`,
		"abc":                     `amount "abc": not a dollar amount`,
		"1e5":                     `not a dollar amount`,
		"+5":                      `not a dollar amount`,
		"$-5":                     `not a dollar amount`,
		"1.-5":                    `not a dollar amount`,
		"1.+5":                    `not a dollar amount`,
		"1_000":                   `not a dollar amount`,
		"90000000000001":          `not a dollar amount`,
		"99999999999999999999999": `not a dollar amount`,
	} {
		_, err := ParseUSD(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseUSD(%q) error = %v; want %q", in, err, want)
		}
	}
}

// What String writes, ParseUSD reads back to the same cents.
func TestCentsRoundTrip(t *testing.T) {
	for _, c := range []Cents{0, 1, -1, 99, 100, 123456, -987654321, 9_000_000_000_000_000} {
		got, err := ParseUSD(c.String())
		if err != nil || got != c {
			t.Errorf("ParseUSD(%q) = %d, %v; want %d", c.String(), int64(got), err, int64(c))
		}
	}
}
