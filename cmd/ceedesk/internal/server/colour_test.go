package server

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// sgrParams lists the parameters of every SGR sequence in s, one slice per sequence. A colour parameter's own
// arguments (38;5;n, 38;2;r;g;b) are kept with it, so "5" after "38" is never read as blink.
func sgrParams(s string) [][]int {
	var out [][]int
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		var ps []int
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			ps = append(ps, n)
		}
		if len(ps) == 0 {
			ps = []int{0}
		}
		out = append(out, ps)
	}
	return out
}

// colourCodes counts the SGR parameters that set a colour: 30-38 and 40-48 (with 38/48's extended forms),
// 90-97 and 100-107. 39 and 49 only restore the terminal's own colours.
func colourCodes(s string) int {
	n := 0
	for _, ps := range sgrParams(s) {
		for i := 0; i < len(ps); i++ {
			switch p := ps[i]; {
			case p == 38 || p == 48:
				n++
				if i+1 < len(ps) && ps[i+1] == 5 {
					i += 2
				} else if i+1 < len(ps) && ps[i+1] == 2 {
					i += 4
				}
			case p >= 30 && p <= 37, p >= 40 && p <= 47, p >= 90 && p <= 97, p >= 100 && p <= 107:
				n++
			}
		}
	}
	return n
}

// hasAttribute reports whether some SGR sequence of s sets attribute a (1 bold, 4 underline, 7 reverse).
func hasAttribute(s string, a int) bool {
	for _, ps := range sgrParams(s) {
		for i := 0; i < len(ps); i++ {
			switch ps[i] {
			case 38, 48:
				if i+1 < len(ps) && ps[i+1] == 5 {
					i += 2
				} else if i+1 < len(ps) && ps[i+1] == 2 {
					i += 4
				}
			case a:
				return true
			}
		}
	}
	return false
}

func TestColourCodes(t *testing.T) {
	for _, tc := range []struct {
		in       string
		colours  int
		reversed bool
	}{
		{"plain", 0, false},
		{"\x1b[1mtitle\x1b[0m", 0, false},
		{"\x1b[1;7mcursor\x1b[0m", 0, true},
		{"\x1b[38;5;7mgrey\x1b[0m", 1, false},   // 7 is the colour's index, not reverse
		{"\x1b[38;2;1;7;1mrgb\x1b[m", 1, false}, // nor is the 7 of an RGB colour
		{"\x1b[48;5;1;7mcursor\x1b[m", 1, true},
		{"\x1b[31mred\x1b[39m \x1b[44mon blue\x1b[49m", 2, false},
		{"\x1b[1;97;100mbright\x1b[0m", 2, false},
	} {
		if got := colourCodes(tc.in); got != tc.colours {
			t.Errorf("colourCodes(%q) = %d; want %d", tc.in, got, tc.colours)
		}
		if got := hasAttribute(tc.in, 7); got != tc.reversed {
			t.Errorf("reverse in %q: %v; want %v", tc.in, got, tc.reversed)
		}
	}
}

// Over SSH the client's terminal and environment decide the colours, not the server's: a client that sends
// NO_COLOR gets the monochrome theme (emphasis by bold and reverse video, no colour), one whose terminal has no
// colours gets no colour codes, and everyone else gets the configured theme in colour.
func TestSessionColours(t *testing.T) {
	fx := start(t, fixtureOptions{})
	alice := fx.user("alice")
	c := mustDial(t, fx.addr, alice)
	for _, tc := range []struct {
		name     string
		term     string
		env      []string
		colours  bool // colour codes on screen
		emphasis bool // reverse video on screen (the cursor row, the header)
	}{
		{"256 colours", "xterm-256color", nil, true, false},
		{"NO_COLOR", "xterm-256color", []string{"NO_COLOR=1"}, false, true},
		{"NO_COLOR on a true-colour terminal", "xterm-256color", []string{"COLORTERM=truecolor", "NO_COLOR=yes"}, false, true},
		{"empty NO_COLOR is not set", "xterm-256color", []string{"NO_COLOR="}, true, false},
		{"other variables", "xterm-256color", []string{"LANG=C.UTF-8"}, true, false},
		{"dumb terminal", "dumb", nil, false, false},
		{"terminal without colours", "vt100", nil, false, false},
		{"NO_COLOR on a terminal without colours", "vt100", []string{"NO_COLOR=1"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term, err := startTerminal(t, c, 100, 30, tc.term, tc.env)
			if err != nil {
				t.Fatal(err)
			}
			term.mustSee(0, fx.workstation("alice")...)
			term.mustSee(0, "to filter") // the queue has drawn
			m := term.mark()
			term.send("j") // the cursor row moves: drawn again with its emphasis
			if !term.waitOutput(m, 5*time.Second) {
				t.Fatal("no screen update after j")
			}
			raw := term.rawSince(0)
			if n := colourCodes(raw); (n > 0) != tc.colours {
				t.Errorf("%d colour codes on screen; want colours %v:\n%q", n, tc.colours, tail(raw, 2000))
			}
			if got := hasAttribute(raw, 7); got != tc.emphasis {
				t.Errorf("reverse video on screen: %v; want %v:\n%q", got, tc.emphasis, tail(raw, 2000))
			}
			if !tc.colours && !tc.emphasis && len(sgr.FindAllString(raw, -1)) > 0 {
				t.Errorf("a terminal without colours got SGR sequences: %q", sgr.FindAllString(raw, 20))
			}
		})
	}
}
