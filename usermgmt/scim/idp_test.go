package scim_test

import (
	"net/url"
	"testing"
)

func patchOp(ops ...map[string]any) map[string]any {
	l := make([]any, len(ops))
	for i, o := range ops {
		l[i] = o
	}
	return map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": l}
}

// role is a role name each role-keeping fake knows.
func role(b *bridge) string {
	if b.name() == "vendorusers" {
		return "Sales manager"
	}
	return "Viewer"
}

// TestOktaSequence replays what Okta documents sending, on every
// provider: the existence check before a create, the create, a full-user
// PUT, deactivation by PATCH, group push, and the delete.
func TestOktaSequence(t *testing.T) {
	eachProvider(t, func(t *testing.T, b *bridge) {
		check := "/Users?filter=" + url.QueryEscape(`userName eq "okta.user@example.com"`) + "&startIndex=1&count=100"
		if r := b.do("GET", check, nil).expect(t, 200, ""); r.body["totalResults"] != 0.0 || len(r.resources()) != 0 {
			t.Fatalf("existence check before the create: %s", r.raw)
		}
		user := map[string]any{
			"schemas":     []any{"urn:ietf:params:scim:schemas:core:2.0:User"},
			"userName":    "okta.user@example.com",
			"name":        map[string]any{"givenName": "Okta", "familyName": "User"},
			"emails":      []any{map[string]any{"primary": true, "value": "okta.user@example.com", "type": "work"}},
			"displayName": "Okta User",
			"locale":      "en-US",
			"externalId":  "00ujl29u0le5T6Aj10h7",
			"groups":      []any{},
			"password":    "1mz050nq-Okta!",
			"active":      true,
		}
		created := b.do("POST", "/Users", user).expect(t, 201, "")
		id := created.str("id")
		if r := b.do("GET", check, nil).expect(t, 200, ""); r.body["totalResults"] != 1.0 || r.resources()[0]["id"] != id {
			t.Fatalf("existence check after the create: %s", r.raw)
		}
		// A second create of the same user: 409, as Okta expects.
		b.do("POST", "/Users", user).expect(t, 409, "uniqueness")
		b.do("GET", "/Users/"+id, nil).expect(t, 200, "")

		// Profile update: Okta PUTs the whole user, unchanged attributes
		// and the password included.
		user["id"] = id
		b.do("PUT", "/Users/"+id, user).expect(t, 200, "")
		user["name"] = map[string]any{"givenName": "Okta", "familyName": "Renamed"}
		switch r := b.do("PUT", "/Users/"+id, user); {
		case b.caps.Update:
			if r.expect(t, 200, ""); r.str("name.familyName") != "Renamed" {
				t.Errorf("PUT: %s", r.raw)
			}
		case created.str("name.familyName") != "":
			r.expect(t, 400, "mutability")
			user["name"] = map[string]any{"givenName": "Okta", "familyName": "User"}
		default:
			r.expect(t, 200, "") // the API keeps no name
		}

		// Deactivation.
		off := patchOp(map[string]any{"op": "replace", "value": map[string]any{"active": false}})
		if b.caps.Deactivate {
			if r := b.do("PATCH", "/Users/"+id, off).expect(t, 200, ""); r.str("active") != "false" {
				t.Errorf("deactivate: %s", r.raw)
			}
			user["active"] = false
			b.do("PUT", "/Users/"+id, user).expect(t, 200, "") // the same, as a PUT
			user["active"] = true
			if r := b.do("PUT", "/Users/"+id, user).expect(t, 200, ""); r.str("active") != "true" {
				t.Errorf("reactivate: %s", r.raw)
			}
		} else {
			b.do("PATCH", "/Users/"+id, off).expect(t, 400, "mutability")
		}

		// Group push.
		if b.caps.Roles {
			g := b.do("POST", "/Groups", map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"},
				"displayName": role(b), "members": []any{}}).expect(t, 201, "")
			gid := g.str("id")
			add := patchOp(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": id, "display": "okta.user@example.com"}}})
			if b.name() == "syncari" {
				// Another role first: the syncari client sends an empty
				// role list as null, which the API refuses.
				b.do("POST", "/Groups", map[string]any{"displayName": "Org Admin", "members": []any{map[string]any{"value": id}}}).expect(t, 201, "")
			}
			if r := b.do("PATCH", "/Groups/"+url.PathEscape(gid), add).expect(t, 200, ""); r.str("members.0.value") != id {
				t.Fatalf("member add: %s", r.raw)
			}
			if r := b.do("GET", "/Users/"+id, nil); r.str("groups.0.value") != role(b) && r.str("groups.1.value") != role(b) {
				t.Errorf("the user's groups: %s", r.raw)
			}
			remove := patchOp(map[string]any{"op": "remove", "path": "members", "value": []any{map[string]any{"value": id}}})
			if b.name() == "vendorusers" {
				// A Guardant user has exactly one role: it cannot leave it.
				b.do("PATCH", "/Groups/"+url.PathEscape(gid), remove).expect(t, 400, "mutability")
			} else if r := b.do("PATCH", "/Groups/"+url.PathEscape(gid), remove).expect(t, 200, ""); len(r.body["members"].([]any)) != 0 {
				t.Errorf("member remove: %s", r.raw)
			}
		} else {
			b.do("POST", "/Groups", map[string]any{"displayName": "Everyone"}).expect(t, 404, "")
		}

		b.do("DELETE", "/Users/"+id, nil).expect(t, 204, "")
	})
}

// TestEntraSequence replays what Microsoft Entra ID documents sending, on
// every provider: look-ups by userName, work email and externalId,
// the create with the enterprise extension, PATCHes with capitalised ops,
// filtered paths and dotted names, "False" as a string, groups, delete.
func TestEntraSequence(t *testing.T) {
	eachProvider(t, func(t *testing.T, b *bridge) {
		const mail = "entra.user@example.com"
		for _, f := range []string{`userName eq "` + mail + `"`, `emails[type eq "work"].value eq "` + mail + `"`, `externalId eq "` + mail + `"`} {
			if r := b.do("GET", "/Users?filter="+url.QueryEscape(f), nil).expect(t, 200, ""); r.body["totalResults"] != 0.0 {
				t.Fatalf("%s before the create: %s", f, r.raw)
			}
		}
		created := b.do("POST", "/Users", map[string]any{
			"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:User",
				"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"},
			"externalId":  "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
			"userName":    mail,
			"active":      true,
			"displayName": "Entra User",
			"emails":      []any{map[string]any{"primary": true, "type": "work", "value": mail}},
			"meta":        map[string]any{"resourceType": "User"},
			"name":        map[string]any{"formatted": "Entra User", "familyName": "User", "givenName": "Entra"},
			"password":    "Entra-Pa55word!",
			"roles":       []any{},
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "R&D", "employeeNumber": "42"},
		}).expect(t, 201, "")
		id := created.str("id")
		filters := []string{`userName eq "` + mail + `"`}
		if created.body["emails"] != nil {
			filters = append(filters, `emails[type eq "work"].value eq "`+mail+`"`)
		}
		for _, f := range filters {
			if r := b.do("GET", "/Users?filter="+url.QueryEscape(f), nil).expect(t, 200, ""); r.body["totalResults"] != 1.0 || r.resources()[0]["id"] != id {
				t.Fatalf("%s after the create: %s", f, r.raw)
			}
		}

		// One operation per attribute, capitalised, with a filtered path
		// repeating the unchanged email.
		update := patchOp(
			map[string]any{"op": "Replace", "path": "name.familyName", "value": "Byron"},
			map[string]any{"op": "Replace", "path": `emails[type eq "work"].value`, "value": mail},
			map[string]any{"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Maths"},
		)
		// A path-less replace with dotted names.
		dotted := patchOp(map[string]any{"op": "Replace", "value": map[string]any{
			"name.givenName": "Augusta", "urn:ietf:params:scim:schemas:core:2.0:User:displayName": "Augusta Byron",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "43"}})
		switch {
		case b.caps.Update:
			if r := b.do("PATCH", "/Users/"+id, update).expect(t, 200, ""); r.str("name.familyName") != "Byron" {
				t.Errorf("update: %s", r.raw)
			}
			if r := b.do("PATCH", "/Users/"+id, dotted).expect(t, 200, ""); r.str("name.givenName") != "Augusta" || r.str("name.familyName") != "Byron" {
				t.Errorf("dotted: %s", r.raw)
			}
		case created.str("name.familyName") != "":
			b.do("PATCH", "/Users/"+id, update).expect(t, 400, "mutability")
			b.do("PATCH", "/Users/"+id, dotted).expect(t, 400, "mutability")
		default:
			b.do("PATCH", "/Users/"+id, update).expect(t, 200, "")
			b.do("PATCH", "/Users/"+id, dotted).expect(t, 200, "")
		}
		// Path-less, with a filtered path as the key.
		filtered := patchOp(map[string]any{"op": "replace", "value": map[string]any{`emails[type eq "work"].value`: mail, "active": true}})
		b.do("PATCH", "/Users/"+id, filtered).expect(t, 200, "")
		// A changed work email.
		newMail := patchOp(map[string]any{"op": "Replace", "value": map[string]any{`emails[type eq "work"].value`: "entra.renamed@example.com"}})
		if b.name() == "genericusr" || b.name() == "dbsync" && created.body["emails"] != nil {
			if r := b.do("PATCH", "/Users/"+id, newMail).expect(t, 200, ""); r.str("emails.0.value") != "entra.renamed@example.com" {
				t.Errorf("email change: %s", r.raw)
			}
		} else if created.body["emails"] != nil {
			b.do("PATCH", "/Users/"+id, newMail).expect(t, 400, "mutability")
		}

		// Disable, with the boolean as a string.
		disable := patchOp(map[string]any{"op": "Replace", "path": "active", "value": "False"})
		if b.caps.Deactivate {
			if r := b.do("PATCH", "/Users/"+id, disable).expect(t, 200, ""); r.str("active") != "false" {
				t.Errorf("disable: %s", r.raw)
			}
			if r := b.do("GET", "/Users?filter="+url.QueryEscape(`active eq false and userName eq "`+mail+`"`), nil); r.body["totalResults"] != 1.0 {
				t.Errorf("active eq false: %s", r.raw)
			}
		} else {
			b.do("PATCH", "/Users/"+id, disable).expect(t, 400, "mutability")
		}
		b.do("PATCH", "/Users/"+id, patchOp(map[string]any{"op": "Replace", "path": "active", "value": "maybe"})).expect(t, 400, "invalidValue")

		if b.caps.Roles {
			g := b.do("POST", "/Groups", map[string]any{"schemas": []any{"urn:ietf:params:scim:schemas:core:2.0:Group"},
				"externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159", "displayName": role(b), "members": []any{}}).expect(t, 201, "")
			gid := url.PathEscape(g.str("id"))
			if r := b.do("GET", "/Groups/"+gid+"?excludedAttributes=members", nil).expect(t, 200, ""); r.body["members"] != nil || r.str("displayName") != role(b) {
				t.Errorf("group without members: %s", r.raw)
			}
			if r := b.do("GET", "/Groups?filter="+url.QueryEscape(`displayName eq "`+role(b)+`"`)+"&excludedAttributes=members", nil); r.body["totalResults"] != 0.0 {
				t.Errorf("an empty role is not listed (no user holds it): %s", r.raw)
			}
			add := patchOp(map[string]any{"op": "Add", "path": "members", "value": []any{map[string]any{"value": id}}})
			if b.name() == "syncari" {
				// Another role first: the syncari client sends an empty
				// role list as null, which the API refuses.
				b.do("POST", "/Groups", map[string]any{"displayName": "Org Admin", "members": []any{map[string]any{"value": id}}}).expect(t, 201, "")
			}
			b.do("PATCH", "/Groups/"+gid, add).expect(t, 200, "")
			if r := b.do("GET", "/Groups?filter="+url.QueryEscape(`displayName eq "`+role(b)+`"`)+"&excludedAttributes=members", nil); r.body["totalResults"] != 1.0 || r.resources()[0]["members"] != nil {
				t.Errorf("group by displayName: %s", r.raw)
			}
			if r := b.do("GET", "/Groups/"+gid, nil).expect(t, 200, ""); r.str("members.0.value") != id {
				t.Errorf("group members: %s", r.raw)
			}
			remove := patchOp(map[string]any{"op": "Remove", "path": `members[value eq "` + id + `"]`})
			if b.name() == "vendorusers" {
				b.do("PATCH", "/Groups/"+gid, remove).expect(t, 400, "mutability")
				// Joining another group moves the user there.
				b.do("POST", "/Groups", map[string]any{"displayName": "Developer", "members": []any{map[string]any{"value": id}}}).expect(t, 201, "")
				b.do("POST", "/Groups", map[string]any{"displayName": "Developer"}).expect(t, 409, "uniqueness")
				if r := b.do("GET", "/Groups/"+gid, nil).expect(t, 200, ""); len(r.body["members"].([]any)) != 0 {
					t.Errorf("after the move: %s", r.raw)
				}
			} else {
				b.do("PATCH", "/Groups/"+gid, remove).expect(t, 200, "")
				if r := b.do("GET", "/Users/"+id, nil).expect(t, 200, ""); len(r.body["groups"].([]any)) != 1 || r.str("groups.0.value") != "Org Admin" {
					t.Errorf("the user's roles after the remove: %s", r.raw)
				}
			}
			b.do("PATCH", "/Groups/"+gid, patchOp(map[string]any{"op": "Replace", "path": "displayName", "value": "Renamed"})).expect(t, 400, "mutability")
		}

		b.do("DELETE", "/Users/"+id, nil).expect(t, 204, "")
	})
}
