package server

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"ceedesk/cases"
	"ceedesk/store"
)

// y in the queue puts the case id and entry number in the clipboard of the user's own terminal: the client
// receives the OSC 52 sequence whole, between two frames of the screen and never inside one.
func TestYankReachesTheClientsClipboard(t *testing.T) {
	fx := start(t, fixtureOptions{})
	page, err := fx.st.Queue(store.Operator, cases.QueueQuery{Assignee: "alice", OpenOnly: true, Sort: cases.SortDue, Limit: 1, Today: testToday})
	if err != nil || len(page.Rows) == 0 {
		t.Fatalf("alice has no case: %v", err)
	}
	r := page.Rows[0]
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(r.ID+" "+r.Entry)) + "\x07"

	const w, h = 120, 40
	term := openTerminal(t, mustDial(t, fx.addr, fx.user("alice")), w, h)
	term.mustSee(0, fx.workstation("alice")...)
	from := term.mark()
	term.send("y")
	term.mustSee(from, "copied case "+r.ID+" and entry "+r.Entry+" to the clipboard")
	var raw string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if raw = term.rawSince(from); strings.Contains(raw, want) {
			break
		}
	}
	i := strings.Index(raw, want)
	if i < 0 {
		t.Fatalf("the client never received %q; after y it got %q", want, raw)
	}
	// a frame ends with the cursor put under its last line and begins with the cursor put home
	if before := raw[:i]; before != "" && !strings.HasSuffix(before, ansi.CursorPosition(0, h)) {
		t.Errorf("the clipboard sequence came inside a frame, after %q", tail(before, 80))
	}
	if after := raw[i+len(want):]; after != "" && !strings.HasPrefix(after, ansi.CursorHomePosition) {
		t.Errorf("the clipboard sequence came inside a frame, before %q", after[:min(len(after), 80)])
	}
}
