package ui

import (
	"encoding/base64"
	"io"

	tea "github.com/charmbracelet/bubbletea"
)

// ClipboardMsg is the text a user copied (the copy_text key, in the decision pane and in dialogs), on its way to
// the terminal's clipboard. Bubble Tea v1 writes only the view to the terminal: it has no command for raw output,
// and tea.Printf prints nothing in the alternate screen. So the host writes the sequence, with Clipboard as the
// program's filter; without it a copy reaches no clipboard.
type ClipboardMsg struct{ Text string }

// OSC52 is the escape sequence that puts the text in the clipboard of the terminal that reads it, the user's own
// over SSH as well (OSC 52; tmux passes it on with set-clipboard on).
func (c ClipboardMsg) OSC52() string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(c.Text)) + "\a"
}

// Clipboard is a program filter (tea.WithFilter) that writes the clipboard sequence of every ClipboardMsg to out,
// the terminal the program draws on, in one write; every message then goes on to next, or as it is when next is
// nil.
func Clipboard(out io.Writer, next func(tea.Model, tea.Msg) tea.Msg) func(tea.Model, tea.Msg) tea.Msg {
	return func(m tea.Model, msg tea.Msg) tea.Msg {
		if c, ok := msg.(ClipboardMsg); ok {
			_, _ = io.WriteString(out, c.OSC52())
		}
		if next != nil {
			return next(m, msg)
		}
		return msg
	}
}

// copyText sends text to the clipboard and says so, or says there is nothing to copy.
func (c *common) copyText(text string) tea.Cmd {
	if text == "" {
		c.refuse("nothing is typed to copy")
		return nil
	}
	c.say("copied %s to the clipboard", plural(len([]rune(text)), "character", "characters"))
	return func() tea.Msg { return ClipboardMsg{Text: text} }
}
