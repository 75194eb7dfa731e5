package cli

import (
	"reflect"
	"testing"
)

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{`assign X bob --reason leave`, []string{"assign", "X", "bob", "--reason", "leave"}, false},
		{`note X 'called the broker'`, []string{"note", "X", "called the broker"}, false},
		{`note X "say \"hi\"" end`, []string{"note", "X", `say "hi"`, "end"}, false},
		{`note X it\'s`, []string{"note", "X", "it's"}, false},
		{`note X ''`, []string{"note", "X", ""}, false},
		{`note X 'open`, nil, true},
		{`   `, nil, true},
		{`note x\`, nil, true},
		{"note X caf\xe9", nil, true},
	} {
		got, err := SplitWords(tc.in)
		if (err != nil) != tc.err || !tc.err && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}
