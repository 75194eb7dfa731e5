package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/store"

	"github.com/charmbracelet/log"
	gossh "golang.org/x/crypto/ssh"
)

// TestLoad puts 100 concurrent workstation sessions on one server and reports memory per session, the server's
// CPU while they sit idle (CEEDESK_LOAD_IDLE, default 10s; 0 skips it), keystroke-to-screen latency and
// decisions per second, then checks that every decision is in the store and in the audit log. The server runs
// in a child process so its memory and CPU are measured without the clients'. The figures are reported, not
// checked: they depend on the machine and on what else it runs.
//
//	CEEDESK_LOAD=1 go test -run TestLoad -v ./cmd/ceedesk/internal/server/
func TestLoad(t *testing.T) {
	if dir := os.Getenv("CEEDESK_LOAD_SERVER"); dir != "" {
		loadServer(t, dir)
		return
	}
	if testing.Short() || os.Getenv("CEEDESK_LOAD") == "" {
		t.Skip("load test: set CEEDESK_LOAD=1 (and leave out -short)")
	}
	const sessions, decisionsEach, moves = 100, 5, 20

	dir := t.TempDir()
	ids := make([]identity, sessions)
	var keys strings.Builder
	for i := range ids {
		ids[i] = newIdentity(t)
		ids[i].name = fmt.Sprintf("rev%03d", i)
		fmt.Fprintf(&keys, "rev%03d %s\n", i, ids[i].line)
	}
	admin := newIdentity(t)
	admin.name = "sofia"
	fmt.Fprintf(&keys, "sofia %s\n", admin.line)
	if err := os.WriteFile(filepath.Join(dir, "keys"), []byte(keys.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^TestLoad$", "-test.count=1")
	child.Env = append(os.Environ(), "CEEDESK_LOAD_SERVER="+dir, fmt.Sprintf("CEEDESK_LOAD_CASES=%d", decisionsEach))
	child.Stderr = os.Stderr
	stdin, _ := child.StdinPipe()
	stdout, _ := child.StdoutPipe()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill()
	var ready struct {
		Addr  string
		Cases map[string][]string
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
			if err := json.Unmarshal([]byte(line), &ready); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if ready.Addr == "" {
		t.Fatal("the server process did not start")
	}
	go io.Copy(io.Discard, stdout)
	ctl := mustDial(t, ready.Addr, admin)
	heap := func() (int64, int) {
		out, _, _ := run(t, ctl, "memstats", "")
		var h int64
		var g int
		fmt.Sscanf(out, "heap=%d goroutines=%d", &h, &g)
		return h, g
	}
	heap0, g0 := heap()

	// Every session opens and draws its workstation.
	terms := make([]*terminal, sessions)
	opened := time.Now()
	forEach(sessions, 20, func(i int) {
		c := mustDial(t, ready.Addr, ids[i])
		terms[i] = openTerminal(t, c, 120, 40)
		terms[i].mustSee(0, "ceedesk", fmt.Sprintf("rev%03d (reviewer)", i))
	})
	openTime := time.Since(opened)
	heap1, g1 := heap()
	t.Logf("%d sessions open in %v; server heap %d KiB -> %d KiB: %.0f KiB per session; %d goroutines per session",
		sessions, openTime.Round(time.Millisecond), heap0>>10, heap1>>10, float64(heap1-heap0)/1024/sessions, (g1-g0)/sessions)

	// The server's own CPU while every session sits open and nobody types: what an idle Center costs.
	if idle := loadIdle(); idle > 0 {
		cpu0, ok := processCPU(child.Process.Pid)
		start := time.Now()
		time.Sleep(idle)
		if cpu1, ok1 := processCPU(child.Process.Pid); ok && ok1 {
			took := time.Since(start)
			t.Logf("idle: server CPU %v over %v with %d sessions open: %.2f%% of one CPU", (cpu1 - cpu0).Round(time.Millisecond),
				took.Round(time.Millisecond), sessions, 100*float64(cpu1-cpu0)/float64(took))
		}
	}

	// Keystroke to screen, all sessions moving at once and nothing else changing. The first key of every
	// session is sent in the same instant; the later ones drift apart as people's do.
	// CEEDESK_LOAD_PROFILE=FILE writes a CPU profile of the server over this part.
	profile := os.Getenv("CEEDESK_LOAD_PROFILE")
	if profile != "" {
		run(t, ctl, "cpuprofile "+profile, "")
	}
	serverCPU0, _ := processCPU(child.Process.Pid)
	clientCPU0, _ := processCPU(os.Getpid())
	typed := time.Now()
	var mu sync.Mutex
	var lat, first, later []time.Duration
	forEach(sessions, sessions, func(i int) {
		term := terms[i]
		for k := 0; k < moves; k++ {
			key := "j"
			if k%2 == 1 {
				key = "k"
			}
			m := term.mark()
			sent := time.Now()
			term.send(key)
			if !term.waitOutput(m, 5*time.Second) {
				t.Errorf("session %d: no screen update after %q", i, key)
				return
			}
			d := time.Since(sent)
			mu.Lock()
			lat = append(lat, d)
			if k == 0 {
				first = append(first, d)
			} else {
				later = append(later, d)
			}
			mu.Unlock()
			time.Sleep(20 * time.Millisecond) // let the frame finish: the next key's output must be its own
		}
	})
	typing := time.Since(typed)
	serverCPU1, _ := processCPU(child.Process.Pid)
	clientCPU1, _ := processCPU(os.Getpid())
	if profile != "" {
		run(t, ctl, "cpuprofile", "")
	}
	if len(lat) > 0 {
		t.Logf("keystroke to screen over %d keys: %s", len(lat), spread(lat))
		t.Logf("  the first key of every session, all sent at once: %s; the later keys: %s", spread(first), spread(later))
		t.Logf("  typing took %v: server CPU %v, clients CPU %v (%.2f ms a key together)", typing.Round(time.Millisecond),
			serverCPU1-serverCPU0, clientCPU1-clientCPU0, float64(serverCPU1-serverCPU0+clientCPU1-clientCPU0)/float64(time.Millisecond)/float64(len(lat)))
	}

	// Every session decides its cases, all at once; every decision is seen live by every other session.
	decided := time.Now()
	forEach(sessions, sessions, func(i int) {
		term := terms[i]
		for _, id := range ready.Cases[fmt.Sprintf("rev%03d", i)] {
			term.command("open " + id)
			for _, step := range []struct{ key, want string }{{"d", "Outcomes"}, {"\r", "This record will be written"}, {"y", "decided"}} {
				m := term.mark()
				term.send(step.key)
				if !term.waitFor(m, 20*time.Second, step.want) {
					t.Errorf("session %d, case %s: no %q after %q:\n%s", i, id, step.want, step.key, tail(term.screen(m), 1500))
					return
				}
			}
		}
	})
	took := time.Since(decided)
	total := sessions * decisionsEach
	t.Logf("%d decisions in %v: %.0f decisions per second (each also starts the review: two durable writes)",
		total, took.Round(time.Millisecond), float64(total)/took.Seconds())

	out, _, status := run(t, ctl, "verify", "")
	t.Logf("server: %s", strings.TrimSpace(out))
	if status != 0 || !strings.Contains(out, fmt.Sprintf("decided=%d decide_events=%d", total, total)) {
		t.Errorf("decisions lost: %s", out)
	}
	stdin.Close() // the server shuts down
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server process: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("server process did not shut down")
	}
}

// spread is the median, 99th percentile and maximum of ds, which it sorts.
func spread(ds []time.Duration) string {
	slices.Sort(ds)
	at := func(i int) time.Duration { return ds[i].Round(10 * time.Microsecond) }
	return fmt.Sprintf("median %v, p99 %v, max %v", at(len(ds)/2), at(len(ds)*99/100), at(len(ds)-1))
}

// loadIdle is how long TestLoad measures the idle server: CEEDESK_LOAD_IDLE (a duration, 0 to skip), else 10s.
func loadIdle() time.Duration {
	if v := os.Getenv("CEEDESK_LOAD_IDLE"); v != "" {
		d, _ := time.ParseDuration(v)
		return d
	}
	return 10 * time.Second
}

// processCPU is the user and system CPU time a process has used so far, from /proc (Linux only).
func processCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
	_, rest, ok := strings.Cut(string(b), ") ")
	if !ok {
		return 0, false
	}
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, false
	}
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	const ticksPerSecond = 100 // USER_HZ, the same on every Linux this runs on
	return time.Duration(utime+stime) * time.Second / ticksPerSecond, true
}

// forEach runs f for 0..n-1 with at most par at once.
func forEach(n, par int, f func(i int)) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			f(i)
		}(i)
	}
	wg.Wait()
}

// loadServer is the server process of TestLoad: a durable store with one reviewer per key and their cases, served
// until its standard input closes.
func loadServer(t *testing.T, dir string) {
	st, err := store.Open(filepath.Join(dir, "ceedesk.db"), store.Options{}) // durable: every decision is fsynced
	if err != nil {
		t.Fatal(err)
	}
	keys, err := os.ReadFile(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	perUser := 5
	fmt.Sscanf(os.Getenv("CEEDESK_LOAD_CASES"), "%d", &perUser)
	gen := synth.New(11, testToday)
	for _, u := range gen.Users() {
		if err := st.AddUser(store.Operator, u); err != nil {
			t.Fatal(err)
		}
	}
	var reviewers []string
	for _, line := range strings.Split(strings.TrimSpace(string(keys)), "\n") {
		name, key, _ := strings.Cut(line, " ")
		if name != "sofia" {
			if err := st.AddUser(store.Operator, cases.User{Name: name, Role: cases.RoleReviewer, Center: "ELEC"}); err != nil {
				t.Fatal(err)
			}
			reviewers = append(reviewers, name)
		}
		pk, _, _, _, err := gossh.ParseAuthorizedKey([]byte(key))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddKey(store.Operator, name, gossh.FingerprintSHA256(pk), key); err != nil {
			t.Fatal(err)
		}
	}
	// Cases each reviewer can decide with the first outcome of its kind.
	var pool []*cases.Case
	for len(pool) < perUser*len(reviewers) {
		c := gen.Next()
		if c.Center != "ELEC" || !c.Status.Open() || c.Status == cases.StatusPendingApproval {
			continue
		}
		if !decidableOutright(c, st.Policy()) {
			continue
		}
		c.Assignee, c.Status = "", cases.StatusNew
		pool = append(pool, c)
	}
	i := 0
	if _, err := st.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(pool) {
			return nil, false
		}
		i++
		return pool[i-1], true
	}, nil); err != nil {
		t.Fatal(err)
	}
	assigned := map[string][]string{}
	for k, name := range reviewers {
		var ids []string
		for _, c := range pool[k*perUser : (k+1)*perUser] {
			ids = append(ids, c.ID)
		}
		if _, err := st.Assign("sofia", ids, nil, name, "load test", testToday); err != nil {
			t.Fatal(err)
		}
		assigned[name] = ids
	}

	srv, err := New(Config{
		HostKeyPath: filepath.Join(dir, "host_ed25519"),
		Store:       st,
		Today:       func() cases.Date { return testToday },
		Logger:      log.NewWithOptions(io.Discard, log.Options{}),
		Command: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			switch args[0] {
			case "cpuprofile": // with a file: start profiling to it; without: stop
				if len(args) == 1 {
					pprof.StopCPUProfile()
					return 0
				}
				f, err := os.Create(args[1])
				if err == nil {
					err = pprof.StartCPUProfile(f)
				}
				if err != nil {
					fmt.Fprintln(stderr, err)
					return 1
				}
			case "memstats":
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				fmt.Fprintf(stdout, "heap=%d goroutines=%d\n", ms.HeapAlloc, runtime.NumGoroutine())
			case "verify":
				decided, events := 0, 0
				for _, ids := range assigned {
					for _, id := range ids {
						c, err := st.Case(store.Operator, id)
						if err == nil && c.Status == cases.StatusDecided && c.Decision != nil && c.Decision.By == c.Assignee {
							decided++
						}
						h, _ := st.History(store.Operator, id)
						for _, e := range h {
							if e.Action == "decide" {
								events++
							}
						}
					}
				}
				n, err := st.VerifyAudit()
				fmt.Fprintf(stdout, "decided=%d decide_events=%d audit_events=%d audit_verify=%v\n", decided, events, n, err)
				if err != nil {
					return 1
				}
			}
			return 0
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln := listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	b, _ := json.Marshal(map[string]any{"Addr": ln.Addr().String(), "Cases": assigned})
	fmt.Printf("READY %s\n", b)
	io.Copy(io.Discard, os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Error(err)
	}
	<-served
	if err := st.Close(); err != nil {
		t.Error(err)
	}
}
