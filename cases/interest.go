package cases

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"
)

// Interest on customs duties (19 U.S.C. 1505(c)) runs at the underpayment rate of 26 U.S.C. 6621(a)(2), set for
// each calendar quarter, compounded daily (26 U.S.C. 6622(a)). The 1592(c)(4)(B) cap of a prior disclosure found
// negligent or grossly negligent is that interest on the lost duties, taxes and fees.

// InterestRate is the annual underpayment rate, in whole percent, of the calendar quarter that begins on From.
// (6621(b)(3) rounds the federal short-term rate to the nearest full percent, so every underpayment rate is a
// whole percent.)
type InterestRate struct {
	From    Date `json:"from"`
	Percent int  `json:"percent"`
}

// InterestRates is a table of quarterly rates, one entry a quarter, in date order. A quarter the table does not
// hold has no rate: Interest refuses to guess one.
type InterestRates []InterestRate

// ErrNoRate is wrapped when interest runs through a quarter whose rate the table does not hold.
var ErrNoRate = errors.New("no interest rate")

// defaultInterest is the built-in table: the underpayment rate (non-corporate and corporate alike) that CBP
// publishes each quarter in the Federal Register, "Quarterly IRS Interest Rates Used in Calculating Interest on
// Overdue Accounts and Refunds of Customs Duties". Each range below is one run of quarters at one rate.
//
// Sources:
//   - 2015 Q1 – 2024 Q4: the cumulative table in CBP's notice FR Doc. 2024-21785, 89 FR 77879 (24 Sep 2024),
//     rows 100111–033116 (3), 040116–033118 (4), 040118–123118 (5), 010119–063019 (6), 070119–063020 (5),
//     070120–033122 (3), 040122–063022 (4), 070122–093022 (5), 100122–123122 (6), 010123–093023 (7),
//     100123–123124 (8).
//   - 2025 Q1: CBP notice FR Doc. 2025-02228, 90 FR 9036 (5 Feb 2025), 7%; 2025 Q2, Q3 and Q4: CBP's notices for
//     the quarters beginning 1 Apr, 1 Jul and 1 Oct 2025, each "remain the same", underpayments 7%.
//   - 2026 Q1: Rev. Rul. 2025-22 (IR-2025-112; I.R.B. 2025-48, 24 Nov 2025), 7% for underpayments; CBP's notice of
//     22 Jan 2026 for the quarter beginning 1 Jan 2026, 7%.
//
// Not in the table, because no primary source could be found: 2026 Q2 (Rev. Rul. 2026-5, I.R.B. 2026-8, sets it;
// a secondary source reports 6%, unconfirmed), 2026 Q3 and 2026 Q4. Add them, once confirmed, under [interest] in
// config.toml; until then interest through those quarters is refused with ErrNoRate rather than guessed.
var defaultInterest = quarterRuns([]quarterRun{
	{2015, 1, 2016, 1, 3},
	{2016, 2, 2018, 1, 4},
	{2018, 2, 2018, 4, 5},
	{2019, 1, 2019, 2, 6},
	{2019, 3, 2020, 2, 5},
	{2020, 3, 2022, 1, 3},
	{2022, 2, 2022, 2, 4},
	{2022, 3, 2022, 3, 5},
	{2022, 4, 2022, 4, 6},
	{2023, 1, 2023, 3, 7},
	{2023, 4, 2024, 4, 8},
	{2025, 1, 2025, 4, 7},
	{2026, 1, 2026, 1, 7},
})

type quarterRun struct{ fromY, fromQ, toY, toQ, percent int }

func quarterRuns(runs []quarterRun) InterestRates {
	var t InterestRates
	for _, r := range runs {
		for y, q := r.fromY, r.fromQ; y < r.toY || y == r.toY && q <= r.toQ; {
			t = append(t, InterestRate{From: QuarterStart(y, q), Percent: r.percent})
			if q++; q > 4 {
				y, q = y+1, 1
			}
		}
	}
	return t
}

// DefaultInterestRates returns a copy of the built-in table (its sources are in interest.go).
func DefaultInterestRates() InterestRates { return append(InterestRates(nil), defaultInterest...) }

// QuarterStart is the first day of quarter q (1–4) of year y.
func QuarterStart(y, q int) Date { return NewDate(y, time.Month(3*(q-1)+1), 1) }

// quarterOf is the year and quarter of d.
func quarterOf(d Date) (int, int) {
	y, m, _ := d.YMD()
	return y, (int(m)-1)/3 + 1
}

// Merge returns t with every rate of over added or put in place of t's rate for the same quarter, in date order.
func (t InterestRates) Merge(over InterestRates) InterestRates {
	byFrom := map[Date]int{}
	for _, r := range t {
		byFrom[r.From] = r.Percent
	}
	for _, r := range over {
		byFrom[r.From] = r.Percent
	}
	out := make(InterestRates, 0, len(byFrom))
	for from, pct := range byFrom {
		out = append(out, InterestRate{From: from, Percent: pct})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// rate is the percent of the quarter that holds d.
func (t InterestRates) rate(d Date) (int, bool) {
	y, q := quarterOf(d)
	from := QuarterStart(y, q)
	i := sort.Search(len(t), func(i int) bool { return t[i].From >= from })
	if i < len(t) && t[i].From == from {
		return t[i].Percent, true
	}
	return 0, false
}

// InterestRates is the table the Policy computes interest with: the built-in one unless the config set another.
func (p Policy) InterestRates() InterestRates {
	if p.Interest != nil {
		return *p.Interest
	}
	return defaultInterest
}

// Interest is the interest on amount for each day from `from` up to, not including, `to`, at the rate of each
// day's quarter divided by the days of its year (365 or 366), compounded daily (26 U.S.C. 6622(a)). It is computed
// exactly and rounded once, to the nearest cent (half a cent up). It is 0 for a non-positive amount or when `to`
// is not after `from`, and ErrNoRate naming the first quarter the table lacks.
func Interest(amount Cents, from, to Date, rates InterestRates) (Cents, error) {
	if amount <= 0 || from == 0 || to <= from {
		return 0, nil
	}
	// The balance grows by the factor (100·Y + r) / (100·Y) a day; days of one rate and one year length are
	// raised to a power together.
	num, den := big.NewInt(1), big.NewInt(1)
	var f, g, n big.Int
	for d := from; d < to; {
		pct, ok := rates.rate(d)
		if !ok {
			y, q := quarterOf(d)
			return 0, fmt.Errorf("%w for %d Q%d (quarter beginning %s): interest from %s to %s needs it; set it under [interest] in config.toml",
				ErrNoRate, y, q, QuarterStart(y, q), from, to)
		}
		y, q := quarterOf(d)
		end := QuarterStart(y, q+1) // NewDate normalises quarter 5 to January of the next year
		if end > to {
			end = to
		}
		yearDays := int64(365)
		if isLeap(y) {
			yearDays = 366
		}
		days := int64(end - d)
		f.Exp(g.SetInt64(100*yearDays+int64(pct)), n.SetInt64(days), nil)
		num.Mul(num, &f)
		f.Exp(g.SetInt64(100*yearDays), n.SetInt64(days), nil)
		den.Mul(den, &f)
		d = end
	}
	// interest = round(amount · num / den) − amount, rounding half up: floor((2·amount·num + den) / (2·den)).
	total := new(big.Int).Mul(big.NewInt(int64(amount)), num)
	total.Lsh(total, 1).Add(total, den)
	total.Quo(total, new(big.Int).Lsh(den, 1))
	return Cents(total.Int64()) - amount, nil
}

// DisclosureLoss is the actual loss of revenue a prior disclosure's validation works from: the amount of a
// validation decision (the lost revenue CBP computed), or else the lost duties, taxes and fees disclosed.
func DisclosureLoss(c *Case) Cents {
	if c.Disclosure == nil {
		return 0
	}
	if d := c.Decision; d != nil && d.Outcome == OutcomeValidated && d.Amount > 0 {
		return d.Amount
	}
	return c.Disclosure.LostRevenue
}

// Shortfall is how much the tender of a prior disclosure falls short of the loss computed (19 CFR 162.74(c)),
// 0 when the tender covers it or the case is no disclosure.
func Shortfall(c *Case) Cents {
	if c.Disclosure == nil {
		return 0
	}
	if s := DisclosureLoss(c) - c.Disclosure.Tender; s > 0 {
		return s
	}
	return 0
}

// InterestFrom is the date interest on a disclosure's loss runs from (19 U.S.C. 1592(c)(4)(B), 1505(c)): the
// liquidation of the disclosed entries (Disclosure.Liquidated), else of the case's entry, or, if unliquidated, the
// date of entry. liquidated says which.
func InterestFrom(c *Case) (on Date, liquidated bool) {
	switch {
	case c.Disclosure != nil && c.Disclosure.Liquidated != 0:
		return c.Disclosure.Liquidated, true
	case c.Entry.Liquidated != 0:
		return c.Entry.Liquidated, true
	}
	return c.Entry.EntryDate, false
}

// DisclosureCap is the most a penalty can be on a valid prior disclosure (19 U.S.C. 1592(c)(4)), as of `on`: for
// fraud, the loss computed; for negligence or gross negligence, the interest on it from the date of liquidation
// (or, if unliquidated, of entry) to `on`, at the Policy's quarterly rates. basis says which rule and how it was
// counted, for the validation and its notice to show. It is an error when the culpability is not yet found, a
// date it needs is missing, or a quarter's rate is not in the table (ErrNoRate).
func DisclosureCap(c *Case, p Policy, on Date) (cap Cents, basis string, err error) {
	pd := c.Disclosure
	if c.Kind != KindDisclosure || pd == nil {
		return 0, "", fmt.Errorf("case %s is no prior disclosure", c.ID)
	}
	loss := DisclosureLoss(c)
	switch pd.Culpability {
	case CulpabilityFraud:
		return loss, fmt.Sprintf("19 U.S.C. 1592(c)(4)(A): fraud, 100%% of the lost duties, taxes and fees, %s", loss), nil
	case CulpabilityNegligence, CulpabilityGross:
		from, liquidated := InterestFrom(c)
		what := "entry (unliquidated)"
		if liquidated {
			what = "liquidation"
		}
		if from == 0 {
			return 0, "", fmt.Errorf("case %s: the interest cap runs from the date of liquidation or entry, and neither is recorded", c.ID)
		}
		i, err := Interest(loss, from, on, p.InterestRates())
		if err != nil {
			return 0, "", fmt.Errorf("case %s: %w", c.ID, err)
		}
		deg := "negligence"
		if pd.Culpability == CulpabilityGross {
			deg = "gross negligence"
		}
		return i, fmt.Sprintf("19 U.S.C. 1592(c)(4)(B): %s, the interest on %s from the date of %s %s to %s "+
			"(19 U.S.C. 1505(c); 26 U.S.C. 6621(a)(2), 6622, compounded daily)", deg, loss, what, from, on), nil
	}
	return 0, "", fmt.Errorf("case %s: the degree of culpability is not found yet; the 1592(c)(4) cap depends on it", c.ID)
}
