package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"ceedesk/cases"
)

// fit pads or truncates s (which may carry styling) to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}

// fitLeft right-aligns s in w cells.
func fitLeft(s string, w int) string {
	n := ansi.StringWidth(s)
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

func asConflict(err error, target **cases.ConflictError) bool { return errors.As(err, target) }
