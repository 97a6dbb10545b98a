package scim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// searchSchema is the schema of a query by POST (RFC 7644 section 3.4.3).
const searchSchema = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"

// searchQuery reads the body of a POST to .search, a SearchRequest, as the
// query parameters of the same search by GET: filter, startIndex, count,
// attributes, excludedAttributes and sortBy (refused as by GET). Members
// are matched without regard to case; unknown ones are ignored.
func (t *tenant) searchQuery(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	body, err := t.readBody(w, r)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	schemaOK := false
	for k, v := range body {
		param, kind := searchParam(strings.ToLower(k))
		switch kind {
		case 's': // schemas
			list, _ := v.([]any)
			for _, s := range list {
				if s, _ := s.(string); strings.EqualFold(s, searchSchema) {
					schemaOK = true
				}
			}
		case 't': // text
			s, ok := v.(string)
			if !ok {
				return nil, badRequest("invalidValue", k+" must be a string")
			}
			q.Set(param, s)
		case 'n': // number
			n, ok := v.(float64)
			if !ok || n != float64(int64(n)) {
				return nil, badRequest("invalidValue", k+" must be an integer")
			}
			q.Set(param, strconv.FormatInt(int64(n), 10))
		case 'l': // list of attribute names
			list, ok := v.([]any)
			names := make([]string, 0, len(list))
			for _, a := range list {
				s, isText := a.(string)
				ok = ok && isText
				names = append(names, s)
			}
			if !ok {
				return nil, badRequest("invalidValue", k+" must be a list of attribute names")
			}
			q.Set(param, strings.Join(names, ","))
		}
	}
	if !schemaOK {
		return nil, badRequest("invalidSyntax", "a search by POST is a "+searchSchema+": its schemas must name it")
	}
	return q, nil
}

// searchParam returns the query parameter a SearchRequest member (its name
// in lower case) stands for, and its kind: 's' the schemas, 't' text, 'n'
// an integer, 'l' a list of attribute names, 0 a member the search ignores.
func searchParam(lower string) (string, byte) {
	switch lower {
	case "schemas":
		return "", 's'
	case "filter":
		return "filter", 't'
	case "sortby":
		return "sortBy", 't'
	case "sortorder":
		return "sortOrder", 't'
	case "startindex":
		return "startIndex", 'n'
	case "count":
		return "count", 'n'
	case "attributes":
		return "attributes", 'l'
	case "excludedattributes":
		return "excludedAttributes", 'l'
	}
	return "", 0
}
