// Package fold gives strings a case-folding key, so that the in-memory fakes
// can find a user by email or username in a map instead of comparing every
// stored user with strings.EqualFold.
package fold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Key returns s with every rune replaced by the smallest rune of its
// unicode.SimpleFold orbit (the runes strings.EqualFold takes as equal:
// "K", "k" and U+212A KELVIN SIGN all become "K"). Key(a) == Key(b)
// exactly when strings.EqualFold(a, b): no wider folding than that, so "ß"
// stays apart from "ss". A byte that is not valid UTF-8 becomes U+FFFD, as
// strings.EqualFold reads it. Key returns s itself, without allocating,
// when s is its own key.
func Key(s string) string {
	return strings.Map(smallest, s)
}

// smallest returns the smallest rune of r's SimpleFold orbit.
func smallest(r rune) rune {
	if r < utf8.RuneSelf {
		// Every ASCII letter's orbit starts with its upper case: k's holds
		// U+212A and s's U+017F, both above 'K' and 'S'.
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// Index maps the keys of strings (see Key) to the ids of the records that
// hold them. A key may be held by several records, as a fake's seeding API
// stores what it is given without a uniqueness check; the ids of a key are
// kept in the order they were added. The zero value is an empty index. It
// is not safe for concurrent use: the fakes guard it with their own lock.
type Index[ID comparable] struct {
	ids map[string][]ID
}

// Add records that the record id holds s.
func (x *Index[ID]) Add(s string, id ID) {
	if x.ids == nil {
		x.ids = map[string][]ID{}
	}
	k := Key(s)
	x.ids[k] = append(x.ids[k], id)
}

// Remove forgets that the record id holds s; it does nothing if it was not
// recorded.
func (x *Index[ID]) Remove(s string, id ID) {
	k := Key(s)
	ids := x.ids[k]
	for i, v := range ids {
		if v == id {
			if len(ids) == 1 {
				delete(x.ids, k)
			} else {
				x.ids[k] = append(ids[:i:i], ids[i+1:]...)
			}
			return
		}
	}
}

// Lookup returns the ids of the records holding a string equal to s under
// strings.EqualFold, in the order they were added, or nil. The caller must
// not change the slice.
func (x *Index[ID]) Lookup(s string) []ID {
	return x.ids[Key(s)]
}
