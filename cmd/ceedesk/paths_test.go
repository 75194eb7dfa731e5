package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/log"
	"github.com/charmbracelet/x/exp/teatest"
	gossh "golang.org/x/crypto/ssh"

	"ceedesk/cases"
	"ceedesk/cases/synth"
	"ceedesk/cmd/ceedesk/internal/cli"
	"ceedesk/cmd/ceedesk/internal/server"
	"ceedesk/store"
	"ceedesk/ui"
)

// TestEveryPathWritesExactlyOneEvent changes cases through every way into ceedesk (seed, import, the command
// line, the workstation, commands over SSH) and then rebuilds each case from the audit log alone: the log must
// explain every stored case, and each case must have exactly one event per version.
func TestEveryPathWritesExactlyOneEvent(t *testing.T) {
	day := cases.NewDate(2026, 11, 28)
	st, err := store.Open(filepath.Join(t.TempDir(), "paths.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// seed
	if _, err := seedStore(st, 120, 5, day, io.Discard); err != nil {
		t.Fatal(err)
	}
	// import: other cases, renamed so they do not collide with the seeded ones
	var file bytes.Buffer
	gen := synth.New(6, day)
	imported := 0
	for imported < 15 {
		c := gen.Next()
		if c.Kind == cases.KindProtest {
			continue
		}
		c.ID = "X" + c.ID
		b, _ := json.Marshal(c)
		file.Write(append(b, '\n'))
		imported++
	}
	if n, err := st.Import(&file, "more.jsonl", store.Operator); err != nil || n != imported {
		t.Fatalf("import: %d, %v", n, err)
	}
	// the command line
	env := func(as string, out io.Writer) *cli.Env {
		return &cli.Env{Store: st, Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Today: day, As: as}
	}
	page, err := st.Queue(store.Operator, cases.QueueQuery{Assignee: "alice", Sort: cases.SortDue, OpenOnly: true, Limit: 12, Today: day})
	if err != nil || len(page.Rows) < 8 {
		t.Fatalf("alice's queue: %d rows, %v", len(page.Rows), err)
	}
	ids := make([]string, len(page.Rows))
	for i, r := range page.Rows {
		ids[i] = r.ID
	}
	var out bytes.Buffer
	for _, args := range [][]string{
		{"note", ids[0], "called the broker"},
		{"assign", ids[1], "bob", "--reason", "leave"},
		{"request-info", ids[2], "send the invoices"},
		{"decide", ids[3], "--outcome", "accepted"}, // may be refused for the kind; refusals write nothing
		{"decide", ids[3], "--outcome", "compliant"},
		{"decide", ids[3], "--outcome", "allowed"},
		{"decide", ids[3], "--outcome", "referred_fpf", "--reason", "for the port's FP&F office", "--acknowledge-late"},
	} {
		as := "alice"
		if args[0] == "assign" {
			as = "sofia"
		}
		cli.Run(context.Background(), env(as, &out), args)
	}
	// the workstation
	alice, _ := st.User("alice")
	m := ui.New(ui.Options{Desk: st, User: alice, Today: func() cases.Date { return day }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("your queue")) }, teatest.WithDuration(5*time.Second))
	for _, k := range []tea.KeyMsg{
		{Type: tea.KeyEnter},
		{Type: tea.KeyRunes, Runes: []rune("n")},
		{Type: tea.KeyRunes, Runes: []rune("seen at the desk")},
		{Type: tea.KeyCtrlS},
	} {
		tm.Send(k)
		time.Sleep(50 * time.Millisecond)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("seen at the desk")) }, teatest.WithDuration(5*time.Second))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	// commands over SSH
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	spk, _ := gossh.NewPublicKey(pub)
	if err := st.AddKey(store.Operator, "alice", gossh.FingerprintSHA256(spk), string(gossh.MarshalAuthorizedKey(spk))); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{
		HostKeyPath: filepath.Join(t.TempDir(), "host"), Store: st, Today: func() cases.Date { return day },
		Logger: log.New(io.Discard),
		Command: func(ctx context.Context, u cases.User, fp string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			return cli.Run(ctx, &cli.Env{Store: st.WithKey(fp), Stdin: stdin, Stdout: stdout, Stderr: stderr, Today: day, User: &u}, args)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	signer, _ := gossh.NewSignerFromKey(priv)
	client, err := gossh.Dial("tcp", ln.Addr().String(), &gossh.ClientConfig{
		User: "alice", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for _, cmd := range []string{"note " + ids[4] + " 'over ssh'", "request-info " + ids[5] + " 'the mill certificate'"} {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if b, err := sess.CombinedOutput(cmd); err != nil {
			t.Fatalf("ssh %s: %v %s", cmd, err, b)
		}
		sess.Close()
	}

	// every path left exactly the events its changes need
	if _, err := st.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	n, err := st.VerifyHistory()
	if err != nil {
		t.Fatal(err)
	}
	if n != 120+imported {
		t.Fatalf("VerifyHistory checked %d cases; want %d", n, 120+imported)
	}
	for _, id := range ids[:6] {
		c, _ := st.Case(store.Operator, id)
		h, _ := st.History(store.Operator, id)
		if uint64(len(h)) != c.Version || len(h) < 2 {
			t.Errorf("case %s: version %d with %d events", id, c.Version, len(h))
		}
	}
	hasEvent := func(id, text string) bool {
		h, _ := st.History(store.Operator, id)
		for _, e := range h {
			if strings.Contains(e.Change, text) {
				return true
			}
		}
		return false
	}
	for id, text := range map[string]string{ids[0]: "called the broker", ids[4]: "over ssh", ids[1]: "assignee: alice -> bob"} {
		if !hasEvent(id, text) {
			t.Errorf("case %s has no event with %q", id, text)
		}
	}
	found := false
	for _, id := range ids {
		found = found || hasEvent(id, "seen at the desk")
	}
	if !found {
		t.Error("the note written at the workstation has no audit event")
	}
}
