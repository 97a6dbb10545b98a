package genericusr

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// flexInt is an int64 as the Revive Adserver API writes it: a JSON number
// (21), a JSON string of decimal digits ("21"), or null (0). Responses carry
// every number as a string; requests may send either form.
type flexInt int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *flexInt) UnmarshalJSON(b []byte) error {
	v, err := parseFlexInt(b)
	if err != nil {
		return err
	}
	*n = flexInt(v)
	return nil
}

// MarshalJSON writes a JSON number.
func (n flexInt) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(n), 10), nil
}

// flexBool is a 0/1 flag as the API writes it: 1, "1", 0, "0", null (false),
// and, to be lenient, true and false. Any integer other than 0 is true, as in
// the PHP server behind the API.
type flexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "true", `"true"`:
		*f = true
		return nil
	case "false", `"false"`:
		*f = false
		return nil
	}
	v, err := parseFlexInt(b)
	if err != nil {
		return err
	}
	*f = v != 0
	return nil
}

// MarshalJSON writes 1 or 0, the API's form of the flag.
func (f flexBool) MarshalJSON() ([]byte, error) {
	if f {
		return []byte("1"), nil
	}
	return []byte("0"), nil
}

var errNotInteger = errors.New("genericusr: not an integer, a string of decimal digits, or null")

// parseFlexInt reads a JSON number, a JSON string holding an integer, an
// empty string or null. Its errors never quote the value.
func parseFlexInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return 0, errNotInteger
	case string(b) == "null":
		return 0, nil
	case b[0] == '"':
		if inner := b[1:]; len(inner) > 0 && inner[len(inner)-1] == '"' && bytes.IndexByte(inner, '\\') < 0 {
			b = inner[:len(inner)-1] // no escapes: the string is its own content
		} else {
			var s string
			if err := json.Unmarshal(b, &s); err != nil {
				return 0, errNotInteger
			}
			b = []byte(s)
		}
		if b = bytes.TrimSpace(b); len(b) == 0 {
			return 0, nil // PHP servers write an unset number as ""
		}
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, errNotInteger
	}
	return v, nil
}
