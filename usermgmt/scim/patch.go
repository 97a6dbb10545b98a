package scim

import (
	"fmt"
	"net/http"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// patchOp is one operation of a PatchOp request (RFC 7644 §3.5.2).
type patchOp struct {
	op    string // "add", "replace" or "remove"
	path  string
	value any
}

// parsePatch reads a PatchOp body. The op is read in any case ("Replace",
// as Microsoft Entra ID sends it).
func parsePatch(body map[string]any) ([]patchOp, error) {
	var raw any
	for k, v := range body {
		if strings.EqualFold(k, "Operations") {
			raw = v
		}
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, badRequest("invalidSyntax", "a PATCH request needs a non-empty Operations list")
	}
	ops := make([]patchOp, 0, len(list))
	for i, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			return nil, badRequest("invalidSyntax", fmt.Sprintf("operation %d is not an object", i))
		}
		var o patchOp
		for k, v := range m {
			switch strings.ToLower(k) {
			case "op":
				s, _ := v.(string)
				o.op = strings.ToLower(s)
			case "path":
				s, ok := v.(string)
				if !ok && v != nil {
					return nil, badRequest("invalidPath", fmt.Sprintf("operation %d: path must be a string", i))
				}
				o.path = strings.TrimSpace(s)
			case "value":
				o.value = v
			}
		}
		switch o.op {
		case "add", "replace":
		case "remove":
			if o.path == "" {
				return nil, badRequest("noTarget", fmt.Sprintf("operation %d: remove needs a path", i))
			}
		default:
			return nil, badRequest("invalidSyntax", fmt.Sprintf("operation %d: op must be add, replace or remove", i))
		}
		ops = append(ops, o)
	}
	return ops, nil
}

// deepCopy copies a JSON value.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// canonElem returns a copy of an element of the multi-valued attribute top
// with its sub-attribute names in canonical spelling; unknown ones are
// dropped.
func canonElem(top string, v any, s *schemaInfo) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badRequest("invalidValue", fmt.Sprintf("each value of %s must be an object", top))
	}
	out := map[string]any{}
	for k, x := range m {
		if c := s.canon[strings.ToLower(top+"."+k)]; c != "" {
			out[c[len(top)+1:]] = x
		}
	}
	return out, nil
}

// applyPatch applies ops to the resource r (modified in place), as RFC 7644
// §3.5.2 says. Attributes the bridge does not know (the enterprise
// extension, attributes no directory keeps) are ignored, as they are in
// POST and PUT.
func applyPatch(r map[string]any, ops []patchOp, s *schemaInfo) error {
	for _, o := range ops {
		if o.path != "" {
			if err := applyPath(r, o.op, o.path, o.value, s); err != nil {
				return err
			}
			continue
		}
		m, ok := o.value.(map[string]any)
		if !ok {
			return badRequest("invalidValue", "an operation without a path needs an object value")
		}
		// Each key is a path: an attribute, a dotted sub-attribute
		// ("name.givenName"), a filtered one
		// (`emails[type eq "work"].value`), or an extension's.
		for k, v := range m {
			if err := applyPath(r, o.op, k, v, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyPath applies one operation at a path.
func applyPath(r map[string]any, op, path string, v any, s *schemaInfo) error {
	p, err := filter.ParsePath([]byte(path))
	if err != nil {
		return badRequest("invalidPath", fmt.Sprintf("cannot parse the path %q", path))
	}
	if p.AttributePath.URIPrefix != nil && !strings.EqualFold(*p.AttributePath.URIPrefix, s.urn) {
		return nil // an extension schema: not kept
	}
	name := p.AttributePath.AttributeName
	if p.AttributePath.SubAttribute != nil {
		name += "." + *p.AttributePath.SubAttribute
	}
	c := s.canon[strings.ToLower(name)]
	if c == "" {
		return nil // an attribute the bridge does not map
	}
	if p.ValueExpression != nil {
		if strings.Contains(c, ".") || !s.multi[c] {
			return badRequest("invalidPath", fmt.Sprintf("%q: a value filter applies to a multi-valued attribute", path))
		}
		if p.SubAttribute != nil {
			sc := s.canon[strings.ToLower(c+"."+*p.SubAttribute)]
			if sc == "" {
				return badRequest("invalidPath", fmt.Sprintf("%q: unknown sub-attribute", path))
			}
			c = sc
		}
	}
	return applyAt(r, op, c, p.ValueExpression, v, s)
}

// applyAt applies one operation to the attribute c ("emails",
// "name.givenName", "emails.value"), on the elements that pass vf where
// it is set.
func applyAt(r map[string]any, op, c string, vf filter.Expression, v any, s *schemaInfo) error {
	if c == "id" {
		return badRequest("mutability", "id cannot be changed")
	}
	top, sub, hasSub := strings.Cut(c, ".")
	if op != "remove" && v == nil {
		return badRequest("invalidValue", fmt.Sprintf("%s needs a value", op))
	}
	if !s.multi[top] {
		if !hasSub {
			switch {
			case op == "remove":
				delete(r, top)
			default:
				if m, ok := v.(map[string]any); ok {
					// A complex value: set the sub-attributes given.
					for k, x := range m {
						if cc := s.canon[strings.ToLower(top+"."+k)]; cc != "" {
							if err := applyAt(r, op, cc, nil, x, s); err != nil {
								return err
							}
						}
					}
				} else {
					r[top] = v
				}
			}
			return nil
		}
		m, _ := r[top].(map[string]any)
		if m == nil {
			m = map[string]any{}
			r[top] = m
		}
		if op == "remove" {
			delete(m, sub)
		} else {
			m[sub] = v
		}
		return nil
	}
	// A multi-valued attribute.
	elems, _ := r[top].([]any)
	// A remove with a value list and no filter removes the values listed
	// (as Okta and Entra remove group members), not every value.
	var listed map[any]bool
	if op == "remove" && vf == nil && !hasSub && v != nil {
		listed = map[any]bool{}
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for _, x := range list {
			el, err := canonElem(top, x, s)
			if err != nil {
				return err
			}
			listed[el["value"]] = true
		}
	}
	var sel []int
	for i, el := range elems {
		m, _ := el.(map[string]any)
		if listed != nil {
			if listed[m["value"]] {
				sel = append(sel, i)
			}
			continue
		}
		if vf == nil {
			sel = append(sel, i)
			continue
		}
		ok, err := matchElement(vf, m, top, s)
		if err != nil {
			return badRequest("invalidFilter", err.Error())
		}
		if ok {
			sel = append(sel, i)
		}
	}
	switch {
	case op == "remove" && hasSub:
		for _, i := range sel {
			delete(elems[i].(map[string]any), sub)
		}
	case op == "remove":
		keep := elems[:0:0]
		for i, el := range elems {
			if !contains(sel, i) {
				keep = append(keep, el)
			}
		}
		if len(keep) == 0 {
			delete(r, top)
		} else {
			r[top] = keep
		}
	case hasSub:
		if len(sel) == 0 {
			// No element matches: create one from the filter's
			// equalities, e.g. emails[type eq "work"].value.
			el := map[string]any{}
			if vf != nil && !equalities(vf, el, top, s) {
				return badRequest("noTarget", fmt.Sprintf("no value of %s matches the path's filter", top))
			}
			el[sub] = v
			r[top] = append(elems, el)
			return nil
		}
		for _, i := range sel {
			elems[i].(map[string]any)[sub] = v
		}
	case vf != nil:
		nv, err := canonElem(top, v, s)
		if err != nil {
			return err
		}
		if len(sel) == 0 {
			return badRequest("noTarget", fmt.Sprintf("no value of %s matches the path's filter", top))
		}
		for _, i := range sel {
			m := elems[i].(map[string]any)
			for k, x := range nv {
				m[k] = x
			}
		}
	default:
		var add []any
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for _, x := range list {
			el, err := canonElem(top, x, s)
			if err != nil {
				return err
			}
			add = append(add, el)
		}
		if op == "replace" {
			r[top] = add
		} else {
			r[top] = append(elems, add...)
		}
	}
	return nil
}

func contains(s []int, i int) bool {
	for _, x := range s {
		if x == i {
			return true
		}
	}
	return false
}

// equalities fills el from the "eq" terms of a value filter joined by
// "and"; it reports false for a filter that is anything else.
func equalities(e filter.Expression, el map[string]any, top string, s *schemaInfo) bool {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		return x.Operator == filter.AND && equalities(x.Left, el, top, s) && equalities(x.Right, el, top, s)
	case *filter.AttributeExpression:
		c := s.canon[strings.ToLower(top+"."+x.AttributePath.AttributeName)]
		if x.Operator != filter.EQ || c == "" || x.AttributePath.SubAttribute != nil {
			return false
		}
		v := x.CompareValue
		if str, ok := v.(string); ok {
			u, err := unescape(str)
			if err != nil {
				return false
			}
			v = u
		}
		el[c[len(top)+1:]] = v
		return true
	}
	return false
}

func (t *tenant) patchUser(w http.ResponseWriter, r *http.Request, base, id string) error {
	body, err := t.readBody(w, r)
	if err != nil {
		return err
	}
	ops, err := parsePatch(body)
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
	res := deepCopy(t.userResource(cur, base)).(map[string]any)
	if err := applyPatch(res, ops, userInfo); err != nil {
		return err
	}
	// A value the patch removed is not cleared in the directory: the
	// bridge never empties a name or an address (see update).
	st, err := parseUser(res)
	if err != nil {
		return err
	}
	u, err := t.update(ctx, cur, st, false)
	if err != nil {
		return err
	}
	t.writeUser(w, r, http.StatusOK, u, base)
	return nil
}
