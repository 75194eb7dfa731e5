package cases

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Each class of character a terminal would act on leaves as an escape, and the JSON decodes to the same text.
func TestEscapeJSONEscapesWhatATerminalActsOnAndDecodesTheSame(t *testing.T) {
	classes := map[string]string{
		"right-to-left override":   "\u202e",
		"embeddings, pop":          "\u202a\u202b\u202c\u202d",
		"isolates":                 "\u2066\u2067\u2068\u2069",
		"LRM, RLM, ALM":            "\u200e\u200f\u061c",
		"C1 controls":              "\u0080\u0085\u008d\u0090\u009b\u009c\u009d\u009f",
		"DEL":                      "\u007f",
		"line, paragraph sep":      "\u2028\u2029",
		"zero width, BOM, SHY":     "\u200b\u200c\u200d\u2060\ufeff\u00ad",
		"Cf past U+FFFF":           "\U000e0001\U0001d173",
		"an escape sequence":       "\x1b]0;owned\x07\x1b[2J",
		"a C1 CSI sequence":        "\u009b31m",
		"emoji with a ZWJ":         "👩🏽‍💻",
		"letters stay as they are": "Société 東京",
	}
	for name, text := range classes {
		t.Run(name, func(t *testing.T) {
			in := Note{Author: "alice", Text: "before " + text + " after"}
			raw, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			out := EscapeJSON(raw)
			for _, r := range string(out) {
				if r == 0x1b || r == 0x07 || escapeInJSON(r) || (r != ' ' && r != '\n' && unicode.IsControl(r)) {
					t.Fatalf("raw %U in %q", r, out)
				}
			}
			var back Note
			if err := json.Unmarshal(out, &back); err != nil || back != in {
				t.Fatalf("decodes to %+v, %v; want %+v", back, err, in)
			}
			if name == "letters stay as they are" && !bytes.Equal(out, raw) {
				t.Fatalf("changed text that needs no escape: %s", out)
			}
		})
	}
}

// Every character up to U+FFFF and a span past it: escaped exactly when it is one of the classes, and decoded the same.
func TestEscapeJSONEveryCharacter(t *testing.T) {
	check := func(r rune) {
		s := string(r)
		raw, _ := json.Marshal(s)
		out := EscapeJSON(raw)
		var back string
		if err := json.Unmarshal(out, &back); err != nil || (utf8.ValidRune(r) && back != s) {
			t.Fatalf("%U: %s decodes to %q, %v", r, out, back, err)
		}
		if escapeInJSON(r) && bytes.Contains(out, []byte(s)) {
			t.Fatalf("%U stays raw: %s", r, out)
		}
	}
	for r := rune(0); r <= 0xffff; r++ {
		check(r)
	}
	for r := rune(0xe0000); r <= 0xe0100; r++ {
		check(r)
	}
	for _, r := range []rune{0x10000, 0x1d173, 0x1f600, 0x10ffff} {
		check(r)
	}
}

func TestEscapeJSONLeavesWhatItNeedNotTouch(t *testing.T) {
	for _, s := range []string{`{"a":"plain"}`, "", "{\"a\":\"caf\xe9\"}", `{"a":"é"}`} {
		if out := EscapeJSON([]byte(s)); string(out) != s {
			t.Errorf("EscapeJSON(%q) = %q", s, out)
		}
	}
	// an encoder's stream through the writer
	var buf bytes.Buffer
	enc := json.NewEncoder(JSONEscaper(&buf))
	enc.SetIndent("", "  ")
	for _, s := range []string{"a\u202eb", "c"} {
		if err := enc.Encode(map[string]string{"t": s}); err != nil {
			t.Fatal(err)
		}
	}
	if got := buf.String(); got != "{\n  \"t\": \"a\\u202eb\"\n}\n{\n  \"t\": \"c\"\n}\n" {
		t.Fatalf("JSONEscaper wrote %q", got)
	}
	if strings.Contains(buf.String(), "\u202e") {
		t.Fatal("raw override")
	}
}
