package mailaddr

import (
	"net/mail"
	"strings"
	"testing"
)

// reference is the check Plain replaces.
func reference(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

var cases = []struct {
	in   string
	want bool
}{
	{"ada@example.com", true},
	{"a.b-c+d_e!#$%&'*/=?^`{|}~@x.example", true},
	{"ada@localhost", true},
	{`"ada lovelace"@example.com`, false}, // net/mail unquotes it: the address differs from the string
	{"ada@[192.0.2.1]", true},
	{"ådå@example.com", true},
	{"", false},
	{"@example.com", false},
	{"ada@", false},
	{"ada", false},
	{"ada@@example.com", false},
	{"a@b@example.com", false},
	{".ada@example.com", false},
	{"ada.@example.com", false},
	{"a..da@example.com", false},
	{"ada@example..com", false},
	{"ada@.example.com", false},
	{"ada@example.com.", false},
	{" ada@example.com", false},
	{"ada@example.com ", false},
	{"ada @example.com", false},
	{"Ada <ada@example.com>", false},
	{"<ada@example.com>", false},
	{"ada@example.com (Ada)", false},
	{"ada\t@example.com", false},
	{"ada\x00@example.com", false},
	{"ada\x7f@example.com", false},
	{"ad(a@example.com", false},
	{"ada@exa,mple.com", false},
	{"\xffada@example.com", false},
}

// TestPlain checks Plain on a table, and against the net/mail reading it
// stands for.
func TestPlain(t *testing.T) {
	t.Parallel()
	for _, c := range cases {
		if got := Plain(c.in); got != c.want {
			t.Errorf("Plain(%q) = %v, want %v", c.in, got, c.want)
		}
		if got, ref := Plain(c.in), reference(c.in); got != ref {
			t.Errorf("Plain(%q) = %v, net/mail says %v", c.in, got, ref)
		}
	}
}

// TestAtextMasks checks the masks of atext against the definition.
func TestAtextMasks(t *testing.T) {
	t.Parallel()
	for c := 0; c < 256; c++ {
		want := c > ' ' && c < 0x7f && !strings.ContainsRune(`()<>[]:;@\,".`, rune(c))
		if got := atext(byte(c)); got != want {
			t.Errorf("atext(%q) = %v, want %v", rune(c), got, want)
		}
	}
}

// FuzzPlain holds Plain, fast path included, to net/mail's reading of
// every input, and the fast path to accepting only what net/mail accepts.
func FuzzPlain(f *testing.F) {
	for _, c := range cases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref := reference(s)
		if got := Plain(s); got != ref {
			t.Fatalf("Plain(%q) = %v, net/mail says %v", s, got, ref)
		}
		if dotAtoms(s) && !ref {
			t.Fatalf("dotAtoms(%q) accepts what net/mail refuses", s)
		}
	})
}

// BenchmarkPlain compares the check with net/mail's parse on a common
// address.
func BenchmarkPlain(b *testing.B) {
	const s = "ada.lovelace+test@example.com"
	b.Run("net/mail", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !reference(s) {
				b.Fatal(s)
			}
		}
	})
	b.Run("Plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !Plain(s) {
				b.Fatal(s)
			}
		}
	})
}
