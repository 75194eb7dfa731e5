package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"ceedesk/cases"
	"ceedesk/store"
)

// The offline desk's tests run ceedesk on the real date, as a Center and a reviewer's laptop do: no --today. A
// desk's changes are dated by the rules' date, and a check-in judges them against the wall clock of the checkout
// (see TestOfflineDeskUnderFixedToday for what a fixed --today does to that).

// deskRun is ceedesk run in-process on db with stdin, on the real date and with no config file.
func deskRun(t *testing.T, db, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--db", db, "--config", filepath.Join(t.TempDir(), "none.toml")}, args...)
	code := run(context.Background(), full, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// deskServe runs `ceedesk serve` on db in-process on a port of its choosing on 127.0.0.1, on the real date, until
// stop (or the test's end); addr is the address it logged. It is serveInBackground without --today.
func deskServe(t *testing.T, db string) (addr string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var logs lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--db", db, "--config", filepath.Join(t.TempDir(), "none.toml"),
			"serve", "--listen", "127.0.0.1:0", "--host-key", filepath.Join(t.TempDir(), "hk")}, strings.NewReader(""), &logs, &logs)
	}()
	serving := regexp.MustCompile(`serving addr=(\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := serving.FindStringSubmatch(logs.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited %d before serving:\n%s", code, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" {
		cancel()
		t.Fatalf("serve listens on %s, not loopback", addr)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d:\n%s", code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return addr, stop
}

// deskKey is a user's SSH identity, known to the store.
type deskKey struct {
	user   string
	signer gossh.Signer
}

// newDeskKey makes a key pair for user and adds its public half to the store at db (`ceedesk key add`).
func newDeskKey(t *testing.T, db, user string) deskKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), user+".pub")
	if err := os.WriteFile(file, gossh.MarshalAuthorizedKey(signer.PublicKey()), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := deskRun(t, db, "", "key", "add", user, file); r.code != 0 {
		t.Fatalf("key add %s: %d %s", user, r.code, r.stderr)
	}
	return deskKey{user: user, signer: signer}
}

// sshResult is what a command run over SSH returned.
type sshResult struct {
	code   int
	stdout []byte
	stderr string
}

// sshDeadline bounds one command over SSH, from dialling to its exit status: the connection is closed under it
// when it has passed. It is far longer than any command here needs.
const sshDeadline = 2 * time.Minute

// ssh runs command as k's user over SSH on the server at addr (loopback), with stdin on its standard input, as
// `ssh -p PORT user@127.0.0.1 command < stdin` does, and returns its exit status and output.
func (k deskKey) ssh(t *testing.T, addr string, stdin []byte, command string) sshResult {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("ssh %s@%s: %v", k.user, addr, err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(sshDeadline))
	c, chans, reqs, err := gossh.NewClientConn(conn, addr, &gossh.ClientConfig{
		User: k.user, Auth: []gossh.AuthMethod{gossh.PublicKeys(k.signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(),
	})
	if err != nil {
		t.Fatalf("ssh %s@%s: handshake: %v", k.user, addr, err)
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatalf("ssh %s@%s: session: %v", k.user, addr, err)
	}
	defer sess.Close()
	var out, errb bytes.Buffer
	if stdin != nil {
		sess.Stdin = bytes.NewReader(stdin)
	}
	sess.Stdout, sess.Stderr = &out, &errb
	err = sess.Run(command)
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return sshResult{0, out.Bytes(), errb.String()}
	case errors.As(err, &exit):
		return sshResult{exit.ExitStatus(), out.Bytes(), errb.String()}
	}
	t.Fatalf("ssh %s@%s %s: %v (stderr %q)", k.user, addr, firstWords(command), err, errb.String())
	return sshResult{}
}

func firstWords(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// auditEvents is the number of events `audit verify` found (it must pass).
func auditEvents(t *testing.T, how string, stdout string, code int, stderr string) int {
	t.Helper()
	m := regexp.MustCompile(`audit log verified: (\d+) events, chain intact`).FindStringSubmatch(stdout)
	if code != 0 || m == nil {
		t.Fatalf("audit verify %s: %d\n%s%s", how, code, stdout, stderr)
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// deskCase is a case as `case --json` prints it on the desk file.
func deskCase(t *testing.T, desk, id string) cases.Case {
	t.Helper()
	r := deskRun(t, desk, "", "case", id, "--json")
	var c cases.Case
	if r.code != 0 {
		t.Fatalf("case %s --json on the desk file: %d %s", id, r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatalf("case %s --json: %v", id, err)
	}
	return c
}

// deskDecide records on the desk file the first decision the rules accept for case id, as the command line does:
// each outcome of the case's kind that needs no amount or lines, with reasons, without and then with the late
// acknowledgement. It reports whether one was accepted, and which.
func deskDecide(t *testing.T, desk, id string) (cases.Outcome, bool) {
	t.Helper()
	c := deskCase(t, desk, id)
	for _, o := range cases.Outcomes(&c) {
		if o.Amount || o.Lines {
			continue
		}
		for _, late := range [][]string{nil, {"--acknowledge-late"}} {
			args := append([]string{"decide", id, "--outcome", string(o.Outcome), "--reason", "reviewed offline at the importer's premises"}, late...)
			if r := deskRun(t, desk, "", args...); r.code == 0 {
				return o.Outcome, true
			}
		}
	}
	return "", false
}

var untilRE = regexp.MustCompile(`checked out (\d+) cases to (\w+) until (\d{4}-\d{2}-\d{2}) \(checkout ([0-9a-f]+)\)`)

// TestOfflineDeskEndToEnd is the offline desk as a reviewer and a supervisor live it, over SSH on loopback:
// alice checks 50 cases out to a desk file, the Center shows them checked out to her and refuses sofia's writes,
// sofia breaks one lease and gives that case to bob, the server goes away, alice decides 20 cases and writes
// notes on others on her desk file, the server comes back, bob may not check her file in, alice does: 19
// decisions and the notes land, the decision on the case sofia took conflicts and says so, the audit log
// verifies, and checking in again lands nothing and writes nothing.
func TestOfflineDeskEndToEnd(t *testing.T) {
	const (
		checkedOut = 50
		decided    = 20
		noted      = 10
	)
	start := time.Now()
	db := filepath.Join(t.TempDir(), "center.db")
	if r := deskRun(t, db, "", "seed", "--cases", "1000"); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	r := deskRun(t, db, "", "queue", "alice", "--ids", "--filter", "status:assigned,review,awaiting_info", "--limit", fmt.Sprint(checkedOut))
	ids := strings.Fields(r.stdout)
	if r.code != 0 || len(ids) != checkedOut {
		t.Fatalf("alice has %d open cases to check out, want %d: %s", len(ids), checkedOut, r.stderr)
	}
	alice, sofia, bob := newDeskKey(t, db, "alice"), newDeskKey(t, db, "sofia"), newDeskKey(t, db, "bob")
	addr, stop := deskServe(t, db)

	// alice checks the 50 cases out over SSH: the desk file on stdout, the summary on stderr
	co := alice.ssh(t, addr, nil, "checkout --cases "+strings.Join(ids, ","))
	m := untilRE.FindStringSubmatch(co.stderr)
	if co.code != 0 || m == nil || m[1] != fmt.Sprint(checkedOut) || m[2] != "alice" {
		t.Fatalf("checkout over SSH: %d %q (%d bytes on stdout)", co.code, co.stderr, len(co.stdout))
	}
	until, checkoutID := m[3], m[4]
	desk := filepath.Join(t.TempDir(), "alice.desk")
	if err := os.WriteFile(desk, co.stdout, 0o600); err != nil {
		t.Fatal(err)
	}
	if p := deskRun(t, desk, "", "pending"); p.code != 0 || !strings.Contains(p.stdout, fmt.Sprintf("Offline desk: %d cases checked out from ELEC", checkedOut)) ||
		!strings.Contains(p.stdout, "lease ends "+until) || !strings.Contains(p.stdout, "nothing to check in yet") {
		t.Fatalf("pending on the fresh desk file: %d\n%s%s", p.code, p.stdout, p.stderr)
	}

	// the Center shows each case checked out to alice, to her and to sofia
	lease := "checked out to alice until " + until
	for _, who := range []deskKey{alice, sofia} {
		q := who.ssh(t, addr, nil, "queue alice --limit 500")
		if q.code != 0 || !strings.Contains(string(q.stdout), "CHECKED OUT") {
			t.Fatalf("queue alice as %s: %d\n%s%s", who.user, q.code, q.stdout, q.stderr)
		}
		rows := map[string]string{}
		for _, line := range strings.Split(string(q.stdout), "\n") {
			for _, f := range strings.Fields(line) {
				rows[f] = line
			}
		}
		for _, id := range ids {
			if !strings.HasSuffix(strings.TrimSpace(rows[id]), "to alice until "+until) {
				t.Errorf("queue as %s: row of %s is %q; want it checked out to alice until %s", who.user, id, rows[id], until)
			}
		}
	}
	broken, other := ids[0], ids[1]
	if c := sofia.ssh(t, addr, nil, "case "+broken); c.code != 0 || !strings.Contains(string(c.stdout), "Checked out: "+lease+" (checkout "+checkoutID) {
		t.Fatalf("case %s as sofia: %d\n%s%s", broken, c.code, c.stdout, c.stderr)
	}
	beforeWrites := sofiaAudit(t, sofia, addr)
	for _, cmd := range []string{
		"assign " + other + " bob --reason 'alice is away'",
		"note " + other + " 'called the broker'",
		"request-info " + other + " 'send the mill certificate'",
	} {
		if w := sofia.ssh(t, addr, nil, cmd); w.code != 1 || !strings.Contains(w.stderr, "case "+other+" is "+lease) {
			t.Errorf("sofia over SSH: %s: %d %q; want it refused: %q", cmd, w.code, w.stderr, lease)
		}
	}
	if n := sofiaAudit(t, sofia, addr); n != beforeWrites {
		t.Fatalf("sofia's refused writes wrote %d audit events", n-beforeWrites)
	}

	// sofia breaks one lease, with a reason, and gives that case to bob
	if w := alice.ssh(t, addr, nil, "checkout break "+broken+" --reason 'urgent'"); w.code != 1 || !strings.Contains(w.stderr, "supervisor") {
		t.Fatalf("alice breaking a lease: %d %q", w.code, w.stderr)
	}
	if w := sofia.ssh(t, addr, nil, "checkout break "+broken+" --reason 'the importer called: urgent'"); w.code != 0 || !strings.Contains(string(w.stdout), "checkout to alice broken") {
		t.Fatalf("checkout break over SSH: %d %s %q", w.code, w.stdout, w.stderr)
	}
	if w := sofia.ssh(t, addr, nil, "assign "+broken+" bob --reason 'urgent while alice is away'"); w.code != 0 || !strings.Contains(string(w.stdout), "assigned to bob") {
		t.Fatalf("assign over SSH: %d %s %q", w.code, w.stdout, w.stderr)
	}
	if c := sofia.ssh(t, addr, nil, "case "+broken); c.code != 0 || strings.Contains(string(c.stdout), "Checked out:") || !strings.Contains(string(c.stdout), "assignee bob") {
		t.Fatalf("case %s after the break: %d\n%s%s", broken, c.code, c.stdout, c.stderr)
	}
	list := sofia.ssh(t, addr, nil, "checkout list")
	if list.code != 0 || strings.Count(string(list.stdout), checkoutID) != checkedOut-1 || strings.Contains(string(list.stdout), broken) {
		t.Fatalf("checkout list: %d checkout rows of %s, want %d without %s:\n%s%s", strings.Count(string(list.stdout), checkoutID), checkoutID, checkedOut-1, broken, list.stdout, list.stderr)
	}

	// the server goes away; alice works on her desk file with no network
	stop()
	if _, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		t.Fatalf("the server still answers on %s after it stopped", addr)
	}
	if w := deskRun(t, desk, "", "--as", "bob", "note", other, "bob on alice's desk"); w.code != 2 || !strings.Contains(w.stderr, "alice's desk file") {
		t.Fatalf("--as bob on alice's desk file: %d %q", w.code, w.stderr)
	}
	decisions := map[string]cases.Outcome{}
	var order []string // the decided cases: broken first
	for _, id := range ids {
		if len(order) == decided {
			break
		}
		if o, ok := deskDecide(t, desk, id); ok {
			decisions[id] = o
			order = append(order, id)
		} else if id == broken {
			t.Fatalf("no decision of %s is accepted on the desk file", id)
		}
	}
	if len(order) != decided || order[0] != broken {
		t.Fatalf("%d of the %d cases took a decision on the desk file, want %d", len(order), checkedOut, decided)
	}
	notes := map[string]string{}
	for _, id := range ids {
		if len(notes) == noted {
			break
		}
		if _, ok := decisions[id]; ok {
			continue
		}
		text := "offline desk note on " + id + ": spoke with the importer's broker"
		if w := deskRun(t, desk, "", "note", id, text); w.code != 0 || !strings.Contains(w.stdout, id+": note added") {
			t.Fatalf("note on the desk file: %d %s %q", w.code, w.stdout, w.stderr)
		}
		notes[id] = text
	}
	changes := decided + noted
	p := deskRun(t, desk, "", "pending")
	if p.code != 0 || !strings.Contains(p.stdout, fmt.Sprintf("%d changes to check in", changes)) || strings.Count(p.stdout, " pending ") != changes {
		t.Fatalf("pending after the work: %d\n%s%s", p.code, p.stdout, p.stderr)
	}
	deskFile, err := os.ReadFile(desk)
	if err != nil {
		t.Fatal(err)
	}

	// the server is back; bob may not check alice's desk file in, alice may
	addr, stop = deskServe(t, db)
	beforeCheckin := sofiaAudit(t, sofia, addr)
	if w := bob.ssh(t, addr, deskFile, "checkin"); w.code != 1 || !strings.Contains(w.stderr, "only alice or the operator may check it in") || len(w.stdout) != 0 {
		t.Fatalf("bob checking in alice's desk file: %d %q %q", w.code, w.stdout, w.stderr)
	}
	if n := sofiaAudit(t, sofia, addr); n != beforeCheckin {
		t.Fatalf("bob's refused check-in wrote %d audit events", n-beforeCheckin)
	}
	in := alice.ssh(t, addr, deskFile, "checkin")
	out := string(in.stdout)
	t.Logf("alice's check-in over SSH, exit %d:\n%s%s", in.code, out, in.stderr)
	if in.code == 0 || !strings.Contains(in.stderr, fmt.Sprintf("1 of %d changes did not land", changes)) {
		t.Errorf("check-in with a conflict: exit %d, stderr %q; want a failure naming 1 of %d changes", in.code, in.stderr, changes)
	}
	totals := fmt.Sprintf("%d landed, 1 conflict, 0 refused, 0 landed at an earlier check-in; %d leases released", changes-1, checkedOut-1)
	if !strings.Contains(out, totals) {
		t.Errorf("check-in totals: want %q in\n%s", totals, out)
	}
	rows := checkinRows(t, out)
	if len(rows) != changes {
		t.Fatalf("check-in table has %d rows, want %d:\n%s", len(rows), changes, out)
	}
	for _, row := range rows {
		want := "landed"
		if row.id == broken {
			want = "conflict"
		}
		switch {
		case row.outcome != want:
			t.Errorf("change %s on %s: %s, want %s (%s)", row.change, row.id, row.outcome, want, row.detail)
		case row.change == "decide" && decisions[row.id] == "", row.change == "note" && notes[row.id] == "", row.change != "decide" && row.change != "note":
			t.Errorf("check-in row of a change alice did not make: %+v", row)
		}
	}
	if c := rows[0]; c.id != broken || !strings.Contains(c.detail, "sofia checkout break") || !strings.Contains(c.detail, "the importer called: urgent") ||
		!strings.Contains(c.detail, "sofia assign") || !strings.Contains(c.detail, "assignee: alice -> bob") || !strings.Contains(c.detail, "urgent while alice is away") {
		t.Errorf("the conflict does not say who changed the case at the Center, and how: %+v", c)
	}
	afterCheckin := sofiaAudit(t, sofia, addr)
	// each landed change is one event, each released lease one more
	if got, want := afterCheckin-beforeCheckin, changes-1+checkedOut-1; got != want {
		t.Errorf("the check-in wrote %d audit events, want %d (%d changes landed, %d leases released)", got, want, changes-1, checkedOut-1)
	}

	// checking in again lands nothing twice and writes nothing
	again := alice.ssh(t, addr, deskFile, "checkin")
	totals = fmt.Sprintf("0 landed, 1 conflict, 0 refused, %d landed at an earlier check-in; 0 leases released", changes-1)
	if again.code == 0 || !strings.Contains(string(again.stdout), totals) || strings.Count(string(again.stdout), "landed before") != changes-1 {
		t.Errorf("second check-in: exit %d, want non-zero and %q in:\n%s%s", again.code, totals, again.stdout, again.stderr)
	}
	if n := sofiaAudit(t, sofia, addr); n != afterCheckin {
		t.Errorf("the second check-in wrote %d audit events", n-afterCheckin)
	}
	// over SSH the desk file can come back with the outcomes recorded in it
	back := alice.ssh(t, addr, deskFile, "checkin --updated")
	updated := filepath.Join(t.TempDir(), "alice.updated.desk")
	if err := os.WriteFile(updated, back.stdout, 0o600); err != nil {
		t.Fatal(err)
	}
	if p := deskRun(t, updated, "", "pending"); p.code != 0 || !strings.Contains(p.stdout, "1 change to check in") || strings.Count(p.stdout, "landed at an earlier check-in") != changes-1 {
		t.Errorf("the desk file sent back by checkin --updated: exit %d\n%s%s", p.code, p.stdout, p.stderr)
	}
	if !strings.Contains(back.stderr, "landed before") {
		t.Errorf("checkin --updated: the table is not on standard error:\n%s", back.stderr)
	}
	if c := alice.ssh(t, addr, nil, "checkout list"); c.code != 0 || !strings.Contains(string(c.stdout), "no case you may see is checked out") {
		t.Errorf("alice's checkouts after check-in: %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	stop()

	// at the Center, with the server stopped: the audit log verifies, and each change is there once
	v := deskRun(t, db, "", "audit", "verify")
	if n := auditEvents(t, "on the Center store", v.stdout, v.code, v.stderr); n != afterCheckin {
		t.Errorf("audit verify on the Center store: %d events, over SSH %d", n, afterCheckin)
	}
	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if _, err := st.VerifyHistory(); err != nil {
		t.Errorf("VerifyHistory: %v", err)
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
		offline := map[string]int{}
		for _, e := range h {
			if !e.Offline.IsZero() {
				offline[e.Action]++
				if e.Actor != "alice" || !e.At.After(e.Offline) {
					t.Errorf("case %s: offline event %+v", id, e)
				}
			}
		}
		if c.Lease != nil {
			t.Errorf("case %s is still %s", id, c.Lease)
		}
		switch {
		case id == broken:
			if c.Assignee != "bob" || c.Decision != nil || len(offline) != 0 {
				t.Errorf("case %s, given to bob: assignee %s, decision %+v, offline events %v", id, c.Assignee, c.Decision, offline)
			}
		case decisions[id] != "":
			if c.Decision == nil || c.Decision.Outcome != decisions[id] || c.Decision.By != "alice" || offline["decide"] != 1 || len(offline) != 1 {
				t.Errorf("case %s: decision %+v, offline events %v; want alice's %s once", id, c.Decision, offline, decisions[id])
			}
		case notes[id] != "":
			n := 0
			for _, note := range c.Notes {
				if note.Text == notes[id] && note.Author == "alice" {
					n++
				}
			}
			if n != 1 || offline["note"] != 1 || len(offline) != 1 {
				t.Errorf("case %s: the desk's note is there %d times, offline events %v; want once", id, n, offline)
			}
		default:
			if len(offline) != 0 {
				t.Errorf("case %s, untouched on the desk: offline events %v", id, offline)
			}
		}
	}
	t.Logf("offline desk end to end: %d cases checked out, %d decisions and %d notes made offline, %d landed, 1 conflict; %d audit events; %v",
		checkedOut, decided, noted, changes-1, afterCheckin, time.Since(start).Round(time.Millisecond))
}

// sofiaAudit runs `audit verify` over SSH as sofia, which must pass, and returns the number of events.
func sofiaAudit(t *testing.T, sofia deskKey, addr string) int {
	t.Helper()
	r := sofia.ssh(t, addr, nil, "audit verify")
	return auditEvents(t, "over SSH as sofia", string(r.stdout), r.code, r.stderr)
}

// checkinRow is one row of the check-in table.
type checkinRow struct {
	seq, id, change, outcome, detail string
}

var checkinRowRE = regexp.MustCompile(`^(\d+)\s+(\S+)\s+(\S+(?: \S+)?)\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s+(landed before|landed|conflict|refused)(?:\s+(.*))?$`)

// checkinRows reads the table `checkin` prints (#  CASE  CHANGE  MADE OFFLINE  OUTCOME  DETAIL).
func checkinRows(t *testing.T, out string) []checkinRow {
	t.Helper()
	var rows []checkinRow
	header := false
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "#") && strings.Contains(line, "MADE OFFLINE") && strings.Contains(line, "OUTCOME") {
			header = true
			continue
		}
		if !header {
			continue
		}
		if m := checkinRowRE.FindStringSubmatch(line); m != nil {
			rows = append(rows, checkinRow{m[1], m[2], m[3], m[5], m[6]})
		}
	}
	if !header {
		t.Fatalf("no check-in table in:\n%s", out)
	}
	return rows
}

// TestOfflineDeskUnderFixedToday runs the Center, the checkout, the desk and the check-in all with one --today
// (the ceedesk helper's, as every other test of the command does, and as a Center trying out a date would): the
// checkout leases the case until that day and six more, the decision on the desk is judged as of that day, and
// its check-in, judged as of the same day, lands it.
//
// On this branch it fails whenever the wall clock's date is not that --today: the check-in compares the date the
// change was judged by (the desk's --today) with the wall-clock date of the checkout and the Center store's
// wall-clock date (store.Checkin, whose caller cannot give it a date, unlike CheckoutRequest.Today), and refuses
// the change as "the desk's clock was wrong".
func TestOfflineDeskUnderFixedToday(t *testing.T) {
	db := seeded(t, "300")
	id := firstCase(t, db, "alice", "status:assigned,review")
	desk := filepath.Join(t.TempDir(), "alice.desk")
	r := ceedesk(t, db, "", "checkout", "--as", "alice", "--cases", id, "--out", desk)
	until := cases.NewDate(2026, 11, 28).AddDays(cases.DefaultLeaseDays - 1).String()
	if r.code != 0 || !strings.Contains(r.stdout, "checked out 1 cases to alice until "+until) {
		t.Fatalf("checkout --out: %d %q %q", r.code, r.stdout, r.stderr)
	}
	var c cases.Case
	if j := ceedesk(t, desk, "", "case", id, "--json"); j.code != 0 || json.Unmarshal([]byte(j.stdout), &c) != nil {
		t.Fatalf("case --json on the desk: %d %s", j.code, j.stderr)
	}
	decided := false
	for _, o := range cases.Outcomes(&c) {
		if !decided && !o.Amount && !o.Lines {
			decided = ceedesk(t, desk, "", "decide", id, "--outcome", string(o.Outcome), "--reason", "reviewed offline", "--acknowledge-late").code == 0
		}
	}
	if !decided {
		t.Fatalf("no decision of %s is accepted on the desk file", id)
	}
	in := ceedesk(t, db, "", "checkin", desk)
	if in.code != 0 || !strings.Contains(in.stdout, "1 landed, 0 conflicts, 0 refused, 0 landed at an earlier check-in; 1 lease released") {
		t.Errorf("check-in under --today %s (the wall clock says %s): exit %d\n%s%s", today, cases.DateOf(time.Now()), in.code, in.stdout, in.stderr)
	}
}
