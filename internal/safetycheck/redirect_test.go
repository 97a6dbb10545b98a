package safetycheck

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// TestNoCredentialFollowsARedirectToAnotherHost points every provider at a
// server that redirects each request (301, 302, 303, 307 and 308, the last
// two resending the body, which carries DBSync's credentials) to another
// host, and checks that the other host never hears from the client: with
// the SDK's own *http.Client, with the caller's, and with a caller's whose
// CheckRedirect follows everything.
func TestNoCredentialFollowsARedirectToAnotherHost(t *testing.T) {
	var mu sync.Mutex
	var stolen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		stolen = append(stolen, r.Method+" "+r.URL.Path+" "+string(body))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(other.Close)
	clients := map[string]func() usermgmt.Option{
		"the SDK's client":    func() usermgmt.Option { return nil },
		"the caller's client": func() usermgmt.Option { return usermgmt.WithHTTPClient(&http.Client{}) },
		"a client following all": func() usermgmt.Option {
			return usermgmt.WithHTTPClient(&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }})
		},
	}
	for _, code := range []int{301, 302, 303, 307, 308} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Location", other.URL+r.URL.Path)
			w.WriteHeader(code)
		}))
		t.Cleanup(redirector.Close)
		for how, opt := range clients {
			for _, name := range providers {
				d, err := openAt(name, redirector.URL, opt())
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				_, errCreate := d.CreateUser(ctx, input("redirected@example.com"))
				_, errList := usermgmt.Collect(d.ListUsers(ctx, nil))
				for _, err := range []error{errCreate, errList} {
					if err == nil || !strings.Contains(err.Error(), "refusing redirect") {
						t.Errorf("%s, %d, %s: err = %v, want the redirect refused", name, code, how, err)
					}
				}
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(stolen) > 0 {
		t.Errorf("the other host got %d requests, the first: %.300s", len(stolen), stolen[0])
	}
}
