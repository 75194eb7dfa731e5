package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"ceedesk/cases"
)

func date(s string) cases.Date {
	d, err := cases.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// An exclusion protest filed 2026-06-04 is deemed denied on Saturday 2026-07-04 (19 U.S.C. 1499(c)(5); 19 CFR
// 174.21(b)): the Center acts by Friday 07-03.
func exclusionProtest() *cases.Case {
	return &cases.Case{ID: "2704-26-100123", Kind: cases.KindProtest, Center: "ELEC", Status: cases.StatusInReview,
		Protest: &cases.Protest{Number: "2704-26-100123", Protested: date("2026-06-01"), Filed: date("2026-06-04"),
			Grounds: []cases.Ground{cases.GroundExclusion}, HQReferred: date("2026-06-10")}}
}

// case --json carries every clock and finding beside the case's own fields, and still decodes as a case.
func TestCaseJSONHasClocksAndFindings(t *testing.T) {
	c := exclusionProtest()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(newCaseJSON(c, cases.DefaultPolicy(), date("2026-07-06"))); err != nil {
		t.Fatal(err)
	}
	var back cases.Case
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.ID != c.ID || back.Protest.Filed != c.Protest.Filed {
		t.Fatalf("does not decode as a case: %v", err)
	}
	var out struct {
		AsOf    string `json:"as_of"`
		DueDate string `json:"due_date"`
		Clocks  []struct {
			Name, Kind, Due, Deemed, Event, Rule, Basis, Status string
			DaysLeft                                            int `json:"days_left"`
			Action, Met                                         bool
		}
		Findings []cases.Finding
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.AsOf != "2026-07-06" || out.DueDate != "2026-07-03" || len(out.Clocks) != 2 {
		t.Fatalf("as_of %s due_date %s clocks %+v", out.AsOf, out.DueDate, out.Clocks)
	}
	k := out.Clocks[1]
	if k.Name != cases.ClockDecideExclusion || k.Kind != "deemed" || k.Due != "2026-07-03" || k.Deemed != "2026-07-04" ||
		k.Event != "deemed denied" || k.Status != "passed" || k.DaysLeft != -3 || !k.Action || k.Met ||
		k.Rule != "30th day after the filing of 2026-06-04" || k.Basis != "19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)" {
		t.Errorf("exclusion clock %+v", k)
	}
	if len(out.Findings) != 1 || !strings.Contains(out.Findings[0].Text, "deemed denied on 2026-07-04") {
		t.Errorf("findings %+v", out.Findings)
	}
	// No clocks and no findings are empty lists, not null, for scripts.
	if !strings.Contains(mustJSON(t, newCaseJSON(&cases.Case{ID: "x", Kind: cases.KindPSC}, cases.DefaultPolicy(), date("2026-07-06"))), `"findings":[]`) {
		t.Errorf("empty findings are not []")
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteCaseShowsKindsOfDate(t *testing.T) {
	var b bytes.Buffer
	WriteCase(&b, exclusionProtest(), nil, cases.DefaultPolicy(), date("2026-07-01"))
	out := b.String()
	for _, want := range []string{
		"Decide exclusion protest (action)             2026-07-03  deemed    2 days left          deemed denied on 2026-07-04; 30th day after the filing of 2026-06-04 [19 U.S.C. 1499(c)(5); 19 CFR 174.21(b)]",
		"File protest                                  2026-11-30  deadline  met                  180 days after the protested decision of 2026-06-01 [19 U.S.C. 1514(c)(3)]",
		"Referred to Headquarters                      2026-06-10  answered - [19 CFR 174.26]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteCase lacks %q:\n%s", want, out)
		}
	}
}
