package scim

import (
	"net/http"
)

// discovery serves /ServiceProviderConfig, /ResourceTypes and /Schemas
// (RFC 7644 §4), describing what the directory behind can do.
func (t *tenant) discovery(w http.ResponseWriter, base string, segs []string) error {
	switch segs[0] {
	case "ServiceProviderConfig":
		if len(segs) > 1 {
			break
		}
		writeJSON(w, http.StatusOK, t.spc(base), "")
		return nil
	case "ResourceTypes":
		if serveByID(w, t.resourceTypes(base), segs[1:]) {
			return nil
		}
	case "Schemas":
		if serveByID(w, t.schemas(base), segs[1:]) {
			return nil
		}
	}
	return &scimError{status: http.StatusNotFound, detail: "no such resource type or schema"}
}

// serveByID writes the list of items when rest is empty, or the item whose
// id is rest[0]; it reports whether it wrote anything.
func serveByID(w http.ResponseWriter, items []map[string]any, rest []string) bool {
	if len(rest) == 0 {
		writeJSON(w, http.StatusOK, listOf(items), "")
		return true
	}
	if len(rest) > 1 {
		return false
	}
	for _, it := range items {
		if it["id"] == rest[0] {
			writeJSON(w, http.StatusOK, it, "")
			return true
		}
	}
	return false
}

func listOf(items []map[string]any) map[string]any {
	rs := make([]any, len(items))
	for i, it := range items {
		rs[i] = it
	}
	return map[string]any{"schemas": []any{listSchema}, "totalResults": len(rs), "startIndex": 1, "itemsPerPage": len(rs), "Resources": rs}
}

func (t *tenant) spc(base string) map[string]any {
	return map[string]any{
		"schemas":          []any{spcSchema},
		"documentationUri": "https://pkg.go.dev/github.com/usermgmt-go/sdk/usermgmt/scim",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": maxCount},
		"changePassword":   map[string]any{"supported": t.canUpdate("Password")},
		"sort":             map[string]any{"supported": false},
		"etag":             map[string]any{"supported": true},
		"authenticationSchemes": []any{map[string]any{
			"type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": true,
			"description": "Authentication with a bearer token given to the bridge's operator",
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}

func (t *tenant) resourceTypes(base string) []map[string]any {
	types := []map[string]any{{
		"schemas": []any{rtSchema}, "id": "User", "name": "User", "endpoint": "/Users",
		"description": "User accounts of the " + t.dir.Provider() + " API", "schema": userSchema,
		"meta": map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/User"},
	}}
	if t.caps.Roles {
		types = append(types, map[string]any{
			"schemas": []any{rtSchema}, "id": "Group", "name": "Group", "endpoint": "/Groups",
			"description": "Roles of the " + t.dir.Provider() + " API: a group is a role, its members the users holding it", "schema": groupSchema,
			"meta": map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/Group"},
		})
	}
	return types
}

// attr describes one attribute for /Schemas.
func attr(name, typ, mutability, returned, uniqueness string, multi, required, caseExact bool, desc string, subs ...map[string]any) map[string]any {
	a := map[string]any{
		"name": name, "type": typ, "multiValued": multi, "required": required, "caseExact": caseExact,
		"mutability": mutability, "returned": returned, "uniqueness": uniqueness, "description": desc,
	}
	if len(subs) > 0 {
		s := make([]any, len(subs))
		for i, x := range subs {
			s[i] = x
		}
		a["subAttributes"] = s
	}
	return a
}

func (t *tenant) schemas(base string) []map[string]any {
	profile := "immutable" // set at creation, not changed after
	if t.canUpdate("Name") {
		profile = "readWrite"
	}
	email := "immutable"
	if t.canUpdate("Email") && t.caps.NaturalKey != "email" {
		email = "readWrite"
	}
	active := "immutable"
	if t.caps.Activate && t.caps.Deactivate {
		active = "readWrite"
	}
	password := "writeOnly"
	pwDesc := "The password, sent to the API at creation"
	if t.canUpdate("Password") {
		pwDesc += " and on change"
	}
	userAttrs := []any{
		attr("userName", "string", "immutable", "always", "server", false, true, false,
			"The user's "+t.caps.NaturalKey+", the API's natural key"),
		attr("externalId", "string", "readOnly", "default", "none", false, false, false,
			"The userName: the API keeps no external id, so a value sent is ignored and the userName returned"),
		attr("name", "complex", profile, "default", "none", false, false, false, "The user's name",
			attr("givenName", "string", profile, "default", "none", false, false, false, "First name"),
			attr("familyName", "string", profile, "default", "none", false, false, false, "Last name"),
			attr("formatted", "string", profile, "default", "none", false, false, false, "Full name")),
		attr("displayName", "string", "readOnly", "default", "none", false, false, false, "The full name"),
		attr("emails", "complex", email, "default", "none", true, false, false, "The user's one email address",
			attr("value", "string", email, "default", "none", false, false, false, "The address"),
			attr("type", "string", email, "default", "none", false, false, false, "Always work"),
			attr("primary", "boolean", email, "default", "none", false, false, false, "Always true")),
		attr("active", "boolean", active, "default", "none", false, false, false, "Whether the user can sign in"),
		attr("password", "string", password, "never", "none", false, false, false, pwDesc),
	}
	if t.caps.Roles {
		userAttrs = append(userAttrs, attr("groups", "complex", "readOnly", "default", "none", true, false, false,
			"The user's roles, as groups",
			attr("value", "string", "readOnly", "default", "none", false, false, true, "The role name, the group's id"),
			attr("display", "string", "readOnly", "default", "none", false, false, false, "The role name")))
	}
	out := []map[string]any{{
		"schemas": []any{schemaSchema}, "id": userSchema, "name": "User", "description": "User account",
		"attributes": userAttrs,
		"meta":       map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + userSchema},
	}}
	if t.caps.Roles {
		out = append(out, map[string]any{
			"schemas": []any{schemaSchema}, "id": groupSchema, "name": "Group", "description": "A role of the API",
			"attributes": []any{
				attr("displayName", "string", "immutable", "always", "server", false, true, true, "The role name, also the group's id"),
				attr("members", "complex", "readWrite", "default", "none", true, false, false, "The users holding the role",
					attr("value", "string", "immutable", "default", "none", false, true, true, "The user's id"),
					attr("display", "string", "readOnly", "default", "none", false, false, false, "The user's name")),
			},
			"meta": map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + groupSchema},
		})
	}
	return out
}
