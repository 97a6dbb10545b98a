// Package jsonscan walks the members of a JSON object and the elements of
// a JSON array without decoding them, so that a decoder can tell from the
// member names alone whether a document has the common shape it decodes
// the fast way (into a struct) or needs the general way (into maps).
//
// The scan does not validate: it assumes that its caller decodes the
// document with encoding/json afterwards, which reports malformed JSON. On
// input it cannot follow it reports false, never a wrong name.
package jsonscan

import (
	"bytes"
	"unicode/utf8"
)

// Members calls fn with the name and the value of each member of the
// object at the start of b (after white space), in order: name is the raw
// text between the quotes, escapes not decoded (a name that holds a
// backslash or is not UTF-8 is worth a look by the general decoder, and
// the scan answers false for it), and value the raw
// text of the value. It returns false when b does not start with an
// object, when the scan cannot follow it, or as soon as fn returns false.
func Members(b []byte, fn func(name, value []byte) bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	for i++; ; i++ { // i is at '{' or ','
		i = skipSpace(b, i)
		if i < len(b) && b[i] == '}' {
			return true
		}
		if i >= len(b) || b[i] != '"' {
			return false
		}
		end := bytes.IndexByte(b[i+1:], '"')
		if end < 0 {
			return false
		}
		name := b[i+1 : i+1+end]
		if bytes.IndexByte(name, '\\') >= 0 || !utf8.Valid(name) {
			return false // an escaped name, or one the decoder would mend: leave it to the decoder
		}
		i = skipSpace(b, i+end+2)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		start := skipSpace(b, i+1)
		if i = skipValue(b, start); i < 0 || i == start {
			return false
		}
		if !fn(name, b[start:i]) {
			return false
		}
		i = skipSpace(b, i)
		if i < len(b) && b[i] == '}' {
			return true
		}
		if i >= len(b) || b[i] != ',' {
			return false
		}
	}
}

// Elements calls fn with the raw text of each element of the array at the
// start of b (after white space), in order. It returns false when b does
// not start with an array, when the scan cannot follow it, or as soon as
// fn returns false.
func Elements(b []byte, fn func(elem []byte) bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return true
	}
	for {
		end := skipValue(b, i)
		if end < 0 || end == i || !fn(b[i:end]) {
			return false
		}
		i = skipSpace(b, end)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ']':
			return true
		case ',':
			i = skipSpace(b, i+1)
		default:
			return false
		}
	}
}

// IsNull reports whether b, after white space, is the literal null.
func IsNull(b []byte) bool {
	return bytes.Equal(bytes.TrimSpace(b), []byte("null"))
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the JSON value that starts at
// b[i], or -1. Only strings and nesting need care: what lies between them
// is left for the decoder to judge.
func skipValue(b []byte, i int) int {
	depth := 0
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if i >= len(b) {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of the enclosing object or array
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
		}
	}
	if depth == 0 {
		return i
	}
	return -1
}
