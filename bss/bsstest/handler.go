package bsstest

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/usermgmt-go/sdk/bss/bsstest/internal/api"
	"github.com/usermgmt-go/sdk/internal/ptr"
)

// handler implements the generated strict server interface over the fake's
// store. V4 and legacy calls read and write the same records.
type handler struct{ s *Server }

var _ api.StrictServerInterface = (*handler)(nil)

func userNotFound(what string) api.Error { return errBody("USER_NOT_FOUND", "User not found: "+what) }

func userExists(email string) api.Error {
	return errBody("USER_ALREADY_EXISTS", "A user with email "+email+" already exists")
}

// ---- V4 ----

func (h *handler) GetAllUsers(_ context.Context, req api.GetAllUsersRequestObject) (api.GetAllUsersResponseObject, error) {
	s := h.s
	p := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := s.order
	if p.Email != nil && *p.Email != "" {
		ids = s.withEmail(*p.Email) // a look-up of one user, as a rule: not a scan
	}
	var all []api.User
	for _, id := range ids {
		u := &s.users[id].user
		if p.Email != nil && (u.ContactDetails == nil || !strings.EqualFold(ptr.Value(u.ContactDetails.Email), *p.Email)) {
			continue
		}
		if p.ExternalID != nil && ptr.Value(u.ExternalID) != *p.ExternalID {
			continue
		}
		all = append(all, clone(u))
	}
	start := 0
	if p.Offset != nil && !s.ignoreOffset {
		start = min(*p.Offset, len(all))
	}
	end := len(all)
	if p.Limit != nil && !s.ignoreLimit {
		end = min(start+*p.Limit, end)
	} else if s.pageSize > 0 {
		end = min(start+s.pageSize, end)
	}
	out := api.GetAllUsers200JSONResponse(all[start:end])
	if out == nil {
		out = api.GetAllUsers200JSONResponse{}
	}
	return out, nil
}

func (h *handler) CreateUser(_ context.Context, req api.CreateUserRequestObject) (api.CreateUserResponseObject, error) {
	s := h.s
	b := req.Body
	s.mu.Lock()
	defer s.mu.Unlock()
	var email string
	if b.ContactDetails != nil {
		email = ptr.Value(b.ContactDetails.Email)
	}
	if s.byEmail(email) != "" {
		return api.CreateUserdefaultJSONResponse{StatusCode: http.StatusConflict, Body: userExists(email)}, nil
	}
	r := &record{user: api.User{
		Name:           b.Name,
		UserFlags:      cloneFlags(b.UserFlags),
		ContactDetails: cloneContact(b.ContactDetails),
		ExternalID:     b.ExternalID,
	}}
	if b.Meta != nil && b.Meta.Security != nil {
		r.password = ptr.Value(b.Meta.Security.UserPassword)
	}
	s.store(r)
	if b.RegistrationInformation != nil && b.RegistrationInformation.RegistrationState != nil {
		s.setState(&r.user, *b.RegistrationInformation.RegistrationState)
	}
	return api.CreateUser201JSONResponse(clone(&r.user)), nil
}

func (h *handler) GetUserByID(_ context.Context, req api.GetUserByIDRequestObject) (api.GetUserByIDResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[req.UserID]
	if !ok {
		return api.GetUserByIDdefaultJSONResponse{StatusCode: http.StatusNotFound, Body: userNotFound(req.UserID)}, nil
	}
	return api.GetUserByID200JSONResponse(clone(&r.user)), nil
}

// UpdateUser applies the body as a merge patch: only the fields present
// change. No schema default is filled in (an empty registration_information
// leaves the state as it is).
func (h *handler) UpdateUser(_ context.Context, req api.UpdateUserRequestObject) (api.UpdateUserResponseObject, error) {
	s := h.s
	b := req.Body
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[req.UserID]
	if !ok {
		return api.UpdateUserdefaultJSONResponse{StatusCode: http.StatusNotFound, Body: userNotFound(req.UserID)}, nil
	}
	u := &r.user
	if cd := b.ContactDetails; cd != nil && cd.Email != nil {
		if other := s.byEmail(*cd.Email); other != "" && other != req.UserID {
			return api.UpdateUserdefaultJSONResponse{StatusCode: http.StatusConflict, Body: userExists(*cd.Email)}, nil
		}
	}
	if b.Name != nil {
		u.Name = b.Name
	}
	if b.UserFlags != nil {
		u.UserFlags = cloneFlags(b.UserFlags)
	}
	if cd := b.ContactDetails; cd != nil {
		if u.ContactDetails == nil {
			u.ContactDetails = &api.ContactDetails{}
		}
		if cd.Email != nil {
			s.unindex(r)
			u.ContactDetails.Email = cd.Email
			s.index(r)
		}
		if cd.TelephoneNumberE123 != nil {
			u.ContactDetails.TelephoneNumberE123 = cd.TelephoneNumberE123
		}
	}
	if b.ExternalID != nil {
		u.ExternalID = b.ExternalID
	}
	if ri := b.RegistrationInformation; ri != nil && ri.RegistrationState != nil {
		s.setState(u, *ri.RegistrationState)
	}
	if m := b.Meta; m != nil && m.Security != nil && m.Security.UserPassword != nil {
		r.password = *m.Security.UserPassword
	}
	return api.UpdateUser200JSONResponse(clone(u)), nil
}

func (h *handler) DeleteUserByID(_ context.Context, req api.DeleteUserByIDRequestObject) (api.DeleteUserByIDResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.remove(req.UserID) {
		return api.DeleteUserByIDdefaultJSONResponse{StatusCode: http.StatusNotFound, Body: userNotFound(req.UserID)}, nil
	}
	return api.DeleteUserByID204Response{}, nil
}

// remove deletes the user with id. The caller holds s.mu.
func (s *Server) remove(id string) bool {
	r, ok := s.users[id]
	if !ok {
		return false
	}
	s.unindex(r)
	delete(s.users, id)
	s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
	return true
}

// ---- legacy ----

func legacy(u *api.User) api.LegacyUser {
	l := api.LegacyUser{Name: u.Name, CID: u.ExternalID}
	if u.ContactDetails != nil {
		l.Email = u.ContactDetails.Email
	}
	return cloneLegacy(l)
}

func cloneLegacy(l api.LegacyUser) api.LegacyUser {
	c := api.LegacyUser{}
	if l.Email != nil {
		c.Email = new(string)
		*c.Email = *l.Email
	}
	if l.Name != nil {
		c.Name = new(string)
		*c.Name = *l.Name
	}
	if l.CID != nil {
		c.CID = new(string)
		*c.CID = *l.CID
	}
	return c
}

func (h *handler) GetLegacyUsers(_ context.Context, _ api.GetLegacyUsersRequestObject) (api.GetLegacyUsersResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := api.GetLegacyUsers200JSONResponse{}
	for _, id := range s.order {
		out = append(out, legacy(&s.users[id].user))
	}
	return out, nil
}

func (h *handler) CreateLegacyUser(_ context.Context, req api.CreateLegacyUserRequestObject) (api.CreateLegacyUserResponseObject, error) {
	s := h.s
	b := req.Body
	email := ptr.Value(b.Email)
	if email == "" {
		return api.CreateLegacyUserdefaultJSONResponse{StatusCode: http.StatusBadRequest,
			Body: errBody("BAD_REQUEST", "email is required")}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byEmail(email) != "" {
		return api.CreateLegacyUserdefaultJSONResponse{StatusCode: http.StatusConflict, Body: userExists(email)}, nil
	}
	l := cloneLegacy(*b)
	r := &record{user: api.User{Name: l.Name, ExternalID: l.CID, ContactDetails: &api.ContactDetails{Email: l.Email}},
		password: ptr.Value(b.Password)}
	s.store(r)
	return api.CreateLegacyUser201JSONResponse(legacy(&r.user)), nil
}

// UpdateLegacyUser changes the fields present in the body of the account
// found by the email in the path.
func (h *handler) UpdateLegacyUser(_ context.Context, req api.UpdateLegacyUserRequestObject) (api.UpdateLegacyUserResponseObject, error) {
	s := h.s
	b := cloneLegacy(*req.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.byEmail(req.Email)
	if id == "" {
		return api.UpdateLegacyUserdefaultJSONResponse{StatusCode: http.StatusNotFound, Body: userNotFound(req.Email)}, nil
	}
	if b.Email != nil && *b.Email != "" {
		if other := s.byEmail(*b.Email); other != "" && other != id {
			return api.UpdateLegacyUserdefaultJSONResponse{StatusCode: http.StatusConflict, Body: userExists(*b.Email)}, nil
		}
	}
	r := s.users[id]
	if b.Email != nil && *b.Email != "" {
		s.unindex(r)
		r.user.ContactDetails.Email = b.Email
		s.index(r)
	}
	if b.Name != nil {
		r.user.Name = b.Name
	}
	if b.CID != nil {
		r.user.ExternalID = b.CID
	}
	if req.Body.Password != nil {
		r.password = *req.Body.Password
	}
	return api.UpdateLegacyUser200JSONResponse(legacy(&r.user)), nil
}

func (h *handler) DeleteLegacyUser(_ context.Context, req api.DeleteLegacyUserRequestObject) (api.DeleteLegacyUserResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.remove(s.byEmail(req.Email)) {
		return api.DeleteLegacyUserdefaultJSONResponse{StatusCode: http.StatusNotFound, Body: userNotFound(req.Email)}, nil
	}
	return api.DeleteLegacyUser204Response{}, nil
}

func cloneFlags(f *[]string) *[]string {
	if f == nil {
		return nil
	}
	c := append([]string{}, *f...)
	return &c
}

func cloneContact(c *api.ContactDetails) *api.ContactDetails {
	if c == nil {
		return nil
	}
	out := &api.ContactDetails{}
	if c.Email != nil {
		e := *c.Email
		out.Email = &e
	}
	if c.TelephoneNumberE123 != nil {
		t := *c.TelephoneNumberE123
		out.TelephoneNumberE123 = &t
	}
	return out
}
