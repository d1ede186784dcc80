package main

import (
	"strings"
	"testing"
)

// TestParseErrors checks that each kind of mistake is reported at its
// file:line:column.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"", "x.if:1:1: expected \"interface\", found end of file"},
		{"interface", "x.if:1:10: expected interface name, found end of file"},
		{"interface 9a {}", "x.if:1:11: expected interface name, found \"9a\""},
		{"interface a {}", "x.if:1:11: interface a declares no messages"},
		{"interface a {\n  message m(uint8 x)\n}", "x.if:3:1: expected \";\", found \"}\""},
		{"interface a {\n  msg m();\n}", "x.if:2:3: expected \"message\", \"rpc\" or \"}\", found \"msg\""},
		{"interface a {\n\tmessage m(uint7 x);\n}", "x.if:2:12: unknown type \"uint7\""},
		{"interface a {\n message m(cap c);\n}", "x.if:2:12: type cap is not supported yet"},
		{"interface a { message m(in uint8 x); }", "x.if:1:25: \"in\" is only allowed in an rpc"},
		{"interface a { rpc r(uint8 x); }", "x.if:1:21: expected \"in\" or \"out\", found \"uint8\""},
		{"interface a { message m(uint8[0] x); }", "x.if:1:31: bad length 0"},
		{"interface a { message m(string<0x10> x); }", "x.if:1:32: bad length 0x10"},
		{"interface a { message m(string[4] x); }", "x.if:1:31: expected \"<\", found \"[\""},
		{"interface a { message m(uint8 x, uint8 x); }", "x.if:1:40: message m: duplicate argument \"x\""},
		{"interface a { message m(uint8 type); }", "x.if:1:31: argument name \"type\" is reserved"},
		{"interface a { message m(uint8 len); }", "x.if:1:31: argument name \"len\" is reserved"},
		{"interface a { message m(uint8 x_); }", "x.if:1:31: argument name \"x_\": names ending in _ are reserved"},
		{"interface a { message m(); message m(); }", "x.if:1:36: message m: Go name TypeM is already used by message m"},
		{"interface a { message foo_bar(); message fooBar(); }", "x.if:1:42: message fooBar: Go name TypeFooBar is already used by message foo_bar"},
		{"interface a { rpc dispatch(); }", "x.if:1:19: rpc dispatch: Go name Dispatch is already used by the generated code"},
		{"interface a { message m(bytes<16777216> b, bytes<16777216> c); }", "x.if:1:23: message m: 33554440 bytes exceed the URPC message limit"},
		{"interface a { message m(); } junk", "x.if:1:30: expected end of file after the interface, found \"junk\""},
		{"interface a \"doc {", "x.if:1:13: string not terminated"},
		{"interface a { /* open", "x.if:1:15: comment not terminated"},
		{"interface a { message m(uint8 x) ? }", "x.if:1:34: unexpected character '?'"},
		{"interface if {}", "x.if:1:11: interface name \"if\" is not a Go package name"},
	} {
		_, err := parse("x.if", tc.src)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("parse(%q):\n got %v\nwant %s...", tc.src, err, tc.want)
		}
	}
}

// TestParseDocs checks that // lines right above a declaration become its
// documentation, and that other comments do not.
func TestParseDocs(t *testing.T) {
	src := `interface a "the doc" {
    // first line
    // second line
    message m(); // trailing, not doc

    /* block, not doc */
    rpc r(in uint8 x, out string<5> y);
}`
	f, err := parse("a.if", src)
	if err != nil {
		t.Fatal(err)
	}
	if f.Doc != "the doc" || len(f.Decls) != 2 {
		t.Fatalf("parsed %+v", f)
	}
	if got := strings.Join(f.Decls[0].Doc, "|"); got != "first line|second line" {
		t.Errorf("doc of m: %q", got)
	}
	if len(f.Decls[1].Doc) != 0 {
		t.Errorf("doc of r: %q", f.Decls[1].Doc)
	}
	r := f.Decls[1]
	if r.Kind != RPCDecl || r.Args[0].Dir != In || r.Args[1].Type != (Type{Kind: String, N: 5, Pos: Pos{7, 27}}) {
		t.Errorf("rpc r parsed as %+v %+v %+v", r, r.Args[0], r.Args[1])
	}
}

// TestParseRejectsUnprintable checks that text that cannot go into Go
// comments is refused with a position.
func TestParseRejectsUnprintable(t *testing.T) {
	for src, want := range map[string]string{
		"interface a {\n// \xff\nmessage m(); }":     "x.if:2:4: invalid UTF-8",
		"interface a {\n//\x01\nmessage m(); }":      "x.if:2:3: control character",
		"interface a \"x\\ny\" { message m(); }":     "x.if:1:13: bad string",
		"interface a \"\\xff\" { message m(); }":     "x.if:1:13: bad string",
		"interface a { // \uFFFD ok\nmessage m(); }": "",
	} {
		_, err := parse("x.if", src)
		if want == "" && err != nil || want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)) {
			t.Errorf("parse(%q): %v, want %q", src, err, want)
		}
	}
}
