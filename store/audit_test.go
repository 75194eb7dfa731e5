package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

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
	s.view(func(tx kvTx) error {
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
	for _, keyed := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "keyed"}[keyed], func(t *testing.T) {
			s := openTest(t, "")
			if keyed {
				s = reopenKeyed(t, s, Options{AuditKeyDefault: filepath.Join(t.TempDir(), "audit.key")})
			}
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
				err := s.update(func(tx kvTx) error {
					a := s.openAudit(tx)
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
				err = s.view(func(tx kvTx) error {
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

// reopenKeyed closes s and opens it again with the key options (and the test clock).
func reopenKeyed(t *testing.T, s *Store, opt Options) *Store {
	t.Helper()
	path := s.Path()
	s.Close()
	opt.NoSync, opt.Now, opt.Timeout = true, testClock(), 200*time.Millisecond
	k, err := openTestEngine(t, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func addNote(t *testing.T, s *Store, text string) {
	t.Helper()
	err := s.update(func(tx kvTx) error {
		a := s.openAudit(tx)
		if err := a.append(cases.Event{At: s.clock(), Actor: Operator, Action: "note", Change: text}); err != nil {
			return err
		}
		return a.flush()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func metaString(t *testing.T, s *Store, key []byte) string {
	t.Helper()
	var v string
	s.view(func(tx kvTx) error { v = string(tx.Bucket(bMeta).Get(key)); return nil })
	return v
}

func TestNewStoreIsKeyedFromItsFirstEvent(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(t.TempDir(), "audit.key")
	s, err := openTestEngine(t, filepath.Join(dir, "ceedesk.db"), Options{NoSync: true, AuditKeyDefault: keyPath})
	if err != nil {
		t.Fatal(err)
	}
	// The key is made with the chain's first event, not before: opening a store makes no key.
	if from, path, _ := s.AuditKey(); from != 0 || path != keyPath {
		t.Fatalf("AuditKey before the first event = %d, %q; want 0 and %s", from, path, keyPath)
	}
	if _, err := os.Lstat(keyPath); err == nil {
		t.Fatal("opening a new store made its key before its first event")
	}
	addNote(t, s, "first")
	fi, err := os.Lstat(keyPath)
	if err != nil || fi.Mode() != 0o600 || fi.Size() != 65 {
		t.Fatalf("key file: %v, %v; want a 65-byte regular file of mode 0600", fi, err)
	}
	if names, _ := os.ReadDir(filepath.Dir(keyPath)); len(names) != 1 {
		t.Fatalf("the key's directory holds %v; want only the key", names)
	}
	if from, path, _ := s.AuditKey(); from != 1 || path != keyPath {
		t.Fatalf("AuditKey = %d, %q; want keyed from event 1 with %s", from, path, keyPath)
	}
	for i := range 4 {
		addNote(t, s, fmt.Sprintf("note %d", i))
	}
	if n, err := s.VerifyAudit(); n != 5 || err != nil {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
	s.view(func(tx kvTx) error {
		e := event(t, tx, 3)
		if eventHash(&e) == e.Hash {
			t.Error("event 3 of a keyed chain has its plain SHA-256 as hash")
		}
		return nil
	})
	// Anyone can open it later without naming the key again: the store recorded where it is.
	s = reopenKeyed(t, s, Options{})
	addNote(t, s, "after reopening")
	if n, err := s.VerifyAudit(); n != 6 || err != nil {
		t.Fatalf("VerifyAudit after reopening = %d, %v", n, err)
	}
	before, _ := os.ReadFile(keyPath)
	s = reopenKeyed(t, s, Options{AuditKeyDefault: keyPath})
	if after, _ := os.ReadFile(keyPath); string(after) != string(before) {
		t.Fatal("opening the store again changed its key file")
	}
}

// TestKeyedChainCannotBeRecomputed makes the edits that a plain hash chain only notices downstream (an event
// changed and its hash recomputed, an event forged onto the end), with SHA-256 and with a key of the forger's
// own: a keyed chain names the forged event itself.
func TestKeyedChainCannotBeRecomputed(t *testing.T) {
	forger := hmac.New(sha256.New, []byte("a key that is not the store's key"))
	tests := []struct {
		name   string
		tamper func(t *testing.T, tx kvTx)
		want   string
	}{
		{"edited with its plain hash recomputed", func(t *testing.T, tx kvTx) {
			e := event(t, tx, 20)
			e.Actor = "mallory"
			e.Hash = eventHash(&e)
			putEvent(t, tx, e)
		}, "audit event 20: its content does not match its hash (edited)"},
		{"edited with another key", func(t *testing.T, tx kvTx) {
			e := event(t, tx, 20)
			e.Actor = "mallory"
			e.Hash = eventMAC(forger, &e)
			putEvent(t, tx, e)
		}, "audit event 20: its content does not match its hash (edited)"},
		{"forged onto the end, meta too", func(t *testing.T, tx kvTx) {
			last := event(t, tx, metaUint(tx, mAuditSeq))
			forged := cases.Event{Seq: last.Seq + 1, At: last.At, Actor: "mallory", Action: "note", Change: "forged", Prev: last.Hash}
			forged.Hash = eventHash(&forged)
			putEvent(t, tx, forged)
			tx.Bucket(bMeta).Put(mAuditSeq, be64(forged.Seq))
			tx.Bucket(bMeta).Put(mAuditHash, []byte(forged.Hash))
		}, "(edited)"},
		{"keyed from later, the events before rewritten plain", func(t *testing.T, tx kvTx) {
			tx.Bucket(bMeta).Put(mAuditKeyedFrom, be64(31))
			prev := ""
			for seq := uint64(1); seq <= 30; seq++ {
				e := event(t, tx, seq)
				e.Prev = prev
				e.Hash = eventHash(&e)
				putEvent(t, tx, e)
				prev = e.Hash
			}
		}, "audit event 31: its previous-event hash does not match"},
		{"keyed from later", func(t *testing.T, tx kvTx) {
			tx.Bucket(bMeta).Put(mAuditKeyedFrom, be64(31))
		}, "audit event 1: its content does not match its hash (edited)"},
		{"no longer keyed", func(t *testing.T, tx kvTx) {
			tx.Bucket(bMeta).Delete(mAuditKeyedFrom)
		}, "the record of the key was changed"},
		{"keyed from after the end", func(t *testing.T, tx kvTx) {
			tx.Bucket(bMeta).Put(mAuditKeyedFrom, be64(metaUint(tx, mAuditSeq)+1))
		}, "the record of the key was changed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openTest(t, "")
			s = reopenKeyed(t, s, Options{AuditKeyDefault: filepath.Join(t.TempDir(), "audit.key")})
			for i := range 40 {
				addNote(t, s, fmt.Sprintf("note %d", i))
			}
			if n, err := s.VerifyAudit(); err != nil || n != 40 {
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			path := s.Path()
			s.Close()
			rawUpdate(t, path, func(tx kvTx) error { tc.tamper(t, tx); return nil })
			s = reopenKeyed(t, openTest(t, path), Options{ReadOnly: true})
			if _, err := s.VerifyAudit(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("VerifyAudit = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestStoreFromBeforeKeysIsKeyedFromItsNextEvent opens a store whose chain is plain SHA-256 with a key path: its
// old events verify as they were, and the chain is keyed from the next one.
func TestStoreFromBeforeKeysIsKeyedFromItsNextEvent(t *testing.T) {
	s, _ := fixture(t, 20) // 11 users, 20 cases: 31 plain events
	keyPath := filepath.Join(t.TempDir(), "audit.key")
	s = reopenKeyed(t, s, Options{AuditKeyDefault: keyPath})
	if n, err := s.VerifyAudit(); n != 31 || err != nil {
		t.Fatalf("VerifyAudit of the old events = %d, %v", n, err)
	}
	if _, err := os.Lstat(keyPath); err == nil {
		t.Fatal("opening and verifying a store from before keys made a key")
	}
	for i := range 5 {
		addNote(t, s, fmt.Sprintf("note %d", i))
	}
	if from, _, _ := s.AuditKey(); from != 32 {
		t.Fatalf("keyed from %d; want 32, the first event after the key", from)
	}
	if n, err := s.VerifyAudit(); n != 36 || err != nil {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
	s.view(func(tx kvTx) error {
		if e := event(t, tx, 31); eventHash(&e) != e.Hash {
			t.Error("event 31, from before the key, no longer has its plain hash")
		}
		if e := event(t, tx, 32); eventHash(&e) == e.Hash {
			t.Error("event 32, the first after the key, has a plain hash")
		}
		return nil
	})
	// An old event rewritten with its plain hash recomputed breaks the chain at the first keyed event, which
	// cannot be recomputed.
	path := s.Path()
	s.Close()
	rawUpdate(t, path, func(tx kvTx) error {
		for seq := uint64(10); seq <= 31; seq++ {
			e := event(t, tx, seq)
			if seq == 10 {
				e.Actor = "mallory"
			} else {
				e.Prev = event(t, tx, seq-1).Hash
			}
			e.Hash = eventHash(&e)
			putEvent(t, tx, e)
		}
		return nil
	})
	s = reopenKeyed(t, openTest(t, path), Options{})
	if _, err := s.VerifyAudit(); err == nil || !strings.Contains(err.Error(), "audit event 32: its previous-event hash does not match") {
		t.Fatalf("VerifyAudit = %v; want the break at event 32", err)
	}
}

func TestKeyedStoreNeedsItsKey(t *testing.T) {
	keyPath := filepath.Join(t.TempDir(), "audit.key")
	s := openTest(t, "")
	s = reopenKeyed(t, s, Options{AuditKeyDefault: keyPath})
	addNote(t, s, "one")
	path := s.Path()
	s.Close()
	moved := filepath.Join(t.TempDir(), "moved.key")
	if err := os.Rename(keyPath, moved); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "audit.key")
	_, err := openTestEngine(t, path, Options{AuditKeyDefault: elsewhere})
	if err == nil || !strings.Contains(err.Error(), keyPath) || !strings.Contains(err.Error(), elsewhere) || !strings.Contains(err.Error(), "audit_key") {
		t.Fatalf("Open without the key = %v; want an error naming %s, %s and audit_key", err, keyPath, elsewhere)
	}
	for _, p := range []string{keyPath, elsewhere} {
		if _, err := os.Lstat(p); err == nil {
			t.Fatalf("opening a keyed store without its key created %s", p)
		}
	}
	// Read-only, it opens and reads; verifying says the keyed events cannot be checked and why.
	ro, err := openTestEngine(t, path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open without the key: %v", err)
	}
	if _, err := ro.Users(Operator, ""); err != nil {
		t.Fatalf("read without the key: %v", err)
	}
	if _, err := ro.VerifyAudit(); err == nil || !strings.Contains(err.Error(), "audit event 1 is of the keyed chain and cannot be checked") || !strings.Contains(err.Error(), keyPath) {
		t.Fatalf("VerifyAudit without the key = %v", err)
	}
	ro.Close()
	// Another store's key is not this store's key.
	other := filepath.Join(t.TempDir(), "other.key")
	if _, err := createAuditKey(other); err != nil {
		t.Fatal(err)
	}
	if _, err := openTestEngine(t, path, Options{AuditKey: other}); err == nil || !strings.Contains(err.Error(), other+" holds another key") {
		t.Fatalf("Open with another key = %v", err)
	}
	// Named, or beside the store where it was moved to, the key opens the store.
	for _, opt := range []Options{{AuditKey: moved}, {AuditKeyDefault: moved}} {
		k, err := openTestEngine(t, path, opt)
		if err != nil {
			t.Fatalf("Open with %+v: %v", opt, err)
		}
		if n, err := k.VerifyAudit(); n != 1 || err != nil {
			t.Fatalf("VerifyAudit with %+v = %d, %v", opt, n, err)
		}
		k.Close()
	}
}

func TestAuditKeyFileMustBePrivate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.key")
	if _, err := createAuditKey(good); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.key")
	os.Symlink(good, link)
	open := filepath.Join(dir, "open.key")
	b, _ := os.ReadFile(good)
	os.WriteFile(open, b, 0o644)
	os.Chmod(open, 0o644)
	junk := filepath.Join(dir, "junk.key")
	os.WriteFile(junk, []byte("not a key\n"), 0o600)
	for _, tc := range []struct{ path, want string }{
		{link, "symbolic link"},
		{open, "chmod 600"},
		{junk, "not an audit key"},
	} {
		before, _ := os.ReadFile(tc.path)
		s := openTest(t, "")
		path := s.Path()
		s.Close()
		if _, err := openTestEngine(t, path, Options{AuditKeyDefault: tc.path}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("key %s: Open = %v; want %q", filepath.Base(tc.path), err, tc.want)
		}
		if after, _ := os.ReadFile(tc.path); string(after) != string(before) {
			t.Errorf("key %s was rewritten", filepath.Base(tc.path))
		}
	}
}

// TestVerifyAuditExtendsARecordedHead rewrites a plain chain consistently from some event on, and removes its
// newest events, neither of which the chain alone shows; a head recorded earlier shows both.
func TestVerifyAuditExtendsARecordedHead(t *testing.T) {
	s, _ := fixture(t, 20)
	headSeq, headHash, err := s.AuditHead()
	if err != nil || headSeq != 31 || len(headHash) != 64 {
		t.Fatalf("AuditHead = %d, %q, %v", headSeq, headHash, err)
	}
	for i := range 5 {
		addNote(t, s, fmt.Sprintf("note %d", i))
	}
	n, h, err := s.VerifyAuditExtends(headSeq, headHash)
	if wantSeq, wantHash, _ := s.AuditHead(); err != nil || n != 36 || n != wantSeq || h != wantHash {
		t.Fatalf("VerifyAuditExtends = %d, %s, %v; want 36, %s", n, h, err, wantHash)
	}
	if _, _, err := s.VerifyAuditExtends(headSeq, strings.Repeat("0", 64)); err == nil || !strings.Contains(err.Error(), "audit event 31: its hash is") {
		t.Fatalf("VerifyAuditExtends with a head the log never had = %v", err)
	}
	if _, _, err := s.VerifyAuditExtends(40, headHash); err == nil || !strings.Contains(err.Error(), "audit event 40, recorded earlier as the head, is not in the log") {
		t.Fatalf("VerifyAuditExtends past the end = %v", err)
	}
	path := s.Path()
	s.Close()
	rawUpdate(t, path, func(tx kvTx) error {
		for seq := uint64(25); seq <= 36; seq++ {
			e := event(t, tx, seq)
			if seq == 25 {
				e.Actor = "mallory"
			} else {
				e.Prev = event(t, tx, seq-1).Hash
			}
			e.Hash = eventHash(&e)
			putEvent(t, tx, e)
			tx.Bucket(bMeta).Put(mAuditHash, []byte(e.Hash))
		}
		return nil
	})
	s = openTest(t, path)
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatalf("the rewritten plain chain is consistent, yet VerifyAudit = %v", err)
	}
	if _, _, err := s.VerifyAuditExtends(headSeq, headHash); err == nil || !strings.Contains(err.Error(), "audit event 31: its hash is") || !strings.Contains(err.Error(), "rewritten at or before event 31") {
		t.Fatalf("VerifyAuditExtends after the rewrite = %v", err)
	}
	s.Close()
	rawUpdate(t, path, func(tx kvTx) error {
		for seq := uint64(21); seq <= 36; seq++ {
			tx.Bucket(bAudit).Delete(be64(seq))
		}
		tx.Bucket(bMeta).Put(mAuditSeq, be64(20))
		tx.Bucket(bMeta).Put(mAuditHash, []byte(event(t, tx, 20).Hash))
		return nil
	})
	s = openTest(t, path)
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatalf("the cut chain is consistent, yet VerifyAudit = %v", err)
	}
	if _, _, err := s.VerifyAuditExtends(headSeq, headHash); err == nil || !strings.Contains(err.Error(), "audit event 31, recorded earlier as the head, is not in the log: it ends at event 20") {
		t.Fatalf("VerifyAuditExtends after the cut = %v", err)
	}
}

// TestStoresKeepTheirOwnKeys writes to two keyed stores open at once, each with its own key.
func TestStoresKeepTheirOwnKeys(t *testing.T) {
	var stores []*Store
	for range 2 {
		s := openTest(t, "")
		stores = append(stores, reopenKeyed(t, s, Options{AuditKeyDefault: filepath.Join(t.TempDir(), "audit.key")}))
	}
	for i := range 10 {
		addNote(t, stores[i%2], fmt.Sprintf("note %d", i))
	}
	for i, s := range stores {
		if n, err := s.VerifyAudit(); n != 5 || err != nil {
			t.Fatalf("store %d: VerifyAudit = %d, %v", i, n, err)
		}
	}
}

// TestAuditKeyIsCreatedOnce has many openers race to create the same key file: one key results, and every opener
// reads that one.
func TestAuditKeyIsCreatedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys", "audit.key")
	ids := make([]string, 16)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			k, err := createAuditKey(path)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = k.id
		})
	}
	wg.Wait()
	k, err := readAuditKey(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		if id != k.id {
			t.Fatalf("opener %d got key %s; the file holds %s", i, id, k.id)
		}
	}
	if names, _ := os.ReadDir(filepath.Dir(path)); len(names) != 1 {
		t.Fatalf("the key's directory holds %v; want only the key", names)
	}
	// A second new store beside the first takes the same key, and the file is left as it was.
	before, _ := os.ReadFile(path)
	s := reopenKeyed(t, openTest(t, ""), Options{AuditKeyDefault: path})
	addNote(t, s, "one")
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a second store rewrote the key file")
	}
	if metaString(t, s, mAuditKeyID) != k.id {
		t.Fatal("the second store recorded another key")
	}
}

// BenchmarkAuditAppend measures the hash of one appended event, plain and keyed, as a decision makes it: a diff of
// a few fields and a reason.
func BenchmarkAuditAppend(b *testing.B) {
	e := cases.Event{At: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC), Actor: "alice", Case: "PSC-26-000001", Action: "decide",
		Change: "status: review -> decided; outcome: -> accepted; version: 3 -> 4", Reason: strings.Repeat("reasons ", 20), Prev: strings.Repeat("ab", 32)}
	for _, keyed := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "keyed"}[keyed], func(b *testing.B) {
			a := &auditLog{}
			if keyed {
				a.from, a.ck = 1, &chainKey{key: &auditKey{key: make([]byte, auditKeySize)}}
			}
			for i := 0; b.Loop(); i++ {
				e.Seq = uint64(i + 1)
				if err := checkEventText(&e); err != nil {
					b.Fatal(err)
				}
				if _, err := a.hash(&e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A process whose key is not the one the chain records (another front end's key file on a shared engine, or the
// key of a store since replaced under it) extends the chain with nothing.
func TestChainIsNeverExtendedWithAnotherKey(t *testing.T) {
	keyPath := filepath.Join(t.TempDir(), "audit.key")
	s, err := openTestEngine(t, filepath.Join(t.TempDir(), "ceedesk.db"), Options{NoSync: true, AuditKeyDefault: keyPath})
	if err != nil {
		t.Fatal(err)
	}
	addNote(t, s, "first")
	head, _, _ := s.AuditHead()
	// as another process would record it: the chain is now keyed with another key
	if err := s.update(func(tx kvTx) error { return tx.Bucket(bMeta).Put(mAuditKeyID, []byte("0123456789abcdef")) }); err != nil {
		t.Fatal(err)
	}
	err = s.update(func(tx kvTx) error {
		a := s.openAudit(tx)
		if err := a.append(cases.Event{At: s.clock(), Actor: Operator, Action: "note", Change: "second"}); err != nil {
			return err
		}
		return a.flush()
	})
	if err == nil || !strings.Contains(err.Error(), "keyed with key 0123456789abcdef") {
		t.Fatalf("a note under another key: %v", err)
	}
	if now, _, _ := s.AuditHead(); now != head {
		t.Fatalf("the refused note wrote %d events", now-head)
	}
}
