package dbsync

import (
	"context"
	"errors"
	"strings"

	"github.com/usermgmt-go/sdk/dbsync/internal/wire"
	"github.com/usermgmt-go/sdk/internal/transport"
	"github.com/usermgmt-go/sdk/usermgmt"
)

// EndUser names a user of the partner application: the company and the
// user name within it, together the user's natural key. The JSON tags are
// the request fields the two travel in.
type EndUser struct {
	// Company is the user's company name (endUserCompany). Required.
	Company string `json:"endUserCompany"`
	// UserName is the uniquely identifiable user name (endUserName).
	// DBSync recommends the partner application's own user name. Required.
	UserName string `json:"endUserName"`
}

// User is a user as registerUser answers it: the identifiers DBSync
// assigned (strings of digits) and the user name.
type User struct {
	// CompanyID identifies the user's company at DBSync, e.g. "9877".
	CompanyID string `json:"companyId"`
	// UserID identifies the user at DBSync, e.g. "5773".
	UserID string `json:"userId"`
	// UserName is the endUserName the user was registered with.
	UserName string `json:"userName"`
	// ErrorMessage holds the messages DBSync sent with the item. The client
	// returns an answer with messages as an error, so it is empty in a
	// User the client returns.
	ErrorMessage []string `json:"errorMessage"`
}

func (u User) messages() []string { return u.ErrorMessage }

// RegisterUser registers u with the DBSync license manager and returns the
// registered user. The user counts against the license quota of the
// partner application.
//
// Retries: not idempotent. Each registration consumes quota, so the request
// is resent only when the failure proves the server never saw it
// (connection refused, 429). When it may have been applied (a dropped
// connection, a timeout, a 5xx) the error matches usermgmt.ErrOutcomeUnknown
// and nothing is resent: look the user up with LicenseDetails (or use the
// Directory adapter, whose CreateUser does so) before registering again.
//
// Errors: a user already registered matches usermgmt.ErrConflict; a used-up
// quota matches ErrQuotaExceeded; refused credentials match
// usermgmt.ErrUnauthorized.
func (c *Client) RegisterUser(ctx context.Context, u EndUser) (*User, error) {
	const op = "registerUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateEndUser(op, u); err != nil {
		return nil, err
	}
	ctx, err := begin(ctx, op, transport.NotIdempotent)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.RegisterUser(ctx, wire.RegisterUserRequest{
		PartnerAppKey:   c.cred.key.Reveal(),
		PartnerAppToken: c.cred.token.Reveal(),
		EndUserCompany:  u.Company,
		EndUserName:     u.UserName,
	})
	users, err := decode[User](c, ctx, resp, err)
	if err != nil {
		return nil, err
	}
	for i := range users {
		if users[i].UserName == u.UserName {
			return &users[i], nil
		}
	}
	// One item that names nobody (the API did not echo the name) is the
	// user; one that names someone else is not.
	if len(users) == 1 && users[0].UserName == "" {
		return &users[0], nil
	}
	// A 200 without the user and without an error proves nothing either way.
	return nil, &usermgmt.OutcomeUnknownError{Provider: provider, Operation: op,
		Err: c.t.APIError(ctx, resp, transport.Failure{Message: "the answer names no registered user"})}
}

// UnregisterUser unregisters u from the partner application. This reduces
// the count of active users; it does not change the partner application's
// annual license quota.
//
// Retries: idempotent in effect (unregistering twice leaves the same state),
// so the request is retried on 429, 5xx and transport errors like a read.
// When an earlier attempt of the same call may have been applied (its
// connection dropped, or it met a 5xx) and the retry answers that the user
// is not registered, the call succeeds: the earlier attempt did the work.
// Otherwise a user that is not registered is an error matching
// usermgmt.ErrNotFound. When every attempt fails without an answer, the
// error matches usermgmt.ErrOutcomeUnknown: the user may or may not still
// be registered; calling UnregisterUser again is safe.
func (c *Client) UnregisterUser(ctx context.Context, u EndUser) error {
	const op = "unregisterUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return err
	}
	if err := validateEndUser(op, u); err != nil {
		return err
	}
	ctx, err := begin(ctx, op, transport.Idempotent)
	if err != nil {
		return err
	}
	resp, err := c.api.UnregisterUser(ctx, wire.UnregisterUserRequest{
		PartnerAppKey:   c.cred.key.Reveal(),
		PartnerAppToken: c.cred.token.Reveal(),
		EndUserCompany:  u.Company,
		EndUserName:     u.UserName,
	})
	_, err = decode[User](c, ctx, resp, err)
	if err != nil && transport.MaybeApplied(ctx) && errors.Is(err, usermgmt.ErrNotFound) {
		return nil
	}
	return err
}

// AuthenticateUser checks that u holds a valid license to run the
// integration, and returns the user's license detail.
//
// Retries: a read, though the API uses POST; retried on 429, 5xx and
// transport errors. Its errors never match usermgmt.ErrOutcomeUnknown.
//
// Errors: an unknown user matches usermgmt.ErrNotFound, as does an answer
// that lists no license for the user.
func (c *Client) AuthenticateUser(ctx context.Context, u EndUser) (*License, error) {
	const op = "authenticateUser"
	if err := transport.CheckContext(ctx, provider, op); err != nil {
		return nil, err
	}
	if err := validateEndUser(op, u); err != nil {
		return nil, err
	}
	ctx, err := begin(ctx, op, transport.ReadOnly)
	if err != nil {
		return nil, err
	}
	resp, err := c.api.AuthenticateUser(ctx, wire.AuthenticateUserRequest{
		PartnerAppKey:   c.cred.key.Reveal(),
		PartnerAppToken: c.cred.token.Reveal(),
		EndUserCompany:  u.Company,
		EndUserName:     u.UserName,
	})
	ls, err := decode[License](c, ctx, resp, err)
	if err != nil {
		return nil, err
	}
	for i := range ls {
		if ls[i].UserName == u.UserName {
			return &ls[i], nil
		}
	}
	if len(ls) == 1 && ls[0].UserName == "" {
		return &ls[0], nil
	}
	return nil, c.t.APIError(ctx, resp, transport.Failure{Message: "the answer lists no license for the user", Kind: usermgmt.ErrNotFound})
}

func validateEndUser(op string, u EndUser) error {
	if err := validateName(op, "Company", u.Company); err != nil {
		return err
	}
	return validateName(op, "UserName", u.UserName)
}

// validateName rejects blank names and names with surrounding spaces or
// control characters, which DBSync would store as different users from the
// ones the caller meant.
func validateName(op, field, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return inputError(op, field, "must not be empty")
	case strings.TrimSpace(s) != s:
		return inputError(op, field, "must not begin or end with white space")
	case strings.ContainsFunc(s, isControl):
		return inputError(op, field, "must not contain control characters")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
