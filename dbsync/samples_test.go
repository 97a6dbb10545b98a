package dbsync_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/dbsync"
)

// TestSamplesRoundTrip decodes every published response sample (the seed
// has none; see testdata/README.md) through the public types, checks the
// decoded values, and encodes them back to the same JSON.
func TestSamplesRoundTrip(t *testing.T) {
	t.Parallel()
	t.Run("register_response_v1.json", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, "register_response_v1.json", []dbsync.User{
			{CompanyID: "9877", UserID: "5773", UserName: "...", ErrorMessage: []string{}},
		})
	})
	t.Run("register_response.json", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, "register_response.json", []dbsync.User{
			{CompanyID: "9877", UserID: "5773", UserName: "jdoe@acme.example", ErrorMessage: []string{}},
		})
	})
	t.Run("register_response.json as License", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, "register_response.json", []dbsync.License{
			{CompanyID: "9877", UserID: "5773", UserName: "jdoe@acme.example", ErrorMessage: []string{}},
		})
	})
	t.Run("license_details_response.json", func(t *testing.T) {
		t.Parallel()
		roundTrip(t, "license_details_response.json", []dbsync.License{
			{CompanyID: "9877", CompanyName: "Acme Corp", UserID: "5773", UserName: "jdoe@acme.example", ErrorMessage: []string{}},
			{CompanyID: "9877", CompanyName: "Acme Corp", UserID: "5774", UserName: "asmith@acme.example", ErrorMessage: []string{}},
		})
	})
}

func roundTrip[T any](t *testing.T, file string, want []T) {
	t.Helper()
	raw := readFile(t, file)
	var got struct {
		Value []T `json:"value"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got.Value); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, raw, out)
}
