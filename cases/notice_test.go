package cases

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateNotices = flag.Bool("update-notices", false, "rewrite the golden notices in testdata/notice")

var noticeToday = NewDate(2026, time.March, 2)

// noticeCase is a decided case of the Electronics Center on entry B76-0324527-8, with three lines.
func noticeCase(kind Kind) *Case {
	c := &Case{
		ID: "2704-26-100123", Kind: kind, Center: "ELEC", Version: 7, Status: StatusDecided,
		Importer: Importer{Number: "95-1234567A0", Name: "Acme Electronics Corp"},
		Entry: EntrySummary{Number: "B76-0324527-8", Type: "01", Port: "2704", EntryDate: NewDate(2025, 1, 6),
			Liquidates: NewDate(2025, 11, 17), Lines: []Line{
				{Number: 1, HTS: "8471300100", Description: "Portable computers, 14 in.", Origin: "CN", Value: 48_000_00, Duty: 0},
				{Number: 2, HTS: "8517620090", Description: "Network switches", Origin: "TW", Value: 125_000_00, RateBP: 250, Duty: 3_125_00},
				{Number: 3, HTS: "8542310000", Description: "Processors", Origin: "MY", Value: 310_000_00, Duty: 0},
			}},
		Received: NewDate(2026, 1, 5), Assignee: "alice",
	}
	return c
}

func noticeProtest(o Outcome) *Case {
	c := noticeCase(KindProtest)
	c.Entry.Liquidated = NewDate(2025, 11, 14)
	c.Protest = &Protest{Number: "2704-26-100123", Filed: NewDate(2026, 1, 5), Protested: NewDate(2025, 11, 14),
		Grounds: []Ground{GroundClassification}, Claimed: 12_345_67}
	c.Decision = &Decision{Outcome: o, By: "alice", On: NewDate(2026, 2, 20)}
	return c
}

func approved(c *Case, by string, on Date) *Case {
	c.Decision.Approval, c.Decision.Approver = true, by
	c.Decision.Approved = on.Time().Add(14 * time.Hour)
	return c
}

// noticeCases are one case for each notice ceedesk prints, by the name of its golden file.
func noticeCases() map[string]*Case {
	cs := map[string]*Case{}

	c := noticeProtest(OutcomeAllowed)
	c.Decision.Amount = 12_345_67
	c.Decision.Reasons = "The network switches are classified in subheading 8517.62.0090, free of duty, as claimed."
	cs["protest-allowed"] = c

	c = approved(noticeProtest(OutcomeDenied), "sofia", NewDate(2026, 2, 24))
	c.Decision.Reasons = "The switches are not network equipment of heading 8517: they are sold as parts of the portable computers.\n\nSee HQ H123456 (2019)."
	c.Protest.DenialMailed = NewDate(2026, 2, 25)
	cs["protest-denied"] = c

	c = noticeProtest(OutcomeDenied)
	c.Decision.Reasons = "The protest raises no question of classification that the entry summary does not answer."
	cs["protest-denied-not-mailed"] = c

	c = approved(noticeProtest(OutcomeDeniedInPart), "sofia", NewDate(2026, 2, 24))
	c.Decision.Amount, c.Decision.Lines = 3_125_00, []int{2}
	c.Decision.Reasons = "Line 2 is classified as claimed. Lines 1 and 3 were entered free of duty; nothing is refunded on them."
	c.Protest.DenialMailed = NewDate(2026, 2, 26)
	cs["protest-denied-in-part"] = c

	c = noticeProtest(OutcomeDenied)
	c.Protest.Grounds = []Ground{GroundExclusion}
	c.Protest.Filed = NewDate(2026, 1, 5)
	c.Decision.On = NewDate(2026, 2, 20) // after the 30th day: deemed denied on 2026-02-04
	c.Decision.Reasons = "The goods were excluded as prohibited merchandise."
	c.Decision.LateAck = "decided after the protest was deemed denied"
	cs["protest-deemed-denied"] = c

	c = noticeProtest(OutcomeRejectedProt)
	c.Protest.Filed = NewDate(2026, 6, 1)
	c.Decision.Reasons = "The protest was filed 199 days after liquidation, after the 180 days 19 U.S.C. 1514(c)(3) allows."
	cs["protest-rejected"] = c

	c = approved(noticeProtest(OutcomeAFRDenied), "tom", NewDate(2026, 2, 27))
	c.Protest.FurtherReview, c.Protest.AFRFiled = true, NewDate(2026, 1, 5)
	c.Protest.AFRDecided, c.Protest.AFRDenied = NewDate(2026, 1, 30), true
	c.Protest.OriginalDeciders = []string{"bob"}
	c.Decision.Reasons = "On further review the classification stands."
	cs["protest-further-review-denied"] = c

	c = noticeCase(KindPSC)
	c.ID = "PSC-25-000001"
	c.PSC = &PSC{Filed: NewDate(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -1_250_00,
		Explanation: "Corrects the classification of line 2 to 8517.62.0090."}
	c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "Line 2 is correctly classified as entered.", By: "alice", On: NewDate(2025, 10, 15)}
	cs["psc-rejected"] = c

	c = noticeCase(KindPEA)
	c.ID = "PEA-25-000001"
	c.Entry.Extended = NewDate(2026, 11, 17)
	c.Entry.Extensions = []Date{NewDate(2026, 11, 17)}
	c.PEA = &PEA{Filed: NewDate(2025, 6, 1), DutyDiff: 900_00, Explanation: "Amends the entered value."}
	c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "The assist was already in the entered value.", By: "bob", On: NewDate(2025, 7, 1)}
	cs["pea-rejected"] = c

	c = noticeCase(KindPSC)
	c.ID = "PSC-25-000002"
	c.PSC = &PSC{Filed: NewDate(2025, 10, 1), Version: 2, ReasonCodes: []string{"003", "008"}, DutyDiff: 2_400_00, Explanation: "Adds an assist."}
	c.Decision = &Decision{Outcome: OutcomeNoticeOfAction, Reasons: "The value of line 1 is advanced by the assist of $96,000.00; duty is increased accordingly.",
		Amount: 2_400_00, By: "alice", On: NewDate(2025, 11, 3)}
	cs["psc-notice-of-action"] = c

	c = noticeCase(KindPSC)
	c.ID, c.Status, c.Decision = "PSC-25-000003", StatusAwaitingInfo, nil
	c.PSC = &PSC{Filed: NewDate(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -1_250_00, Explanation: "Reclassifies."}
	c.Requests = []InfoRequest{{By: "alice", At: time.Date(2026, 2, 2, 10, 15, 0, 0, time.UTC), Due: NewDate(2026, 3, 4),
		Question: "Send the technical literature of the network switches of line 2:\n1. data sheets;\n2. the bill of materials."}}
	cs["cf28"] = c

	c = noticeCase(KindPSC)
	c.ID, c.Status, c.Decision = "PSC-25-000003", StatusInReview, nil
	c.PSC = &PSC{Filed: NewDate(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -1_250_00, Explanation: "Reclassifies."}
	c.Requests = []InfoRequest{{By: "alice", At: time.Date(2026, 2, 2, 10, 15, 0, 0, time.UTC), Due: NewDate(2026, 3, 4),
		Question: "Send the technical literature of the network switches of line 2.",
		Answered: NewDate(2026, 2, 20), Answer: "Data sheets attached; the switches are managed Layer 3 switches.",
		RecordedBy: "alice", RecordedAt: time.Date(2026, 2, 20, 11, 0, 0, 0, time.UTC)}}
	cs["cf28-answered"] = c

	c = noticeCase(KindPSC)
	c.ID, c.Status, c.Decision = "PSC-25-000004", StatusInReview, nil
	c.PSC = &PSC{Filed: NewDate(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -1_250_00, Explanation: "Reclassifies."}
	c.Notices = []ActionNotice{{By: "alice", At: time.Date(2026, 2, 9, 9, 0, 0, 0, time.UTC), Sent: NewDate(2026, 2, 9), Proposed: true,
		Action:   "CBP proposes to classify line 2 in subheading 8517.62.0090 at 2.5% and to liquidate the entry with the duty of $3,125.00.",
		ReplyDue: NewDate(2026, 3, 2), Replied: NewDate(2026, 2, 23), Reply: "We disagree; see our letter of 2026-02-23."}}
	cs["cf29-proposed"] = c

	c = noticeCase(KindPSC)
	c.ID, c.Status, c.Decision = "PSC-25-000004", StatusInReview, nil
	c.PSC = &PSC{Filed: NewDate(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -1_250_00, Explanation: "Reclassifies."}
	c.Notices = []ActionNotice{{By: "sofia", At: time.Date(2026, 2, 27, 9, 0, 0, 0, time.UTC), Sent: NewDate(2026, 2, 27),
		Action: "Line 2 is classified in subheading 8517.62.0090; the entry summary is corrected accordingly."}}
	cs["cf29-taken"] = c

	c = noticeCase(KindDisclosure)
	c.ID = "PD-26-000001"
	c.Disclosure = &Disclosure{Disclosed: NewDate(2026, 1, 10), Oral: true, Confirmed: NewDate(2026, 1, 15), Perfected: NewDate(2026, 1, 20),
		LostRevenue: 48_200_00, Tender: 40_000_00, Calculated: NewDate(2026, 2, 10), Culpability: CulpabilityFraud}
	c.Decision = &Decision{Outcome: OutcomeValidated, Amount: 50_000_00, By: "bob", On: NewDate(2026, 2, 12),
		Reasons: "The undervaluation of line 3 was known to the importer's pricing department."}
	cs["disclosure-fraud"] = c

	c = noticeCase(KindDisclosure)
	c.ID = "PD-26-000002"
	c.Entry.Liquidated = NewDate(2025, 11, 14)
	c.Disclosure = &Disclosure{Disclosed: NewDate(2026, 1, 10), LostRevenue: 48_200_00, Tender: 48_200_00, Culpability: CulpabilityNegligence}
	c.Decision = &Decision{Outcome: OutcomeValidated, Amount: 48_200_00, By: "bob", On: NewDate(2026, 2, 12)}
	cs["disclosure-negligence"] = c

	c = noticeCase(KindDisclosure)
	c.ID = "PD-26-000003"
	c.Disclosure = &Disclosure{Disclosed: NewDate(2026, 1, 10), Oral: true, ConfirmWaived: NewDate(2026, 1, 19), LostRevenue: 10_000_00, Tender: 10_000_00}
	c.Decision = &Decision{Outcome: OutcomeValidated, Amount: 10_000_00, By: "bob", On: NewDate(2026, 2, 12)}
	cs["disclosure-undetermined"] = c
	return cs
}

// TestNoticeGolden renders each notice and compares it with testdata/notice/NAME.txt (go test ./cases
// -update-notices rewrites them).
func TestNoticeGolden(t *testing.T) {
	for name, c := range noticeCases() {
		t.Run(name, func(t *testing.T) {
			if errs := Validate(c); len(errs) > 0 {
				t.Fatalf("fixture is not a valid case: %v", errs)
			}
			doc, err := Notice(c, DefaultPolicy(), noticeToday)
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Text()
			for i, l := range strings.Split(got, "\n") {
				if n := len([]rune(l)); n > NoticeColumns {
					t.Errorf("line %d is %d characters, more than %d: %q", i+1, n, NoticeColumns, l)
				}
			}
			path := filepath.Join("testdata", "notice", name+".txt")
			if *updateNotices {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./cases -run TestNoticeGolden -update-notices writes it)", err)
			}
			if got != string(want) {
				t.Errorf("notice differs from %s:\n--- got\n%s\n--- want\n%s", path, got, want)
			}
		})
	}
}

// TestNoticeSays checks what each notice must say, whatever its layout.
func TestNoticeSays(t *testing.T) {
	cs := noticeCases()
	for _, tc := range []struct {
		name string
		want []string
		not  []string
	}{
		{"protest-allowed", []string{"NOTICE OF PROTEST DECISION", "is allowed.", "Amount allowed:", "$12,345.67", "Deciding officer: alice, 2026-02-20"}, []string{"Court of International Trade"}},
		{"protest-denied", []string{"is denied.", "Date:", "2026-02-25", "after the date of mailing of this notice, 2026-02-25, that is, by 2026-08-24", "Approved by:", "sofia, 2026-02-24", "See HQ H123456"}, nil},
		{"protest-denied-not-mailed", []string{"within 180 days after the date of mailing of this notice (28 U.S.C. 2636(a); 19 CFR 174.31)."}, []string{"that is, by"}},
		{"protest-denied-in-part", []string{"denied in part", "8517.62.0090", "Network switches", "$3,125.00", "the part of your protest that is denied", "that is, by 2026-08-25"}, nil},
		{"protest-deemed-denied", []string{"denied by operation of law on 2026-02-04", "19 U.S.C. 1499(c)(5)(B)", "that is, by 2026-08-03"}, []string{"decided after"}},
		{"protest-rejected", []string{"rejected as untimely or as not protestable", "199 days"}, []string{"Court of International Trade", "Refund claimed"}},
		{"protest-further-review-denied", []string{"denied on further review", "further review was denied on 2026-01-30", "set that denial aside", "1515(c)", "tom, 2026-02-27"}, nil},
		{"psc-rejected", []string{"NOTICE OF REJECTION OF POST-SUMMARY CORRECTION", "-$1,250.00", "remedy is a protest", "2025-11-17"}, nil},
		{"pea-rejected", []string{"The entry liquidates as entered", "remedy is a protest", "Liquidation (extended):", "2026-11-17"}, nil},
		{"psc-notice-of-action", []string{"CBP Form 29", "has taken the following action", "$2,400.00"}, nil},
		{"cf28", []string{"CBP Form 28", "REQUEST FOR INFORMATION", "by 2026-03-04", "1. data sheets;", "2. the bill of materials.", "Requested by:"}, []string{"ANSWER"}},
		{"cf28-answered", []string{"ANSWER RECEIVED 2026-02-20", "Layer 3 switches", "Recorded by:"}, nil},
		{"cf29-proposed", []string{"NOTICE OF ACTION: PROPOSED", "within 20 days", "by 2026-03-02", "REPLY RECEIVED 2026-02-23"}, nil},
		{"cf29-taken", []string{"NOTICE OF ACTION: TAKEN", "has taken the following action", "Sent by:"}, []string{"20 days"}},
		{"disclosure-fraud", []string{"made orally and confirmed in writing on 2026-01-15", "$48,200.00", "$50,000.00", "$40,000.00", "$10,000.00 less", "calculation on 2026-02-10; the shortfall is due within 30 days", "fraud", "100 percent", "1592(c)(4)(A)", "Limit on a penalty:"}, nil},
		{"disclosure-negligence", []string{"negligence", "interest on the actual loss of revenue of $48,200.00", "from 2025-11-14, the date of liquidation", "1592(c)(4)(B)", "covers the actual loss", "Limit on a penalty:"}, nil},
		{"disclosure-undetermined", []string{"written confirmation waived on 2026-01-19", "not determined", "No degree of culpability"}, nil},
	} {
		doc, err := Notice(cs[tc.name], DefaultPolicy(), noticeToday)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		text := doc.Text()
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range tc.want {
			if !strings.Contains(text, w) && !strings.Contains(flat, w) {
				t.Errorf("%s: the notice does not say %q:\n%s", tc.name, w, text)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(flat, w) {
				t.Errorf("%s: the notice says %q and should not:\n%s", tc.name, w, text)
			}
		}
	}
}

// Every notice carries the Center, the date, the importer, the entry, the case and who decided or sent it.
func TestNoticeCarriesTheRecord(t *testing.T) {
	for name, c := range noticeCases() {
		doc, err := Notice(c, DefaultPolicy(), noticeToday)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := doc.Text()
		for _, w := range []string{"Center of Excellence and Expertise: Electronics", "Los Angeles", "Acme Electronics Corp",
			"95-1234567A0", "B76-0324527-8", "2704 Los Angeles", "2025-01-06", c.ID, "Subject:", "printed 2026-03-02"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in\n%s", name, w, text)
			}
		}
		if doc.Date == 0 || len(doc.Signed) == 0 || doc.Title == "" {
			t.Errorf("%s: date %s, signed %v, title %q", name, doc.Date, doc.Signed, doc.Title)
		}
	}
}

func TestNoNotice(t *testing.T) {
	pending := approved(noticeProtest(OutcomeDenied), "", NewDate(2026, 2, 24))
	pending.Status, pending.Decision.Approver, pending.Decision.Approved = StatusPendingApproval, "", time.Time{}
	open := noticeProtest(OutcomeDenied)
	open.Status, open.Decision = StatusInReview, nil
	validation := noticeCase(KindValidation)
	validation.Validation = &Validation{Program: ProgramCTPAT, Scope: "supply chain"}
	validation.Decision = &Decision{Outcome: OutcomeCompliant, By: "bob", On: NewDate(2026, 2, 1)}
	openValidation := validation.Clone()
	openValidation.Status, openValidation.Decision = StatusInReview, nil
	accepted := noticeCases()["psc-rejected"]
	accepted.Decision.Outcome = OutcomeAccepted
	hq := noticeProtest(OutcomeReferredHQ)
	fpf := noticeCases()["disclosure-fraud"]
	fpf.Decision.Outcome = OutcomeReferredFPF
	for _, tc := range []struct {
		name string
		c    *Case
		want string
	}{
		{"in review", open, "no decision yet (status in review)"},
		{"pending approval", pending, "waits for a supervisor's approval"},
		{"validation", validation, "a validation is not a kind that sends one"},
		{"validation in review", openValidation, "a validation is not a kind that sends one"},
		{"accepted psc", accepted, "accepted is not an outcome that sends one"},
		{"referred to headquarters", hq, "referral to Headquarters"},
		{"referred to fp&f", fpf, "not an outcome that sends one"},
	} {
		_, err := Notice(tc.c, DefaultPolicy(), noticeToday)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v; want an invalid error saying %q", tc.name, err, tc.want)
		}
	}
}

// Papers lists a case's documents by date, and Notice is the latest; NoticeOf picks one.
func TestPapers(t *testing.T) {
	c := noticeCases()["psc-rejected"]
	c.Requests = []InfoRequest{
		{By: "alice", At: time.Date(2025, 9, 10, 9, 0, 0, 0, time.UTC), Due: NewDate(2025, 10, 10), Question: "first"},
		{By: "alice", At: time.Date(2025, 9, 20, 9, 0, 0, 0, time.UTC), Due: NewDate(2025, 10, 20), Question: "second"},
	}
	c.Notices = []ActionNotice{{By: "alice", Sent: NewDate(2025, 10, 15), Proposed: true, Action: "advance", ReplyDue: NewDate(2025, 11, 4)}}
	var names []string
	for _, p := range Papers(c) {
		names = append(names, p.String()+"@"+p.Date.String())
	}
	if got, want := strings.Join(names, " "), "cf28:1@2025-09-10 cf28:2@2025-09-20 cf29:1@2025-10-15 decision@2025-10-15"; got != want {
		t.Fatalf("papers %s, want %s", got, want)
	}
	doc, err := Notice(c, DefaultPolicy(), noticeToday)
	if err != nil || doc.Paper.Kind != NoticeDecision {
		t.Fatalf("latest notice: %v %v; want the decision", doc.Paper, err)
	}
	for _, tc := range []struct {
		spec string
		want string
		err  string
	}{
		{"cf28", "second", ""},
		{"cf28:1", "first", ""},
		{"28", "second", ""},
		{"cf29", "advance", ""},
		{"decision", "Line 2 is correctly classified", ""},
		{"cf28:3", "", "has 2 requests for information (CBP Form 28); there is no cf28:3"},
	} {
		k, n, err := ParsePaper(tc.spec)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		doc, err := NoticeOf(c, k, n, DefaultPolicy(), noticeToday)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v; want %q", tc.spec, err, tc.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.spec, err)
		case !strings.Contains(doc.Text(), tc.want):
			t.Errorf("%s: the notice does not hold %q:\n%s", tc.spec, tc.want, doc.Text())
		}
	}
	for _, bad := range []string{"", "letter", "decision:1", "cf28:0", "cf29:x"} {
		if _, _, err := ParsePaper(bad); err == nil {
			t.Errorf("ParsePaper(%q) accepted", bad)
		}
	}
	bare := noticeCases()["protest-denied"]
	if _, err := NoticeOf(bare, NoticeAction, 0, DefaultPolicy(), noticeToday); err == nil || !strings.Contains(err.Error(), "no notices of action") {
		t.Errorf("cf29 of a case without one: %v", err)
	}
}

// A notice keeps what is recorded but no control character; on a terminal an escape sequence goes whole.
func TestNoticeText(t *testing.T) {
	c := noticeCases()["protest-denied"]
	c.Importer.Name = "ACME\x1b]0;owned\x07 Corp\u202e"
	c.Decision.Reasons = "Red\x1b[31m text\r\nand a tab\there."
	doc, err := Notice(c, DefaultPolicy(), noticeToday)
	if err != nil {
		t.Fatal(err)
	}
	text := doc.Text()
	for _, r := range text {
		if r != '\n' && notText(r) {
			t.Fatalf("the text holds %U:\n%q", r, text)
		}
	}
	if !strings.Contains(text, "ACME]0;owned Corp") || !strings.Contains(text, "Red[31m text") || !strings.Contains(text, "a tab here.") {
		t.Errorf("the recorded text should stay, without its control characters:\n%s", text)
	}
	screen := doc.Cleaned().Text()
	if strings.Contains(screen, "owned") || strings.Contains(screen, "[31m") || !strings.Contains(screen, "ACME Corp") {
		t.Errorf("on a terminal the escape sequences go whole:\n%s", screen)
	}
}

// fixedFigures are clock figures a test sets, to show that a notice prints what the clock rules give.
type fixedFigures struct {
	clockRules
	cap Cents
}

func (f fixedFigures) DisclosureCap(c *Case) (Cents, bool) { return f.cap, true }

func TestNoticePrintsTheClockRulesCap(t *testing.T) {
	c := noticeCases()["disclosure-negligence"]
	doc, err := buildNotice(c, "", 0, DefaultPolicy(), noticeToday, fixedFigures{cap: 1_234_56})
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(doc.Text()), " ")
	if !strings.Contains(flat, "from 2025-11-14, the date of liquidation: $1,234.56") || !strings.Contains(flat, "Limit on a penalty: $1,234.56") {
		t.Errorf("the cap the clock rules give is not printed:\n%s", doc.Text())
	}
}

func TestWrapWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"a b c", 3, "a b|c"},
		{"", 10, ""},
		{"abcdefghij k", 4, "abcd|efgh|ij k"},
		{"  spaced   out  ", 20, "spaced out"},
	} {
		if got := strings.Join(wrapWords(tc.in, tc.w), "|"); got != tc.want {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}
