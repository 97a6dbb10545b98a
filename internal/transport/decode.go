package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"

	"github.com/usermgmt-go/sdk/internal/iox"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// ErrorReader reads a provider's error body. It is called only for non-2xx
// answers, with the body already read; it should return the zero Failure
// when the body is not in the provider's format.
type ErrorReader func(resp *http.Response, body []byte) Failure

// Read reads and closes resp's body. A 2xx body is returned for the caller
// to decode; any other status becomes the typed error, read with readErr.
func (c *Client) Read(ctx context.Context, resp *http.Response, readErr ErrorReader) ([]byte, error) {
	body, err := iox.ReadAll(resp.Body, resp.ContentLength)
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		f := Failure{}
		if err == nil && readErr != nil {
			f = readErr(resp, body)
		}
		if f.Message == "" && f.Code == "" && len(f.Messages) == 0 {
			f.Message = describe(resp, body)
		}
		return nil, c.APIError(ctx, resp, f)
	}
	if err != nil {
		return nil, c.unreadable(ctx, resp, err)
	}
	return body, nil
}

// DecodeJSON reads resp and decodes a 2xx JSON body into a new T.
func DecodeJSON[T any](c *Client, ctx context.Context, resp *http.Response, readErr ErrorReader) (*T, error) {
	body, err := c.Read(ctx, resp, readErr)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		if !isJSON(resp) {
			err = fmt.Errorf("%s", describe(resp, body))
		}
		return nil, c.unreadable(ctx, resp, err)
	}
	return v, nil
}

// unreadable reports a 2xx answer whose body could not be read or decoded
// (cut short, malformed, over the size cap). For a call that may change
// state the error is an *usermgmt.OutcomeUnknownError: the status says the
// server took the request, but some APIs report failures inside a 2xx body,
// so only a look-up can tell whether the change was applied.
func (c *Client) unreadable(ctx context.Context, resp *http.Response, err error) error {
	e := &usermgmt.APIError{
		Provider:   c.provider,
		Operation:  Operation(ctx),
		StatusCode: resp.StatusCode,
		Message:    c.scrubber(ctx, resp)(fmt.Sprintf("the server answered %d but its response could not be read: %v", resp.StatusCode, err)),
	}
	if changesState(ctx, resp.Request) {
		return &usermgmt.OutcomeUnknownError{Provider: c.provider, Operation: e.Operation, Err: e}
	}
	return e
}

func isJSON(resp *http.Response) bool {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return mt == "application/json" || mt == "text/javascript" || (len(mt) > 5 && mt[len(mt)-5:] == "+json")
}

// describe summarises a body that is not in the provider's format without
// quoting it: an HTML error page can be long and may echo request data.
func describe(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("unexpected %s response (%s, %d bytes)", http.StatusText(resp.StatusCode), ct, len(body))
}
