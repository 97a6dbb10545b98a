package scim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// Paging limits (RFC 7644 §3.4.2.4).
const (
	defaultCount = 100
	maxCount     = 1000
)

// find returns the user whose natural key is key, or an error matching
// usermgmt.ErrNotFound.
func (t *tenant) find(ctx context.Context, key string) (*usermgmt.User, error) {
	return t.dir.FindUser(ctx, key)
}

// get returns the user with the id; an id the directory rejects as
// malformed is a user that does not exist.
func (t *tenant) get(ctx context.Context, id string) (*usermgmt.User, error) {
	u, err := t.dir.GetUser(ctx, id)
	if errors.Is(err, usermgmt.ErrInvalidInput) {
		return nil, &scimError{status: http.StatusNotFound, detail: "no user with id " + strconv.Quote(id)}
	}
	return u, err
}

func absent(err error) bool {
	return errors.Is(err, usermgmt.ErrNotFound) || errors.Is(err, usermgmt.ErrInvalidInput)
}

// page reads startIndex and count.
func page(q url.Values) (start, count int, err error) {
	start, count = 1, defaultCount
	if v := q.Get("startIndex"); v != "" {
		if start, err = strconv.Atoi(v); err != nil {
			return 0, 0, badRequest("invalidValue", "startIndex must be an integer")
		}
		start = max(start, 1)
	}
	if v := q.Get("count"); v != "" {
		if count, err = strconv.Atoi(v); err != nil {
			return 0, 0, badRequest("invalidValue", "count must be an integer")
		}
		count = min(max(count, 0), maxCount)
	}
	return start, count, nil
}

// listResponse pages resources that pass a filter.
type listResponse struct {
	start, count, total int
	items               []any
}

func (l *listResponse) add(r map[string]any, p *projection) {
	l.total++
	if l.total >= l.start && len(l.items) < l.count {
		l.items = append(l.items, p.apply(r))
	}
}

func (l *listResponse) body() map[string]any {
	items := l.items
	if items == nil {
		items = []any{}
	}
	return map[string]any{"schemas": []any{listSchema}, "totalResults": l.total, "startIndex": l.start,
		"itemsPerPage": len(items), "Resources": items}
}

// candidates returns the users a filter can match: one looked up by id or
// natural key when the filter's top-level "and" pins one down, otherwise
// the listing (of active or inactive users only where it says which).
func (t *tenant) candidates(ctx context.Context, e filter.Expression) iter.Seq2[usermgmt.User, error] {
	var id, key string
	var active *bool
	var walk func(filter.Expression)
	walk = func(e filter.Expression) {
		switch x := e.(type) {
		case *filter.LogicalExpression:
			if x.Operator == filter.AND {
				walk(x.Left)
				walk(x.Right)
			}
		case *filter.AttributeExpression:
			if x.Operator != filter.EQ || (x.AttributePath.URIPrefix != nil && !strings.EqualFold(*x.AttributePath.URIPrefix, userSchema)) {
				return
			}
			name, _ := userInfo.attrName(x.AttributePath, true)
			if b, ok := x.CompareValue.(bool); ok && name == "active" {
				active = &b
				return
			}
			s, ok := x.CompareValue.(string)
			if !ok {
				return
			}
			v, err := unescape(s)
			if err != nil {
				return
			}
			switch {
			case name == "id":
				id = v
			case name == "userName" || name == "externalId" || (name == "emails.value" && t.caps.NaturalKey == "email"):
				key = v
			}
		case *filter.ValuePath:
			// emails[type eq "work" and value eq "..."]: the value is
			// the key where the key is the email.
			if t.caps.NaturalKey == "email" && strings.EqualFold(x.AttributePath.AttributeName, "emails") {
				walk(valueTerms(x.ValueFilter))
			}
		}
	}
	walk(e)
	one := func(u *usermgmt.User, err error) iter.Seq2[usermgmt.User, error] {
		if absent(err) {
			return usermgmt.FromSlice[usermgmt.User](nil)
		}
		if err != nil {
			return usermgmt.Failed[usermgmt.User](err)
		}
		return usermgmt.FromSlice([]usermgmt.User{*u})
	}
	switch {
	case id != "":
		return one(t.dir.GetUser(ctx, id))
	case key != "":
		return one(t.find(ctx, key))
	}
	return t.dir.ListUsers(ctx, &usermgmt.ListOptions{Active: active})
}

// valueTerms turns the "value eq" terms of an emails value filter into
// emails.value terms for candidates.
func valueTerms(e filter.Expression) filter.Expression {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		if x.Operator == filter.AND {
			return &filter.LogicalExpression{Left: valueTerms(x.Left), Right: valueTerms(x.Right), Operator: filter.AND}
		}
	case *filter.AttributeExpression:
		if strings.EqualFold(x.AttributePath.AttributeName, "value") && x.AttributePath.SubAttribute == nil && x.AttributePath.URIPrefix == nil {
			sub := "value"
			return &filter.AttributeExpression{AttributePath: filter.AttributePath{AttributeName: "emails", SubAttribute: &sub}, Operator: x.Operator, CompareValue: x.CompareValue}
		}
	}
	return nil
}

// unescape reads a filter string's JSON escapes.
func unescape(s string) (string, error) {
	if !strings.ContainsRune(s, '\\') {
		return s, nil
	}
	var u string
	err := json.Unmarshal([]byte(`"`+s+`"`), &u)
	return u, err
}

// listQuery reads the paging and the filter of a listing. Every attribute
// the filter names is checked against info before any request is sent.
func listQuery(q url.Values, info *schemaInfo) (start, count int, expr filter.Expression, err error) {
	if start, count, err = page(q); err != nil {
		return 0, 0, nil, err
	}
	if f := q.Get("filter"); f != "" {
		if expr, err = parseFilter(f); err != nil {
			return 0, 0, nil, badRequest("invalidFilter", err.Error())
		}
		if _, err := match(expr, map[string]any{}, info); err != nil {
			return 0, 0, nil, err
		}
	}
	return start, count, expr, nil
}

func (t *tenant) listUsers(w http.ResponseWriter, r *http.Request, base string, q url.Values) error {
	start, count, expr, err := listQuery(q, userInfo)
	if err != nil {
		return err
	}
	if q.Get("sortBy") != "" {
		return badRequest("invalidValue", "sorting is not supported")
	}
	proj := newProjection(q, userInfo)
	l := &listResponse{start: start, count: count}
	for u, err := range t.candidates(r.Context(), expr) {
		if err != nil {
			return err
		}
		res := t.userResource(&u, base)
		if expr != nil {
			ok, err := match(expr, res, userInfo)
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

func (t *tenant) getUser(w http.ResponseWriter, r *http.Request, base, id string) error {
	u, err := t.get(r.Context(), id)
	if err != nil {
		return err
	}
	tag := userETag(u)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, tag) {
		w.Header().Set("ETag", tag)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	t.writeUserTagged(w, r, http.StatusOK, u, base, tag)
	return nil
}

// etagMatch reports whether an If-Match or If-None-Match header lists tag
// (compared weakly) or is "*".
func etagMatch(header, tag string) bool {
	weak := func(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), "W/") }
	for _, c := range strings.Split(header, ",") {
		if strings.TrimSpace(c) == "*" || weak(c) == weak(tag) {
			return true
		}
	}
	return false
}

// checkIfMatch answers 412 when the request's If-Match names another
// version.
func checkIfMatch(r *http.Request, tag string) error {
	if im := r.Header.Get("If-Match"); im != "" && !etagMatch(im, tag) {
		return &scimError{status: http.StatusPreconditionFailed, detail: "the resource has changed: its version is " + tag}
	}
	return nil
}

// userState is a user as a request describes it.
type userState struct {
	userName                  string
	given, family, formatted  string
	displayName, email        string
	active                    *bool
	password                  *usermgmt.Secret
	hasName, hasEmail, hasAct bool
}

// parseUser reads a User resource from a request body (or a patched
// representation). Attributes the bridge does not know are ignored.
func parseUser(m map[string]any) (*userState, error) {
	st := &userState{}
	str := func(attr string, v any) (string, error) {
		if v == nil {
			return "", nil
		}
		s, ok := v.(string)
		if !ok {
			return "", badRequest("invalidValue", attr+" must be a string")
		}
		return s, nil
	}
	var err error
	for k, v := range m {
		switch c := userInfo.lookup(k); c {
		case "userName":
			st.userName, err = str(c, v)
		case "displayName":
			st.displayName, err = str(c, v)
		case "name.givenName":
			st.given, err = str(c, v)
			st.hasName = true
		case "name.familyName":
			st.family, err = str(c, v)
			st.hasName = true
		case "name.formatted":
			st.formatted, err = str(c, v)
			st.hasName = true
		case "name":
			nm, ok := v.(map[string]any)
			if v != nil && !ok {
				return nil, badRequest("invalidValue", "name must be an object")
			}
			for nk, nv := range nm {
				switch userInfo.lookup("name." + nk) {
				case "name.givenName":
					st.given, err = str("name.givenName", nv)
				case "name.familyName":
					st.family, err = str("name.familyName", nv)
				case "name.formatted":
					st.formatted, err = str("name.formatted", nv)
				}
				if err != nil {
					return nil, err
				}
			}
			st.hasName = true
		case "emails":
			st.email, err = primaryEmail(v)
			st.hasEmail = true
		case "emails.value":
			st.email, err = str(c, v)
			st.hasEmail = true
		case "active":
			b, err := parseBool(v)
			if err != nil {
				return nil, err
			}
			st.active, st.hasAct = &b, true
		case "password":
			p, err := str(c, v)
			if err != nil {
				return nil, err
			}
			if p != "" {
				s := usermgmt.Secret(p)
				st.password = &s
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return st, nil
}

// parseBool reads a boolean, also written as a string in any case
// ("False", as Microsoft Entra ID sends it).
func parseBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, badRequest("invalidValue", "active must be true or false")
}

// primaryEmail picks the address of emails: the primary one, else the
// work one, else the first.
func primaryEmail(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	list, ok := v.([]any)
	if !ok {
		return "", badRequest("invalidValue", "emails must be a list")
	}
	entries := make([]emailEntry, 0, len(list))
	for _, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			return "", badRequest("invalidValue", "each of emails must be an object")
		}
		var e emailEntry
		for k, x := range m {
			switch strings.ToLower(k) {
			case "value":
				e.value, _ = x.(string)
			case "type":
				e.typ, _ = x.(string)
			case "primary":
				e.primary, _ = parseBool(x)
			}
		}
		entries = append(entries, e)
	}
	return pickEmail(entries), nil
}

// emailEntry is one of a user's emails, as a request gives it.
type emailEntry struct {
	value, typ string
	primary    bool
}

// pickEmail picks the address of a user's emails: the primary one, else
// the work one, else the first; entries without a value are skipped.
func pickEmail(list []emailEntry) string {
	var first, work, primary string
	for _, e := range list {
		if e.value == "" {
			continue
		}
		if first == "" {
			first = e.value
		}
		if work == "" && strings.EqualFold(e.typ, "work") {
			work = e.value
		}
		if primary == "" && e.primary {
			primary = e.value
		}
	}
	switch {
	case primary != "":
		return primary
	case work != "":
		return work
	}
	return first
}

// fullName is the name a request gives: name.formatted, else given and
// family names joined, else displayName.
func (st *userState) fullName() string {
	switch {
	case st.formatted != "":
		return st.formatted
	case st.given != "" || st.family != "":
		return strings.TrimSpace(st.given + " " + st.family)
	}
	return st.displayName
}

func (t *tenant) createUser(w http.ResponseWriter, r *http.Request, base string) error {
	st, err := t.readUser(w, r)
	if err != nil {
		return err
	}
	key := strings.TrimSpace(st.userName)
	if key == "" {
		return badRequest("invalidValue", "userName is required")
	}
	in := usermgmt.CreateUserInput{FirstName: st.given, LastName: st.family, Name: st.fullName()}
	if t.caps.NaturalKey == "email" {
		if st.email != "" && !strings.EqualFold(st.email, key) {
			return badRequest("invalidValue", "this directory keeps one address per user, its userName: emails must be empty or equal userName")
		}
		in.Email = key
	} else {
		in.Username, in.Email = key, st.email
	}
	if st.password != nil {
		in.Password = *st.password
	}
	if st.active != nil && !*st.active {
		in.Inactive = true
	}
	ctx, cancel := t.writeCtx(r)
	defer cancel()
	// A user that exists is a 409: an identity provider that timed out and
	// retried, or one whose look-up missed it, then finds it by filter. The
	// Directory reports it as a *usermgmt.ConflictError carrying the user.
	u, err := t.dir.CreateUser(ctx, in)
	if err != nil {
		var ce *usermgmt.ConflictError
		if errors.As(err, &ce) && ce.Existing != nil {
			return &scimError{status: http.StatusConflict, scimType: "uniqueness", detail: fmt.Sprintf("a user with userName %q exists (id %s)", key, ce.Existing.ID)}
		}
		if errors.Is(err, usermgmt.ErrConflict) {
			return &scimError{status: http.StatusConflict, scimType: "uniqueness", detail: fmt.Sprintf("a user with userName %q exists", key)}
		}
		return err
	}
	w.Header().Set("Location", base+"/Users/"+url.PathEscape(u.ID))
	t.writeUser(w, r, http.StatusCreated, u, base)
	return nil
}

func (t *tenant) replaceUser(w http.ResponseWriter, r *http.Request, base, id string) error {
	st, err := t.readUser(w, r)
	if err != nil {
		return err
	}
	ctx, cancel := t.writeCtx(r)
	defer cancel()
	unlock, err := t.users.Lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := t.get(ctx, id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(r, userETag(cur)); err != nil {
		return err
	}
	u, err := t.update(ctx, cur, st, true)
	if err != nil {
		return err
	}
	t.writeUser(w, r, http.StatusOK, u, base)
	return nil
}

// canUpdate reports whether UpdateUser can change the UpdateUserInput
// field ("Email", "Name", "Password"), from Capabilities.UpdateFields.
func (t *tenant) canUpdate(field string) bool { return t.caps.CanUpdate(field) }

func mutability(format string, args ...any) error {
	return badRequest("mutability", fmt.Sprintf(format, args...))
}

// update makes cur look like st, with the fewest calls: only what differs
// is sent. A value equal to the current one is accepted even where the
// directory cannot change it; a value the directory does not keep at all
// (empty now, and no update possible) is ignored. Every change is checked
// against the capabilities before anything is sent.
//
// A password cannot be compared with the current one. In a PUT, which
// repeats the whole user (Okta's includes the password when it syncs
// passwords), a password the API cannot change is ignored; in a PATCH it
// is refused.
func (t *tenant) update(ctx context.Context, cur *usermgmt.User, st *userState, put bool) (*usermgmt.User, error) {
	curKey := userKey(cur, &t.caps)
	if st.userName != "" && !strings.EqualFold(st.userName, curKey) {
		return nil, mutability("userName cannot be changed through the %s API", t.dir.Provider())
	}
	var in usermgmt.UpdateUserInput
	var what []string
	if st.email != "" {
		switch {
		case t.caps.NaturalKey == "email":
			if !strings.EqualFold(st.email, curKey) {
				return nil, mutability("the email address is this directory's userName and cannot be changed")
			}
		case !strings.EqualFold(st.email, cur.Email) && (cur.Email != "" || t.canUpdate("Email")):
			e := st.email
			in.Email, what = &e, append(what, "emails")
		}
	}
	given, family := names(cur)
	kept := given != "" || family != "" || cur.Name != "" || t.canUpdate("Name")
	switch {
	case st.given != "" || st.family != "":
		if (st.given != given || st.family != family) && kept {
			g, f, n := st.given, st.family, strings.TrimSpace(st.given+" "+st.family)
			in.FirstName, in.LastName, in.Name, what = &g, &f, &n, append(what, "name")
		}
	case st.fullName() != "":
		full := cur.Name
		if full == "" {
			full = strings.TrimSpace(cur.FirstName + " " + cur.LastName)
		}
		if n := st.fullName(); n != full && kept {
			in.Name, what = &n, append(what, "name")
		}
	}
	if st.password != nil && (t.canUpdate("Password") || !put) {
		p := *st.password
		in.Password, what = &p, append(what, "password")
	}
	var refused []string
	for _, w := range what {
		if !t.canUpdate(map[string]string{"emails": "Email", "name": "Name", "password": "Password"}[w]) {
			refused = append(refused, w)
		}
	}
	if len(refused) > 0 {
		return nil, mutability("the %s API cannot change %s", t.dir.Provider(), strings.Join(refused, ", "))
	}
	setActive := st.active != nil && *st.active != cur.Active
	if setActive && ((*st.active && !t.caps.Activate) || (!*st.active && !t.caps.Deactivate)) {
		return nil, mutability("the %s API cannot set active to %t", t.dir.Provider(), *st.active)
	}
	u := cur
	var err error
	if len(what) > 0 {
		u, err = t.dir.UpdateUser(ctx, cur.ID, in)
		if put && in.Password != nil && errors.Is(err, errors.ErrUnsupported) {
			// The API cannot change a password (refused before anything
			// was sent): make the other changes.
			in.Password = nil
			if u, err = cur, nil; in != (usermgmt.UpdateUserInput{}) {
				u, err = t.dir.UpdateUser(ctx, cur.ID, in)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if setActive {
		if u, err = t.dir.SetActive(ctx, cur.ID, *st.active); err != nil {
			return nil, err
		}
	}
	return u, nil
}

func (t *tenant) deleteUser(w http.ResponseWriter, r *http.Request, id string) error {
	ctx, cancel := t.writeCtx(r)
	defer cancel()
	unlock, err := t.users.Lock(ctx, id)
	if err != nil {
		return err
	}
	defer unlock()
	if r.Header.Get("If-Match") != "" {
		cur, err := t.get(ctx, id)
		if err != nil {
			return err
		}
		if err := checkIfMatch(r, userETag(cur)); err != nil {
			return err
		}
	}
	if err := t.dir.DeleteUser(ctx, id); err != nil {
		switch {
		case errors.Is(err, usermgmt.ErrInvalidInput):
			return &scimError{status: http.StatusNotFound, detail: "no user with id " + strconv.Quote(id)}
		case errors.Is(err, usermgmt.ErrNotFound) && t.caps.DeleteMeans == "deactivate":
			// Where delete means deactivate, a user already deactivated
			// (an identity provider's PATCH active:false, then DELETE)
			// counts as deleted for the Directory; it is still there, and
			// SCIM expects its DELETE to succeed.
			if u, gerr := t.dir.GetUser(ctx, id); gerr == nil && !u.Active {
				w.WriteHeader(http.StatusNoContent)
				return nil
			}
		}
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
