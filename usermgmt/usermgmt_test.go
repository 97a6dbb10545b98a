package usermgmt_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestSecretNeverPrints(t *testing.T) {
	t.Parallel()
	type holder struct {
		Name   string
		Secret usermgmt.Secret
		Ptr    *usermgmt.Secret
	}
	s := usermgmt.Secret("canary-value")
	h := holder{Name: "x", Secret: s, Ptr: &s}
	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s"} {
		fmt.Fprintf(&out, verb+"|"+verb+"|", s, h)
	}
	var logs bytes.Buffer
	for _, handler := range []slog.Handler{slog.NewTextHandler(&logs, nil), slog.NewJSONHandler(&logs, nil)} {
		slog.New(handler).Info("msg", "secret", s, "holder", h)
	}
	out.WriteString(logs.String())
	if strings.Contains(out.String(), "canary-value") {
		t.Errorf("secret printed: %s", out.String())
	}
	if s.Reveal() != "canary-value" {
		t.Error("Reveal lost the value")
	}
	b, err := json.Marshal(h)
	if err != nil || strings.Contains(string(b), "canary-value") || !strings.Contains(string(b), "[REDACTED]") {
		t.Errorf("JSON encoding = %s, %v; want the secret redacted", b, err)
	}
	var back holder
	if err := json.Unmarshal([]byte(`{"Secret":"from-the-wire"}`), &back); err != nil || back.Secret.Reveal() != "from-the-wire" {
		t.Errorf("decoding lost the value: %v, %v", back, err)
	}
}

func TestAPIErrorMatchesItsKind(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]error{401: usermgmt.ErrUnauthorized, 403: usermgmt.ErrUnauthorized, 404: usermgmt.ErrNotFound, 409: usermgmt.ErrConflict, 429: usermgmt.ErrRateLimited, 500: nil, 400: nil} {
		err := error(&usermgmt.APIError{Provider: "p", Operation: "op", StatusCode: status, Kind: usermgmt.KindForStatus(status)})
		wrapped := fmt.Errorf("context: %w", err)
		for _, s := range []error{usermgmt.ErrUnauthorized, usermgmt.ErrNotFound, usermgmt.ErrConflict, usermgmt.ErrRateLimited} {
			if got := errors.Is(wrapped, s); got != (s == want) {
				t.Errorf("status %d: errors.Is(%v) = %v", status, s, got)
			}
		}
	}
	e := &usermgmt.APIError{Provider: "dbsync", Operation: "registerUser", StatusCode: 200, Code: "E1", Messages: []string{"a", "b"}, RequestID: "r1", RetryAfter: 2 * time.Second}
	if got, want := e.Error(), "dbsync: registerUser: HTTP 200 (E1): a; b (retry after 2s) [request r1]"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestOutcomeUnknownUnwrapsToBoth(t *testing.T) {
	t.Parallel()
	cause := &usermgmt.APIError{StatusCode: 503}
	err := fmt.Errorf("x: %w", &usermgmt.OutcomeUnknownError{Provider: "p", Operation: "create", Err: cause})
	var apiErr *usermgmt.APIError
	if !errors.Is(err, usermgmt.ErrOutcomeUnknown) || !errors.As(err, &apiErr) || apiErr != cause {
		t.Errorf("%v does not unwrap to ErrOutcomeUnknown and its cause", err)
	}
	if !errors.Is(&usermgmt.UnsupportedError{Provider: "p", Operation: "o"}, errors.ErrUnsupported) {
		t.Error("UnsupportedError does not match errors.ErrUnsupported")
	}
	if !errors.Is(&usermgmt.InputError{}, usermgmt.ErrInvalidInput) {
		t.Error("InputError does not match ErrInvalidInput")
	}
}

func TestPaginateIsLazy(t *testing.T) {
	t.Parallel()
	var fetched []int
	fetch := func(_ context.Context, page int) ([]string, int, bool, error) {
		fetched = append(fetched, page)
		if page == 3 {
			return []string{"e"}, 0, false, nil
		}
		return []string{fmt.Sprint(page, "a"), fmt.Sprint(page, "b")}, page + 1, true, nil
	}
	got, err := usermgmt.Collect(usermgmt.Paginate(context.Background(), 1, fetch))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"1a", "1b", "2a", "2b", "e"}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	fetched = nil
	for range usermgmt.Paginate(context.Background(), 1, fetch) {
		break
	}
	if diff := cmp.Diff([]int{1}, fetched); diff != "" {
		t.Errorf("breaking early fetched pages %v", fetched)
	}
	boom := errors.New("boom")
	n := 0
	for _, err := range usermgmt.Paginate(context.Background(), 0, func(context.Context, int) ([]int, int, bool, error) { return nil, 0, false, boom }) {
		n++
		if !errors.Is(err, boom) {
			t.Errorf("err = %v", err)
		}
	}
	if n != 1 {
		t.Errorf("error yielded %d times", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range usermgmt.Paginate(ctx, 1, fetch) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled listing yielded %v", err)
		}
	}
}

func TestNewOptions(t *testing.T) {
	t.Parallel()
	o, err := usermgmt.NewOptions()
	if err != nil {
		t.Fatal(err)
	}
	if o.Retry != usermgmt.DefaultRetryPolicy() || o.Timeout != usermgmt.DefaultTimeout || o.MaxResponseBytes != usermgmt.DefaultMaxResponseBytes || o.Logger != nil {
		t.Errorf("defaults = %+v", o)
	}
	bad := []usermgmt.Option{
		usermgmt.WithHTTPClient(nil),
		usermgmt.WithMaxResponseBytes(0),
		usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: -2}),
		usermgmt.WithRetry(usermgmt.RetryPolicy{BaseDelay: time.Second, MaxDelay: time.Millisecond}),
	}
	for i, opt := range bad {
		if _, err := usermgmt.NewOptions(opt); err == nil {
			t.Errorf("bad option %d accepted", i)
		}
	}
	if o, _ := usermgmt.NewOptions(usermgmt.WithRetry(usermgmt.RetryPolicy{MaxAttempts: 2})); o.Retry.BaseDelay == 0 || o.Retry.MaxDelay == 0 {
		t.Errorf("zero fields of a policy did not take defaults: %+v", o.Retry)
	}
	if o, _ := usermgmt.NewOptions(usermgmt.WithRetry(usermgmt.NoRetries())); o.Retry.MaxAttempts != 1 {
		t.Errorf("NoRetries gives %d attempts", o.Retry.MaxAttempts)
	}
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, ok := usermgmt.IdempotencyKey(ctx); ok {
		t.Error("a bare context has a key")
	}
	if k, ok := usermgmt.IdempotencyKey(usermgmt.WithIdempotencyKey(ctx, "k1")); !ok || k != "k1" {
		t.Errorf("key = %q, %v", k, ok)
	}
	if _, ok := usermgmt.IdempotencyKey(usermgmt.WithIdempotencyKey(ctx, "")); ok {
		t.Error("an empty key counts as set")
	}
}

func TestCreateUserInputNames(t *testing.T) {
	t.Parallel()
	in := usermgmt.CreateUserInput{Name: "Ada King Lovelace"}
	if f, l := in.SplitName(); f != "Ada" || l != "King Lovelace" {
		t.Errorf("SplitName = %q, %q", f, l)
	}
	in = usermgmt.CreateUserInput{FirstName: "Ada", LastName: "Lovelace", Email: "a@x.io"}
	if in.FullName() != "Ada Lovelace" || in.NaturalKey() != "a@x.io" {
		t.Errorf("FullName = %q, NaturalKey = %q", in.FullName(), in.NaturalKey())
	}
}
