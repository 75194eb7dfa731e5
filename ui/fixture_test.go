package ui

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"ceedesk/cases"
	"ceedesk/store"
)

// The fixed day every UI test runs on (a Monday).
var testToday = cases.NewDate(2026, time.March, 2)

// testClock is the store's clock in tests: it starts at 09:30 on testToday and moves a minute per reading, so
// audit times are the same on every run.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

var testUsers = []cases.User{
	{Name: "alice", Display: "Alice Nguyen", Role: cases.RoleReviewer, Center: "ELEC"},
	{Name: "bob", Display: "Bob Okafor", Role: cases.RoleReviewer, Center: "ELEC"},
	{Name: "sofia", Display: "Sofia Ramirez", Role: cases.RoleSupervisor, Center: "ELEC"},
	{Name: "tom", Display: "Tom Becker", Role: cases.RoleSupervisor, Center: "ELEC"},
	{Name: "erin", Display: "Erin Walsh", Role: cases.RoleReviewer, Center: "PHARMA"},
}

func d(y int, m time.Month, day int) cases.Date { return cases.NewDate(y, m, day) }

// entry builds a valid entry summary: the check digit is computed, scheduled liquidation is 314 days after entry.
func entry(filer, serial, port string, entered cases.Date, lines ...cases.Line) cases.EntrySummary {
	cd, err := cases.EntryCheckDigit(filer, serial)
	if err != nil {
		panic(err)
	}
	return cases.EntrySummary{Number: fmt.Sprintf("%s-%s-%d", filer, serial, cd), Type: "01", Port: port,
		EntryDate: entered, Liquidates: entered.AddDays(314), Lines: lines}
}

func line(n int, hts, desc, origin string, value cases.Cents, bp int) cases.Line {
	return cases.Line{Number: n, HTS: hts, Description: desc, Origin: origin, Value: value, RateBP: bp,
		Duty: value * cases.Cents(bp) / 10000}
}

var (
	acme   = cases.Importer{Number: "95-1234567A0", Name: "Acme Electronics Corp", Programs: []cases.Program{cases.ProgramCTPAT, cases.ProgramISA}}
	harbor = cases.Importer{Number: "33-7654321B1", Name: "Harbor Components Inc", Programs: []cases.Program{cases.ProgramCTPAT}}
	summit = cases.Importer{Number: "77-2468013C2", Name: "Summit Semiconductor LLC"}
	mercy  = cases.Importer{Number: "12-3456789D3", Name: "Mercy Biologics LLC", Programs: []cases.Program{cases.ProgramISA}}
)

// testCases is a small Center caseload covering every kind, an overdue case, cases due this week, a decision
// waiting for approval and a case of another Center.
func testCases() []*cases.Case {
	lines := []cases.Line{
		line(1, "8471300100", "Portable computers, 14 in.", "CN", 48_000_00, 0),
		line(2, "8517620090", "Network switches", "TW", 125_000_00, 250),
		line(3, "8542310000", "Processors", "MY", 310_000_00, 0),
	}
	out := []*cases.Case{}
	add := func(c *cases.Case) { c.Center = "ELEC"; c.Version = 1; out = append(out, c) }

	e := entry("B76", "0324527", "2704", d(2025, 1, 6), lines...)
	e.Liquidated = d(2025, 11, 14)
	add(&cases.Case{ID: "2704-26-100123", Kind: cases.KindProtest, Importer: acme, Entry: e, Received: d(2026, 1, 5),
		Assignee: "alice", Assigned: d(2026, 1, 6), Status: cases.StatusAssigned,
		Protest: &cases.Protest{Number: "2704-26-100123", Filed: d(2026, 1, 5), Protested: d(2025, 11, 14),
			Grounds: []cases.Ground{cases.GroundClassification}, Claimed: 12_345_67}})

	e = entry("ABC", "1234567", "2709", d(2025, 2, 3), lines[:2]...)
	e.Liquidated = d(2025, 12, 12)
	add(&cases.Case{ID: "2709-26-100045", Kind: cases.KindProtest, Importer: harbor, Entry: e, Received: d(2026, 2, 5),
		Assignee: "alice", Assigned: d(2026, 2, 6), Status: cases.StatusAssigned,
		Protest: &cases.Protest{Number: "2709-26-100045", Filed: d(2026, 2, 5), Protested: d(2026, 2, 2),
			Grounds: []cases.Ground{cases.GroundExclusion}, Claimed: 3_100_00}})

	add(&cases.Case{ID: "PSC-25-000001", Kind: cases.KindPSC, Importer: summit,
		Entry: entry("9K4", "5550001", "2720", d(2025, 6, 2), lines[1:]...), Received: d(2025, 9, 1),
		Assignee: "alice", Assigned: d(2025, 9, 2), Status: cases.StatusInReview,
		PSC: &cases.PSC{Filed: d(2025, 9, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -1_250_00,
			Explanation: "Corrects the classification of line 2 to 8517.62.0090."}})

	add(&cases.Case{ID: "PSC-25-000002", Kind: cases.KindPSC, Importer: acme,
		Entry: entry("E21", "7700042", "2704", d(2025, 4, 28), lines[:1]...), Received: d(2025, 10, 1),
		Assignee: "alice", Assigned: d(2025, 10, 2), Status: cases.StatusAssigned,
		PSC: &cases.PSC{Filed: d(2025, 10, 1), Version: 2, ReasonCodes: []string{"003", "008"}, DutyDiff: 2_400_00,
			Explanation: "Adds an assist to the entered value."}})

	add(&cases.Case{ID: "PEA-25-000001", Kind: cases.KindPEA, Importer: summit,
		Entry: entry("P3X", "0000917", "2709", d(2025, 4, 1), lines[2:]...), Received: d(2025, 6, 1),
		Assignee: "alice", Assigned: d(2025, 6, 2), Status: cases.StatusAssigned,
		PEA: &cases.PEA{Filed: d(2025, 6, 1), DutyDiff: 900_00, Explanation: "Amends the entered value."}})

	add(&cases.Case{ID: "PD-26-000001", Kind: cases.KindDisclosure, Importer: harbor,
		Entry: entry("112", "3141592", "2704", d(2025, 3, 3), lines...), Received: d(2026, 1, 10),
		Assignee: "bob", Assigned: d(2026, 1, 12), Status: cases.StatusAssigned,
		Disclosure: &cases.Disclosure{Disclosed: d(2026, 1, 10), Perfected: d(2026, 1, 20), LostRevenue: 48_200_00, Tender: 48_200_00}})

	add(&cases.Case{ID: "VAL-25-000001", Kind: cases.KindValidation, Importer: acme,
		Entry: entry("B76", "2718281", "2720", d(2025, 5, 5), lines...), Received: d(2025, 11, 20),
		Assignee: "bob", Assigned: d(2025, 11, 20), Status: cases.StatusInReview,
		Validation: &cases.Validation{Program: cases.ProgramCTPAT, Scope: "C-TPAT validation of supply chain security criteria"}})

	e = entry("ABC", "7654321", "2704", d(2024, 12, 2), lines...)
	e.Liquidated = d(2025, 10, 10)
	add(&cases.Case{ID: "2704-26-100077", Kind: cases.KindProtest, Importer: acme, Entry: e, Received: d(2026, 1, 20),
		Assignee: "alice", Assigned: d(2026, 1, 21), Status: cases.StatusPendingApproval,
		Protest: &cases.Protest{Number: "2704-26-100077", Filed: d(2026, 1, 20), Protested: d(2025, 10, 10),
			Grounds: []cases.Ground{cases.GroundValue}, Claimed: 27_500_00},
		Decision: &cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "The transaction value includes the royalty; 19 U.S.C. 1401a(b)(1)(D).",
			By: "alice", On: d(2026, 2, 27), At: time.Date(2026, 2, 27, 15, 4, 0, 0, time.UTC), Approval: true}})

	add(&cases.Case{ID: "PSC-26-000003", Kind: cases.KindPSC, Importer: harbor,
		Entry: entry("9K4", "1200034", "2720", d(2025, 8, 4), lines[:2]...), Received: d(2026, 2, 20), Status: cases.StatusNew,
		PSC: &cases.PSC{Filed: d(2026, 2, 20), Version: 2, ReasonCodes: []string{"002"}, DutyDiff: -600_00,
			Explanation: "Corrects the country of origin."}})

	c := &cases.Case{ID: "PSC-26-000004", Kind: cases.KindPSC, Center: "PHARMA", Importer: mercy, Version: 1,
		Entry:    entry("M44", "0000001", "4701", d(2025, 9, 1), line(1, "3004900000", "Medicaments", "IE", 90_000_00, 0)),
		Received: d(2026, 2, 1), Assignee: "erin", Assigned: d(2026, 2, 2), Status: cases.StatusAssigned,
		PSC: &cases.PSC{Filed: d(2026, 2, 1), Version: 2, ReasonCodes: []string{"001"}, DutyDiff: -300_00, Explanation: "Reclassifies."}}
	out = append(out, c)
	return out
}

// set moves the clock to t, for a test that needs time to pass (a desk file checked in days after its changes).
func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// newTestStore opens a real store in t.TempDir() holding testUsers and testCases.
func newTestStore(t testing.TB) *store.Store {
	t.Helper()
	return newTestStoreOn(t, &testClock{t: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)})
}

// newTestStoreOn is newTestStore with its clock in the test's hands.
func newTestStoreOn(t testing.TB, clock *testClock) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "ceedesk.db"), store.Options{NoSync: true, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, u := range testUsers {
		u.Created = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
		if err := s.AddUser(store.Operator, u); err != nil {
			t.Fatalf("add user %s: %v", u.Name, err)
		}
	}
	cs := testCases()
	for _, c := range cs {
		if errs := cases.Validate(c); len(errs) > 0 {
			t.Fatalf("fixture case %s is invalid: %v", c.ID, errs)
		}
	}
	i := 0
	n, err := s.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(cs) {
			return nil, false
		}
		i++
		return cs[i-1], true
	}, nil)
	if err != nil || n != len(cs) {
		t.Fatalf("load fixture: %d cases, %v", n, err)
	}
	return s
}

// asciiRenderer renders without colour, so screens compare as plain text.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func user(t testing.TB, name string) cases.User {
	for _, u := range testUsers {
		if u.Name == name {
			return u
		}
	}
	t.Fatalf("no test user %s", name)
	return cases.User{}
}

// newTestModel is the workstation for a test user over desk.
func newTestModel(t testing.TB, desk Desk, who string, w, h int) *Model {
	m := New(Options{Desk: desk, User: user(t, who), Today: func() cases.Date { return testToday }, Renderer: asciiRenderer()}).(*Model)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}
