package dbsync_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func TestLicenseDetails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		filter   dbsync.LicenseFilter
		wantBody map[string]any
		want     []string // user names
	}{
		{name: "all", filter: dbsync.LicenseFilter{}, wantBody: creds(),
			want: []string{"jdoe", "asmith", "gwhite"}},
		{name: "company", filter: dbsync.LicenseFilter{Company: "Acme Corp"},
			wantBody: body(map[string]any{"endUserCompany": "Acme Corp"}), want: []string{"jdoe", "asmith"}},
		{name: "company and user", filter: dbsync.LicenseFilter{Company: "Acme Corp", UserName: "asmith"},
			wantBody: body(map[string]any{"endUserCompany": "Acme Corp", "endUserName": "asmith"}), want: []string{"asmith"}},
		{name: "user only", filter: dbsync.LicenseFilter{UserName: "gwhite"},
			wantBody: body(map[string]any{"endUserName": "gwhite"}), want: []string{"gwhite"}},
		{name: "no match", filter: dbsync.LicenseFilter{Company: "Initech"},
			wantBody: body(map[string]any{"endUserCompany": "Initech"}), want: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, nil)
			all := map[string]dbsync.License{}
			for _, s := range [][2]string{{"Acme Corp", "jdoe"}, {"Acme Corp", "asmith"}, {"Globex", "gwhite"}} {
				all[s[1]] = srv.AddUser(dbsync.License{CompanyName: s[0], UserName: s[1]})
			}
			got, err := c.LicenseDetails(context.Background(), tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			checkWire(t, srv, "licenseDetails", tt.wantBody)
			want := []dbsync.License{}
			for _, n := range tt.want {
				want = append(want, all[n])
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if len(got) > 0 && (got[0].CompanyID == "" || got[0].UserID == "" || got[0].LicenseStatus != "Active") {
				t.Errorf("decoded item lacks fields: %+v", got[0])
			}
		})
	}
}

func TestLicensesIterator(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "jdoe"})
	srv.AddUser(dbsync.License{CompanyName: "Acme Corp", UserName: "asmith"})
	seq := c.Licenses(context.Background(), dbsync.LicenseFilter{Company: "Acme Corp"})
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests before the loop started, want 0", n)
	}
	got, err := usermgmt.Collect(seq)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(srv.Users(), got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for range seq {
		break // stopping early is fine
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("requests = %d, want one per loop", n)
	}
}

// TestLicenseKeepsUnknownFields checks that fields License does not model
// (the license fields are Assumed) survive decoding and encoding.
func TestLicenseKeepsUnknownFields(t *testing.T) {
	t.Parallel()
	in := `{"companyId":"9877","userId":"5773","userName":"jdoe","licenseStatus":"Active","seats":{"used":3},"validUntil":"2026-01-01","errorMessage":[]}`
	var l dbsync.License
	if err := json.Unmarshal([]byte(in), &l); err != nil {
		t.Fatal(err)
	}
	want := dbsync.License{CompanyID: "9877", UserID: "5773", UserName: "jdoe", LicenseStatus: "Active", ErrorMessage: []string{},
		Extra: map[string]json.RawMessage{"seats": json.RawMessage(`{"used":3}`), "validUntil": json.RawMessage(`"2026-01-01"`)}}
	if diff := cmp.Diff(want, l); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, []byte(in), out)
}

func assertSameJSON(t *testing.T, want, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("JSON differs (-want +got):\n%s", diff)
	}
}
