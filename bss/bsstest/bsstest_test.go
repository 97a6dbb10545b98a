package bsstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
)

// send makes a raw request to the fake and decodes its JSON answer.
func send(t *testing.T, srv *bsstest.Server, method, path, auth, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	_ = json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

func TestFakeChecksTheAPIKeyAndTheSpec(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	u := srv.AddUser(bss.User{Name: "Jane", RegistrationInformation: bss.RegistrationInformation{State: bss.Registered}})
	path := "/api/user/management/v4/users/" + u.ID
	good := "Apikey " + bsstest.APIKey
	tests := []struct {
		name, method, path, auth, body string
		status                         int
		code                           string
	}{
		{"no key", http.MethodGet, path, "", "", 401, "UNAUTHORIZED"},
		{"bearer instead of Apikey", http.MethodGet, path, "Bearer " + bsstest.APIKey, "", 401, "UNAUTHORIZED"},
		{"wrong key", http.MethodGet, path, "Apikey nope", "", 401, "UNAUTHORIZED"},
		{"legacy without key", http.MethodGet, "/api/management/user", "", "", 401, "UNAUTHORIZED"},
		{"good key", http.MethodGet, path, good, "", 200, ""},
		{"unknown registration state", http.MethodPatch, path, good, `{"registration_information":{"registration_state":"ACTIVE"}}`, 400, "BAD_REQUEST"},
		{"flags not a list", http.MethodPatch, path, good, `{"user_flags":"X"}`, 400, "BAD_REQUEST"},
		{"negative offset", http.MethodGet, "/api/user/management/v4/users?offset=-1", good, "", 400, "BAD_REQUEST"},
		{"missing user", http.MethodGet, "/api/user/management/v4/users/nope", good, "", 404, "USER_NOT_FOUND"},
		{"unknown path", http.MethodGet, "/api/user/management/v3/users", good, "", 404, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := send(t, srv, tt.method, tt.path, tt.auth, tt.body)
			if status != tt.status {
				t.Fatalf("status = %d, want %d (%v)", status, tt.status, body)
			}
			if tt.code != "" && (body["code"] != tt.code || body["message"] == "") {
				t.Errorf("error body = %v, want code %s and a message", body, tt.code)
			}
		})
	}
}

// TestFakeFillsNoDefaults: an empty registration_information in a PATCH
// leaves the state as it is; the fake does not read the schema default
// UNREGISTERED into it.
func TestFakeFillsNoDefaults(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	u := srv.AddUser(bss.User{Name: "Jane", RegistrationInformation: bss.RegistrationInformation{State: bss.Registered}})
	status, body := send(t, srv, http.MethodPatch, "/api/user/management/v4/users/"+u.ID, "Apikey "+bsstest.APIKey,
		`{"registration_information":{}}`)
	if status != 200 {
		t.Fatalf("status = %d (%v)", status, body)
	}
	got, _ := srv.User(u.ID)
	if !got.Registered() {
		t.Errorf("state = %q after an empty registration_information, want REGISTERED unchanged", got.RegistrationInformation.State)
	}
}

func TestFakeNeverReturnsPasswords(t *testing.T) {
	t.Parallel()
	srv := bsstest.NewServer()
	t.Cleanup(srv.Close)
	good := "Apikey " + bsstest.APIKey
	status, body := send(t, srv, http.MethodPost, "/api/user/management/v4/users", good,
		`{"contact_details":{"email":"a@x.io"},"meta":{"security":{"user_password":"secret-pw"}}}`)
	if status != 201 {
		t.Fatalf("status = %d (%v)", status, body)
	}
	if b, _ := json.Marshal(body); strings.Contains(string(b), "secret-pw") {
		t.Errorf("the answer carries the password: %s", b)
	}
	status, body = send(t, srv, http.MethodPost, "/api/management/user", good, `{"email":"b@x.io","password":"legacy-pw"}`)
	if b, _ := json.Marshal(body); status != 201 || strings.Contains(string(b), "legacy-pw") {
		t.Errorf("legacy create: %d %s", status, b)
	}
	if pw, ok := srv.Password(srv.Users()[0].ID); !ok || pw.Reveal() != "secret-pw" {
		t.Errorf("stored password = %q", pw.Reveal())
	}
}
