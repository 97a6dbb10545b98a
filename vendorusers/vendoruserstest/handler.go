package vendoruserstest

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/usermgmt-go/sdk/internal/ptr"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest/internal/api"
)

// handler implements the generated strict server interface over the
// fake's state.
type handler struct{ s *Server }

var _ api.StrictServerInterface = (*handler)(nil)

// compareByName orders users as sortby=name does: last name, then first
// name (case-insensitive, then exact), then id so that paging is stable.
func compareByName(a, b *api.User) int {
	da, db := &a.UserDetails, &b.UserDetails
	return cmp.Or(
		cmp.Compare(strings.ToLower(da.LastName), strings.ToLower(db.LastName)),
		cmp.Compare(strings.ToLower(da.FirstName), strings.ToLower(db.FirstName)),
		cmp.Compare(da.LastName, db.LastName),
		cmp.Compare(da.FirstName, db.FirstName),
		cmp.Compare(a.ID, b.ID),
	)
}

func (h *handler) GetUsers(_ context.Context, req api.GetUsersRequestObject) (api.GetUsersResponseObject, error) {
	s := h.s
	p := req.Params
	offset, limit := 0, s.pageSize
	if p.Offset != nil {
		offset = *p.Offset
	}
	if p.Limit != nil {
		limit = *p.Limit
	}
	s.mu.Lock()
	all := make([]*api.User, 0, len(s.users))
	for _, r := range s.users {
		if p.Archived == nil || *p.Archived == r.user.UserDetails.Archived {
			all = append(all, &r.user)
		}
	}
	desc := p.Direction != nil && *p.Direction == api.SortDirectionDesc
	slices.SortFunc(all, func(a, b *api.User) int {
		if desc {
			return compareByName(b, a)
		}
		return compareByName(a, b)
	})
	out := api.GetUsers200JSONResponse{Users: []api.User{}}
	if offset < len(all) {
		for _, u := range all[offset:min(offset+limit, len(all))] {
			out.Users = append(out.Users, clone(u))
		}
	}
	s.mu.Unlock()
	return out, nil
}

func (h *handler) GetRoles(_ context.Context, _ api.GetRolesRequestObject) (api.GetRolesResponseObject, error) {
	s := h.s
	s.mu.Lock()
	defer s.mu.Unlock()
	out := api.GetRoles200JSONResponse{Roles: []api.Role{}}
	for _, r := range s.roles {
		if s.listed[r.ID] {
			if r.ReadVendorBalance != nil {
				v := *r.ReadVendorBalance
				r.ReadVendorBalance = &v
			}
			out.Roles = append(out.Roles, r)
		}
	}
	return out, nil
}

func (h *handler) CreateUser(_ context.Context, req api.CreateUserRequestObject) (api.CreateUserResponseObject, error) {
	s := h.s
	b := req.Body
	fail := func(status int, msg string) (api.CreateUserResponseObject, error) {
		return api.CreateUserdefaultJSONResponse{StatusCode: status, Body: errBody(status, msg)}, nil
	}
	switch {
	case strings.TrimSpace(b.Username) == "":
		return fail(http.StatusBadRequest, "username is required")
	case b.Password == "":
		return fail(http.StatusBadRequest, "password is required")
	case b.Password != b.PasswordConfirm:
		return fail(http.StatusBadRequest, "password and passwordConfirm do not match")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	role, ok := s.role(b.RoleID)
	if !ok {
		return fail(http.StatusBadRequest, "unknown roleId")
	}
	if len(s.emails.Lookup(b.Username)) > 0 {
		return fail(http.StatusConflict, "a user with this username already exists")
	}
	lang := 0
	r := s.store(&record{
		user: api.User{
			Email:  b.Username,
			Status: true,
			UserDetails: api.UserDetails{
				FirstName: ptr.Value(b.FirstName),
				LastName:  ptr.Value(b.LastName),
				Role:      role,
				Settings:  api.UserSettings{Language: &lang},
			},
		},
		companyName: ptr.Value(b.CompanyName),
		phone:       ptr.Value(b.Phone),
	})
	return api.CreateUser200JSONResponse{User: clone(&r.user)}, nil
}

func (h *handler) UpdateUser(_ context.Context, req api.UpdateUserRequestObject) (api.UpdateUserResponseObject, error) {
	s := h.s
	b := req.Body
	fail := func(status int, msg string) (api.UpdateUserResponseObject, error) {
		return api.UpdateUserdefaultJSONResponse{StatusCode: status, Body: errBody(status, msg)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[req.ID]
	if !ok {
		return fail(http.StatusNotFound, "user not found")
	}
	var role api.Role
	if b.RoleID != nil {
		if role, ok = s.role(*b.RoleID); !ok {
			return fail(http.StatusBadRequest, "unknown roleId")
		}
	}
	u := &r.user
	d := &u.UserDetails
	if b.RoleID != nil {
		d.Role = role
	}
	if b.FirstName != nil {
		d.FirstName = *b.FirstName
	}
	if b.LastName != nil {
		d.LastName = *b.LastName
	}
	if b.UserIsActive != nil {
		u.Status = *b.UserIsActive == api.ActiveFlagTrue
	}
	if b.Archived != nil {
		switch {
		case *b.Archived && !d.Archived:
			d.Archived, d.ArchivationDate = true, s.now().Unix()
		case !*b.Archived:
			d.Archived, d.ArchivationDate = false, 0
		}
	}
	return api.UpdateUser200JSONResponse{User: clone(u)}, nil
}
