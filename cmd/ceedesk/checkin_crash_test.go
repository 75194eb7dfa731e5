package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/store"
)

// crashDesk is the fixture of the check-in crash test: a Center store, a desk file checked out of it to alice
// with many pending changes, and those changes.
type crashDesk struct {
	center, desk string
	record       *store.CheckoutRecord
	changes      []store.DeskChange
}

// newCrashDesk seeds a Center store, checks all of alice's open cases out to a desk file and makes on it, through
// the store as the workstation does: a note on each case, a decision on every other one, and a second note on every
// fourth (after its decision, where it has one).
func newCrashDesk(t *testing.T, n string) crashDesk {
	t.Helper()
	dir := t.TempDir()
	fx := crashDesk{center: filepath.Join(dir, "center.db"), desk: filepath.Join(dir, "alice.desk")}
	if r := deskRun(t, fx.center, "", "seed", "--cases", n); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	day := cases.DateOf(time.Now())
	st, err := store.Open(fx.center, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fx.record, err = st.Checkout("alice", store.CheckoutRequest{Today: day}, fx.desk)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	d, err := store.Open(fx.desk, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	decided := 0
	for i, co := range fx.record.Cases {
		if _, err := d.AddNote("alice", co.ID, 0, fmt.Sprintf("crash test note 1 on %s: the broker's invoices match", co.ID)); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			c, err := d.Case("alice", co.ID)
			if err != nil {
				t.Fatal(err)
			}
			if deskDecideStore(d, c, day) {
				decided++
			}
		}
		if i%4 == 0 {
			if _, err := d.AddNote("alice", co.ID, 0, fmt.Sprintf("crash test note 2 on %s: sent the notice", co.ID)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if fx.changes, err = d.DeskChanges(); err != nil {
		t.Fatal(err)
	}
	if decided < len(fx.record.Cases)/4 {
		t.Fatalf("only %d of %d cases took a decision on the desk", decided, len(fx.record.Cases))
	}
	return fx
}

// deskDecideStore records on a desk the first decision the rules accept on c, as decideAny does in the store's
// tests; it reports whether one was.
func deskDecideStore(d *store.Store, c *cases.Case, day cases.Date) bool {
	for _, o := range cases.Outcomes(c) {
		if o.Amount || o.Lines {
			continue
		}
		for _, ack := range []string{"", "decided after the deadline, acknowledged"} {
			if _, err := d.Decide("alice", c.ID, c.Version, cases.Decision{Outcome: o.Outcome, Reasons: "reviewed offline", LateAck: ack}, day); err == nil {
				return true
			}
		}
	}
	return false
}

// changeKey names a desk change, and the Center's audit event that landed it: its case, action and when it was
// made on the desk (the event's Offline).
func changeKey(id, action string, made time.Time) string {
	return id + " " + action + " " + made.UTC().Format(time.RFC3339Nano)
}

// crashState is what the Center store holds of the desk's work after a run: it must pass every check.
type crashState struct {
	landed   map[string]int // changeKey -> how many events landed it
	released map[string]int // case -> lease releases by check-in
	leased   int            // cases still checked out to the desk
}

func inspectCenter(t *testing.T, fx crashDesk, when string) crashState {
	t.Helper()
	st, err := store.Open(fx.center, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("%s: reopen: %v", when, err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("%s: check: %v", when, err)
	}
	if _, err := st.VerifyAudit(); err != nil {
		t.Fatalf("%s: audit: %v", when, err)
	}
	if _, err := st.VerifyHistory(); err != nil {
		t.Fatalf("%s: history: %v", when, err)
	}
	s := crashState{landed: map[string]int{}, released: map[string]int{}}
	for _, co := range fx.record.Cases {
		c, err := st.Case(store.Operator, co.ID)
		if err != nil {
			t.Fatalf("%s: case %s: %v", when, co.ID, err)
		}
		h, err := st.History(store.Operator, co.ID)
		if err != nil {
			t.Fatalf("%s: history of %s: %v", when, co.ID, err)
		}
		changed := 0
		for _, e := range h {
			switch {
			case !e.Offline.IsZero():
				s.landed[changeKey(co.ID, e.Action, e.Offline)]++
			case e.Action == "checkin":
				s.released[co.ID]++
			}
			if !strings.HasPrefix(e.Action, "checkout") && e.Action != "checkin" {
				changed++ // a lease's events change no field of the case
			}
		}
		if uint64(changed) != c.Version {
			t.Fatalf("%s: case %s is at version %d with %d events that change it: a half-applied change", when, co.ID, c.Version, changed)
		}
		if c.Lease != nil {
			s.leased++
		}
	}
	for k, n := range s.landed {
		if n > 1 {
			t.Fatalf("%s: change %s landed %d times", when, k, n)
		}
	}
	for id, n := range s.released {
		if n > 1 {
			t.Fatalf("%s: the lease of %s was released %d times", when, id, n)
		}
	}
	return s
}

// checkinProcess starts `ceedesk checkin DESK` on the Center store as a separate process.
func checkinProcess(t *testing.T, bin string, fx crashDesk, stdout io.Writer) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "--db", fx.center, "--config", filepath.Join(t.TempDir(), "none.toml"), "checkin", fx.desk)
	cmd.Stdout, cmd.Stderr = stdout, stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestCheckinSurvivesSIGKILL checks a desk file with hundreds of pending changes in by running `ceedesk checkin` as
// a separate process and killing it with SIGKILL at random moments, again and again, then once to the end. After
// every kill the Center store passes its checks, no change has landed twice and no case is half-changed; at the
// end every change of the desk landed exactly once, every lease was released once, the check-in says so, and the
// desk file records each change as landed.
func TestCheckinSurvivesSIGKILL(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("SIGKILL harness needs a Unix")
	}
	minKills := 30
	if testing.Short() {
		minKills = 10
	}
	bin := ceedeskBinary(t)
	fx := newCrashDesk(t, "2000")
	total := len(fx.changes)
	if total < 150 {
		t.Fatalf("the desk has %d changes, want 150 or more", total)
	}

	// How long a check-in takes on this machine, to kill within it: a whole one (full) and one with nothing left
	// to land (idle), on copies.
	calib := t.TempDir()
	for _, f := range [][2]string{{fx.center, "center.db"}, {fx.desk, "alice.desk"}} {
		if err := copyFile(f[0], filepath.Join(calib, f[1])); err != nil {
			t.Fatal(err)
		}
	}
	cfx := fx
	cfx.center, cfx.desk = filepath.Join(calib, "center.db"), filepath.Join(calib, "alice.desk")
	var timed [2]time.Duration
	for i := range timed {
		var out bytes.Buffer
		start := time.Now()
		if err := checkinProcess(t, bin, cfx, &out).Wait(); err != nil {
			t.Fatalf("calibration check-in %d: %v\n%s", i+1, err, out.String())
		}
		timed[i] = time.Since(start)
	}
	full, idle := timed[0], timed[1]
	perChange := max(full-idle, time.Millisecond) / time.Duration(total)

	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	kills, cut, completed, runs := 0, 0, 0, 0
	landedBefore := 0
	deadline := time.Now().Add(4 * time.Minute)
	for kills < minKills && runs < 10*minKills && time.Now().Before(deadline) {
		runs++
		remaining := total - landedBefore
		// a random moment from the start to a third of the rest of the work after half the start-up (a kill during
		// the start-up is a kill too; on a loaded machine the start-up alone may be all a late run does)
		window := idle + time.Duration(remaining)*perChange/3
		delay := time.Duration(rng.Int64N(int64(window)))
		cmd := checkinProcess(t, bin, fx, io.Discard)
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			kills++
		} else {
			completed++
		}
		s := inspectCenter(t, fx, fmt.Sprintf("run %d (after %v)", runs, delay.Round(time.Millisecond)))
		if len(s.landed) < landedBefore {
			t.Fatalf("run %d: %d changes landed, %d before it", runs, len(s.landed), landedBefore)
		}
		if len(s.landed) > landedBefore && len(s.landed) < total {
			cut++ // killed mid-stream: some changes landed, others were still to land
		}
		landedBefore = len(s.landed)
	}
	if kills < minKills {
		t.Fatalf("%d kills in %d runs (%d ran to the end), want %d", kills, runs, completed, minKills)
	}
	if cut == 0 {
		t.Errorf("no kill cut a check-in off mid-stream (%d kills, %d runs): the harness did not test resuming", kills, runs)
	}

	// the last check-in, uninterrupted
	var out bytes.Buffer
	if err := checkinProcess(t, bin, fx, &out).Wait(); err != nil {
		t.Fatalf("the last check-in: %v\n%s", err, out.String())
	}
	rest := total - landedBefore
	totals := fmt.Sprintf("%d landed, 0 conflicts, 0 refused, %d landed at an earlier check-in;", rest, landedBefore)
	if !strings.Contains(out.String(), totals) {
		t.Errorf("the last check-in: want %q in:\n%s", totals, lastLines(out.String(), 3))
	}
	s := inspectCenter(t, fx, "the end")
	st, err := store.Open(fx.center, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, ch := range fx.changes {
		k := changeKey(ch.Op.Case, ch.Op.Action, ch.Made)
		if s.landed[k] != 1 {
			t.Errorf("change %d (%s) landed %d times, want once", ch.Seq, k, s.landed[k])
		}
		if ch.Op.Action == "note" {
			c, err := st.Case(store.Operator, ch.Op.Case)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, note := range c.Notes {
				if note.Text == ch.Op.Text {
					n++
				}
			}
			if n != 1 {
				t.Errorf("note %q is on %s %d times, want once", ch.Op.Text, ch.Op.Case, n)
			}
		}
	}
	if len(s.landed) != total {
		t.Errorf("%d changes landed at the Center, the desk made %d", len(s.landed), total)
	}
	if s.leased != 0 || len(s.released) != len(fx.record.Cases) {
		t.Errorf("after the check-in %d cases are still checked out and %d of %d leases were released", s.leased, len(s.released), len(fx.record.Cases))
	}
	if rows, err := st.Leases("sofia"); err != nil || len(rows) != 0 {
		t.Errorf("checkout list after the check-in: %d cases, %v", len(rows), err)
	}
	d, err := store.Open(fx.desk, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	changes, err := d.DeskChanges()
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range changes {
		if ch.State != store.Landed {
			t.Errorf("the desk file records change %d as %q (%s), want landed", ch.Seq, ch.State, ch.Detail)
		}
	}
	t.Logf("check-in crash safety: %d changes on %d cases; %d kills (%d mid-stream) in %d runs, %d ran to the end; %d changes landed under the kills, %d in the last check-in; a whole check-in took %v, one with nothing to land %v",
		total, len(fx.record.Cases), kills, cut, runs, completed, landedBefore, rest, full.Round(time.Millisecond), idle.Round(time.Millisecond))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
