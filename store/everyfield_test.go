package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// everyFieldCases are valid cases, one of each kind, that between them set every field of cases.Case: the later
// facts of the law (extensions, suspension, further review, Headquarters, consolidation, denial mailing, the
// disclosure's waiver and calculation, answers, notices, a late acknowledgement) among them.
func everyFieldCases() []*cases.Case {
	d := cases.NewDate
	at := func(m time.Month, day, h int) time.Time { return time.Date(2026, m, day, h, 15, 30, 500, time.UTC) }
	base := func(id string, k cases.Kind, center, who string) *cases.Case {
		return &cases.Case{
			ID: id, Kind: k, Center: center,
			Importer: cases.Importer{Number: "18-569228200", Name: "Evergreen Semiconductor LLC", Programs: []cases.Program{cases.ProgramCTPAT, cases.ProgramISA}},
			Entry: cases.EntrySummary{Number: "E21-2115062-8", Type: "03", Port: "2704", EntryDate: d(2024, 2, 12),
				Liquidates: d(2024, 12, 23), Extensions: []cases.Date{d(2025, 2, 12), d(2026, 2, 12)}, Extended: d(2026, 2, 12),
				Suspended: d(2024, 2, 13), Unsuspended: d(2025, 6, 30),
				Lines: []cases.Line{
					{Number: 1, HTS: "8528520000", Description: "Monitors | \"24 in\"; boxed", Origin: "MY", Value: 116143200},
					{Number: 2, HTS: "8536690000", Description: "Plugs and sockets", Origin: "KR", Value: 34983700, RateBP: 270, Duty: 944559},
				}},
			Received: d(2026, 3, 2), Assignee: who, Assigned: d(2026, 3, 20), FirstAssigned: d(2026, 3, 4), Status: cases.StatusAwaitingInfo,
			Notes: []cases.Note{{Author: who, At: at(3, 21, 10), Text: "Called the broker, \"urgent\";\nsecond line"}},
			Requests: []cases.InfoRequest{
				{By: who, At: at(3, 22, 9), Due: d(2026, 4, 21), Question: "Send the invoice.", Answered: d(2026, 4, 2),
					Answer: "Invoice attached; see page 2.", RecordedBy: who, RecordedAt: at(4, 2, 11)},
				{By: who, At: at(4, 3, 9), Due: d(2026, 5, 4), Question: "Send the mill certificate."},
			},
			Notices: []cases.ActionNotice{
				{By: who, At: at(4, 6, 14), Sent: d(2026, 4, 6), Proposed: true, Action: "Rate advance on line 2 to 2.7%.",
					ReplyDue: d(2026, 4, 27), Replied: d(2026, 4, 20), Reply: "The importer disagrees; ruling attached."},
				{By: who, At: at(5, 4, 14), Sent: d(2026, 5, 4), Action: "Rate advanced on line 2."},
			},
			Version: 9, UpdatedBy: who, UpdatedAt: at(5, 4, 14),
		}
	}
	protest := base("2704-26-100777", cases.KindProtest, "ELEC", "alice")
	protest.Entry.Liquidated = d(2026, 1, 9)
	protest.Status = cases.StatusDecided
	protest.Protest = &cases.Protest{Number: "2704-26-100777", Filed: d(2026, 3, 2), Protested: d(2026, 1, 9),
		Grounds: []cases.Ground{cases.GroundClassification, cases.GroundCharges}, Claimed: 944559, AccelMailed: d(2026, 6, 15),
		FurtherReview: true, AFRFiled: d(2026, 3, 2), OriginalDeciders: []string{"bob"},
		HQReferred: d(2026, 4, 1), HQAnswered: d(2026, 5, 1), AFRDecided: d(2026, 7, 1), AFRDenied: true, SetAsideFiled: d(2026, 8, 15),
		Consolidated: []string{"2704-26-100778", "2709-26-100020"}, LastFiled: d(2026, 3, 20), DenialMailed: d(2026, 7, 2)}
	protest.Decision = &cases.Decision{Outcome: cases.OutcomeDeniedInPart, Reasons: "Line 1 is properly classified.", Amount: 400000,
		Lines: []int{2}, By: "carol", On: d(2026, 6, 30), At: at(6, 30, 15), Approval: true, Approver: "sofia", Approved: at(7, 1, 9),
		Returned: "State the heading.", LateAck: "Decided after the accelerated disposition deemed it denied; the decision changes nothing."}
	protest.UpdatedBy, protest.UpdatedAt = "sofia", at(7, 1, 9)

	psc := base("PSC-26-000777", cases.KindPSC, "ELEC", "bob")
	psc.PSC = &cases.PSC{Filed: d(2025, 11, 3), Version: 3, ReasonCodes: []string{"001", "014"}, DutyDiff: -50000, Explanation: "Corrects line 2."}
	pea := base("PEA-26-000777", cases.KindPEA, "ELEC", "carol")
	pea.PEA = &cases.PEA{Filed: d(2025, 1, 6), DutyDiff: 120000, Explanation: "Adds an assist."}
	pd := base("PD-26-000777", cases.KindDisclosure, "PHARMA", "erin")
	pd.Disclosure = &cases.Disclosure{Disclosed: d(2026, 3, 2), Oral: true, Confirmed: d(2026, 3, 9), Perfected: d(2026, 4, 15),
		LostRevenue: 944559, Tender: 900000, ConfirmWaived: d(2026, 3, 6), PerfectionExtended: d(2026, 4, 30), Calculated: d(2026, 5, 1),
		Culpability: cases.CulpabilityGross, Liquidated: d(2026, 1, 9)}
	val := base("VAL-26-000777", cases.KindValidation, "PHARMA", "frank")
	val.Validation = &cases.Validation{Program: cases.ProgramISA, Scope: "ISA annual review", Due: d(2026, 6, 1)}
	return []*cases.Case{protest, psc, pea, pd, val}
}

// leafFields adds to set the path of every field of x that holds a value other than its zero, descending into
// parts, lists and their elements; Date and time.Time are leaves.
func leafFields(path string, x reflect.Value, set map[string]bool) {
	switch x.Kind() {
	case reflect.Pointer:
		if !x.IsNil() {
			leafFields(path, x.Elem(), set)
		}
		return
	case reflect.Slice:
		if x.Type().Elem().Kind() == reflect.Struct && x.Type().Elem() != reflect.TypeOf(time.Time{}) {
			for i := 0; i < x.Len(); i++ {
				leafFields(path+"[]", x.Index(i), set)
			}
			return
		}
	case reflect.Struct:
		if x.Type() != reflect.TypeOf(time.Time{}) {
			for i := 0; i < x.NumField(); i++ {
				leafFields(path+"."+x.Type().Field(i).Name, x.Field(i), set)
			}
			return
		}
	}
	if set != nil && !x.IsZero() {
		set[path] = true
	}
}

// allLeaves lists every leaf field path of type t, as leafFields names them.
func allLeaves(path string, t reflect.Type, out map[string]bool) {
	switch {
	case t.Kind() == reflect.Pointer:
		allLeaves(path, t.Elem(), out)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && t.Elem() != reflect.TypeOf(time.Time{}):
		allLeaves(path+"[]", t.Elem(), out)
	case t.Kind() == reflect.Struct && t != reflect.TypeOf(time.Time{}):
		for i := 0; i < t.NumField(); i++ {
			if t.Field(i).Tag.Get("json") == "-" {
				continue // not part of the record (a case's lease)
			}
			allLeaves(path+"."+t.Field(i).Name, t.Field(i).Type, out)
		}
	default:
		out[path] = true
	}
}

// Export, then import into an empty store, gives back every field of every case in both formats. The cases
// between them set every field cases.Case has, so a field added without a CSV column (or a JSON tag that drops
// it) fails here.
func TestEveryFieldRoundTrips(t *testing.T) {
	cs := everyFieldCases()
	want, got := map[string]bool{}, map[string]bool{}
	allLeaves("", reflect.TypeOf(cases.Case{}), want)
	for _, c := range cs {
		if errs := cases.Validate(c); len(errs) > 0 {
			t.Fatalf("%s: %v", c.ID, errs)
		}
		leafFields("", reflect.ValueOf(c).Elem(), got)
	}
	var missing []string
	for f := range want {
		if !got[f] {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("no case sets %s: the test proves nothing about them", strings.Join(missing, ", "))
	}
	src := openTest(t, "")
	for _, u := range synth.New(1, today).Users() {
		if err := src.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	addCases(t, src, cs...)
	for _, format := range []string{"jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			var out bytes.Buffer
			if _, err := src.Export(Operator, &out, format); err != nil {
				t.Fatal(err)
			}
			dst := freshWithUsers(t)
			if n, err := dst.Import(bytes.NewReader(out.Bytes()), "cases."+format, Operator); err != nil || n != len(cs) {
				t.Fatalf("Import = %d, %v", n, err)
			}
			for _, c := range cs {
				back, err := dst.Case(Operator, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(back, c) {
					a, _ := json.Marshal(c)
					b, _ := json.Marshal(back)
					t.Fatalf("%s differs after the round trip:\n was %s\n got %s", c.ID, a, b)
				}
			}
		})
	}
}

// A list of dates in a CSV cell that does not parse is reported by its place in the list.
func TestCSVExtensionsReportTheBadDate(t *testing.T) {
	var c cases.Case
	col := csvColumns[columnIndex(t, "entry.extensions")]
	err := col.set(&c, "2025-02-12;2026-02-31")
	var in cellFieldErrors
	if !asCellErrors(err, &in) || len(in) != 1 || cellField(col.name, in[0].Field) != "entry.extensions[1]" ||
		!strings.Contains(in[0].Reason, `date "2026-02-31": want YYYY-MM-DD`) {
		t.Fatalf("set = %v", err)
	}
	if err := col.set(&c, "2025-02-12; 2026-02-12"); err != nil || len(c.Entry.Extensions) != 2 {
		t.Fatalf("set = %v, %v", err, c.Entry.Extensions)
	}
}

func columnIndex(t *testing.T, name string) int {
	for i, c := range csvColumns {
		if c.name == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return 0
}

func asCellErrors(err error, dst *cellFieldErrors) bool {
	e, ok := err.(cellFieldErrors)
	*dst = e
	return ok
}
