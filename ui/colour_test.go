package ui

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"ceedesk/cases"
)

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	r.SetHasDarkBackground(true)
	return r
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colours lists the SGR parameters of s that set a foreground or background colour.
func colours(s string) []string {
	var out []string
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			if n, err := strconv.Atoi(p); err == nil && (n >= 30 && n <= 49 || n >= 90 && n <= 107) {
				out = append(out, m[0])
			}
		}
	}
	return out
}

// tour drives a model through the screens a session shows (queue, filter input, case, decision form with its
// text area, note dialog, command line, help) and returns every screen.
func tour(t *testing.T, m *Model) []string {
	t.Helper()
	var screens []string
	shot := func() { screens = append(screens, m.View()) }
	shot()
	press(m, "/")
	shot()
	typeText(m, "kind:")
	shot()
	press(m, "esc", "j", "j", "j", "enter")
	shot()
	press(m, "d")
	shot()
	press(m, "j", "enter")
	shot()
	typeText(m, "Reasons")
	press(m, "ctrl+s")
	shot()
	press(m, "esc", "esc", "esc", "n")
	shot()
	press(m, "esc", ":")
	shot()
	press(m, "esc", "?")
	shot()
	return screens
}

// A renderer with the Ascii profile (a terminal without colour, TERM=dumb, a client without a terminal) gets no
// escape sequence at all, whatever the theme, even when the process's global renderer has colours: every style
// of the workstation, its inputs included, is built on the session's renderer.
func TestAsciiRendererWritesNoEscapes(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	global := lipgloss.DefaultRenderer()
	was := global.ColorProfile()
	global.SetColorProfile(termenv.TrueColor)
	defer global.SetColorProfile(was)
	for _, theme := range []string{"default", "dark", "high-contrast"} {
		s := newTestStore(t)
		m := New(Options{Desk: s, User: user(t, "alice"), Today: func() cases.Date { return testToday }, Renderer: renderer(termenv.Ascii), Theme: theme}).(*Model)
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		for i, v := range tour(t, m) {
			if strings.Contains(v, "\x1b") {
				t.Fatalf("%s: screen %d carries an escape sequence: %q", theme, i, v)
			}
		}
	}
}

// An explicit Options.Theme wins over the config's theme: a session told "monochrome" (an SSH client with
// NO_COLOR) shows no colour on a terminal that has colours, while emphasis (reverse video for the cursor row)
// stays.
func TestExplicitMonochromeWinsOverConfig(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := newTestStore(t)
	opt := Options{Desk: s, User: user(t, "alice"), Today: func() cases.Date { return testToday }, Renderer: renderer(termenv.TrueColor), Config: Config{Theme: "dark"}}
	dark := New(opt).(*Model)
	if dark.st.Theme != "dark" || len(colours(dark.View())) == 0 {
		t.Fatalf("the config's theme should apply when Options.Theme is empty: %s", dark.st.Theme)
	}
	opt.Theme = "monochrome"
	m := New(opt).(*Model)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if m.st.Theme != "monochrome" {
		t.Fatalf("theme %s, want monochrome", m.st.Theme)
	}
	for i, v := range tour(t, m) {
		if c := colours(v); len(c) > 0 {
			t.Fatalf("screen %d carries colour %q:\n%s", i, c, v)
		}
	}
	press(m, "esc")
	if v := m.View(); !regexp.MustCompile(`\x1b\[[0-9;]*7[;m]`).MatchString(v) {
		t.Fatalf("monochrome should mark the cursor row in reverse video:\n%q", v)
	}
}

// Options.NoColor keeps every theme colourless for the session, :theme included.
func TestSessionNoColor(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	s := newTestStore(t)
	m := New(Options{Desk: s, User: user(t, "alice"), Today: func() cases.Date { return testToday }, Renderer: renderer(termenv.TrueColor), Theme: "dark", NoColor: true}).(*Model)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if c := colours(m.View()); len(c) > 0 {
		t.Fatalf("NoColor session carries colour %q", c)
	}
	press(m, ":")
	typeText(m, "theme light")
	press(m, "enter")
	if c := colours(m.View()); len(c) > 0 || !strings.Contains(m.status, "without colour") {
		t.Fatalf(":theme brought colour back %q (status %q)", c, m.status)
	}
	if m.st.Border != lipgloss.RoundedBorder() {
		t.Fatalf("the chosen theme's border should stay: %+v", m.st.Border)
	}
	other := New(Options{Desk: s, User: user(t, "bob"), Today: func() cases.Date { return testToday }, Renderer: renderer(termenv.TrueColor), Theme: "dark"}).(*Model)
	if len(colours(other.View())) == 0 {
		t.Fatal("another session without NoColor keeps its colours")
	}
}
