package ui

import (
	"errors"
	"fmt"

	"ceedesk/cases"
)

// Text a user typed outlives a change to its case: the decision pane, a dialog or a confirmation keeps it on
// screen with a notice that says what changed and who changed it, and the text can be kept as a note on the case
// (when the store still lets the user add one) or copied to the clipboard. These are the words of those notices.

// changeWords says what a change did to c, which is the case as it reads after the change: "a note added",
// "reassigned to bob"; "" when the change does not say.
func changeWords(ch cases.Change, c *cases.Case) string {
	switch ch.Action {
	case "assign":
		if c.Assignee == "" {
			return "unassigned"
		}
		return "reassigned to " + one(c.Assignee)
	case "note":
		return "a note added"
	case "review":
		return "its review begun"
	case "decide":
		return "a decision recorded"
	case "approve":
		return "the decision approved"
	case "return":
		return "the decision returned for review"
	case "request_info":
		return "information requested from the importer"
	case "answer":
		return "the importer's answer recorded"
	case "notice_of_action":
		return "a notice of action recorded"
	case "reply":
		return "the importer's reply recorded"
	}
	return ""
}

// changedBy says who last changed c, when, and what the change did: "changed by sofia at 09:41: a note added".
func changedBy(ch cases.Change, c *cases.Case) string {
	s := fmt.Sprintf("changed by %s at %s", one(orNobody(c.UpdatedBy)), c.UpdatedAt.Format("15:04"))
	if w := changeWords(ch, c); w != "" {
		s += ": " + w
	}
	return s
}

// changedNotice is changedBy, and that the write in progress (what) is checked against the version the user saw.
func changedNotice(ch cases.Change, c *cases.Case, what string) string {
	return changedBy(ch, c) + " — your " + what + " will be checked against the version you saw"
}

// conflictText names who changed a case, and when, after the actor read it.
func conflictText(ce *cases.ConflictError) string {
	return fmt.Sprintf("case %s was changed by %s at %s; reloaded", one(ce.ID), one(orNobody(ce.By)), ce.At.Format("15:04"))
}

// keepRefused says why typed text could not be kept as a note; the text stays, to be copied. A conflict rereads
// the open case, so the next try is against the version it names.
func (m *Model) keepRefused(err error) {
	var ce *cases.ConflictError
	if errors.As(err, &ce) {
		m.refused(err)
		m.status += "; your text is still here"
		return
	}
	m.refuse("your text was not kept as a note: %s", says(err))
}
