package server

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
)

// sessionColours is how a session's workstation is styled: a renderer for the client's terminal (its TERM,
// COLORTERM and background, as bm.MakeRenderer finds them) and the theme, which is "monochrome" when the
// client's environment sets NO_COLOR (https://no-color.org) and "" (the configured theme) otherwise. The
// server's own NO_COLOR (themes.NoColor) applies to every session on top of that.
//
// A client without a terminal, with TERM=dumb or a TERM that has no colours gets no SGR sequences at all. A
// NO_COLOR client whose terminal does have colours gets no colour but keeps bold, underline and reverse:
// NO_COLOR asks for no colour, not for no emphasis, and the monochrome theme marks the cursor row, the header
// and the input cursor in reverse video. (termenv alone would drop every SGR attribute under NO_COLOR, leaving
// the input cursor invisible.)
//
// ssh sends a client variable only when the client is told to (SendEnv NO_COLOR in ssh_config, or
// ssh -o SendEnv=NO_COLOR); the server accepts every variable a client sends.
func sessionColours(sess ssh.Session) (*lipgloss.Renderer, string) {
	r := bm.MakeRenderer(sess)
	if !clientNoColor(sess.Environ()) {
		return r, ""
	}
	pty, _, ok := sess.Pty()
	if ok && pty.Term != "" && pty.Term != "dumb" && r.ColorProfile() == termenv.Ascii &&
		r.Output().ColorProfile() != termenv.Ascii { // what the terminal could show, NO_COLOR aside
		r.SetColorProfile(termenv.ANSI)
	}
	return r, "monochrome"
}

// clientNoColor reports whether env sets NO_COLOR to something other than the empty string; the last setting
// counts, as in a shell.
func clientNoColor(env []string) bool {
	set := false
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok {
			set = v != ""
		}
	}
	return set
}
