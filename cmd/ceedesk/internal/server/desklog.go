package server

import (
	"strconv"
	"strings"

	"ceedesk/cases"
	"ceedesk/ui"

	"github.com/charmbracelet/log"
)

// loggedDesk is the store as one session's workstation sees it. Every call goes to the store unchanged; after
// each write the server log gets one line naming the action, the session's user and remote address, the case or
// cases and what came of it: Info when the store committed it, Warn with the store's reason when it refused.
// Reads are not logged.
type loggedDesk struct {
	ui.Desk
	log    *log.Logger
	user   string
	remote string
}

func (d *loggedDesk) who(actor string) []any {
	kv := []any{"user", d.user, "remote", d.remote}
	if actor != d.user { // the workstation acts as its user; say so if it ever does not
		kv = append(kv, "actor", logText(actor))
	}
	return kv
}

func (d *loggedDesk) wrote(action, actor string, kv ...any) {
	d.log.Info(action, append(d.who(actor), kv...)...)
}

func (d *loggedDesk) refused(action, actor string, err error, kv ...any) {
	kv = append(d.who(actor), kv...)
	d.log.Warn(action+" refused", append(kv, "reason", logText(err.Error()))...)
}

func (d *loggedDesk) StartReview(actor, id string, version uint64) (*cases.Case, error) {
	c, err := d.Desk.StartReview(actor, id, version)
	switch {
	case err != nil:
		d.refused("start review", actor, err, "case", logText(id), "version", version)
	case version == 0 || c.Version != version: // opening a case already in review writes nothing
		d.wrote("start review", actor, "case", c.ID, "status", c.Status, "version", c.Version)
	}
	return c, err
}

func (d *loggedDesk) Decide(actor, id string, version uint64, dec cases.Decision, today cases.Date) (*cases.Case, error) {
	c, err := d.Desk.Decide(actor, id, version, dec, today)
	if err != nil {
		d.refused("decide", actor, err, "case", logText(id), "version", version, "outcome", logText(string(dec.Outcome)))
		return c, err
	}
	kv := []any{"case", c.ID, "outcome", dec.Outcome, "status", c.Status, "version", c.Version}
	if dec.Amount != 0 {
		kv = append(kv, "amount", dec.Amount.String())
	}
	if c.Decision != nil && c.Decision.LateAck != "" {
		kv = append(kv, "late", "acknowledged")
	}
	d.wrote("decide", actor, kv...)
	return c, nil
}

func (d *loggedDesk) Approve(actor, id string, version uint64, comment, lateAck string, today cases.Date) (*cases.Case, error) {
	c, err := d.Desk.Approve(actor, id, version, comment, lateAck, today)
	if err != nil {
		d.refused("approve", actor, err, "case", logText(id), "version", version)
		return c, err
	}
	kv := []any{"case", c.ID}
	if c.Decision != nil {
		kv = append(kv, "outcome", c.Decision.Outcome, "decided_by", c.Decision.By)
	}
	d.wrote("approve", actor, append(kv, "version", c.Version)...)
	return c, nil
}

func (d *loggedDesk) Return(actor, id string, version uint64, comment string) (*cases.Case, error) {
	c, err := d.Desk.Return(actor, id, version, comment)
	if err != nil {
		d.refused("return", actor, err, "case", logText(id), "version", version)
		return c, err
	}
	d.wrote("return", actor, "case", c.ID, "to", c.Assignee, "version", c.Version)
	return c, nil
}

func (d *loggedDesk) AddNote(actor, id string, version uint64, text string) (*cases.Case, error) {
	c, err := d.Desk.AddNote(actor, id, version, text)
	if err != nil {
		d.refused("note", actor, err, "case", logText(id), "version", version)
		return c, err
	}
	d.wrote("note", actor, "case", c.ID, "version", c.Version)
	return c, nil
}

func (d *loggedDesk) RequestInfo(actor, id string, version uint64, question string, today cases.Date) (*cases.Case, error) {
	c, err := d.Desk.RequestInfo(actor, id, version, question, today)
	if err != nil {
		d.refused("request info", actor, err, "case", logText(id), "version", version)
		return c, err
	}
	kv := []any{"case", c.ID, "status", c.Status}
	if n := len(c.Requests); n > 0 {
		kv = append(kv, "due", c.Requests[n-1].Due.String())
	}
	d.wrote("request info", actor, append(kv, "version", c.Version)...)
	return c, nil
}

func (d *loggedDesk) AnswerRequest(actor, id string, version uint64, answered cases.Date, text string, today cases.Date) (*cases.Case, error) {
	c, err := d.Desk.AnswerRequest(actor, id, version, answered, text, today)
	if err != nil {
		d.refused("answer", actor, err, "case", logText(id), "version", version)
		return c, err
	}
	d.wrote("answer", actor, "case", c.ID, "received", answered.String(), "status", c.Status, "version", c.Version)
	return c, nil
}

func (d *loggedDesk) NoticeOfAction(actor, id string, version uint64, proposed bool, action string, sent, today cases.Date) (*cases.Case, error) {
	c, err := d.Desk.NoticeOfAction(actor, id, version, proposed, action, sent, today)
	kind := "taken"
	if proposed {
		kind = "proposed"
	}
	if err != nil {
		d.refused("notice of action", actor, err, "case", logText(id), "version", version, "action", kind)
		return c, err
	}
	kv := []any{"case", c.ID, "action", kind, "sent", sent.String()}
	if n := len(c.Notices); n > 0 && proposed {
		kv = append(kv, "reply_due", c.Notices[n-1].ReplyDue.String())
	}
	d.wrote("notice of action", actor, append(kv, "version", c.Version)...)
	return c, nil
}

func (d *loggedDesk) RecordReply(actor, id string, version uint64, replied cases.Date, text string, today cases.Date) (*cases.Case, error) {
	c, err := d.Desk.RecordReply(actor, id, version, replied, text, today)
	if err != nil {
		d.refused("reply", actor, err, "case", logText(id), "version", version)
		return c, err
	}
	d.wrote("reply", actor, "case", c.ID, "received", replied.String(), "version", c.Version)
	return c, nil
}

// BreakLease logs a supervisor's break of a checkout, with whose checkout it was.
func (d *loggedDesk) BreakLease(actor, id, reason string) (*cases.Lease, error) {
	l, err := d.Desk.BreakLease(actor, id, reason)
	if err != nil {
		d.refused("break checkout", actor, err, "case", logText(id))
		return l, err
	}
	d.wrote("break checkout", actor, "case", logText(id), "holder", l.User, "checkout", l.Checkout, "until", l.Until.String())
	return l, nil
}

// Assign logs the cases in the order given, with each one's new version.
func (d *loggedDesk) Assign(actor string, ids []string, versions []uint64, to, reason string, today cases.Date) ([]*cases.Case, error) {
	cs, err := d.Desk.Assign(actor, ids, versions, to, reason, today)
	clean := make([]string, len(ids))
	for i, id := range ids {
		clean[i] = logText(id)
	}
	if err != nil {
		d.refused("assign", actor, err, "case", logText(strings.Join(clean, ",")), "to", logText(to))
		return cs, err
	}
	now := make([]string, len(cs))
	for i, c := range cs {
		now[i] = strconv.FormatUint(c.Version, 10)
	}
	d.wrote("assign", actor, "case", logText(strings.Join(clean, ",")), "to", to, "reason", logText(reason),
		"version", strings.Join(now, ","))
	return cs, nil
}
