package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// outcomeClient returns a client with fast retries and a server that
// answers every request with answer, counting the requests.
func outcomeClient(t *testing.T, answer http.HandlerFunc) (*Client, string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		answer(w, r)
	}))
	t.Cleanup(srv.Close)
	o, err := usermgmt.NewOptions(usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Provider: "test", Options: o}), srv.URL, &hits
}

func decodeCall(t *testing.T, c *Client, url, method string, idem Idempotency) error {
	t.Helper()
	ctx := WithCall(context.Background(), "op", idem)
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	_, err = DecodeJSON[map[string]any](c, ctx, resp, nil)
	return err
}

func TestAnUnreadableAnswerToAWriteIsAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, url, _ := outcomeClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id": [`))
	})
	for _, tc := range []struct {
		method  string
		idem    Idempotency
		unknown bool
	}{
		{http.MethodPost, NotIdempotent, true},
		{http.MethodPut, ByMethod, true},
		{http.MethodGet, IdempotentWrite, true},
		{http.MethodGet, Idempotent, false},
		{http.MethodPost, ReadOnly, false},
	} {
		err := decodeCall(t, c, url, tc.method, tc.idem)
		var apiErr *usermgmt.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusCreated {
			t.Errorf("%s %v: error = %v, want an APIError with status 201", tc.method, tc.idem, err)
		}
		if got := errors.Is(err, usermgmt.ErrOutcomeUnknown); got != tc.unknown {
			t.Errorf("%s %v: matches ErrOutcomeUnknown = %v, want %v (%v)", tc.method, tc.idem, got, tc.unknown, err)
		}
	}
}

func TestAnIdempotentWriteIsRetriedAndReportsAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, url, hits := outcomeClient(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	})
	err := decodeCall(t, c, url, http.MethodGet, IdempotentWrite)
	if !errors.Is(err, usermgmt.ErrOutcomeUnknown) {
		t.Errorf("error = %v, want ErrOutcomeUnknown", err)
	}
	if n := hits.Load(); n != 3 {
		t.Errorf("requests = %d, want 3 (retried like a read)", n)
	}
}
