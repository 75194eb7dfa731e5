package store

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"ceedesk/cases"
)

// randomText is text of the kinds that reach the audit log from outside: plain words, control and bidi
// characters, random bytes (mostly not UTF-8), a lone invalid byte in a word, and very long text.
func randomText(rng *rand.Rand) string {
	switch rng.IntN(7) {
	case 0:
		return ""
	case 1:
		return "checked the invoices with the broker"
	case 2:
		return "caf\xe9" // the Latin-1 é a terminal sends when it is not set to UTF-8
	case 3:
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b)
	case 4:
		return "line\x00one\r\n\x1b[2Jtwo\u202eevil\u2066isolate\u2069\ufeff\u2028"
	case 5:
		return strings.Repeat("long note é 中文 ", 1+rng.IntN(4000))
	default:
		var sb strings.Builder
		for range 1 + rng.IntN(30) {
			sb.WriteRune(rune(rng.IntN(0x110000)))
		}
		return sb.String()
	}
}

// metaHead is the last seq and hash the store recorded.
func metaHead(t *testing.T, s *Store) (seq uint64, hash string) {
	t.Helper()
	s.view(func(tx *bolt.Tx) error {
		seq, hash = metaUint(tx, mAuditSeq), string(tx.Bucket(bMeta).Get(mAuditHash))
		return nil
	})
	return seq, hash
}

// TestAuditStoresExactlyWhatItHashes round-trips random events through the store: each is appended in a write
// transaction, read back and the chain verified. An event whose text is not UTF-8 is refused naming the field
// and writes nothing (JSON would store U+FFFD in its place, so the stored event would no longer match its hash);
// every other event reads back exactly as appended and verifies.
func TestAuditStoresExactlyWhatItHashes(t *testing.T) {
	for _, keyed := range []bool{false} {
		t.Run(map[bool]string{false: "plain", true: "keyed"}[keyed], func(t *testing.T) {
			s := openTest(t, "")
			rng := rand.New(rand.NewPCG(11, 12))
			refused, stored := 0, 0
			for i := range 300 {
				e := cases.Event{At: time.Date(2026, 11, 28, 9, 0, 0, rng.IntN(1e9), time.UTC), Actor: "alice", Case: "PSC-26-000001", Action: "note"}
				field := []string{"actor", "case", "action", "change", "reason"}[rng.IntN(5)]
				text := randomText(rng)
				switch field {
				case "actor":
					e.Actor = text
				case "case":
					e.Case = text[:min(len(text), 512)] // a case id is also a key in the history index
					text = e.Case
				case "action":
					e.Action = text
				case "change":
					e.Change = text
				default:
					e.Reason = text
				}
				beforeSeq, beforeHash := metaHead(t, s)
				var appended cases.Event
				err := s.update(func(tx *bolt.Tx) error {
					a := openAudit(tx)
					if err := a.append(e); err != nil {
						return err
					}
					appended = a.events[len(a.events)-1]
					return a.flush()
				})
				afterSeq, afterHash := metaHead(t, s)
				if !utf8.ValidString(text) {
					refused++
					if !errors.Is(err, cases.ErrInvalid) || !strings.Contains(err.Error(), field) || !strings.Contains(err.Error(), "byte ") {
						t.Fatalf("event %d: %s not UTF-8: err = %v; want cases.ErrInvalid naming %s and the byte", i, field, err, field)
					}
					if afterSeq != beforeSeq || afterHash != beforeHash {
						t.Fatalf("event %d: a refused event moved the head from %d to %d", i, beforeSeq, afterSeq)
					}
					continue
				}
				if err != nil {
					t.Fatalf("event %d: valid %s refused: %v", i, field, err)
				}
				stored++
				var back cases.Event
				err = s.view(func(tx *bolt.Tx) error {
					return json.Unmarshal(tx.Bucket(bAudit).Get(be64(appended.Seq)), &back)
				})
				if err != nil || !reflect.DeepEqual(back, appended) {
					t.Fatalf("event %d reads back as\n%+v\nwant\n%+v (%v)", i, back, appended, err)
				}
				if afterSeq != appended.Seq || afterHash != appended.Hash {
					t.Fatalf("event %d: head %d:%s; want %d:%s", i, afterSeq, afterHash, appended.Seq, appended.Hash)
				}
				if stored%20 == 0 {
					if n, err := s.VerifyAudit(); err != nil || n != int(appended.Seq) {
						t.Fatalf("event %d: VerifyAudit = %d, %v", i, n, err)
					}
				}
			}
			if n, err := s.VerifyAudit(); err != nil || n != stored {
				t.Fatalf("VerifyAudit = %d, %v; want %d events", n, err, stored)
			}
			if refused == 0 || stored == 0 {
				t.Fatalf("%d refused, %d stored: the random events did not cover both", refused, stored)
			}
		})
	}
}
