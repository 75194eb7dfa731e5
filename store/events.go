package store

import (
	"encoding/json"
	"fmt"

	"ceedesk/cases"
)

// Events calls fn for every audit event actor may take in bulk (cases.BulkScope), in log order, inside one read
// transaction, so the sequence it sees is one consistent prefix of the log: an admin or the operator every
// event; a supervisor the events of their Center's cases. It stops at fn's first error and returns it.
func (s *Store) Events(actor string, fn func(cases.Event) error) error {
	return s.view(func(tx kvTx) error {
		center, err := s.bulkScope(tx, actor, "export the audit log")
		if err != nil {
			return err
		}
		return tx.Bucket(bAudit).ForEach(func(k, v []byte) error {
			var e cases.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit event %x: %w", k, err)
			}
			if center != "" && (e.Case == "" || caseCenter(tx, e.Case) != center) {
				return nil
			}
			return fn(e)
		})
	})
}
