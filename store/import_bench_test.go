package store

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

// TestImportMeasure measures a large import the way an operator runs one: a fresh store with the synthetic users,
// a .jsonl file of synthetic cases (as an export writes them), and the import in a process of its own (this test
// binary, run again), whose wall time and peak resident memory (rusage, which counts the store's mapped pages
// too) it reports. It runs only when asked:
//
//	CEEDESK_IMPORT_1M=1 go test ./store/ -run TestImportMeasure -v -timeout 30m
//
// CEEDESK_IMPORT_CASES sets the number of cases (default 1,000,000; the file is cached in the temporary directory
// by size), CEEDESK_IMPORT_DIR where the store and file go.
func TestImportMeasure(t *testing.T) {
	if os.Getenv("CEEDESK_IMPORT_1M") == "" {
		t.Skip("set CEEDESK_IMPORT_1M=1 to measure a large import")
	}
	n := 1_000_000
	if v := os.Getenv("CEEDESK_IMPORT_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("CEEDESK_IMPORT_CASES=%q", v)
		}
	}
	dir := os.Getenv("CEEDESK_IMPORT_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	day := cases.DateOf(time.Now()).AddDays(-2) // every time the cases record is past
	file := filepath.Join(dir, fmt.Sprintf("ceedesk-import-%d-%s.jsonl", n, day))
	if _, err := os.Stat(file); err != nil {
		start := time.Now()
		if err := writeSynthJSONL(file, n, day); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d cases) in %v", file, n, time.Since(start).Round(time.Millisecond))
	}
	fi, _ := os.Stat(file)

	db := filepath.Join(t.TempDir(), "ceedesk.db")
	if d := os.Getenv("CEEDESK_IMPORT_DIR"); d != "" {
		db = filepath.Join(d, "ceedesk-import-measure.db")
		os.Remove(db)
		defer os.Remove(db)
	}
	s, err := Open(db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range synth.New(1, day).Users() {
		if err := s.AddUser(Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportMeasureChild$", "-test.v")
	cmd.Env = append(os.Environ(), "CEEDESK_IMPORT_CHILD="+db+string(os.PathListSeparator)+file)
	cmd.Stderr = os.Stderr
	load0, _ := os.ReadFile("/proc/loadavg")
	start := time.Now()
	out, err := cmd.Output()
	wall := time.Since(start)
	load1, _ := os.ReadFile("/proc/loadavg")
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	var got string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "IMPORT ") {
			got = l
		}
	}
	st, _ := os.Stat(db)
	t.Logf("%d cases, %.0f MB of .jsonl: imported in %v (user %v, sys %v), peak RSS %.0f MB (rusage); store %.0f MB; load average before %s, after %s; %s",
		n, float64(fi.Size())/1e6, wall.Round(time.Millisecond), time.Duration(ru.Utime.Nano()).Round(time.Millisecond),
		time.Duration(ru.Stime.Nano()).Round(time.Millisecond), float64(ru.Maxrss)/1024, float64(st.Size())/1e6,
		loadavg(load0), loadavg(load1), got)
	if n <= 200_000 {
		s, err := Open(db, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		mustCheck(t, s)
	}
}

// TestImportMeasureChild is the import process of TestImportMeasure.
func TestImportMeasureChild(t *testing.T) {
	env := os.Getenv("CEEDESK_IMPORT_CHILD")
	if env == "" {
		t.Skip("run by TestImportMeasure")
	}
	db, file, _ := strings.Cut(env, string(os.PathListSeparator))
	s, err := Open(db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := os.Getenv("CEEDESK_IMPORT_PROFILE"); p != "" {
		pf, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	peaks := samplePeaks()
	start := time.Now()
	phases := map[string]time.Time{}
	var order []string
	n, err := s.ImportWith(f, filepath.Base(file), Operator, ImportOptions{Progress: func(p ImportProgress) {
		phase.Store(p.Phase)
		if _, ok := phases[p.Phase]; !ok {
			phases[p.Phase] = time.Now()
			order = append(order, p.Phase)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var marks []string
	for _, p := range order {
		marks = append(marks, fmt.Sprintf("%s from %.1fs", p, phases[p].Sub(start).Seconds()))
	}
	fmt.Printf("IMPORT %d cases in %.1fs (%s); VmHWM %s; %s\n", n, time.Since(start).Seconds(), strings.Join(marks, ", "), vmHWM(), peaks())
}

// samplePeaks samples the process's memory five times a second; the function it returns says the peaks of its
// parts: the Go heap (in use), anonymous memory (the heap and the runtime) and mapped file pages (the store).
var phase atomic.Value

func samplePeaks() func() string {
	var mu sync.Mutex
	var heap, anon, file, temp uint64
	byPhase := map[string]uint64{}
	stop := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			a, f := statusKB("RssAnon:"), statusKB("RssFile:")
			tmp := tempBytes()
			mu.Lock()
			temp = max(temp, tmp>>20)
			p, _ := phase.Load().(string)
			if hp := os.Getenv("CEEDESK_IMPORT_HEAPPROFILE"); hp != "" && ms.HeapInuse>>20 > byPhase[p]+8 && p == os.Getenv("CEEDESK_IMPORT_HEAPPHASE") {
				if f, err := os.Create(hp); err == nil {
					pprof.WriteHeapProfile(f)
					f.Close()
				}
			}
			heap, anon, file = max(heap, ms.HeapInuse>>20), max(anon, a>>10), max(file, f>>10)
			byPhase[p] = max(byPhase[p], ms.HeapInuse>>20)
			mu.Unlock()
		}
	}()
	return func() string {
		close(stop)
		mu.Lock()
		defer mu.Unlock()
		return fmt.Sprintf("peaks: Go heap in use %d MB (by phase %v), RssAnon %d MB, RssFile %d MB, temporary files %d MB", heap, byPhase, anon, file, temp)
	}
}

// loadavg is the 1-minute load average of a /proc/loadavg: how busy the machine was besides.
func loadavg(b []byte) string {
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// tempBytes is the size of the import's temporary files the process has open.
func tempBytes() uint64 {
	fds, _ := os.ReadDir("/proc/self/fd")
	var n uint64
	for _, fd := range fds {
		p := "/proc/self/fd/" + fd.Name()
		if l, err := os.Readlink(p); err == nil && strings.Contains(l, ".ceedesk-import-") {
			if fi, err := os.Stat(p); err == nil {
				n += uint64(fi.Size())
			}
		}
	}
	return n
}

func statusKB(field string) uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field) {
			v, _ := strconv.ParseUint(strings.Fields(strings.TrimPrefix(l, field))[0], 10, 64)
			return v
		}
	}
	return 0
}

func vmHWM() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "unknown"
}

// writeSynthJSONL writes n synthetic cases as an export does, one JSON object per line.
func writeSynthJSONL(path string, n int, day cases.Date) error {
	tmp := path + ".part"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	g := synth.New(1, day)
	for range n {
		b, err := json.Marshal(g.Next())
		if err != nil {
			f.Close()
			return err
		}
		w.Write(cases.EscapeJSON(b))
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
