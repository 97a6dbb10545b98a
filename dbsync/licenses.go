package dbsync

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"maps"
	"slices"
	"strings"

	"github.com/usermgmt-go/sdk/dbsync/internal/wire"
	"github.com/usermgmt-go/sdk/internal/jsonscan"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// License is the license detail of one registered user, as authenticateUser
// and licenseDetails answer it.
//
// Assumed: DBSync does not publish these answers. The identifying fields
// follow the registerUser answer; CompanyName and the license fields are
// guesses, and every field the SDK does not model is kept in Extra (see
// specs/README.md, section dbsync).
type License struct {
	// CompanyID identifies the user's company at DBSync, e.g. "9877".
	CompanyID string `json:"companyId,omitempty"`
	// CompanyName is the company name the user was registered under.
	CompanyName string `json:"companyName,omitempty"`
	// UserID identifies the user at DBSync, e.g. "5773".
	UserID string `json:"userId,omitempty"`
	// UserName is the endUserName the user was registered with.
	UserName string `json:"userName,omitempty"`
	// LicenseStatus is the status of the user's license, as DBSync words it.
	LicenseStatus string `json:"licenseStatus,omitempty"`
	// LicenseType is the kind of license, as DBSync words it.
	LicenseType string `json:"licenseType,omitempty"`
	// ExpiryDate is when the license expires, verbatim: its format and time
	// zone are not published, so it is not parsed.
	ExpiryDate string `json:"expiryDate,omitempty"`
	// ErrorMessage holds the messages DBSync sent with the item. The client
	// returns an answer with messages as an error, so it is empty in a
	// License the client returns.
	ErrorMessage []string `json:"errorMessage"`
	// Extra holds the fields of the item that License does not model, as
	// they came, except the write-only request fields (the partner
	// credentials), which a server may echo and which are dropped. They
	// are encoded back by MarshalJSON.
	Extra map[string]json.RawMessage `json:"-"`
}

func (l License) messages() []string { return l.ErrorMessage }

// writeOnlyKeys are the request fields the specification marks write-only:
// the partner credentials. An answer that echoes one does not get it into
// a License.
var writeOnlyKeys = []string{"partnerAppKey", "partnerAppToken"}

// writeOnly reports whether the member name k is a write-only request
// field, compared without regard to case.
func writeOnly(k string) bool {
	return slices.ContainsFunc(writeOnlyKeys, func(w string) bool { return strings.EqualFold(w, k) })
}

// licenseFields is License without its methods, for encoding.
type licenseFields License

var licenseKeys = []string{"companyId", "companyName", "userId", "userName", "licenseStatus",
	"licenseType", "expiryDate", "errorMessage"}

// UnmarshalJSON decodes an item, keeping unknown fields in Extra.
func (l *License) UnmarshalJSON(b []byte) error {
	var f licenseFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	f.Extra = nil
	// Decoding the item a second time, into a map, finds the members that
	// License does not model. An item whose member names are all modelled
	// (the usual case) has none, and needs only a scan of its names.
	if !onlyLicenseKeys(b) {
		var all map[string]json.RawMessage
		if err := json.Unmarshal(b, &all); err != nil {
			return err
		}
		for _, k := range licenseKeys {
			delete(all, k)
		}
		for k := range all {
			if writeOnly(k) {
				delete(all, k)
			}
		}
		if len(all) > 0 {
			f.Extra = all
		}
	}
	*l = License(f)
	return nil
}

// onlyLicenseItems reports whether b is an answer object whose value
// member is null or an array of objects that onlyLicenseKeys accepts; its
// other members are not looked into. It answers false whenever in doubt,
// also for malformed JSON, which the full decoding then reports, and for a
// repeated value member (decoded into the items of the first).
func onlyLicenseItems(b []byte) bool {
	seen := false
	return jsonscan.Members(b, func(name, value []byte) bool {
		switch {
		case string(name) == "value":
			if seen {
				return false
			}
			seen = true
			return jsonscan.IsNull(value) || jsonscan.Elements(value, onlyLicenseKeys)
		case bytes.EqualFold(name, []byte("value")):
			return false // another spelling of value: the full decoding decides
		}
		return true
	})
}

// onlyLicenseKeys reports whether b is an object whose member names are
// all in licenseKeys, spelt exactly and without escapes. It answers false
// whenever in doubt.
func onlyLicenseKeys(b []byte) bool {
	return jsonscan.Members(b, func(name, _ []byte) bool {
		return slices.ContainsFunc(licenseKeys, func(k string) bool { return k == string(name) })
	})
}

// MarshalJSON encodes the item with the fields of Extra beside the modelled
// ones (a modelled field wins over an Extra field of the same name).
func (l License) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(licenseFields(l))
	if err != nil || len(l.Extra) == 0 {
		return b, err
	}
	all := maps.Clone(l.Extra)
	maps.DeleteFunc(all, func(k string, _ json.RawMessage) bool { return writeOnly(k) })
	var known map[string]json.RawMessage
	if err := json.Unmarshal(b, &known); err != nil {
		return nil, err
	}
	maps.Copy(all, known)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(all); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// LicenseFilter narrows LicenseDetails. Both fields are optional; the zero
// value lists every user of the partner application.
type LicenseFilter struct {
	// Company keeps the users of this company (endUserCompany).
	Company string
	// UserName keeps the user with this name (endUserName). Assumed: how
	// DBSync treats it without Company is not documented.
	UserName string
}

// LicenseDetails returns the license details of the partner application's
// users: all of them, or those that filter selects. DBSync does not page
// this listing; the whole answer is returned at once.
//
// Retries: a read, though the API uses POST; retried on 429, 5xx and
// transport errors. Its errors never match usermgmt.ErrOutcomeUnknown.
func (c *Client) LicenseDetails(ctx context.Context, filter LicenseFilter) ([]License, error) {
	const op = "licenseDetails"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"Company", filter.Company}, {"UserName", filter.UserName}} {
		if f.v != "" {
			if err := validateName(op, f.name, f.v); err != nil {
				return nil, err
			}
		}
	}
	ctx, err := begin(ctx, op, transport.ReadOnly)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.LicenseDetails(ctx, wire.LicenseDetailsRequest{
		PartnerAppKey:   c.cred.key.Reveal(),
		PartnerAppToken: c.cred.token.Reveal(),
		EndUserCompany:  filter.Company,
		EndUserName:     filter.UserName,
	})
	ls, err := decode[License](c, ctx, resp, err)
	if err != nil {
		return nil, err
	}
	if ls == nil {
		ls = []License{}
	}
	return ls, nil
}

// Licenses is LicenseDetails as an iterator, for code written against
// paginated listings. The one request is sent when the loop starts; an
// error is yielded once, as the last element.
func (c *Client) Licenses(ctx context.Context, filter LicenseFilter) iter.Seq2[License, error] {
	if err := transport.CheckContext(ctx, provider, "licenseDetails"); err != nil {
		return func(yield func(License, error) bool) { yield(License{}, err) }
	}
	return usermgmt.Paginate(ctx, struct{}{}, func(ctx context.Context, _ struct{}) ([]License, struct{}, bool, error) {
		ls, err := c.LicenseDetails(ctx, filter)
		return ls, struct{}{}, false, err
	})
}
