package transport

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// A secret can come back from a server in many encodings: the server may
// quote the request body it received (where a password is JSON-escaped or
// form-encoded), HTML-escape a message, base64-encode or percent-encode a
// value. A pattern finds a secret in any of them.
//
// Byte by byte, a secret is matched in every form a single character takes
// in those encodings, in any mixture: the byte itself, %XX in either case,
// "+" for a space, a JSON escape (\" \\ \/ \n … \u003c \u003C), or an HTML
// character reference (&lt; &quot; &#34; &#x22; …). Base64 cannot be
// matched byte by byte; for it the pattern holds literal strings: the
// encodings (standard and URL alphabets, padded or not) of the secret and
// of its escaped forms, alone, and at each of the three alignments the
// secret can have inside a longer encoded text.
//
// A pattern is built once per secret: the client's configured secrets when
// the client is made, a call's secrets the first time one of its errors or
// log records is scrubbed.
type pattern struct {
	secret string
	// start marks the bytes at which a match can begin.
	start [256]bool
	// literals are the base64 forms, longest first.
	literals []string
}

// minBase64Core is the shortest run of secret bytes whose base64 encoding
// inside a longer text is scrubbed: 6 bytes, 8 characters, long enough not
// to match by chance.
const minBase64Core = 6

func newPattern(secret string) *pattern {
	p := &pattern{secret: secret}
	b := secret[0]
	p.start[b] = true
	if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' {
		p.start[b^0x20] = true // header names arrive canonicalised
	}
	p.start['%'], p.start['\\'], p.start['&'] = true, true, true
	if b == ' ' {
		p.start['+'] = true
	}
	var forms []string
	addForm := func(f string) {
		if f != "" && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	addForm(secret)
	addForm(jsonEscape(secret, true))
	addForm(jsonEscape(secret, false))
	addForm(url.QueryEscape(secret))
	addForm(url.PathEscape(secret))
	addForm(html.EscapeString(secret))
	var lits []string
	add := func(l string) {
		if len(l) >= 4 && !slices.Contains(lits, l) {
			lits = append(lits, l)
		}
	}
	for _, f := range forms {
		// The form alone: a value encoded by itself.
		add(base64.RawStdEncoding.EncodeToString([]byte(f)))
		add(base64.RawURLEncoding.EncodeToString([]byte(f)))
		// The form inside a longer encoded text: the whole 3-byte groups
		// it fills, at each alignment.
		for skip := range 3 {
			if len(f)-skip < minBase64Core {
				break
			}
			core := f[skip:]
			core = core[:len(core)/3*3]
			add(base64.StdEncoding.EncodeToString([]byte(core)))
			add(base64.URLEncoding.EncodeToString([]byte(core)))
		}
	}
	slices.SortFunc(lits, func(a, b string) int { return len(b) - len(a) })
	p.literals = lits
	return p
}

// jsonEscape returns s as it appears inside a JSON string, with Go's
// HTML-safe escapes (\u003c for <) or without them.
func jsonEscape(s string, htmlSafe bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(htmlSafe)
	if err := enc.Encode(s); err != nil {
		return s
	}
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// span is a half-open byte range of a text to redact.
type span struct{ from, to int }

// find appends to spans every place of s where the secret appears. fold
// matches letters in either case (for header names, which net/http
// canonicalises).
func (p *pattern) find(s string, fold bool, spans []span) []span {
	var failed failedStates
	for i := 0; i < len(s); i++ {
		if !p.start[s[i]] {
			continue
		}
		if end, ok := matchFrom(s, i, p.secret, fold, &failed); ok {
			spans = append(spans, span{i, end})
			i = end - 1
		}
	}
	for _, l := range p.literals {
		for off := 0; off < len(s); {
			j := strings.Index(s[off:], l)
			if j < 0 {
				break
			}
			spans = append(spans, span{off + j, off + j + len(l)})
			off += j + len(l)
		}
	}
	return spans
}

// The matcher undoes two layers of escaping (see decodeAt): that covers a
// request body's JSON escapes quoted again in a JSON, HTML or
// percent-encoded message (\\\" or \&#34; or %5C%22 for a quote).

// matchFrom reports whether sec, each of its characters in any of the
// forms pattern lists, begins at s[i], and where the match ends. failed
// remembers the (position, characters matched) states already found to
// fail, so that text built to make the decodings branch (runs of
// backslashes or percent signs) costs time in proportion to its length
// times the secret's, never more; it is allocated on first use.
func matchFrom(s string, i int, sec string, fold bool, failed *failedStates) (int, bool) {
	m := matcher{s: s, sec: sec, fold: fold, failed: failed}
	return m.match(i, 0)
}

type matcher struct {
	s, sec string
	fold   bool
	failed *failedStates
}

// failedStates is a set of states: a bit set while the text is short
// enough, a map beyond.
type failedStates struct {
	bits []uint64
	m    map[int]struct{}
}

const maxStateBits = 1 << 23 // 1 MiB of bits

func (f *failedStates) has(key int) bool {
	if f.bits != nil {
		return f.bits[key>>6]&(1<<(key&63)) != 0
	}
	_, ok := f.m[key]
	return ok
}

func (f *failedStates) add(key, states int) {
	switch {
	case f.bits == nil && f.m == nil && states <= maxStateBits:
		f.bits = make([]uint64, (states+63)/64)
	case f.bits == nil && f.m == nil:
		f.m = map[int]struct{}{}
	}
	if f.bits != nil {
		f.bits[key>>6] |= 1 << (key & 63)
		return
	}
	f.m[key] = struct{}{}
}

// match matches m.sec[j:] at m.s[i:].
func (m *matcher) match(i, j int) (end int, ok bool) {
	if j == len(m.sec) {
		return i, true
	}
	key := i*(len(m.sec)+1) + j
	if m.failed.has(key) {
		return 0, false
	}
	var b alts
	decodeAt(m.s, i, &b)
	for _, a := range b.list() {
		size := 0
		switch {
		case !a.isRune || a.r < utf8.RuneSelf:
			if b := byte(a.r); b == m.sec[j] || m.fold && lower(b) == lower(m.sec[j]) {
				size = 1
			}
		default:
			if sr, n := utf8.DecodeRuneInString(m.sec[j:]); sr == a.r {
				size = n
			}
		}
		if size == 0 {
			continue
		}
		if end, ok = m.match(a.next, j+size); ok {
			break
		}
	}
	if !ok && j > 0 {
		m.failed.add(key, (len(m.s)+1)*(len(m.sec)+1))
	}
	return end, ok
}

// alt is one way to read a character: the character (a byte, or with
// isRune a character from a JSON or HTML escape) and the index after it.
type alt struct {
	r      rune
	isRune bool
	next   int
}

// alts holds the ways to read one position, on the stack: at most five
// with two layers of escaping (the byte, and per way to read the escape's
// first character at one layer, at most two, the escape it begins).
type alts struct {
	a [8]alt
	n int
}

func (b *alts) add(x alt) {
	if b.n < len(b.a) {
		b.a[b.n] = x
		b.n++
	}
}

func (b *alts) list() []alt { return b.a[:b.n] }

// decodeAt fills b with every character that s[i:] may begin with when up
// to two layers of escaping are undone: the byte itself, "+" as
// a space, %XX, a JSON escape, an HTML character reference, where the
// characters that make up an escape may themselves be escaped once.
func decodeAt(s string, i int, b *alts) {
	if i >= len(s) {
		return
	}
	b.add(alt{rune(s[i]), false, i + 1})
	var inner alts
	decodeOnce(s, i, &inner)
	for _, c := range inner.list() {
		var second alts
		if c.r == '\\' {
			decodeOnce(s, c.next, &second)
		}
		escape(s, c, second.list(), b)
	}
}

// decodeOnce fills b with the characters s[i:] may begin with when one
// layer of escaping is undone.
func decodeOnce(s string, i int, b *alts) {
	if i >= len(s) {
		return
	}
	c := alt{rune(s[i]), false, i + 1}
	b.add(c)
	var second [1]alt
	if c.r == '\\' && c.next < len(s) {
		second[0] = alt{rune(s[c.next]), false, c.next + 1}
		escape(s, c, second[:], b)
		return
	}
	escape(s, c, nil, b)
}

// escape adds to b the character of the escape that c (a character read
// at s, ending at c.next) begins, if it begins one; for a backslash,
// seconds are the ways to read the character after it.
func escape(s string, c alt, seconds []alt, b *alts) {
	switch c.r {
	case '+':
		b.add(alt{' ', false, c.next})
	case '%':
		if c.next+1 < len(s) {
			if v, ok := unhex2(s[c.next], s[c.next+1]); ok {
				b.add(alt{rune(v), false, c.next + 2})
			}
		}
	case '\\':
		for _, e := range seconds {
			switch e.r {
			case '"', '\\', '/':
				b.add(alt{e.r, true, e.next})
			case 'b':
				b.add(alt{'\b', true, e.next})
			case 'f':
				b.add(alt{'\f', true, e.next})
			case 'n':
				b.add(alt{'\n', true, e.next})
			case 'r':
				b.add(alt{'\r', true, e.next})
			case 't':
				b.add(alt{'\t', true, e.next})
			case 'u', 'U':
				if r, ok := hex4(s, e.next); ok {
					b.add(alt{r, true, e.next + 4})
				}
			}
		}
	case '&':
		if r, n, ok := htmlRef(s, c.next); ok {
			b.add(alt{r, true, c.next + n})
		}
	}
}

// hex4 decodes the four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for k := i; k < i+4; k++ {
		d, ok := unhexDigit(s[k])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 0x20
	}
	return c
}

func unhexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex2(a, b byte) (byte, bool) {
	x, ok1 := unhexDigit(a)
	y, ok2 := unhexDigit(b)
	return x<<4 | y, ok1 && ok2
}

// htmlEntity decodes the named character references an HTML escaper uses
// for the characters it escapes, in any letter case.
func htmlEntity(name string) (rune, bool) {
	switch {
	case strings.EqualFold(name, "lt"):
		return '<', true
	case strings.EqualFold(name, "gt"):
		return '>', true
	case strings.EqualFold(name, "amp"):
		return '&', true
	case strings.EqualFold(name, "quot"):
		return '"', true
	case strings.EqualFold(name, "apos"):
		return '\'', true
	case strings.EqualFold(name, "nbsp"):
		return 0xa0, true
	}
	return 0, false
}

// htmlRef decodes the character reference whose ampersand came just
// before s[i]: the character, and how many bytes after the ampersand it
// takes.
func htmlRef(s string, i int) (rune, int, bool) {
	end := strings.IndexByte(s[i:min(len(s), i+11)], ';')
	if end < 1 {
		return 0, 0, false
	}
	ref := s[i : i+end]
	if ref[0] != '#' {
		r, ok := htmlEntity(ref)
		return r, end + 1, ok
	}
	digits, base := ref[1:], rune(10)
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		digits, base = digits[1:], 16
	}
	if digits == "" {
		return 0, 0, false
	}
	var r rune
	for k := 0; k < len(digits); k++ {
		d, ok := unhexDigit(digits[k])
		if !ok || rune(d) >= base {
			return 0, 0, false
		}
		r = r*base + rune(d)
		if r > utf8.MaxRune {
			return 0, 0, false
		}
	}
	return r, end + 1, true
}

// Redact returns s with every one of secrets replaced by "[REDACTED]",
// wherever it appears in any encoding a server may echo it in (see
// pattern): for a message a provider builds outside the Client, such as
// an OAuth2 token endpoint's error. Secrets shorter than three bytes are
// not scrubbed, as with the Client's own.
func Redact(s string, secrets ...string) string {
	var ps patterns
	for _, sec := range secrets {
		if len(sec) >= minKnownSecretLen {
			ps = append(ps, newPattern(sec))
		}
	}
	return redact(s, false, ps)
}

// patterns is an immutable list of patterns, longest secret first.
type patterns []*pattern

func compile(secrets []string) patterns {
	ps := make(patterns, 0, len(secrets))
	for _, s := range secrets {
		ps = append(ps, newPattern(s))
	}
	return ps
}

// redact replaces every place of s where one of the patterns' secrets
// appears, in any encoding, with "[REDACTED]". It returns s itself when no
// secret is there.
func redact(s string, fold bool, lists ...patterns) string {
	var spans []span
	for _, ps := range lists {
		for _, p := range ps {
			spans = p.find(s, fold, spans)
		}
	}
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int {
		if a.from != b.from {
			return a.from - b.from
		}
		return b.to - a.to
	})
	var b strings.Builder
	b.Grow(len(s))
	pos := 0
	for k := 0; k < len(spans); {
		from, to := spans[k].from, spans[k].to
		k++
		for k < len(spans) && spans[k].from < to { // overlapping: one redaction
			to = max(to, spans[k].to)
			k++
		}
		if from < pos {
			from = pos
		}
		b.WriteString(s[pos:from])
		b.WriteString(redacted)
		pos = to
	}
	b.WriteString(s[pos:])
	return b.String()
}
