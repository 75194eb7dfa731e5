package store

import (
	"encoding/json"
	"fmt"

	"ceedesk/cases"
)

// VerifyHistory rebuilds every case's assignee, status and outcome from the audit log alone and compares them with
// the stored cases, in one read transaction. It returns the number of cases checked; its error names the first
// case whose log does not explain it (a change applied without its event, an event without its change, or an
// event out of place). Together with VerifyAudit it shows the log is both intact and complete.
func (s *Store) VerifyHistory() (int, error) {
	n := 0
	err := s.view(func(tx kvTx) error {
		states := map[string]*cases.State{}
		err := tx.Bucket(bAudit).ForEach(func(k, v []byte) error {
			var e cases.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit event %x: %w", k, err)
			}
			if e.Case == "" {
				return nil
			}
			next, err := cases.Replay(states[e.Case], e)
			if err != nil {
				return err
			}
			states[e.Case] = next
			return nil
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bCases).ForEach(func(k, v []byte) error {
			c, err := decodeCase(v)
			if err != nil {
				return fmt.Errorf("case %s: %w", k, err)
			}
			got := states[c.ID]
			if got == nil {
				return fmt.Errorf("case %s has no events in the audit log", c.ID)
			}
			if want := cases.StateOf(c); *got != want {
				return fmt.Errorf("case %s: the audit log says %+v but the store has %+v", c.ID, *got, want)
			}
			delete(states, c.ID)
			n++
			return nil
		})
		if err != nil {
			return err
		}
		for id := range states {
			return fmt.Errorf("the audit log has events for case %s, which is not in the store", id)
		}
		return nil
	})
	return n, err
}
