package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/log"

	"ceedesk/cases"
	"ceedesk/cmd/ceedesk/internal/server"
	"ceedesk/store"
	"ceedesk/ui"
)

// TestEngineFigures measures one caseload (100,000 cases; CEEDESK_FIGURES_CASES to change it) on bbolt and on a
// three-member etcd cluster on loopback, in the same run, and prints them side by side: what a reviewer waits for
// (a decision's commit, a page of the queue, the workstation's first frame, a change made elsewhere reaching the
// screen) and what an operator waits for (seeding, migrate, backup). It is a measurement, not a check: nothing
// is asserted of the numbers. It takes several minutes (mostly the migrate of 100,000 cases and its verification):
//
//	CEEDESK_FIGURES=1 go test -run TestEngineFigures -v -timeout 90m ./cmd/ceedesk/
func TestEngineFigures(t *testing.T) {
	if os.Getenv("CEEDESK_FIGURES") != "1" {
		t.Skip("set CEEDESK_FIGURES=1 to measure bbolt and a 3-member etcd cluster side by side (a measurement, not a check; several minutes: -timeout 90m)")
	}
	n := 100000
	if s := os.Getenv("CEEDESK_FIGURES_CASES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1000 {
			t.Fatalf("CEEDESK_FIGURES_CASES=%q: want a number of cases from 1000", s)
		}
	}
	dir := t.TempDir()
	env := centerEnv(dir)
	none := filepath.Join(dir, "none.toml")
	db := filepath.Join(dir, "center.db")
	const prefix = "/ceedesk/ELEC/"

	start := time.Now()
	if r := ceedeskProc(t, env, "", "--db", db, "--today", today, "--config", none, "seed", "--cases", strconv.Itoa(n)); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	seedTime := time.Since(start)
	sofia := newSSHIdentity(t, "sofia")
	if r := ceedeskProc(t, env, "", "--db", db, "--config", none, "key", "add", "sofia", sofia.pub); r.code != 0 {
		t.Fatalf("key add: %d %s", r.code, r.stderr)
	}
	work := planFigures(t, db)

	cl := startEtcdCluster(t, 3)
	start = time.Now()
	mig := ceedeskProc(t, env, "", append(cl.etcdFlags(prefix), "--db", db, "--config", none, "migrate")...)
	if mig.code != 0 {
		t.Fatalf("migrate: %d\n%s%s", mig.code, mig.stdout, mig.stderr)
	}
	migrateTime := time.Since(start)
	t.Logf("migrate: %s", strings.TrimSpace(strings.Split(mig.stdout, "\n")[0]))
	start = time.Now()
	if r := ceedeskProc(t, env, "", "--db", db, "--config", none, "backup", filepath.Join(dir, "center.backup")); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	backupTime := time.Since(start)

	eo := store.EtcdOptions{Endpoints: cl.endpointList(), Prefix: prefix, MaxTxnOps: 4096, MaxRequestBytes: 8388608}
	bolt := measureEngine(t, "bbolt", func() (*store.Store, error) { return store.Open(db, store.Options{}) }, nil, work, sofia)
	etcd := measureEngine(t, "etcd, 3 members", func() (*store.Store, error) { return store.OpenEtcd(eo, store.Options{}) },
		func() (*store.Store, error) { return store.OpenEtcd(eo, store.Options{}) }, work, sofia)

	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 2, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "%d cases, loopback, %d CPUs\tbbolt\tetcd (3 members)\n", n, runtime.NumCPU())
	row := func(what, a, e string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", what, a, e) }
	pair := func(d []time.Duration) string { return dur(percentile(d, 50)) + " / " + dur(percentile(d, 99)) }
	row("open the store", dur(bolt.open), dur(etcd.open))
	row(fmt.Sprintf("decision commit, median / p99 (%d)", len(bolt.decide)), pair(bolt.decide), pair(etcd.decide))
	row("queue page of 50, Center, first call", dur(bolt.pageCold), dur(etcd.pageCold))
	row(fmt.Sprintf("queue page of 50, Center, median (%d)", len(bolt.page)), dur(percentile(bolt.page, 50)), dur(percentile(etcd.page, 50)))
	for i, f := range figureFilters {
		row(fmt.Sprintf("queue page of 50, filter %q, median", f), dur(percentile(bolt.filtered[i], 50)), dur(percentile(etcd.filtered[i], 50)))
	}
	row("first frame over SSH from connect, first / median", dur(bolt.frames[0])+" / "+dur(percentile(bolt.frames, 50)),
		dur(etcd.frames[0])+" / "+dur(percentile(etcd.frames, 50)))
	row(fmt.Sprintf("live change, commit acknowledged to drawn, median / p99 (%d)", len(bolt.live)), pair(bolt.live), pair(etcd.live))
	row("live change, commit sent to drawn, median / p99", pair(bolt.liveFromSend), pair(etcd.liveFromSend))
	row("seed (bbolt file)", dur(seedTime), "n/a (seed into bbolt, then migrate)")
	row("migrate bbolt → etcd, with its verification", "n/a", dur(migrateTime))
	row("backup (bbolt: the nearest to a copy)", dur(backupTime), "n/a")
	tw.Flush()
	t.Logf("engine figures:\n%s", b.String())
	t.Logf("bbolt: live changes committed through the store API on the server's own store (as another session's); "+
		"etcd: committed through a second client of the cluster (as another front end), drawn on the session of a front end on the first; "+
		"first frame: dial, SSH handshake, PTY, until sofia's title bar and the key line are drawn (%d connections)", len(bolt.frames))
}

func dur(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(max(i-1, 0), len(s)-1)]
}

// figureFilters are the filtered pages measured: an index's terms, and words searched in the rows.
var figureFilters = []string{"kind:psc status:review", "semiconductor"}

// figureWork is what the measurement changes, chosen on the seeded store, the same cases on both engines.
type figureWork struct {
	decide []string // open cases deep in the queue, each decided once, by its assignee
	probes []string // the top rows of sofia's queue, reassigned while she watches
}

func planFigures(t *testing.T, db string) figureWork {
	t.Helper()
	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	page, err := st.Queue(store.Operator, cases.QueueQuery{Center: "ELEC", Sort: cases.SortDue, OpenOnly: true, Limit: 2000, Today: figureToday})
	if err != nil {
		t.Fatal(err)
	}
	var w figureWork
	for i, r := range page.Rows {
		c, err := st.Case(store.Operator, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(faultReviewers, c.Assignee) || c.Status == cases.StatusPendingApproval {
			continue
		}
		switch {
		case len(w.probes) < 3 && i < 10:
			w.probes = append(w.probes, c.ID)
		case i >= 100 && len(w.decide) < 200 && (c.Status == cases.StatusAssigned || c.Status == cases.StatusInReview) && figureOutcome(c) != "":
			w.decide = append(w.decide, c.ID)
		}
	}
	if len(w.probes) < 3 || len(w.decide) < 50 {
		t.Fatalf("the seeded store gives %d probe cases and %d to decide", len(w.probes), len(w.decide))
	}
	return w
}

var figureToday = cases.NewDate(2026, 11, 28)

// figureOutcome is the first outcome of the case's kind that needs no amount or lines.
func figureOutcome(c *cases.Case) cases.Outcome {
	for _, o := range cases.Outcomes(c) {
		if !o.Amount && !o.Lines {
			return o.Outcome
		}
	}
	return ""
}

// engineFigures are one engine's numbers.
type engineFigures struct {
	open           time.Duration
	decide         []time.Duration
	pageCold       time.Duration
	page           []time.Duration
	filtered       [][]time.Duration
	frames         []time.Duration
	live           []time.Duration
	liveFromSend   []time.Duration
	liveNeverDrawn int
}

// measureEngine opens the store (open), measures queue pages and decisions through the store API, then serves
// it over SSH on loopback and measures the workstation's first frame and how soon a change committed elsewhere
// (through second, a second client of the same store, or through the store itself when nil) is drawn.
func measureEngine(t *testing.T, name string, open, second func() (*store.Store, error), w figureWork, sofia sshIdentity) engineFigures {
	t.Helper()
	var f engineFigures
	start := time.Now()
	st, err := open()
	if err != nil {
		t.Fatalf("%s: open: %v", name, err)
	}
	defer st.Close()
	f.open = time.Since(start)

	q := cases.QueueQuery{Center: "ELEC", Sort: cases.SortDue, OpenOnly: true, Limit: 50, Today: figureToday}
	start = time.Now()
	if _, err := st.Queue("sofia", q); err != nil {
		t.Fatalf("%s: queue: %v", name, err)
	}
	f.pageCold = time.Since(start)
	for range 30 {
		start = time.Now()
		page, err := st.Queue("sofia", q)
		f.page = append(f.page, time.Since(start))
		if err != nil || len(page.Rows) != 50 {
			t.Fatalf("%s: queue: %d rows, %v", name, len(page.Rows), err)
		}
	}
	for _, text := range figureFilters {
		fq := q
		if fq.Filter, err = cases.ParseFilter(text); err != nil {
			t.Fatal(err)
		}
		var ds []time.Duration
		for range 10 {
			start = time.Now()
			page, err := st.Queue("sofia", fq)
			ds = append(ds, time.Since(start))
			if err != nil || len(page.Rows) == 0 {
				t.Fatalf("%s: queue filtered %q: %d rows, %v", name, text, len(page.Rows), err)
			}
		}
		f.filtered = append(f.filtered, ds)
	}

	for _, id := range w.decide {
		c, err := st.Case(store.Operator, id)
		if err != nil {
			t.Fatal(err)
		}
		d := cases.Decision{Outcome: figureOutcome(c), Reasons: "measured for the engine figures"}
		if warning, late := cases.LateDecision(c, d, st.Policy(), figureToday); late {
			d.LateAck = cases.AckLate(warning, c.Assignee)
		}
		start = time.Now()
		_, err = st.Decide(c.Assignee, id, c.Version, d, figureToday)
		f.decide = append(f.decide, time.Since(start))
		if err != nil {
			t.Fatalf("%s: decide %s: %v", name, id, err)
		}
	}

	addr, stop := serveFigures(t, st)
	defer stop()
	for range 6 {
		start = time.Now()
		term, err := sofia.openPTY(addr, 160, 48, time.Minute)
		if err != nil {
			t.Fatalf("%s: workstation: %v", name, err)
		}
		if !term.waitSee(0, time.Minute, "sofia (supervisor)", "q quit") {
			t.Fatalf("%s: the workstation drew no full frame:\n%s", name, tailString(term.screen(0), 3000))
		}
		f.frames = append(f.frames, time.Since(start))
		term.close()
	}

	committer := st
	if second != nil {
		if committer, err = second(); err != nil {
			t.Fatal(err)
		}
		defer committer.Close()
	}
	term, err := sofia.openPTY(addr, 160, 48, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer term.close()
	if !term.waitSee(0, time.Minute, "sofia (supervisor)", "q quit", w.probes[0]) {
		t.Fatalf("%s: the workstation drew no queue:\n%s", name, tailString(term.screen(0), 3000))
	}
	assignee := map[string]string{}
	for i := range 60 {
		id := w.probes[i%len(w.probes)]
		if assignee[id] == "" {
			c, err := st.Case(store.Operator, id)
			if err != nil {
				t.Fatal(err)
			}
			assignee[id] = c.Assignee
		}
		to := faultReviewers[(slices.Index(faultReviewers, assignee[id])+1)%len(faultReviewers)]
		row := regexp.MustCompile(regexp.QuoteMeta(id) + ` +\S.{0,24}? ` + to + ` `)
		m := term.mark()
		sent := time.Now()
		if _, err := committer.Assign("sofia", []string{id}, nil, to, fmt.Sprintf("engine figures %d", i), figureToday); err != nil {
			t.Fatalf("%s: assign %s: %v", name, id, err)
		}
		acked := time.Now()
		assignee[id] = to
		if term.waitFor(m, 30*time.Second, row.MatchString) {
			f.live = append(f.live, time.Since(acked))
			f.liveFromSend = append(f.liveFromSend, time.Since(sent))
		} else {
			f.liveNeverDrawn++
		}
		time.Sleep(100 * time.Millisecond)
	}
	if f.liveNeverDrawn > 0 {
		t.Logf("%s: %d of 60 reassignments were not drawn on sofia's workstation within 30s", name, f.liveNeverDrawn)
	}
	return f
}

// serveFigures serves the workstation on st over SSH on a loopback port until the test ends, as `ceedesk serve`
// does (the default configuration, the fixed date).
func serveFigures(t *testing.T, st *store.Store) (addr string, stop func()) {
	t.Helper()
	cfg, err := ui.LoadConfig(filepath.Join(t.TempDir(), "none.toml"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{
		HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"), Store: st, UI: cfg,
		Today:  func() cases.Date { return figureToday },
		Logger: log.NewWithOptions(io.Discard, log.Options{}),
		Command: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			fmt.Fprintln(stderr, "no commands here")
			return 1
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}
}
