package store

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// The large benchmark store is built once and cached outside the repository: -store.big=PATH, or
// $CEEDESK_BENCH_DB, or $TMPDIR/ceedesk-bench-1m-schemaN.db (N is SchemaVersion, so that ceedesks of different
// schemas do not migrate each other's file). $CEEDESK_BENCH_CASES sets its size for quick runs (the default file
// name then carries the size). It is only built when a benchmark that needs it runs (go test -bench).
var bigFlag = flag.String("store.big", "", "path of the cached benchmark store (built on first use)")

func benchCases() int {
	if v := os.Getenv("CEEDESK_BENCH_CASES"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return n
		}
	}
	return 1_000_000
}

func benchPath() string {
	if *bigFlag != "" {
		return *bigFlag
	}
	if p := os.Getenv("CEEDESK_BENCH_DB"); p != "" {
		return p
	}
	size := "1m"
	if n := benchCases(); n != 1_000_000 {
		size = fmt.Sprint(n)
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("ceedesk-bench-%s-schema%d.db", size, SchemaVersion))
}

var bigOnce sync.Once

// bigStore returns the path of the benchmark store, building it if it is missing or smaller than wanted.
func bigStore(b *testing.B) string {
	path, n := benchPath(), benchCases()
	var err error
	bigOnce.Do(func() {
		if s, oerr := Open(path, Options{Timeout: time.Second}); oerr == nil {
			var have uint64
			s.view(func(tx kvTx) error { have = metaUint(tx, mCases); return nil })
			s.Close()
			if have >= uint64(n) {
				return
			}
		}
		os.Remove(path)
		b.Logf("building the benchmark store %s with %d cases (once)", path, n)
		start := time.Now()
		var s *Store
		if s, err = Open(path, Options{NoSync: true}); err != nil {
			return
		}
		defer s.Close()
		g := synth.New(1, cases.DateOf(time.Now()))
		for _, u := range g.Users() {
			if err = s.AddUser(Operator, u); err != nil {
				return
			}
		}
		i := 0
		if _, err = s.Load("seed", func() (*cases.Case, bool) {
			if i == n {
				return nil, false
			}
			i++
			return g.Next(), true
		}, nil); err != nil {
			return
		}
		info, _ := os.Stat(path)
		b.Logf("built in %v, %d MB", time.Since(start).Round(time.Millisecond), info.Size()>>20)
	})
	if err != nil {
		os.Remove(path)
		b.Fatalf("building %s: %v", path, err)
	}
	return path
}

func BenchmarkOpenFirstPage(b *testing.B) {
	path := bigStore(b)
	b.ResetTimer()
	for b.Loop() {
		s, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		p, err := s.Queue(Operator, cases.QueueQuery{Assignee: "alice", Sort: cases.SortDue, OpenOnly: true, Limit: 50})
		if err != nil || len(p.Rows) != 50 {
			b.Fatalf("first page: %d rows, %v", len(p.Rows), err)
		}
		s.Close()
	}
}

func BenchmarkQueuePage1000(b *testing.B) {
	s, err := Open(bigStore(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, q := range []cases.QueueQuery{
		{Center: "ELEC", Sort: cases.SortDue},
		{Center: "ELEC", Sort: cases.SortImporter, OpenOnly: true},
		{Assignee: "alice", Sort: cases.SortAmount},
		{Center: "ELEC", Sort: cases.SortDue, Reverse: true},
		{Center: "ELEC", Sort: cases.SortKind, OpenOnly: true},
		{Center: "ELEC", Sort: cases.SortAssignee, OpenOnly: true, Reverse: true},
		{Center: "ELEC", Sort: cases.SortEntry},
		{Assignee: "alice", Sort: cases.SortStatus, Reverse: true},
	} {
		// page 1000 of 50 rows, or the last full page of a smaller benchmark store
		p, err := s.Queue(Operator, q)
		if err != nil {
			b.Fatal(err)
		}
		q.Offset, q.Limit = min(999, p.Total/50-1)*50, 50
		name := fmt.Sprintf("%s%s-%s-open=%v", q.Center, q.Assignee, q.Sort, q.OpenOnly)
		if q.Reverse {
			name += "-reverse"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				p, err := s.Queue(Operator, q)
				if err != nil || len(p.Rows) != 50 {
					b.Fatalf("page 1000: %d rows, %v", len(p.Rows), err)
				}
			}
		})
	}
}

// BenchmarkDecide measures one durable decision (fsync on) on the large store, and reports the median.
func BenchmarkDecide(b *testing.B) {
	s, err := Open(bigStore(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	f, _ := cases.ParseFilter("status:assigned,review")
	var todo []*cases.Case
	for _, who := range []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry"} {
		p, err := s.Queue(Operator, cases.QueueQuery{Assignee: who, Filter: f, Limit: MaxPage})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range p.Rows {
			c, _ := s.Case(Operator, r.ID)
			todo = append(todo, c)
		}
	}
	today := cases.DateOf(time.Now())
	var times []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if i >= len(todo) {
			b.Fatalf("ran out of open cases after %d decisions", i)
		}
		c := todo[i]
		spec := cases.Outcomes(c)[0]
		d := cases.Decision{Outcome: spec.Outcome}
		if spec.Reasons {
			d.Reasons = "reasons"
		}
		if spec.Amount {
			d.Amount = 100
		}
		if spec.Lines {
			d.Lines = []int{c.Entry.Lines[0].Number}
		}
		// a seeded caseload holds cases past a deadline of the law, decided only with the reviewer's acknowledgement
		if warning, late := cases.LateDecision(c, d, s.Policy(), today); late {
			d.LateAck = cases.AckLate(warning, c.Assignee)
		}
		t0 := time.Now()
		if _, err := s.Decide(c.Assignee, c.ID, c.Version, d, today); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
}

// BenchmarkLoad measures bulk-load throughput into a new store (cases generated beforehand).
func BenchmarkLoad(b *testing.B) {
	n := min(benchCases(), 200_000)
	g := synth.New(2, cases.DateOf(time.Now()))
	cs := make([]*cases.Case, n)
	for i := range cs {
		cs[i] = g.Next()
	}
	users := g.Users()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "load.db")
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, u := range users {
			s.AddUser(Operator, u)
		}
		batch := make([]*cases.Case, n)
		for i, c := range cs {
			batch[i] = c.Clone()
		}
		i := 0
		b.StartTimer()
		if _, err := s.Load("seed", func() (*cases.Case, bool) {
			if i == n {
				return nil, false
			}
			i++
			return batch[i-1], true
		}, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// BenchmarkFilteredQueue is the workstation filtering as a supervisor types: a free-text word and a due-date term
// over the open cases of a whole Center of the large store, first window of rows, as ui asks for it.
func BenchmarkFilteredQueue(b *testing.B) {
	s, err := Open(bigStore(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	today := cases.DateOf(time.Now())
	first, err := s.Queue(Operator, cases.QueueQuery{Center: "ELEC", OpenOnly: true, Limit: 1, Today: today})
	if err != nil || len(first.Rows) == 0 {
		b.Fatalf("no open ELEC case: %v", err)
	}
	word := strings.ToLower(strings.Fields(first.Rows[0].Importer)[0])
	for _, tc := range []struct {
		name, filter string
		sort         cases.SortKey
	}{
		{"text+due<7d/due", word + " due:<7d", cases.SortDue},
		{"text+due<7d/importer", word + " due:<7d", cases.SortImporter},
		{"text/due", word, cases.SortDue},
		{"due<7d/amount", "due:<7d", cases.SortAmount},
	} {
		f, err := cases.ParseFilter(tc.filter)
		if err != nil {
			b.Fatal(err)
		}
		q := cases.QueueQuery{Center: "ELEC", Sort: tc.sort, Filter: f, OpenOnly: true, Limit: 120, Today: today}
		b.Run(tc.name, func(b *testing.B) {
			var total int
			cpu := cpuTime()
			for b.Loop() {
				p, err := s.Queue(Operator, q)
				if err != nil {
					b.Fatal(err)
				}
				total = p.Total
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// BenchmarkFilterFirstPage is the store's share of a keystroke in the workstation's filter: a supervisor types a
// word of an importer's name into the Center's queue (open cases, due order, as ui asks), and each keystroke asks
// for the first screen with NoTotal; "count" is the query that counts the matches afterwards. It reports the
// matches of the full word. Run it at 1,000 cases too (CEEDESK_BENCH_CASES=1000) for the ratio ui is held to.
func BenchmarkFilterFirstPage(b *testing.B) {
	s, err := Open(bigStore(b), Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	today := cases.DateOf(time.Now())
	// the same word at every size: the name of the first Electronics importer the seed makes
	g := synth.New(1, today)
	c := g.Next()
	for c.Center != "ELEC" {
		c = g.Next()
	}
	word := strings.ToLower(strings.Fields(c.Importer.Name)[0])
	query := func(text string, sort cases.SortKey, noTotal bool) cases.QueueQuery {
		f, err := cases.ParseFilter(text)
		if err != nil {
			b.Fatal(err)
		}
		return cases.QueueQuery{Center: "ELEC", Sort: sort, Filter: f, OpenOnly: true, Limit: 120, Today: today, NoTotal: noTotal}
	}
	run := func(name string, q cases.QueueQuery) {
		b.Run(name, func(b *testing.B) {
			var p cases.QueuePage
			cpu := cpuTime()
			for b.Loop() {
				if p, err = s.Queue(Operator, q); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(len(p.Rows)), "rows")
			if p.Total >= 0 {
				b.ReportMetric(float64(p.Total), "matches")
			}
		})
	}
	for i := 1; i <= len(word); i++ {
		run(fmt.Sprintf("key%d=%s", i, word[:i]), query(word[:i], cases.SortDue, true))
	}
	run("count="+word, query(word, cases.SortDue, false))
	run("importer-sort="+word, query(word, cases.SortImporter, true))
	run("importer-sort-count="+word, query(word, cases.SortImporter, false))
	run("reverse="+word, func() cases.QueueQuery { q := query(word, cases.SortDue, true); q.Reverse = true; return q }())
	run("rare=zzz", query("zzz", cases.SortDue, true)) // no match: the first page costs the full walk
}

// reportCPU reports the CPU time per operation since start (see cpuTime).
func reportCPU(b *testing.B, start time.Duration) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}
