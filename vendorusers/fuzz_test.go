package vendorusers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers/internal/wire"
)

// FuzzUnixTime checks the two Unix-time fields on any pair of seconds: the
// JSON form of a user and the answers the client reads (the generated wire
// types) give the same times; a time is zero exactly for 0 (or for the
// instant time.Time calls zero) and is in UTC otherwise; and a decoded
// user re-encodes to the same seconds and decodes to the same user.
func FuzzUnixTime(f *testing.F) {
	for _, s := range [][2]int64{{0, 0}, {1700000000, 0}, {0, 1732492800}, {-1, 1}, {253402300799, -62135596800},
		{-62135596800, 0}, {1<<63 - 1, -1 << 63}, {-62135596801, 1<<63 - 62135596800}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, visit, archived int64) {
		b := fmt.Appendf(nil, `{"_id":1,"confirmed":true,"email":"a@example.com","status":true,"userdetails":{"_id":2,"firstname":"A","lastname":"B",`+
			`"lastvisitdate":%d,"archived":true,"archivationdate":%d,"role":{"_id":5,"nameeng":"Developer"},"settings":{"language":1}}}`, visit, archived)
		var u User
		if err := json.Unmarshal(b, &u); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		var w wire.User
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatal(err)
		}
		if fromWire := userFromWire(&w); !reflect.DeepEqual(fromWire, u) {
			t.Fatalf("the JSON form read %+v, the client %+v", u, fromWire)
		}
		for _, c := range []struct {
			secs int64
			at   time.Time
		}{{visit, u.Details.LastVisit}, {archived, u.Details.ArchivedAt}} {
			if c.at.IsZero() != (c.secs == 0 || time.Unix(c.secs, 0).IsZero()) || (!c.at.IsZero() && c.at.Location() != time.UTC) {
				t.Fatalf("%d seconds decoded to %v", c.secs, c.at)
			}
			if !c.at.IsZero() && c.at.Unix() != c.secs {
				t.Fatalf("%d seconds decoded to %v, which is %d seconds", c.secs, c.at, c.at.Unix())
			}
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

// FuzzUserJSON checks the decoding of a user on any body, the vendor's
// samples first: no panic, and a decoded user survives a round trip.
func FuzzUserJSON(f *testing.F) {
	for _, name := range []string{"user_response.json", "list_users_response.json", "roles_response.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil && m["user"] != nil {
			f.Add([]byte(m["user"]))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var u User
		if json.Unmarshal(b, &u) != nil {
			return
		}
		enc, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var again User
		if err := json.Unmarshal(enc, &again); err != nil || !reflect.DeepEqual(again, u) {
			t.Fatalf("%q decoded to %+v, encoded as %s, decoded again to %+v, %v", b, u, enc, again, err)
		}
	})
}

// FuzzErrorBody checks the reading of the service's error body on any body
// and status: no panic, the same answer every time, a result that says
// whether it found a code or message, case-insensitive message rules that
// apply only to the statuses they are meant for, and, through a client, an
// error that never quotes the token, even when the body does.
func FuzzErrorBody(f *testing.F) {
	for _, s := range []string{`{"code":10,"message":"User not found"}`, `{"code":"E1","error":"already exists"}`, `{"message":""}`,
		`{"code":null}`, `{"code":{"x":1}}`, `{"message":"Bearer fuzz-token-6a2b"}`, `[]`, `<html>`, ``} {
		for _, status := range []int{200, 400, 404, 409, 422, 500} {
			f.Add(status, []byte(s))
		}
	}
	const token = "fuzz-token-6a2b"
	c, err := New(Config{BaseURL: "https://station.example.com", Token: token})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, status int, b []byte) {
		if status < 100 || status > 999 {
			return
		}
		f1, ok1 := failure(b)
		f2, ok2 := failure(b)
		if ok1 != ok2 || !reflect.DeepEqual(f1, f2) {
			t.Fatalf("failure(%q) changed its answer", b)
		}
		if ok1 != (f1.Code != "" || f1.Message != "") {
			t.Fatalf("failure(%q) = %+v, %v", b, f1, ok1)
		}
		if kindFromMessage(f1.Message) != kindFromMessage(strings.ToUpper(f1.Message)) && isASCII(f1.Message) {
			t.Fatalf("kindFromMessage(%q) depends on case", f1.Message)
		}
		resp := &http.Response{StatusCode: status}
		r := readError(resp, b)
		switch status {
		case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusNotFound, http.StatusConflict:
		default:
			if r.Kind != nil {
				t.Fatalf("status %d: readError chose %v from the message", status, r.Kind)
			}
		}
		ctx := transport.WithCall(context.Background(), "getUsers", transport.Idempotent)
		var e errorBody
		_ = json.Unmarshal(b, &e)
		err := errors.Join(c.t.APIError(ctx, resp, r), c.bodyError(ctx, resp, &e, false, "users"))
		if strings.Contains(err.Error(), token) {
			t.Fatalf("the error quotes the token: %v", err)
		}
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("readError(%d, %q) gave %v", status, b, err)
		}
	})
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
