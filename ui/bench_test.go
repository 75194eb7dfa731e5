package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/store"
)

// benchCases is the size of the big benchmark store: 1,000,000 unless CEEDESK_BENCH_CASES says otherwise.
func benchCases(b *testing.B) int {
	if v := os.Getenv("CEEDESK_BENCH_CASES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("CEEDESK_BENCH_CASES=%q: want a positive number", v)
		}
		return n
	}
	return 1_000_000
}

var benchBuild sync.Mutex

// benchStorePath returns a store of n synthetic cases (seed 1, dated from testToday) in $TMPDIR, building it the
// first time; later runs reuse the file. The name carries the store's schema version, so that a read-only
// benchmark never meets a file an older ceedesk built.
func benchStorePath(b *testing.B, n int) string {
	benchBuild.Lock()
	defer benchBuild.Unlock()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("ceedesk-ui-bench-%d-schema%d.db", n, store.SchemaVersion))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".building"
	os.Remove(tmp)
	s, err := store.Open(tmp, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	g := synth.New(1, testToday)
	for _, u := range g.Users() {
		if err := s.AddUser(store.Operator, u); err != nil {
			b.Fatal(err)
		}
	}
	i, skipped := 0, 0
	got, err := s.Load(store.Operator, func() (*cases.Case, bool) {
		if i == n {
			return nil, false
		}
		for {
			c := g.Next()
			// the generator may yield a case the store refuses; the benchmark needs n valid ones
			if len(cases.Validate(c)) == 0 {
				i++
				return c, true
			}
			skipped++
		}
	}, nil)
	if err != nil || got != n {
		b.Fatalf("building the benchmark store: %d of %d cases: %v", got, n, err)
	}
	if skipped > 0 {
		b.Logf("synth yielded %d invalid cases, left out", skipped)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchModel(b *testing.B, n int) (*Model, *store.Store) {
	s, err := store.Open(benchStorePath(b, n), store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sup, err := s.User("sofia") // the whole Electronics Center: half the cases
	if err != nil {
		b.Fatal(err)
	}
	m := New(Options{Desk: s, User: sup, Today: func() cases.Date { return testToday }, Renderer: asciiRenderer()}).(*Model)
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	if m.q.total < n/3 {
		b.Fatalf("queue holds %d rows of %d cases", m.q.total, n)
	}
	return m, s
}

func sizes(b *testing.B) []int { return []int{1000, benchCases(b)} }

// BenchmarkView renders the queue of a Center (target < 2 ms, the same at 1,000 and 1,000,000 cases).
func BenchmarkView(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

// BenchmarkCursorMove moves the cursor down one row and renders, through the queue from the top (target < 2 ms).
func BenchmarkCursorMove(b *testing.B) {
	down := keyMsg("j")
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if m.q.cursor == m.q.total-1 {
					press(m, "g")
				}
				m.Update(down)
				_ = m.View()
			}
		})
	}
}

// BenchmarkCursorJump jumps between the first and the last row of the queue and renders.
func BenchmarkCursorJump(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					press(m, "G")
				} else {
					press(m, "g")
				}
				_ = m.View()
			}
		})
	}
}

// BenchmarkFirstFrame opens the store and draws the first screen (target < 150 ms at 1,000,000 cases).
func BenchmarkFirstFrame(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			path := benchStorePath(b, n)
			for b.Loop() {
				s, err := store.Open(path, store.Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				sup, err := s.User("sofia")
				if err != nil {
					b.Fatal(err)
				}
				m := New(Options{Desk: s, User: sup, Today: func() cases.Date { return testToday }, Renderer: asciiRenderer()})
				m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
				_ = m.View()
				s.Close()
			}
		})
	}
}

// BenchmarkFilterKeystroke types a word of an importer's name into a supervisor's queue, one keystroke at a time,
// and measures each keystroke's Update and View (target < 16 ms at 1,000,000 cases, at most twice the figure at
// 1,000). The first screen of matches comes with the keystroke; the total is counted after it, off the keys'
// path: "count-ms" is what that count of the whole word takes, once.
func BenchmarkFilterKeystroke(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			first := m.q.row(0)
			if first == nil || strings.TrimSpace(first.Importer) == "" {
				b.Fatal("the queue's first row has no importer")
			}
			word := "keystone"
			press(m, "/")
			typed := 0
			b.ReportAllocs()
			for b.Loop() {
				if typed == len(word) {
					b.StopTimer()
					m.q.input.SetValue("")
					_ = m.q.typeFilter("")
					typed = 0
					b.StartTimer()
				}
				m.Update(keyMsg(word[typed : typed+1]))
				_ = m.View()
				typed++
			}
			b.StopTimer()
			m.q.input.SetValue(word)
			_ = m.q.typeFilter(word)
			start := time.Now()
			c := m.q.count(m.q.gen, m.q.query())
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "count-ms")
			if c.err != nil || c.total <= 0 {
				b.Fatalf("count of %q: %d, %v", word, c.total, c.err)
			}
			b.Logf("%q: %d matches", word, c.total)
		})
	}
}

// BenchmarkPreview reads the case under the cursor and draws it beside the queue, as the preview does once the
// cursor has rested on a case: off the keys' path, so BenchmarkCursorMove does not count it.
func BenchmarkPreview(b *testing.B) {
	for _, n := range sizes(b) {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			m, _ := benchModel(b, n)
			w, h := m.q.previewSize()
			r := m.q.current()
			b.ReportAllocs()
			for b.Loop() {
				c, hist, err := readCase(m.desk, m.user, r.ID)
				m.q.drawPreview(r, c, hist, err, w, h)
			}
		})
	}
}
