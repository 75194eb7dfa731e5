package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/store"
)

// buildCeedesk compiles the command once per test binary run.
var buildOnce struct {
	sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.path != "" {
		os.RemoveAll(filepath.Dir(buildOnce.path))
	}
	os.Exit(code)
}

func ceedeskBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ceedesk-bin-")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "ceedesk")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

var ackLine = regexp.MustCompile(`^(\S+?):? .*\(version (\d+)\)$`)

// TestCrashSafety runs ceedesk as a separate process making a stream of decisions, reassignments and notes, kills
// it with SIGKILL at random moments, and after each kill checks that every acknowledged change is in the store,
// that no change is half-applied (each case's version equals its number of audit events), that the indexes agree
// with the cases, that bbolt's consistency check passes and that the audit chain verifies.
func TestCrashSafety(t *testing.T) {
	kills := 60
	if testing.Short() {
		kills = 12
	}
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("SIGKILL harness needs a Unix")
	}
	bin := ceedeskBinary(t)
	db := filepath.Join(t.TempDir(), "crash.db")
	if r := ceedesk(t, db, "", "seed", "--cases", "400"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.Queue(store.Operator, cases.QueueQuery{Center: "ELEC", Sort: cases.SortDue, OpenOnly: true, Limit: 1000, Today: cases.NewDate(2026, 11, 28)})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range page.Rows {
		ids = append(ids, r.ID)
	}
	rng := rand.New(rand.NewPCG(42, 7))
	reviewers := []string{"alice", "bob", "carol", "dave"}
	acked := map[string]uint64{} // case -> highest acknowledged version
	ackCount, lost, killedMidStream := 0, 0, 0
	deadline := time.Now().Add(3 * time.Minute)
	for k := 0; k < kills && time.Now().Before(deadline); k++ {
		var script strings.Builder
		for i := 0; i < 400; i++ {
			id := ids[rng.IntN(len(ids))]
			switch rng.IntN(3) {
			case 0:
				fmt.Fprintf(&script, "assign %s %s --reason 'rebalance %d'\n", id, reviewers[rng.IntN(len(reviewers))], k)
			case 1:
				fmt.Fprintf(&script, "note %s 'checked on run %d step %d'\n", id, k, i)
			default:
				fmt.Fprintf(&script, "decide %s --outcome %s --reason 'run %d'\n", id, []string{"allowed", "accepted", "compliant", "afr_allowed"}[rng.IntN(4)], k)
			}
		}
		cmd := exec.Command(bin, "--db", db, "--today", today, "--as", "sofia", "--config", filepath.Join(t.TempDir(), "none.toml"), "batch", "--keep-going")
		cmd.Stdin = strings.NewReader(script.String())
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan [2]string, 512)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if m := ackLine.FindStringSubmatch(sc.Text()); m != nil {
					acks <- [2]string{m[1], m[2]}
				}
			}
			close(acks)
		}()
		time.Sleep(time.Duration(20+rng.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
			killedMidStream++
		}
		for a := range acks {
			v, _ := strconv.ParseUint(a[1], 10, 64)
			ackCount++
			if v > acked[a[0]] {
				acked[a[0]] = v
			}
		}
		cmd.Wait()

		st, err := store.Open(db, store.Options{})
		if err != nil {
			t.Fatalf("kill %d: reopen: %v", k, err)
		}
		if err := st.Check(); err != nil {
			t.Fatalf("kill %d: check: %v", k, err)
		}
		if _, err := st.VerifyAudit(); err != nil {
			t.Fatalf("kill %d: audit: %v", k, err)
		}
		if _, err := st.VerifyHistory(); err != nil {
			t.Fatalf("kill %d: history: %v", k, err)
		}
		for id, v := range acked {
			c, err := st.Case(store.Operator, id)
			if err != nil {
				t.Fatalf("kill %d: case %s: %v", k, id, err)
			}
			if c.Version < v {
				lost++
				t.Errorf("kill %d: case %s acknowledged at version %d, store has %d", k, id, v, c.Version)
			}
		}
		for _, id := range ids {
			c, err := st.Case(store.Operator, id)
			if err != nil {
				t.Fatal(err)
			}
			h, err := st.History(store.Operator, id)
			if err != nil {
				t.Fatal(err)
			}
			if uint64(len(h)) != c.Version {
				t.Fatalf("kill %d: case %s is at version %d with %d audit events: a half-applied change", k, id, c.Version, len(h))
			}
		}
		st.Close()
	}
	t.Logf("crash safety: %d kills (%d mid-stream), %d acknowledged changes, %d lost", kills, killedMidStream, ackCount, lost)
	if ackCount == 0 {
		t.Fatal("no change was acknowledged: the harness tested nothing")
	}
}
