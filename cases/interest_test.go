package cases

import (
	"errors"
	"strings"
	"testing"
)

// 19 U.S.C. 1505(c); 26 U.S.C. 6621(a)(2), 6622(a): the underpayment rate of each day's quarter, over the days of
// its year, compounded daily. Each worked figure is beside the reading that is nearly right.
func TestInterestWorked(t *testing.T) {
	rates := DefaultInterestRates()
	cases := []struct {
		name     string
		amount   Cents
		from, to string
		want     Cents
		not      Cents // the nearly right figure
	}{
		// $10,000 through 2025 at 7%: 10,000 × ((1 + 0.07/365)^365 − 1) = $725.01; simple interest is $700.00.
		{"6622: compounded daily, not simple", 10_000_00, "2025-01-01", "2026-01-01", 725_01, 700_00},
		// 2024 is a leap year at 8%: the daily rate is 8%/366 (IRS practice under 6622), giving $832.78; over 365
		// it would be 10,000 × ((1 + 0.08/365)^366 − 1) = $835.15.
		{"6621: a leap year's daily rate is over 366 days", 10_000_00, "2024-01-01", "2025-01-01", 832_78, 835_15},
		// June 2022 at 4% (Q2), July at 5% (Q3): $75.62; 4% throughout would be $67.07.
		{"6621(b): the rate changes at the quarter", 10_000_00, "2022-06-01", "2022-08-01", 75_62, 67_07},
		// 2023 Q3 (7%), 2023 Q4 – 2024 Q4 (8%), 2025 (7%), 2026 Q1 (7%).
		{"several quarters and years", 10_000_00, "2023-09-15", "2026-03-31", 2_095_90, 0},
		{"a disclosed loss of $48,200", 48_200_00, "2025-03-14", "2026-02-27", 3_346_06, 0},
		{"no days, no interest", 10_000_00, "2025-03-14", "2025-03-14", 0, 0},
		{"backwards, no interest", 10_000_00, "2025-03-14", "2025-03-01", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Interest(tc.amount, d(tc.from), d(tc.to), rates)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Interest(%s, %s, %s) = %s; want %s", tc.amount, tc.from, tc.to, got, tc.want)
			}
			if tc.not != 0 && got == tc.not {
				t.Errorf("got the nearly right %s", tc.not)
			}
		})
	}
}

func TestInterestRefusesAQuarterItLacks(t *testing.T) {
	// 2026 Q2 is not in the built-in table (no primary source found): refused, naming the quarter.
	_, err := Interest(10_000_00, d("2026-03-01"), d("2026-05-01"), DefaultInterestRates())
	if !errors.Is(err, ErrNoRate) || !strings.Contains(err.Error(), "2026 Q2 (quarter beginning 2026-04-01)") || !strings.Contains(err.Error(), "[interest]") {
		t.Fatalf("err = %v", err)
	}
	// A config that supplies it is used.
	rates := DefaultInterestRates().Merge(InterestRates{{From: QuarterStart(2026, 2), Percent: 6}})
	got, err := Interest(10_000_00, d("2026-03-01"), d("2026-05-01"), rates)
	if err != nil {
		t.Fatal(err)
	}
	// 31 days of March at 7%, 30 of April at 6%: 10,000 × ((1+.07/365)^31 (1+.06/365)^30 − 1) = $109.35.
	if got != 109_35 {
		t.Errorf("with 2026 Q2 at 6%%: %s", got)
	}
	over := DefaultInterestRates().Merge(InterestRates{{From: QuarterStart(2025, 1), Percent: 9}})
	if r, _ := over.rate(d("2025-02-10")); r != 9 {
		t.Errorf("an override replaces the built-in quarter: %d", r)
	}
	if len(over) != len(DefaultInterestRates()) {
		t.Errorf("merge added a quarter that was there")
	}
}

func TestDefaultInterestTable(t *testing.T) {
	rates := DefaultInterestRates()
	// One entry a quarter, 2015 Q1 through 2026 Q1, no gap.
	if rates[0].From != d("2015-01-01") || rates[len(rates)-1].From != d("2026-01-01") || len(rates) != 45 {
		t.Fatalf("table runs %s to %s, %d quarters", rates[0].From, rates[len(rates)-1].From, len(rates))
	}
	for i := 1; i < len(rates); i++ {
		y, q := quarterOf(rates[i-1].From)
		if rates[i].From != QuarterStart(y, q+1) {
			t.Errorf("gap after %s", rates[i-1].From)
		}
	}
	// Spot checks against CBP's notice FR Doc. 2024-21785 and Rev. Rul. 2025-22.
	for day, want := range map[string]int{"2020-02-01": 5, "2020-07-01": 3, "2022-03-31": 3, "2022-04-01": 4, "2022-09-30": 5,
		"2022-12-31": 6, "2023-09-30": 7, "2023-10-01": 8, "2024-12-31": 8, "2025-01-01": 7, "2026-03-31": 7} {
		if r, ok := rates.rate(d(day)); !ok || r != want {
			t.Errorf("%s: %d%%, want %d%%", day, r, want)
		}
	}
}

func disclosureCase(pd Disclosure) *Case {
	return &Case{ID: "PD-26-000001", Kind: KindDisclosure, Status: StatusInReview,
		Entry: EntrySummary{EntryDate: d("2024-12-02")}, Disclosure: &pd}
}

// 19 U.S.C. 1592(c)(4): fraud caps at the loss; negligence and gross negligence at the interest on it from
// liquidation, or the entry when unliquidated.
func TestDisclosureCap(t *testing.T) {
	p := DefaultPolicy()
	on := d("2026-01-01")
	cases := []struct {
		name  string
		pd    Disclosure
		want  Cents
		basis string
	}{
		{"1592(c)(4)(A): fraud, the loss", Disclosure{Culpability: CulpabilityFraud, LostRevenue: 10_000_00}, 10_000_00, "19 U.S.C. 1592(c)(4)(A)"},
		{"1592(c)(4)(B): negligence, interest from liquidation", Disclosure{Culpability: CulpabilityNegligence, LostRevenue: 10_000_00,
			Liquidated: d("2025-01-01")}, 725_01, "from the date of liquidation 2025-01-01 to 2026-01-01"},
		// Unliquidated: from the entry of 2024-12-02: 30 days of December 2024 at 8%/366, then 2025 at 7%.
		{"1592(c)(4)(B): gross negligence, unliquidated: interest from the entry", Disclosure{Culpability: CulpabilityGross, LostRevenue: 10_000_00},
			795_56, "gross negligence, the interest on $10,000.00 from the date of entry (unliquidated) 2024-12-02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cap, basis, err := DisclosureCap(disclosureCase(tc.pd), p, on)
			if err != nil {
				t.Fatal(err)
			}
			if cap != tc.want || !strings.Contains(basis, tc.basis) {
				t.Errorf("cap %s (%s); want %s (%s)", cap, basis, tc.want, tc.basis)
			}
		})
	}
	if _, _, err := DisclosureCap(disclosureCase(Disclosure{LostRevenue: 1}), p, on); err == nil {
		t.Errorf("no culpability found: an error, not a cap of zero")
	}
	// The loss computed by the validation, not the loss disclosed.
	c := disclosureCase(Disclosure{Culpability: CulpabilityFraud, LostRevenue: 10_000_00, Tender: 10_000_00})
	c.Decision = &Decision{Outcome: OutcomeValidated, Amount: 12_500_00}
	if cap, _, _ := DisclosureCap(c, p, on); cap != 12_500_00 {
		t.Errorf("fraud cap on the loss computed: %s", cap)
	}
	if s := Shortfall(c); s != 2_500_00 {
		t.Errorf("162.74(c): shortfall %s; want $2,500.00", s)
	}
	// The Policy's table is the one used.
	rates := DefaultInterestRates().Merge(InterestRates{{From: QuarterStart(2025, 1), Percent: 9}, {From: QuarterStart(2025, 2), Percent: 9},
		{From: QuarterStart(2025, 3), Percent: 9}, {From: QuarterStart(2025, 4), Percent: 9}})
	p.Interest = &rates
	neg := disclosureCase(Disclosure{Culpability: CulpabilityNegligence, LostRevenue: 10_000_00, Liquidated: d("2025-01-01")})
	if cap, _, _ := DisclosureCap(neg, p, on); cap != 941_62 {
		t.Errorf("at 9%% from the config: %s", cap)
	}
}

func BenchmarkInterestFiveYears(b *testing.B) {
	rates := DefaultInterestRates()
	for i := 0; i < b.N; i++ {
		_, _ = Interest(48_200_00, d("2021-01-04"), d("2026-01-04"), rates)
	}
}
