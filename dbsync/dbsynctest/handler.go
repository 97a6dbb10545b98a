package dbsynctest

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strconv"
	"strings"

	"github.com/usermgmt-go/sdk/dbsync/dbsynctest/internal/api"
)

// handler implements the generated strict server interface over the
// fake's state. Every failure is an HTTP 200 whose item carries an
// errorMessage, as the real API answers.
type handler struct{ s *Server }

var _ api.StrictServerInterface = (*handler)(nil)

const (
	msgCredentials   = "Invalid partnerAppKey or partnerAppToken"
	msgExists        = "User already exists"
	msgNotRegistered = "User is not registered"
	msgNotFound      = "User not found"
)

func itoa(n int) string { return strconv.Itoa(n) }

// check returns the message for a request with wrong credentials or a
// missing name, or "".
func (s *Server) check(key, token, company, name string, needNames bool) string {
	if subtle.ConstantTimeCompare([]byte(key), []byte(s.key)) != 1 ||
		subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
		return msgCredentials
	}
	if needNames {
		switch {
		case strings.TrimSpace(company) == "":
			return "endUserCompany is required"
		case strings.TrimSpace(name) == "":
			return "endUserName is required"
		}
	}
	return ""
}

func userFailure(name, msg string) api.UserResultList {
	return api.UserResultList{Value: []api.UserResult{{UserName: name, ErrorMessage: []string{msg}}}}
}

func licenseFailure(name, msg string) api.LicenseDetailList {
	return api.LicenseDetailList{Value: []api.LicenseDetail{{UserName: name, ErrorMessage: []string{msg}}}}
}

func userResult(u *user) api.UserResultList {
	return api.UserResultList{Value: []api.UserResult{{CompanyID: u.companyID, UserID: u.userID, UserName: u.name, ErrorMessage: []string{}}}}
}

func (h *handler) RegisterUser(_ context.Context, req api.RegisterUserRequestObject) (api.RegisterUserResponseObject, error) {
	s, b := h.s, req.Body
	if msg := s.check(b.PartnerAppKey, b.PartnerAppToken, b.EndUserCompany, b.EndUserName, true); msg != "" {
		return api.RegisterUser200JSONResponse(userFailure(b.EndUserName, msg)), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userKey{b.EndUserCompany, b.EndUserName}]; ok {
		return api.RegisterUser200JSONResponse(userFailure(b.EndUserName, msgExists)), nil
	}
	if s.quota > 0 && len(s.users) >= s.quota {
		msg := fmt.Sprintf("License quota exceeded: %d of %d licensed users are registered", len(s.users), s.quota)
		return api.RegisterUser200JSONResponse(userFailure(b.EndUserName, msg)), nil
	}
	u := s.register(b.EndUserCompany, b.EndUserName)
	return api.RegisterUser200JSONResponse(userResult(u)), nil
}

func (h *handler) UnregisterUser(_ context.Context, req api.UnregisterUserRequestObject) (api.UnregisterUserResponseObject, error) {
	s, b := h.s, req.Body
	if msg := s.check(b.PartnerAppKey, b.PartnerAppToken, b.EndUserCompany, b.EndUserName, true); msg != "" {
		return api.UnregisterUser200JSONResponse(userFailure(b.EndUserName, msg)), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := userKey{b.EndUserCompany, b.EndUserName}
	u, ok := s.users[k]
	if !ok {
		return api.UnregisterUser200JSONResponse(userFailure(b.EndUserName, msgNotRegistered)), nil
	}
	s.unregister(k)
	return api.UnregisterUser200JSONResponse(userResult(u)), nil
}

func (h *handler) AuthenticateUser(_ context.Context, req api.AuthenticateUserRequestObject) (api.AuthenticateUserResponseObject, error) {
	s, b := h.s, req.Body
	if msg := s.check(b.PartnerAppKey, b.PartnerAppToken, b.EndUserCompany, b.EndUserName, true); msg != "" {
		return api.AuthenticateUser200JSONResponse(licenseFailure(b.EndUserName, msg)), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userKey{b.EndUserCompany, b.EndUserName}]
	if !ok {
		return api.AuthenticateUser200JSONResponse(licenseFailure(b.EndUserName, msgNotFound)), nil
	}
	return api.AuthenticateUser200JSONResponse{Value: []api.LicenseDetail{u.license()}}, nil
}

func (h *handler) LicenseDetails(_ context.Context, req api.LicenseDetailsRequestObject) (api.LicenseDetailsResponseObject, error) {
	s, b := h.s, req.Body
	if msg := s.check(b.PartnerAppKey, b.PartnerAppToken, "", "", false); msg != "" {
		return api.LicenseDetails200JSONResponse(licenseFailure("", msg)), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := api.LicenseDetailList{Value: []api.LicenseDetail{}}
	if b.EndUserCompany != "" && b.EndUserName != "" { // one user: a look-up, not a scan
		if u, ok := s.users[userKey{b.EndUserCompany, b.EndUserName}]; ok {
			out.Value = append(out.Value, u.license())
		}
		return api.LicenseDetails200JSONResponse(out), nil
	}
	for _, k := range s.order {
		if (b.EndUserCompany == "" || k.company == b.EndUserCompany) && (b.EndUserName == "" || k.name == b.EndUserName) {
			out.Value = append(out.Value, s.users[k].license())
		}
	}
	return api.LicenseDetails200JSONResponse(out), nil
}
