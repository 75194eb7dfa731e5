package cases

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// validCase returns a complete, valid case of the kind, for tests to break one field at a time.
func validCase(k Kind) *Case {
	c := &Case{
		ID: "PSC-26-000001", Kind: k, Center: "ELEC",
		Importer: Importer{Number: "95-123456700", Name: "Acme Électronique Corp", Programs: []Program{ProgramCTPAT, ProgramISA}},
		Entry: EntrySummary{
			Number: "B76-0324527-8", Type: "01", Port: "2704",
			EntryDate: d("2025-05-05"), Liquidates: d("2026-03-15"),
			Lines: []Line{
				{Number: 1, HTS: "8471300100", Description: "Laptops", Origin: "CN", Value: 1_000_000_00, RateBP: 0, Duty: 0},
				{Number: 2, HTS: "8518220000", Description: "Loudspeakers", Origin: "VN", Value: 200_000_00, RateBP: 490, Duty: 9_800_00},
			},
		},
		Received: d("2026-01-15"), Assignee: "alice", Assigned: d("2026-01-16"), Status: StatusInReview,
		Notes: []Note{{Author: "alice", At: time.Date(2026, 1, 17, 10, 0, 0, 0, time.UTC), Text: "Called the broker.\nDocuments promised."}},
	}
	switch k {
	case KindProtest:
		c.ID = "2704-26-100123"
		c.Entry.Liquidated = d("2026-03-13")
		c.Protest = &Protest{Number: "2704-26-100123", Filed: d("2026-04-01"), Protested: d("2026-03-13"),
			Grounds: []Ground{GroundClassification}, Claimed: 50_000_00}
	case KindPSC:
		c.PSC = &PSC{Filed: d("2026-01-15"), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -5_000_00, Explanation: "Corrects line 2."}
	case KindPEA:
		c.ID = "PEA-26-000001"
		c.PEA = &PEA{Filed: d("2026-01-15"), DutyDiff: 1_000_00, Explanation: "Adds an assist."}
	case KindDisclosure:
		c.ID = "PD-26-000001"
		c.Disclosure = &Disclosure{Disclosed: d("2026-01-10"), Oral: true, Confirmed: d("2026-01-15"), LostRevenue: 20_000_00}
	case KindValidation:
		c.ID = "VAL-26-000001"
		c.Validation = &Validation{Program: ProgramISA, Scope: "ISA annual review"}
	}
	return c
}

// fullCase is validCase with every fact a case of the kind may record set, and valid: extensions and suspension,
// the first assignment, an answered request, notices of action, and the kind's own later facts.
func fullCase(k Kind) *Case {
	c := validCase(k)
	c.Entry.Type = "03"
	c.Entry.Extensions = []Date{d("2026-05-05"), d("2027-05-05")}
	c.Entry.Extended = d("2027-05-05")
	c.Entry.Suspended, c.Entry.Unsuspended = d("2025-05-06"), d("2025-12-01")
	c.FirstAssigned = d("2026-01-15")
	at := time.Date(2026, 1, 17, 10, 0, 0, 0, time.UTC)
	c.Requests = []InfoRequest{{By: "alice", At: at, Due: d("2026-02-16"), Question: "Send the invoice.",
		Answered: d("2026-01-17"), Answer: "Invoice attached.", RecordedBy: "bob", RecordedAt: at.Add(time.Hour)}}
	c.Notices = []ActionNotice{
		{By: "alice", At: at, Sent: d("2026-01-17"), Proposed: true, Action: "Rate advance on line 2.", ReplyDue: d("2026-02-06"),
			Replied: d("2026-02-01"), Reply: "The importer disagrees."},
		{By: "alice", At: at.Add(time.Hour), Sent: d("2026-02-10"), Action: "Rate advanced on line 2."},
	}
	switch k {
	case KindProtest:
		p := c.Protest
		c.Entry.Extensions, c.Entry.Extended = []Date{d("2027-03-15")}, d("2027-03-15")
		c.Entry.Liquidated = d("2026-03-13")
		p.AccelMailed, p.FurtherReview, p.AFRFiled = d("2026-04-10"), true, d("2026-04-01")
		p.HQReferred, p.HQAnswered = d("2026-04-05"), d("2026-04-15")
		p.AFRDecided, p.AFRDenied, p.SetAsideFiled = d("2026-04-20"), true, d("2026-05-01")
		p.Consolidated, p.LastFiled = []string{"2704-26-100124", "2704-26-100200"}, d("2026-04-15")
		p.OriginalDeciders = []string{"carol"}
		p.DenialMailed = d("2026-04-21")
		c.Status = StatusDecided
		c.Decision = &Decision{Outcome: OutcomeAFRDenied, Reasons: "Properly classified.", By: "alice", On: d("2026-04-20"),
			Approval: true, Approver: "sofia", LateAck: "Decided after the accelerated disposition date."}
	case KindDisclosure:
		p := c.Disclosure
		p.ConfirmWaived, p.PerfectionExtended, p.Calculated = d("2026-01-20"), d("2026-03-01"), d("2026-02-15")
		p.Culpability, p.Liquidated = CulpabilityGross, d("2026-03-15")
	}
	return c
}

// full makes c the fullCase of its kind, for a test to break one of the later facts.
func full(c *Case) *Case {
	*c = *fullCase(c.Kind)
	return c
}

func TestValidCasesPass(t *testing.T) {
	for _, k := range Kinds {
		if errs := Validate(fullCase(k)); len(errs) != 0 {
			t.Errorf("%s with every fact: %v", k, errs)
		}
	}
	for _, k := range Kinds {
		c := validCase(k)
		if errs := Validate(c); len(errs) != 0 {
			t.Errorf("%s: %v", k, errs)
		}
		for _, s := range []Status{StatusDecided} {
			c := validCase(k)
			c.Status = s
			spec := Outcomes(c)[0]
			c.Decision = &Decision{Outcome: spec.Outcome, By: "alice", On: d("2026-02-01")}
			if spec.Amount {
				c.Decision.Amount = 1_000_00
			}
			if errs := Validate(c); len(errs) != 0 {
				t.Errorf("%s decided: %v", k, errs)
			}
		}
	}
	c := validCase(KindPSC)
	c.Status, c.Assignee, c.Assigned = StatusNew, "", 0
	if errs := Validate(c); len(errs) != 0 {
		t.Errorf("new, unassigned: %v", errs)
	}
}

func TestValidateFieldErrors(t *testing.T) {
	cases := []struct {
		name   string
		kind   Kind
		break_ func(c *Case)
		field  string
		reason string // a part of the reason
	}{
		{"id missing", KindPSC, func(c *Case) { c.ID = "" }, "id", "required"},
		{"id lower case", KindPSC, func(c *Case) { c.ID = "psc-1" }, "id", "use only capital letters, digits and dashes"},
		{"id with a space", KindPSC, func(c *Case) { c.ID = "PSC 1" }, "id", "use only capital letters"},
		{"id too long", KindPSC, func(c *Case) { c.ID = strings.Repeat("A", 33) }, "id", "the limit is 32"},
		{"protest id is not its number", KindProtest, func(c *Case) { c.ID = "PROT-1" }, "id", `a protest's id is its protest number "2704-26-100123"`},
		{"kind unknown", KindPSC, func(c *Case) { c.Kind = "drawback" }, "kind", `"drawback": want one of`},
		{"center unknown", KindPSC, func(c *Case) { c.Center = "XYZ" }, "center", `center "XYZ": unknown`},
		{"center lower case", KindPSC, func(c *Case) { c.Center = "elec" }, "center", "write the code in capitals: ELEC"},
		{"importer number", KindPSC, func(c *Case) { c.Importer.Number = "95-1234567O0" }, "importer.number", "never O, I or Z"},
		{"importer number not canonical", KindPSC, func(c *Case) { c.Importer.Number = "95-1234567a0" }, "importer.number", "write it 95-1234567A0"},
		{"importer name missing", KindPSC, func(c *Case) { c.Importer.Name = "  " }, "importer.name", "required"},
		{"importer name too long", KindPSC, func(c *Case) { c.Importer.Name = strings.Repeat("é", 201) }, "importer.name", "is 201 characters; the limit is 200"},
		{"importer name with an escape", KindPSC, func(c *Case) { c.Importer.Name = "ACME\x1b]0;owned\x07" }, "importer.name", "control character (U+001B)"},
		{"importer name with a newline", KindPSC, func(c *Case) { c.Importer.Name = "ACME\nCorp" }, "importer.name", "control character (U+000A)"},
		{"importer name with a bidi override", KindPSC, func(c *Case) { c.Importer.Name = "ACME\u202eproC" }, "importer.name", "control character (U+202E)"},
		{"importer name invalid UTF-8", KindPSC, func(c *Case) { c.Importer.Name = "ACME\xff" }, "importer.name", "is not valid UTF-8: byte 4 (0xff)"},
		{"program invalid UTF-8", KindPSC, func(c *Case) { c.Importer.Programs[1] = "IS\xc0" }, "importer.programs[1]", "byte 2 (0xc0)"},
		{"kind invalid UTF-8", KindPSC, func(c *Case) { c.Kind = "\xffpsc" }, "kind", "byte 0 (0xff)"},
		{"line description invalid UTF-8", KindPSC, func(c *Case) { c.Entry.Lines[1].Description = "Loud\xe2\x82speakers" }, "entry.lines[1].description", "byte 4 (0xe2)"},
		{"updated by invalid UTF-8", KindPSC, func(c *Case) { c.UpdatedBy = "\x80" }, "updated_by", "byte 0 (0x80)"},
		{"program unknown", KindPSC, func(c *Case) { c.Importer.Programs = []Program{ProgramISA, "AEO"} }, "importer.programs[1]", `"AEO": want C-TPAT or ISA`},
		{"program twice", KindPSC, func(c *Case) { c.Importer.Programs = []Program{ProgramISA, ProgramISA} }, "importer.programs[1]", "named twice"},
		{"entry number check digit", KindPSC, func(c *Case) { c.Entry.Number = "316-0000001-9" }, "entry.number", `entry number "316-0000001-9": check digit should be 7`},
		{"entry number without dashes", KindPSC, func(c *Case) { c.Entry.Number = "B7603245278" }, "entry.number", "write it B76-0324527-8"},
		{"entry type", KindPSC, func(c *Case) { c.Entry.Type = "07" }, "entry.type", "unknown"},
		{"port", KindPSC, func(c *Case) { c.Entry.Port = "27" }, "entry.port", "want 4 digits"},
		{"entry date missing", KindPSC, func(c *Case) { c.Entry.EntryDate = 0 }, "entry.entry_date", "required"},
		{"entry date before 1990", KindPSC, func(c *Case) { c.Entry.EntryDate = d("1989-12-31") }, "entry.entry_date", "before 1990-01-01"},
		{"liquidates missing", KindPSC, func(c *Case) { c.Entry.Liquidates = 0 }, "entry.liquidates", "required"},
		{"liquidates on the entry date", KindPSC, func(c *Case) { c.Entry.Liquidates = c.Entry.EntryDate }, "entry.liquidates", "is not after the entry date"},
		{"extended before liquidates", KindPSC, func(c *Case) { c.Entry.Extended = d("2026-01-01") }, "entry.extended", "not after the scheduled liquidation"},
		{"extended beyond four years", KindPSC, func(c *Case) { c.Entry.Extended = d("2029-05-06") }, "entry.extended", "more than four years after entry"},
		{"four extensions", KindPSC, func(c *Case) {
			full(c).Entry.Extensions = []Date{d("2025-06-01"), d("2025-07-01"), d("2025-08-01"), d("2027-05-05")}
		}, "entry.extensions", "4 extensions; liquidation is extended at most 3 times"},
		{"extension on the entry date", KindPSC, func(c *Case) { full(c).Entry.Extensions[0] = d("2025-05-05") }, "entry.extensions[0]", "is not after the entry date"},
		{"extensions out of order", KindPSC, func(c *Case) { full(c).Entry.Extensions[1] = d("2026-05-05") }, "entry.extensions[1]", "is not after the extension before it, entry.extensions[0]"},
		{"extension missing a date", KindPSC, func(c *Case) { full(c).Entry.Extensions[0] = 0 }, "entry.extensions[0]", "required"},
		{"last extension beyond four years", KindPSC, func(c *Case) {
			full(c).Entry.Extensions[1], c.Entry.Extended = d("2029-05-06"), 0
		}, "entry.extensions[1]", "more than four years after entry"},
		{"extended is not the last extension", KindPSC, func(c *Case) { full(c).Entry.Extended = d("2027-05-04") }, "entry.extended", "not the date the last extension sets (2027-05-05)"},
		{"suspended before entry", KindPSC, func(c *Case) { full(c).Entry.Suspended = d("2025-05-04") }, "entry.suspended", "before the entry date"},
		{"unsuspended without suspension", KindPSC, func(c *Case) { full(c).Entry.Suspended = 0 }, "entry.unsuspended", "suspended is not"},
		{"unsuspended the day of the suspension", KindPSC, func(c *Case) { full(c).Entry.Unsuspended = d("2025-05-06") }, "entry.unsuspended", "is not after the suspension"},
		{"first assigned before receipt", KindPSC, func(c *Case) { full(c).FirstAssigned = d("2026-01-14") }, "first_assigned", "before the day the case was received"},
		{"first assigned after assignment", KindPSC, func(c *Case) { full(c).FirstAssigned = d("2026-01-17") }, "first_assigned", "after the case was assigned (2026-01-16)"},
		{"liquidated before entry", KindPSC, func(c *Case) { c.Entry.Liquidated = d("2025-01-01") }, "entry.liquidated", "before the entry date"},
		{"line number zero", KindPSC, func(c *Case) { c.Entry.Lines[1].Number = 0 }, "entry.lines[1].number", "line numbers start at 1"},
		{"line numbers repeated", KindPSC, func(c *Case) { c.Entry.Lines[1].Number = 1 }, "entry.lines[1].number", "line 1 is also entry.lines[0]"},
		{"hts missing", KindPSC, func(c *Case) { c.Entry.Lines[1].HTS = "" }, "entry.lines[1].hts", "required"},
		{"hts short", KindPSC, func(c *Case) { c.Entry.Lines[1].HTS = "85182200" }, "entry.lines[1].hts", "want 10 digits"},
		{"hts dotted", KindPSC, func(c *Case) { c.Entry.Lines[1].HTS = "8518.22.0000" }, "entry.lines[1].hts", "write it 8518220000"},
		{"description too long", KindPSC, func(c *Case) { c.Entry.Lines[0].Description = strings.Repeat("x", 501) }, "entry.lines[0].description", "the limit is 500"},
		{"origin lower case", KindPSC, func(c *Case) { c.Entry.Lines[0].Origin = "cn" }, "entry.lines[0].origin", "2-letter country code in capitals"},
		{"origin three letters", KindPSC, func(c *Case) { c.Entry.Lines[0].Origin = "CHN" }, "entry.lines[0].origin", "2-letter"},
		{"value negative", KindPSC, func(c *Case) { c.Entry.Lines[0].Value = -1 }, "entry.lines[0].value", "-$0.01 is negative"},
		{"rate negative", KindPSC, func(c *Case) { c.Entry.Lines[0].RateBP = -5 }, "entry.lines[0].rate_bp", "want 0 to 100000"},
		{"rate absurd", KindPSC, func(c *Case) { c.Entry.Lines[0].RateBP = 100_001 }, "entry.lines[0].rate_bp", "want 0 to 100000"},
		{"duty negative", KindPSC, func(c *Case) { c.Entry.Lines[0].Duty = -100 }, "entry.lines[0].duty", "is negative"},
		{"received missing", KindPSC, func(c *Case) { c.Received = 0 }, "received", "required"},
		{"assigned before received", KindPSC, func(c *Case) { c.Assigned = d("2026-01-14") }, "assigned", "before the day the case was received"},
		{"status unknown", KindPSC, func(c *Case) { c.Status = "closed" }, "status", `"closed": want one of`},
		{"assignee missing", KindPSC, func(c *Case) { c.Assignee = "" }, "assignee", "required: a case in review has an assignee"},
		{"new with an assignee", KindPSC, func(c *Case) { c.Status = StatusNew }, "assignee", "a new case has no assignee"},
		{"part missing", KindPSC, func(c *Case) { c.PSC = nil }, "psc", "required: a psc case holds its psc part"},
		{"another kind's part", KindPSC, func(c *Case) { c.PEA = &PEA{} }, "pea", `only a pea case holds a pea part; this case is "psc"`},
		{"protest number", KindProtest, func(c *Case) { c.Protest.Number = "2704-26-1001"; c.ID = c.Protest.Number }, "protest.number", "want PPPP-YY-NNNNNN"},
		{"protest filed missing", KindProtest, func(c *Case) { c.Protest.Filed = 0 }, "protest.filed", "required"},
		{"protested after filing", KindProtest, func(c *Case) { c.Protest.Protested = d("2026-04-02") }, "protest.protested", "after the protest was filed"},
		{"no grounds", KindProtest, func(c *Case) { c.Protest.Grounds = nil }, "protest.grounds", "at least one ground"},
		{"unknown ground", KindProtest, func(c *Case) { c.Protest.Grounds = []Ground{"whim"} }, "protest.grounds[0]", `"whim": want one of value, classification`},
		{"ground twice", KindProtest, func(c *Case) { c.Protest.Grounds = []Ground{GroundValue, GroundValue} }, "protest.grounds[1]", "named twice"},
		{"claimed negative", KindProtest, func(c *Case) { c.Protest.Claimed = -1 }, "protest.claimed", "negative"},
		{"accelerated before filing", KindProtest, func(c *Case) { c.Protest.AccelMailed = d("2026-03-31") }, "protest.accel_mailed", "before the protest was filed"},
		{"AFR date without further review", KindProtest, func(c *Case) { c.Protest.AFRFiled = d("2026-04-01") }, "protest.afr_filed", "further_review is not"},
		{"AFR decided without further review", KindProtest, func(c *Case) { c.Protest.AFRDecided = d("2026-04-10") }, "protest.afr_decided", "further_review is not"},
		{"AFR decided before it was filed", KindProtest, func(c *Case) { full(c).Protest.AFRDecided = d("2026-03-31") }, "protest.afr_decided", "before the application was filed (2026-04-01)"},
		{"AFR decided before the protest", KindProtest, func(c *Case) {
			full(c).Protest.AFRFiled = 0
			c.Protest.AFRDecided = d("2026-03-31")
		}, "protest.afr_decided", "before the protest and its application were filed"},
		{"AFR denied without a date", KindProtest, func(c *Case) { full(c).Protest.AFRDecided = 0; c.Protest.SetAsideFiled = 0 }, "protest.afr_denied", "afr_decided is not"},
		{"set aside without a denial", KindProtest, func(c *Case) { full(c).Protest.AFRDenied = false }, "protest.set_aside_filed", "afr_denied is not"},
		{"set aside before the denial", KindProtest, func(c *Case) { full(c).Protest.SetAsideFiled = d("2026-04-19") }, "protest.set_aside_filed", "before the application was denied"},
		{"HQ referral before filing", KindProtest, func(c *Case) { full(c).Protest.HQReferred = d("2026-03-31") }, "protest.hq_referred", "before the protest was filed"},
		{"HQ answer without referral", KindProtest, func(c *Case) { full(c).Protest.HQReferred = 0 }, "protest.hq_answered", "hq_referred is not"},
		{"HQ answer the day of the referral", KindProtest, func(c *Case) { full(c).Protest.HQAnswered = d("2026-04-05") }, "protest.hq_answered", "is not after the referral"},
		{"consolidated not a protest number", KindProtest, func(c *Case) { full(c).Protest.Consolidated[1] = "2704-26-1" }, "protest.consolidated[1]", "want PPPP-YY-NNNNNN"},
		{"consolidated not canonical", KindProtest, func(c *Case) { full(c).Protest.Consolidated[0] = "270426100124" }, "protest.consolidated[0]", "write it 2704-26-100124"},
		{"consolidated twice", KindProtest, func(c *Case) { full(c).Protest.Consolidated[1] = "2704-26-100124" }, "protest.consolidated[1]", "also protest.consolidated[0]"},
		{"consolidated with itself", KindProtest, func(c *Case) { full(c).Protest.Consolidated[1] = "2704-26-100123" }, "protest.consolidated[1]", "this protest's own number"},
		{"last filed without consolidation", KindProtest, func(c *Case) { full(c).Protest.Consolidated = nil }, "protest.last_filed", "consolidated is empty"},
		{"last filed before this protest", KindProtest, func(c *Case) { full(c).Protest.LastFiled = d("2026-03-31") }, "protest.last_filed", "before this protest was filed"},
		{"denial mailed before filing", KindProtest, func(c *Case) { full(c).Protest.DenialMailed = d("2026-03-31") }, "protest.denial_mailed", "before the protest was filed"},
		{"denial mailed before the decision", KindProtest, func(c *Case) { full(c).Protest.DenialMailed = d("2026-04-19") }, "protest.denial_mailed", "before the decision (2026-04-20)"},
		{"denial mailed for an allowed protest", KindProtest, func(c *Case) {
			full(c).Decision = &Decision{Outcome: OutcomeAFRAllowed, By: "alice", On: d("2026-04-20"), Approval: true, Approver: "sofia"}
		}, "protest.denial_mailed", "not decided as denied"},
		{"denial mailed before the decision is final", KindProtest, func(c *Case) {
			full(c).Status = StatusPendingApproval
			c.Decision.Approver = ""
		}, "protest.denial_mailed", "not decided as denied"},
		{"psc filed missing", KindPSC, func(c *Case) { c.PSC.Filed = 0 }, "psc.filed", "required"},
		{"psc filed before entry", KindPSC, func(c *Case) { c.PSC.Filed = d("2025-05-04") }, "psc.filed", "before the entry date"},
		{"psc version", KindPSC, func(c *Case) { c.PSC.Version = 1 }, "psc.version", "version 2 or later"},
		{"psc reason codes", KindPSC, func(c *Case) { c.PSC.ReasonCodes = nil }, "psc.reason_codes", "at least one"},
		{"psc reason code form", KindPSC, func(c *Case) { c.PSC.ReasonCodes = []string{"001", "A1"} }, "psc.reason_codes[1]", "3-digit reason code"},
		{"psc explanation", KindPSC, func(c *Case) { c.PSC.Explanation = "" }, "psc.explanation", "required"},
		{"psc explanation too long", KindPSC, func(c *Case) { c.PSC.Explanation = strings.Repeat("x", MaxNote+1) }, "psc.explanation", "the limit is 8192"},
		{"pea filed", KindPEA, func(c *Case) { c.PEA.Filed = 0 }, "pea.filed", "required"},
		{"pea explanation with an escape", KindPEA, func(c *Case) { c.PEA.Explanation = "x\x1b[2J" }, "pea.explanation", "control character"},
		{"disclosed missing", KindDisclosure, func(c *Case) { c.Disclosure.Disclosed = 0 }, "disclosure.disclosed", "required"},
		{"written disclosure confirmed", KindDisclosure, func(c *Case) { c.Disclosure.Oral = false }, "disclosure.confirmed", "only an oral disclosure"},
		{"confirmed before disclosure", KindDisclosure, func(c *Case) { c.Disclosure.Confirmed = d("2026-01-09") }, "disclosure.confirmed", "before the disclosure"},
		{"perfected before disclosure", KindDisclosure, func(c *Case) { c.Disclosure.Perfected = d("2026-01-09") }, "disclosure.perfected", "before the disclosure"},
		{"confirmation waived for a written disclosure", KindDisclosure, func(c *Case) {
			full(c).Disclosure.Oral, c.Disclosure.Confirmed = false, 0
		}, "disclosure.confirm_waived", "only an oral disclosure's written confirmation is waived"},
		{"confirmation waived before the disclosure", KindDisclosure, func(c *Case) { full(c).Disclosure.ConfirmWaived = d("2026-01-09") }, "disclosure.confirm_waived", "before the disclosure"},
		{"perfection extended to the disclosure", KindDisclosure, func(c *Case) { full(c).Disclosure.PerfectionExtended = d("2026-01-10") }, "disclosure.perfection_extended", "is not after the disclosure"},
		{"calculated before the disclosure", KindDisclosure, func(c *Case) { full(c).Disclosure.Calculated = d("2026-01-09") }, "disclosure.calculated", "before the disclosure"},
		{"culpability unknown", KindDisclosure, func(c *Case) { full(c).Disclosure.Culpability = "Negligence" }, "disclosure.culpability", `"Negligence": want negligence, gross_negligence or fraud`},
		{"disclosure liquidated before entry", KindDisclosure, func(c *Case) { full(c).Disclosure.Liquidated = d("2025-05-04") }, "disclosure.liquidated", "before the entry date"},
		{"lost revenue negative", KindDisclosure, func(c *Case) { c.Disclosure.LostRevenue = -1 }, "disclosure.lost_revenue", "negative"},
		{"tender negative", KindDisclosure, func(c *Case) { c.Disclosure.Tender = -1 }, "disclosure.tender", "negative"},
		{"validation program", KindValidation, func(c *Case) { c.Validation.Program = "" }, "validation.program", "want C-TPAT or ISA"},
		{"validation scope", KindValidation, func(c *Case) { c.Validation.Scope = "" }, "validation.scope", "required"},
		{"validation due before receipt", KindValidation, func(c *Case) { c.Validation.Due = d("2026-01-01") }, "validation.due", "before the day the case was received"},
		{"note without text", KindPSC, func(c *Case) { c.Notes[0].Text = " " }, "notes[0].text", "is empty"},
		{"note too long", KindPSC, func(c *Case) { c.Notes[0].Text = strings.Repeat("n", MaxNote+1) }, "notes[0].text", "the limit is 8192"},
		{"note with a NUL", KindPSC, func(c *Case) { c.Notes[0].Text = "ok\x00" }, "notes[0].text", "holds a NUL character (byte 2)"},
		{"note not UTF-8", KindPSC, func(c *Case) { c.Notes[0].Text = "caf\xe9" }, "notes[0].text", "is not valid UTF-8: byte 3 (0xe9)"},
		{"note author not UTF-8", KindPSC, func(c *Case) { c.Notes[0].Author = "al\xffce" }, "notes[0].author", "byte 2 (0xff)"},
		{"note without author", KindPSC, func(c *Case) { c.Notes[0].Author = "" }, "notes[0].author", "required"},
		{"request without question", KindPSC, func(c *Case) {
			c.Requests = []InfoRequest{{By: "alice", Due: d("2026-02-16")}}
		}, "requests[0].question", "is empty"},
		{"answer before the request", KindPSC, func(c *Case) { full(c).Requests[0].Answered = d("2026-01-15") }, "requests[0].answered", "before the request was made (2026-01-17T10:00:00Z)"},
		{"answer without text", KindPSC, func(c *Case) { full(c).Requests[0].Answer = " " }, "requests[0].answer", "is empty"},
		{"answer with a NUL", KindPSC, func(c *Case) { full(c).Requests[0].Answer = "ok\x00" }, "requests[0].answer", "NUL character"},
		{"answer text without a date", KindPSC, func(c *Case) { full(c).Requests[0].Answered = 0 }, "requests[0].answer", "answered is not"},
		{"answer recorded by nobody", KindPSC, func(c *Case) { full(c).Requests[0].RecordedBy = "" }, "requests[0].recorded_by", "required"},
		{"answer recorded before the request", KindPSC, func(c *Case) {
			full(c).Requests[0].RecordedAt = c.Requests[0].At.Add(-time.Minute)
		}, "requests[0].recorded_at", "before the request was made"},
		{"notice not sent", KindPSC, func(c *Case) { full(c).Notices[1].Sent = 0 }, "notices[1].sent", "required"},
		{"notice by nobody", KindPSC, func(c *Case) { full(c).Notices[1].By = "" }, "notices[1].by", "required"},
		{"notice without action", KindPSC, func(c *Case) { full(c).Notices[1].Action = "" }, "notices[1].action", "is empty"},
		{"notice action too long", KindPSC, func(c *Case) { full(c).Notices[1].Action = strings.Repeat("a", MaxNote+1) }, "notices[1].action", "the limit is 8192"},
		{"reply period for an action taken", KindPSC, func(c *Case) { full(c).Notices[1].ReplyDue = d("2026-03-02") }, "notices[1].reply_due", "only a proposed action has a reply period"},
		{"reply period ends when sent", KindPSC, func(c *Case) { full(c).Notices[0].ReplyDue = d("2026-01-17") }, "notices[0].reply_due", "is not after the notice was sent"},
		{"reply before the notice", KindPSC, func(c *Case) { full(c).Notices[0].Replied = d("2026-01-16") }, "notices[0].replied", "before the notice was sent"},
		{"reply without text", KindPSC, func(c *Case) { full(c).Notices[0].Reply = "" }, "notices[0].reply", "is empty"},
		{"reply text without a date", KindPSC, func(c *Case) { full(c).Notices[0].Replied = 0 }, "notices[0].reply", "replied is not"},
		{"late acknowledgement with a NUL", KindProtest, func(c *Case) { full(c).Decision.LateAck = "\x00" }, "decision.late_ack", "NUL character"},
		{"decided without decision", KindPSC, func(c *Case) { c.Status = StatusDecided }, "decision", "required: a case decided has a decision"},
		{"pending without decision", KindPSC, func(c *Case) { c.Status = StatusPendingApproval }, "decision", "required: a case pending approval has a decision"},
		{"decision on an open case", KindPSC, func(c *Case) {
			c.Decision = &Decision{Outcome: OutcomeAccepted, By: "alice", On: d("2026-02-01")}
		}, "decision", "a case in review has no decision yet"},
		{"decision outcome of another kind", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeAllowed, By: "alice", On: d("2026-02-01")}
		}, "decision", `outcome "allowed" is not one a post-summary correction allows`},
		{"decision without reasons", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, By: "alice", On: d("2026-02-01")}
		}, "decision", "rejected needs reasons"},
		{"decision reasons with a NUL", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "no\x00", By: "alice", On: d("2026-02-01")}
		}, "decision.reasons", "NUL character (byte 2)"},
		{"decision reasons not UTF-8", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "no\xff", By: "alice", On: d("2026-02-01")}
		}, "decision.reasons", "byte 2 (0xff)"},
		{"decision reasons too long", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: strings.Repeat("r", MaxReasons+1), By: "alice", On: d("2026-02-01")}
		}, "decision.reasons", "is 8193 characters; the limit is 8192"},
		{"decision return comment not UTF-8", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeAccepted, By: "alice", On: d("2026-02-01"), Returned: "\xfe"}
		}, "decision.returned", "byte 0 (0xfe)"},
		{"decision without decider", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeAccepted, On: d("2026-02-01")}
		}, "decision.by", "required"},
		{"decision without date", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeAccepted, By: "alice"}
		}, "decision.on", "required"},
		{"pending decision not marked", KindPSC, func(c *Case) {
			c.Status = StatusPendingApproval
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "r", By: "alice", On: d("2026-02-01")}
		}, "decision.approval", "marked as waiting"},
		{"pending decision with approver", KindPSC, func(c *Case) {
			c.Status = StatusPendingApproval
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "r", By: "alice", On: d("2026-02-01"), Approval: true, Approver: "sofia"}
		}, "decision.approver", "has no approver"},
		{"approved decision without approver", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "r", By: "alice", On: d("2026-02-01"), Approval: true}
		}, "decision.approver", "required: the decision waited for approval"},
		{"approver is the decider", KindPSC, func(c *Case) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: "r", By: "sofia", On: d("2026-02-01"), Approval: true, Approver: "sofia"}
		}, "decision.approver", "the approver is never the decider"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := validCase(tc.kind)
			tc.break_(c)
			if c.Kind == "" {
				t.Fatal("break_ cleared the case")
			}
			errs := Validate(c)
			if len(errs) == 0 {
				t.Fatalf("no error; want %s: %s", tc.field, tc.reason)
			}
			var fe *FieldError
			for _, err := range errs {
				if !errors.As(err, &fe) {
					t.Fatalf("%v is not a *FieldError", err)
				}
			}
			for _, err := range errs {
				errors.As(err, &fe)
				if fe.Field == tc.field && strings.Contains(fe.Reason, tc.reason) {
					if err.Error() != fe.Field+": "+fe.Reason {
						t.Errorf("Error() = %q", err.Error())
					}
					return
				}
			}
			t.Errorf("want %s: …%s…; got %v", tc.field, tc.reason, errs)
		})
	}
}

// Every problem is reported, in the order of the case's fields.
func TestValidateReportsEveryProblemInFieldOrder(t *testing.T) {
	c := validCase(KindPSC)
	c.ID = ""
	c.Center = "NOPE"
	c.Entry.Number = "316-0000001-9"
	c.Entry.Lines[0].HTS = "12"
	c.Entry.Lines[1].Origin = "x"
	c.Status = StatusDecided
	var fields []string
	for _, err := range Validate(c) {
		fields = append(fields, err.(*FieldError).Field)
	}
	want := "id center entry.number entry.lines[0].hts entry.lines[1].origin decision"
	if strings.Join(fields, " ") != want {
		t.Errorf("fields %v; want %s", fields, want)
	}
}

func TestNormalize(t *testing.T) {
	c := fullCase(KindProtest)
	c.Protest.Consolidated[1] = "270426100200"
	c.Center = "elec"
	c.Importer.Number = " 95-1234567ab "
	c.Entry.Number = "b7603245278"
	c.Entry.Type = " 01"
	c.Entry.Port = "2704 "
	c.Entry.Lines[0].HTS = "8471.30.0100"
	c.Entry.Lines[1].Origin = "vn"
	c.Protest.Number = "270426100123"
	c.ID = "270426100123"
	Normalize(c)
	if errs := Validate(c); len(errs) != 0 {
		t.Fatalf("normalized case: %v", errs)
	}
	got := strings.Join([]string{c.Center, c.Importer.Number, c.Entry.Number, c.Entry.Type, c.Entry.Port, c.Entry.Lines[0].HTS, c.Entry.Lines[1].Origin, c.ID, c.Protest.Consolidated[1]}, " ")
	if got != "ELEC 95-1234567AB B76-0324527-8 01 2704 8471300100 VN 2704-26-100123 2704-26-100200" {
		t.Errorf("normalized: %s", got)
	}
	// What does not parse is left for Validate to report.
	c.Entry.Number = "316-0000001-9"
	Normalize(c)
	if c.Entry.Number != "316-0000001-9" || len(Validate(c)) != 1 {
		t.Errorf("a bad entry number must survive Normalize and be reported")
	}
}

// A string that is not UTF-8 is reported once, as such: the other rules say nothing more about it.
func TestValidateSaysOnlyNotUTF8AboutSuchAField(t *testing.T) {
	c := validCase(KindPSC)
	c.Kind = "ps\xffc"
	c.Entry.Lines[0].HTS = "8471\xff"
	var got []string
	for _, err := range Validate(c) {
		got = append(got, err.Error())
	}
	want := []string{
		"kind: is not valid UTF-8: byte 2 (0xff) does not start a character; send the text as UTF-8",
		"entry.lines[0].hts: is not valid UTF-8: byte 4 (0xff) does not start a character; send the text as UTF-8",
	}
	// the case's psc part is now on a case of no known kind, which is its own problem
	if len(got) < 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("Validate = %q; want it to start %q", got, want)
	}
	for _, e := range got[2:] {
		if strings.HasPrefix(e, "kind:") || strings.HasPrefix(e, "entry.lines[0].hts:") {
			t.Errorf("more said about a field that is not UTF-8: %s", e)
		}
	}
}

// What the actions accept as a note, a question or reasons is exactly what import accepts in the same field, with
// the same words when refused.
func TestActionsAndImportAcceptTheSameText(t *testing.T) {
	texts := map[string]string{
		"plain":                  "Called the broker.",
		"multiline":              "line one\n\tline two",
		"escape sequences":       "see \x1b]0;owned\x07 and \x1b[2J this",
		"bidi controls":          "abc\u202edcba\u202c \u2066x\u2069 \u200e\u061c",
		"C1 controls":            "a\u0085b\u009bc\u009d",
		"emoji and letters":      "Société 東京 👩🏽‍💻 ✓",
		"a NUL":                  "before\x00after",
		"not UTF-8":              "caf\xe9",
		"a broken sequence":      "ok \xe2\x82 ko",
		"blank":                  " \n\t ",
		"at the note limit":      strings.Repeat("é", MaxNote),
		"over the note limit":    strings.Repeat("é", MaxNote+1),
		"over the reasons limit": strings.Repeat("x", MaxReasons+1),
	}
	type entry struct {
		name   string
		subj   string // how the action names the text
		action func(c *Case, text string) error
		field  string // how import names it
		put    func(c *Case, text string)
	}
	entries := []entry{
		{"note", "the note", func(c *Case, s string) error { return AddNote(c, alice, s, now) },
			"notes[0].text", func(c *Case, s string) { c.Notes = []Note{{Author: "alice", At: now, Text: s}} }},
		{"question", "the question", func(c *Case, s string) error { return RequestInfo(c, alice, s, policy, today, now) },
			"requests[0].question", func(c *Case, s string) {
				c.Status = StatusAwaitingInfo
				c.Requests = []InfoRequest{{By: "alice", At: now, Due: today.AddDays(30), Question: s}}
			}},
		{"reasons", "the statement of reasons", func(c *Case, s string) error {
			return Decide(c, alice, Decision{Outcome: OutcomeRejected, Reasons: s}, policy, today, now)
		}, "decision.reasons", func(c *Case, s string) {
			c.Status = StatusDecided
			c.Decision = &Decision{Outcome: OutcomeRejected, Reasons: s, By: "alice", On: today, At: now}
		}},
	}
	for _, e := range entries {
		for name, text := range texts {
			if e.name == "reasons" && name == "blank" {
				continue // rejected needs reasons: a rule of the outcome, not of the text
			}
			t.Run(e.name+"/"+name, func(t *testing.T) {
				actErr := e.action(workCase(100), text)
				c := workCase(100)
				e.put(c, text)
				var impErr *FieldError
				for _, err := range Validate(c) {
					if fe := err.(*FieldError); fe.Field == e.field {
						impErr = fe
					} else {
						t.Fatalf("Validate: %v", err)
					}
				}
				switch {
				case actErr == nil && impErr == nil:
				case actErr == nil:
					t.Fatalf("the action accepts it, import refuses it: %v", impErr)
				case impErr == nil:
					t.Fatalf("import accepts it, the action refuses it: %v", actErr)
				case actErr.Error() != "invalid: "+e.subj+" "+impErr.Reason:
					t.Fatalf("different words: action %q, import %q", actErr, impErr)
				}
			})
		}
	}
}
