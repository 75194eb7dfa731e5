package store

import (
	"cmp"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

var today = cases.NewDate(2026, 11, 28)

// testClock returns a clock that starts on today at 09:00 UTC and moves one second per call.
func testClock() func() time.Time {
	var mu sync.Mutex
	t := today.Time().Add(9 * time.Hour)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func openTest(t testing.TB, path string) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "ceedesk.db")
	}
	s, err := openTestEngine(t, path, Options{NoSync: true, Now: testClock(), Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fixture is a store with the synthetic users and n synthetic cases, written through putCase (the path every
// single change takes) so the incremental index maintenance is what the tests exercise.
func fixture(t testing.TB, n int) (*Store, []*cases.Case) {
	t.Helper()
	s := openTest(t, "")
	g := synth.New(1, today)
	for _, u := range g.Users() {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	cs := make([]*cases.Case, n)
	for i := range cs {
		cs[i] = g.Next()
	}
	addCases(t, s, cs...)
	return s, cs
}

func addCases(t testing.TB, s *Store, cs ...*cases.Case) {
	t.Helper()
	now := s.clock()
	if lim := s.eng.limits(); lim.Ops > 0 {
		// an engine that takes so many keys in one transaction (etcd): in as many as it takes
		for len(cs) > 0 {
			n := min(len(cs), max(1, lim.Ops/100))
			addCasesAt(t, s, now, cs[:n])
			cs = cs[n:]
		}
		return
	}
	addCasesAt(t, s, now, cs)
}

func addCasesAt(t testing.TB, s *Store, now time.Time, cs []*cases.Case) {
	t.Helper()
	err := s.update(func(tx kvTx) error {
		a := s.openAudit(tx)
		for _, c := range cs {
			stamp(c, Operator, now) // as Load does for ceedesk seed
			if err := s.putCase(tx, nil, c); err != nil {
				return err
			}
			if err := a.append(cases.Event{At: now, Actor: "seed", Case: c.ID, Action: "seed", Change: cases.Diff(nil, c)}); err != nil {
				return err
			}
		}
		return a.flush()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func find(t testing.TB, cs []*cases.Case, pred func(c *cases.Case) bool) *cases.Case {
	t.Helper()
	for _, c := range cs {
		if pred(c) {
			return c
		}
	}
	t.Fatal("fixture has no case of the kind the test needs")
	return nil
}

func mustCheck(t testing.TB, s *Store) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
}

func TestOpenInitialisesAndReopens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ceedesk.db")
	s, err := openTestEngine(t, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if (s.Path() != path && !onEtcd()) || s.Policy() != cases.DefaultPolicy() {
		t.Fatalf("path %q policy %+v", s.Path(), s.Policy())
	}
	if err := s.AddUser(Operator, cases.User{Name: "ann", Role: cases.RoleReviewer, Center: "ELEC"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = openTestEngine(t, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, err := s.User("ann")
	if err != nil || u.Center != "ELEC" {
		t.Fatalf("after reopen: %+v %v", u, err)
	}
	if err := s.AddUser(Operator, cases.User{Name: "ben", Role: cases.RoleReviewer, Center: "ELEC"}); err == nil {
		t.Fatal("read-only store accepted a write")
	}
}

func TestUsersAndKeys(t *testing.T) {
	s := openTest(t, "")
	add := func(actor string, u cases.User) error { return s.AddUser(actor, u) }
	if err := add(Operator, cases.User{Name: "root", Role: cases.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := add("root", cases.User{Name: "sam", Role: cases.RoleSupervisor, Center: "elec", Display: "Sam\x1b[31m Red"}); err != nil {
		t.Fatal(err)
	}
	u, _ := s.User("sam")
	if u.Center != "ELEC" || strings.Contains(u.Display, "\x1b") || u.Created.IsZero() {
		t.Fatalf("stored user %+v", u)
	}
	for _, tc := range []struct {
		actor string
		u     cases.User
		want  error
	}{
		{"sam", cases.User{Name: "ria", Role: cases.RoleReviewer, Center: "ELEC"}, cases.ErrForbidden},
		{"nobody", cases.User{Name: "ria", Role: cases.RoleReviewer, Center: "ELEC"}, cases.ErrForbidden},
		{Operator, cases.User{Name: "Ria", Role: cases.RoleReviewer, Center: "ELEC"}, cases.ErrInvalid},
		{Operator, cases.User{Name: "ria", Role: "boss", Center: "ELEC"}, cases.ErrInvalid},
		{Operator, cases.User{Name: "ria", Role: cases.RoleReviewer, Center: "MOON"}, cases.ErrInvalid},
		{Operator, cases.User{Name: "operator", Role: cases.RoleAdmin}, cases.ErrInvalid},
		{Operator, cases.User{Name: "sam", Role: cases.RoleReviewer, Center: "ELEC"}, cases.ErrInvalid},
	} {
		if err := add(tc.actor, tc.u); !errors.Is(err, tc.want) {
			t.Errorf("AddUser(%s, %+v) = %v, want %v", tc.actor, tc.u, err, tc.want)
		}
	}
	u.Role, u.Center = cases.RoleReviewer, "PHARMA"
	if err := s.SetUser("root", u); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.User("sam"); got.Role != cases.RoleReviewer || got.Center != "PHARMA" || !got.Created.Equal(u.Created) {
		t.Fatalf("after SetUser: %+v", got)
	}
	if us, _ := s.Users(Operator, "PHARMA"); len(us) != 1 || us[0].Name != "sam" {
		t.Fatalf("Users(PHARMA) = %+v", us)
	}
	if us, _ := s.Users(Operator, ""); len(us) != 2 || us[0].Name != "root" {
		t.Fatalf("Users() = %+v", us)
	}
	if _, err := s.User("zed"); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("User(zed) = %v", err)
	}

	fp := "SHA256:abcdefghijklmnop"
	if err := s.AddKey("sam", "sam", fp, "ssh-ed25519 AAAA"); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("reviewer added a key: %v", err)
	}
	if err := s.AddKey(Operator, "sam", fp, "ssh-ed25519 AAAA sam@desk"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddKey(Operator, "root", fp, "ssh-ed25519 AAAA"); !errors.Is(err, cases.ErrInvalid) {
		t.Fatalf("same key for two users: %v", err)
	}
	if got, err := s.UserByKey(fp); err != nil || got.Name != "sam" {
		t.Fatalf("UserByKey = %+v %v", got, err)
	}
	if _, err := s.UserByKey("SHA256:unknown"); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("unknown key: %v", err)
	}
	if err := s.RevokeKey("root", fp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByKey(fp); !errors.Is(err, cases.ErrForbidden) {
		t.Fatalf("revoked key: %v", err)
	}
	if ks, _ := s.Keys(Operator, "sam"); len(ks) != 1 || !ks[0].Revoked {
		t.Fatalf("Keys = %+v", ks)
	}
	if err := s.AddKey(Operator, "sam", fp, "x"); !errors.Is(err, cases.ErrInvalid) {
		t.Fatalf("re-adding a revoked key: %v", err)
	}
	n, err := s.VerifyAudit()
	if err != nil || n != 5 { // root, sam, sam changed, key add, key revoke
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
}

// brute computes a queue the slow way, from every case.
func brute(s *Store, cs []*cases.Case, q cases.QueueQuery) cases.QueuePage {
	var rows []cases.QueueRow
	for _, c := range cs {
		r := c.Row(s.Policy())
		if q.Assignee != "" && r.Assignee != q.Assignee || q.Assignee == "" && r.Center != q.Center {
			continue
		}
		if q.Assignee != "" && q.Center != "" && r.Center != q.Center {
			continue
		}
		if q.OpenOnly && !r.Status.Open() || !q.Filter.Match(&r, q.Today) {
			continue
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b cases.QueueRow) int {
		var d int
		switch q.Sort {
		case cases.SortDue:
		case cases.SortReceived:
			d = int(a.Received) - int(b.Received)
		case cases.SortAmount:
			d = int(b.Revenue - a.Revenue)
		case cases.SortImporter:
			d = strings.Compare(strings.ToLower(a.Importer), strings.ToLower(b.Importer))
		case cases.SortKind:
			d = slices.Index(cases.Kinds, a.Kind) - slices.Index(cases.Kinds, b.Kind)
		case cases.SortCase:
			d = strings.Compare(a.ID, b.ID)
		case cases.SortStatus:
			d = slices.Index(cases.Statuses, a.Status) - slices.Index(cases.Statuses, b.Status)
		case cases.SortAssignee:
			d = strings.Compare(a.Assignee, b.Assignee) // unassigned first
		case cases.SortEntry:
			d = strings.Compare(strings.ToLower(a.Entry), strings.ToLower(b.Entry))
		default:
			panic("brute: no sort " + q.Sort)
		}
		d = cmp.Or(d, int(a.Due)-int(b.Due), strings.Compare(a.ID, b.ID)) // ties: due date, then id
		if q.Reverse {
			d = -d
		}
		return d
	})
	p := cases.QueuePage{Offset: q.Offset, Total: len(rows)}
	if q.Offset < len(rows) {
		p.Rows = rows[q.Offset:min(len(rows), q.Offset+q.Limit)]
	}
	return p
}

func current(t testing.TB, s *Store, cs []*cases.Case) []*cases.Case {
	out := make([]*cases.Case, len(cs))
	for i, c := range cs {
		var err error
		if out[i], err = s.Case(Operator, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func checkQueues(t *testing.T, s *Store, cs []*cases.Case) {
	t.Helper()
	filters := []string{"", "kind:protest", "status:review", "status:open", "status:decided", "due:overdue", "amount:>10000", "acme", "kind:psc,pea status:assigned", "due:week", "due:>30d", "due:=5d", "due:>=-3d status:review",
		"kind:protest OR kind:psc", "-status:decided", "NOT kind:protest", "acme OR summit", "due:<2026-12-31", "due:2026-12-01..2026-12-31 OR due:..2026-11-01",
		"received:2026-11-01..", "assignee:none", "-assignee:none kind:pea", "-(kind:psc OR status:review) due:week", "status:decided OR amount:>50000",
		"(status:assigned OR status:review) kind:pea", "NOT (kind:protest status:review)", "-acme -harbor"}
	n := 0
	for _, scope := range []cases.QueueQuery{{Assignee: "alice"}, {Center: "ELEC"}, {Center: "PHARMA"}, {Assignee: "erin", Center: "PHARMA"}, {Assignee: "nobody"}} {
		for i, fq := range filters {
			f, err := cases.ParseFilter(fq)
			if err != nil {
				t.Fatal(err)
			}
			for _, sort := range cases.AllSortKeys {
				for _, open := range []bool{false, true} {
					for _, off := range []int{0, 7} {
						q := scope
						q.Sort, q.Filter, q.OpenOnly, q.Offset, q.Limit, q.Today = sort, f, open, off, 13, today
						// every sort both ways and with and without a total, spread over the filters
						q.Reverse, q.NoTotal = (i+off)%2 == 1, (i/2+off/7)%2 == 1
						got, err := s.Queue(Operator, q)
						if err != nil {
							t.Fatal(err)
						}
						want := brute(s, cs, q)
						if q.NoTotal && got.Total == -1 {
							got.Total = want.Total // not counted
						}
						if got.Total != want.Total || len(got.Rows) != len(want.Rows) {
							t.Fatalf("%+v: total %d rows %d, want %d and %d", q, got.Total, len(got.Rows), want.Total, len(want.Rows))
						}
						for i := range got.Rows {
							if got.Rows[i] != want.Rows[i] {
								t.Fatalf("%+v row %d:\n got %+v\nwant %+v", q, i, got.Rows[i], want.Rows[i])
							}
						}
						if len(got.Rows) > 0 {
							n++
						}
						if off != 0 || open || sort != cases.SortDue {
							continue
						}
						gc, err := s.Counts(Operator, q)
						if err != nil {
							t.Fatal(err)
						}
						var wc cases.Counts
						for _, r := range brute(s, cs, cases.QueueQuery{Assignee: q.Assignee, Center: q.Center, Sort: cases.SortDue, Filter: f, Today: today, Limit: 1 << 30}).Rows {
							wc.Tally(&r, today)
						}
						if gc != wc {
							t.Fatalf("Counts(%+v) = %+v, want %+v", q, gc, wc)
						}
					}
				}
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d queries returned rows; the fixture does not exercise the queues", n)
	}
}

func TestQueueMatchesBruteForce(t *testing.T) {
	s, cs := fixture(t, 600)
	checkQueues(t, s, cs)
	// change a few cases and check again: indexes and statistics follow every write
	alice := find(t, cs, func(c *cases.Case) bool { return c.Assignee == "alice" && c.Status == cases.StatusAssigned })
	if _, err := s.StartReview("alice", alice.ID, alice.Version); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cs {
		if c.Center == "ELEC" && c.Status.Open() && c.Assignee != "bob" && len(ids) < 20 {
			ids = append(ids, c.ID)
		}
	}
	if _, err := s.Assign("sofia", ids, nil, "bob", "leave cover", today); err != nil {
		t.Fatal(err)
	}
	checkQueues(t, s, current(t, s, cs))
	mustCheck(t, s)
}

// Filtered queues in a sort other than due order their matches in memory up to sortInMemory, and by a second
// index walk past it; with the threshold at 2 nearly every query takes the second way.
func TestFilteredQueueOrderedByASecondWalk(t *testing.T) {
	old := sortInMemory
	sortInMemory = 2
	defer func() { sortInMemory = old }()
	s, cs := fixture(t, 400)
	checkQueues(t, s, cs)
}

// Filtered queues asked with NoTotal in a sort other than due look for their window in that sort's own index first,
// and fall back to the walk of the due-date index when it does not come within probeRows entries: with probeRows
// at 3 nearly every such query falls back, with it past the size of the store none does.
func TestFilteredQueueProbesItsOwnIndex(t *testing.T) {
	old := probeRows
	defer func() { probeRows = old }()
	s, cs := fixture(t, 300)
	for _, n := range []int{3, 1 << 20} {
		probeRows = n
		checkQueues(t, s, cs)
	}
}

// With NoTotal a filtered query stops once its window is full and says it did not count; a query whose total is
// known anyway, or whose walk reached the end, still gives it.
func TestQueueNoTotal(t *testing.T) {
	s, cs := fixture(t, 400)
	tests := []struct {
		filter  string
		sort    cases.SortKey
		counted bool
	}{
		{"acme OR summit OR harbor", cases.SortDue, false},
		{"acme OR summit OR harbor", cases.SortImporter, false},
		{"amount:>1000", cases.SortAmount, false},
		{"-status:decided", cases.SortAmount, true}, // the statistics know the open cases
		{"kind:protest", cases.SortDue, false},      // decided from the index values, but counted only by walking
		{"", cases.SortDue, true},                   // the statistics know the total
		{"", cases.SortEntry, true},
		{"2704-26-10001", cases.SortDue, true}, // fewer matches than the window: the walk reached the end
		{"2704-26-10001", cases.SortKind, true},
	}
	for _, tc := range tests {
		f, err := cases.ParseFilter(tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		q := cases.QueueQuery{Center: "ELEC", Sort: tc.sort, Filter: f, Limit: 20, Today: today, NoTotal: true}
		for _, reverse := range []bool{false, true} {
			q.Reverse = reverse
			got, err := s.Queue(Operator, q)
			if err != nil {
				t.Fatal(err)
			}
			want := brute(s, cs, q)
			if !slices.Equal(got.Rows, want.Rows) {
				t.Fatalf("%q sorted by %s (reverse %v) with NoTotal: rows differ", tc.filter, tc.sort, reverse)
			}
			if tc.counted && got.Total != want.Total || !tc.counted && (got.Total != -1 || want.Total <= 20) || want.Total == 0 {
				t.Errorf("%q sorted by %s with NoTotal: total %d, brute force %d", tc.filter, tc.sort, got.Total, want.Total)
			}
		}
	}
}

// assignee:none finds the cases no one holds, which a Center's queue lists but no reviewer's does; sorted by
// assignee they come first.
func TestQueueUnassigned(t *testing.T) {
	s, cs := fixture(t, 400)
	var want []string
	for _, c := range cs {
		if c.Center == "ELEC" && c.Assignee == "" {
			want = append(want, c.ID)
		}
	}
	if len(want) == 0 {
		t.Fatal("the fixture has no unassigned case")
	}
	for _, fq := range []string{"assignee:none", "assignee:-", "to:NONE"} {
		f, err := cases.ParseFilter(fq)
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Sort: cases.SortCase, Filter: f, Limit: MaxPage, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Rows {
			got = append(got, r.ID)
		}
		slices.Sort(want)
		if p.Total != len(want) || !slices.Equal(got, want) {
			t.Fatalf("%s: %d cases %v; want the %d unassigned %v", fq, p.Total, got, len(want), want)
		}
	}
	p, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Sort: cases.SortAssignee, Limit: len(want) + 1, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range p.Rows {
		if (r.Assignee == "") != (i < len(want)) {
			t.Fatalf("sorted by assignee, row %d is assigned to %q", i, r.Assignee)
		}
	}
}

func TestQueuePagesWalkTheWholeQueue(t *testing.T) {
	s, cs := fixture(t, 300)
	var seen []string
	for off := 0; ; off += 40 {
		p, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Sort: cases.SortAmount, Offset: off, Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) == 0 {
			break
		}
		for _, r := range p.Rows {
			seen = append(seen, r.ID)
		}
	}
	want := 0
	for _, c := range cs {
		if c.Center == "ELEC" {
			want++
		}
	}
	if len(seen) != want {
		t.Fatalf("paging saw %d cases, the Center has %d", len(seen), want)
	}
	if _, err := s.Queue(Operator, cases.QueueQuery{}); err == nil {
		t.Fatal("a query with no scope was accepted")
	}
	if _, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", Sort: "colour"}); err == nil {
		t.Fatal("an unknown sort was accepted")
	}
}

func bigProtest(c *cases.Case) bool {
	return c.Kind == cases.KindProtest && c.Status == cases.StatusInReview && c.Revenue() >= 10_000_00 && !c.Protest.FurtherReview && len(c.Notes) == 0
}

func TestDecideApproveFlow(t *testing.T) {
	s, cs := fixture(t, 400)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && bigProtest(c) })
	rv := c.Assignee
	ch, stop := s.Subscribe()
	defer stop()

	got, err := s.Decide(rv, c.ID, c.Version, cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "classified correctly"}, today)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != cases.StatusPendingApproval || got.Version != c.Version+1 || got.UpdatedBy != rv {
		t.Fatalf("after decide: status %s version %d by %s", got.Status, got.Version, got.UpdatedBy)
	}
	select {
	case change := <-ch:
		if change.Action != "decide" || change.Actor != rv || !slices.Equal(change.Cases, []string{c.ID}) || change.Seq == 0 {
			t.Fatalf("change = %+v", change)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no change published")
	}
	ap, err := s.Approvals(Operator, "ELEC")
	if err != nil || !slices.ContainsFunc(ap, func(r cases.QueueRow) bool { return r.ID == c.ID }) {
		t.Fatalf("Approvals does not list %s: %v", c.ID, err)
	}
	for i := 1; i < len(ap); i++ {
		if ap[i].Due < ap[i-1].Due || ap[i].Status != cases.StatusPendingApproval {
			t.Fatalf("Approvals not in due order of pending cases: %+v", ap)
		}
	}
	done, err := s.Approve("sofia", c.ID, got.Version, "agree", "", today)
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != cases.StatusDecided || done.Decision.Approver != "sofia" {
		t.Fatalf("after approve: %+v", done)
	}
	h, err := s.History(Operator, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, e := range h {
		acts = append(acts, e.Action)
	}
	if !slices.Equal(acts, []string{"seed", "decide", "approve"}) {
		t.Fatalf("history actions %v", acts)
	}
	if h[2].Reason != "agree" || h[2].Actor != "sofia" || !strings.Contains(h[1].Change, "status: review -> pending_approval") {
		t.Fatalf("history %+v", h)
	}
	if _, err := s.History(Operator, "NO-SUCH"); !errors.Is(err, cases.ErrNotFound) {
		t.Fatalf("History of unknown case: %v", err)
	}
	mustCheck(t, s)
}

func TestNoteRequestReturnAndNoOpReview(t *testing.T) {
	s, cs := fixture(t, 400)
	c := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && bigProtest(c) })
	rv := c.Assignee
	same, err := s.StartReview(rv, c.ID, c.Version)
	if err != nil || same.Version != c.Version {
		t.Fatalf("StartReview of a case in review wrote a new version: %v %v", same, err)
	}
	n, err := s.AddNote(rv, c.ID, c.Version, "called the broker")
	if err != nil || len(n.Notes) != 1 || n.Notes[0].Author != rv {
		t.Fatalf("AddNote: %+v %v", n, err)
	}
	r, err := s.RequestInfo(rv, c.ID, n.Version, "send the invoice", today)
	if err != nil || r.Status != cases.StatusAwaitingInfo || len(r.Requests) != len(c.Requests)+1 {
		t.Fatalf("RequestInfo: %+v %v", r, err)
	}
	r, err = s.StartReview(rv, c.ID, r.Version)
	if err != nil || r.Status != cases.StatusInReview {
		t.Fatalf("StartReview after the information arrived: %v", err)
	}
	d, err := s.Decide(rv, c.ID, r.Version, cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "no"}, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Return("sofia", c.ID, d.Version, ""); !errors.Is(err, cases.ErrInvalid) {
		t.Fatalf("return without a comment: %v", err)
	}
	back, err := s.Return("sofia", c.ID, d.Version, "cite the ruling")
	if err != nil || back.Status != cases.StatusInReview || back.Decision != nil {
		t.Fatalf("Return: %+v %v", back, err)
	}
	h, _ := s.History(Operator, c.ID)
	if len(h) != 6 || h[5].Reason != "cite the ruling" {
		t.Fatalf("history has %d events: %+v", len(h), h)
	}
	mustCheck(t, s)
}

func TestRefusalsChangeNothing(t *testing.T) {
	s, cs := fixture(t, 400)
	elec := find(t, cs, func(c *cases.Case) bool { return c.Center == "ELEC" && bigProtest(c) })
	pending, err := s.Decide(elec.Assignee, elec.ID, elec.Version, cases.Decision{Outcome: cases.OutcomeDenied, Reasons: "no"}, today)
	if err != nil {
		t.Fatal(err)
	}
	other := find(t, cs, func(c *cases.Case) bool {
		return c.Center == "ELEC" && c.Status == cases.StatusAssigned && c.Assignee != "" && c.Assignee != elec.Assignee && c.Kind == cases.KindPSC
	})
	notMine := "alice"
	if other.Assignee == "alice" {
		notMine = "bob"
	}
	accept := cases.Decision{Outcome: cases.OutcomeAccepted}
	_ = s.SetUser(Operator, cases.User{Name: "admin", Role: cases.RoleAdmin, Center: "ELEC"})
	tests := []struct {
		name string
		do   func() error
		want error
	}{
		{"reviewer decides someone else's case", func() error {
			_, err := s.Decide(notMine, other.ID, 0, accept, today)
			return err
		}, cases.ErrForbidden},
		{"reviewer reassigns", func() error {
			_, err := s.Assign(other.Assignee, []string{other.ID}, nil, notMine, "swap", today)
			return err
		}, cases.ErrForbidden},
		{"supervisor of another Center reassigns", func() error {
			_, err := s.Assign("priya", []string{other.ID}, nil, notMine, "swap", today)
			return err
		}, cases.ErrForbidden},
		{"supervisor of another Center decides", func() error {
			_, err := s.Decide("priya", other.ID, 0, accept, today)
			return err
		}, cases.ErrForbidden},
		{"approver is the decider", func() error {
			_, err := s.Approve(elec.Assignee, elec.ID, 0, "", "", today)
			return err
		}, cases.ErrForbidden},
		{"admin decides", func() error {
			_, err := s.Decide("admin", other.ID, 0, accept, today)
			return err
		}, cases.ErrForbidden},
		{"operator decides", func() error {
			_, err := s.Decide(Operator, other.ID, 0, accept, today)
			return err
		}, cases.ErrForbidden},
		{"unknown case", func() error {
			_, err := s.Decide(other.Assignee, "NO-SUCH", 0, accept, today)
			return err
		}, cases.ErrNotFound},
		{"reassign to another Center's reviewer", func() error {
			_, err := s.Assign("sofia", []string{other.ID}, nil, "erin", "swap", today)
			return err
		}, cases.ErrInvalid},
		{"assign all or nothing: one unknown case", func() error {
			_, err := s.Assign("sofia", []string{other.ID, "NO-SUCH"}, nil, notMine, "swap", today)
			return err
		}, cases.ErrNotFound},
		{"decision missing its reasons", func() error {
			_, err := s.Decide(other.Assignee, other.ID, 0, cases.Decision{Outcome: cases.OutcomeRejected}, today)
			return err
		}, cases.ErrInvalid},
	}
	before, _ := s.VerifyAudit()
	for _, tc := range tests {
		err := tc.do()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	after, _ := s.VerifyAudit()
	if after != before {
		t.Fatalf("refused changes wrote %d audit events", after-before)
	}
	for _, id := range []string{other.ID, pending.ID} {
		c, _ := s.Case(Operator, id)
		want := other.Version
		if id == pending.ID {
			want = pending.Version
		}
		if c.Version != want {
			t.Fatalf("case %s changed by a refused action: version %d", id, c.Version)
		}
	}
	mustCheck(t, s)
}

func TestStaleVersionIsAConflictNamingWhoChangedIt(t *testing.T) {
	s, cs := fixture(t, 200)
	c := find(t, cs, func(c *cases.Case) bool {
		return c.Center == "ELEC" && c.Status == cases.StatusAssigned && c.Assignee != ""
	})
	if _, err := s.Assign("sofia", []string{c.ID}, nil, otherReviewer(c.Assignee), "balance", today); err != nil {
		t.Fatal(err)
	}
	_, err := s.AddNote("sofia", c.ID, c.Version, "late note")
	var ce *cases.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("stale version: got %v, want a ConflictError", err)
	}
	if ce.By != "sofia" || ce.Version != c.Version+1 || ce.At.IsZero() || !strings.Contains(err.Error(), "sofia") {
		t.Fatalf("conflict %+v: %v", ce, err)
	}
}

func otherReviewer(name string) string {
	if name == "alice" {
		return "bob"
	}
	return "alice"
}

func TestSubscribersNeverBlockCommits(t *testing.T) {
	s, cs := fixture(t, 400)
	slow, stopSlow := s.Subscribe() // never read until the end
	fast, stopFast := s.Subscribe()
	var ids []string
	for _, c := range cs {
		if c.Center == "ELEC" && c.Status.Open() && c.Assignee != "" {
			ids = append(ids, c.ID)
		}
	}
	last := ids[len(ids)-1]
	seen := make(chan int)
	go func() {
		got := map[string]bool{}
		for ch := range fast {
			for _, id := range ch.Cases {
				got[id] = true
			}
			if got[last] {
				seen <- len(got)
				return
			}
		}
		seen <- -1
	}()
	for _, id := range ids { // far more changes than a subscriber buffers
		if _, err := s.AddNote("sofia", id, 0, "checked"); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case n := <-seen:
		if n < len(ids)/2 {
			t.Fatalf("fast subscriber saw %d of %d changed cases (%d means closed early)", n, len(ids), n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fast subscriber never heard of the last change")
	}
	stopFast()
	n := 0
	for len(slow) > 0 {
		<-slow
		n++
	}
	if n == 0 {
		t.Fatal("the slow subscriber received nothing")
	}
	stopSlow()
	for range slow { // the channel is closed after unsubscribing
	}
}
