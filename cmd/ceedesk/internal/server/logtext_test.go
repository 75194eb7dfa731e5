package server

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestLogText(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	for _, tc := range []struct {
		in, want string
	}{
		{"alice", "alice"},
		{"\x1b]0;owned\x07al\x1b[2Jice", "alice"},
		{strings.Repeat("a", maxLogText), strings.Repeat("a", maxLogText)},
		{strings.Repeat("a", maxLogText+10), strings.Repeat("a", maxLogText) + "…[10 more bytes]"},
		{long, strings.Repeat("é", maxLogText/2) + "…[144 more bytes]"},
		{"x" + long, "x" + strings.Repeat("é", maxLogText/2-1) + "…[146 more bytes]"}, // never half a character
	} {
		got := logText(tc.in)
		if got != tc.want {
			t.Errorf("logText(%.40q…) = %.60q…; want %.60q…", tc.in, got, tc.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("logText(%.40q…) is not UTF-8", tc.in)
		}
	}
}

// What a client chooses (the name it logs in as, its command's arguments, its terminal's name) reaches the log
// cut to a few hundred bytes and without escape sequences, however long it was.
func TestClientTextInTheLogIsBounded(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice := fx.user("alice")
	huge := strings.Repeat("\x1b[31mA", 4000) // 24,000 bytes

	// a name that is not the key's, refused once logged in, and offered with an unknown key
	if c, err := dial(t, fx.addr, huge, publicKey(alice)); err == nil {
		run(t, c, "whoami", "")
		c.Close()
	}
	if c, err := dial(t, fx.addr, huge, publicKey(newIdentity(t))); err == nil {
		c.Close()
		t.Error("an unknown key was let in")
	}
	// a command's arguments and a terminal's name
	c := mustDial(t, fx.addr, alice)
	run(t, c, "note "+strings.Repeat("x", 20000), "")
	if term, err := startTerminal(t, c, 80, 24, strings.Repeat("xterm", 2000), nil); err == nil {
		term.waitOutput(0, 5*time.Second)
	}
	if !waitUntil(5*time.Second, func() bool { return fx.logHas("INFO login", "session=workstation") }) {
		t.Fatalf("no workstation login logged:\n%s", tail(fx.logs.String(), 2000))
	}

	logs := fx.logs.String()
	for _, line := range strings.Split(logs, "\n") {
		if len(line) > 2000 {
			t.Errorf("log line of %d bytes: %.300s…", len(line), line)
		}
	}
	if strings.Contains(logs, "\x1b") {
		t.Error("an escape sequence reached the log")
	}
	for _, want := range [][]string{
		{"refused", "login name is not the key's user", "claimed=", "more bytes]"},
		{"refused", "unknown key", "claimed=", "more bytes]"},
		{"command", "args=", "more bytes]"},
		{"INFO login", `term="xtermxterm`, "more bytes]"},
	} {
		if !fx.logHas(want...) {
			t.Errorf("no log line with %q:\n%s", want, tail(logs, 3000))
		}
	}
}
