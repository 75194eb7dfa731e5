package cases

import (
	"fmt"
	"reflect"
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
		{"assignee:Bob to:alice", Filter{Assignee: "bob", All: []Filter{{Assignee: "alice"}}}}, // both must hold
		{"assignee:none", Filter{Unassigned: true}},
		{"to:NONE", Filter{Unassigned: true}},
		{"assignee:-", Filter{Unassigned: true}},
		{`assignee:"none"`, Filter{Assignee: "none"}}, // a user who is called none
		{"due:<2026-12-31", Filter{Due: DateRange{To: d("2026-12-30")}}},
		{"due:<=2026-12-31", Filter{Due: DateRange{To: d("2026-12-31")}}},
		{"due:>2026-12-31", Filter{Due: DateRange{From: d("2027-01-01")}}},
		{"due:>=2026-12-01", Filter{Due: DateRange{From: d("2026-12-01")}}},
		{"due:2026-12-15", Filter{Due: DateRange{From: d("2026-12-15"), To: d("2026-12-15")}}},
		{"due:=2026-2-3", Filter{Due: DateRange{From: d("2026-02-03"), To: d("2026-02-03")}}},
		{"due:2026-12-01..2026-12-31", Filter{Due: DateRange{From: d("2026-12-01"), To: d("2026-12-31")}}},
		{"due:2026-12-01..2026-12-01", Filter{Due: DateRange{From: d("2026-12-01"), To: d("2026-12-01")}}},
		{"received:2026-11-01..", Filter{Received: DateRange{From: d("2026-11-01")}}},
		{"received:..2026-10-31", Filter{Received: DateRange{To: d("2026-10-31")}}},
		{"received:<2026-11-01", Filter{Received: DateRange{To: d("2026-10-31")}}},
		{"due:<7d due:2026-12-01..", Filter{DueOp: "<", DueDays: 7, Due: DateRange{From: d("2026-12-01")}}},
		{"due:>=2026-12-01 due:<=2026-12-31", Filter{Due: DateRange{From: d("2026-12-01")}, All: []Filter{{Due: DateRange{To: d("2026-12-31")}}}}},
		{"kind:protest OR kind:psc", Filter{Any: []Filter{{Kinds: []Kind{KindProtest}}, {Kinds: []Kind{KindPSC}}}}},
		{"acme OR globex OR b76", Filter{Any: []Filter{{Words: []string{"acme"}}, {Words: []string{"globex"}}, {Words: []string{"b76"}}}}},
		{"acme kind:psc OR globex", Filter{Any: []Filter{{Words: []string{"acme"}, Kinds: []Kind{KindPSC}}, {Words: []string{"globex"}}}}},
		{"acme or globex", Filter{Words: []string{"acme", "or", "globex"}}}, // keywords are capitals
		{`acme "OR" globex`, Filter{Words: []string{"acme", "or", "globex"}}},
		{"-status:decided", Filter{Not: []Filter{{Statuses: []Status{StatusDecided}}}}},
		{"NOT importer:acme", Filter{Not: []Filter{{Importer: "acme"}}}},
		{"-acme globex", Filter{Words: []string{"globex"}, Not: []Filter{{Words: []string{"acme"}}}}},
		{"NOT acme globex", Filter{Words: []string{"globex"}, Not: []Filter{{Words: []string{"acme"}}}}},
		{"--acme", Filter{Not: []Filter{{Not: []Filter{{Words: []string{"acme"}}}}}}},
		{"not acme", Filter{Words: []string{"not", "acme"}}},
		{`"-3" "NOT"`, Filter{Words: []string{"-3", "not"}}},
		{"B76-0324527-8", Filter{Words: []string{"b76-0324527-8"}}},
		{"(kind:protest OR kind:psc) acme", Filter{Words: []string{"acme"}, All: []Filter{{Any: []Filter{{Kinds: []Kind{KindProtest}}, {Kinds: []Kind{KindPSC}}}}}}},
		{"( acme )", Filter{All: []Filter{{Words: []string{"acme"}}}}},
		{"-(acme OR globex)", Filter{Not: []Filter{{All: []Filter{{Any: []Filter{{Words: []string{"acme"}}, {Words: []string{"globex"}}}}}}}}},
		{"((acme))", Filter{All: []Filter{{All: []Filter{{Words: []string{"acme"}}}}}}},
		{"importer:(usa)", Filter{Importer: "(usa)"}}, // parentheses a term holds are its own
		{"(importer:(usa))", Filter{All: []Filter{{Importer: "(usa)"}}}},
		{`"(usa)"`, Filter{Words: []string{"(usa)"}}},
		{"a(b", Filter{Words: []string{"a(b"}}},
		{`"a:b"`, Filter{Words: []string{"a:b"}}},
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
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFilter(%q) =\n %+v\nwant %+v", tc.q, got, tc.want)
		}
		if got.Empty() != (tc.q == "") {
			t.Errorf("ParseFilter(%q).Empty() = %v", tc.q, got.Empty())
		}
	}
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
		"kind:drawback":              `filter term "kind:drawback": kind "drawback": want one of protest, psc, pea, disclosure, validation`,
		"status:lost":                `filter term "status:lost": status "lost": want one of`,
		"due:soon":                   `filter term "due:soon": due wants days such as <7d, >=30d, overdue or week, or dates such as <2026-12-31 or 2026-12-01..2026-12-31`,
		"due:<999999d":               `filter term "due:<999999d": due wants days`,
		"amount:>lots":               `filter term "amount:>lots": amount "lots": not a dollar amount`,
		"amount:1.234":               `filter term "amount:1.234": amount "1.234": want dollars with at most two decimal places`,
		"kind:":                      `filter term "kind:": kind needs a value`,
		"color:red":                  `filter term "color:red": unknown field "color"; want kind, status, due, received, importer, assignee, center or amount`,
		"due:<2026-13-01":            `filter term "due:<2026-13-01": month 13 is not 1 to 12`,
		"due:2026-00-01..":           `filter term "due:2026-00-01..": month 0 is not 1 to 12`,
		"due:2026-02-29":             `filter term "due:2026-02-29": day 29: February 2026 has 28 days`,
		"received:..2026-04-31":      `filter term "received:..2026-04-31": day 31: April 2026 has 30 days`,
		"due:1899-12-31..":           `filter term "due:1899-12-31..": year 1899 is before 1900`,
		"due:2026-1x-01":             `filter term "due:2026-1x-01": date "2026-1x-01": want YYYY-MM-DD`,
		"due:2026-12-31..2026-12-01": `filter term "due:2026-12-31..2026-12-01": the range 2026-12-31..2026-12-01 ends before it starts`,
		"due:..":                     `filter term "due:..": a range wants a date on one side of .. at least`,
		"due:7d..14d":                `filter term "due:7d..14d": range end "7d": want a date such as 2026-12-31`,
		"received:<7d":               `filter term "received:<7d": received wants a date such as 2026-11-01, >=2026-11-01 or 2026-11-01..2026-11-30`,
		"received:week":              `filter term "received:week": received wants a date`,
		"OR":                         `filter has an OR without a term on each side`,
		"OR acme":                    `filter has an OR without a term on each side`,
		"acme OR":                    `filter has an OR without a term on each side`,
		"acme OR OR globex":          `filter has an OR without a term on each side`,
		"(acme OR) b":                `filter has an OR without a term on each side`,
		"NOT":                        `filter has a NOT without a term after it`,
		"acme NOT":                   `filter has a NOT without a term after it`,
		"NOT OR acme":                `filter has a NOT without a term after it`,
		"acme -":                     `filter has a - without a term after it`,
		"(-) acme":                   `filter has a - without a term after it`,
		"(acme":                      `filter has a ( that is not closed`,
		"((acme)":                    `filter has a ( that is not closed`,
		"acme)":                      `filter has a ) that closes no (`,
		"(acme))":                    `filter has a ) that closes no (`,
		") acme":                     `filter has a ) that closes no (`,
		"()":                         `filter has () with no term inside`,
		"acme ( )":                   `filter has () with no term inside`,
		"(kind:drawback OR acme)":    `filter term "kind:drawback": kind "drawback"`,
		`importer:"acme`:             `filter has an unclosed quote`,
		"acme\x1b[2J":                `filter has a control character (U+001B)`,
		strings.Repeat("a", 513):     `filter is 513 characters; the limit is 512`,
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
	m := f.Matcher(d("2026-03-02"))
	for b.Loop() {
		m.Match(&r)
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

func TestFilterLanguageMatch(t *testing.T) {
	today := d("2026-03-02")
	rows := []QueueRow{
		{ID: "2704-26-100123", Kind: KindProtest, Status: StatusInReview, Center: "ELEC", Assignee: "alice", Due: d("2026-03-01"), Received: d("2026-01-10"), Importer: "Acme Electronics Corp", Entry: "B76-0324527-8", Revenue: 50_000_00},
		{ID: "PSC-26-000001", Kind: KindPSC, Status: StatusAssigned, Center: "ELEC", Assignee: "bob", Due: d("2026-03-02"), Received: d("2026-02-01"), Importer: "Société Générale Électronique", Entry: "ABC-1234567-6", Revenue: 500_00},
		{ID: "PEA-26-000002", Kind: KindPEA, Status: StatusDecided, Center: "PHARMA", Assignee: "erin", Due: d("2026-03-09"), Received: d("2025-12-31"), Importer: "Harbor Pharmaceuticals Inc", Entry: "999-9999999-0", Revenue: 10_000_00},
		{ID: "VAL-26-000003", Kind: KindValidation, Status: StatusPendingApproval, Center: "ELEC", Assignee: "alice", Due: d("2026-04-02"), Received: d("2026-02-28"), Importer: "Summit Devices Inc", Entry: "316-0000001-7"},
		{ID: "PD-26-000004", Kind: KindDisclosure, Status: StatusNew, Center: "ELEC", Due: d("2026-03-20"), Received: d("2026-03-01"), Importer: "Globex Chemicals Corp", Revenue: 2_000_00},
	}
	tests := []struct{ q, want string }{ // query → indexes of the matching rows
		{"kind:protest OR kind:psc", "01"},
		{"acme OR globex", "04"},
		{"acme OR harbor OR summit", "023"},
		{"kind:protest acme OR kind:pea", "02"},
		{"kind:protest OR kind:pea acme", "0"},
		{"-status:decided", "0134"},
		{"NOT status:decided", "0134"},
		{"NOT importer:acme", "1234"},
		{"-acme", "1234"},
		{"-acme -globex", "123"},
		{"-(acme OR globex)", "123"},
		{"NOT (kind:psc OR kind:pea) center:elec", "034"},
		{"(kind:protest OR kind:val) assignee:alice", "03"},
		{"NOT NOT acme", "0"},
		{"--acme", "0"},
		{"assignee:none", "4"},
		{"assignee:-", "4"},
		{"-assignee:none", "0123"},
		{"assignee:alice OR assignee:none", "034"},
		{`assignee:"none"`, ""},
		{"assignee:alice assignee:bob", ""},
		{"due:<2026-03-02", "0"},
		{"due:<=2026-03-02", "01"},
		{"due:>2026-03-09", "34"},
		{"due:>=2026-03-09", "234"},
		{"due:2026-03-09", "2"},
		{"due:2026-03-01..2026-03-09", "012"},
		{"due:2026-03-10..", "34"},
		{"due:..2026-03-01", "0"},
		{"due:>=2026-03-01 due:<=2026-03-02", "01"},
		{"received:2026-02-01..", "134"},
		{"received:..2026-01-10", "02"},
		{"received:2026-01-01..2026-01-31", "0"},
		{"received:<2026-01-01", "2"},
		{"due:week -due:overdue", "12"},
		{"société OR harbor", "12"},
		{"électronique -acme", "1"},
		{"kind:pd OR amount:>=50000", "04"},
		{"(acme OR globex) (kind:pd OR kind:psc)", "4"},
	}
	for _, tc := range tests {
		f, err := ParseFilter(tc.q)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tc.q, err)
			continue
		}
		var got strings.Builder
		m := f.Matcher(today)
		for i := range rows {
			if m.Match(&rows[i]) != f.Match(&rows[i], today) {
				t.Errorf("filter %q: Matcher and Match disagree on row %d", tc.q, i)
			}
			if m.Match(&rows[i]) {
				got.WriteByte(byte('0' + i))
			}
		}
		if got.String() != tc.want {
			t.Errorf("filter %q matched rows %q; want %q", tc.q, got.String(), tc.want)
		}
	}
	// a row with no date is in no range of dates
	if f, _ := ParseFilter("received:..2026-12-31"); f.Match(&QueueRow{Due: today}, today) {
		t.Error("a row with no date received matched a range of received dates")
	}
	// words of a filter built in code need not be lower case
	if !(Filter{Words: []string{"ACME"}}).Match(&rows[0], today) || !(Filter{Importer: "ACME"}).Match(&rows[0], today) {
		t.Error("a filter built with capitals does not match")
	}
}

func TestFilterNamesStatus(t *testing.T) {
	for q, want := range map[string]bool{
		"": false, "acme": false, "status:review": true, "status:open": true, "-status:decided": true,
		"acme OR status:decided": true, "(kind:psc OR NOT st:new)": true, "kind:psc OR due:week": false,
	} {
		f, err := ParseFilter(q)
		if err != nil {
			t.Fatal(err)
		}
		if f.NamesStatus() != want {
			t.Errorf("ParseFilter(%q).NamesStatus() = %v", q, !want)
		}
	}
}

func TestFilterHighlights(t *testing.T) {
	soc := "Société Générale Électronique"
	el := strings.Index(soc, "Électronique")
	tests := []struct {
		q, s string
		want [][2]int
	}{
		{"acme", "Acme Electronics Corp", [][2]int{{0, 4}}},
		{"corp acme", "Acme Corp ACME", [][2]int{{0, 4}, {5, 9}, {10, 14}}},
		{"electronics tron", "Acme Electronics Corp", [][2]int{{5, 16}}}, // overlapping
		{"ac me", "acme", [][2]int{{0, 4}}},                              // touching
		{"a", "banana", [][2]int{{1, 2}, {3, 4}, {5, 6}}},
		{"ana", "banana", [][2]int{{1, 6}}},
		{"-acme corp", "Acme Corp", [][2]int{{5, 9}}},
		{"NOT (acme OR corp) inc", "Acme Corp Inc", [][2]int{{10, 13}}},
		{"--acme", "Acme", [][2]int{{0, 4}}},
		{"acme OR globex", "Globex Acme", [][2]int{{0, 6}, {7, 11}}},
		{"importer:acme", "ACME", [][2]int{{0, 4}}},
		{`importer:"acme corp"`, "Acme Corp", [][2]int{{0, 9}}},
		{"kind:psc status:open due:week", "Acme", nil},
		{"", "Acme", nil},
		{"zzz", "Acme", nil},
		{"électronique", soc, [][2]int{{el, el + len("Électronique")}}},
		{"é", "Société", [][2]int{{4, 6}, {7, 9}}},
		{"k", "\u212Aelvin", [][2]int{{0, 3}}}, // the Kelvin sign is a capital k
		{"i", "\u0130stanbul", [][2]int{{0, 2}}},
		{"b76", "B76-0324527-8", [][2]int{{0, 3}}},
	}
	for _, tc := range tests {
		f, err := ParseFilter(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Highlights(tc.s); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseFilter(%q).Highlights(%q) = %v; want %v", tc.q, tc.s, got, tc.want)
		}
	}
}
