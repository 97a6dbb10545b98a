package genericusr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// seeds adds the vendor's samples in testdata to f's corpus.
func seeds(f *testing.F) {
	f.Helper()
	for _, name := range []string{"user_response.json", "add_user_request.json", "modify_user_request.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzFlexInt checks the numeric-string decoding on any JSON value: an
// accepted value re-encodes to a JSON number that decodes to the same
// value, its quoted form decodes alike, the flag form agrees (any non-zero
// integer is true), and the decoder's one error never quotes the input.
func FuzzFlexInt(f *testing.F) {
	for _, s := range []string{`21`, `"21"`, `" 21 "`, `null`, `""`, `"-7"`, `-0`, `9223372036854775807`, `"9223372036854775808"`,
		`1.5`, `"1e3"`, `true`, `"true"`, `false`, `{}`, `[]`, `"\u0031"`, `"0x10"`, `+1`, `"+1"`, `01`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var n flexInt
		err := json.Unmarshal(b, &n)
		if direct, derr := parseFlexInt(b); json.Valid(b) && ((derr == nil) != (err == nil) || (err == nil && int64(n) != direct)) {
			t.Fatalf("json.Unmarshal and parseFlexInt disagree on %q: %v, %v / %v, %v", b, n, err, direct, derr)
		}
		if _, derr := parseFlexInt(b); derr != nil && derr != errNotInteger {
			t.Fatalf("parseFlexInt(%q) = %v; want its one error, which quotes nothing", b, derr)
		}
		if err == nil {
			enc, err := json.Marshal(n)
			if err != nil {
				t.Fatal(err)
			}
			var again flexInt
			if err := json.Unmarshal(enc, &again); err != nil || again != n {
				t.Fatalf("%q decoded to %d, encoded as %s, decoded again to %d, %v", b, n, enc, again, err)
			}
			quoted := []byte(strconv.Quote(strconv.FormatInt(int64(n), 10)))
			if err := json.Unmarshal(quoted, &again); err != nil || again != n {
				t.Fatalf("%s decoded to %d, %v; want %d", quoted, again, err, n)
			}
		}
		var flag flexBool
		if ferr := json.Unmarshal(b, &flag); ferr == nil && err == nil && bool(flag) != (n != 0) {
			t.Fatalf("%q: flag %v but integer %d", b, flag, n)
		} else if ferr == nil {
			enc, _ := json.Marshal(flag)
			var again flexBool
			if err := json.Unmarshal(enc, &again); err != nil || again != flag {
				t.Fatalf("flag %q decoded to %v, encoded as %s, decoded again to %v, %v", b, flag, enc, again, err)
			}
		}
	})
}

// FuzzUserJSON checks the decoding of users and of the answers that carry
// them on any body: a decoded User survives a round trip through its own
// encoding; the one-pass reading of a user answer agrees with reading the
// error object first and the user second; and a listing keyed by index
// comes out in an order that does not depend on the order of the keys.
func FuzzUserJSON(f *testing.F) {
	seeds(f)
	for _, s := range []string{`{"error":{"type":"Exception","message":"Unknown userId Error"}}`, `{"error":"gone"}`, `{"error":null,"userId":3}`,
		`[{"userId":"1"},{"userId":2}]`, `{"0":{"userId":"1"},"2":{"userId":"3"},"10":{"userId":"4"},"9":{"userId":"5"},"5a":{"userId":"6"}}`,
		`null`, `true`, `{"userId":{}}`, `{"userId":"1","error":{}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var u User
		if json.Unmarshal(b, &u) == nil {
			enc, err := json.Marshal(u)
			if err != nil {
				t.Fatal(err)
			}
			var again User
			if err := json.Unmarshal(enc, &again); err != nil || again != u {
				t.Fatalf("%q decoded to %+v, encoded as %s, decoded again to %+v, %v", b, u, enc, again, err)
			}
		}

		// The inputs decode the vendor's request samples; encoding one
		// never shows its password.
		var add AddUserInput
		if json.Unmarshal(b, &add) == nil {
			if enc, err := json.Marshal(add); err != nil || leaks(enc, add.Password.Reveal()) {
				t.Fatalf("%+v encoded as %s, %v", add, enc, err)
			}
		}
		var mod ModifyUserInput
		if json.Unmarshal(b, &mod) == nil && mod.Password != nil {
			if enc, err := json.Marshal(mod); err != nil || leaks(enc, mod.Password.Reveal()) {
				t.Fatalf("%+v encoded as %s, %v", mod, enc, err)
			}
		}

		var a userAnswer
		err := json.Unmarshal(b, &a)
		// the reading before the one-pass decoding: error object first
		var want userAnswer
		wantErr := func() error {
			if f, ok := errorIn(b); ok {
				want.fail = &f
				return nil
			}
			t := bytes.TrimSpace(b)
			if len(t) == 0 || t[0] != '{' {
				return errNotUser
			}
			return json.Unmarshal(t, &want.user)
		}()
		if json.Valid(b) && ((err == nil) != (wantErr == nil) || (err == nil && !reflect.DeepEqual(a, want))) {
			t.Fatalf("%q: one pass read %+v, %v; two passes %+v, %v", b, a, err, want, wantErr)
		}

		var l1 listAnswer
		if json.Unmarshal(b, &l1) == nil && l1.fail == nil {
			var m map[string]json.RawMessage
			if json.Unmarshal(b, &m) == nil && len(m) > 1 {
				// The same object with its members in reverse order.
				var rev bytes.Buffer
				rev.WriteByte('{')
				keys := make([]string, 0, len(m))
				for k := range m {
					keys = append(keys, k)
				}
				for i := range keys {
					k := keys[len(keys)-1-i]
					if i > 0 {
						rev.WriteByte(',')
					}
					kb, _ := json.Marshal(k)
					rev.Write(kb)
					rev.WriteByte(':')
					rev.Write(m[k])
				}
				rev.WriteByte('}')
				for range 3 { // map iteration order varies between decodings too
					var l2 listAnswer
					if err := json.Unmarshal(rev.Bytes(), &l2); err != nil || !reflect.DeepEqual(l1.users, l2.users) {
						t.Fatalf("%q: the order of the users depends on the order of the keys: %+v, then %+v (%v)", b, l1.users, l2.users, err)
					}
				}
			}
		}
	})
}

// FuzzErrorBody checks the reading of the API's error object on any body
// and status: no panic, the same answer every time, a message or code
// whenever the body is an error object, case-insensitive rules, the status
// deciding for 401, 403 and 429, and, through a client, an error that never
// quotes the configured password or its Basic form.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []string{`{"error":{"type":"Exception","message":"Unknown userId Error"}}`, `{"error":"Username already exists"}`,
		`{"error":{}}`, `{"error":null}`, `{"error":42}`, `{"error":{"message":"fuzz-password-9c1e"}}`, `<html>500</html>`, ``} {
		for _, status := range []int{200, 400, 401, 404, 429, 500} {
			f.Add(status, []byte(s))
		}
	}
	const password = "fuzz-password-9c1e"
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		if status < 100 || status > 999 {
			return
		}
		f1, ok1 := errorIn(b)
		f2, ok2 := errorIn(b)
		if ok1 != ok2 || !reflect.DeepEqual(f1, f2) {
			t.Fatalf("errorIn(%q) changed its answer", b)
		}
		if ok1 && f1.Message == "" && f1.Code == "" {
			t.Fatalf("errorIn(%q) found an error object without message or code", b)
		}
		if k := kindOf(f1.Message); k != kindOf(swapASCIICase(f1.Message)) {
			t.Fatalf("kindOf(%q) depends on case", f1.Message)
		}
		resp := &http.Response{StatusCode: status}
		r := readError(resp, b)
		if (status == 401 || status == 403 || status == 429) && r.Kind != nil {
			t.Fatalf("status %d: readError chose %v over the status", status, r.Kind)
		}
		c, err := New(Config{BaseURL: "https://ads.example.com/api", Username: "admin", Password: password})
		if err != nil {
			t.Fatal(err)
		}
		ctx := transport.WithCall(context.Background(), "getUser", transport.Idempotent)
		e := c.t.APIError(ctx, resp, r)
		if ok1 {
			e = errors.Join(e, c.t.APIError(ctx, nil, f1))
		}
		for _, s := range []string{password, "YWRtaW46ZnV6ei1wYXNzd29yZC05YzFl"} { // the Basic credential
			if strings.Contains(e.Error(), s) {
				t.Fatalf("the error quotes %q: %v", s, e)
			}
		}
		var apiErr *usermgmt.APIError
		if !errors.As(e, &apiErr) || apiErr.StatusCode != status {
			t.Fatalf("readError(%d, %q) gave %v", status, b, e)
		}
	})
}

// swapASCIICase swaps the case of ASCII letters only: Unicode case
// mappings can change a string's length, which the rules need not survive.
func swapASCIICase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z':
			return r - 'a' + 'A'
		case 'A' <= r && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

// leaks reports whether the password member of enc shows password.
func leaks(enc []byte, password string) bool {
	var m map[string]any
	if json.Unmarshal(enc, &m) != nil {
		return true
	}
	shown, _ := m["password"].(string)
	return password != "" && password != "[REDACTED]" && shown == password
}
