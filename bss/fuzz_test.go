package bss

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// FuzzErrorBody checks the reading of the assumed BSS error body on any
// body, the vendor's sample first: no panic; the same answer every time
// (per-field errors come out in key order); the kind follows the code's
// rules; every message read is a string of the body; and through a client
// the error never quotes the API key, even when the body does.
func FuzzErrorBody(f *testing.F) {
	b, err := os.ReadFile("testdata/error_response.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, s := range []string{`{"code":"USER_ALREADY_EXISTS","errors":["email taken"]}`, `{"code":409,"errors":{"email":["taken","bad"],"name":"short"}}`,
		`{"code":"x_not_found","errors":[{"message":"m"},{"message":1},2]}`, `{"message":"Apikey fuzz-apikey-3e8a"}`, `{"code":null}`,
		`{"errors":{"b":"2","a":"1"}}`, `[]`, `"just a string"`, ``} {
		f.Add([]byte(s))
	}
	const key = "fuzz-apikey-3e8a"
	c, err := New(Config{BaseURL: "https://bss.example.com", APIKey: key})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r1, r2 := readError(nil, body), readError(nil, body)
		if !reflect.DeepEqual(r1, r2) {
			t.Fatalf("readError(%q) changed its answer: %+v, then %+v", body, r1, r2)
		}
		code := strings.ToUpper(r1.Code)
		switch {
		case strings.HasSuffix(code, "NOT_FOUND"):
			if r1.Kind != usermgmt.ErrNotFound {
				t.Fatalf("code %q: kind %v", r1.Code, r1.Kind)
			}
		case strings.Contains(code, "ALREADY_EXISTS"), strings.Contains(code, "DUPLICATE"), strings.Contains(code, "CONFLICT"):
			if r1.Kind != usermgmt.ErrConflict {
				t.Fatalf("code %q: kind %v", r1.Code, r1.Kind)
			}
		default:
			if r1.Kind != nil {
				t.Fatalf("code %q: kind %v", r1.Code, r1.Kind)
			}
		}
		var strs []string
		collectStrings(body, &strs)
		for _, m := range append(slices.Clone(r1.Messages), r1.Message) {
			if m == "" {
				continue
			}
			if !slices.ContainsFunc(strs, func(s string) bool { return strings.HasSuffix(m, s) }) {
				t.Fatalf("readError(%q) made up the message %q", body, m)
			}
		}
		ctx := transport.WithCall(context.Background(), "getUserById", transport.Idempotent)
		err := c.t.APIError(ctx, &http.Response{StatusCode: 400}, r1)
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || strings.Contains(err.Error(), key) {
			t.Fatalf("readError(%q) gave %v", body, err)
		}
	})
}

// collectStrings appends every string value of the JSON document b.
func collectStrings(b []byte, out *[]string) {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			*out = append(*out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
}

// FuzzRegistrationTime checks the epoch field registration_time on any
// seconds: the time is zero exactly for 0 (or the instant time.Time calls
// zero), in UTC otherwise, re-encodes to the same seconds, and a user
// holding it survives a round trip.
func FuzzRegistrationTime(f *testing.F) {
	for _, s := range []int64{0, 1, -1, 1700000000, 253402300799, -62135596800, 1<<63 - 1, -1 << 63} {
		f.Add(s, "REGISTERED")
	}
	f.Add(int64(5), "")
	f.Fuzz(func(t *testing.T, secs int64, state string) {
		b, err := json.Marshal(map[string]any{"id": "u1", "registration_information": map[string]any{"registration_state": state, "registration_time": secs}})
		if err != nil {
			t.Fatal(err)
		}
		var u User
		if err := json.Unmarshal(b, &u); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		at := u.RegistrationInformation.Time
		if at.IsZero() != (secs == 0 || time.Unix(secs, 0).IsZero()) || (!at.IsZero() && (at.Location() != time.UTC || at.Unix() != secs)) {
			t.Fatalf("%d seconds decoded to %v", secs, at)
		}
		enc, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var again User
		if err := json.Unmarshal(enc, &again); err != nil || !reflect.DeepEqual(again, u) {
			t.Fatalf("%+v encoded as %s, decoded again to %+v, %v", u, enc, again, err)
		}
	})
}
