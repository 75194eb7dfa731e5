package cases

import (
	"fmt"
	"strings"
	"testing"
)

func findClock(cs []Clock, name string) (Clock, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return Clock{}, false
}

func clockSummary(cs []Clock) string {
	var parts []string
	for _, c := range cs {
		s := fmt.Sprintf("%s=%s", c.Name, c.Due)
		if c.Action {
			s += " action"
		}
		if c.Met {
			s += " met"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func protestCase(pr Protest) *Case {
	return &Case{ID: "2704-26-100123", Kind: KindProtest, Status: StatusInReview, Protest: &pr}
}

// Worked examples: each names the clock, the trigger, the count and the day it lands on.
func TestClocksWorkedExamples(t *testing.T) {
	p := DefaultPolicy()
	cases := []struct {
		name string
		c    *Case
		want string // every clock, in order
		due  string
	}{
		{
			// 2026-01-05 + 180 = Saturday 2026-07-04, Independence Day, observed Friday 2026-07-03: Monday 07-06.
			name: "protest filing window ends on a Saturday holiday",
			c:    protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-07-06"), Grounds: []Ground{GroundValue}}),
			want: "File protest=2026-07-06 met; Decide protest=2028-07-06 action",
			due:  "2028-07-06",
		},
		{
			name: "protest filed one day after its window",
			c:    protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-07-07"), Grounds: []Ground{GroundValue}}),
			want: "File protest=2026-07-06; Decide protest=2028-07-07 action",
			due:  "2028-07-07",
		},
		{
			// Two years after 2025-12-24 is Friday 2027-12-24, Christmas observed (the 25th is a Saturday).
			name: "decide protest lands on an observed Christmas",
			c:    protestCase(Protest{Filed: d("2025-12-24"), Grounds: []Ground{GroundClassification}}),
			want: "Decide protest=2027-12-27 action",
			due:  "2027-12-27",
		},
		{
			name: "filed on February 29: two years later is February 28",
			c:    protestCase(Protest{Filed: d("2028-02-29"), Grounds: []Ground{GroundClassification}}),
			want: "Decide protest=2030-02-28 action",
			due:  "2030-02-28",
		},
		{
			// 2026-06-04 + 30 = Saturday 2026-07-04 → Monday 2026-07-06.
			name: "exclusion protest: 30 days, not 2 years",
			c:    protestCase(Protest{Protested: d("2026-06-01"), Filed: d("2026-06-04"), Grounds: []Ground{GroundValue, GroundExclusion}}),
			want: "File protest=2026-11-30 met; Decide exclusion protest=2026-07-06 action",
			due:  "2026-07-06",
		},
		{
			// 2027-12-01 + 30 = Friday 2027-12-31, New Year's Day 2028 observed → Monday 2028-01-03.
			name: "exclusion protest deadline on New Year's Day 2028 observed in 2027",
			c:    protestCase(Protest{Filed: d("2027-12-01"), Grounds: []Ground{GroundExclusion}}),
			want: "Decide exclusion protest=2028-01-03 action",
			due:  "2028-01-03",
		},
		{
			name: "accelerated disposition moves the clock earlier",
			c:    protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-03-02"), Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-01-05 action; Decide before deemed denial (accelerated disposition)=2026-04-01 action",
			due:  "2026-04-01",
		},
		{
			// 2026-03-20 + 30 = Sunday 04-19 → Monday 04-20, later than the exclusion clock of 04-01.
			name: "accelerated disposition later than the exclusion clock does not move it",
			c:    protestCase(Protest{Filed: d("2026-03-02"), AccelMailed: d("2026-03-20"), Grounds: []Ground{GroundExclusion}}),
			want: "Decide exclusion protest=2026-04-01 action; Decide before deemed denial (accelerated disposition)=2026-04-20 action",
			due:  "2026-04-01",
		},
		{
			// AFR filed 2026-05-01 + 30 = Sunday 05-31 → Monday 06-01; 2 years after 2026-04-01 is Saturday 2028-04-01.
			name: "further review: 30 days from the application",
			c:    protestCase(Protest{Filed: d("2026-04-01"), FurtherReview: true, AFRFiled: d("2026-05-01"), Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-04-03 action; Decide application for further review=2026-06-01 action",
			due:  "2026-06-01",
		},
		{
			name: "further review filed with the protest",
			c:    protestCase(Protest{Filed: d("2026-04-01"), FurtherReview: true, Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-04-03 action; Decide application for further review=2026-05-01 action",
			due:  "2026-05-01",
		},
		{
			// Entry 2025-05-05 + 300 = Sunday 2026-03-01 → Monday 03-02; liquidation 03-20 − 15 = 03-05 is later.
			name: "PSC window: 300 days after entry, on a Sunday",
			c: &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")},
				PSC: &PSC{Filed: d("2026-03-02")}},
			want: "File PSC=2026-03-02 met; Act before liquidation=2026-03-20 action",
			due:  "2026-03-20",
		},
		{
			name: "PSC filed one day late",
			c: &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")},
				PSC: &PSC{Filed: d("2026-03-03")}},
			want: "File PSC=2026-03-02; Act before liquidation=2026-03-20 action",
			due:  "2026-03-20",
		},
		{
			// Liquidation 2026-03-10 − 15 = Monday 02-23, earlier than 300 days after entry.
			name: "PSC window: 15 days before scheduled liquidation",
			c: &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-10")},
				PSC: &PSC{Filed: d("2026-02-23")}},
			want: "File PSC=2026-02-23 met; Act before liquidation=2026-03-10 action",
			due:  "2026-03-10",
		},
		{
			name: "PSC window and clock follow an extended liquidation",
			c: &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-10"), Extended: d("2027-03-10")},
				PSC: &PSC{Filed: d("2026-02-24")}},
			want: "File PSC=2026-03-02 met; Act before liquidation=2027-03-10 action",
			due:  "2027-03-10",
		},
		{
			// The scheduled liquidation is the clock as it is, even on a Sunday.
			name: "PSC action clock is the liquidation date, not rolled",
			c: &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-15")},
				PSC: &PSC{Filed: d("2026-01-15")}},
			want: "File PSC=2026-03-02 met; Act before liquidation=2026-03-15 action",
			due:  "2026-03-15",
		},
		{
			// 20 working days before Friday 2026-07-31, skipping the observed Independence Day on 07-03.
			name: "PEA filed on the last working day of its window",
			c: &Case{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-09-20"), Liquidates: d("2026-07-31")},
				PEA: &PEA{Filed: d("2026-07-02")}},
			want: "File PEA=2026-07-02 met; Act before liquidation=2026-07-31 action",
			due:  "2026-07-31",
		},
		{
			name: "PEA filed one day late",
			c: &Case{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-09-20"), Liquidates: d("2026-07-31")},
				PEA: &PEA{Filed: d("2026-07-03")}},
			want: "File PEA=2026-07-02; Act before liquidation=2026-07-31 action",
			due:  "2026-07-31",
		},
		{
			// 2026-06-24 + 10 = Saturday 07-04 → Monday 07-06; + 30 = Friday 07-24; + 90 = Tuesday 09-22.
			name: "oral disclosure confirmed and perfected in time",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Confirmed: d("2026-07-06"), Perfected: d("2026-07-24")}},
			want: "Confirm in writing=2026-07-06 met; Perfect disclosure=2026-07-24 met; Validate disclosure=2026-09-22 action",
			due:  "2026-09-22",
		},
		{
			name: "oral disclosure confirmed late and not perfected",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Confirmed: d("2026-07-07")}},
			want: "Confirm in writing=2026-07-06; Perfect disclosure=2026-07-24; Validate disclosure=2026-09-22 action",
			due:  "2026-09-22",
		},
		{
			name: "written disclosure: no confirmation clock, no perfection clock when complete",
			c:    &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24")}},
			want: "Validate disclosure=2026-09-22 action",
			due:  "2026-09-22",
		},
		{
			name: "written disclosure perfected later",
			c:    &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Perfected: d("2026-07-20")}},
			want: "Perfect disclosure=2026-07-24 met; Validate disclosure=2026-09-22 action",
			due:  "2026-09-22",
		},
		{
			name: "validation: 90 days from assignment",
			c:    &Case{Kind: KindValidation, Status: StatusAssigned, Received: d("2026-09-20"), Assigned: d("2026-10-01"), Validation: &Validation{Program: ProgramISA}},
			want: "Complete validation=2026-12-30 action",
			due:  "2026-12-30",
		},
		{
			// 2026-09-26 + 90 = Christmas Day, Friday 2026-12-25 → Monday 12-28.
			name: "validation not yet assigned counts from receipt",
			c:    &Case{Kind: KindValidation, Status: StatusNew, Received: d("2026-09-26"), Validation: &Validation{Program: ProgramISA}},
			want: "Complete validation=2026-12-28 action",
			due:  "2026-12-28",
		},
		{
			name: "validation due set by the supervisor, on New Year's Day 2028 observed",
			c:    &Case{Kind: KindValidation, Status: StatusAssigned, Assigned: d("2027-10-01"), Validation: &Validation{Program: ProgramCTPAT, Due: d("2027-12-31")}},
			want: "Complete validation=2028-01-03 action",
			due:  "2028-01-03",
		},
		{
			name: "missing trigger dates give no clock",
			c:    &Case{Kind: KindPSC, Status: StatusNew, PSC: &PSC{}},
			want: "",
			due:  "",
		},
		{
			name: "kind part missing gives no clock",
			c:    &Case{Kind: KindProtest, Status: StatusNew},
			want: "",
			due:  "",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := clockSummary(Clocks(tc.c, p)); got != tc.want {
				t.Errorf("clocks:\n got %s\nwant %s", got, tc.want)
			}
			if got := DueDate(tc.c, p).String(); got != tc.due {
				t.Errorf("DueDate = %s; want %s", got, tc.due)
			}
			if got := tc.c.Row(p).Due.String(); got != tc.due {
				t.Errorf("Row().Due = %s; want %s", got, tc.due)
			}
		})
	}
}

func TestClockBases(t *testing.T) {
	p := DefaultPolicy()
	c := protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-02-02"), AccelMailed: d("2026-03-02"),
		FurtherReview: true, Grounds: []Ground{GroundValue}})
	want := map[string]string{
		ClockFileProtest:   "19 U.S.C. 1514(c)(3)",
		ClockDecideProtest: "19 CFR 174.21(a)",
		ClockAccelerated:   "19 U.S.C. 1515(b); 19 CFR 174.22(d)",
		ClockFurtherReview: "19 U.S.C. 1515(a); 19 CFR 174.26",
	}
	cs := Clocks(c, p)
	for name, basis := range want {
		k, ok := findClock(cs, name)
		if !ok || k.Basis != basis {
			t.Errorf("%s: basis %q; want %q", name, k.Basis, basis)
		}
	}
	if k, _ := findClock(cs, ClockFileProtest); k.Action {
		t.Errorf("the filing window is the protestant's clock, not the Center's")
	}
	ex := protestCase(Protest{Filed: d("2026-02-02"), Grounds: []Ground{GroundExclusion}})
	if k, _ := findClock(Clocks(ex, p), ClockDecideExclusion); k.Basis != "19 CFR 174.21(b)" {
		t.Errorf("exclusion basis %q", k.Basis)
	}
	pd := &Case{Kind: KindDisclosure, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}}
	cs = Clocks(pd, p)
	for name, basis := range map[string]string{ClockConfirmInWriting: "19 CFR 162.74(a)(2)", ClockPerfectDisclosure: "19 CFR 162.74(b)(4)", ClockValidateDisclosure: "local policy"} {
		if k, ok := findClock(cs, name); !ok || k.Basis != basis {
			t.Errorf("%s: basis %q; want %q", name, k.Basis, basis)
		}
	}
	psc := &Case{Kind: KindPSC, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, PSC: &PSC{}}
	if k, _ := findClock(Clocks(psc, p), ClockFilePSC); k.Basis != "ACE PSC rule: 300 days after entry, 15 days before scheduled liquidation" {
		t.Errorf("PSC basis %q", k.Basis)
	}
}

func TestPolicyDaysAreSettings(t *testing.T) {
	p := DefaultPolicy()
	p.DisclosureReviewDays = 60
	p.ValidationDays = 30
	pd := &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24")}}
	if got := DueDate(pd, p); got != d("2026-08-24") { // 08-23 is a Sunday
		t.Errorf("disclosure with 60 review days: %s", got)
	}
	v := &Case{Kind: KindValidation, Status: StatusAssigned, Assigned: d("2026-10-01"), Validation: &Validation{}}
	if got := DueDate(v, p); got != d("2026-11-02") { // 10-31 is a Saturday
		t.Errorf("validation with 30 days: %s", got)
	}
	// A zero policy falls back to domain.md's defaults rather than making every case due on its trigger day.
	if got := DueDate(v, Policy{}); got != d("2026-12-30") {
		t.Errorf("validation with zero policy: %s", got)
	}
}

func TestDecidedCaseClocks(t *testing.T) {
	p := DefaultPolicy()
	c := protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-03-02"), Grounds: []Ground{GroundValue}})
	c.Status = StatusDecided
	c.Decision = &Decision{Outcome: OutcomeAllowed, By: "bob", On: d("2026-03-30")}
	for _, k := range Clocks(c, p) {
		if !k.Met {
			t.Errorf("%s decided before it: should be met", k.Name)
		}
	}
	if got := DueDate(c, p); got != d("2026-04-01") {
		t.Errorf("a decided case keeps its earliest action clock as its due date: %s", got)
	}
	if f := Findings(c, p, d("2026-12-01")); len(f) != 0 {
		t.Errorf("a decided case has no overdue findings: %v", f)
	}
	c.Decision.On = d("2026-04-02")
	k, _ := findClock(Clocks(c, p), ClockAccelerated)
	if k.Met {
		t.Errorf("decided after the accelerated clock: not met")
	}
	if got := DueDate(c, p); got != d("2026-04-01") {
		t.Errorf("DueDate of a late-decided case: %s", got)
	}
	c.Status = StatusPendingApproval
	if k, _ := findClock(Clocks(c, p), ClockDecideProtest); k.Met {
		t.Errorf("a decision waiting for approval does not meet the clock")
	}
}

func findingTexts(fs []Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Text+" ["+f.Basis+"]")
	}
	return strings.Join(s, "\n")
}

func TestFindings(t *testing.T) {
	p := DefaultPolicy()
	cases := []struct {
		name  string
		c     *Case
		today string
		want  []string
	}{
		{
			name:  "PSC filed one day late",
			c:     &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, PSC: &PSC{Filed: d("2026-03-03")}},
			today: "2026-03-04",
			want:  []string{"PSC filed 2026-03-03, after its window closed 2026-03-02 (300 days after entry) [ACE PSC rule: 300 days after entry, 15 days before scheduled liquidation]"},
		},
		{
			name:  "PSC in time",
			c:     &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, PSC: &PSC{Filed: d("2026-03-02")}},
			today: "2026-03-04",
			want:  nil,
		},
		{
			name:  "PSC late against the liquidation bound",
			c:     &Case{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-10")}, PSC: &PSC{Filed: d("2026-02-24")}},
			today: "2026-02-25",
			want:  []string{"PSC filed 2026-02-24, after its window closed 2026-02-23 (15 days before scheduled liquidation on 2026-03-10)"},
		},
		{
			name: "PSC whose entry has liquidated",
			c: &Case{Kind: KindPSC, Status: StatusInReview, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20"), Liquidated: d("2026-03-20")},
				PSC: &PSC{Filed: d("2026-01-15")}},
			today: "2026-03-25",
			want:  []string{"entry liquidated 2026-03-20; the remedy is a protest [19 U.S.C. 1514]"},
		},
		{
			name:  "PSC past its scheduled liquidation, liquidation not yet recorded",
			c:     &Case{Kind: KindPSC, Status: StatusInReview, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, PSC: &PSC{Filed: d("2026-01-15")}},
			today: "2026-03-23",
			want:  []string{"Act before liquidation: due 2026-03-20 (scheduled liquidation), 3 days overdue"},
		},
		{
			name:  "PEA filed late and liquidated",
			c:     &Case{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{Liquidates: d("2026-07-31"), Liquidated: d("2026-07-31")}, PEA: &PEA{Filed: d("2026-07-03")}},
			today: "2026-08-03",
			want: []string{
				"PEA filed 2026-07-03, after its window closed 2026-07-02 (20 working days before scheduled liquidation on 2026-07-31)",
				"entry liquidated 2026-07-31; the remedy is a protest",
			},
		},
		{
			name:  "untimely protest",
			c:     protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-07-07"), Grounds: []Ground{GroundValue}}),
			today: "2026-07-08",
			want:  []string{"protest filed 2026-07-07, after its window closed 2026-07-06 (180 days after the protested decision of 2026-01-05) [19 U.S.C. 1514(c)(3)]"},
		},
		{
			name:  "exclusion protest deemed denied",
			c:     protestCase(Protest{Filed: d("2026-06-04"), Grounds: []Ground{GroundExclusion}}),
			today: "2026-07-07",
			want:  []string{"exclusion protest deemed denied: not decided by 2026-07-06 (30 days after filing) [19 CFR 174.21(b)]"},
		},
		{
			name:  "exclusion protest on its last day is not yet deemed denied",
			c:     protestCase(Protest{Filed: d("2026-06-04"), Grounds: []Ground{GroundExclusion}}),
			today: "2026-07-06",
			want:  nil,
		},
		{
			name:  "accelerated protest deemed denied",
			c:     protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-03-02"), Grounds: []Ground{GroundValue}}),
			today: "2026-04-02",
			want:  []string{"protest deemed denied: not decided by 2026-04-01 (30 days after accelerated disposition was requested by mail on 2026-03-02) [19 U.S.C. 1515(b); 19 CFR 174.22(d)]"},
		},
		{
			name:  "protest two years old",
			c:     protestCase(Protest{Filed: d("2024-01-10"), Grounds: []Ground{GroundValue}}),
			today: "2026-01-15",
			want:  []string{"Decide protest: due 2026-01-12 (2 years after filing), 3 days overdue [19 CFR 174.21(a)]"},
		},
		{
			name:  "oral disclosure not confirmed",
			c:     &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}},
			today: "2026-07-07",
			want:  []string{"oral disclosure not confirmed in writing by 2026-07-06 (10 days after the oral disclosure of 2026-06-24) [19 CFR 162.74(a)(2)]"},
		},
		{
			name:  "oral disclosure not confirmed, still within its 10 days",
			c:     &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}},
			today: "2026-07-06",
			want:  nil,
		},
		{
			name:  "oral disclosure confirmed late, not perfected",
			c:     &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Confirmed: d("2026-07-08")}},
			today: "2026-07-27",
			want: []string{
				"oral disclosure confirmed in writing 2026-07-08, after its window closed 2026-07-06 (10 days after the oral disclosure of 2026-06-24)",
				"disclosure not perfected by 2026-07-24 (30 days after the disclosure of 2026-06-24) [19 CFR 162.74(b)(4)]",
			},
		},
		{
			name:  "validation overdue by one day",
			c:     &Case{Kind: KindValidation, Status: StatusInReview, Assigned: d("2026-10-01"), Validation: &Validation{}},
			today: "2026-12-31",
			want:  []string{"Complete validation: due 2026-12-30 (90 days after assignment), 1 day overdue [local policy]"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Findings(tc.c, p, d(tc.today))
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d:\n%s", len(got), len(tc.want), findingTexts(got))
			}
			for i, w := range tc.want {
				line := got[i].Text + " [" + got[i].Basis + "]"
				if !strings.HasPrefix(line, w) {
					t.Errorf("finding %d:\n got %s\nwant %s", i, line, w)
				}
			}
		})
	}
}

func TestAddYears(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-10": "2028-03-10",
		"2028-02-29": "2030-02-28",
		"2026-02-28": "2028-02-28",
		"2030-12-31": "2032-12-31",
	} {
		if got := addYears(d(in), 2); got != d(want) {
			t.Errorf("addYears(%s, 2) = %s; want %s", in, got, want)
		}
	}
	if got := addYears(d("2028-02-29"), 4); got != d("2032-02-29") {
		t.Errorf("leap to leap keeps the 29th: %s", got)
	}
}

func BenchmarkDueDate(b *testing.B) {
	p := DefaultPolicy()
	cs := []*Case{
		protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-02-02"), AccelMailed: d("2026-03-02"), Grounds: []Ground{GroundValue}}),
		{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, PSC: &PSC{Filed: d("2026-03-02")}},
		{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{Liquidates: d("2026-07-31")}, PEA: &PEA{Filed: d("2026-07-02")}},
		{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}},
		{Kind: KindValidation, Status: StatusAssigned, Assigned: d("2026-10-01"), Validation: &Validation{}},
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = DueDate(cs[i%len(cs)], p)
	}
}
