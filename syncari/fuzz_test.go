package syncari

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// FuzzErrorEnvelope checks the reading of Syncari's error envelope. On any
// body: no panic and the same answer every time. On an envelope built from
// any strings: every field comes back (the code trimmed, the error list in
// order). Through a client and through the token endpoint's error: no error
// ever quotes the client secret, as it is or form-encoded, even when the
// body does.
func FuzzErrorEnvelope(f *testing.F) {
	for _, s := range [][4]string{
		{"req-1", "User not found", "404", "bad id"},
		{"", "", "", ""},
		{"r", "fuzz secret/1+2=3 in a message", " E42 ", "fuzz secret/1+2=3"},
		{"\u2028", "<b>", "null", "a\x00b"},
	} {
		f.Add(s[0], s[1], s[2], s[3], []byte(`{"success":false,"message":"`+s[1]+`"}`))
	}
	f.Add("", "", "", "", []byte(`{"success":false,"code":{"n":1},"errors":[1,{"message":2},{"message":"m"}],"error":"invalid_client"}`))
	f.Add("", "", "", "", []byte(`<html>`))
	const secret = "fuzz secret/1+2=3" // its form encoding differs from it
	c, err := New(Config{BaseURL: "https://api.example.com", ClientID: "id", ClientSecret: secret, InstanceID: "YUBV99"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, requestID, message, code, item string, body []byte) {
		f1, f2 := failureFromEnvelope(body), failureFromEnvelope(body)
		if !reflect.DeepEqual(f1, f2) {
			t.Fatalf("failureFromEnvelope(%q) changed its answer", body)
		}

		env, _ := json.Marshal(map[string]any{"success": false, "requestId": requestID, "message": message, "code": code,
			"errors": []any{item, map[string]any{"message": item}, 7}})
		got := failureFromEnvelope(env)
		want := transport.Failure{RequestID: requestID, Message: message, Code: strings.TrimSpace(code), Messages: []string{item, item}}
		if !utf8Safe(requestID, message, code, item) {
			return // invalid UTF-8 is replaced on encoding: no exact round trip
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s read as %+v; want %+v", env, got, want)
		}

		for _, b := range [][]byte{body, env} {
			ctx := transport.WithCall(context.Background(), "getUsers", transport.Idempotent)
			e1 := c.t.APIError(ctx, &http.Response{StatusCode: 400}, failureFromEnvelope(b))
			e2 := tokenError(&oauth2.RetrieveError{Response: &http.Response{StatusCode: 401}, Body: b,
				ErrorCode: string(b), ErrorDescription: message}, secret)
			for _, e := range []error{e1, e2} {
				var apiErr *usermgmt.APIError
				if !errors.As(e, &apiErr) {
					t.Fatalf("%v is not an APIError", e)
				}
				s := fmt.Sprintf("%v %+v", e, apiErr)
				if strings.Contains(s, secret) || strings.Contains(s, url.QueryEscape(secret)) {
					t.Fatalf("the error quotes the client secret: %s", s)
				}
			}
		}
	})
}

func utf8Safe(ss ...string) bool {
	for _, s := range ss {
		if strings.ToValidUTF8(s, "\uFFFD") != s {
			return false
		}
	}
	return true
}
