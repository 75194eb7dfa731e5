package store

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// importerFixture is a store of 400 synthetic cases where one ELEC importer also has cases in PHARMA, one of them
// on an entry an ELEC case of the importer shares. It returns the store, the cases and the importer.
func importerFixture(t *testing.T) (*Store, []*cases.Case, cases.Importer) {
	t.Helper()
	s := openTest(t, "")
	g := synth.New(7, today)
	for _, u := range g.Users() {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	cs := make([]*cases.Case, 400)
	for i := range cs {
		cs[i] = g.Next()
	}
	first := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" })
	imp, entry := first.Importer, first.Entry.Number
	moved := 0
	for _, c := range cs {
		switch {
		case c.Center == "PHARMA" && moved < 3:
			c.Importer = imp
			c.Importer.Name = "Same importer, as PHARMA wrote it"
			c.Importer.Programs = []cases.Program{cases.ProgramISA}
			if moved == 0 {
				c.Entry.Number = entry
			}
			moved++
		}
	}
	addCases(t, s, cs...)
	return s, cs, imp
}

func TestImporterView(t *testing.T) {
	s, cs, imp := importerFixture(t)
	want := func(center string) (n int, open int, rev, openRev cases.Cents) {
		for _, c := range cs {
			if c.Importer.Number == imp.Number && (center == "" || c.Center == center) {
				r := c.Row(s.Policy())
				n++
				rev += r.Revenue
				if r.Status.Open() {
					open++
					openRev += r.Revenue
				}
			}
		}
		return
	}
	for _, tc := range []struct {
		actor, center string
		centers       string
	}{
		{"alice", "ELEC", "ELEC"},
		{"sofia", "ELEC", "ELEC"},
		{"erin", "PHARMA", "PHARMA"},
		{"admin", "", "ELEC,PHARMA"},
		{Operator, "", "ELEC,PHARMA"},
	} {
		t.Run(tc.actor, func(t *testing.T) {
			v, err := s.Importer(tc.actor, strings.ToLower(imp.Number))
			if err != nil {
				t.Fatal(err)
			}
			n, open, rev, openRev := want(tc.center)
			if v.Number != imp.Number || v.Open+v.Decided != n || v.Open != open || v.Revenue != rev || v.OpenRevenue != openRev || v.Listed != n {
				t.Fatalf("view %s: %d open, %d decided, %s / %s at stake, %d listed; want %d cases, %d open, %s / %s",
					v.Number, v.Open, v.Decided, v.Revenue, v.OpenRevenue, v.Listed, n, open, rev, openRev)
			}
			if got := strings.Join(v.Centers, ","); got != tc.centers {
				t.Errorf("centers %s, want %s", got, tc.centers)
			}
			wantPrograms := "C-TPAT,ISA"
			if tc.center == "PHARMA" {
				wantPrograms = "ISA"
			}
			if tc.center == "ELEC" && len(imp.Programs) < 2 {
				var ps []string
				for _, p := range imp.Programs {
					ps = append(ps, string(p))
				}
				wantPrograms = strings.Join(ps, ",")
			}
			var ps []string
			for _, p := range v.Programs {
				ps = append(ps, string(p))
			}
			if got := strings.Join(ps, ","); got != wantPrograms {
				t.Errorf("programs %s, want %s", got, wantPrograms)
			}
			listed, seenOpenless := 0, false
			var lastDue cases.Date
			for _, g := range v.Entries {
				var gOpen int
				var gRev cases.Cents
				for i, r := range g.Cases {
					if r.Entry != g.Entry || (tc.center != "" && r.Center != tc.center) {
						t.Fatalf("entry %s lists %s of entry %s, %s", g.Entry, r.ID, r.Entry, r.Center)
					}
					if i > 0 && r.Status.Open() && !g.Cases[i-1].Status.Open() {
						t.Errorf("entry %s lists an open case after a decided one", g.Entry)
					}
					if r.Status.Open() {
						gOpen++
					}
					gRev += r.Revenue
				}
				if gOpen != g.Open || len(g.Cases)-gOpen != g.Decided || gRev != g.Revenue {
					t.Errorf("entry %s totals %d/%d %s, its cases give %d/%d %s", g.Entry, g.Open, g.Decided, g.Revenue, gOpen, len(g.Cases)-gOpen, gRev)
				}
				switch {
				case g.Open == 0:
					seenOpenless = true
				case seenOpenless:
					t.Errorf("entry %s with open cases comes after one without", g.Entry)
				case g.Due < lastDue:
					t.Errorf("entry %s (due %s) comes after one due %s", g.Entry, g.Due, lastDue)
				default:
					lastDue = g.Due
				}
				listed += len(g.Cases)
			}
			if listed != n {
				t.Errorf("entries list %d cases, want %d", listed, n)
			}
		})
	}
}

func TestImporterViewFollowsWrites(t *testing.T) {
	s, cs, imp := importerFixture(t)
	c := find(t, cs, func(c *cases.Case) bool {
		return c.Importer.Number == imp.Number && c.Center == "ELEC" && c.Kind == cases.KindPSC && c.Assignee != "" &&
			c.Status.Open() && c.Status != cases.StatusPendingApproval
	})
	before, err := s.Importer("sofia", imp.Number)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(c.Assignee, c.ID, 0, cases.Decision{Outcome: cases.OutcomeAccepted}, today); err != nil {
		t.Fatal(err)
	}
	after, err := s.Importer("sofia", imp.Number)
	if err != nil {
		t.Fatal(err)
	}
	if after.Open != before.Open-1 || after.Decided != before.Decided+1 {
		t.Fatalf("after a decision: %d open, %d decided; before %d, %d", after.Open, after.Decided, before.Open, before.Decided)
	}
	mustCheck(t, s)
}

func TestImporterAndRelatedObeyTheAccessRule(t *testing.T) {
	s, cs, imp := importerFixture(t)
	elec := find(t, cs, func(c *cases.Case) bool { return c.Importer.Number == imp.Number && c.Center == "ELEC" })
	if err := s.AddUser(Operator, cases.User{Name: "olga", Role: cases.RoleReviewer, Center: "ELEC", Disabled: true}); err != nil {
		t.Fatal(err)
	}
	forbidden := []struct {
		what string
		err  error
	}{
		{"a disabled reviewer reads the importer", func() error { _, err := s.Importer("olga", imp.Number); return err }()},
		{"someone who is not a user", func() error { _, err := s.Importer("mallory", imp.Number); return err }()},
		{"a PHARMA reviewer reads related cases of an ELEC case", func() error { _, err := s.Related("erin", elec.ID); return err }()},
		{"the PHARMA supervisor does too", func() error { _, err := s.Related("priya", elec.ID); return err }()},
		{"a disabled reviewer reads related cases", func() error { _, err := s.Related("olga", elec.ID); return err }()},
	}
	for _, tc := range forbidden {
		if !errors.Is(tc.err, cases.ErrForbidden) {
			t.Errorf("%s: want a refusal, got %v", tc.what, tc.err)
		}
	}
	// an importer with no case the reader may see is not found, whether it has cases elsewhere or not at all
	other := find(t, cs, func(c *cases.Case) bool {
		if c.Center != "ELEC" {
			return false
		}
		for _, p := range cs {
			if p.Center == "PHARMA" && p.Importer.Number == c.Importer.Number {
				return false
			}
		}
		return true
	})
	if _, err := s.Importer("erin", other.Importer.Number); !errors.Is(err, cases.ErrNotFound) || strings.Contains(err.Error(), "ELEC") {
		t.Errorf("erin reads an ELEC-only importer: %v", err)
	}
	if _, err := s.Importer("erin", "98-7654321AB"); !errors.Is(err, cases.ErrNotFound) {
		t.Errorf("an importer of no case: %v", err)
	}
	if _, err := s.Importer("erin", "98-7654321AZ"); !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), "never O, I or Z") {
		t.Errorf("an invalid importer number: %v", err)
	}
}

func TestRelated(t *testing.T) {
	s, cs, imp := importerFixture(t)
	// the first ELEC case of the importer, whose entry a PHARMA case shares
	shared := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && c.Importer.Number == imp.Number })
	for _, tc := range []struct {
		actor, center string
	}{{"alice", "ELEC"}, {"sofia", "ELEC"}, {"admin", ""}} {
		t.Run(tc.actor, func(t *testing.T) {
			got, err := s.Related(tc.actor, shared.ID)
			if err != nil {
				t.Fatal(err)
			}
			var sameEntry, openSame []string
			for _, c := range cs {
				if c.ID == shared.ID || (tc.center != "" && c.Center != tc.center) {
					continue
				}
				switch {
				case c.Entry.Number == shared.Entry.Number:
					sameEntry = append(sameEntry, c.ID)
				case c.Importer.Number == imp.Number && c.Status.Open():
					openSame = append(openSame, c.ID)
				}
			}
			slices.Sort(sameEntry)
			if len(got) != min(len(sameEntry)+len(openSame), MaxRelated) {
				t.Fatalf("%d related, want %d (%d same entry, %d open of the importer)", len(got), min(len(sameEntry)+len(openSame), MaxRelated), len(sameEntry), len(openSame))
			}
			var lastDue cases.Date
			for i, r := range got {
				switch {
				case r.ID == shared.ID:
					t.Fatal("the case is related to itself")
				case tc.center != "" && r.Center != tc.center:
					t.Fatalf("%s sees %s of %s", tc.actor, r.ID, r.Center)
				case i < len(sameEntry):
					if r.ID != sameEntry[i] {
						t.Errorf("related %d is %s, want the same entry's %s", i, r.ID, sameEntry[i])
					}
				default:
					if !slices.Contains(openSame, r.ID) || r.Due < lastDue {
						t.Errorf("related %d is %s (due %s), want an open case of the importer, earliest due first", i, r.ID, r.Due)
					}
					lastDue = r.Due
				}
			}
			if tc.center == "" && !slices.ContainsFunc(got, func(r cases.QueueRow) bool { return r.Center == "PHARMA" && r.Entry == shared.Entry.Number }) {
				t.Error("an admin does not see the PHARMA case of the same entry")
			}
		})
	}
}

// TestCheckFindsAStaleImporterIndex: the importers and decisions buckets are verified like every derived bucket.
func TestCheckFindsAStaleImporterIndex(t *testing.T) {
	s, _, imp := importerFixture(t)
	path := s.Path()
	s.Close()
	rawUpdate(t, path, func(tx kvTx) error {
		c := tx.Bucket(bImporters).Cursor()
		k, _ := c.Seek(importerPrefix(imp.Number))
		if err := tx.Bucket(bImporters).Delete(k); err != nil {
			return err
		}
		k, _ = tx.Bucket(bDecisions).Cursor().First()
		return tx.Bucket(bDecisions).Put(k, []byte("stale"))
	})
	s = openTest(t, path)
	err := s.Check()
	if err == nil || !strings.Contains(err.Error(), "bucket importers lacks the entry") || !strings.Contains(err.Error(), "bucket decisions: entry") {
		t.Fatalf("Check of a damaged importer index: %v", err)
	}
}

// BenchmarkImporter is the importer's view and the related cases of one case, on the large store.
func BenchmarkImporter(b *testing.B) {
	s, err := Open(bigStore(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", OpenOnly: true, Limit: 1})
	if err != nil || len(p.Rows) == 0 {
		b.Fatalf("no open ELEC case: %v", err)
	}
	c, err := s.Case(Operator, p.Rows[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("view", func(b *testing.B) {
		var v cases.ImporterView
		for b.Loop() {
			if v, err = s.Importer("sofia", c.Importer.Number); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(v.Open+v.Decided), "cases")
	})
	b.Run("related", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Related("alice", c.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
