package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ceedesk/cases"
)

// width is the number of cells s takes, with a fast path for plain ASCII (most of a queue).
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// fit pads or truncates s (which may carry styling) to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := width(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// fitLeft right-aligns s in w cells.
func fitLeft(s string, w int) string {
	n := width(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-n) + s
}

// wrap word-wraps plain text to w cells.
func wrap(s string, w int) string {
	if w < 10 {
		w = 10
	}
	return ansi.Wrap(s, w, "")
}

// one is outside text made safe for a single line of the terminal.
func one(s string) string { return cases.CleanLine(s) }

// daysLeft is "3d", "0d" or "-4d".
func daysLeft(today, due cases.Date) string {
	if due.IsZero() {
		return ""
	}
	return fmt.Sprintf("%dd", today.DaysUntil(due))
}

// dueMark is "!" for overdue, "•" for due within 7 days, " " otherwise: state is never shown by colour alone.
func dueMark(today, due cases.Date) string {
	if due.IsZero() {
		return " "
	}
	switch left := today.DaysUntil(due); {
	case left < 0:
		return "!"
	case left <= 7:
		return "•"
	}
	return " "
}

// dueWords says how a clock stands: "3 days overdue", "due today", "12 days left".
func dueWords(today, due cases.Date) string {
	switch left := today.DaysUntil(due); {
	case left < -1:
		return fmt.Sprintf("%d days overdue", -left)
	case left == -1:
		return "1 day overdue"
	case left == 0:
		return "due today"
	case left == 1:
		return "1 day left"
	default:
		return fmt.Sprintf("%d days left", left)
	}
}

// shortStatus fits a status in 8 cells for narrow screens.
func shortStatus(s cases.Status) string {
	switch s {
	case cases.StatusInReview:
		return "review"
	case cases.StatusAwaitingInfo:
		return "info"
	case cases.StatusPendingApproval:
		return "approval"
	}
	return string(s)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// frame makes body exactly h lines of at most w cells: long lines are cut, missing lines added.
func frame(body string, w, h int) string {
	var b strings.Builder
	b.Grow(len(body) + h)
	n := 0
	for n < h && body != "" {
		line, rest, more := strings.Cut(body, "\n")
		if width(line) > w {
			line = ansi.Truncate(line, w, "")
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
		n++
		body = rest
		if !more {
			break
		}
	}
	for ; n < h; n++ {
		if n > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// paint is a one-line style reduced to the escape sequences around its text, so a row of the queue is styled by
// two string joins instead of a full lipgloss render.
type paint struct{ pre, post string }

func paintOf(st lipgloss.Style) paint {
	const mark = "\x00"
	pre, post, _ := strings.Cut(st.Render(mark), mark)
	return paint{pre, post}
}

func (p paint) on(s string) string {
	if p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

// says is an error as a person reads it: the rule's own words, without the sentinel ("invalid: ", "not
// permitted: ") that tells a program what kind of refusal it is, and safe for one line of the terminal.
func says(err error) string {
	s := err.Error()
	for _, sentinel := range []error{cases.ErrInvalid, cases.ErrForbidden} {
		s = strings.ReplaceAll(s, sentinel.Error()+": ", "")
	}
	return one(s)
}
