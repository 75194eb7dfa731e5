package server

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/store"

	gossh "golang.org/x/crypto/ssh"
)

// The soak's cast: 50 concurrent SSH sessions on one server and one store, all in the ELEC Center.
const (
	soakSessions    = 50
	soakSupervisors = 5                                          // sofia and sup1-sup4, by command: reassign, approve, return, filter the Center's queue
	soakDesks       = 10                                         // reviewers at a workstation (PTY): move, filter, decide on screen
	soakReviewers   = soakSessions - soakSupervisors - soakDesks // by command: decide, note, request information, filter
)

// TestSoak puts 50 concurrent sessions on one server, each doing a fixed number of random actions (reviewers
// decide, note, request information and filter, at a workstation or by command; supervisors reassign, approve,
// return and filter), while an admin takes a backup through the server half way through. Then every
// invariant must hold: every acknowledged write is in the audit log at the version it was acknowledged with,
// every decide event was acknowledged once (nothing lost, nothing doubled), every case is in exactly one queue,
// the store and its audit chain check, and so does the backup. It reports actions per second and the slowest
// action (from sending its keys or command to its acknowledgement).
//
// Loopback only, and it stops by itself: 10 actions per session by default;
//
//	CEEDESK_SOAK_ACTIONS=200 go test -run TestSoak -v -timeout 30m ./cmd/ceedesk/internal/server/
//
// scales it up (CEEDESK_SOAK_SEED picks other random choices).
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: leave out -short")
	}
	actions := 10
	if v := os.Getenv("CEEDESK_SOAK_ACTIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("CEEDESK_SOAK_ACTIONS=%q: want a number of actions per session, 1 or more", v)
		}
		actions = n
	}
	seed := uint64(1)
	if v := os.Getenv("CEEDESK_SOAK_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CEEDESK_SOAK_SEED=%q: want a number", v)
		}
		seed = n
	}
	// Every wait below has its own deadline; this one bounds the whole run, and every connection dies with it.
	budget := 2*time.Minute + time.Duration(actions)*time.Second

	sk := &soak{t: t, actions: actions, half: make(chan struct{}), refused: map[string]int{}}
	sk.fx = start(t, fixtureOptions{cli: true, load: sk.seed})
	fx := sk.fx

	type worker struct {
		name string
		role string // "reviewer", "desk", "supervisor"
		id   identity
		c    *gossh.Client
		term *terminal
	}
	var workers []*worker
	for i := 0; i < soakReviewers; i++ {
		workers = append(workers, &worker{name: fmt.Sprintf("rev%02d", i+1), role: "reviewer"})
	}
	for i := 0; i < soakDesks; i++ {
		workers = append(workers, &worker{name: fmt.Sprintf("desk%02d", i+1), role: "desk"})
	}
	for _, name := range sk.supervisors() {
		workers = append(workers, &worker{name: name, role: "supervisor"})
	}
	for _, w := range workers {
		w.id = fx.user(w.name)
	}
	admin := fx.user("admin")

	// Everyone connects and every workstation draws before anyone acts, so the actions overlap.
	var openErrs []error
	var mu sync.Mutex
	forEach(len(workers), 10, func(i int) {
		w := workers[i]
		c, err := dialFor(t, budget+time.Minute, fx.addr, w.name, gossh.PublicKeys(w.id.signer))
		if err == nil && w.role == "desk" {
			w.term, err = startTerminal(t, c, 120, 40, "xterm-256color", nil)
			if err == nil && !w.term.waitFor(0, 30*time.Second, w.name+" (reviewer)", "to filter") {
				err = fmt.Errorf("no workstation:\n%s", tail(w.term.screen(0), 2000))
			}
		}
		w.c = c
		if err != nil {
			mu.Lock()
			openErrs = append(openErrs, fmt.Errorf("%s: %w", w.name, err))
			mu.Unlock()
		}
	})
	if len(openErrs) > 0 {
		t.Fatalf("sessions did not open: %v", openErrs)
	}
	adminConn, err := dialFor(t, budget+time.Minute, fx.addr, "admin", gossh.PublicKeys(admin.signer))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { adminConn.Close() })
	for _, w := range workers {
		t.Cleanup(func() { w.c.Close() })
	}

	// The backup runs once half the actions are done, while the other half are under way.
	backupPath := filepath.Join(filepath.Dir(fx.st.Path()), "backups", "soak.db") // backup NAME over SSH lands in the backup directory
	backup := make(chan error, 1)
	var backupTook time.Duration
	var backupAt int64
	finished := make(chan struct{})
	go func() {
		select {
		case <-sk.half:
		case <-finished:
		}
		backupAt = sk.done.Load()
		began := time.Now()
		out, errOut, status, err := runCommand(adminConn, "backup soak.db", "", time.Minute)
		backupTook = time.Since(began)
		switch {
		case err != nil:
			backup <- err
		case status != 0 || !strings.Contains(out, "backup soak.db written"):
			backup <- fmt.Errorf("backup: status %d, %q %q", status, out, errOut)
		default:
			backup <- nil
		}
	}()

	began := time.Now()
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			var err error
			switch w.role {
			case "reviewer":
				err = sk.reviewer(w.name, w.c, rng)
			case "desk":
				err = sk.desk(w.name, w.term, rng)
			case "supervisor":
				err = sk.supervisor(w.name, w.c, rng)
			}
			if err != nil {
				sk.fail(fmt.Errorf("%s: %w", w.name, err))
			}
		}()
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	select {
	case <-allDone:
	case <-time.After(budget):
		buf := make([]byte, 1<<20)
		t.Fatalf("soak still running after %v (%d of %d actions done)\n%s", budget, sk.done.Load(),
			len(workers)*actions, buf[:runtime.Stack(buf, true)])
	}
	took := time.Since(began)
	close(finished)
	select {
	case err := <-backup:
		if err != nil {
			t.Errorf("backup during the soak: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the backup never finished")
	}
	for _, err := range sk.errs {
		t.Error(err)
	}

	sk.report(took, backupTook, backupAt, len(workers)*actions)
	sk.checkWrites()
	sk.checkQueues()
	if err := fx.st.Check(); err != nil {
		t.Errorf("store check after the soak: %v", err)
	}
	if n, err := fx.st.VerifyAudit(); err != nil {
		t.Errorf("audit chain after the soak (%d events): %v", n, err)
	}
	checkBackup(t, backupPath)
}

// soak is the state of one soak run shared by its workers.
type soak struct {
	t       *testing.T
	fx      *fixture
	actions int

	// set up before the workers start, read-only after
	decidable map[string][]string // desk reviewer -> cases its first outcome decides on screen
	pool      []string            // every case of the soak

	done atomic.Int64  // actions finished
	half chan struct{} // closed when half the actions are done
	once sync.Once

	mu      sync.Mutex
	acks    []ack          // writes acknowledged by a command, with their version
	screen  []ack          // decisions acknowledged on a workstation's screen (no version shown)
	timings []timing       // every action
	refused map[string]int // actions the store refused, by why
	errs    []error
}

type ack struct {
	action, actor, id string
	version           uint64
}

type timing struct {
	what string
	took time.Duration
}

func (sk *soak) supervisors() []string { return []string{"sofia", "sup1", "sup2", "sup3", "sup4"} }

func (sk *soak) fail(err error) {
	sk.mu.Lock()
	sk.errs = append(sk.errs, err)
	sk.mu.Unlock()
}

// finished counts an action and its time.
func (sk *soak) finished(what string, took time.Duration) {
	sk.mu.Lock()
	sk.timings = append(sk.timings, timing{what, took})
	sk.mu.Unlock()
	total := int64((soakReviewers + soakDesks + soakSupervisors) * sk.actions)
	if sk.done.Add(1) >= total/2 {
		sk.once.Do(func() { close(sk.half) })
	}
}

// seed gives every reviewer of the soak its own caseload: command reviewers enough open cases for their
// decisions, desk reviewers cases their kind's first outcome decides on screen plus some to move through.
func (sk *soak) seed(st *store.Store, gen *synth.Generator) {
	t := sk.t
	for _, name := range sk.supervisors()[1:] {
		if err := st.AddUser(store.Operator, cases.User{Name: name, Role: cases.RoleSupervisor, Center: "ELEC"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < soakReviewers; i++ {
		if err := st.AddUser(store.Operator, cases.User{Name: fmt.Sprintf("rev%02d", i+1), Role: cases.RoleReviewer, Center: "ELEC"}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < soakDesks; i++ {
		if err := st.AddUser(store.Operator, cases.User{Name: fmt.Sprintf("desk%02d", i+1), Role: cases.RoleReviewer, Center: "ELEC"}); err != nil {
			t.Fatal(err)
		}
	}
	perReviewer := sk.actions/2 + 4
	perDesk := sk.actions/4 + 2
	const deskFiller = 6
	var any, easy []*cases.Case
	for len(any) < soakReviewers*perReviewer+soakDesks*deskFiller || len(easy) < soakDesks*perDesk {
		c := gen.Next()
		if c.Center != "ELEC" || !c.Status.Open() || c.Status == cases.StatusPendingApproval {
			continue
		}
		c.Assignee, c.Status, c.Decision, c.Version = "", cases.StatusNew, nil, 0
		if len(easy) < soakDesks*perDesk && decidableOutright(c, st.Policy()) {
			easy = append(easy, c)
		} else {
			any = append(any, c)
		}
	}
	all := append(slices.Clone(any), easy...)
	slices.SortFunc(all, func(a, b *cases.Case) int { return strings.Compare(a.ID, b.ID) })
	i := 0
	if _, err := st.Load(store.Operator, func() (*cases.Case, bool) {
		if i == len(all) {
			return nil, false
		}
		i++
		return all[i-1], true
	}, nil); err != nil {
		t.Fatalf("load the soak's cases: %v", err)
	}
	give := func(name string, cs []*cases.Case) {
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		if _, err := st.Assign("sofia", ids, nil, name, "soak", testToday); err != nil {
			t.Fatalf("assign to %s: %v", name, err)
		}
	}
	sk.decidable = map[string][]string{}
	for i := 0; i < soakReviewers; i++ {
		give(fmt.Sprintf("rev%02d", i+1), any[i*perReviewer:(i+1)*perReviewer])
	}
	filler := any[soakReviewers*perReviewer:]
	for i := 0; i < soakDesks; i++ {
		name := fmt.Sprintf("desk%02d", i+1)
		mine := easy[i*perDesk : (i+1)*perDesk]
		for _, c := range mine {
			sk.decidable[name] = append(sk.decidable[name], c.ID)
		}
		give(name, append(slices.Clone(mine), filler[i*deskFiller:(i+1)*deskFiller]...))
	}
	for _, c := range all {
		sk.pool = append(sk.pool, c.ID)
	}
}

// --- reviewers and supervisors by command ----------------------------------------------------------------------

var versionLine = regexp.MustCompile(`(?m)^([^\s:]+):? .*\(version (\d+)\)\s*$`)

// command runs one write or read as user and records what came of it. A write's acknowledgement is its output
// line naming the case and the new version; a refusal by the store (exit status 1) is counted by its reason.
func (sk *soak) command(c *gossh.Client, user, action, line string, writes int) error {
	began := time.Now()
	out, errOut, status, err := runCommand(c, line, "", 30*time.Second)
	took := time.Since(began)
	if err != nil {
		return err
	}
	sk.finished(user+" "+line, took)
	switch status {
	case 0:
	case 1:
		why, ok := refusal(errOut)
		if !ok { // a failure other than losing a race to another session's change
			return fmt.Errorf("%s: refused: %s", line, strings.TrimSpace(errOut))
		}
		sk.mu.Lock()
		sk.refused[action+": "+why]++
		sk.mu.Unlock()
		return nil
	default:
		return fmt.Errorf("%s: status %d: %s", line, status, strings.TrimSpace(errOut))
	}
	if writes == 0 {
		if !strings.Contains(out, "open") {
			return fmt.Errorf("%s: %q", line, out)
		}
		return nil
	}
	found := versionLine.FindAllStringSubmatch(out, -1)
	if len(found) != writes {
		return fmt.Errorf("%s: %d acknowledgements in %q; want %d", line, len(found), out, writes)
	}
	sk.mu.Lock()
	defer sk.mu.Unlock()
	for _, f := range found {
		v, _ := strconv.ParseUint(f[2], 10, 64)
		sk.acks = append(sk.acks, ack{action: action, actor: user, id: f[1], version: v})
	}
	return nil
}

// refusal is the kind of a refusal, for the report: the store's reason without case ids, names and times. It
// is false for anything but the refusals concurrent sessions cause each other: a case changed, reassigned,
// decided, approved or returned by someone else between the pick and the command.
func refusal(stderr string) (string, bool) {
	for _, kind := range []string{"was changed by", "only the assignee", "already decided", "already has a decision waiting",
		"no decision waiting", "is decided", "original decision"} {
		if strings.Contains(stderr, kind) {
			return kind, true
		}
	}
	return "", false
}

// mine is one of reviewer's open cases the pick accepts, chosen at random; "" when there is none.
func (sk *soak) mine(reviewer string, rng *rand.Rand, pick func(cases.QueueRow) bool) string {
	page, err := sk.fx.st.Queue(store.Operator, cases.QueueQuery{Assignee: reviewer, OpenOnly: true, Limit: store.MaxPage, Today: testToday})
	if err != nil {
		sk.fail(err)
		return ""
	}
	var ids []string
	for _, r := range page.Rows {
		if pick(r) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return ids[rng.IntN(len(ids))]
}

var soakFilters = []string{"kind:protest", "kind:psc,pea", "due:<60d", "amount:>1000", "acme", "status:review", "due:overdue"}

func (sk *soak) reviewer(name string, c *gossh.Client, rng *rand.Rand) error {
	notPending := func(r cases.QueueRow) bool { return r.Status != cases.StatusPendingApproval }
	for k := 0; k < sk.actions; k++ {
		var err error
		roll := rng.IntN(100)
		id := sk.mine(name, rng, notPending)
		switch {
		case roll < 40 && id != "":
			line, ok := sk.decision(id, rng)
			if !ok {
				err = sk.command(c, name, "note", fmt.Sprintf("note %s 'soak: nothing to decide with'", id), 1)
				break
			}
			err = sk.command(c, name, "decide", line, 1)
		case roll < 65 && id != "":
			err = sk.command(c, name, "note", fmt.Sprintf("note %s 'soak: called the filer, note %d'", id, k), 1)
		case roll < 75 && id != "":
			err = sk.command(c, name, "request_info", fmt.Sprintf("request-info %s 'soak: send the commercial invoices'", id), 1)
		default:
			err = sk.command(c, name, "queue", fmt.Sprintf("queue --filter '%s' --limit 20", soakFilters[rng.IntN(len(soakFilters))]), 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// decision is a decide command for the case with a random outcome its kind allows and whatever that outcome
// needs; false when the case has gone.
func (sk *soak) decision(id string, rng *rand.Rand) (string, bool) {
	c, err := sk.fx.st.Case(store.Operator, id)
	if err != nil {
		return "", false
	}
	var fits []cases.OutcomeSpec
	for _, s := range cases.Outcomes(c) {
		switch {
		case s.Lines && len(c.Entry.Lines) == 0:
		case s.Outcome == cases.OutcomeDeniedInPart && (c.Protest == nil || c.Protest.Claimed <= 100):
		default:
			fits = append(fits, s)
		}
	}
	if len(fits) == 0 {
		return "", false
	}
	s := fits[rng.IntN(len(fits))]
	// --acknowledge-late: a case past liquidation or deemed denied is decided with the acknowledgement; in time the
	// flag records nothing
	line := fmt.Sprintf("decide %s --outcome %s --reason 'soak: reasons for %s' --acknowledge-late", id, s.Outcome, s.Outcome)
	if s.Amount {
		line += " --amount 1.00"
	}
	if s.Lines {
		line += fmt.Sprintf(" --lines %d", c.Entry.Lines[0].Number)
	}
	return line, true
}

func (sk *soak) supervisor(name string, c *gossh.Client, rng *rand.Rand) error {
	for k := 0; k < sk.actions; k++ {
		var err error
		roll := rng.IntN(100)
		pending := sk.pending(name, rng)
		switch {
		case roll < 40 && pending != "" && rng.IntN(10) < 7:
			err = sk.command(c, name, "approve", fmt.Sprintf("approve %s --comment 'soak: agreed'", pending), 1)
		case roll < 40 && pending != "":
			err = sk.command(c, name, "return", fmt.Sprintf("return %s --comment 'soak: cite the ruling'", pending), 1)
		case roll < 80:
			from := fmt.Sprintf("rev%02d", 1+rng.IntN(soakReviewers))
			to := fmt.Sprintf("rev%02d", 1+rng.IntN(soakReviewers))
			id := sk.mine(from, rng, func(cases.QueueRow) bool { return true })
			if id == "" || from == to {
				err = sk.command(c, name, "queue", "queue "+from+" --limit 20", 0)
				break
			}
			err = sk.command(c, name, "assign", fmt.Sprintf("assign %s %s --reason 'soak: rebalance'", id, to), 1)
		default:
			err = sk.command(c, name, "queue", fmt.Sprintf("queue --center ELEC --filter '%s' --limit 20", soakFilters[rng.IntN(len(soakFilters))]), 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// pending is a decision waiting for approval that supervisor did not make, chosen at random; "" when none.
func (sk *soak) pending(supervisor string, rng *rand.Rand) string {
	rows, err := sk.fx.st.Approvals(store.Operator, "ELEC")
	if err != nil {
		sk.fail(err)
		return ""
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	for _, r := range rows {
		if c, err := sk.fx.st.Case(store.Operator, r.ID); err == nil && c.Decision != nil && c.Decision.By != supervisor {
			return r.ID
		}
	}
	return ""
}

// --- reviewers at a workstation ----------------------------------------------------------------------------------

var queuePosition = regexp.MustCompile(`· (\d+) of (\d+)`)

// position is the queue's cursor line and length as last drawn since mark.
func position(term *terminal, from int) (pos, total int, ok bool) {
	found := queuePosition.FindAllStringSubmatch(term.screen(from), -1)
	if len(found) == 0 {
		return 0, 0, false
	}
	last := found[len(found)-1]
	pos, _ = strconv.Atoi(last[1])
	total, _ = strconv.Atoi(last[2])
	return pos, total, true
}

const deskWait = 20 * time.Second

// desk is a reviewer at a workstation: moves through the queue, filters it and clears the filter, and decides
// cases on screen (open, d, enter, y), each acknowledged by what the screen then shows.
func (sk *soak) desk(name string, term *terminal, rng *rand.Rand) error {
	pos, total, ok := position(term, 0)
	if !ok {
		return fmt.Errorf("no queue position on the first screen:\n%s", tail(term.screen(0), 2000))
	}
	decidable := slices.Clone(sk.decidable[name])
	filtered := ""
	// step sends keys and waits for every want after them; it returns when it was sent.
	step := func(keys string, want ...string) (int, error) {
		m := term.mark()
		if err := term.write(keys); err != nil {
			return m, err
		}
		if len(want) == 0 {
			if !term.waitOutput(m, deskWait) {
				return m, fmt.Errorf("no screen update after %q:\n%s", keys, tail(term.screen(0), 2000))
			}
			return m, nil
		}
		if !term.waitFor(m, deskWait, want...) {
			return m, fmt.Errorf("screen never showed %q after %q:\n%s", want, keys, tail(term.screen(m), 2000))
		}
		return m, nil
	}
	resync := func(from int) error {
		var ok bool
		if pos, total, ok = position(term, from); !ok {
			if pos, total, ok = position(term, 0); !ok {
				return fmt.Errorf("no queue position on screen:\n%s", tail(term.screen(from), 2000))
			}
		}
		return nil
	}
	for k := 0; k < sk.actions; k++ {
		roll := rng.IntN(100)
		began := time.Now()
		var what string
		switch {
		case roll < 25 && len(decidable) > 0:
			id := decidable[0]
			decidable = decidable[1:]
			what = "decide " + id + " on screen"
			if _, err := step(":"); err != nil {
				return err
			}
			if _, err := step("open " + id); err != nil {
				return err
			}
			if _, err := step("\r", id, "d decide"); err != nil { // the case is open
				return err
			}
			if _, err := step("d", "Outcomes"); err != nil {
				return err
			}
			if _, err := step("\r", "This record will be written"); err != nil {
				return err
			}
			if _, err := step("y", "case "+id+" decided"); err != nil {
				return err
			}
			sk.mu.Lock()
			sk.screen = append(sk.screen, ack{action: "decide", actor: name, id: id})
			sk.mu.Unlock()
			sk.finished(name+" "+what, time.Since(began))
			m, err := step("\x1b", "sort: ") // back to the queue
			if err != nil {
				return err
			}
			if err := resync(m); err != nil {
				return err
			}
			continue
		case filtered != "" && (roll < 55 || total < 2):
			what = "clear filter " + filtered
			m, err := step("\x1b", "/ to filter")
			if err != nil {
				return err
			}
			filtered = ""
			if err := resync(m); err != nil {
				return err
			}
		case roll < 55 || total < 2: // the filter input starts from the filter in force, so only when there is none
			q := soakFilters[rng.IntN(len(soakFilters))]
			what = "filter " + q
			if _, err := step("/"); err != nil {
				return err
			}
			if _, err := step(q, q); err != nil {
				return err
			}
			m, err := step("\r", "filter: "+q)
			if err != nil {
				return err
			}
			filtered = q
			if err := resync(m); err != nil {
				return err
			}
		default:
			key, next := "j", pos+1
			if pos == total || (pos > 1 && rng.IntN(2) == 0) {
				key, next = "k", pos-1
			}
			what = "move " + key
			if _, err := step(key, fmt.Sprintf("· %d of %d", next, total)); err != nil {
				return err
			}
			pos = next
		}
		sk.finished(name+" "+what, time.Since(began))
	}
	return nil
}

// --- after the soak ----------------------------------------------------------------------------------------------

func (sk *soak) report(took, backupTook time.Duration, backupAt int64, total int) {
	t := sk.t
	slices.SortFunc(sk.timings, func(a, b timing) int { return int(a.took - b.took) })
	count := map[string]int{}
	for _, a := range sk.acks {
		count[a.action]++
	}
	if len(sk.timings) == 0 {
		t.Error("no action finished")
		return
	}
	slowest := sk.timings[len(sk.timings)-1]
	t.Logf("soak: %d sessions (%d reviewers by command, %d at a workstation, %d supervisors) × %d actions = %d actions in %v: %.0f actions/s",
		soakSessions, soakReviewers, soakDesks, soakSupervisors, sk.actions, len(sk.timings), took.Round(time.Millisecond),
		float64(len(sk.timings))/took.Seconds())
	t.Logf("soak: action to acknowledgement: median %v, p99 %v, slowest %v (%s)",
		sk.timings[len(sk.timings)/2].took.Round(100*time.Microsecond), sk.timings[len(sk.timings)*99/100].took.Round(100*time.Microsecond),
		slowest.took.Round(100*time.Microsecond), slowest.what)
	var slowCommand, slowScreen timing
	for _, tm := range sk.timings {
		slow := &slowCommand
		if strings.HasPrefix(tm.what, "desk") {
			slow = &slowScreen
		}
		if tm.took > slow.took {
			*slow = tm
		}
	}
	t.Logf("soak: slowest command %v (%s); slowest workstation action %v (%s)", slowCommand.took.Round(100*time.Microsecond),
		slowCommand.what, slowScreen.took.Round(100*time.Microsecond), slowScreen.what)
	t.Logf("soak: acknowledged %d decisions by command and %d on screen, %d notes, %d requests for information, %d reassignments, %d approvals, %d returns",
		count["decide"], len(sk.screen), count["note"], count["request_info"], count["assign"], count["approve"], count["return"])
	var why []string
	for _, k := range slices.Sorted(maps.Keys(sk.refused)) {
		why = append(why, fmt.Sprintf("%s ×%d", k, sk.refused[k]))
	}
	t.Logf("soak: refused by the store: %d (%s)", sumValues(sk.refused), strings.Join(why, "; "))
	t.Logf("soak: backup through the server after %d of %d actions took %v", backupAt, total, backupTook.Round(time.Millisecond))
	if len(sk.timings) != total {
		t.Errorf("%d actions finished; want %d", len(sk.timings), total)
	}
}

// checkWrites holds every acknowledged write against the audit log: the event at the acknowledged version is
// that write; each case's version is the number of its events; every decide event was acknowledged exactly
// once; a decision is decided again only after a return; and each case shows its last decision.
func (sk *soak) checkWrites() {
	t, st := sk.t, sk.fx.st
	byCase := map[string][]ack{}
	for _, a := range append(slices.Clone(sk.acks), sk.screen...) {
		byCase[a.id] = append(byCase[a.id], a)
	}
	for _, id := range sk.pool {
		c, err := st.Case(store.Operator, id)
		if err != nil {
			t.Errorf("case %s: %v", id, err)
			continue
		}
		hist, err := st.History(store.Operator, id)
		if err != nil {
			t.Errorf("history of %s: %v", id, err)
			continue
		}
		if uint64(len(hist)) != c.Version {
			t.Errorf("case %s is at version %d with %d audit events", id, c.Version, len(hist))
		}
		ackedDecides, events := 0, 0
		for _, a := range byCase[id] {
			if a.action == "decide" {
				ackedDecides++
			}
			if a.version == 0 { // on screen: the decide event is by this reviewer
				found := false
				for _, e := range hist {
					found = found || e.Action == "decide" && e.Actor == a.actor
				}
				if !found {
					t.Errorf("decision by %s on %s acknowledged on screen is not in the audit log", a.actor, id)
				}
				if !sk.fx.logHas("decide", "user="+a.actor, "case="+id, "remote=") {
					t.Errorf("decision by %s on %s is not in the server log", a.actor, id)
				}
				continue
			}
			if a.version > uint64(len(hist)) {
				t.Errorf("%s by %s on %s acknowledged at version %d; the case has %d events", a.action, a.actor, id, a.version, len(hist))
				continue
			}
			if e := hist[a.version-1]; e.Action != a.action || e.Actor != a.actor || e.Case != id {
				t.Errorf("%s by %s on %s acknowledged at version %d; the audit event there is %s by %s on %s",
					a.action, a.actor, id, a.version, e.Action, e.Actor, e.Case)
			}
		}
		var open *cases.Event // the decision not yet returned
		for i := range hist {
			e := &hist[i]
			switch e.Action {
			case "decide":
				events++
				if open != nil {
					t.Errorf("case %s decided again by %s (seq %d) while %s's decision (seq %d) stood", id, e.Actor, e.Seq, open.Actor, open.Seq)
				}
				open = e
			case "return":
				if open == nil {
					t.Errorf("case %s: return (seq %d) with no decision to return", id, e.Seq)
				}
				open = nil
			case "approve":
				if open == nil {
					t.Errorf("case %s: approval (seq %d) with no decision to approve", id, e.Seq)
				}
			}
		}
		if events != ackedDecides {
			t.Errorf("case %s has %d decide events; %d decisions were acknowledged", id, events, ackedDecides)
		}
		switch {
		case open == nil && c.Decision != nil:
			t.Errorf("case %s carries a decision by %s that the audit log does not", id, c.Decision.By)
		case open != nil && (c.Decision == nil || c.Decision.By != open.Actor):
			t.Errorf("case %s: the audit log's last decision is %s's; the case carries %+v", id, open.Actor, c.Decision)
		case open != nil && c.Status != cases.StatusDecided && c.Status != cases.StatusPendingApproval:
			t.Errorf("case %s has a decision but status %s", id, c.Status)
		}
	}
}

// checkQueues checks that every open case of the Center is in exactly one person's queue, or in nobody's when
// it is unassigned, and that the queues' totals add up to the Center's.
func (sk *soak) checkQueues() {
	t, st := sk.t, sk.fx.st
	users, err := st.Users(store.Operator, "ELEC")
	if err != nil {
		t.Fatal(err)
	}
	holder := map[string]string{}
	sum := 0
	for _, u := range users {
		page, err := st.Queue(store.Operator, cases.QueueQuery{Assignee: u.Name, OpenOnly: true, Limit: store.MaxPage, Today: testToday})
		if err != nil {
			t.Fatal(err)
		}
		sum += page.Total
		if len(page.Rows) != page.Total {
			t.Errorf("%s's queue: %d rows of %d", u.Name, len(page.Rows), page.Total)
		}
		for _, r := range page.Rows {
			if other, dup := holder[r.ID]; dup {
				t.Errorf("case %s is in the queues of %s and %s", r.ID, other, u.Name)
			}
			holder[r.ID] = u.Name
			if r.Assignee != u.Name {
				t.Errorf("case %s is in %s's queue but assigned to %s", r.ID, u.Name, r.Assignee)
			}
		}
	}
	center, err := st.Queue(store.Operator, cases.QueueQuery{Center: "ELEC", OpenOnly: true, Limit: store.MaxPage, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := st.Counts(store.Operator, cases.QueueQuery{Center: "ELEC", OpenOnly: true, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	unassigned := 0
	for _, r := range center.Rows {
		switch {
		case r.Assignee == "":
			unassigned++
		case holder[r.ID] != r.Assignee:
			t.Errorf("open case %s is assigned to %s but in the queue of %q", r.ID, r.Assignee, holder[r.ID])
		}
	}
	if sum+unassigned != center.Total || counts.Open != center.Total {
		t.Errorf("the reviewers' queues hold %d open cases and %d are unassigned; the Center has %d open (counts say %d)",
			sum, unassigned, center.Total, counts.Open)
	}
}

// checkBackup opens the backup taken during the soak read-only and checks it and its audit chain.
func checkBackup(t *testing.T, path string) {
	t.Helper()
	b, err := store.Open(path, store.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer b.Close()
	if err := b.Check(); err != nil {
		t.Errorf("backup check: %v", err)
	}
	n, err := b.VerifyAudit()
	if err != nil {
		t.Errorf("backup audit chain: %v", err)
	}
	t.Logf("soak: the backup opens read-only, checks, and verifies %d audit events", n)
}

func sumValues(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
