package store

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"ceedesk/cases"
)

// fill sets every field reachable from v to a distinct non-zero value.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)) + time.Duration(*n).String())
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n) * 37)
	case reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fill(v.Index(i), n)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(1_700_000_000+int64(*n), int64(*n)).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), n)
		}
	default:
		panic("fill: unhandled kind " + v.Kind().String() + " in " + v.Type().String())
	}
}

func TestCaseCodecCoversEveryField(t *testing.T) {
	var c cases.Case
	n := 0
	fill(reflect.ValueOf(&c).Elem(), &n)
	// a zone other than UTC keeps its offset (as a JSON round trip does; zone names are not kept by either)
	c.Notes[1].At = time.Date(2026, 3, 2, 10, 0, 0, 5, time.FixedZone("", -5*3600))
	got, err := decodeCase(encodeCaseBinary(&c))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &c) {
		t.Fatalf("round trip lost a field:\n got %+v\nwant %+v", got, &c)
	}
	for _, x := range []*cases.Case{{}, {ID: "X", Entry: cases.EntrySummary{Lines: []cases.Line{}}, Notes: []cases.Note{}}} {
		got, err := decodeCase(encodeCaseBinary(x))
		if err != nil || !reflect.DeepEqual(got, x) {
			t.Fatalf("round trip of %+v: %+v, %v", x, got, err)
		}
	}
}

func TestDamagedRecordsAreErrorsNotPanics(t *testing.T) {
	var c cases.Case
	n := 0
	fill(reflect.ValueOf(&c).Elem(), &n)
	for _, b := range [][]byte{encodeCaseBinary(&c), mustEncode(t, &c)} {
		for i := 0; i < len(b); i++ {
			if _, err := decodeCase(b[:i]); err == nil {
				t.Fatalf("a case record (format %c) cut to %d of %d bytes decoded", b[0], i, len(b))
			}
		}
	}
	// every single damaged byte of a written record is found, wherever it is
	b := mustEncode(t, &c)
	for i := 1; i < len(b); i++ {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			d := bytes.Clone(b)
			d[i] ^= flip
			if _, err := decodeCase(d); err == nil {
				t.Fatalf("a case record with byte %d of %d flipped (^%#x) decoded", i, len(b), flip)
			}
		}
	}
	r := c.Row(cases.DefaultPolicy())
	rb := encodeRow(&r)
	for i := 0; i < len(rb); i++ {
		var x cases.QueueRow
		if err := decodeRow(rb[:i], &x); err == nil {
			t.Fatalf("a row cut to %d of %d bytes decoded", i, len(rb))
		}
	}
}

func mustEncode(t *testing.T, c *cases.Case) []byte {
	b, err := encodeCase(c)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != caseChecked {
		t.Fatalf("cases are written in format %c", b[0])
	}
	return b
}

// Records written before checksums (format B) still read.
func TestUncheckedRecordsStillRead(t *testing.T) {
	var c cases.Case
	n := 0
	fill(reflect.ValueOf(&c).Elem(), &n)
	c.Notes[1].At = c.Notes[1].At.UTC()
	old, err := decodeCase(encodeCaseBinary(&c))
	if err != nil {
		t.Fatal(err)
	}
	checked, err := decodeCase(mustEncode(t, &c))
	if err != nil || !reflect.DeepEqual(old, checked) {
		t.Fatalf("formats B and C differ: %v", err)
	}
}
