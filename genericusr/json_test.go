package genericusr_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/usermgmt"
)

var cmpSecrets = cmp.Comparer(func(a, b usermgmt.Secret) bool { return a.Reveal() == b.Reveal() })

// cmpEncodedSecrets also equates a secret with "[REDACTED]", the form a
// usermgmt.Secret encodes to.
var cmpEncodedSecrets = cmp.Comparer(func(a, b usermgmt.Secret) bool {
	const red = "[REDACTED]"
	return a == b || (a != "" && b == red) || (b != "" && a == red)
})

// roundTrip decodes sample into a new T, checks it against want, encodes it
// and decodes it again, and checks that nothing changed but passwords,
// which encode as "[REDACTED]".
func roundTrip[T any](t *testing.T, sample []byte, want T) {
	t.Helper()
	var first T
	if err := json.Unmarshal(sample, &first); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, first, cmpSecrets); diff != "" {
		t.Fatalf("decoded sample differs (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(first)
	if err != nil {
		t.Fatal(err)
	}
	var again T
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	if diff := cmp.Diff(first, again, cmpEncodedSecrets); diff != "" {
		t.Errorf("round trip through %s changed the value (-first +second):\n%s", b, diff)
	}
}

func TestSeedSamplesDecodeAndRoundTrip(t *testing.T) {
	t.Parallel()
	t.Run("add_user_request.json", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, readFile(t, "add_user_request.json"), genericusr.AddUserInput{
			ContactName: "John Doe", EmailAddress: "jhn.doe@example.com", DefaultAccountID: 1,
			Username: "test", Password: "test",
		})
	})
	t.Run("modify_user_request.json", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, readFile(t, "modify_user_request.json"), genericusr.ModifyUserInput{
			ContactName: ptr("John Doe modified"), EmailAddress: ptr("john.doe@example.com"),
			DefaultAccountID: ptr(int64(1)), Username: ptr("test"), Password: ptr(usermgmt.Secret("test")),
			Active: ptr(false),
		})
	})
	t.Run("user_response.json", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, readFile(t, "user_response.json"), genericusr.User{
			ID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com", Username: "test",
			DefaultAccountID: 2, Active: true,
		})
	})
	t.Run("user list", func(t *testing.T) {
		t.Parallel()
		list := "[" + string(readFile(t, "user_response.json")) + "]"
		roundTrip(t, []byte(list), []genericusr.User{{
			ID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com", Username: "test",
			DefaultAccountID: 2, Active: true,
		}})
	})
}

func TestEncodedInputsHideThePassword(t *testing.T) {
	t.Parallel()
	for _, v := range []any{
		genericusr.AddUserInput{Username: "u", Password: "canary-pw"},
		genericusr.ModifyUserInput{Password: ptr(usermgmt.Secret("canary-pw"))},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "canary-pw") || !strings.Contains(string(b), `"password":"[REDACTED]"`) {
			t.Errorf("%T encodes as %s", v, b)
		}
	}
}

func TestNumbersAndNumericStringsDecodeAlike(t *testing.T) {
	t.Parallel()
	want := genericusr.User{ID: 21, DefaultAccountID: 2, Active: true}
	for _, sample := range []string{
		`{"userId":"21","defaultAccountId":"2","active":"1"}`,
		`{"userId":21,"defaultAccountId":2,"active":1}`,
		`{"userId":" 21 ","defaultAccountId":"2","active":true,"password":null}`,
		`{"userId":21,"defaultAccountId":"2","active":"1","contactName":null,"comments":"ignored"}`,
	} {
		t.Run(sample, func(t *testing.T) {
			t.Parallel()
			var got genericusr.User
			if err := json.Unmarshal([]byte(sample), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNullsAndEmptiesDecodeAsZero(t *testing.T) {
	t.Parallel()
	for _, sample := range []string{
		`{"userId":null,"defaultAccountId":null,"active":null,"contactName":null,"password":null}`,
		`{"userId":"","defaultAccountId":"","active":"0"}`,
		`{"active":0}`,
		`{}`,
	} {
		t.Run(sample, func(t *testing.T) {
			t.Parallel()
			var got genericusr.User
			if err := json.Unmarshal([]byte(sample), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(genericusr.User{}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadNumbersAreDecodingErrors(t *testing.T) {
	t.Parallel()
	for _, sample := range []string{
		`{"userId":"abc"}`,
		`{"userId":1.5}`,
		`{"userId":"99999999999999999999"}`,
		`{"active":"yes"}`,
		`{"defaultAccountId":{}}`,
	} {
		t.Run(sample, func(t *testing.T) {
			t.Parallel()
			var got genericusr.User
			if err := json.Unmarshal([]byte(sample), &got); err == nil {
				t.Errorf("decoded %s as %+v, want an error", sample, got)
			}
		})
	}
}

func TestModifyUserInputNullsStayUnset(t *testing.T) {
	t.Parallel()
	var got genericusr.ModifyUserInput
	if err := json.Unmarshal([]byte(`{"contactName":"X","emailAddress":null,"active":null,"defaultAccountId":null}`), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(genericusr.ModifyUserInput{ContactName: ptr("X")}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"contactName":"X"}` {
		t.Errorf("encoded %s, want only the field that is set", b)
	}
}
