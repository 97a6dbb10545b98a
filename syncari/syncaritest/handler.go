package syncaritest

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/usermgmt-go/sdk/syncari/syncaritest/internal/api"
)

// handler implements the generated strict server interface over the
// fake's state.
type handler struct{ s *Server }

var _ api.StrictServerInterface = (*handler)(nil)

func (s *Server) envelope() (string, time.Time) {
	s.requests++
	return strconv.Itoa(3816747063 + s.requests), s.now().UTC()
}

func errBody(msg string) api.ErrorEnvelope {
	f := false
	return api.ErrorEnvelope{Success: &f, Message: &msg}
}

func (h *handler) GetToken(_ context.Context, req api.GetTokenRequestObject) (api.GetTokenResponseObject, error) {
	s := h.s
	b := req.Body
	if b == nil || b.ClientID != s.clientID || b.ClientSecret == nil || *b.ClientSecret != s.clientSecret {
		code, desc := "invalid_client", "unknown client or wrong secret"
		return api.GetToken401JSONResponse{Error: &code, ErrorDescription: &desc}, nil
	}
	tok, secs := s.issueToken()
	refresh := "refresh_" + tok
	return api.GetToken200JSONResponse{AccessToken: tok, RefreshToken: &refresh, TokenType: "Bearer", ExpiresIn: secs}, nil
}

func (h *handler) GetRoles(_ context.Context, _ api.GetRolesRequestObject) (api.GetRolesResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ts := s.envelope()
	return api.GetRoles200JSONResponse{Success: true, RequestID: id, Timestamp: ts, Result: slices.Clone(s.roles)}, nil
}

func (h *handler) GetUsers(_ context.Context, req api.GetUsersRequestObject) (api.GetUsersResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := instance(req.Params.SyncariID)
	var all []api.User
	for _, id := range s.order {
		u := s.users[id]
		if u.UserRoles == nil || len(*u.UserRoles) == 0 || (*u.UserRoles)[inst] != nil {
			all = append(all, clone(u))
		}
	}
	start := 0
	if c := req.Params.CursorToken; c != nil && *c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(*c, "c"))
		if err != nil || n < 0 || n > len(all) {
			return api.GetUsersdefaultJSONResponse{StatusCode: http.StatusBadRequest, Body: errBody("bad cursorToken")}, nil
		}
		start = n
	}
	size := s.pageSize
	if req.Params.Limit != nil {
		size = int(*req.Params.Limit)
	}
	end := len(all)
	if size > 0 && start+size < end {
		end = start + size
	}
	id, ts := s.envelope()
	out := api.GetUsers200JSONResponse{Success: true, RequestID: id, Timestamp: ts, Result: all[start:end]}
	if out.Result == nil {
		out.Result = []api.User{}
	}
	if end < len(all) {
		next := "c" + strconv.Itoa(end)
		out.NextCursorToken = &next
	}
	return out, nil
}

func instance(p *api.SyncariID) string {
	if p == nil || *p == "" {
		return InstanceID
	}
	return *p
}

func (h *handler) CreateUser(_ context.Context, req api.CreateUserRequestObject) (api.CreateUserResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	key := ""
	if req.Params.ClientRequestID != nil {
		key = *req.Params.ClientRequestID
	}
	if id, ok := s.keys[key]; ok && key != "" {
		rid, ts := s.envelope()
		return api.CreateUser201JSONResponse{Success: true, RequestID: rid, Timestamp: ts, Result: clone(s.users[id])}, nil
	}
	b := req.Body
	if len(s.emails.Lookup(b.Email)) > 0 {
		return api.CreateUserdefaultJSONResponse{StatusCode: http.StatusConflict, Body: errBody("a user with email " + b.Email + " already exists")}, nil
	}
	u := &api.User{Email: b.Email, FirstName: b.FirstName, LastName: b.LastName, UserRoles: b.UserRoles}
	apiUser := b.IsAPIUser != nil && *b.IsAPIUser
	u.APIUser = &apiUser
	creator := "61e2a0f134a0f06932046bab"
	u.CreatedBy, u.UpdatedBy = &creator, &creator
	s.store(u)
	if apiUser {
		cid, secret := "Scb_"+u.ID, "secret_"+u.ID
		u.ClientID, u.ClientSecret = &cid, &secret
	}
	if key != "" {
		s.keys[key] = u.ID
	}
	rid, ts := s.envelope()
	return api.CreateUser201JSONResponse{Success: true, RequestID: rid, Timestamp: ts, Result: clone(u)}, nil
}

// update applies f to the user with id under the lock and answers with it.
func (s *Server) update(id string, f func(*api.User)) (api.UserEnvelope, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return api.UserEnvelope{}, false
	}
	f(u)
	now := s.now().UTC()
	u.UpdatedAt = &now
	rid, ts := s.envelope()
	return api.UserEnvelope{Success: true, RequestID: rid, Timestamp: ts, Result: clone(u)}, true
}

func notFound(id string) api.ErrorEnvelope { return errBody("no user with id " + id) }

func (h *handler) ActivateUser(_ context.Context, req api.ActivateUserRequestObject) (api.ActivateUserResponseObject, error) {
	env, ok := h.s.update(req.ID, func(u *api.User) { u.Status = "ACTIVE" })
	if !ok {
		return api.ActivateUser404JSONResponse(notFound(req.ID)), nil
	}
	return api.ActivateUser200JSONResponse{UpdatedUserResponseJSONResponse: api.UpdatedUserResponseJSONResponse(env)}, nil
}

func (h *handler) DeactivateUser(_ context.Context, req api.DeactivateUserRequestObject) (api.DeactivateUserResponseObject, error) {
	env, ok := h.s.update(req.ID, func(u *api.User) { u.Status = "INACTIVE" })
	if !ok {
		return api.DeactivateUser404JSONResponse(notFound(req.ID)), nil
	}
	return api.DeactivateUser200JSONResponse{UpdatedUserResponseJSONResponse: api.UpdatedUserResponseJSONResponse(env)}, nil
}

func (h *handler) SetUserRoles(_ context.Context, req api.SetUserRolesRequestObject) (api.SetUserRolesResponseObject, error) {
	roles := req.Body.UserRoles
	env, ok := h.s.update(req.UserID, func(u *api.User) { r := clone(&api.User{UserRoles: &roles}); u.UserRoles = r.UserRoles })
	if !ok {
		return api.SetUserRoles404JSONResponse(notFound(req.UserID)), nil
	}
	return api.SetUserRoles200JSONResponse{UpdatedUserResponseJSONResponse: api.UpdatedUserResponseJSONResponse(env)}, nil
}

func (h *handler) RemoveUserRole(_ context.Context, req api.RemoveUserRoleRequestObject) (api.RemoveUserRoleResponseObject, error) {
	s := h.s
	inst := instance(req.Params.SyncariID)
	s.mu.Lock()
	name := req.RoleID
	for _, r := range s.roles {
		if r.ID == req.RoleID {
			name = r.Name
		}
	}
	s.mu.Unlock()
	env, ok := s.update(req.UserID, func(u *api.User) {
		if u.UserRoles == nil {
			return
		}
		m := *u.UserRoles
		m[inst] = slices.DeleteFunc(slices.Clone(m[inst]), func(n string) bool { return n == name })
	})
	if !ok {
		return api.RemoveUserRole404JSONResponse(notFound(req.UserID)), nil
	}
	return api.RemoveUserRole200JSONResponse{UpdatedUserResponseJSONResponse: api.UpdatedUserResponseJSONResponse(env)}, nil
}
