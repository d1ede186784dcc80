package words

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"  a  b\tc ", []string{"a", "b", "c"}, false},
		{`'hello world' x`, []string{"hello world", "x"}, false},
		{`"a \"b\" \\ c" d`, []string{`a "b" \ c`, "d"}, false},
		{`a\ b`, []string{"a b"}, false},
		{`''`, []string{""}, false},
		{`x'y'"z"`, []string{"xyz"}, false},
		{`'open`, nil, true},
		{`"open`, nil, true},
		{`trailing\`, nil, true},
	}
	for _, tc := range tests {
		got, err := Split(tc.in)
		if (err != nil) != tc.err || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, ws := range [][]string{{"a"}, {"a b", "c"}, {"it's", `"q"`, `back\slash`, ""}, {"\ttab\n"}} {
		got, err := Split(Quote(ws))
		if err != nil || !reflect.DeepEqual(got, ws) {
			t.Errorf("Split(Quote(%q)) = %q, %v", ws, got, err)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"a b", `'x y' "z\"" \q`, "", `'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ws, err := Split(s)
		if err != nil {
			return
		}
		again, err := Split(Quote(ws))
		if err != nil || !reflect.DeepEqual(again, ws) && !(len(again) == 0 && len(ws) == 0) {
			t.Errorf("round trip of %q: %q -> %q (%v)", s, ws, again, err)
		}
	})
}
