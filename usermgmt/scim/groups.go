package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// roleMembers lists the users and groups them by role.
func (t *tenant) roleMembers(ctx context.Context) (map[string][]*usermgmt.User, error) {
	groups := map[string][]*usermgmt.User{}
	for u, err := range t.dir.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		for _, role := range u.Roles {
			groups[role] = append(groups[role], &u)
		}
	}
	return groups, nil
}

// members returns the users holding the role.
func (t *tenant) members(ctx context.Context, role string) ([]*usermgmt.User, error) {
	var out []*usermgmt.User
	for u, err := range t.dir.ListUsers(ctx, nil) {
		if err != nil {
			return nil, err
		}
		if slices.Contains(u.Roles, role) {
			out = append(out, &u)
		}
	}
	return out, nil
}

func memberIDs(us []*usermgmt.User) []string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}

func (t *tenant) serveGroups(w http.ResponseWriter, r *http.Request, base string, rest []string) error {
	if len(rest) == 1 && rest[0] == ".search" && r.Method == http.MethodPost {
		q, err := t.searchQuery(w, r)
		if err != nil {
			return err
		}
		return t.listGroups(w, r, base, q)
	}
	if len(rest) == 0 {
		switch r.Method {
		case http.MethodGet:
			return t.listGroups(w, r, base, r.URL.Query())
		case http.MethodPost:
			return t.createGroup(w, r, base)
		}
		return errMethod
	}
	name := rest[0]
	if strings.TrimSpace(name) == "" {
		return &scimError{status: http.StatusNotFound, detail: "no group with an empty name"}
	}
	switch r.Method {
	case http.MethodGet:
		ms, err := t.members(r.Context(), name)
		if err != nil {
			return err
		}
		tag := groupETag(name, memberIDs(ms))
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, tag) {
			w.Header().Set("ETag", tag)
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		writeJSON(w, http.StatusOK, newProjection(r.URL.Query(), groupInfo).apply(groupResource(name, ms, base)), tag)
		return nil
	case http.MethodPut, http.MethodPatch:
		return t.changeGroup(w, r, base, name)
	case http.MethodDelete:
		ctx, cancel := t.writeCtx(r)
		defer cancel()
		ms, err := t.members(ctx, name)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, groupETag(name, memberIDs(ms))); err != nil {
			return err
		}
		for _, u := range ms {
			if err := t.removeRole(ctx, u.ID, name); err != nil {
				return err
			}
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return errMethod
}

func (t *tenant) listGroups(w http.ResponseWriter, r *http.Request, base string, q url.Values) error {
	start, count, expr, err := listQuery(q, groupInfo)
	if err != nil {
		return err
	}
	groups, err := t.roleMembers(r.Context())
	if err != nil {
		return err
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	slices.Sort(names)
	proj := newProjection(q, groupInfo)
	l := &listResponse{start: start, count: count}
	for _, n := range names {
		res := groupResource(n, groups[n], base)
		if expr != nil {
			ok, err := match(expr, res, groupInfo)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		l.add(res, proj)
	}
	writeJSON(w, http.StatusOK, l.body(), "")
	return nil
}

// memberValues reads the ids of a members value: a list of {"value": id}.
func memberValues(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		if v == nil {
			return nil, nil
		}
		list = []any{v}
	}
	var ids []string
	for _, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			return nil, badRequest("invalidValue", "each member must be an object with a value")
		}
		var id string
		for k, x := range m {
			if strings.EqualFold(k, "value") {
				id, _ = x.(string)
			}
		}
		if id == "" {
			return nil, badRequest("invalidValue", "each member needs a value, the user's id")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (t *tenant) createGroup(w http.ResponseWriter, r *http.Request, base string) error {
	body, err := t.readBody(w, r)
	if err != nil {
		return err
	}
	var name string
	var ids []string
	for k, v := range body {
		switch groupInfo.lookup(k) {
		case "displayName":
			name, _ = v.(string)
		case "members":
			if ids, err = memberValues(v); err != nil {
				return err
			}
		}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return badRequest("invalidValue", "displayName is required: it is the role's name")
	}
	ctx, cancel := t.writeCtx(r)
	defer cancel()
	ms, err := t.members(ctx, name)
	if err != nil {
		return err
	}
	if len(ms) > 0 {
		return &scimError{status: http.StatusConflict, scimType: "uniqueness", detail: fmt.Sprintf("the group %q exists", name)}
	}
	for _, id := range ids {
		if err := t.addRole(ctx, id, name); err != nil {
			return err
		}
	}
	if ms, err = t.members(ctx, name); err != nil {
		return err
	}
	res := groupResource(name, ms, base)
	w.Header().Set("Location", res["meta"].(map[string]any)["location"].(string))
	writeJSON(w, http.StatusCreated, res, groupETag(name, memberIDs(ms)))
	return nil
}

// changeGroup serves PUT and PATCH of a group: the members' roles change,
// the group's name cannot.
func (t *tenant) changeGroup(w http.ResponseWriter, r *http.Request, base, name string) error {
	body, err := t.readBody(w, r)
	if err != nil {
		return err
	}
	var ops []patchOp
	if r.Method == http.MethodPatch {
		if ops, err = parsePatch(body); err != nil {
			return err
		}
	}
	ctx, cancel := t.writeCtx(r)
	defer cancel()
	ms, err := t.members(ctx, name)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, groupETag(name, memberIDs(ms))); err != nil {
		return err
	}
	res := deepCopy(groupResource(name, ms, base)).(map[string]any)
	if r.Method == http.MethodPut {
		res = map[string]any{"members": []any{}}
		for k, v := range body {
			if c := groupInfo.lookup(k); c == "displayName" || c == "members" {
				res[c] = v
			}
		}
	} else if err := applyPatch(res, ops, groupInfo); err != nil {
		return err
	}
	if dn, ok := res["displayName"]; ok && dn != name {
		return mutability("a group is a role of the %s API and cannot be renamed", t.dir.Provider())
	}
	want, err := memberValues(res["members"])
	if err != nil {
		return err
	}
	have := memberIDs(ms)
	for _, id := range want {
		if !slices.Contains(have, id) {
			if err := t.addRole(ctx, id, name); err != nil {
				return err
			}
		}
	}
	for _, u := range ms {
		if !slices.Contains(want, u.ID) {
			if err := t.removeRole(ctx, u.ID, name); err != nil {
				return err
			}
		}
	}
	if ms, err = t.members(ctx, name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newProjection(r.URL.Query(), groupInfo).apply(groupResource(name, ms, base)), groupETag(name, memberIDs(ms)))
	return nil
}

// addRole gives the user the role. Where the API gives a user exactly one
// role (it refuses a second as invalid input), the role replaces the
// user's one: joining a group leaves the other.
func (t *tenant) addRole(ctx context.Context, id, role string) error {
	unlock, err := t.users.Lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	u, err := t.dir.GetUser(ctx, id)
	if absent(err) {
		return badRequest("invalidValue", "no user with id "+strconv.Quote(id))
	}
	if err != nil {
		return err
	}
	if slices.Contains(u.Roles, role) {
		return nil
	}
	_, err = t.dir.SetRoles(ctx, id, append(slices.Clone(u.Roles), role))
	if errors.Is(err, usermgmt.ErrInvalidInput) && len(u.Roles) > 0 {
		_, err = t.dir.SetRoles(ctx, id, []string{role})
	}
	return err
}

// removeRole takes the role from the user. The user is read again under
// its lock: the group's listing may predate another request's change to
// the user's other roles, which writing it back would undo.
func (t *tenant) removeRole(ctx context.Context, id, role string) error {
	unlock, err := t.users.Lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	u, err := t.dir.GetUser(ctx, id)
	if absent(err) || err == nil && !slices.Contains(u.Roles, role) {
		return nil // gone, or out of the group already
	}
	if err != nil {
		return err
	}
	rest := slices.DeleteFunc(slices.Clone(u.Roles), func(s string) bool { return s == role })
	_, err = t.dir.SetRoles(ctx, u.ID, rest)
	if errors.Is(err, usermgmt.ErrInvalidInput) && len(rest) == 0 {
		return mutability("the %s API gives every user one role: user %s cannot leave its only group; add it to another instead", t.dir.Provider(), u.ID)
	}
	return err
}
