package dbsync_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// answer starts a server that answers every request with status and body.
func answer(t *testing.T, status int, contentType, body string) *dbsync.Client {
	t.Helper()
	return serve(t, "answer-key-1", status, contentType, body)
}

// answerWith is answer with a 200 JSON body and the given partner key.
func answerWith(t *testing.T, key, body string) *dbsync.Client {
	t.Helper()
	return serve(t, key, 200, "application/json", body)
}

func serve(t *testing.T, key string, status int, contentType, body string) *dbsync.Client {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(hs.Close)
	c, err := dbsync.New(dbsync.Config{BaseURL: hs.URL, PartnerAppKey: usermgmt.Secret(key), PartnerAppToken: "answer-token-1"},
		usermgmt.WithRetry(usermgmt.NoRetries()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wrapped(msgs ...string) string {
	b, _ := json.Marshal(map[string]any{"value": []any{map[string]any{"userName": "jdoe", "errorMessage": msgs}}})
	return string(b)
}

// TestMessageRules checks the documented rules that map DBSync's messages
// to sentinels.
func TestMessageRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		msg  string
		kind error // nil: no sentinel
	}{
		{"User already exists", usermgmt.ErrConflict},
		{"user jdoe is already registered for this company", usermgmt.ErrConflict},
		{"Duplicate user name", usermgmt.ErrConflict},
		{"User exists", usermgmt.ErrConflict},
		{"User not found", usermgmt.ErrNotFound},
		{"User does not exist", usermgmt.ErrNotFound},
		{"User is not registered", usermgmt.ErrNotFound},
		{"User already unregistered", usermgmt.ErrNotFound},
		{"Unknown user jdoe", usermgmt.ErrNotFound},
		{"Company unknown", usermgmt.ErrNotFound},
		{"Invalid partnerAppToken", usermgmt.ErrUnauthorized},
		{"Partner application key not found", usermgmt.ErrUnauthorized},
		{"Unauthorized", usermgmt.ErrUnauthorized},
		{"License quota exceeded", dbsync.ErrQuotaExceeded},
		{"License limit reached for this partner", dbsync.ErrQuotaExceeded},
		{"No licenses available", dbsync.ErrQuotaExceeded},
		{"Internal error, please try later", nil},
		{"User has no license", nil},
	}
	sentinels := []error{usermgmt.ErrConflict, usermgmt.ErrNotFound, usermgmt.ErrUnauthorized, dbsync.ErrQuotaExceeded, usermgmt.ErrRateLimited}
	for _, tt := range tests {
		t.Run(tt.msg, func(t *testing.T) {
			t.Parallel()
			c := answer(t, 200, "application/json", wrapped(tt.msg))
			_, err := c.RegisterUser(context.Background(), jdoe)
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want *usermgmt.APIError", err)
			}
			if apiErr.Kind != tt.kind {
				t.Errorf("Kind = %v, want %v", apiErr.Kind, tt.kind)
			}
			for _, s := range sentinels {
				if errors.Is(err, s) != (s == tt.kind) {
					t.Errorf("errors.Is(err, %v) = %v", s, !(s == tt.kind))
				}
			}
			if errors.Is(err, usermgmt.ErrOutcomeUnknown) {
				t.Error("an answered registration reports an unknown outcome")
			}
		})
	}
}

func TestAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantStatus  int
		wantKind    error
		wantMsgs    []string
		wantMessage string
		unknown     bool
	}{
		{name: "every message of every item", status: 200, contentType: "application/json",
			body: `{"value":[{"errorMessage":["first","second"]},{"errorMessage":[]},{"errorMessage":["third"]}]}`, wantStatus: 200,
			wantMsgs: []string{"first", "second", "third"}},
		{name: "401 with the wrapper", status: 401, contentType: "application/json", body: wrapped("Bad token"),
			wantStatus: 401, wantKind: usermgmt.ErrUnauthorized, wantMsgs: []string{"Bad token"}},
		{name: "404 with a message field", status: 404, contentType: "application/json", body: `{"message":"no route"}`,
			wantStatus: 404, wantKind: usermgmt.ErrNotFound, wantMessage: "no route"},
		{name: "HTML error page", status: 502, contentType: "text/html", body: "<html>Bad gateway</html>",
			wantStatus: 502, wantMessage: "unexpected Bad Gateway response (text/html, 24 bytes)", unknown: true},
		{name: "200 without the user", status: 200, contentType: "application/json", body: `{"value":[]}`,
			wantStatus: 200, wantMessage: "the answer names no registered user", unknown: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := answer(t, tt.status, tt.contentType, tt.body)
			_, err := c.RegisterUser(context.Background(), jdoe)
			if errors.Is(err, usermgmt.ErrOutcomeUnknown) != tt.unknown {
				t.Errorf("errors.Is(err, ErrOutcomeUnknown) = %v, want %v (%v)", !tt.unknown, tt.unknown, err)
			}
			var apiErr *usermgmt.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want an *usermgmt.APIError inside", err)
			}
			if apiErr.StatusCode != tt.wantStatus || apiErr.Kind != tt.wantKind || apiErr.Message != tt.wantMessage {
				t.Errorf("StatusCode, Kind, Message = %d, %v, %q; want %d, %v, %q",
					apiErr.StatusCode, apiErr.Kind, apiErr.Message, tt.wantStatus, tt.wantKind, tt.wantMessage)
			}
			if diff := cmp.Diff(tt.wantMsgs, apiErr.Messages); diff != "" {
				t.Errorf("Messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthenticateAnswerWithoutLicense(t *testing.T) {
	t.Parallel()
	c := answer(t, 200, "application/json", `{"value":[]}`)
	if _, err := c.AuthenticateUser(context.Background(), jdoe); !errors.Is(err, usermgmt.ErrNotFound) {
		t.Errorf("error = %v, want ErrNotFound", err)
	}
}
