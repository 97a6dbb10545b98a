package dbsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// FuzzClassify checks the message-to-kind rules on any pair of messages:
// the result is nil or one of the four kinds; it does not depend on the
// order of the messages nor on the case of ASCII letters; a message that
// matches on its own still matches beside another, with a rule at least as
// strong; and every message whose words match a rule classifies.
func FuzzClassify(f *testing.F) {
	for _, s := range [][2]string{{"Invalid partnerAppKey", ""}, {"License quota exceeded", "user already exists"},
		{"user does not exist", "Already unregistered"}, {"duplicate", "not found"}, {"", ""}, {"Company unknown", "ok"},
		{"ACCESS DENIED", "no more licenses"}, {"İ", "already"}} {
		f.Add(s[0], s[1])
	}
	rank := map[error]int{usermgmt.ErrUnauthorized: 0, ErrQuotaExceeded: 1, usermgmt.ErrNotFound: 2, usermgmt.ErrConflict: 3, nil: 4}
	f.Fuzz(func(t *testing.T, a, b string) {
		k := classify([]string{a, b})
		if _, ok := rank[k]; !ok {
			t.Fatalf("classify(%q, %q) = %v, not a kind", a, b, k)
		}
		if k2 := classify([]string{b, a}); k2 != k {
			t.Fatalf("classify depends on the order: %v, then %v", k, k2)
		}
		if k2 := classify([]string{swapASCIICase(a), swapASCIICase(b)}); k2 != k {
			t.Fatalf("classify(%q, %q) depends on case: %v, then %v", a, b, k, k2)
		}
		for _, m := range []string{a, b} {
			if ka := classify([]string{m}); rank[ka] < rank[k] {
				t.Fatalf("%q alone is %v, but %v beside another", m, ka, k)
			}
			low := strings.ToLower(m)
			for _, words := range [][]string{unauthorizedWords, quotaWords, notFoundWords, conflictWords} {
				for _, w := range words {
					if strings.Contains(low, w) && classify([]string{m}) == nil {
						t.Fatalf("%q holds %q but is not classified", m, w)
					}
				}
			}
		}
	})
}

// FuzzLicenseJSON checks a license item's decoding on any body: it agrees
// with the plain reading (every member into the struct, and the members
// the struct does not model into Extra), and a decoded item survives a
// round trip through its own encoding.
func FuzzLicenseJSON(f *testing.F) {
	for _, name := range []string{"license_details_response.json", "register_response.json", "register_response_v1.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		var env struct{ Value []json.RawMessage }
		if json.Unmarshal(b, &env) == nil {
			for _, item := range env.Value {
				f.Add([]byte(item))
			}
		}
	}
	for _, s := range []string{`{"userName":"a","plan":{"seats":3},"tags":["x"]}`, `{"userName":1}`, `{"USERNAME":"x","userName":"y"}`,
		`{"user\u004eame":"x"}`, `{"errorMessage":["quota"],"expiryDate":"2027-01-01"}`, `{}`, `{"a":1,"b":2}`, `[]`, `null`,
		`{"companyId":"1" , "x" : [ {"y":"}"} ] }`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got License
		err := json.Unmarshal(b, &got)
		want, wantErr := plainLicense(b)
		if (err == nil) != (wantErr == nil) || (err == nil && !reflect.DeepEqual(got, want)) {
			t.Fatalf("%q: decoded %+v, %v; the plain reading gives %+v, %v", b, got, err, want, wantErr)
		}
		if err != nil {
			return
		}
		enc, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var again License
		if err := json.Unmarshal(enc, &again); err != nil || !sameLicense(again, got) {
			t.Fatalf("%q decoded to %+v, encoded as %s, decoded again to %+v, %v", b, got, enc, again, err)
		}
	})
}

// plainLicense is the reading License.UnmarshalJSON must agree with.
func plainLicense(b []byte) (License, error) {
	var f licenseFields
	if err := json.Unmarshal(b, &f); err != nil {
		return License{}, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return License{}, err
	}
	for _, k := range licenseKeys {
		delete(all, k)
	}
	f.Extra = nil
	if len(all) > 0 {
		f.Extra = all
	}
	return License(f), nil
}

// sameLicense compares two items, their Extra members as JSON values
// rather than as the bytes they were written with (json.Marshal escapes
// "&" as \u0026, for one).
func sameLicense(a, b License) bool {
	ea, eb := a.Extra, b.Extra
	a.Extra, b.Extra = nil, nil
	if !reflect.DeepEqual(a, b) || len(ea) != len(eb) {
		return false
	}
	for k, v := range ea {
		var x, y any
		if json.Unmarshal(v, &x) != nil || json.Unmarshal(eb[k], &y) != nil || !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// FuzzAnswers sends every call to a canned answer of any status and body:
// the Partner API's wrapper with its errorMessage lists, a gateway's error,
// or anything else. Properties: no panic; a failure is an *APIError (or an
// unknown outcome wrapping one) keeping every error message; a success
// carries no error message; and no error quotes the partner credentials,
// even when the answer does.
func FuzzAnswers(f *testing.F) {
	for _, name := range []string{"license_details_response.json", "register_response.json", "register_response_v1.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(200, b)
	}
	for _, s := range []string{`{"value":[{"userName":"jdoe","errorMessage":["License quota exceeded"]}]}`,
		`{"value":[{"errorMessage":["Invalid partnerAppToken fuzz-token-52ad"]},{"errorMessage":["a","b"]}]}`,
		`{"value":[]}`, `{"value":null}`, `{"message":"fuzz-key-0b7e rejected"}`, `{"error":"gateway"}`, `<html>502</html>`, ``} {
		for _, status := range []int{200, 400, 401, 500, 502} {
			f.Add(status, []byte(s))
		}
	}
	const key, token = "fuzz-key-0b7e", "fuzz-token-52ad"
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		if status < 100 || status > 999 {
			return
		}
		hc := &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
			_, _ = io.Copy(io.Discard, r.Body)
			return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(bytes.NewReader(b)), Request: r}, nil
		})}
		c, err := New(Config{BaseURL: "https://partner.example.com/v2", PartnerAppKey: key, PartnerAppToken: token},
			usermgmt.WithHTTPClient(hc), usermgmt.WithRetry(usermgmt.NoRetries()))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		u := EndUser{Company: "Acme", UserName: "jdoe"}
		var msgs []string
		var env struct {
			Value []struct {
				ErrorMessage []string `json:"errorMessage"`
			} `json:"value"`
		}
		if json.Unmarshal(b, &env) == nil {
			for _, v := range env.Value {
				msgs = append(msgs, v.ErrorMessage...)
			}
		}
		_, err1 := c.RegisterUser(ctx, u)
		err2 := c.UnregisterUser(ctx, u)
		_, err3 := c.AuthenticateUser(ctx, u)
		ls, err4 := c.LicenseDetails(ctx, LicenseFilter{})
		for _, err := range []error{err1, err2, err3, err4} {
			if err == nil {
				continue
			}
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%d %q: %v is not an APIError", status, b, err)
			}
			if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), token) {
				t.Fatalf("the error quotes a credential: %v", err)
			}
			if status == 200 && len(msgs) > 0 && len(apiErr.Messages) != len(msgs) {
				t.Fatalf("%q: the error kept %d of %d messages: %v", b, len(apiErr.Messages), len(msgs), err)
			}
		}
		if err4 == nil && slices.ContainsFunc(ls, func(l License) bool { return len(l.ErrorMessage) > 0 }) {
			t.Fatalf("%q: a success carries error messages: %+v", b, ls)
		}
		if err4 == nil && len(msgs) > 0 {
			t.Fatalf("%q: error messages %q, but LicenseDetails succeeded", b, msgs)
		}
		// readError alone: no panic, the same answer every time.
		if r1, r2 := readError(nil, b), readError(nil, b); !reflect.DeepEqual(r1, r2) {
			t.Fatalf("readError(%q) changed its answer", b)
		}
	})
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

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

// FuzzLicenseAnswer checks the one-pass decoding of a licence answer
// (unmarshalItems for items with only modelled members) against the
// decoding through License.UnmarshalJSON: the same items, the same Extra,
// an error for the same inputs.
func FuzzLicenseAnswer(f *testing.F) {
	for _, name := range []string{"license_details_response.json", "register_response.json", "register_response_v1.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`{"value":[]}`, `{"value":null}`, `{}`, `{"Value":[{"userName":"a"}]}`, `{"v\u0061lue":[{"userName":"a"}]}`,
		`{"value":[{"userName":"a"}],"value":[{"userId":"2"}]}`, `{"value":[{"userName":"a","seats":3}]}`, `{"value":[null]}`,
		`{"value":[{"userName":"a"},{"USERNAME":"b"}]}`, `{"value":[{"userName":"a"}],"odata":{"value":[1]}}`, `{"value":[{"userName":"a"}]`,
		`{"value":nul}`, `{"value":[{"userName":"a"} {"userId":"b"}]}`, `{"value":[{"userName":"a\"}"}]} `, `[]`, `null`, `"value"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := unmarshalItems[License](b)
		var env envelope[License]
		wantErr := json.Unmarshal(b, &env)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: one pass: %v; through UnmarshalJSON: %v", b, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, env.Value) {
			t.Fatalf("%q: one pass gives %+v; through UnmarshalJSON %+v", b, got, env.Value)
		}
	})
}
