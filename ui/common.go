package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"ceedesk/cases"
	"ceedesk/themes"
)

// common is what every pane shares with the shell: the session (its desk, user, date, styles and keys), the size of
// the screen, the status line, and the workstation the pane is part of. A session has one; the shell and every pane
// embed the same one, so a theme, a resize or a message in the status line is the same for all of them at once.
type common struct {
	desk     Desk
	user     cases.User
	today    func() cases.Date
	r        *lipgloss.Renderer
	st       themes.Styles
	paints   rowPaints // the queue's row styles, precomputed
	keys     *keyMap
	readOnly bool
	noColor  bool // every theme without colour (Options.NoColor or the process's NO_COLOR)

	width, height int // the whole screen

	// offline is what the desk file the session works on says of itself (cases checked out of a Center), read
	// again after every change committed; nil for a Center's store. A session on a desk file shows it in a
	// banner under the title bar.
	offline *cases.OfflineInfo

	status    string
	statusBad bool

	// ws is the workstation around the pane: its other panes, and the shell's dialogs, confirmations and choice
	// of the pane on screen.
	ws *Model
}

type rowPaints struct{ cursor, marked, overdue, dueSoon, text, head paint }

// bodyHeight is the lines a pane has: the screen less the title bar, the offline banner on a desk file, the
// status line and the footer.
func (c *common) bodyHeight() int { return max(c.height-3-c.bannerLines(), 1) }

// bodyTop is the screen line the pane's body begins on (from 0): under the title bar and the offline banner.
func (c *common) bodyTop() int { return 1 + c.bannerLines() }

// bannerLines is the lines the offline banner takes: one on a desk file, none at a Center.
func (c *common) bannerLines() int {
	if c.offline != nil {
		return 1
	}
	return 0
}

// readOffline reads again what the desk file says of itself (its changes to check in above all); at a Center it
// leaves offline nil. A store is a desk file or not for the whole session, so the banner's line never comes or
// goes under the panes' layout.
func (c *common) readOffline() {
	od, ok := c.desk.(offlineDesk)
	if !ok {
		return
	}
	if info, ok := od.Offline(); ok {
		c.offline = &info
	}
}

// say puts a message in the status line.
func (c *common) say(format string, a ...any) {
	c.status, c.statusBad = one(fmt.Sprintf(format, a...)), false
}

// fail puts an error in the status line, as text safe for the terminal.
func (c *common) fail(err error) {
	c.status, c.statusBad = c.refusal(err), true
}

// refusal is says(err), except that a write refused because the case is checked out to someone's desk says so
// first, in words that fit a status line, and how the session's user may go on: the store's words end with the
// command line's way to break the checkout.
func (c *common) refusal(err error) string {
	s := says(err)
	var le *cases.LeaseError
	if !errors.As(err, &le) {
		return s
	}
	words := fmt.Sprintf("case %s is %s: its work comes back at check-in", one(le.ID), one(le.Lease.String()))
	if b := c.keys.BreakCheckout; b.Enabled() {
		words += "; " + b.Help().Key + " on the case breaks the checkout"
	} else {
		words += "; a supervisor of the Center may break the checkout"
	}
	if full := says(le); strings.Contains(s, full) {
		return strings.Replace(s, full, words, 1) // what the error said before the refusal stays
	}
	return words
}

// refuse puts the reason a key does nothing in the status line.
func (c *common) refuse(format string, a ...any) {
	c.status, c.statusBad = fmt.Sprintf(format, a...), true
}

// is reports whether msg presses an enabled binding. Pressing a disabled one says why in the status line.
func (c *common) is(msg tea.KeyMsg, b *binding) bool {
	return b.pressed(msg) && c.allowed(b)
}

// allowed reports whether a binding is enabled for this session, saying why in the status line when it is not.
func (c *common) allowed(b *binding) bool {
	if !b.Enabled() {
		if b.why != "" {
			c.status, c.statusBad = b.why, true
		}
		return false
	}
	return true
}

// scroll moves a viewport by the scrolling keys (down, up, page down, page up, top, bottom) and reports whether
// msg was one of them.
func (c *common) scroll(vp *viewport.Model, msg tea.KeyMsg) bool {
	k := c.keys
	switch {
	case c.is(msg, k.Down):
		vp.ScrollDown(1)
	case c.is(msg, k.Up):
		vp.ScrollUp(1)
	case c.is(msg, k.PageDown):
		vp.PageDown()
	case c.is(msg, k.PageUp):
		vp.PageUp()
	case c.is(msg, k.Top):
		vp.GotoTop()
	case c.is(msg, k.Bottom):
		vp.GotoBottom()
	default:
		return false
	}
	return true
}

// newInput is a one-line input styled for this renderer, with a steady cursor (no blink timer).
func (c *common) newInput(prompt string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.Cursor.SetMode(cursor.CursorStatic)
	c.styleInput(&ti)
	return ti
}

// styleInput gives a one-line input this session's styles, every one of them built on its renderer: a style
// left from the input's defaults would be drawn with the global renderer's colour profile instead.
func (c *common) styleInput(ti *textinput.Model) {
	ti.PromptStyle = c.st.InputPrompt
	ti.TextStyle = c.st.InputText
	ti.PlaceholderStyle = c.st.InputPlaceholder
	ti.CompletionStyle = c.st.InputPlaceholder
	ti.Cursor.Style = c.r.NewStyle().Reverse(true)
	ti.Cursor.TextStyle = c.st.InputText
}

// newTextarea is a multi-line input styled for this renderer.
func (c *common) newTextarea(placeholder string) textarea.Model {
	ta := textarea.New()
	ta.Placeholder = placeholder
	ta.ShowLineNumbers = false
	ta.Prompt = "│ "
	ta.CharLimit = cases.MaxNote
	ta.Cursor.SetMode(cursor.CursorStatic)
	c.styleTextarea(&ta)
	return ta
}

// styleTextarea is styleInput for a multi-line input.
func (c *common) styleTextarea(ta *textarea.Model) {
	style := textarea.Style{
		Base:             c.r.NewStyle(),
		CursorLine:       c.st.InputText,
		CursorLineNumber: c.st.Muted,
		EndOfBuffer:      c.st.Muted,
		LineNumber:       c.st.Muted,
		Placeholder:      c.st.InputPlaceholder,
		Prompt:           c.st.InputPrompt,
		Text:             c.st.InputText,
	}
	ta.FocusedStyle, ta.BlurredStyle = style, style
	ta.Cursor.Style = c.r.NewStyle().Reverse(true)
	ta.Cursor.TextStyle = c.st.InputText
	// the textarea works out its current style on Focus and Blur only
	if ta.Focused() {
		ta.Focus()
	} else {
		ta.Blur()
	}
}

// infoDays is the days an importer has to answer a request for information, by the desk's policy.
func (c *common) infoDays() int {
	if n := c.desk.Policy().InfoRequestDays; n > 0 {
		return n
	}
	return 30
}

// touches reports whether a change may have touched the case id: a change that names no case may have touched
// any.
func touches(c cases.Change, id string) bool {
	if len(c.Cases) == 0 {
		return true
	}
	for _, x := range c.Cases {
		if x == id {
			return true
		}
	}
	return false
}

func orNobody(s string) string {
	if s == "" {
		return "someone"
	}
	return s
}

func clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}
