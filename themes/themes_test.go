package themes

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func trueColor() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	return r
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// hasColour reports whether s sets a foreground or background colour in any SGR sequence.
func hasColour(s string) bool {
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			n, _ := strconv.Atoi(p)
			if n >= 30 && n <= 49 || n >= 90 && n <= 107 {
				return true
			}
		}
	}
	return false
}

func TestLookup(t *testing.T) {
	for _, n := range []string{"default", "dark", "light", "high-contrast", "monochrome", "DARK"} {
		if _, err := Lookup(n); err != nil {
			t.Errorf("Lookup(%q): %v", n, err)
		}
	}
	if _, err := Lookup("neon"); err == nil || !strings.Contains(err.Error(), "monochrome") {
		t.Fatalf("unknown theme should list the known ones, got %v", err)
	}
	if got := strings.Join(Names(), ","); got != "default,dark,light,high-contrast,monochrome" {
		t.Fatalf("Names() = %s", got)
	}
}

func TestColour(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	tests := []struct {
		theme  string
		colour bool
	}{{"default", true}, {"dark", true}, {"light", true}, {"high-contrast", true}, {"monochrome", false}}
	for _, tt := range tests {
		th, _ := Lookup(tt.theme)
		s := th.Styles(trueColor())
		out := s.Overdue.Render("! overdue") + s.Cursor.Render("row") + s.Header.Render("bar")
		if hasColour(out) != tt.colour {
			t.Errorf("%s: colour %v, want %v: %q", tt.theme, hasColour(out), tt.colour, out)
		}
		if !strings.Contains(out, "! overdue") {
			t.Errorf("%s: text lost: %q", tt.theme, out)
		}
	}
}

func TestNoColorEnvironment(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	for _, n := range Names() {
		th, _ := Lookup(n)
		s := th.Styles(trueColor())
		out := s.Overdue.Render("x") + s.Cursor.Render("y") + s.Good.Render("z") + s.Header.Render("h")
		if hasColour(out) {
			t.Errorf("%s with NO_COLOR: %q carries colour", n, out)
		}
	}
}

func TestAdaptiveDefault(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	th, _ := Lookup("default")
	dark, light := trueColor(), trueColor()
	dark.SetHasDarkBackground(true)
	light.SetHasDarkBackground(false)
	if a, b := th.Styles(dark).Text.Render("x"), th.Styles(light).Text.Render("x"); a == b {
		t.Fatalf("default theme should adapt to the background: %q on both", a)
	}
}

func TestColourless(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	for _, n := range Names() {
		th, _ := Lookup(n)
		c := th.Colourless()
		s := c.Styles(trueColor())
		out := s.Overdue.Render("x") + s.Cursor.Render("y") + s.Header.Render("h") + s.Key.Render("k") + s.Bad.Render("b")
		if hasColour(out) {
			t.Errorf("%s without colour: %q carries colour", n, out)
		}
		if c.Border != th.Border {
			t.Errorf("%s without colour lost its border", n)
		}
		if !regexp.MustCompile(`\x1b\[([0-9]+;)*7[;m]`).MatchString(s.Cursor.Render("y")) {
			t.Errorf("%s without colour: the cursor row should be in reverse video: %q", n, s.Cursor.Render("y"))
		}
	}
}
