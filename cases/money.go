package cases

import (
	"fmt"
	"strconv"
	"strings"
)

// Cents is an amount of U.S. money in integer cents. Money is never floating point.
type Cents int64

// String formats as $1,234.56 (or -$1,234.56).
func (c Cents) String() string {
	neg := c < 0
	u := uint64(c)
	if neg {
		u = -u // the magnitude, even of the most negative Cents, whose negation overflows int64
	}
	whole := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ".%02d", u%100)
	return b.String()
}

// ParseUSD reads an amount such as 1234.56, $1,234.56 or 1234 into cents.
// More than two decimal places is an error, never a rounding.
func ParseUSD(s string) (Cents, error) {
	orig := s
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	s = strings.TrimPrefix(s, "$")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, fmt.Errorf("amount %q: empty", orig)
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasFrac && (len(frac) == 0 || len(frac) > 2) {
		return 0, fmt.Errorf("amount %q: want dollars with at most two decimal places", orig)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseUint(whole, 10, 63)
	if err != nil || w > 90_000_000_000_000 {
		return 0, fmt.Errorf("amount %q: not a dollar amount", orig)
	}
	f, err := strconv.ParseUint(frac, 10, 8)
	if err != nil {
		return 0, fmt.Errorf("amount %q: not a dollar amount", orig)
	}
	v := Cents(w*100 + f)
	if neg {
		v = -v
	}
	return v, nil
}
