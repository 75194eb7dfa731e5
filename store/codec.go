package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"unsafe"

	"ceedesk/cases"
)

// Case values start with a format byte so the encoding can change without a schema bump: caseChecked2 (written),
// caseChecked, caseBinary or caseJSON (read only).
const caseJSON = 'J'

// caseChecked is layout 1 of the binary encoding followed by the big-endian CRC-32C of everything before it, format
// byte included. bbolt has no checksums on its data pages, so without one a damaged byte in a case (a note, an
// amount) would read back as a different case; with it, every read and Check report the record as damaged. The
// rest of the file is covered otherwise: rows, indexes and statistics are derived from the cases and Check compares
// them, and the audit log is hash-chained. Read only since caseChecked2.
const caseChecked = 'C'

// caseChecked2 is layout 2 of the binary encoding (see codec_case.go) with the same checksum; every case is
// written in it. A ceedesk from before it refuses such a record as of an unknown format rather than misread it.
const caseChecked2 = 'D'

var crc32c = crc32.MakeTable(crc32.Castagnoli)

var errChecksum = errors.New("damaged case record: its checksum does not match its content")

func encodeCase(c *cases.Case) ([]byte, error) {
	b := encodeCaseLayout2(c)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crc32c)), nil
}

func decodeCase(v []byte) (*cases.Case, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("%w: empty case record", errCase)
	}
	switch v[0] {
	case caseChecked, caseChecked2:
		if len(v) < 5 {
			return nil, errCase
		}
		body := v[:len(v)-4]
		if crc32.Checksum(body, crc32c) != binary.BigEndian.Uint32(v[len(body):]) {
			return nil, errChecksum
		}
		layout := layout1
		if v[0] == caseChecked2 {
			layout = layout2
		}
		return decodeCaseBinary(body[1:], layout)
	case caseBinary:
		return decodeCaseBinary(v[1:], layout1)
	case caseJSON:
		c := new(cases.Case)
		if err := json.Unmarshal(v[1:], c); err != nil {
			return nil, fmt.Errorf("case record: %w", err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("%w: case record has unknown format %q", errCase, v[0])
}

// Row values: a format byte, then length-prefixed strings id, kind, status, center, assignee, importer, entry, then
// varints due, received, revenue and uvarint version.
const rowV1 = 1

func encodeRow(r *cases.QueueRow) []byte {
	b := make([]byte, 0, 32+len(r.ID)+len(r.Center)+len(r.Assignee)+len(r.Importer)+len(r.Entry)+len(r.Kind)+len(r.Status))
	b = append(b, rowV1)
	for _, s := range []string{r.ID, string(r.Kind), string(r.Status), r.Center, r.Assignee, r.Importer, r.Entry} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendVarint(b, int64(r.Due))
	b = binary.AppendVarint(b, int64(r.Received))
	b = binary.AppendVarint(b, int64(r.Revenue))
	b = binary.AppendUvarint(b, r.Version)
	return b
}

var errRow = errors.New("damaged queue row")

func decodeRow(b []byte, r *cases.QueueRow) error { return decodeRowInto(b, r, false) }

// decodeRowView decodes without copying: the row's strings point into b, so they are valid only as long as b is
// (for a value read from bbolt, until the transaction ends). Filters use it to test rows they mostly discard;
// cloneRow makes a kept row independent.
func decodeRowView(b []byte, r *cases.QueueRow) error { return decodeRowInto(b, r, true) }

func cloneRow(r *cases.QueueRow) {
	r.ID, r.Kind, r.Status = strings.Clone(r.ID), cases.Kind(strings.Clone(string(r.Kind))), cases.Status(strings.Clone(string(r.Status)))
	r.Center, r.Assignee, r.Importer, r.Entry = strings.Clone(r.Center), strings.Clone(r.Assignee), strings.Clone(r.Importer), strings.Clone(r.Entry)
}

func decodeRowInto(b []byte, r *cases.QueueRow, view bool) error {
	if len(b) == 0 || b[0] != rowV1 {
		return errRow
	}
	d := decoder{b: b[1:], view: view}
	r.ID = d.str()
	r.Kind = cases.Kind(d.str())
	r.Status = cases.Status(d.str())
	r.Center = d.str()
	r.Assignee = d.str()
	r.Importer = d.str()
	r.Entry = d.str()
	r.Due = cases.Date(d.varint())
	r.Received = cases.Date(d.varint())
	r.Revenue = cases.Cents(d.varint())
	r.Version = d.uvarint()
	if d.err || len(d.b) != 0 {
		return errRow
	}
	return nil
}

// decoder reads the primitive encodings used by rows and binary cases; any short read sets err.
type decoder struct {
	b    []byte
	err  bool
	view bool // strings point into b instead of being copied
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if uint64(len(d.b)) < n {
		d.err = true
		d.b = nil
		return ""
	}
	var s string
	if d.view {
		if n > 0 {
			s = unsafe.String(&d.b[0], int(n))
		}
	} else {
		s = string(d.b[:n])
	}
	d.b = d.b[n:]
	return s
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.err = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}
