package scim

import "testing"

// TestFilterForms evaluates filters, Entra's value-path comparisons among
// them, on one resource.
func TestFilterForms(t *testing.T) {
	r := map[string]any{
		"id": "42", "userName": "ada@example.com", "active": true,
		"name":   map[string]any{"givenName": "Ada", "familyName": "Lovelace"},
		"emails": []any{map[string]any{"value": "ada@example.com", "type": "work", "primary": true}},
	}
	for f, want := range map[string]bool{
		`emails[type eq "work"].value eq "ada@example.com"`:                        true,
		`emails[type eq "work"].value eq "ADA@example.com"`:                        true,
		`emails[type eq "home"].value eq "ada@example.com"`:                        false,
		`emails[type eq "work"].value eq "x" or userName eq "ada@example.com"`:     true,
		`(emails[type eq "work"].value eq "ada@example.com")`:                      true,
		`not (emails[type eq "work"].value eq "ada@example.com")`:                  false,
		`emails[type eq "work" or type eq "home"].value sw "ada"`:                  true,
		`emails[type eq "work"].value pr and active eq true`:                       true,
		`userName eq "a].value eq \"b"`:                                            false,
		`emails[value eq "x]"].type eq "work"`:                                     false,
		`userName eq "ada@example.com" and emails[type eq "work"].primary eq true`: true,
		`name.givenName eq "Ada" and name.familyName co "love"`:                    true,
		`id eq "42"`:                          true,
		`active eq "False"`:                   false,
		`active ne false`:                     true,
		`userName gt "a" and userName lt "b"`: true,
		`emails[type eq "work"].value eq "ada@example.com" and emails[type eq "work"].value ew ".com"`: true,
	} {
		e, err := parseFilter(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		got, err := match(e, r, userInfo)
		if err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", f, got, err, want)
		}
	}
	for _, f := range []string{`emails[type eq "work"].value`, `emails[type eq "work"].value eq`, `emails[type eq "work"]. eq "x"`, `userName eq "unterminated`, `emails[type eq "work"].colour eq "red"`} {
		e, err := parseFilter(f)
		if err == nil {
			_, err = match(e, r, userInfo)
		}
		if err == nil {
			t.Errorf("%s: accepted", f)
		}
	}
}
