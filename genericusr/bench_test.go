package genericusr_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/internal/wire"
	"github.com/usermgmt-go/sdk/internal/benchkit"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// The benchmarks compare, against the same loopback server in the same
// run, a hand-written baseline (net/http and encoding/json), the generated
// wire client, the hand-written Client and the Directory facade. See
// BENCHMARKS.md at the repository root.

const (
	benchUser     = "bench-admin"
	benchPassword = "bench-password-0123456789"
)

// benchRecord is a user as the API writes it, numbers as strings, as a
// hand-written client would declare it.
type benchRecord struct {
	UserID           string `json:"userId"`
	ContactName      string `json:"contactName"`
	EmailAddress     string `json:"emailAddress"`
	Username         string `json:"username"`
	DefaultAccountID string `json:"defaultAccountId"`
	Active           string `json:"active"`
}

// benchUserValue is the user a hand-written client would hand its caller.
type benchUserValue struct {
	ID, DefaultAccountID          int64
	ContactName, Email, LoginName string
	Active                        bool
}

type benchAdd struct {
	ContactName      string `json:"contactName"`
	EmailAddress     string `json:"emailAddress"`
	DefaultAccountID int64  `json:"defaultAccountId"`
	Username         string `json:"username"`
	Password         string `json:"password"`
}

// benchBaseline is the hand-written client the SDK is measured against:
// the same requests, written with net/http and encoding/json only.
type benchBaseline struct {
	hc   *http.Client
	base string
}

func (c *benchBaseline) request(ctx context.Context, method, path string, body any) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/javascript")
	}
	req.SetBasicAuth(benchUser, benchPassword)
	return req, nil
}

func (c *benchBaseline) user(req *http.Request) (*benchUserValue, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var r benchRecord
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(r.UserID, 10, 64)
	if err != nil {
		return nil, err
	}
	account, err := strconv.ParseInt(r.DefaultAccountID, 10, 64)
	if err != nil {
		return nil, err
	}
	return &benchUserValue{ID: id, DefaultAccountID: account, ContactName: r.ContactName, Email: r.EmailAddress,
		LoginName: r.Username, Active: r.Active == "1"}, nil
}

func benchSample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func benchClients(b *testing.B, srv *httptest.Server) (*benchBaseline, *wire.ClientWithResponses, *genericusr.Client, *usermgmt.Directory) {
	b.Helper()
	base := &benchBaseline{hc: benchkit.HTTPClient(b), base: srv.URL}
	api, err := wire.NewClientWithResponses(srv.URL, wire.WithHTTPClient(benchkit.HTTPClient(b)),
		wire.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.SetBasicAuth(benchUser, benchPassword)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	c, err := genericusr.New(genericusr.Config{BaseURL: srv.URL, Username: benchUser, Password: benchPassword})
	if err != nil {
		b.Fatal(err)
	}
	dir, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: 2})
	if err != nil {
		b.Fatal(err)
	}
	return base, api, c, dir
}

// BenchmarkCreate measures one addUser call.
func BenchmarkCreate(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodPost, Path: "/usr/new", Body: benchSample(b, "user_response.json")})
	base, api, c, dir := benchClients(b, srv)
	in := benchAdd{ContactName: "John Doe", EmailAddress: "john.doe@example.com", DefaultAccountID: 2, Username: "test", Password: "secret-password"}
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			req, err := base.request(ctx, http.MethodPost, "/usr/new", in)
			if err != nil {
				return err
			}
			_, err = base.user(req)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			var account wire.IntegerOrString
			if err := account.FromIntegerNumber(in.DefaultAccountID); err != nil {
				return err
			}
			pw := in.Password
			resp, err := api.AddUserWithResponse(ctx, wire.AddUserRequest{ContactName: in.ContactName, EmailAddress: in.EmailAddress,
				DefaultAccountID: account, Username: in.Username, Password: &pw})
			if err == nil && (resp.JSON200 == nil || resp.JSON200.UserID == nil) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.AddUser(ctx, genericusr.AddUserInput{ContactName: in.ContactName, EmailAddress: in.EmailAddress,
				DefaultAccountID: in.DefaultAccountID, Username: in.Username, Password: usermgmt.Secret(in.Password)})
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.CreateUser(ctx, usermgmt.CreateUserInput{Username: in.Username, Email: in.EmailAddress,
				Name: in.ContactName, Password: usermgmt.Secret(in.Password)})
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), http.MethodPost, "/usr/new", in)
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}

// BenchmarkGet measures one getUser call.
func BenchmarkGet(b *testing.B) {
	srv := benchkit.Canned(b, benchkit.Route{Method: http.MethodGet, Path: "/usr/21", Body: benchSample(b, "user_response.json")})
	base, api, c, dir := benchClients(b, srv)
	benchkit.Calls(b, []benchkit.Variant{
		{Name: "baseline", Op: func(ctx context.Context) error {
			req, err := base.request(ctx, http.MethodGet, "/usr/"+strconv.FormatInt(21, 10), nil)
			if err != nil {
				return err
			}
			_, err = base.user(req)
			return err
		}},
		{Name: "wire", Op: func(ctx context.Context) error {
			resp, err := api.GetUserWithResponse(ctx, 21)
			if err == nil && (resp.JSON200 == nil || resp.JSON200.UserID == nil) {
				err = fmt.Errorf("status %d", resp.StatusCode())
			}
			return err
		}},
		{Name: "client", Op: func(ctx context.Context) error {
			_, err := c.GetUser(ctx, 21)
			return err
		}},
		{Name: "facade", Op: func(ctx context.Context) error {
			_, err := dir.GetUser(ctx, "21")
			return err
		}},
	})
	b.Run("server", func(b *testing.B) {
		req, err := base.request(context.Background(), http.MethodGet, "/usr/21", nil)
		if err != nil {
			b.Fatal(err)
		}
		benchkit.ServerOnly(b, srv, req)
	})
}

// TestUserAnswerMatchesTwoStepDecoding checks the single decoding of a
// user answer (a user and an error member at once) against the two steps
// it replaces: look for the API's error object, then decode a user.
func TestUserAnswerMatchesTwoStepDecoding(t *testing.T) {
	t.Parallel()
	bodies := []string{
		`{"userId":"21","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"test","defaultAccountId":"2","active":"1","password":null}`,
		`{"userId":21,"contactName":"N","emailAddress":"n@example.com","username":"n","defaultAccountId":2,"active":0,"error":null}`,
		`{"error":{"type":"Exception","message":"Unknown userId Error"}}`,
		`{"error":"plain message"}`,
		`{"ERROR":{"message":"upper-case member"}}`,
		`{"error":{},"userId":"5"}`,
		`{"error":{"message":"with a bad id"},"userId":"abc"}`,
		`{"userId":"21","active":"yes"}`,
		`  {"userId":"7","extra":{"nested":[1,2,{"error":"not top level"}]}}  `,
		`[1,2]`,
	}
	for _, body := range bodies {
		srv := benchkit.Canned(t, benchkit.Route{Method: http.MethodGet, Path: "/usr/21", Body: []byte(body)})
		c, err := genericusr.New(genericusr.Config{BaseURL: srv.URL, Username: benchUser, Password: benchPassword},
			usermgmt.WithRetry(usermgmt.NoRetries()))
		if err != nil {
			t.Fatal(err)
		}
		got, gotErr := c.GetUser(context.Background(), 21)

		// The reference: the API's error object first, then a user.
		trimmed := bytes.TrimSpace([]byte(body))
		var e struct{ Error json.RawMessage }
		raw := []byte(nil)
		if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &e) == nil {
			raw = bytes.TrimSpace(e.Error)
		}
		var want genericusr.User
		switch {
		case len(raw) > 0 && string(raw) != "null":
			var d struct{ Type, Message string }
			var s string
			msg := ""
			if json.Unmarshal(raw, &d) == nil {
				msg = d.Message
			} else if json.Unmarshal(raw, &s) == nil {
				msg = s
			}
			if msg == "" && d.Type == "" {
				msg = "the server reported an error without a message"
			}
			var apiErr *usermgmt.APIError
			if !errors.As(gotErr, &apiErr) || apiErr.Message != msg {
				t.Errorf("%s: got %v, %v; want an API error %q", body, got, gotErr, msg)
			}
		case len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &want) == nil:
			if gotErr != nil || got == nil || *got != want {
				t.Errorf("%s: got %+v, %v; want %+v", body, got, gotErr, want)
			}
		default:
			if gotErr == nil {
				t.Errorf("%s: got %+v, want an error", body, got)
			}
		}
	}
}

// TestNumericStringsDecodeAsBefore checks the unescaped-string fast path
// of the API's numbers-as-strings against the unquote-then-parse reading
// it short-cuts.
func TestNumericStringsDecodeAsBefore(t *testing.T) {
	t.Parallel()
	for _, v := range []string{`"21"`, `" 21 "`, `""`, `"  "`, `"\u0032\u0031"`, `"2\u00201"`, `"+7"`, `"-3"`, `"007"`,
		`"1e3"`, `"abc"`, `"9223372036854775808"`, `21`, `null`, `"\t5\n"`} {
		var u genericusr.User
		err := json.Unmarshal([]byte(`{"userId":`+v+`}`), &u)

		var want int64
		var wantErr bool
		var s string
		switch {
		case v == "null":
		case json.Unmarshal([]byte(v), &s) == nil:
			if s = strings.TrimSpace(s); s != "" {
				n, perr := strconv.ParseInt(s, 10, 64)
				want, wantErr = n, perr != nil
			}
		default:
			n, perr := strconv.ParseInt(v, 10, 64)
			want, wantErr = n, perr != nil
		}
		if (err != nil) != wantErr || err == nil && u.ID != want {
			t.Errorf("userId %s: got %d, %v; want %d (error %v)", v, u.ID, err, want, wantErr)
		}
	}
}
