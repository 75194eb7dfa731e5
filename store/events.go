package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"ceedesk/cases"
)

// ErrLocked is wrapped by Open's error when another process holds the store file (bbolt admits one process).
var ErrLocked = bolt.ErrTimeout

// Events calls fn for every audit event in log order, inside one read transaction, so the sequence it sees is
// one consistent prefix of the log. It stops at fn's first error and returns it.
func (s *Store) Events(fn func(cases.Event) error) error {
	return s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bAudit).ForEach(func(k, v []byte) error {
			var e cases.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit event %x: %w", k, err)
			}
			return fn(e)
		})
	})
}
