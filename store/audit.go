package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"

	"ceedesk/cases"
)

// The audit log is append-only and hash-chained: each event's Hash is the hex SHA-256 of a canonical encoding of
// its fields and the previous event's hash (Prev), and meta holds the last seq and hash. Editing, removing,
// reordering or inserting an event breaks the chain at that event, which VerifyAudit names.

// eventHash is the hex SHA-256 of: "ceedesk-audit-1", seq, time (RFC 3339, nanoseconds, UTC), actor, case,
// action, change, reason and prev, each preceded by its length as a uvarint.
func eventHash(e *cases.Event) string {
	h := sha256.New()
	var buf [binary.MaxVarintLen64]byte
	put := func(s string) {
		n := binary.PutUvarint(buf[:], uint64(len(s)))
		h.Write(buf[:n])
		h.Write([]byte(s))
	}
	put("ceedesk-audit-1")
	put(strconv.FormatUint(e.Seq, 10))
	put(e.At.UTC().Format(time.RFC3339Nano))
	put(e.Actor)
	put(e.Case)
	put(e.Action)
	put(e.Change)
	put(e.Reason)
	put(e.Prev)
	return hex.EncodeToString(h.Sum(nil))
}

// auditLog appends events within one write transaction; flush records the last seq and hash in meta.
type auditLog struct {
	tx      *bolt.Tx
	audit   *bolt.Bucket
	history *bolt.Bucket
	seq     uint64
	prev    string
	events  []cases.Event
}

func openAudit(tx *bolt.Tx) *auditLog {
	a := &auditLog{tx: tx, audit: tx.Bucket(bAudit), history: tx.Bucket(bHistory)}
	a.seq = metaUint(tx, mAuditSeq)
	a.prev = string(tx.Bucket(bMeta).Get(mAuditHash))
	a.audit.FillPercent = 1.0 // keys only ever grow
	return a
}

// append adds one event to the chain. It refuses (cases.ErrInvalid, naming the field and the byte) an event whose
// text is not valid UTF-8: JSON would store U+FFFD in place of the bad bytes, so the stored event would no longer
// be the one that was hashed. What is hashed is exactly what a reader decodes.
func (a *auditLog) append(e cases.Event) error {
	if err := checkEventText(&e); err != nil {
		return err
	}
	e.Seq = a.seq + 1
	e.At = e.At.UTC()
	e.Prev = a.prev
	e.Hash = eventHash(&e)
	v, err := json.Marshal(&e)
	if err != nil {
		return fmt.Errorf("audit event %d: %w", e.Seq, err)
	}
	if err := a.audit.Put(be64(e.Seq), v); err != nil {
		return err
	}
	if e.Case != "" {
		if err := a.history.Put(historyKey(e.Case, e.Seq), nil); err != nil {
			return err
		}
	}
	a.seq = e.Seq
	a.prev = e.Hash
	a.events = append(a.events, e)
	return nil
}

// checkEventText refuses an event any of whose text is not valid UTF-8. Every way into ceedesk refuses such text
// before it reaches a rule; this is the last line, so that nothing is ever stored differently from how it was
// hashed.
func checkEventText(e *cases.Event) error {
	for _, f := range [...]struct{ name, text string }{
		{"actor", e.Actor}, {"case", e.Case}, {"action", e.Action}, {"change", e.Change}, {"reason", e.Reason},
	} {
		if err := cases.CheckUTF8("the audit event's "+f.name, f.text); err != nil {
			return fmt.Errorf("audit log: %w; nothing was written", err)
		}
	}
	return nil
}

func (a *auditLog) flush() error {
	meta := a.tx.Bucket(bMeta)
	if err := meta.Put(mAuditSeq, be64(a.seq)); err != nil {
		return err
	}
	return meta.Put(mAuditHash, []byte(a.prev))
}

func historyKey(id string, seq uint64) []byte {
	k := make([]byte, 0, len(id)+9)
	k = append(k, id...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// History returns the case's audit events, oldest first. It wraps cases.ErrNotFound when the case does not exist.
func (s *Store) History(id string) ([]cases.Event, error) {
	var out []cases.Event
	err := s.view(func(tx *bolt.Tx) error {
		if tx.Bucket(bCases).Get([]byte(id)) == nil {
			return fmt.Errorf("case %s: %w", id, cases.ErrNotFound)
		}
		prefix := append([]byte(id), 0)
		audit := tx.Bucket(bAudit)
		c := tx.Bucket(bHistory).Cursor()
		for k, _ := c.Seek(prefix); k != nil && len(k) == len(prefix)+8 && string(k[:len(prefix)]) == string(prefix); k, _ = c.Next() {
			seq := binary.BigEndian.Uint64(k[len(prefix):])
			v := audit.Get(k[len(prefix):])
			if v == nil {
				return fmt.Errorf("case %s: audit event %d is missing", id, seq)
			}
			var e cases.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("case %s: audit event %d: %w", id, seq, err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// VerifyAudit walks the whole audit log and checks the hash chain. It returns the number of events; its error names
// the first bad event (by seq) and what is wrong with it: edited (content does not match its hash), removed (a gap
// in the sequence, or the log ends before the last event the store recorded), reordered or inserted (an event's
// prev does not match the hash of the event before it, or its seq does not match its place).
func (s *Store) VerifyAudit() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		want := uint64(1)
		prev := ""
		c := tx.Bucket(bAudit).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(k) != 8 {
				return fmt.Errorf("audit log: key %x is not an event number (inserted)", k)
			}
			seq := binary.BigEndian.Uint64(k)
			if seq != want {
				if seq > want {
					return fmt.Errorf("audit event %d is missing: the log jumps from %d to %d (removed)", want, want-1, seq)
				}
				return fmt.Errorf("audit event %d: out of order", seq)
			}
			var e cases.Event
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit event %d: unreadable (edited): %v", seq, err)
			}
			if e.Seq != seq {
				return fmt.Errorf("audit event %d: it says it is event %d (reordered or moved)", seq, e.Seq)
			}
			if e.Prev != prev {
				return fmt.Errorf("audit event %d: its previous-event hash does not match event %d (an event was removed, inserted or reordered before it)", seq, seq-1)
			}
			if h := eventHash(&e); h != e.Hash {
				return fmt.Errorf("audit event %d: its content does not match its hash (edited)", seq)
			}
			prev = e.Hash
			want++
			n++
		}
		last := metaUint(tx, mAuditSeq)
		if uint64(n) != last {
			if uint64(n) < last {
				return fmt.Errorf("audit event %d is missing: the log ends at %d but the store recorded %d events (removed)", n+1, n, last)
			}
			return fmt.Errorf("audit event %d: the store recorded only %d events (inserted)", last+1, last)
		}
		if string(tx.Bucket(bMeta).Get(mAuditHash)) != prev {
			return fmt.Errorf("audit event %d: its hash does not match the last hash the store recorded (edited)", n)
		}
		return nil
	})
	return n, err
}
