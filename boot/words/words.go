// Package words splits a command line into words the way a POSIX shell
// splits simple words: blanks separate words, single quotes keep
// everything literally, double quotes keep everything but \" and \\,
// and a backslash outside quotes escapes the next character. No
// expansion of any kind happens. Quote is the inverse.
//
// The boot menu tool (host) quotes program arguments into Multiboot module
// strings with it, and the CPU driver (guest) splits them again, so that
// arguments with blanks survive the trip.
package words

import (
	"errors"
	"strings"
)

// ErrUnterminated reports a quote or a trailing backslash left open.
var ErrUnterminated = errors.New("unterminated quote or trailing backslash")

// Split returns the words of s.
func Split(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, ErrUnterminated
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, ErrUnterminated
			}
			inWord = true
		case c == '\\':
			if i+1 >= len(s) {
				return nil, ErrUnterminated
			}
			i++
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

// Quote joins words so that Split returns them again.
func Quote(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		if w != "" && !strings.ContainsAny(w, " \t\n\r'\"\\") {
			q[i] = w
			continue
		}
		q[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
