package jsonscan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// members lists what Members reports, or nil when it answers false.
func members(b string) []string {
	var out []string
	if !Members([]byte(b), func(name, value []byte) bool {
		out = append(out, string(name)+"="+string(value))
		return true
	}) {
		return nil
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func TestMembers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`{}`, []string{}},
		{` { "a" : 1 , "b":"x,}" ,"c":[1,{"d":"]"}],"e":{"f":null}} `, []string{`a=1`, `b="x,}"`, `c=[1,{"d":"]"}]`, `e={"f":null}`}},
		{`{"a":"q\"uote"}`, []string{`a="q\"uote"`}},
		{`{"a\u0062":1}`, nil},
		{`{"a":}`, nil},
		{`{"a" 1}`, nil},
		{`{"a":1 "b":2}`, nil},
		{`{"a":1`, nil},
		{`[1]`, nil},
		{`null`, nil},
		{``, nil},
		{`{"a":"unterminated}`, nil},
	} {
		if got := members(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Members(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	calls := 0
	if Members([]byte(`{"a":1,"b":2}`), func(_, _ []byte) bool { calls++; return false }) || calls != 1 {
		t.Errorf("Members went on after fn said stop (%d calls)", calls)
	}
}

func TestElements(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want []string
	}{
		{`[]`, []string{}},
		{` [ 1 , "a]" ,{"b":[2]}, null ] `, []string{`1`, `"a]"`, `{"b":[2]}`, `null`}},
		{`[1 2]`, nil},
		{`[1,]`, nil},
		{`[`, nil},
		{`{}`, nil},
	} {
		var got []string
		ok := Elements([]byte(c.in), func(e []byte) bool { got = append(got, string(e)); return true })
		if !ok {
			got = nil
		} else if got == nil {
			got = []string{}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Elements(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzMembers holds Members to encoding/json on valid objects: the same
// member names, in order, and values that decode to what encoding/json
// decodes for them.
func FuzzMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"b":[1,2,{"c":"}"}],"d":{"e":null}}`, `{"a":"\"}"}`, ` {"x" : true } `, `{"a":1,"a":2}`, `{"é":"ü"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var ms []string
		var vals []any
		ok := Members([]byte(s), func(name, value []byte) bool {
			ms = append(ms, string(name))
			var v any
			d := json.NewDecoder(bytes.NewReader(value))
			d.UseNumber() // 1E700 is valid JSON, but no float64
			if err := d.Decode(&v); err != nil && json.Valid([]byte(s)) {
				t.Fatalf("%q: member %q has value %q, which does not decode: %v", s, name, value, err)
			}
			vals = append(vals, v)
			return true
		})
		if !json.Valid([]byte(s)) {
			return // the scan may go either way; the decoder reports it
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		if d, isObj := tok.(json.Delim); !isObj || d != '{' {
			if ok {
				t.Fatalf("%q: not an object, but Members answered true", s)
			}
			return
		}
		var want []string
		var wantVals []any
		for dec.More() {
			k, _ := dec.Token()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			want = append(want, k.(string))
			wantVals = append(wantVals, v)
		}
		if !ok {
			if !strings.Contains(s, `\`) && utf8.ValidString(s) {
				t.Fatalf("%q: a valid UTF-8 object without escapes, but Members answered false", s)
			}
			return
		}
		if fmt.Sprint(ms) != fmt.Sprint(want) || !reflect.DeepEqual(vals, wantVals) {
			t.Fatalf("%q: Members gives %q %v, encoding/json %q %v", s, ms, vals, want, wantVals)
		}
	})
}
