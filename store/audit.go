package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"time"

	"ceedesk/cases"
)

// The audit log is append-only and hash-chained: each event's Hash covers a canonical encoding of its fields and
// the previous event's hash (Prev), and meta holds the last seq and hash. Editing, removing, reordering or inserting
// an event breaks the chain at that event, which VerifyAudit names. From the event meta names (auditkey.go) on, the
// hash is an HMAC-SHA256 under a key kept outside the store, so the chain cannot be recomputed without the key;
// events before it (a store from before keys) keep their plain SHA-256.

// writeEvent writes the canonical encoding of an event to h: a domain string, seq, time (RFC 3339, nanoseconds,
// UTC), actor, case, action, change, reason and prev, each preceded by its length as a uvarint; then, for a change
// checked in from a desk, "offline" and the time it was made there.
func writeEvent(h hash.Hash, domain string, e *cases.Event) {
	var buf [binary.MaxVarintLen64]byte
	put := func(s string) {
		n := binary.PutUvarint(buf[:], uint64(len(s)))
		h.Write(buf[:n])
		io.WriteString(h, s)
	}
	put(domain)
	put(strconv.FormatUint(e.Seq, 10))
	put(e.At.UTC().Format(time.RFC3339Nano))
	put(e.Actor)
	put(e.Case)
	put(e.Action)
	put(e.Change)
	put(e.Reason)
	put(e.Prev)
	// A change checked in from a desk also carries when it was made offline; events without one hash as they
	// always have.
	if !e.Offline.IsZero() {
		put("offline")
		put(e.Offline.UTC().Format(time.RFC3339Nano))
	}
}

// eventHash is the hex SHA-256 of the event's encoding under "ceedesk-audit-1": the hash of an event before the
// chain is keyed.
func eventHash(e *cases.Event) string {
	h := sha256.New()
	writeEvent(h, "ceedesk-audit-1", e)
	return hex.EncodeToString(h.Sum(nil))
}

// eventMAC is the hex HMAC-SHA256 of the event's encoding under "ceedesk-audit-2", with mac (hmac.New(sha256.New,
// key)) reset first: the hash of an event of the keyed chain.
func eventMAC(mac hash.Hash, e *cases.Event) string {
	mac.Reset()
	writeEvent(mac, "ceedesk-audit-2", e)
	return hex.EncodeToString(mac.Sum(nil))
}

// auditLog appends events within one write transaction; flush records the last seq and hash in meta.
type auditLog struct {
	tx      kvTx
	audit   kvBucket
	history kvBucket
	seq     uint64
	prev    string
	events  []cases.Event
	from    uint64    // the first event of the keyed chain; 0: not keyed (yet)
	ck      *chainKey // nil: this store has no key and no place for one
	mac     hash.Hash // made on the first keyed event
}

// openAudit opens the audit log for appending inside the write transaction tx, with the store's chain key.
func (s *Store) openAudit(tx kvTx) *auditLog {
	a := &auditLog{tx: tx, audit: tx.Bucket(bAudit), history: tx.Bucket(bHistory), ck: s.chain}
	a.seq = metaUint(tx, mAuditSeq)
	a.prev = string(tx.Bucket(bMeta).Get(mAuditHash))
	a.from = metaUint(tx, mAuditKeyedFrom)
	a.audit.SetFillPercent(1.0) // keys only ever grow
	return a
}

// hash is the Hash of an event at its place in the chain. A chain not keyed yet is keyed here when the store
// has a place for its key; a keyed chain is never extended without its key.
func (a *auditLog) hash(e *cases.Event) (string, error) {
	if a.from == 0 {
		if a.ck == nil || a.ck.path == "" {
			return eventHash(e), nil
		}
		if err := keyChain(a.tx, a.ck, e.Seq); err != nil {
			return "", err
		}
		a.from = e.Seq
	}
	if e.Seq < a.from {
		return eventHash(e), nil
	}
	if a.mac == nil {
		var k *auditKey
		if a.ck != nil {
			k = a.ck.current()
		}
		if k == nil {
			if a.ck != nil && a.ck.err != nil {
				return "", a.ck.err
			}
			return "", errors.New("audit log: the chain is keyed and the store was opened without its key; nothing was written")
		}
		// The key this process holds must be the one the chain records, read in this transaction: on an engine
		// that several processes share, a front end started with another key file must not extend the chain
		// with it, nor one that holds the key of a store since replaced under the same prefix.
		if id := string(a.tx.Bucket(bMeta).Get(mAuditKeyID)); id != "" && id != k.id {
			return "", fmt.Errorf("audit log: the chain is keyed with key %s, and this ceedesk holds key %s (%s); nothing was written: give every ceedesk of this store the same key file (--audit-key)", id, k.id, k.path)
		}
		a.mac = hmac.New(sha256.New, k.key)
	}
	return eventMAC(a.mac, e), nil
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
	h, err := a.hash(&e)
	if err != nil {
		return err
	}
	e.Hash = h
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

// History returns the case's audit events, oldest first, to an actor who may see the case (cases.CanView). It
// wraps cases.ErrNotFound when the case does not exist.
func (s *Store) History(actor, id string) ([]cases.Event, error) {
	var out []cases.Event
	err := s.view(func(tx kvTx) error {
		kase, err := getCase(tx, id)
		if err != nil {
			return err
		}
		if err := s.checkCase(tx, actor, kase); err != nil {
			return err
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
// prev does not match the hash of the event before it, or its seq does not match its place). Events of the keyed
// chain are checked with the key the store was opened with; opened read-only without it, the first keyed event is
// an error that says why there is no key.
func (s *Store) VerifyAudit() (int, error) {
	n, _, err := s.VerifyAuditExtends(0, "")
	return int(n), err
}

// VerifyAuditExtends is VerifyAudit that also checks, in the same read transaction, that the log still extends a
// head recorded earlier (as AuditHead or `audit verify` gave it): event headSeq is in the log with hash headHash
// (headSeq 0 checks no earlier head). It returns the head it verified: the last event's seq and hash. A log
// rewritten at or before event headSeq, or that ends before it, is an error naming that event.
//
// Only a head kept outside the store shows what a keyed chain alone cannot: that the newest events were removed,
// or that the whole keyed part of the chain was replaced by one made without the key.
func (s *Store) VerifyAuditExtends(headSeq uint64, headHash string) (uint64, string, error) {
	var n uint64
	prev := ""
	ck := s.chain
	err := s.view(func(tx kvTx) error {
		meta := tx.Bucket(bMeta)
		from := metaUint(tx, mAuditKeyedFrom)
		last := metaUint(tx, mAuditSeq)
		if err := checkKeyRecord(meta, last); err != nil {
			return err
		}
		var mac hash.Hash
		if ck != nil && from != 0 {
			if k := ck.current(); k != nil {
				mac = hmac.New(sha256.New, k.key)
			}
		}
		want := uint64(1)
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
			var h string
			switch {
			case from == 0 || seq < from:
				h = eventHash(&e)
			case mac != nil:
				h = eventMAC(mac, &e)
			default:
				why := errors.New("the store was opened without its key")
				if ck != nil && ck.err != nil {
					why = ck.err
				}
				return fmt.Errorf("audit event %d is of the keyed chain and cannot be checked: %w", seq, why)
			}
			if h != e.Hash {
				return fmt.Errorf("audit event %d: its content does not match its hash (edited)", seq)
			}
			if seq == headSeq && e.Hash != headHash {
				return fmt.Errorf("audit event %d: its hash is %s, not %s as recorded earlier: the log was rewritten at or before event %d", seq, e.Hash, headHash, seq)
			}
			prev = e.Hash
			want++
			n++
		}
		if n != last {
			if n < last {
				return fmt.Errorf("audit event %d is missing: the log ends at %d but the store recorded %d events (removed)", n+1, n, last)
			}
			return fmt.Errorf("audit event %d: the store recorded only %d events (inserted)", last+1, last)
		}
		if string(meta.Get(mAuditHash)) != prev {
			return fmt.Errorf("audit event %d: its hash does not match the last hash the store recorded (edited)", n)
		}
		if headSeq > n {
			return fmt.Errorf("audit event %d, recorded earlier as the head, is not in the log: it ends at event %d (events were removed)", headSeq, n)
		}
		return nil
	})
	return n, prev, err
}

// checkKeyRecord refuses a record of the chain's key that ceedesk never writes: keyed from no event, or from after
// the last one, or a key recorded without the event the chain is keyed from.
func checkKeyRecord(meta kvBucket, last uint64) error {
	v := meta.Get(mAuditKeyedFrom)
	switch {
	case v == nil && meta.Get(mAuditKeyID) == nil && meta.Get(mAuditKeyPath) == nil:
		return nil
	case v == nil:
		return errors.New("audit log: the store records a key for its chain but not the event it is keyed from (the record of the key was changed)")
	case len(v) != 8:
		return fmt.Errorf("audit log: the event the store says its chain is keyed from is not a number (%x) (the record of the key was changed)", v)
	case binary.BigEndian.Uint64(v) == 0 || binary.BigEndian.Uint64(v) > last:
		return fmt.Errorf("audit log: the store says its chain is keyed from event %d, but it has %d events (the record of the key was changed)", binary.BigEndian.Uint64(v), last)
	}
	return nil
}

// AuditHead is the last event's seq and hash as the store records them (0 and "" for an empty log), without
// verifying the chain. Kept outside the store (the server logs it when it starts and stops), a head is what
// VerifyAuditExtends checks a later log against.
func (s *Store) AuditHead() (seq uint64, hash string, err error) {
	err = s.view(func(tx kvTx) error {
		seq, hash = metaUint(tx, mAuditSeq), string(tx.Bucket(bMeta).Get(mAuditHash))
		return nil
	})
	return seq, hash, err
}

// AuditKey says from which event the audit chain is keyed (0: it is not keyed yet) and the key file: the one the
// store was opened with, or, opened without it, the one it recorded; for a chain not keyed yet, the file its key
// will be read from or made in at its next event ("" when it stays unkeyed).
func (s *Store) AuditKey() (from uint64, path string, err error) {
	err = s.view(func(tx kvTx) error {
		from, path = metaUint(tx, mAuditKeyedFrom), string(tx.Bucket(bMeta).Get(mAuditKeyPath))
		return nil
	})
	if ck := s.chain; ck != nil {
		if k := ck.current(); k != nil {
			path = k.path
		} else if from == 0 {
			path = ck.path
		}
	}
	return from, path, err
}
