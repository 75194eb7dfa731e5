package cases

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	cases := []struct {
		q    string
		want Filter
	}{
		{"", Filter{}},
		{"  acme  B76 ", Filter{Words: []string{"acme", "b76"}}},
		{"kind:protest", Filter{Kinds: []Kind{KindProtest}}},
		{"k:psc,PEA,pd", Filter{Kinds: []Kind{KindPSC, KindPEA, KindDisclosure}}},
		{"status:review,pending", Filter{Statuses: []Status{StatusInReview, StatusPendingApproval}}},
		{"status:open", Filter{OpenOnly: true}},
		{"st:open,decided", Filter{OpenOnly: true, Statuses: []Status{StatusDecided}}},
		{"due:<7d", Filter{DueOp: "<", DueDays: 7}},
		{"due:<=0d", Filter{DueOp: "<=", DueDays: 0}},
		{"due:>30", Filter{DueOp: ">", DueDays: 30}},
		{"due:overdue", Filter{DueOp: "<", DueDays: 0}},
		{"due:week", Filter{DueOp: "<=", DueDays: 7}},
		{"due:today", Filter{DueOp: "<=", DueDays: 0}},
		{"due:-3d", Filter{DueOp: "=", DueDays: -3}},
		{`importer:"Acme Corp"`, Filter{Importer: "acme corp"}},
		{"imp:ACME", Filter{Importer: "acme"}},
		{"assignee:Bob to:alice", Filter{Assignee: "alice"}},
		{"center:elec", Filter{Center: "ELEC"}},
		{"amount:>10000", Filter{AmountOp: ">", Amount: 10_000_00}},
		{"revenue:<=$500.50", Filter{AmountOp: "<=", Amount: 500_50}},
		{"amount:1,000", Filter{AmountOp: "=", Amount: 1_000_00}},
		{"http://x", Filter{Words: []string{"http://x"}}}, // the field "http" is unknown... but see below
		{`"a b":c`, Filter{Words: []string{"a b:c"}}},
		{":x", Filter{Words: []string{":x"}}},
	}
	for _, tc := range cases {
		got, err := ParseFilter(tc.q)
		if tc.q == "http://x" {
			// A term whose field is unknown is an error, not a word.
			if err == nil || !strings.Contains(err.Error(), `unknown field "http"`) {
				t.Errorf("ParseFilter(%q) = %v", tc.q, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tc.q, err)
			continue
		}
		tc.want.Query = tc.q
		if !sameFilter(got, tc.want) {
			t.Errorf("ParseFilter(%q) =\n %+v\nwant %+v", tc.q, got, tc.want)
		}
		if got.Empty() != (tc.q == "") {
			t.Errorf("ParseFilter(%q).Empty() = %v", tc.q, got.Empty())
		}
	}
}

func sameFilter(a, b Filter) bool {
	return strings.Join(a.Words, "|") == strings.Join(b.Words, "|") && kindsText(a.Kinds) == kindsText(b.Kinds) &&
		statusesText(a.Statuses) == statusesText(b.Statuses) && a.OpenOnly == b.OpenOnly && a.DueOp == b.DueOp &&
		a.DueDays == b.DueDays && a.Importer == b.Importer && a.Assignee == b.Assignee && a.Center == b.Center &&
		a.AmountOp == b.AmountOp && a.Amount == b.Amount && a.Query == b.Query
}

func kindsText(ks []Kind) string {
	var s []string
	for _, k := range ks {
		s = append(s, string(k))
	}
	return strings.Join(s, ",")
}

func statusesText(ss []Status) string {
	var s []string
	for _, x := range ss {
		s = append(s, string(x))
	}
	return strings.Join(s, ",")
}

func TestParseFilterErrors(t *testing.T) {
	cases := map[string]string{
		"kind:drawback":          `filter term "kind:drawback": kind "drawback": want one of protest, psc, pea, disclosure, validation`,
		"status:lost":            `filter term "status:lost": status "lost": want one of`,
		"due:soon":               `filter term "due:soon": due wants days such as <7d, >=30d, overdue or week`,
		"due:<999999d":           `filter term "due:<999999d": due wants days`,
		"amount:>lots":           `filter term "amount:>lots": amount "lots": not a dollar amount`,
		"amount:1.234":           `filter term "amount:1.234": amount "1.234": want dollars with at most two decimal places`,
		"kind:":                  `filter term "kind:": kind needs a value`,
		"color:red":              `filter term "color:red": unknown field "color"; want kind, status, due, importer, assignee, center or amount`,
		`importer:"acme`:         `filter has an unclosed quote`,
		"acme\x1b[2J":            `filter has a control character (U+001B)`,
		strings.Repeat("a", 513): `filter is 513 characters; the limit is 512`,
	}
	for q, want := range cases {
		_, err := ParseFilter(q)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseFilter(%.20q) error = %v; want %q", q, err, want)
		}
	}
	if _, err := ParseFilter(strings.Repeat("a", 512)); err != nil {
		t.Errorf("a filter at the limit: %v", err)
	}
}

func TestFilterMatch(t *testing.T) {
	today := d("2026-03-02")
	rows := []QueueRow{
		{ID: "2704-26-100123", Kind: KindProtest, Status: StatusInReview, Center: "ELEC", Assignee: "alice", Due: today.AddDays(-1), Importer: "Acme Electronics Corp", Entry: "B76-0324527-8", Revenue: 50_000_00},
		{ID: "PSC-26-000001", Kind: KindPSC, Status: StatusAssigned, Center: "ELEC", Assignee: "bob", Due: today, Importer: "Société Générale Électronique", Entry: "ABC-1234567-6", Revenue: 500_00},
		{ID: "PEA-26-000002", Kind: KindPEA, Status: StatusDecided, Center: "PHARMA", Assignee: "erin", Due: today.AddDays(7), Importer: "Harbor Pharmaceuticals Inc", Entry: "999-9999999-0", Revenue: 10_000_00},
		{ID: "VAL-26-000003", Kind: KindValidation, Status: StatusPendingApproval, Center: "ELEC", Assignee: "alice", Due: today.AddDays(31), Importer: "Summit Devices Inc", Entry: "316-0000001-7", Revenue: 0},
	}
	cases := map[string]string{ // query → ids of matching rows, by index
		"":                      "0123",
		"acme":                  "0",
		"ACME":                  "0",
		"b76":                   "0",
		"2704-26":               "0",
		"inc":                   "23",
		"inc harbor":            "2",
		"kind:protest,psc":      "01",
		"status:open":           "013",
		"status:decided":        "2",
		"status:open,decided":   "", // open and decided at once
		"due:overdue":           "0",
		"due:today":             "01",
		"due:<=0d":              "01",
		"due:week":              "012",
		"due:>30d":              "3",
		"due:=7":                "2",
		"importer:société":      "1",
		"importer:SOCIÉTÉ":      "1",
		"électronique":          "1",
		"ÉLECTRONIQUE":          "1",
		"assignee:ALICE":        "03",
		"center:pharma":         "2",
		"amount:>=10000":        "02",
		"amount:<500":           "3",
		"amount:500":            "1",
		"kind:psc assignee:bob": "1",
		"kind:psc assignee:bo":  "", // assignee is the whole name
		"nothing-like-this":     "",
	}
	for q, want := range cases {
		f, err := ParseFilter(q)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", q, err)
			continue
		}
		var got strings.Builder
		for i := range rows {
			if f.Match(&rows[i], today) {
				got.WriteByte(byte('0' + i))
			}
		}
		if got.String() != want {
			t.Errorf("filter %q matched rows %q; want %q", q, got.String(), want)
		}
	}
}

func TestContainsFold(t *testing.T) {
	cases := []struct {
		s, sub string
		want   bool
	}{
		{"Acme Corp", "acme", true},
		{"Acme Corp", "corp", true},
		{"Acme Corp", "acme corp", true},
		{"Acme", "acme corp", false},
		{"", "", true},
		{"x", "", true},
		{"ÉLECTRONIQUE", "électronique", true},
		{"Straße", "straße", true},
		{"ÅNGSTRÖM AB", "ångström", true},
		{"Acme", "ácme", false},
	}
	for _, tc := range cases {
		if got := containsFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v", tc.s, tc.sub, got)
		}
	}
}

func BenchmarkFilterMatch(b *testing.B) {
	f, _ := ParseFilter("kind:psc,protest status:open acme due:<30d")
	r := QueueRow{ID: "PSC-26-000001", Kind: KindPSC, Status: StatusAssigned, Importer: "Pacific Rim Electronics Corp", Entry: "B76-0324527-8", Due: d("2026-03-10")}
	today := d("2026-03-02")
	for i := 0; i < b.N; i++ {
		f.Match(&r, today)
	}
}

func TestFilterLimitCountsCharacters(t *testing.T) {
	q := strings.Repeat("é", MaxFilter)
	if _, err := ParseFilter(q); err != nil {
		t.Errorf("%d non-ASCII characters are within the limit: %v", MaxFilter, err)
	}
	if _, err := ParseFilter(q + "é"); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d characters", MaxFilter+1)) {
		t.Errorf("one over the limit: %v", err)
	}
}
