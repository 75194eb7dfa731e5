package store

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"ceedesk/cases"
	"ceedesk/cases/synth"
)

var roundTripSeed = flag.Uint64("roundtrip.seed", 0, "run TestRandomWorkloadRoundTrips with this seed only")

// Pieces of hostile but valid text the textWorkload writes, and pieces no way in may accept.
var (
	hostilePieces = []string{
		"Called the broker", "documents promised", "\x1b[2J", "\x1b]0;owned\x07", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
		"\x1b[31mred\x1b[0m", "\u202eevil\u202c", "\u2066iso\u2069", "\u2067\u2068", "\u200e\u200f\u061c", "\u0085", "\u009b31m",
		"\u009d0;t\u009c", "\u0090q\u009c", "\u2028", "\u2029", "\u200b\u200d\ufeff\u00ad", "\U000e0001", "👩🏽‍💻", "🇺🇸", "Société",
		"東京", "مرحبا", "\n", "\t", "\r\n", "\r", "\a\b\f\v", "\x7f", `"quoted"`, `back\slash`, "|;,", "<&>", "\\u0041",
		strings.Repeat("long text ", 150),
	}
	refusedPieces = []string{"\xff", "caf\xe9", "\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xf8\x88\x80\x80\x80", "\x00", "a\x00b"}
)

// textWorkload runs random acts on a store through its API, checking as it goes that each act either lands as asked or
// is refused with nothing changed, and that text no way in may accept is always refused.
type textWorkload struct {
	t       *testing.T
	s       *Store
	r       *rand.Rand
	ids     []string
	users   []cases.User
	landed  map[string]int
	refused int

	refusedText int // refusals of text that is not UTF-8 or holds a NUL
}

func (w *textWorkload) text() (string, bool) {
	var b strings.Builder
	for n := 1 + w.r.IntN(5); n > 0; n-- {
		b.WriteString(hostilePieces[w.r.IntN(len(hostilePieces))])
		if w.r.IntN(3) == 0 {
			b.WriteByte(' ')
		}
	}
	s := b.String()
	switch w.r.IntN(10) {
	case 0:
		p := w.r.IntN(len(s) + 1)
		return s[:p] + refusedPieces[w.r.IntN(len(refusedPieces))] + s[p:], false
	case 1:
		return strings.Repeat("é", cases.MaxNote-w.r.IntN(2)), true // at the limit of a note, or one short
	}
	return s, true
}

func (w *textWorkload) pick(role cases.Role, center string) cases.User {
	var us []cases.User
	for _, u := range w.users {
		if u.Role == role && u.Center == center {
			us = append(us, u)
		}
	}
	return us[w.r.IntN(len(us))]
}

// pending is a case with a decision waiting for approval, or any case when there is none.
func (w *textWorkload) pending() string {
	var ids []string
	for _, id := range w.ids {
		if c, _ := w.s.Case(Operator, id); c.Status == cases.StatusPendingApproval {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return w.ids[w.r.IntN(len(w.ids))]
	}
	return ids[w.r.IntN(len(ids))]
}

func (w *textWorkload) step() {
	t := w.t
	kind := w.r.IntN(7)
	id := w.ids[w.r.IntN(len(w.ids))]
	if kind == 4 || kind == 5 {
		id = w.pending()
	}
	c, err := w.s.Case(Operator, id)
	if err != nil {
		t.Fatal(err)
	}
	before := mark(t, w.s)
	text, valid := w.text()
	worker := c.Assignee
	if worker == "" || w.r.IntN(4) == 0 {
		worker = w.pick(cases.RoleSupervisor, c.Center).Name
	}
	version := c.Version
	if w.r.IntN(20) == 0 {
		version-- // a stale version: a conflict, never an overwrite
	}
	var act string
	var got *cases.Case
	switch kind {
	case 0:
		act = "note"
		got, err = w.s.AddNote(worker, id, version, text)
	case 1:
		act = "request_info"
		got, err = w.s.RequestInfo(worker, id, version, text, today)
	case 2:
		act = "decide"
		specs := cases.Outcomes(c)
		spec := specs[w.r.IntN(len(specs))]
		d := cases.Decision{Outcome: spec.Outcome, Reasons: text}
		if spec.Amount {
			d.Amount = max(1, c.Revenue()/2)
		}
		if spec.Lines {
			d.Lines = []int{c.Entry.Lines[0].Number}
		}
		got, err = w.s.Decide(worker, id, version, d, today)
	case 3:
		act = "assign"
		var gs []*cases.Case
		gs, err = w.s.Assign(w.pick(cases.RoleSupervisor, c.Center).Name, []string{id}, nil, w.pick(cases.RoleReviewer, c.Center).Name, text, today)
		if err == nil {
			got = gs[0]
		}
	case 4:
		act = "approve"
		got, err = w.s.Approve(w.pick(cases.RoleSupervisor, c.Center).Name, id, version, text, "", today)
	case 5:
		act = "return"
		got, err = w.s.Return(w.pick(cases.RoleSupervisor, c.Center).Name, id, version, text)
	case 6:
		act, valid = "review", true
		got, err = w.s.StartReview(worker, id, version)
	}
	after, _ := w.s.Case(Operator, id)
	if err != nil {
		var ce *cases.ConflictError
		if !errors.Is(err, cases.ErrInvalid) && !errors.Is(err, cases.ErrForbidden) && !errors.As(err, &ce) {
			t.Fatalf("%s on %s: an error that is not a refusal: %v", act, id, err)
		}
		if after.Version != c.Version {
			t.Fatalf("%s on %s was refused (%v) but changed the case", act, id, err)
		}
		if mark(t, w.s) != before {
			t.Fatalf("%s on %s was refused (%v) but wrote an audit event", act, id, err)
		}
		w.refused++
		if !valid {
			w.refusedText++
		}
		return
	}
	if !valid {
		t.Fatalf("%s on %s accepted text no way in may accept: %q", act, id, text)
	}
	if !reflect.DeepEqual(got, after) {
		t.Fatalf("%s on %s: the store returned one case and holds another", act, id)
	}
	want := strings.TrimSpace(text)
	switch {
	case act == "note" && after.Notes[len(after.Notes)-1].Text != want,
		act == "request_info" && after.Requests[len(after.Requests)-1].Question != want,
		act == "decide" && after.Decision.Reasons != want:
		t.Fatalf("%s on %s: the text is not kept as written: %q", act, id, text)
	}
	w.landed[act]++
}

// A random textWorkload through the store API, hostile text included, then export and import into an empty store
// (its users added first) gives the same cases, field by field, in both formats; and the copy exports to the same
// bytes. What differs, and should: the copy's audit log holds one "import" event per case instead of the
// original's history, and its own users' audit events.
func TestRandomWorkloadRoundTrips(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if *roundTripSeed != 0 {
		seeds = []uint64{*roundTripSeed}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			src, cs := fixture(t, 60)
			users := append(synth.New(1, today).Users(),
				cases.User{Name: "z.okafor-2", Display: "Zoë \x1b[31mOkafor", Role: cases.RoleReviewer, Center: "ELEC"},
				cases.User{Name: "s_second", Display: "Second \u202esupervisor", Role: cases.RoleSupervisor, Center: "ELEC"},
				cases.User{Name: "p.third", Role: cases.RoleReviewer, Center: "PHARMA"})
			for _, u := range users[len(users)-3:] {
				if err := src.AddUser(Operator, u); err != nil {
					t.Fatal(err)
				}
			}
			w := &textWorkload{t: t, s: src, r: rand.New(rand.NewPCG(seed, seed^0x5eed)), users: users, landed: map[string]int{}}
			for _, c := range cs {
				w.ids = append(w.ids, c.ID)
			}
			for range 400 {
				w.step()
			}
			t.Logf("landed %v; refused %d, %d of them for their text", w.landed, w.refused, w.refusedText)
			if w.refusedText == 0 {
				t.Error("the workload never tried text no way in may accept")
			}
			for _, act := range []string{"note", "request_info", "decide", "assign", "approve", "return"} {
				if w.landed[act] == 0 {
					t.Errorf("the textWorkload never landed a %s", act)
				}
			}
			mustCheck(t, src)
			for _, format := range []string{"jsonl", "csv"} {
				var out bytes.Buffer
				n, err := src.Export(Operator, &out, format)
				if err != nil || n != len(cs) {
					t.Fatalf("%s: Export = %d, %v", format, n, err)
				}
				if !utf8.Valid(out.Bytes()) {
					t.Fatalf("%s: the export is not UTF-8", format)
				}
				dst := openTomorrow(t)
				for _, u := range users {
					if err := dst.AddUser(Operator, u); err != nil {
						t.Fatal(err)
					}
				}
				if m, err := dst.Import(bytes.NewReader(out.Bytes()), "cases."+format, Operator); err != nil || m != n {
					t.Fatalf("%s: Import = %d, %v", format, m, err)
				}
				for _, id := range w.ids {
					a, _ := src.Case(Operator, id)
					b, err := dst.Case(Operator, id)
					if err != nil {
						t.Fatalf("%s: %s: %v", format, id, err)
					}
					if diff := sameCase("", reflect.ValueOf(a), reflect.ValueOf(b)); diff != "" {
						t.Fatalf("%s: case %s differs after the round trip: %s", format, id, diff)
					}
				}
				var again bytes.Buffer
				if _, err := dst.Export(Operator, &again, format); err != nil || !bytes.Equal(again.Bytes(), out.Bytes()) {
					t.Fatalf("%s: the copy exports other bytes (%v)", format, err)
				}
				mustCheck(t, dst)
			}
		})
	}
}

// sameCase compares two values field by field, times by the instant they name, and returns the path of the first
// difference and both values, or "".
func sameCase(path string, a, b reflect.Value) string {
	if a.Type() == reflect.TypeFor[time.Time]() {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		if !ta.Equal(tb) {
			return fmt.Sprintf("%s: %v != %v", path, ta, tb)
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: one is absent", path)
			}
			return ""
		}
		return sameCase(path, a.Elem(), b.Elem())
	case reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d items != %d", path, a.Len(), b.Len())
		}
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil != empty", path)
		}
		for i := 0; i < a.Len(); i++ {
			if d := sameCase(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := sameCase(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		return fmt.Sprintf("%s: %#v != %#v", path, a.Interface(), b.Interface())
	}
	return ""
}
