package cases

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Tests of the vocabulary in case.go, date.go and queue.go.

func TestParseKindStatusRole(t *testing.T) {
	kinds := map[string]Kind{"protest": KindProtest, "PROT": KindProtest, "19": KindProtest, " psc ": KindPSC,
		"Post-Entry Amendment": KindPEA, "pd": KindDisclosure, "prior-disclosure": KindDisclosure, "VAL": KindValidation}
	for in, want := range kinds {
		if got, err := ParseKind(in); err != nil || got != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseKind("drawback"); err == nil || !strings.Contains(err.Error(), `kind "drawback"`) {
		t.Errorf("ParseKind(drawback): %v", err)
	}
	statuses := map[string]Status{"new": StatusNew, "In Review": StatusInReview, "rfi": StatusAwaitingInfo,
		"pending": StatusPendingApproval, "closed": StatusDecided, "awaiting info": StatusAwaitingInfo}
	for in, want := range statuses {
		if got, err := ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v", in, got, err)
		}
	}
	for _, s := range Statuses {
		if got, err := ParseStatus(s.Title()); err != nil || got != s {
			t.Errorf("ParseStatus(%q) does not read its own title: %q, %v", s.Title(), got, err)
		}
		if s.Open() != (s != StatusDecided) {
			t.Errorf("%s.Open() = %v", s, s.Open())
		}
	}
	for _, k := range Kinds {
		if got, err := ParseKind(k.Short()); err != nil || got != k {
			t.Errorf("ParseKind(%q) does not read its own short label: %v", k.Short(), err)
		}
	}
	if r, err := ParseRole(" Supervisor "); err != nil || r != RoleSupervisor {
		t.Errorf("ParseRole: %q %v", r, err)
	}
	if _, err := ParseRole("root"); err == nil {
		t.Errorf("ParseRole(root) accepted")
	}
}

func TestLookupCenter(t *testing.T) {
	if c, err := LookupCenter("elec"); err != nil || c.City != "Los Angeles" {
		t.Errorf("LookupCenter(elec) = %+v, %v", c, err)
	}
	if c, err := LookupCenter("PHARMA"); err != nil || c.City != "New York" {
		t.Errorf("LookupCenter(PHARMA) = %+v, %v", c, err)
	}
	if len(Centers) != 10 {
		t.Errorf("domain.md: ten Centers in all, have %d", len(Centers))
	}
	if _, err := LookupCenter("XYZ"); err == nil || !strings.Contains(err.Error(), "want one of ELEC, PHARMA") {
		t.Errorf("LookupCenter(XYZ): %v", err)
	}
}

func TestRevenueAndLiquidationDate(t *testing.T) {
	for k, want := range map[Kind]Cents{
		KindProtest: 50_000_00, KindPSC: 5_000_00, KindPEA: 1_000_00, KindDisclosure: 20_000_00, KindValidation: 9_800_00,
	} {
		if got := validCase(k).Revenue(); got != want {
			t.Errorf("%s revenue %s; want %s", k, got, want)
		}
	}
	c := validCase(KindPSC)
	c.PSC = nil
	if c.Revenue() != 0 {
		t.Errorf("revenue without the kind's part")
	}
	e := validCase(KindPSC).Entry
	if e.LiquidationDate() != e.Liquidates || e.TotalValue() != 1_200_000_00 || e.TotalDuty() != 9_800_00 {
		t.Errorf("entry totals: %s %s %s", e.LiquidationDate(), e.TotalValue(), e.TotalDuty())
	}
	e.Extended = d("2027-03-15")
	if e.LiquidationDate() != d("2027-03-15") {
		t.Errorf("an extended liquidation is the date scheduled")
	}
}

func TestDate(t *testing.T) {
	x := NewDate(2026, time.July, 4)
	if x.String() != "2026-07-04" || x.Weekday() != time.Saturday {
		t.Errorf("NewDate: %s %s", x, x.Weekday())
	}
	if y, m, dd := x.YMD(); y != 2026 || m != time.July || dd != 4 {
		t.Errorf("YMD: %d %s %d", y, m, dd)
	}
	if NewDate(2026, time.February, 29) != NewDate(2026, time.March, 1) {
		t.Errorf("NewDate normalises like time.Date")
	}
	if x.AddDays(2).DaysUntil(x) != -2 || x.DaysUntil(x.AddDays(30)) != 30 {
		t.Errorf("AddDays/DaysUntil")
	}
	// A local time late in the day is still that calendar day.
	la := time.FixedZone("PDT", -7*3600)
	if got := DateOf(time.Date(2026, 7, 4, 23, 30, 0, 0, la)); got != x {
		t.Errorf("DateOf in the Center's zone = %s", got)
	}
	if Date(0).String() != "" || !Date(0).IsZero() {
		t.Errorf("the zero Date")
	}
	for _, bad := range []string{"2026-02-30", "2026-7-4", "07/04/2026", ""} {
		if _, err := ParseDate(bad); err == nil || !strings.Contains(err.Error(), "want YYYY-MM-DD") {
			t.Errorf("ParseDate(%q): %v", bad, err)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type wrap struct {
		D Date `json:"d"`
	}
	b, _ := json.Marshal(wrap{D: d("2026-07-04")})
	if string(b) != `{"d":"2026-07-04"}` {
		t.Errorf("marshal: %s", b)
	}
	b, _ = json.Marshal(wrap{})
	if string(b) != `{"d":null}` {
		t.Errorf("marshal zero: %s", b)
	}
	for in, want := range map[string]Date{`{"d":"2026-07-04"}`: d("2026-07-04"), `{"d":null}`: 0, `{"d":""}`: 0} {
		var w wrap
		if err := json.Unmarshal([]byte(in), &w); err != nil || w.D != want {
			t.Errorf("unmarshal %s: %s %v", in, w.D, err)
		}
	}
	for _, in := range []string{`{"d":20260704}`, `{"d":"2026-13-01"}`} {
		var w wrap
		if err := json.Unmarshal([]byte(in), &w); err == nil {
			t.Errorf("unmarshal %s accepted", in)
		}
	}
}

// A case survives a JSON round trip, the form import and export use.
func TestCaseJSONRoundTrip(t *testing.T) {
	for _, k := range Kinds {
		c := validCase(k)
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Case
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		if Diff(c, &back) != "no change" || len(Validate(&back)) != 0 || DueDate(c, policy) != DueDate(&back, policy) {
			t.Errorf("%s changed in a round trip: %s %v", k, Diff(c, &back), Validate(&back))
		}
	}
}

func TestSortKeys(t *testing.T) {
	k := SortDue
	var seen []string
	for i := 0; i < len(SortKeys); i++ {
		seen = append(seen, string(k))
		k = k.Next()
	}
	if strings.Join(seen, " ") != "due received amount importer" || k != SortDue {
		t.Errorf("sort cycle %v then %s", seen, k)
	}
	if SortKey("bogus").Next() != SortDue {
		t.Errorf("an unknown sort moves to due")
	}
	if s, err := ParseSortKey(" Amount "); err != nil || s != SortAmount {
		t.Errorf("ParseSortKey: %s %v", s, err)
	}
	if _, err := ParseSortKey("size"); err == nil {
		t.Errorf("ParseSortKey(size) accepted")
	}
}

func TestCountsTally(t *testing.T) {
	today := d("2026-03-02")
	rows := []QueueRow{
		{Status: StatusInReview, Due: today.AddDays(-1), Revenue: 100},       // overdue
		{Status: StatusAssigned, Due: today, Revenue: 200},                   // due this week
		{Status: StatusPendingApproval, Due: today.AddDays(7), Revenue: 300}, // due this week, pending
		{Status: StatusAwaitingInfo, Due: today.AddDays(8), Revenue: 400},    // later
		{Status: StatusDecided, Due: today.AddDays(-30), Revenue: 1_000_000}, // not counted
	}
	var c Counts
	for i := range rows {
		c.Tally(&rows[i], today)
	}
	if c != (Counts{Open: 4, Overdue: 1, DueWeek: 2, Pending: 1, Revenue: 1000}) {
		t.Errorf("counts %+v", c)
	}
}

func TestConflictError(t *testing.T) {
	e := &ConflictError{ID: "PSC-26-000001", By: "carol", At: time.Date(2026, 3, 2, 10, 42, 0, 0, time.UTC), Version: 7}
	if e.Error() != "case PSC-26-000001 was changed by carol at 10:42 (now version 7); reload and try again" {
		t.Errorf("%s", e)
	}
}
