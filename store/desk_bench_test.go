package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// deskBenchCases is how many cases the offline desk's benchmarks check out and in.
const deskBenchCases = 1000

// deskBenchCenter builds a Center store at path, on the real clock: the synthetic users and caseload, the open
// cases of the ELEC Center (not waiting for approval) given to alice as they come until she has n, the other
// cases as they are. It returns how many cases the store holds.
func deskBenchCenter(b *testing.B, path string, n int) int {
	b.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	g := synth.New(1, cases.DateOf(time.Now()))
	g.NotAfter(time.Now())
	for _, u := range g.Users() {
		if err := s.AddUser(Operator, u); err != nil {
			b.Fatal(err)
		}
	}
	mine := 0
	loaded, err := s.Load(Operator, func() (*cases.Case, bool) {
		if mine >= n {
			return nil, false
		}
		c := g.Next()
		if c.Center == "ELEC" && c.Status.Open() && c.Status != cases.StatusPendingApproval && c.Assignee != "" {
			c.Assignee = "alice"
			mine++
		}
		return c, true
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return loaded
}

// deskBenchCopy copies the store file src to a new file in dir and returns its path.
func deskBenchCopy(b *testing.B, src, dir string) string {
	b.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	dst := filepath.Join(dir, fmt.Sprintf("center-%d.db", time.Now().UnixNano()))
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		b.Fatal(err)
	}
	return dst
}

// deskBenchSync are the two ways the Center store runs in the benchmarks: durable (fsync on, as ceedesk runs) and
// with fsync off, which shows what the work costs apart from the disk.
var deskBenchSync = []struct {
	name   string
	noSync bool
}{{"fsync", false}, {"nosync", true}}

// BenchmarkCheckout1000 measures alice checking her 1,000 open cases out of the Center store to a new desk file:
// the leases, their audit events, the checkout record and the desk file with the cases and their histories.
// Each iteration starts from a fresh copy of the same store, which is not timed.
func BenchmarkCheckout1000(b *testing.B) {
	dir := b.TempDir()
	template := filepath.Join(dir, "template.db")
	total := deskBenchCenter(b, template, deskBenchCases)
	for _, mode := range deskBenchSync {
		b.Run(mode.name, func(b *testing.B) { benchCheckout(b, template, total, mode.noSync) })
	}
}

func benchCheckout(b *testing.B, template string, total int, noSync bool) {
	dir := b.TempDir()
	today := cases.DateOf(time.Now())
	var deskBytes int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := deskBenchCopy(b, template, dir)
		s, err := Open(path, Options{NoSync: noSync})
		if err != nil {
			b.Fatal(err)
		}
		desk := filepath.Join(dir, fmt.Sprintf("alice-%d.desk", i))
		b.StartTimer()
		rec, err := s.Checkout("alice", CheckoutRequest{Today: today}, desk)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if len(rec.Cases) != deskBenchCases {
			b.Fatalf("checked out %d cases, want %d", len(rec.Cases), deskBenchCases)
		}
		if fi, err := os.Stat(desk); err == nil {
			deskBytes = fi.Size()
		}
		s.Close()
		os.Remove(path)
		os.Remove(desk)
		b.StartTimer()
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp.Microseconds())/1000, "ms/checkout")
	b.ReportMetric(deskBenchCases/perOp.Seconds(), "cases/s")
	b.ReportMetric(float64(deskBytes)/(1<<20), "desk-MB")
	b.ReportMetric(float64(total), "center-cases")
}

// BenchmarkCheckin1000 measures checking in, at the Center store, a desk file holding a note on each of 1,000
// checked-out cases: each change is replayed in its own write transaction with its landing recorded, then the
// 1,000 leases are released and the outcomes written into the desk file. The checkout and the 1,000 notes on the
// desk are made before the timer runs, on a fresh copy of the same store each iteration.
func BenchmarkCheckin1000(b *testing.B) {
	dir := b.TempDir()
	template := filepath.Join(dir, "template.db")
	deskBenchCenter(b, template, deskBenchCases)
	for _, mode := range deskBenchSync {
		b.Run(mode.name, func(b *testing.B) { benchCheckin(b, template, mode.noSync) })
	}
}

func benchCheckin(b *testing.B, template string, noSync bool) {
	dir := b.TempDir()
	today := cases.DateOf(time.Now())
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := deskBenchCopy(b, template, dir)
		s, err := Open(path, Options{NoSync: noSync})
		if err != nil {
			b.Fatal(err)
		}
		desk := filepath.Join(dir, fmt.Sprintf("alice-%d.desk", i))
		rec, err := s.Checkout("alice", CheckoutRequest{Today: today}, desk)
		if err != nil {
			b.Fatal(err)
		}
		d, err := Open(desk, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, co := range rec.Cases {
			if _, err := d.AddNote("alice", co.ID, 0, "seen at the importer's premises; the invoices match the entry"); err != nil {
				b.Fatal(err)
			}
		}
		if err := d.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.Checkin("alice", desk, 0, nil)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Landed != deskBenchCases || !rep.OK() || len(rep.Released) != deskBenchCases {
			b.Fatalf("check-in: %d landed, %d conflicts, %d refused, %d leases released; want %d landed and released",
				rep.Landed, rep.Conflict, rep.Refused, len(rep.Released), deskBenchCases)
		}
		s.Close()
		os.Remove(path)
		os.Remove(desk)
		b.StartTimer()
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp.Microseconds())/1000, "ms/checkin")
	b.ReportMetric(deskBenchCases/perOp.Seconds(), "changes/s")
	b.ReportMetric(float64(perOp.Microseconds())/deskBenchCases, "us/change")
}
