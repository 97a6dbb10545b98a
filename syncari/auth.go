package syncari

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// authDoer adds the bearer token to every request and, when the token comes
// from client credentials, refreshes it once and resends when a call
// answers 401 (the token may have been revoked or expired early).
type authDoer struct {
	next *transport.Client
	// static is the configured Token, behind a pointer so that printing an
	// authDoer (fmt dumps the struct a pointer field leads to when a Client
	// value is printed with a verb such as %q) shows an address, not it.
	static *string
	tokens *tokenCache
}

func (a *authDoer) Do(req *http.Request) (*http.Response, error) {
	if a.tokens == nil {
		req.Header.Set("Authorization", "Bearer "+*a.static)
		return a.next.Do(req)
	}
	ctx := req.Context()
	tok, err := a.tokens.get(ctx)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := a.next.Do(req)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || req.GetBody == nil && req.Body != nil && req.Body != http.NoBody {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	a.tokens.invalidate(tok)
	if tok, err = a.tokens.get(ctx); err != nil {
		return nil, err
	}
	retry := req.Clone(ctx)
	if req.GetBody != nil {
		if retry.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	retry.Header.Set("Authorization", "Bearer "+tok)
	return a.next.Do(retry)
}

// tokenCache fetches client-credentials tokens with golang.org/x/oauth2 and
// shares one fetch among every concurrent caller. A caller whose context
// ends stops waiting at once; the fetch itself goes on, bounded by the
// client's timeout, for the callers still waiting, and is cancelled when
// the last of them has gone, so that no goroutine outlives its callers.
type tokenCache struct {
	cc      clientcredentials.Config
	fetchCx context.Context
	timeout time.Duration
	now     func() time.Time

	mu       sync.Mutex
	tok      *oauth2.Token
	fresh    time.Time // when tok stops being used
	inflight *fetch    // the fetch new callers join, nil when none runs
	seq      int       // fetches started
	minSeq   int       // the oldest fetch a caller may join: one started before a 401 may bring a revoked token
	tokSeq   int       // the fetch tok came from; an older fetch ending late does not replace it
}

// fetch is one token request and the callers waiting for it. Its fields
// other than done are guarded by tokenCache.mu. Its outcome (tok and
// expiry, or err) is what every waiter gets: the cache's own token may be
// invalidated by another caller between the end of the fetch and a
// waiter's wake-up, and a waiter must not mistake that for a failed fetch.
type fetch struct {
	done    chan struct{} // closed when the request is over
	tok     *oauth2.Token
	expiry  time.Time // on the cache's clock; zero when the token has none
	err     error
	waiters int
	seq     int
	cancel  context.CancelFunc
}

func newTokenCache(t *transport.Client, tokenURL, id, secret string, timeout time.Duration) *tokenCache {
	hc := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
		resp, err := t.Do(r.WithContext(transport.WithCall(r.Context(), "getToken", transport.Idempotent)))
		if st, ok := r.Context().Value(statusKey{}).(*int); ok && resp != nil {
			*st = resp.StatusCode
		}
		return resp, err
	})}
	if timeout <= 0 {
		timeout = usermgmt.DefaultTimeout
	}
	return &tokenCache{
		cc: clientcredentials.Config{
			ClientID:     id,
			ClientSecret: secret,
			TokenURL:     tokenURL,
			AuthStyle:    oauth2.AuthStyleInParams,
		},
		fetchCx: context.WithValue(context.Background(), oauth2.HTTPClient, hc),
		timeout: timeout,
		now:     time.Now,
	}
}

// statusKey keys, in a token fetch's context, where the status of the token
// answer is recorded for the errors that report it.
type statusKey struct{}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// get returns a valid access token, fetching one if needed.
func (c *tokenCache) get(ctx context.Context) (string, error) {
	t, err := c.token(ctx)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// token returns the cached token, fetching one if none is fresh.
func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil { // start no fetch for a caller already gone
		return nil, fmt.Errorf("syncari: getToken: %w", err)
	}
	c.mu.Lock()
	if c.tok != nil && c.now().Before(c.fresh) {
		tok := c.tok
		c.mu.Unlock()
		return tok, nil
	}
	f := c.inflight
	if f == nil || f.seq < c.minSeq {
		fctx, cancel := context.WithTimeout(c.fetchCx, c.timeout)
		c.seq++
		f = &fetch{done: make(chan struct{}), cancel: cancel, seq: c.seq}
		c.inflight = f
		go c.fetch(fctx, f)
	}
	f.waiters++
	c.mu.Unlock()
	select {
	case <-ctx.Done():
		c.mu.Lock()
		f.waiters--
		if f.waiters == 0 {
			// Nobody waits any more: stop the request (a superseded one
			// too), and let the next caller start a fresh one rather than
			// join a cancelled one.
			if c.inflight == f {
				c.inflight = nil
			}
			f.cancel()
		}
		c.mu.Unlock()
		return nil, fmt.Errorf("syncari: getToken: %w", ctx.Err())
	case <-f.done:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f.waiters--
	if f.err != nil {
		return nil, f.err
	}
	// The fetch's own token, even when another caller has invalidated it
	// meanwhile: a request with a revoked token gets the 401 that leads to
	// the next fetch. Only a token past its expiry is not handed out.
	if !f.expiry.IsZero() && !c.now().Before(f.expiry) {
		return nil, errors.New("syncari: getToken: the token endpoint issued a token that expired before it could be used")
	}
	return f.tok, nil
}

func (c *tokenCache) fetch(ctx context.Context, f *fetch) {
	defer f.cancel()
	var status int
	tok, err := c.cc.Token(context.WithValue(ctx, statusKey{}, &status))
	if err == nil {
		err = checkExpiry(tok, status)
	} else {
		err = unusableToken(err, status)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inflight == f {
		c.inflight = nil
	}
	if err != nil {
		f.err = tokenError(err, c.cc.ClientSecret)
	} else {
		now := c.now()
		expiry := tok.Expiry // x/oauth2 dates it by the wall clock; re-date it by ours
		if !expiry.IsZero() {
			expiry = now.Add(time.Until(expiry))
		}
		f.tok, f.expiry = tok, expiry
		if f.seq > c.tokSeq { // never replace a newer fetch's token with an older one's
			c.tok, c.fresh, c.tokSeq = tok, refreshAt(now, expiry), f.seq
		}
	}
	close(f.done)
}

// checkExpiry refuses a token answer whose expires_in (required by the
// specification, minimum 1) is missing or not a positive number of seconds:
// x/oauth2 would take such a token as never expiring.
func checkExpiry(tok *oauth2.Token, status int) error {
	e := &usermgmt.APIError{Provider: provider, Operation: "getToken", StatusCode: status}
	var secs float64
	switch v := tok.Extra("expires_in").(type) {
	case nil:
		e.Message = "incomplete answer: missing expires_in"
		return e
	case float64:
		secs = v
	case int64:
		secs = float64(v)
	case json.Number:
		secs, _ = v.Float64()
	default:
		e.Message = "the token answer's expires_in is not a number of seconds"
		return e
	}
	if secs < 1 {
		e.Message = fmt.Sprintf("the token answer's expires_in is %v: it must be a positive number of seconds", secs)
		return e
	}
	return nil
}

// unusableToken turns the error x/oauth2 returns for a 2xx token answer
// it could not use (null, {}, no access_token, malformed JSON) into an
// *usermgmt.APIError of getToken with the status; other errors are kept.
func unusableToken(err error, status int) error {
	var re *oauth2.RetrieveError
	if status < 200 || status > 299 || errors.As(err, &re) {
		return err
	}
	e := &usermgmt.APIError{Provider: provider, Operation: "getToken", StatusCode: status,
		Message: "the token answer could not be read"}
	if strings.Contains(err.Error(), "missing access_token") {
		e.Message = "incomplete answer: missing access_token"
	}
	return e
}

// refreshAt returns when a token obtained at now and expiring at expiry
// should be replaced: a minute early, or after three quarters of a short
// lifetime. A token without expiry is kept until a call answers 401.
func refreshAt(now, expiry time.Time) time.Time {
	if expiry.IsZero() {
		return now.Add(100 * 365 * 24 * time.Hour)
	}
	life := expiry.Sub(now)
	early := time.Minute
	if life < 4*early {
		early = life / 4
	}
	return expiry.Add(-early)
}

// invalidate drops the cached token if it is still bad, so that the next
// get fetches a new one; a token another caller already replaced is kept.
func (c *tokenCache) invalidate(bad string) {
	c.mu.Lock()
	if c.tok != nil && c.tok.AccessToken == bad {
		c.tok = nil
		c.minSeq = c.seq + 1
	}
	c.mu.Unlock()
}

// tokenError turns an x/oauth2 error into the SDK's typed error. The
// RetrieveError's own message quotes the whole response body, so only its
// status and OAuth2 error fields are kept.
func tokenError(err error, secret string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		msg := re.ErrorCode
		if re.ErrorDescription != "" {
			msg += ": " + re.ErrorDescription
		}
		f := failureFromEnvelope(re.Body)
		if msg == "" {
			msg = f.Message
		}
		kind := usermgmt.KindForStatus(re.Response.StatusCode)
		if re.Response.StatusCode == http.StatusBadRequest && (re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client") {
			kind = usermgmt.ErrUnauthorized
		}
		return &usermgmt.APIError{
			Provider:   provider,
			Operation:  "getToken",
			StatusCode: re.Response.StatusCode,
			Code:       scrub(re.ErrorCode, secret),
			Message:    scrub(msg, secret),
			RequestID:  scrub(f.RequestID, secret),
			Kind:       kind,
		}
	}
	var apiErr *usermgmt.APIError
	if errors.As(err, &apiErr) {
		return err
	}
	return fmt.Errorf("syncari: getToken: %s", scrub(err.Error(), secret))
}

// Token is an OAuth2 access token.
type Token struct {
	// AccessToken is sent as "Authorization: Bearer <AccessToken>".
	AccessToken usermgmt.Secret
	// Type is the token type, "Bearer".
	Type string
	// Expiry is when the token expires; zero if the server did not say.
	Expiry time.Time
}

// Format prints the token as fmt would without it, with every verb and
// flag, the AccessToken redacted (see User.Format for why a method is
// needed even though the field is a usermgmt.Secret).
func (t Token) Format(f fmt.State, verb rune) {
	type token Token // the same fields, without this method
	s := fmt.Sprintf(fmt.FormatString(f, verb), token(t))
	if verb == 'v' && f.Flag('#') {
		s = "syncari.Token" + strings.TrimPrefix(s, "syncari.token")
	}
	_, _ = io.WriteString(f, s)
}

// Token returns the access token the client sends, fetching one from the
// token endpoint (the getToken operation) when none is cached or the cached
// one is about to expire. Clients configured with a static Token return it.
// A token answer without a positive expires_in is refused with an
// *usermgmt.APIError.
func (c *Client) Token(ctx context.Context) (*Token, error) {
	if err := transport.CheckContext(ctx, provider, "getToken"); err != nil {
		return nil, err
	}
	if c.auth.tokens == nil {
		return &Token{AccessToken: usermgmt.Secret(*c.auth.static), Type: "Bearer"}, nil
	}
	t, err := c.auth.tokens.token(ctx)
	if err != nil {
		return nil, err
	}
	return &Token{AccessToken: usermgmt.Secret(t.AccessToken), Type: t.Type(), Expiry: t.Expiry}, nil
}
