package scim_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestRFC7644 walks RFC 7644 section by section on every provider's fake,
// expecting what the directory behind can do (its Capabilities).
func TestRFC7644(t *testing.T) {
	q := url.QueryEscape
	sections := []struct {
		name string
		run  func(t *testing.T, b *bridge)
	}{
		{"3.3 create", func(t *testing.T, b *bridge) {
			r := b.do("POST", "/Users", newUser("create")).expect(t, 201, "")
			id := r.str("id")
			if r.str("userName") != "create@example.com" || r.str("meta.resourceType") != "User" {
				t.Errorf("created: %s", r.raw)
			}
			if loc := r.str("meta.location"); loc != r.header.Get("Location") || !strings.HasSuffix(loc, "/scim/v2/Users/"+url.PathEscape(id)) {
				t.Errorf("location %q, Location header %q", loc, r.header.Get("Location"))
			}
			if r.str("meta.version") == "" || r.str("meta.version") != r.header.Get("ETag") {
				t.Errorf("version %q, ETag %q", r.str("meta.version"), r.header.Get("ETag"))
			}
			if strings.Contains(string(r.raw), "secret") || strings.Contains(string(r.raw), "password") {
				t.Errorf("the answer shows the password: %s", r.raw)
			}
		}},
		{"3.4.1 read", func(t *testing.T, b *bridge) {
			id := b.create("read")
			r := b.do("GET", "/Users/"+url.PathEscape(id), nil).expect(t, 200, "")
			if r.str("id") != id || r.str("userName") != "read@example.com" || r.str("active") != "true" {
				t.Errorf("read: %s", r.raw)
			}
			b.do("GET", "/Users/424242", nil).expect(t, 404, "")
		}},
		{"3.4.2.2 filter", func(t *testing.T, b *bridge) {
			id := b.create("filter")
			b.create("other")
			filters := []string{
				`userName eq "filter@example.com"`,
				`USERNAME Eq "filter@example.com"`,
				`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "filter@example.com"`,
				`externalId eq "filter@example.com"`,
				`userName eq "filter@example.com" and active eq true`,
				`userName sw "filter@" and not (userName eq "other@example.com")`,
				`id eq "` + id + `"`,
			}
			if b.name() != "dbsync" { // DBSync's user names are case-sensitive
				filters = append(filters, `userName eq "FILTER@example.com"`)
			}
			if b.do("GET", "/Users/"+id, nil).body["emails"] != nil {
				filters = append(filters, `emails.value eq "filter@example.com"`,
					`emails[type eq "work"].value eq "filter@example.com"`,
					`emails[type eq "work" and value eq "filter@example.com"]`,
					`emails[type eq "work"].value eq "filter@example.com" and active eq true`)
			}
			for _, f := range filters {
				r := b.do("GET", "/Users?filter="+q(f), nil).expect(t, 200, "")
				if rs := r.resources(); len(rs) != 1 || rs[0]["id"] != id || r.body["totalResults"] != 1.0 {
					t.Errorf("%s: %s", f, r.raw)
				}
			}
			for _, f := range []string{`userName eq "nobody@example.com"`, `active eq false and userName eq "filter@example.com"`, `emails[type eq "home"].value eq "filter@example.com"`} {
				r := b.do("GET", "/Users?filter="+q(f), nil).expect(t, 200, "")
				if len(r.resources()) != 0 || r.body["totalResults"] != 0.0 {
					t.Errorf("%s: %s", f, r.raw)
				}
			}
			for _, f := range []string{`title eq "x"`, `userName eq`, `userName eq "x" or`, `emails[type eq "work"].value zz "x"`, `urn:example:ext:1.0:User:foo eq "x"`, `password eq "x"`, `emails[colour eq "red"]`} {
				b.do("GET", "/Users?filter="+q(f), nil).expect(t, 400, "invalidFilter")
			}
		}},
		{"3.4.2.4 paging", func(t *testing.T, b *bridge) {
			for i := range 3 {
				b.create(fmt.Sprintf("page%d", i))
			}
			all := b.do("GET", "/Users", nil).expect(t, 200, "")
			total := all.body["totalResults"].(float64)
			if total < 3 || len(all.resources()) != int(total) {
				t.Fatalf("all: %s", all.raw)
			}
			r := b.do("GET", "/Users?startIndex=2&count=1", nil).expect(t, 200, "")
			if r.body["startIndex"] != 2.0 || r.body["itemsPerPage"] != 1.0 || r.body["totalResults"] != total || r.resources()[0]["id"] != all.resources()[1]["id"] {
				t.Errorf("page: %s", r.raw)
			}
			r = b.do("GET", "/Users?count=0", nil).expect(t, 200, "")
			if len(r.resources()) != 0 || r.body["totalResults"] != total {
				t.Errorf("count=0: %s", r.raw)
			}
			r = b.do("GET", "/Users?startIndex=-5&count=-1", nil).expect(t, 200, "")
			if r.body["startIndex"] != 1.0 || len(r.resources()) != 0 {
				t.Errorf("negative: %s", r.raw)
			}
			b.do("GET", "/Users?count=ten", nil).expect(t, 400, "invalidValue")
		}},
		{"3.4.2.5 attributes", func(t *testing.T, b *bridge) {
			id := b.create("attrs")
			r := b.do("GET", "/Users/"+id+"?attributes=userName,name.givenName", nil).expect(t, 200, "")
			if r.str("id") != id || r.str("userName") == "" || r.body["emails"] != nil || r.body["active"] != nil {
				t.Errorf("attributes: %s", r.raw)
			}
			if b.caps.NaturalKey != "" && r.body["name"] != nil && r.str("name.familyName") != "" {
				t.Errorf("attributes=name.givenName kept familyName: %s", r.raw)
			}
			r = b.do("GET", "/Users?filter="+q(`userName eq "attrs@example.com"`)+"&excludedAttributes=emails,name", nil).expect(t, 200, "")
			if rs := r.resources(); len(rs) != 1 || rs[0]["emails"] != nil || rs[0]["name"] != nil || rs[0]["userName"] == nil || rs[0]["id"] != id {
				t.Errorf("excludedAttributes: %s", r.raw)
			}
		}},
		{"3.4.3 search by POST", func(t *testing.T, b *bridge) {
			id := b.create("search")
			b.create("search-other")
			const schema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
			r := b.do("POST", "/Users/.search", map[string]any{"schemas": []string{schema},
				"filter": `userName eq "search@example.com"`, "attributes": []string{"userName"}, "startIndex": 1, "count": 10}).expect(t, 200, "")
			if rs := r.resources(); len(rs) != 1 || rs[0]["id"] != id || rs[0]["userName"] == nil || rs[0]["active"] != nil || r.str("schemas.0") != "urn:ietf:params:scim:api:messages:2.0:ListResponse" {
				t.Errorf("search: %s", r.raw)
			}
			get := b.do("GET", "/Users?startIndex=2&count=1", nil).expect(t, 200, "")
			post := b.do("POST", "/Users/.search", map[string]any{"SCHEMAS": []string{schema}, "StartIndex": 2, "COUNT": 1}).expect(t, 200, "")
			if fmt.Sprint(post.body) != fmt.Sprint(get.body) {
				t.Errorf("the same page by POST and GET differ:\n%s\n%s", post.raw, get.raw)
			}
			r = b.do("POST", "/Users/.search", map[string]any{"schemas": []string{schema}, "excludedAttributes": []string{"emails", "name"},
				"filter": `userName eq "search@example.com"`}).expect(t, 200, "")
			if rs := r.resources(); len(rs) != 1 || rs[0]["emails"] != nil || rs[0]["name"] != nil || rs[0]["userName"] == nil {
				t.Errorf("excludedAttributes: %s", r.raw)
			}
			b.do("POST", "/Users/.search", map[string]any{"filter": `userName eq "search@example.com"`}).expect(t, 400, "invalidSyntax")
			b.do("POST", "/Users/.search", map[string]any{"schemas": []string{schema}, "filter": `userName eq`}).expect(t, 400, "invalidFilter")
			b.do("POST", "/Users/.search", map[string]any{"schemas": []string{schema}, "sortBy": "userName"}).expect(t, 400, "invalidValue")
			for _, bad := range []map[string]any{{"count": "ten"}, {"startIndex": 1.5}, {"filter": 7}, {"attributes": "userName"}, {"attributes": []any{1}}} {
				bad["schemas"] = []string{schema}
				b.do("POST", "/Users/.search", bad).expect(t, 400, "invalidValue")
			}
			b.do("POST", "/Users/.search", "{not json").expect(t, 400, "invalidSyntax")
			b.do("GET", "/Users/.search", nil).expect(t, 404, "")
			if b.caps.Roles {
				b.do("POST", "/Groups/.search", map[string]any{"schemas": []string{schema}}).expect(t, 200, "")
			} else {
				b.do("POST", "/Groups/.search", map[string]any{"schemas": []string{schema}}).expect(t, 404, "")
			}
		}},
		{"3.5.1 replace", func(t *testing.T, b *bridge) {
			id := b.create("put")
			same := newUser("put")
			b.do("PUT", "/Users/"+id, same).expect(t, 200, "")
			changed := newUser("put")
			changed["name"] = map[string]any{"givenName": "Ada", "familyName": "Byron"}
			if b.caps.Update {
				r := b.do("PUT", "/Users/"+id, changed).expect(t, 200, "")
				if r.str("name.familyName") != "Byron" {
					t.Errorf("PUT did not change the name: %s", r.raw)
				}
			} else if b.do("GET", "/Users/"+id, nil).str("name.familyName") != "" {
				b.do("PUT", "/Users/"+id, changed).expect(t, 400, "mutability")
			}
			renamed := newUser("put")
			renamed["userName"] = "renamed@example.com"
			b.do("PUT", "/Users/"+id, renamed).expect(t, 400, "mutability")
			b.do("PUT", "/Users/424242", same).expect(t, 404, "")
		}},
		{"3.5.2 patch", func(t *testing.T, b *bridge) {
			id := b.create("patch")
			replace := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "replace", "path": "name.familyName", "value": "Byron"}}}
			add := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "add", "value": map[string]any{"name": map[string]any{"givenName": "Augusta"}}}}}
			remove := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "remove", "path": "name.familyName"}}}
			hasName := b.do("GET", "/Users/"+id, nil).str("name.familyName") != ""
			switch {
			case b.caps.Update:
				if r := b.do("PATCH", "/Users/"+id, replace).expect(t, 200, ""); r.str("name.familyName") != "Byron" {
					t.Errorf("replace: %s", r.raw)
				}
				if r := b.do("PATCH", "/Users/"+id, add).expect(t, 200, ""); r.str("name.givenName") != "Augusta" || r.str("name.familyName") != "Byron" {
					t.Errorf("add: %s", r.raw)
				}
				if r := b.do("PATCH", "/Users/"+id, remove).expect(t, 200, ""); r.str("name.givenName") != "Augusta" || r.str("name.familyName") != "" {
					t.Errorf("remove: %s", r.raw)
				}
				if r := b.do("GET", "/Users/"+id, nil); r.str("name.givenName") != "Augusta" {
					t.Errorf("the change is not in the directory: %s", r.raw)
				}
			case hasName:
				b.do("PATCH", "/Users/"+id, replace).expect(t, 400, "mutability")
				b.do("PATCH", "/Users/"+id, add).expect(t, 400, "mutability")
				b.do("PATCH", "/Users/"+id, remove).expect(t, 400, "mutability")
			default:
				// A directory that keeps no name ignores it.
				b.do("PATCH", "/Users/"+id, replace).expect(t, 200, "")
			}
			deactivate := map[string]any{"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
				"Operations": []any{map[string]any{"op": "replace", "path": "active", "value": false}}}
			if b.caps.Deactivate {
				if r := b.do("PATCH", "/Users/"+id, deactivate).expect(t, 200, ""); r.str("active") != "false" {
					t.Errorf("deactivate: %s", r.raw)
				}
			} else {
				b.do("PATCH", "/Users/"+id, deactivate).expect(t, 400, "mutability")
			}
			b.do("PATCH", "/Users/"+id, map[string]any{"Operations": []any{map[string]any{"op": "jump", "path": "active"}}}).expect(t, 400, "invalidSyntax")
			b.do("PATCH", "/Users/"+id, map[string]any{"Operations": []any{map[string]any{"op": "replace", "path": "emails[type eq", "value": "x"}}}).expect(t, 400, "invalidPath")
			b.do("PATCH", "/Users/"+id, map[string]any{"Operations": []any{map[string]any{"op": "remove"}}}).expect(t, 400, "noTarget")
		}},
		{"3.6 delete", func(t *testing.T, b *bridge) {
			id := b.create("delete")
			b.do("DELETE", "/Users/"+id, nil).expect(t, 204, "")
			r := b.do("GET", "/Users/"+id, nil)
			if b.caps.DeleteMeans == "deactivate" {
				// The API has no delete: the user stays, inactive.
				if r.expect(t, 200, ""); r.str("active") != "false" {
					t.Errorf("after delete: %s", r.raw)
				}
			} else {
				r.expect(t, 404, "")
			}
			b.do("DELETE", "/Users/424242", nil).expect(t, 404, "")
		}},
		{"4 discovery", func(t *testing.T, b *bridge) {
			spc := b.do("GET", "/ServiceProviderConfig", nil).expect(t, 200, "")
			if spc.str("patch.supported") != "true" || spc.str("etag.supported") != "true" || spc.str("bulk.supported") != "false" ||
				spc.str("filter.supported") != "true" || spc.str("changePassword.supported") != fmt.Sprint(b.caps.CanUpdate("Password")) ||
				spc.str("authenticationSchemes.0.type") != "oauthbearertoken" {
				t.Errorf("ServiceProviderConfig: %s", spc.raw)
			}
			rt := b.do("GET", "/ResourceTypes", nil).expect(t, 200, "")
			var names []string
			for _, r := range rt.resources() {
				names = append(names, r["name"].(string))
			}
			want := "User"
			if b.caps.Roles {
				want = "User,Group"
			}
			if strings.Join(names, ",") != want {
				t.Errorf("ResourceTypes %v, want %s", names, want)
			}
			sc := b.do("GET", "/Schemas", nil).expect(t, 200, "")
			if n := len(sc.resources()); n != strings.Count(want, ",")+1 {
				t.Errorf("%d schemas for %s", n, want)
			}
			user := b.do("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", nil).expect(t, 200, "")
			for _, a := range user.body["attributes"].([]any) {
				a := a.(map[string]any)
				switch a["name"] {
				case "active":
					if want := map[bool]string{true: "readWrite", false: "immutable"}[b.caps.Activate && b.caps.Deactivate]; a["mutability"] != want {
						t.Errorf("active mutability %v, want %s", a["mutability"], want)
					}
				case "name":
					if want := map[bool]string{true: "readWrite", false: "immutable"}[b.caps.Update]; a["mutability"] != want {
						t.Errorf("name mutability %v, want %s", a["mutability"], want)
					}
				}
			}
			if b.caps.Roles {
				b.do("GET", "/Groups", nil).expect(t, 200, "")
				b.do("GET", "/ResourceTypes/Group", nil).expect(t, 200, "")
			} else {
				b.do("GET", "/Groups", nil).expect(t, 404, "")
				b.do("GET", "/ResourceTypes/Group", nil).expect(t, 404, "")
				b.do("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", nil).expect(t, 404, "")
			}
		}},
		{"3.12 errors", func(t *testing.T, b *bridge) {
			b.doAuth("", "GET", "/Users", nil).expect(t, 401, "")
			if r := b.doAuth("Bearer wrong-token-0123456789abcdef", "GET", "/Users", nil).expect(t, 401, ""); r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			b.doAuth("Basic "+token, "GET", "/Users", nil).expect(t, 401, "")
			b.doAuth("bearer old-token-0123456789abcdef", "GET", "/ServiceProviderConfig", nil).expect(t, 200, "")
			b.do("POST", "/Users", `{"userName": "x@example.com",`).expect(t, 400, "invalidSyntax")
			b.do("POST", "/Users", `[1,2]`).expect(t, 400, "invalidSyntax")
			b.do("POST", "/Users", map[string]any{"name": map[string]any{"givenName": "No"}}).expect(t, 400, "invalidValue")
			b.do("POST", "/Users", map[string]any{"userName": 42}).expect(t, 400, "invalidValue")
			b.do("POST", "/Users", `{"userName":"`+strings.Repeat("a", 2<<20)+`"}`).expect(t, 413, "")
			b.create("dup")
			r := b.do("POST", "/Users", newUser("dup")).expect(t, 409, "uniqueness")
			if !strings.Contains(r.str("detail"), "dup@example.com") {
				t.Errorf("409 detail: %s", r.raw)
			}
			b.do("DELETE", "/Users", nil).expect(t, 405, "")
			b.do("GET", "/Widgets", nil).expect(t, 404, "")
			b.do("GET", "Users", nil).expect(t, 404, "") // /scim/v2Users
		}},
		{"3.14 etags", func(t *testing.T, b *bridge) {
			id := b.create("etag")
			r := b.do("GET", "/Users/"+id, nil).expect(t, 200, "")
			tag := r.header.Get("ETag")
			if !strings.HasPrefix(tag, `W/"`) || tag != r.str("meta.version") {
				t.Fatalf("ETag %q, version %q", tag, r.str("meta.version"))
			}
			if nm := b.do("GET", "/Users/"+id, nil, "If-None-Match", tag); nm.status != 304 {
				t.Errorf("If-None-Match: %d", nm.status)
			}
			op := map[string]any{"Operations": []any{map[string]any{"op": "replace", "path": "name.givenName", "value": "Ada"}}}
			b.do("PATCH", "/Users/"+id, op, "If-Match", `W/"stale"`).expect(t, 412, "")
			b.do("PUT", "/Users/"+id, newUser("etag"), "If-Match", `W/"stale"`).expect(t, 412, "")
			b.do("DELETE", "/Users/"+id, nil, "If-Match", `W/"stale"`).expect(t, 412, "")
			b.do("PATCH", "/Users/"+id, op, "If-Match", tag).expect(t, 200, "")
			if b.caps.Deactivate {
				off := map[string]any{"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"active": false}}}}
				r2 := b.do("PATCH", "/Users/"+id, off, "If-Match", tag).expect(t, 200, "")
				if r2.header.Get("ETag") == tag {
					t.Error("the version did not change with active")
				}
				b.do("PATCH", "/Users/"+id, op, "If-Match", tag).expect(t, 412, "")
			}
		}},
	}
	for _, name := range providers {
		t.Run(name, func(t *testing.T) {
			e := open(t, name)
			b := newBridge(t, e)
			for _, s := range sections {
				t.Run(s.name, func(t *testing.T) {
					b.t = t
					s.run(t, b)
				})
			}
		})
	}
}
