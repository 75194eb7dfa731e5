package cases

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func findClock(cs []Clock, name string) (Clock, bool) {
	for _, c := range cs {
		if c.Name == name {
			return c, true
		}
	}
	return Clock{}, false
}

// clockSummary is "Name=act-by kind[ on deemed-date][ action][ met]" for every clock, in order.
func clockSummary(cs []Clock) string {
	var parts []string
	for _, c := range cs {
		s := fmt.Sprintf("%s=%s %s", c.Name, c.Due, c.Kind)
		if c.Deemed != 0 {
			s += " on " + c.Deemed.String()
		}
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

func pscCase(e EntrySummary, filed Date) *Case {
	return &Case{ID: "PSC-26-000001", Kind: KindPSC, Status: StatusAssigned, Entry: e, PSC: &PSC{Filed: filed}}
}

func decided(c *Case, o Outcome, on Date) *Case {
	c.Status = StatusDecided
	c.Decision = &Decision{Outcome: o, By: "bob", On: on, Reasons: "r"}
	return c
}

// approvedOn makes c's decision one that needed approval, approved on the given day.
func approvedOn(c *Case, day Date) *Case {
	c.Decision.Approval, c.Decision.Approver = true, "sofia"
	c.Decision.Approved = day.Time().Add(15 * time.Hour)
	return c
}

// Worked examples: each names the clock, the trigger, the count, the day it lands on, and the reading that is
// nearly right but wrong.
func TestClocksWorkedExamples(t *testing.T) {
	p := DefaultPolicy()
	cases := []struct {
		name string
		c    *Case
		want string // every clock, in order
		due  string
	}{
		// --- protest: 19 U.S.C. 1514(c)(3), 1515; 19 CFR 174.21, 174.22 ------------------------------------------
		{
			// A filing deadline rolls: 2026-01-05 + 180 = Saturday 2026-07-04, Independence Day (observed Friday
			// 07-03), so Monday 07-06.
			name: "1514(c)(3): protest filing window ends on a Saturday holiday and rolls to Monday",
			c:    protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-07-06"), Grounds: []Ground{GroundValue}}),
			want: "File protest=2026-07-06 deadline met; Decide protest=2028-07-06 deadline action",
			due:  "2028-07-06",
		},
		{
			name: "1514(c)(3): protest filed one day after its window",
			c:    protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-07-07"), Grounds: []Ground{GroundValue}}),
			want: "File protest=2026-07-06 deadline; Decide protest=2028-07-07 deadline action",
			due:  "2028-07-07",
		},
		{
			// Two years after 2025-12-24 is Friday 2027-12-24, Christmas observed (the 25th is a Saturday).
			name: "174.21(a): decide protest lands on an observed Christmas and rolls",
			c:    protestCase(Protest{Filed: d("2025-12-24"), Grounds: []Ground{GroundClassification}}),
			want: "Decide protest=2027-12-27 deadline action",
			due:  "2027-12-27",
		},
		{
			// Two years after 2025-12-31 is Friday 2027-12-31, New Year's Day 2028 observed: Monday 2028-01-03.
			name: "174.21(a): decide protest on New Year's Day 2028 observed on Friday 31 Dec 2027",
			c:    protestCase(Protest{Filed: d("2025-12-31"), Grounds: []Ground{GroundClassification}}),
			want: "Decide protest=2028-01-03 deadline action",
			due:  "2028-01-03",
		},
		{
			name: "174.21(a): filed on February 29: two years later is February 28",
			c:    protestCase(Protest{Filed: d("2028-02-29"), Grounds: []Ground{GroundClassification}}),
			want: "Decide protest=2030-02-28 deadline action",
			due:  "2030-02-28",
		},
		{
			// Not 2028-01-05 (two years from this protest's own filing).
			name: "174.15: consolidated protests: 2 years from the last protest filed",
			c: protestCase(Protest{Filed: d("2026-01-05"), LastFiled: d("2026-03-02"), Consolidated: []string{"2704-26-100200"},
				Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-03-02 deadline action",
			due:  "2028-03-02",
		},
		{
			// Deemed denied on the 30th day, 2026-06-04 + 30 = Saturday 2026-07-04 (a holiday too): it happens that
			// day, not on Monday 07-06, so the Center acts by Friday 07-03.
			name: "174.21(b): exclusion protest deemed denied on a Saturday 30th day, never rolled",
			c:    protestCase(Protest{Protested: d("2026-06-01"), Filed: d("2026-06-04"), Grounds: []Ground{GroundValue, GroundExclusion}}),
			want: "File protest=2026-11-30 deadline met; Decide exclusion protest=2026-07-03 deemed on 2026-07-04 action",
			due:  "2026-07-03",
		},
		{
			// 2027-12-01 + 30 = Friday 2027-12-31, New Year's Day 2028 observed: deemed denied that day (not on
			// Monday 2028-01-03), act by Thursday 12-30. The AFR's 30 days, a deadline, do roll to 01-03.
			name: "174.21(b) vs 1515(a): the same 30th day on an observed holiday, deemed versus deadline",
			c:    protestCase(Protest{Filed: d("2027-12-01"), FurtherReview: true, Grounds: []Ground{GroundExclusion}}),
			want: "Decide exclusion protest=2027-12-30 deemed on 2027-12-31 action; Decide application for further review=2028-01-03 deadline action",
			due:  "2027-12-30",
		},
		{
			// Mailed 2026-04-06, the 91st day after filing: deemed denied on the 30th day after mailing, 05-06.
			name: "1515(b): accelerated disposition mailed after 90 days moves the clock earlier",
			c:    protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-04-06"), Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-01-05 deadline action; Decide before deemed denial (accelerated disposition)=2026-05-05 deemed on 2026-05-06 action",
			due:  "2026-05-05",
		},
		{
			// Mailed on the 90th day (2026-04-05), not after it: no effect, no clock (the nearly right reading
			// would make the protest deemed denied on 05-05).
			name: "1515(b): accelerated disposition mailed on the 90th day is premature",
			c:    protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-04-05"), Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-01-05 deadline action",
			due:  "2028-01-05",
		},
		{
			name: "1515(b): a premature request for accelerated disposition does not move an exclusion clock",
			c:    protestCase(Protest{Filed: d("2026-03-02"), AccelMailed: d("2026-03-20"), Grounds: []Ground{GroundExclusion}}),
			want: "Decide exclusion protest=2026-03-31 deemed on 2026-04-01 action",
			due:  "2026-03-31",
		},
		{
			// AFR filed 2026-05-01 + 30 = Sunday 05-31 → Monday 06-01; 2 years after 2026-04-01 is Saturday
			// 2028-04-01 → Monday 04-03. The AFR is timely: within the protest's own 180 days.
			name: "1515(a): further review: 30 days from the application",
			c: protestCase(Protest{Protested: d("2026-03-02"), Filed: d("2026-04-01"), FurtherReview: true, AFRFiled: d("2026-05-01"),
				Grounds: []Ground{GroundValue}}),
			want: "File protest=2026-08-31 deadline met; Decide protest=2028-04-03 deadline action; File application for further review=2026-08-31 deadline met; Decide application for further review=2026-06-01 deadline action",
			due:  "2026-06-01",
		},
		{
			name: "1515(a): further review filed with the protest",
			c:    protestCase(Protest{Filed: d("2026-04-01"), FurtherReview: true, Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-04-03 deadline action; Decide application for further review=2026-05-01 deadline action",
			due:  "2026-05-01",
		},
		{
			// The application was allowed on 05-20: its 30 days are met, though the case is still open.
			name: "1515(a): further review allowed in time is met by AFRDecided",
			c: protestCase(Protest{Filed: d("2026-04-01"), FurtherReview: true, AFRFiled: d("2026-05-01"), AFRDecided: d("2026-05-20"),
				Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-04-03 deadline action; Decide application for further review=2026-06-01 deadline action met",
			due:  "2028-04-03",
		},
		{
			// Denied 2026-05-20: the request to set the denial aside is due 60 days later, Sunday 07-19 → 07-20.
			name: "1515(c): a denied application opens 60 days to request that the denial be set aside",
			c: protestCase(Protest{Filed: d("2026-04-01"), FurtherReview: true, AFRFiled: d("2026-05-01"), AFRDecided: d("2026-05-20"),
				AFRDenied: true, Grounds: []Ground{GroundValue}}),
			want: "Decide protest=2028-04-03 deadline action; Decide application for further review=2026-06-01 deadline action met; Request to set aside the denial of further review=2026-07-20 deadline",
			due:  "2028-04-03",
		},
		// --- PSC: ACE PSC rule; CBP notice of 14 Aug 2019; 19 U.S.C. 1504 -----------------------------------------
		{
			// Entry 2025-05-04 + 300 = Saturday 2026-02-28: an electronic window, so it closes that day and a PSC
			// filed on Monday 03-02 is late (a rolled deadline would take it).
			name: "ACE: PSC whose 300th day is a Saturday does not roll",
			c:    pscCase(EntrySummary{EntryDate: d("2025-05-04"), Liquidates: d("2026-03-20")}, d("2026-03-02")),
			want: "File PSC=2026-02-28 before; Act before liquidation=2026-03-19 before action",
			due:  "2026-03-19",
		},
		{
			name: "ACE: PSC filed on its Saturday 300th day is in time",
			c:    pscCase(EntrySummary{EntryDate: d("2025-05-04"), Liquidates: d("2026-03-20")}, d("2026-02-28")),
			want: "File PSC=2026-02-28 before met; Act before liquidation=2026-03-19 before action",
			due:  "2026-03-19",
		},
		{
			// Liquidation 2026-03-10 − 15 = Monday 02-23, earlier than 300 days after entry.
			name: "ACE: PSC window: 15 days before scheduled liquidation",
			c:    pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-10")}, d("2026-02-23")),
			want: "File PSC=2026-02-23 before met; Act before liquidation=2026-03-09 before action",
			due:  "2026-03-09",
		},
		{
			// Liquidation Sunday 2026-03-15 − 15 = Saturday 02-28: a "before" limit never moves toward liquidation,
			// so not Monday 03-02; the Center acts by Saturday 03-14, the day before liquidation.
			name: "ACE: PSC window 15 days before a Sunday liquidation lands on a Saturday and stays",
			c:    pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-15")}, d("2026-01-15")),
			want: "File PSC=2026-02-28 before met; Act before liquidation=2026-03-14 before action",
			due:  "2026-03-14",
		},
		{
			// Extended to 2027-03-10: the 300-day limit (2026-03-01) falls away and the window closes 15 days
			// before the extended date, 2027-02-23, so a PSC filed 2026-12-01 is in time.
			name: "CBP notice 14 Aug 2019: extended liquidation: 15 days before the extended date, no 300-day limit",
			c: pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-10"), Extended: d("2027-03-10"),
				Extensions: []Date{d("2026-02-01")}}, d("2026-12-01")),
			want: "File PSC=2027-02-23 before met; Act before liquidation=2027-03-09 before action",
			due:  "2027-03-09",
		},
		{
			// Scheduled 2026-06-01, more than a year after the entry of 2025-05-05, with no extension: the entry
			// is deemed liquidated on 2026-05-05 (not 06-01), so the Center acts by 05-04.
			name: "1504(a): no extension on record: deemed liquidated one year after entry",
			c:    pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-06-01")}, d("2026-01-15")),
			want: "File PSC=2026-03-01 before met; Act before liquidation=2026-05-04 deemed on 2026-05-05 action",
			due:  "2026-05-04",
		},
		{
			// Suspended by statute or court order: no deemed liquidation and no scheduled one in sight.
			name: "1504(a): suspended liquidation: no deemed liquidation while suspended",
			c:    pscCase(EntrySummary{EntryDate: d("2024-01-10"), Suspended: d("2024-02-01")}, d("2024-06-03")),
			want: "File PSC=2024-11-05 before met",
			due:  "",
		},
		{
			// Suspension removed 2026-03-31: liquidation within six months, or deemed on 2026-09-30.
			name: "1504(d): six months after the suspension ends",
			c:    pscCase(EntrySummary{EntryDate: d("2024-01-10"), Suspended: d("2024-02-01"), Unsuspended: d("2026-03-31")}, d("2024-06-03")),
			want: "File PSC=2024-11-05 before met; Act before liquidation=2026-09-29 deemed on 2026-09-30 action",
			due:  "2026-09-29",
		},
		// --- PEA ------------------------------------------------------------------------------------------------
		{
			// 20 working days before Friday 2026-07-31, skipping the observed Independence Day on 07-03.
			name: "PEA: filed on the last working day of its window",
			c: &Case{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-09-20"), Liquidates: d("2026-07-31")},
				PEA: &PEA{Filed: d("2026-07-02")}},
			want: "File PEA=2026-07-02 before met; Act before liquidation=2026-07-30 before action",
			due:  "2026-07-30",
		},
		{
			name: "PEA: filed one day late",
			c: &Case{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-09-20"), Liquidates: d("2026-07-31")},
				PEA: &PEA{Filed: d("2026-07-03")}},
			want: "File PEA=2026-07-02 before; Act before liquidation=2026-07-30 before action",
			due:  "2026-07-30",
		},
		// --- prior disclosure: 19 CFR 162.74 ----------------------------------------------------------------------
		{
			// 2026-06-24 + 10 = Saturday 07-04 → Monday 07-06; + 30 = Friday 07-24; + 90 = Tuesday 09-22.
			name: "162.74: oral disclosure confirmed and perfected in time",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Confirmed: d("2026-07-06"), Perfected: d("2026-07-24")}},
			want: "Confirm in writing=2026-07-06 deadline met; Perfect disclosure=2026-07-24 deadline met; Validate disclosure=2026-09-22 deadline action",
			due:  "2026-09-22",
		},
		{
			name: "162.74: oral disclosure confirmed late and not perfected",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Confirmed: d("2026-07-07")}},
			want: "Confirm in writing=2026-07-06 deadline; Perfect disclosure=2026-07-24 deadline; Validate disclosure=2026-09-22 deadline action",
			due:  "2026-09-22",
		},
		{
			name: "162.74(a)(2): written confirmation waived for good cause is met",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, ConfirmWaived: d("2026-07-10"), Perfected: d("2026-07-20")}},
			want: "Confirm in writing=2026-07-06 deadline met; Perfect disclosure=2026-07-24 deadline met; Validate disclosure=2026-09-22 deadline action",
			due:  "2026-09-22",
		},
		{
			// Extended to Saturday 2026-08-15 → Monday 08-17: perfected on 08-17 is in time (not late against the
			// 30 days, 07-24).
			name: "162.74(b)(4): perfection extended",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), PerfectionExtended: d("2026-08-15"), Perfected: d("2026-08-17")}},
			want: "Perfect disclosure=2026-08-17 deadline met; Validate disclosure=2026-09-22 deadline action",
			due:  "2026-09-22",
		},
		{
			// Calculation notified 2026-09-01: payment in 30 days, Thursday 10-01. Tendered short: not met.
			name: "162.74(c): payment 30 days after CBP notifies its calculation",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Calculated: d("2026-09-01"), LostRevenue: 10_000_00, Tender: 9_000_00}},
			want: "Pay the actual loss of revenue=2026-10-01 deadline; Validate disclosure=2026-09-22 deadline action",
			due:  "2026-09-22",
		},
		{
			name: "written disclosure: no confirmation clock, no perfection clock when complete",
			c:    &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24")}},
			want: "Validate disclosure=2026-09-22 deadline action",
			due:  "2026-09-22",
		},
		// --- validation (local policy) ------------------------------------------------------------------------
		{
			// The first assignment was 2026-08-05; the case was reassigned on 2026-12-07. The clock runs from the
			// first: 2026-11-03, not 2027-03-08.
			name: "local policy: validation runs from the first assignment, not the reassignment",
			c: &Case{Kind: KindValidation, Status: StatusAssigned, Received: d("2026-08-01"), FirstAssigned: d("2026-08-05"),
				Assigned: d("2026-12-07"), Validation: &Validation{Program: ProgramISA}},
			want: "Complete validation=2026-11-03 deadline action",
			due:  "2026-11-03",
		},
		{
			name: "local policy: validation of an old record (no first assignment kept) runs from its assignment",
			c:    &Case{Kind: KindValidation, Status: StatusAssigned, Received: d("2026-09-20"), Assigned: d("2026-10-01"), Validation: &Validation{Program: ProgramISA}},
			want: "Complete validation=2026-12-30 deadline action",
			due:  "2026-12-30",
		},
		{
			// 2026-09-26 + 90 = Christmas Day, Friday 2026-12-25 → Monday 12-28.
			name: "local policy: validation not yet assigned counts from receipt",
			c:    &Case{Kind: KindValidation, Status: StatusNew, Received: d("2026-09-26"), Validation: &Validation{Program: ProgramISA}},
			want: "Complete validation=2026-12-28 deadline action",
			due:  "2026-12-28",
		},
		{
			name: "local policy: validation due set by the supervisor, on New Year's Day 2028 observed",
			c: &Case{Kind: KindValidation, Status: StatusAssigned, FirstAssigned: d("2027-10-01"), Assigned: d("2027-12-20"),
				Validation: &Validation{Program: ProgramCTPAT, Due: d("2027-12-31")}},
			want: "Complete validation=2028-01-03 deadline action",
			due:  "2028-01-03",
		},
		// --- requests and notices ------------------------------------------------------------------------------
		{
			// An unanswered CF-28 is a clock of the case, and orders the queue before the 2-year clock.
			name: "CF-28: an unanswered request orders the queue",
			c: func() *Case {
				c := protestCase(Protest{Filed: d("2026-01-05"), Grounds: []Ground{GroundValue}})
				c.Status = StatusAwaitingInfo
				c.Requests = []InfoRequest{{By: "alice", At: d("2026-03-02").Time(), Due: d("2026-04-01"), Question: "q"}}
				return c
			}(),
			want: "Decide protest=2028-01-05 deadline action; Answer request for information (CBP Form 28)=2026-04-01 deadline action",
			due:  "2026-04-01",
		},
		{
			name: "CF-28: an answered request is met and leaves the queue order",
			c: func() *Case {
				c := protestCase(Protest{Filed: d("2026-01-05"), Grounds: []Ground{GroundValue}})
				c.Requests = []InfoRequest{{By: "alice", At: d("2026-03-02").Time(), Due: d("2026-04-01"), Question: "q", Answered: d("2026-03-20"), Answer: "a"}}
				return c
			}(),
			want: "Decide protest=2028-01-05 deadline action; Answer request for information (CBP Form 28)=2026-04-01 deadline action met",
			due:  "2028-01-05",
		},
		{
			// Proposed 2026-03-02: 20 days to reply, Sunday 03-22 → Monday 03-23; CBP may act after it.
			name: "CF-29: a proposed action has 20 days for the reply",
			c: func() *Case {
				c := pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, d("2026-01-15"))
				c.Notices = []ActionNotice{{By: "alice", Sent: d("2026-03-02"), Proposed: true, Action: "reclassify"}}
				return c
			}(),
			want: "File PSC=2026-03-01 before met; Act before liquidation=2026-03-19 before action; Reply to proposed action (CBP Form 29)=2026-03-23 deadline",
			due:  "2026-03-19",
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

// A clock is met only by a final act (domain.md "Counting"): the approval date is the decision date.
func TestFinalActMeetsClocks(t *testing.T) {
	p := DefaultPolicy()
	excl := func() *Case {
		return protestCase(Protest{Protested: d("2026-06-01"), Filed: d("2026-06-04"), Grounds: []Ground{GroundExclusion}})
	}
	cases := []struct {
		name     string
		c        *Case
		met      bool
		findings []string
	}{
		{
			name: "174.21(b): exclusion denial decided and approved before the 30th day meets the clock",
			c:    approvedOn(decided(excl(), OutcomeDenied, d("2026-07-01")), d("2026-07-03")),
			met:  true,
			findings: []string{
				"the mailing date of the notice of denial is not recorded",
			},
		},
		{
			// Decided 07-01 but approved Monday 07-06, after the deemed denial of Saturday 07-04: not met, and
			// court review runs from the deemed denial: 07-04 + 180 = Thursday 2026-12-31.
			name: "174.21(b): exclusion denial approved after the 30th day is not met",
			c:    approvedOn(decided(excl(), OutcomeDenied, d("2026-07-01")), d("2026-07-06")),
			met:  false,
			findings: []string{
				"exclusion protest deemed denied on 2026-07-04 (30th day after the filing of 2026-06-04): the decision of 2026-07-01, approved 2026-07-06 came after it and changes nothing [19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)]",
			},
		},
		{
			name: "174.21(b): an allowance on the deemed-denial day itself changes nothing",
			c:    decided(excl(), OutcomeAllowed, d("2026-07-04")),
			met:  false,
			findings: []string{
				"exclusion protest deemed denied on 2026-07-04",
			},
		},
		{
			name: "a decision waiting for approval meets nothing",
			c: func() *Case {
				c := decided(excl(), OutcomeDenied, d("2026-06-10"))
				c.Status, c.Decision.Approval = StatusPendingApproval, true
				return c
			}(),
			met: false,
			findings: []string{
				"exclusion protest deemed denied on 2026-07-04: not decided by 2026-07-03",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k, ok := findClock(Clocks(tc.c, p), ClockDecideExclusion)
			if !ok || k.Met != tc.met {
				t.Errorf("%s met = %v; want %v", ClockDecideExclusion, k.Met, tc.met)
			}
			got := Findings(tc.c, p, d("2026-07-10"))
			if len(got) != len(tc.findings) {
				t.Fatalf("findings:\n%s\nwant %d", findingTexts(got), len(tc.findings))
			}
			for i, w := range tc.findings {
				if line := got[i].Text + " [" + got[i].Basis + "]"; !strings.HasPrefix(line, w) {
					t.Errorf("finding %d:\n got %s\nwant %s", i, line, w)
				}
			}
		})
	}
	late := approvedOn(decided(excl(), OutcomeDenied, d("2026-07-01")), d("2026-07-06"))
	if k, ok := findClock(Clocks(late, p), ClockCourt); !ok || k.Due != d("2026-12-31") || k.Action {
		t.Errorf("28 U.S.C. 2636(a): court clock after a deemed denial: %+v, %v", k, ok)
	}
}

// 28 U.S.C. 2636(a); 19 CFR 174.31: 180 days from the mailing of the notice of denial, or from a deemed denial.
func TestCourtDeadline(t *testing.T) {
	p := DefaultPolicy()
	denied := decided(protestCase(Protest{Filed: d("2026-01-05"), Grounds: []Ground{GroundValue}}), OutcomeDeniedInPart, d("2026-03-04"))
	if _, ok := CourtDeadline(denied); ok {
		t.Errorf("no mailing date recorded: no court clock")
	}
	denied.Protest.DenialMailed = d("2026-03-06")
	// 2026-03-06 + 180 = Wednesday 2026-09-02, not 180 days from the decision (08-31).
	if got, ok := CourtDeadline(denied); !ok || got != d("2026-09-02") {
		t.Errorf("from the mailing: %s, %v", got, ok)
	}
	if k, ok := findClock(Clocks(denied, p), ClockCourt); !ok || k.Due != d("2026-09-02") || k.Kind != DateDeadline {
		t.Errorf("the court clock on a decided protest: %+v", k)
	}
	allowed := decided(protestCase(Protest{Filed: d("2026-01-05"), Grounds: []Ground{GroundValue}}), OutcomeAllowed, d("2026-03-04"))
	if _, ok := CourtDeadline(allowed); ok {
		t.Errorf("an allowed protest has no court clock")
	}
	// A valid accelerated request mailed 2026-04-06: deemed denied on 05-06. Decided (denied) only on 05-20, with
	// the notice mailed 05-22: the court clock runs from the deemed denial, 05-06 + 180 = Monday 2026-11-02, the
	// earlier of the two.
	late := decided(protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-04-06"), DenialMailed: d("2026-05-22"),
		Grounds: []Ground{GroundValue}}), OutcomeDenied, d("2026-05-20"))
	if got, ok := CourtDeadline(late); !ok || got != d("2026-11-02") {
		t.Errorf("from the deemed denial: %s, %v", got, ok)
	}
	open := protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-04-06"), Grounds: []Ground{GroundValue}})
	if _, ok := CourtDeadline(open); ok {
		t.Errorf("an open protest has no court deadline here")
	}
	if fs := Findings(open, p, d("2026-05-06")); len(fs) != 1 || !strings.Contains(fs[0].Text, "Court of International Trade by 2026-11-02") {
		t.Errorf("the finding of an open deemed denial gives the date: %s", findingTexts(fs))
	}
}

func TestClockBases(t *testing.T) {
	p := DefaultPolicy()
	c := protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-02-02"), AccelMailed: d("2026-06-02"),
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
	if k, _ := findClock(cs, ClockAccelerated); k.Rule != "30th day after accelerated disposition was requested by mail on 2026-06-02" || k.Event != "deemed denied" {
		t.Errorf("accelerated rule %q, event %q", k.Rule, k.Event)
	}
	ex := protestCase(Protest{Filed: d("2026-02-02"), Grounds: []Ground{GroundExclusion}})
	if k, _ := findClock(Clocks(ex, p), ClockDecideExclusion); k.Basis != "19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)" {
		t.Errorf("exclusion basis %q", k.Basis)
	}
	pd := &Case{Kind: KindDisclosure, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Calculated: d("2026-07-01")}}
	cs = Clocks(pd, p)
	for name, basis := range map[string]string{ClockConfirmInWriting: "19 CFR 162.74(a)(2)", ClockPerfectDisclosure: "19 CFR 162.74(b)(4)",
		ClockPayLoss: "19 CFR 162.74(c)", ClockValidateDisclosure: "local policy"} {
		if k, ok := findClock(cs, name); !ok || k.Basis != basis {
			t.Errorf("%s: basis %q; want %q", name, k.Basis, basis)
		}
	}
	psc := pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, 0)
	if k, _ := findClock(Clocks(psc, p), ClockFilePSC); !strings.HasPrefix(k.Basis, "ACE PSC rule") || k.Kind != DateBefore {
		t.Errorf("PSC basis %q, kind %s", k.Basis, k.Kind)
	}
}

func TestClockStatus(t *testing.T) {
	k := Clock{Due: d("2026-07-03")}
	for today, want := range map[string]string{"2026-07-03": "open", "2026-07-04": "passed"} {
		if got := k.Status(d(today)); got != want {
			t.Errorf("%s: %s; want %s", today, got, want)
		}
	}
	k.Met = true
	if k.Status(d("2026-08-01")) != "met" {
		t.Errorf("met")
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
	c := protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-04-06"), Grounds: []Ground{GroundValue}})
	decided(c, OutcomeAllowed, d("2026-05-05"))
	for _, k := range Clocks(c, p) {
		if !k.Met {
			t.Errorf("%s decided before it: should be met", k.Name)
		}
	}
	if got := DueDate(c, p); got != d("2026-05-05") {
		t.Errorf("a decided case keeps its earliest action clock as its due date: %s", got)
	}
	if f := Findings(c, p, d("2026-12-01")); len(f) != 0 {
		t.Errorf("a decided case has no overdue findings: %v", f)
	}
	c.Decision.On = d("2026-05-06") // the deemed-denial day
	k, _ := findClock(Clocks(c, p), ClockAccelerated)
	if k.Met {
		t.Errorf("decided on the day of the deemed denial: not met")
	}
	if got := DueDate(c, p); got != d("2026-05-05") {
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
			name:  "ACE: PSC filed one day late",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, d("2026-03-02")),
			today: "2026-03-04",
			want:  []string{"PSC filed 2026-03-02, after its window closed 2026-03-01 (300 days after the entry of 2025-05-05) [ACE PSC rule"},
		},
		{
			name:  "ACE: PSC in time",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, d("2026-03-01")),
			today: "2026-03-04",
			want:  nil,
		},
		{
			name:  "ACE: PSC late against the liquidation bound",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-10")}, d("2026-02-24")),
			today: "2026-02-25",
			want:  []string{"PSC filed 2026-02-24, after its window closed 2026-02-23 (15 days before the scheduled liquidation on 2026-03-10)"},
		},
		{
			name:  "1514: PSC whose entry has liquidated",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20"), Liquidated: d("2026-03-20")}, d("2026-01-15")),
			today: "2026-03-25",
			want:  []string{"entry liquidated 2026-03-20; the remedy is a protest [19 U.S.C. 1514]"},
		},
		{
			// The Center's last day was 03-19, the day before the scheduled liquidation.
			name:  "1504: PSC past its scheduled liquidation, liquidation not yet recorded",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, d("2026-01-15")),
			today: "2026-03-20",
			want:  []string{"Act before liquidation: due 2026-03-19 (before the scheduled liquidation on 2026-03-20), 1 day overdue"},
		},
		{
			name:  "1504(a): scheduled more than a year after entry with no extension, and deemed liquidated",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-06-01")}, d("2026-01-15")),
			today: "2026-05-05",
			want: []string{
				"entry deemed liquidated on 2026-05-05 (one year after the entry of 2025-05-05, no extension on record); a PSC can no longer be acted on and the remedy is a protest",
				"scheduled liquidation 2026-06-01 is more than a year after the entry of 2025-05-05 with no extension on record: the entry is deemed liquidated on 2026-05-05 [19 U.S.C. 1504(a)]",
			},
		},
		{
			name:  "1504(a): the day before the deemed liquidation, only the scheduling finding",
			c:     pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-06-01")}, d("2026-01-15")),
			today: "2026-05-04",
			want:  []string{"scheduled liquidation 2026-06-01 is more than a year after the entry"},
		},
		{
			name: "1504(b): an extension on record: no finding",
			c: pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-06-01"), Extended: d("2027-03-10"),
				Extensions: []Date{d("2026-02-01")}}, d("2026-01-15")),
			today: "2026-05-05",
			want:  nil,
		},
		{
			name: "PEA filed late and liquidated",
			c: &Case{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{Liquidates: d("2026-07-31"), Liquidated: d("2026-07-31")},
				PEA: &PEA{Filed: d("2026-07-03")}},
			today: "2026-08-03",
			want: []string{
				"PEA filed 2026-07-03, after its window closed 2026-07-02 (20 working days before the scheduled liquidation on 2026-07-31)",
				"entry liquidated 2026-07-31; the remedy is a protest",
			},
		},
		{
			name:  "1514(c)(3): untimely protest",
			c:     protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-07-07"), Grounds: []Ground{GroundValue}}),
			today: "2026-07-08",
			want:  []string{"protest filed 2026-07-07, after its window closed 2026-07-06 (180 days after the protested decision of 2026-01-05) [19 U.S.C. 1514(c)(3)]"},
		},
		{
			// Deemed denied on Saturday 07-04 itself: the finding is there that day, not on Tuesday 07-07.
			name:  "174.21(b): exclusion protest deemed denied on its Saturday 30th day",
			c:     protestCase(Protest{Filed: d("2026-06-04"), Grounds: []Ground{GroundExclusion}}),
			today: "2026-07-04",
			want: []string{"exclusion protest deemed denied on 2026-07-04: not decided by 2026-07-03 (30th day after the filing of 2026-06-04); " +
				"the protestant may contest it in the Court of International Trade by 2026-12-31 (28 U.S.C. 2636(a)) [19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)]"},
		},
		{
			name:  "174.21(b): exclusion protest on its last day to act is not yet deemed denied",
			c:     protestCase(Protest{Filed: d("2026-06-04"), Grounds: []Ground{GroundExclusion}}),
			today: "2026-07-03",
			want:  nil,
		},
		{
			name:  "1515(b): accelerated protest deemed denied",
			c:     protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-04-06"), Grounds: []Ground{GroundValue}}),
			today: "2026-05-06",
			want:  []string{"protest deemed denied on 2026-05-06: not decided by 2026-05-05 (30th day after accelerated disposition was requested by mail on 2026-04-06)"},
		},
		{
			name:  "1515(b); 174.22: premature request for accelerated disposition",
			c:     protestCase(Protest{Filed: d("2026-01-05"), AccelMailed: d("2026-03-02"), Grounds: []Ground{GroundValue}}),
			today: "2026-04-02",
			want: []string{"accelerated disposition requested by mail 2026-03-02, not after 90 days following the filing of 2026-01-05 (the earliest day is 2026-04-06): " +
				"the request has no effect and moves no clock [19 U.S.C. 1515(b); 19 CFR 174.22(a)]"},
		},
		{
			name: "1515(a): late application for further review",
			c: protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-02-02"), FurtherReview: true, AFRFiled: d("2026-07-07"),
				Grounds: []Ground{GroundValue}}),
			today: "2026-07-08",
			want: []string{"application for further review filed 2026-07-07, after its window closed 2026-07-06 " +
				"(the time allowed for the protest: 180 days after the protested decision of 2026-01-05) [19 U.S.C. 1515(a); 19 CFR 174.25]"},
		},
		{
			name: "1515(a): application for further review decided after its 30 days",
			c: protestCase(Protest{Filed: d("2026-04-01"), FurtherReview: true, AFRFiled: d("2026-05-01"), AFRDecided: d("2026-06-02"),
				Grounds: []Ground{GroundValue}}),
			today: "2026-06-03",
			want:  []string{"application for further review allowed or denied 2026-06-02, after its window closed 2026-06-01"},
		},
		{
			name:  "174.21(a): protest two years old",
			c:     protestCase(Protest{Filed: d("2024-01-10"), Grounds: []Ground{GroundValue}}),
			today: "2026-01-15",
			want:  []string{"Decide protest: due 2026-01-12 (2 years after the filing of 2024-01-10), 3 days overdue [19 CFR 174.21(a)]"},
		},
		{
			name:  "162.74(a)(2): oral disclosure not confirmed",
			c:     &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}},
			today: "2026-07-07",
			want:  []string{"oral disclosure not confirmed in writing by 2026-07-06 (10 days after the oral disclosure of 2026-06-24) [19 CFR 162.74(a)(2)]"},
		},
		{
			name: "162.74(a)(2): confirmation waived: no finding",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, ConfirmWaived: d("2026-07-10"), Perfected: d("2026-07-20")}},
			today: "2026-07-27",
			want:  nil,
		},
		{
			name:  "162.74(a)(2): oral disclosure not confirmed, still within its 10 days",
			c:     &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}},
			today: "2026-07-06",
			want:  nil,
		},
		{
			name:  "162.74: oral disclosure confirmed late, not perfected",
			c:     &Case{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true, Confirmed: d("2026-07-08")}},
			today: "2026-07-27",
			want: []string{
				"oral disclosure confirmed in writing 2026-07-08, after its window closed 2026-07-06 (10 days after the oral disclosure of 2026-06-24)",
				"disclosure not perfected by 2026-07-24 (30 days after the disclosure of 2026-06-24) [19 CFR 162.74(b)(4)]",
			},
		},
		{
			name: "162.74(c): a short tender is a shortfall before its payment date",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Calculated: d("2026-09-01"), LostRevenue: 10_000_00, Tender: 9_000_00}},
			today: "2026-09-02",
			want:  []string{"tender $9,000.00 is $1,000.00 short of the loss computed $10,000.00 [19 U.S.C. 1592(c)(4); 19 CFR 162.74(c)]"},
		},
		{
			name: "162.74(c): and unpaid after it",
			c: &Case{Kind: KindDisclosure, Status: StatusAssigned,
				Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Calculated: d("2026-09-01"), LostRevenue: 10_000_00, Tender: 9_000_00}},
			today: "2026-10-02",
			want: []string{
				"actual loss of revenue not paid by 2026-10-01 (30 days after CBP notified its calculation on 2026-09-01): the tender $9,000.00 is $1,000.00 short of the loss computed $10,000.00 [19 CFR 162.74(c)]",
				"Validate disclosure: due 2026-09-22",
			},
		},
		{
			name:  "local policy: validation overdue by one day",
			c:     &Case{Kind: KindValidation, Status: StatusInReview, Assigned: d("2026-10-01"), Validation: &Validation{}},
			today: "2026-12-31",
			want:  []string{"Complete validation: due 2026-12-30 (90 days after assignment on 2026-10-01), 1 day overdue [local policy]"},
		},
		{
			name: "CF-28: unanswered past its date",
			c: func() *Case {
				c := protestCase(Protest{Filed: d("2026-01-05"), Grounds: []Ground{GroundValue}})
				c.Status = StatusAwaitingInfo
				c.Requests = []InfoRequest{{By: "alice", At: d("2026-03-02").Time(), Due: d("2026-04-01"), Question: "q"}}
				return c
			}(),
			today: "2026-04-02",
			want: []string{"Answer request for information (CBP Form 28): due 2026-04-01 (the answer date set by the request of 2026-03-02), 1 day overdue: " +
				"unanswered, the Center may act on what it has"},
		},
		{
			name: "CF-29: no reply in the 20 days",
			c: func() *Case {
				c := pscCase(EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-04-20")}, d("2026-01-15"))
				c.Notices = []ActionNotice{{By: "alice", Sent: d("2026-03-02"), Proposed: true, Action: "reclassify"}}
				return c
			}(),
			today: "2026-03-24",
			want:  []string{"reply to the proposed action not received by 2026-03-23 (20 days after the notice of 2026-03-02): CBP may act [CBP Form 29"},
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

func TestAddMonths(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-31": "2026-09-30",
		"2026-08-31": "2027-02-28",
		"2027-08-31": "2028-02-29",
		"2026-01-15": "2026-07-15",
	} {
		if got := addMonths(d(in), 6); got != d(want) {
			t.Errorf("addMonths(%s, 6) = %s; want %s", in, got, want)
		}
	}
}

func benchCases() []*Case {
	withRequest := protestCase(Protest{Filed: d("2026-02-02"), Grounds: []Ground{GroundExclusion}})
	withRequest.Requests = []InfoRequest{{Due: d("2026-02-20")}, {Due: d("2026-02-25"), Answered: d("2026-02-21")}}
	return []*Case{
		protestCase(Protest{Protested: d("2026-01-05"), Filed: d("2026-02-02"), AccelMailed: d("2026-06-02"), FurtherReview: true,
			AFRFiled: d("2026-02-10"), Grounds: []Ground{GroundValue}}),
		{Kind: KindPSC, Status: StatusAssigned, Entry: EntrySummary{EntryDate: d("2025-05-05"), Liquidates: d("2026-03-20")}, PSC: &PSC{Filed: d("2026-03-02")}},
		{Kind: KindPEA, Status: StatusAssigned, Entry: EntrySummary{Liquidates: d("2026-07-31")}, PEA: &PEA{Filed: d("2026-07-02")}},
		{Kind: KindDisclosure, Status: StatusAssigned, Disclosure: &Disclosure{Disclosed: d("2026-06-24"), Oral: true}},
		{Kind: KindValidation, Status: StatusAssigned, Assigned: d("2026-10-01"), Validation: &Validation{}},
		withRequest,
	}
}

func TestDueDateAllocatesNothing(t *testing.T) {
	p := DefaultPolicy()
	for _, c := range benchCases() {
		if n := testing.AllocsPerRun(100, func() { _ = DueDate(c, p) }); n != 0 {
			t.Errorf("%s: DueDate allocates %.0f times", c.Kind, n)
		}
	}
}

func BenchmarkDueDate(b *testing.B) {
	p := DefaultPolicy()
	// The cases measured before this change, so the numbers compare.
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
