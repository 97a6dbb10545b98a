// Package mailaddr tells whether a string is a plain email address: one
// that net/mail parses as an address with no display name, no comment and
// nothing around it, so that the parsed address is the string itself.
//
// Every provider checks the addresses a call sends, and the Directory
// checks them again before that: the common address (ASCII letters,
// digits and the other atext characters of RFC 5322, in dot-separated
// runs on both sides of one "@") is recognised by a scan that allocates
// nothing; any other string is left to net/mail.ParseAddress, whose
// answer is then the answer.
package mailaddr

import "net/mail"

// Plain reports whether s is a plain email address such as
// "ada@example.com": mail.ParseAddress(s) succeeds and its Address is s.
func Plain(s string) bool {
	if dotAtoms(s) {
		return true
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// dotAtoms reports whether s is an ASCII dot-atom, "@", and an ASCII
// dot-atom (RFC 5322 section 3.2.3): net/mail parses such a string as the
// address s. It answers false for anything else, also for some strings
// net/mail accepts (a quoted local part, a domain literal, non-ASCII
// text).
func dotAtoms(s string) bool {
	at := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '@' {
			if at >= 0 {
				return false
			}
			at = i
		}
	}
	return at > 0 && dotAtom(s[:at]) && dotAtom(s[at+1:])
}

// dotAtom reports whether s is 1*atext *("." 1*atext), in ASCII.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if s[i-1] == '.' {
				return false
			}
			continue
		}
		if !atext(c) {
			return false
		}
	}
	return true
}

// atext reports whether c is an ASCII atext character: a visible
// character other than the specials ()<>[]:;@\," and the dot. The two
// masks hold one bit per character, 0 to 63 and 64 to 127.
func atext(c byte) bool {
	const lo, hi uint64 = 0xa3ffacfa00000000, 0x7fffffffc7fffffe
	switch {
	case c < 64:
		return lo&(1<<c) != 0
	case c < 128:
		return hi&(1<<(c-64)) != 0
	}
	return false
}
