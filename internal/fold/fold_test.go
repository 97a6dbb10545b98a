package fold

import (
	"slices"
	"strings"
	"testing"
)

func TestKeyEqualsExactlyWhenEqualFold(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"", "", true},
		{"ada@example.com", "ADA@Example.COM", true},
		{"k", "K", true},
		{"k", "\u212a", true}, // KELVIN SIGN
		{"K", "\u212a", true},
		{"s", "\u017f", true}, // LATIN SMALL LETTER LONG S
		{"S", "\u017f", true},
		{"ß", "ẞ", true}, // U+1E9E LATIN CAPITAL LETTER SHARP S
		{"ß", "ss", false},
		{"ß", "SS", false},
		{"σ", "Σ", true},
		{"ς", "Σ", true}, // final sigma
		{"ς", "σ", true},
		{"ΣΑΣ", "σας", true},
		{"µ", "μ", true}, // MICRO SIGN and GREEK SMALL LETTER MU
		{"µ", "Μ", true},
		{"i", "İ", false}, // U+0130: no simple fold to i
		{"i", "ı", false}, // U+0131 DOTLESS I
		{"a", "b", false},
		{"ab", "a", false},
		{"\xff", "\ufffd", true}, // invalid UTF-8 reads as U+FFFD
		{"\xff", "\xfe", true},
		{"a\xff", "A\ufffd", true},
		{"é", "É", true},
		{"e\u0301", "é", false}, // no normalization
	}
	for _, tt := range tests {
		if got := Key(tt.a) == Key(tt.b); got != tt.same {
			t.Errorf("Key(%q) == Key(%q) is %v, want %v (keys %q, %q)", tt.a, tt.b, got, tt.same, Key(tt.a), Key(tt.b))
		}
		if ef := strings.EqualFold(tt.a, tt.b); ef != tt.same {
			t.Errorf("the table is wrong: strings.EqualFold(%q, %q) = %v", tt.a, tt.b, ef)
		}
	}
}

func TestKeyOfItsOwnKeyDoesNotAllocate(t *testing.T) {
	s := Key("Ada@Example.com")
	if n := testing.AllocsPerRun(100, func() { _ = Key(s) }); n != 0 {
		t.Errorf("Key of a key allocates %v times", n)
	}
}

// FuzzKey checks the one property the fakes rely on: two strings have the
// same key exactly when strings.EqualFold holds between them.
func FuzzKey(f *testing.F) {
	for _, p := range [][2]string{
		{"", ""},
		{"ada@example.com", "ADA@EXAMPLE.COM"},
		{"k", "\u212a"},
		{"s", "\u017f"},
		{"ß", "ss"},
		{"ß", "ẞ"},
		{"ς", "Σ"},
		{"σ", "ς"},
		{"µ", "Μ"},
		{"ǅ", "ǆ"}, // a title-case letter: an orbit of three
		{"\xff", "\ufffd"},
		{"a\x80b", "A\xc0B"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := Key(a) == Key(b), strings.EqualFold(a, b); got != want {
			t.Errorf("Key(%q) == Key(%q) is %v, strings.EqualFold is %v", a, b, got, want)
		}
		if !strings.EqualFold(a, Key(a)) {
			t.Errorf("Key(%q) = %q does not fold to its argument", a, Key(a))
		}
	})
}

func TestIndex(t *testing.T) {
	var x Index[int]
	if got := x.Lookup("a"); got != nil {
		t.Fatalf("empty index: Lookup = %v", got)
	}
	x.Remove("a", 1) // nothing recorded: no effect, no panic
	x.Add("Ada", 1)
	x.Add("ADA", 2)
	x.Add("bob", 3)
	if got := x.Lookup("ada"); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("Lookup(ada) = %v, want [1 2]", got)
	}
	held := x.Lookup("ada")
	x.Remove("aDa", 1)
	if got := x.Lookup("ada"); !slices.Equal(got, []int{2}) {
		t.Errorf("after removing 1: Lookup(ada) = %v, want [2]", got)
	}
	if !slices.Equal(held, []int{1, 2}) {
		t.Errorf("Remove changed a slice Lookup returned before: %v", held)
	}
	x.Remove("ada", 3) // 3 holds bob: no effect
	x.Remove("ada", 2)
	if got := x.Lookup("ada"); got != nil {
		t.Errorf("after removing both: Lookup(ada) = %v", got)
	}
	if len(x.ids) != 1 {
		t.Errorf("the index keeps %d keys, want 1 (an emptied key is deleted)", len(x.ids))
	}
	if got := x.Lookup("BOB"); !slices.Equal(got, []int{3}) {
		t.Errorf("Lookup(BOB) = %v, want [3]", got)
	}
}
