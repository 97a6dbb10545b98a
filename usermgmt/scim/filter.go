package scim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// maxFilterLen bounds a filter expression; identity providers send a few
// dozen characters.
const maxFilterLen = 2048

// placeholder is the attribute name a value path with a sub-attribute
// comparison stands in for while the rest of the filter is parsed.
const placeholder = "zzscimvaluepath"

// parseFilter parses a SCIM filter. Beside RFC 7644's grammar it accepts
// what Microsoft Entra ID sends, a value path followed by a sub-attribute
// comparison (emails[type eq "work"].value eq "ada@example.com"), and
// reads it as emails[type eq "work" and value eq "ada@example.com"].
func parseFilter(s string) (filter.Expression, error) {
	if len(s) > maxFilterLen {
		return nil, fmt.Errorf("the filter is longer than %d bytes", maxFilterLen)
	}
	rewritten, parts, err := extractValuePaths(s)
	if err != nil {
		return nil, err
	}
	e, err := filter.ParseFilter([]byte(rewritten))
	if err != nil {
		return nil, fmt.Errorf("cannot parse the filter %q", s)
	}
	return substitute(e, parts)
}

// extractValuePaths replaces every `attr[filter].sub op value` in s by
// `<placeholder><i> pr` and returns the value paths, parsed, in order.
func extractValuePaths(s string) (string, []filter.Expression, error) {
	var parts []filter.Expression
	var b strings.Builder
	last := 0
	open := -1 // index of the '[' of the current value path
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			j, err := skipString(s, i)
			if err != nil {
				return "", nil, err
			}
			i = j
		case c == '[':
			open = i
		case c == ']' && open >= 0 && i+1 < len(s) && s[i+1] == '.':
			start := open
			for start > 0 && !strings.ContainsRune(" ()", rune(s[start-1])) {
				start--
			}
			if start < last {
				return "", nil, fmt.Errorf("cannot parse the filter %q", s)
			}
			end, err := comparisonEnd(s, i+2)
			if err != nil {
				return "", nil, err
			}
			vp, err := filter.ParseValuePath([]byte(s[start : i+1]))
			if err != nil {
				return "", nil, fmt.Errorf("cannot parse the value path %q", s[start:i+1])
			}
			cmp, err := filter.ParseFilter([]byte(s[i+2 : end]))
			if err != nil {
				return "", nil, fmt.Errorf("cannot parse the comparison %q", s[i+2:end])
			}
			parts = append(parts, &filter.ValuePath{AttributePath: vp.AttributePath,
				ValueFilter: &filter.LogicalExpression{Left: vp.ValueFilter, Right: cmp, Operator: filter.AND}})
			b.WriteString(s[last:start])
			b.WriteString(placeholder + strconv.Itoa(len(parts)-1) + " pr")
			last, i, open = end, end-1, -1
		case c == ']':
			open = -1
		}
	}
	if parts == nil {
		return s, nil, nil
	}
	b.WriteString(s[last:])
	return b.String(), parts, nil
}

// skipString returns the index of the quote that closes the string opened
// at s[i].
func skipString(s string, i int) (int, error) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j, nil
		}
	}
	return 0, fmt.Errorf("unterminated string in the filter")
}

// comparisonEnd returns the end of `sub op value` starting at s[i].
func comparisonEnd(s string, i int) (int, error) {
	word := func(i int) int {
		for i < len(s) && !strings.ContainsRune(" ()[]\"", rune(s[i])) {
			i++
		}
		return i
	}
	spaces := func(i int) int {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		return i
	}
	i = word(i) // sub-attribute
	j := spaces(i)
	k := word(j) // operator
	if j == i || k == j {
		return 0, fmt.Errorf("a value path's sub-attribute must be followed by a comparison")
	}
	if strings.EqualFold(s[j:k], "pr") {
		return k, nil
	}
	v := spaces(k)
	if v == k || v >= len(s) {
		return 0, fmt.Errorf("a comparison needs a value")
	}
	if s[v] == '"' {
		e, err := skipString(s, v)
		return e + 1, err
	}
	return word(v), nil
}

// substitute puts the value paths back in place of their placeholders.
func substitute(e filter.Expression, parts []filter.Expression) (filter.Expression, error) {
	if parts == nil {
		return e, nil
	}
	switch x := e.(type) {
	case *filter.AttributeExpression:
		if n, ok := strings.CutPrefix(x.AttributePath.AttributeName, placeholder); ok {
			i, err := strconv.Atoi(n)
			if err != nil || i >= len(parts) {
				return nil, fmt.Errorf("cannot parse the filter")
			}
			return parts[i], nil
		}
	case *filter.LogicalExpression:
		l, err := substitute(x.Left, parts)
		if err != nil {
			return nil, err
		}
		r, err := substitute(x.Right, parts)
		if err != nil {
			return nil, err
		}
		return &filter.LogicalExpression{Left: l, Right: r, Operator: x.Operator}, nil
	case *filter.NotExpression:
		in, err := substitute(x.Expression, parts)
		if err != nil {
			return nil, err
		}
		return &filter.NotExpression{Expression: in}, nil
	}
	return e, nil
}

// filterError is a filter that parses but names an attribute or an
// operator the bridge cannot evaluate.
type filterError struct{ msg string }

func (e *filterError) Error() string { return e.msg }

// match reports whether the resource r passes e; s says which attributes
// a filter may name.
func match(e filter.Expression, r map[string]any, s *schemaInfo) (bool, error) {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		l, err := match(x.Left, r, s)
		if err != nil {
			return false, err
		}
		if x.Operator == filter.AND && !l {
			// Still check the right side, so that an unsupported
			// attribute is reported whatever the data.
			if _, err := match(x.Right, r, s); err != nil {
				return false, err
			}
			return false, nil
		}
		if x.Operator == filter.OR && l {
			if _, err := match(x.Right, r, s); err != nil {
				return false, err
			}
			return true, nil
		}
		return match(x.Right, r, s)
	case *filter.NotExpression:
		m, err := match(x.Expression, r, s)
		return !m, err
	case *filter.ValuePath:
		name, err := s.attrName(x.AttributePath, false)
		if err != nil {
			return false, err
		}
		elems, _ := r[name].([]any)
		for _, el := range elems {
			m, _ := el.(map[string]any)
			ok, err := matchElement(x.ValueFilter, m, name, s)
			if err != nil {
				return false, err
			}
			if ok {
				return true, nil
			}
		}
		if len(elems) == 0 {
			// Validate the sub-filter even when there is nothing to test.
			if _, err := matchElement(x.ValueFilter, map[string]any{}, name, s); err != nil {
				return false, err
			}
		}
		return false, nil
	case *filter.AttributeExpression:
		name, err := s.attrName(x.AttributePath, true)
		if err != nil {
			return false, err
		}
		top, sub, _ := strings.Cut(name, ".")
		var values []any
		switch v := r[top].(type) {
		case []any:
			if sub == "" {
				sub = "value"
			}
			for _, el := range v {
				if m, ok := el.(map[string]any); ok {
					if sv, ok := m[sub]; ok {
						values = append(values, sv)
					}
				}
			}
		case map[string]any:
			if sv, ok := v[sub]; ok && sub != "" {
				values = append(values, sv)
			}
		case nil:
		default:
			if sub == "" {
				values = append(values, v)
			}
		}
		return compareAny(values, x.Operator, x.CompareValue, s.caseExact[name])
	}
	return false, &filterError{"unsupported filter expression"}
}

// matchElement evaluates a value filter on one element of a multi-valued
// attribute.
func matchElement(e filter.Expression, el map[string]any, parent string, s *schemaInfo) (bool, error) {
	switch x := e.(type) {
	case *filter.LogicalExpression:
		l, err := matchElement(x.Left, el, parent, s)
		if err != nil {
			return false, err
		}
		r, err := matchElement(x.Right, el, parent, s)
		if err != nil {
			return false, err
		}
		if x.Operator == filter.AND {
			return l && r, nil
		}
		return l || r, nil
	case *filter.NotExpression:
		m, err := matchElement(x.Expression, el, parent, s)
		return !m, err
	case *filter.AttributeExpression:
		if x.AttributePath.URIPrefix != nil || x.AttributePath.SubAttribute != nil {
			return false, &filterError{fmt.Sprintf("unsupported attribute %q in a value filter", x.AttributePath.String())}
		}
		full, ok := s.canon[strings.ToLower(parent+"."+x.AttributePath.AttributeName)]
		if !ok {
			return false, &filterError{fmt.Sprintf("unsupported attribute %q in a value filter of %s", x.AttributePath.AttributeName, parent)}
		}
		_, sub, _ := strings.Cut(full, ".")
		var values []any
		if v, ok := el[sub]; ok {
			values = append(values, v)
		}
		return compareAny(values, x.Operator, x.CompareValue, s.caseExact[full])
	}
	return false, &filterError{"unsupported value filter"}
}

// compareAny reports whether any of values compares true with want.
func compareAny(values []any, op filter.CompareOperator, want any, caseExact bool) (bool, error) {
	if op == filter.PR {
		for _, v := range values {
			if v != nil && v != "" {
				return true, nil
			}
		}
		return false, nil
	}
	if s, ok := want.(string); ok {
		// The parser keeps a string's escapes; JSON's are SCIM's.
		var u string
		if err := json.Unmarshal([]byte(`"`+s+`"`), &u); err != nil {
			return false, &filterError{"invalid string in the filter"}
		}
		want = u
	}
	for _, v := range values {
		ok, err := compare(v, op, want, caseExact)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func compare(v any, op filter.CompareOperator, want any, caseExact bool) (bool, error) {
	switch w := want.(type) {
	case bool:
		b, ok := v.(bool)
		switch op {
		case filter.EQ:
			return ok && b == w, nil
		case filter.NE:
			return !ok || b != w, nil
		}
		return false, &filterError{fmt.Sprintf("operator %q does not apply to a boolean", op)}
	case string:
		sv, ok := v.(string)
		if !ok {
			if b, isBool := v.(bool); isBool {
				// "active eq \"False\"": a boolean written as a string.
				pb, err := strconv.ParseBool(strings.ToLower(w))
				if err == nil && (op == filter.EQ || op == filter.NE) {
					return (b == pb) == (op == filter.EQ), nil
				}
			}
			return op == filter.NE, nil
		}
		if !caseExact {
			sv, w = strings.ToLower(sv), strings.ToLower(w)
		}
		switch op {
		case filter.EQ:
			return sv == w, nil
		case filter.NE:
			return sv != w, nil
		case filter.CO:
			return strings.Contains(sv, w), nil
		case filter.SW:
			return strings.HasPrefix(sv, w), nil
		case filter.EW:
			return strings.HasSuffix(sv, w), nil
		case filter.GT:
			return sv > w, nil
		case filter.GE:
			return sv >= w, nil
		case filter.LT:
			return sv < w, nil
		case filter.LE:
			return sv <= w, nil
		}
	case nil:
		switch op {
		case filter.EQ:
			return v == nil, nil
		case filter.NE:
			return v != nil, nil
		}
	}
	return false, &filterError{fmt.Sprintf("unsupported comparison %s %v", op, want)}
}
