package scim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Schema and message URNs (RFC 7643, RFC 7644).
const (
	userSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	listSchema       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	patchSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	errorSchema      = "urn:ietf:params:scim:api:messages:2.0:Error"
	spcSchema        = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	rtSchema         = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	schemaSchema     = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// schemaInfo lists the attributes of a resource type the bridge knows.
type schemaInfo struct {
	urn string
	// canon maps a lower-case attribute path ("name.givenname") to its
	// canonical spelling ("name.givenName").
	canon map[string]string
	// caseExact holds the canonical paths compared with case.
	caseExact map[string]bool
	// multi holds the multi-valued top-level attributes.
	multi map[string]bool
}

func newSchemaInfo(urn string, attrs []string, caseExact, multi []string) *schemaInfo {
	s := &schemaInfo{urn: urn, canon: map[string]string{}, caseExact: map[string]bool{}, multi: map[string]bool{}}
	for _, a := range attrs {
		s.canon[strings.ToLower(a)] = a
	}
	for _, a := range caseExact {
		s.caseExact[a] = true
	}
	for _, a := range multi {
		s.multi[a] = true
	}
	return s
}

var (
	userInfo = newSchemaInfo(userSchema, []string{
		"id", "externalId", "userName", "displayName", "active", "password",
		"name", "name.givenName", "name.familyName", "name.formatted",
		"emails", "emails.value", "emails.type", "emails.primary",
		"groups", "groups.value", "groups.display",
	}, []string{"id", "groups.value"}, []string{"emails", "groups"})
	groupInfo = newSchemaInfo(groupSchema, []string{
		"id", "displayName", "members", "members.value", "members.display",
	}, []string{"id", "members.value"}, []string{"members"})
)

// attrName returns the canonical name of p ("name.givenName"), or a
// filterError when the bridge does not know it.
func (s *schemaInfo) attrName(p filter.AttributePath, allowSub bool) (string, error) {
	if p.URIPrefix != nil && !strings.EqualFold(*p.URIPrefix, s.urn) {
		return "", &filterError{fmt.Sprintf("unsupported attribute %q", p.String())}
	}
	name := p.AttributeName
	if p.SubAttribute != nil {
		if !allowSub {
			return "", &filterError{fmt.Sprintf("unsupported attribute %q", p.String())}
		}
		name += "." + *p.SubAttribute
	}
	c, ok := s.canon[strings.ToLower(name)]
	if !ok || c == "password" {
		return "", &filterError{fmt.Sprintf("unsupported attribute %q", p.String())}
	}
	return c, nil
}

// lookup returns the canonical name of an attribute path written as text
// ("urn:...:User:name.givenName", "NAME.GIVENNAME"), or "".
func (s *schemaInfo) lookup(name string) string {
	if len(name) > len(s.urn)+1 && strings.EqualFold(name[:len(s.urn)+1], s.urn+":") {
		name = name[len(s.urn)+1:]
	}
	return s.canon[strings.ToLower(name)]
}

// userKey returns the value SCIM's userName maps to: the directory's
// natural key.
func userKey(u *usermgmt.User, caps *usermgmt.Capabilities) string {
	if caps.NaturalKey == "email" || u.Username == "" {
		return u.Email
	}
	return u.Username
}

// names returns the given and family names of u: its FirstName and
// LastName, or its one Name split at the first space.
func names(u *usermgmt.User) (given, family string) {
	if u.FirstName != "" || u.LastName != "" {
		return u.FirstName, u.LastName
	}
	given, family, _ = strings.Cut(strings.TrimSpace(u.Name), " ")
	return given, strings.TrimSpace(family)
}

// userETag is a weak entity tag computed from every field of u the bridge
// shows.
func userETag(u *usermgmt.User) string {
	roles := u.Roles
	if !slices.IsSorted(roles) {
		roles = slices.Sorted(slices.Values(roles))
	}
	b := make([]byte, 0, 256)
	for _, f := range [...]string{u.ID, u.Username, u.Email, u.Name, u.FirstName, u.LastName, strconv.FormatBool(u.Active)} {
		b = appendField(b, f)
	}
	for _, f := range roles {
		b = appendField(b, f)
	}
	sum := sha256.Sum256(b)
	return `W/"` + hex.EncodeToString(sum[:12]) + `"`
}

// appendField appends f to b as length:f; so that no two lists of fields
// hash alike.
func appendField(b []byte, f string) []byte {
	b = strconv.AppendInt(b, int64(len(f)), 10)
	b = append(b, ':')
	b = append(b, f...)
	return append(b, ';')
}

// groupETag is a weak entity tag over a group's name and members.
func groupETag(name string, members []string) string {
	h := sha256.New()
	ms := slices.Clone(members)
	slices.Sort(ms)
	for _, f := range append([]string{name}, ms...) {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

// userDoc is the SCIM representation of a user as a typed value: the same
// JSON as userResource (members in the same order), encoded without the
// reflection over maps, for the answers that ask for every attribute.
type userDoc struct {
	Active      bool          `json:"active"`
	DisplayName string        `json:"displayName,omitempty"`
	Emails      []emailDoc    `json:"emails,omitempty"`
	ExternalID  string        `json:"externalId"`
	Groups      []groupRefDoc `json:"groups,omitempty"`
	ID          string        `json:"id"`
	Meta        metaDoc       `json:"meta"`
	Name        *nameDoc      `json:"name,omitempty"`
	Schemas     [1]string     `json:"schemas"`
	UserName    string        `json:"userName"`
}

type emailDoc struct {
	Primary bool   `json:"primary"`
	Type    string `json:"type"`
	Value   string `json:"value"`
}

type groupRefDoc struct {
	Ref     string `json:"$ref"`
	Display string `json:"display"`
	Value   string `json:"value"`
}

type metaDoc struct {
	Location     string `json:"location"`
	ResourceType string `json:"resourceType"`
	Version      string `json:"version"`
}

type nameDoc struct {
	FamilyName string `json:"familyName,omitempty"`
	Formatted  string `json:"formatted,omitempty"`
	GivenName  string `json:"givenName,omitempty"`
}

// userDocument returns u as a userDoc; tag is its ETag.
func (t *tenant) userDocument(u *usermgmt.User, base, tag string) *userDoc {
	key := userKey(u, &t.caps)
	d := &userDoc{Active: u.Active, ExternalID: key, ID: u.ID, UserName: key, Schemas: [1]string{userSchema},
		Meta: metaDoc{Location: base + "/Users/" + url.PathEscape(u.ID), ResourceType: "User", Version: tag}}
	given, family := names(u)
	full := u.Name
	if full == "" {
		full = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	d.DisplayName = full
	if given != "" || family != "" || full != "" {
		d.Name = &nameDoc{FamilyName: family, Formatted: full, GivenName: given}
	}
	if u.Email != "" {
		d.Emails = []emailDoc{{Primary: true, Type: "work", Value: u.Email}}
	}
	if t.caps.Roles {
		for _, role := range u.Roles {
			d.Groups = append(d.Groups, groupRefDoc{Ref: base + "/Groups/" + url.PathEscape(role), Display: role, Value: role})
		}
	}
	return d
}

// writeUser answers with u: every attribute as a userDoc, or those the
// request's attributes and excludedAttributes select.
func (t *tenant) writeUser(w http.ResponseWriter, r *http.Request, status int, u *usermgmt.User, base string) {
	t.writeUserTagged(w, r, status, u, base, userETag(u))
}

// writeUserTagged is writeUser for a caller that has computed u's entity
// tag already.
func (t *tenant) writeUserTagged(w http.ResponseWriter, r *http.Request, status int, u *usermgmt.User, base, tag string) {
	if r.URL.RawQuery == "" { // no attributes or excludedAttributes: every attribute
		writeJSON(w, status, t.userDocument(u, base, tag), tag)
		return
	}
	if p := newProjection(r.URL.Query(), userInfo); p != nil {
		writeJSON(w, status, p.apply(t.userResource(u, base)), tag)
		return
	}
	writeJSON(w, status, t.userDocument(u, base, tag), tag)
}

// userResource is the SCIM representation of u.
func (t *tenant) userResource(u *usermgmt.User, base string) map[string]any {
	key := userKey(u, &t.caps)
	r := map[string]any{
		"schemas":    []any{userSchema},
		"id":         u.ID,
		"userName":   key,
		"externalId": key,
		"active":     u.Active,
		"meta": map[string]any{
			"resourceType": "User",
			"location":     base + "/Users/" + url.PathEscape(u.ID),
			"version":      userETag(u),
		},
	}
	given, family := names(u)
	name := map[string]any{}
	if given != "" {
		name["givenName"] = given
	}
	if family != "" {
		name["familyName"] = family
	}
	full := u.Name
	if full == "" {
		full = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	if full != "" {
		name["formatted"] = full
		r["displayName"] = full
	}
	if len(name) > 0 {
		r["name"] = name
	}
	if u.Email != "" {
		r["emails"] = []any{map[string]any{"value": u.Email, "type": "work", "primary": true}}
	}
	if t.caps.Roles && len(u.Roles) > 0 {
		gs := make([]any, 0, len(u.Roles))
		for _, role := range u.Roles {
			gs = append(gs, map[string]any{"value": role, "display": role, "$ref": base + "/Groups/" + url.PathEscape(role)})
		}
		r["groups"] = gs
	}
	return r
}

// groupResource is the SCIM representation of the role name held by
// members.
func groupResource(name string, members []*usermgmt.User, base string) map[string]any {
	ms := make([]any, 0, len(members))
	ids := make([]string, 0, len(members))
	for _, u := range members {
		d := u.Name
		if d == "" {
			d = u.Email
		}
		ms = append(ms, map[string]any{"value": u.ID, "display": d, "$ref": base + "/Users/" + url.PathEscape(u.ID)})
		ids = append(ids, u.ID)
	}
	return map[string]any{
		"schemas":     []any{groupSchema},
		"id":          name,
		"displayName": name,
		"members":     ms,
		"meta": map[string]any{
			"resourceType": "Group",
			"location":     base + "/Groups/" + url.PathEscape(name),
			"version":      groupETag(name, ids),
		},
	}
}

// projection says which attributes to return (RFC 7644 §3.4.2.5).
type projection struct {
	include, exclude map[string]bool // canonical paths
}

func newProjection(q url.Values, s *schemaInfo) *projection {
	parse := func(v string) map[string]bool {
		if v == "" {
			return nil
		}
		m := map[string]bool{}
		for _, a := range strings.Split(v, ",") {
			if c := s.lookup(strings.TrimSpace(a)); c != "" {
				m[c] = true
			}
		}
		return m
	}
	p := &projection{include: parse(q.Get("attributes")), exclude: parse(q.Get("excludedAttributes"))}
	if q.Get("attributes") != "" && p.include == nil {
		p.include = map[string]bool{}
	}
	if p.include == nil && p.exclude == nil {
		return nil
	}
	return p
}

// apply returns r with only the attributes p asks for; r is not modified.
// id, schemas and meta are always returned.
func (p *projection) apply(r map[string]any) map[string]any {
	if p == nil {
		return r
	}
	out := make(map[string]any, len(r))
	for k, v := range r {
		switch {
		case k == "id" || k == "schemas" || k == "meta":
			out[k] = v
		case p.include != nil:
			if p.include[k] {
				out[k] = v
			} else if sub := p.subs(p.include, k); sub != nil {
				out[k] = filterSubs(v, func(s string) bool { return sub[s] })
			}
		case p.exclude[k]:
		default:
			if sub := p.subs(p.exclude, k); sub != nil {
				out[k] = filterSubs(v, func(s string) bool { return !sub[s] })
			} else {
				out[k] = v
			}
		}
	}
	return out
}

// subs returns the sub-attributes of k named in m, or nil.
func (p *projection) subs(m map[string]bool, k string) map[string]bool {
	var out map[string]bool
	for a := range m {
		if top, sub, ok := strings.Cut(a, "."); ok && top == k {
			if out == nil {
				out = map[string]bool{}
			}
			out[sub] = true
		}
	}
	return out
}

func filterSubs(v any, keep func(string) bool) any {
	pick := func(m map[string]any) map[string]any {
		o := map[string]any{}
		for k, x := range m {
			if keep(k) {
				o[k] = x
			}
		}
		return o
	}
	switch x := v.(type) {
	case map[string]any:
		return pick(x)
	case []any:
		out := make([]any, 0, len(x))
		for _, el := range x {
			if m, ok := el.(map[string]any); ok {
				out = append(out, pick(m))
			}
		}
		return out
	}
	return v
}
