package bss_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
)

// addUsers stores n users whose emails are u0000@example.com, ... in order.
func addUsers(srv *bsstest.Server, n int) []string {
	var emails []string
	for i := range n {
		e := fmt.Sprintf("u%04d@example.com", i)
		srv.AddUser(bss.User{ContactDetails: bss.ContactDetails{Email: e}})
		emails = append(emails, e)
	}
	return emails
}

// pageQueries returns the offset and limit of each getAllUsers request.
func pageQueries(srv *bsstest.Server) []string {
	var out []string
	for _, r := range only(srv, "getAllUsers") {
		out = append(out, fmt.Sprintf("offset=%s limit=%s", r.Query.Get("offset"), r.Query.Get("limit")))
	}
	return out
}

func TestListUsersPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fake     []bsstest.Option
		users    int
		opts     *bss.ListUsersOptions
		stop     int // break after this many users; 0 means never
		wantN    int
		requests []string
	}{
		{"default page size", nil, 5, nil, 0, 5, []string{"offset= limit=100"}},
		{"three pages", nil, 250, &bss.ListUsersOptions{PageSize: 100}, 0, 250,
			[]string{"offset= limit=100", "offset=100 limit=100", "offset=200 limit=100"}},
		{"exact multiple ends with an empty page", nil, 20, &bss.ListUsersOptions{PageSize: 10}, 0, 20,
			[]string{"offset= limit=10", "offset=10 limit=10", "offset=20 limit=10"}},
		{"break after 15 fetches two pages", nil, 50, &bss.ListUsersOptions{PageSize: 10}, 15, 15,
			[]string{"offset= limit=10", "offset=10 limit=10"}},
		{"empty", nil, 0, nil, 0, 0, []string{"offset= limit=100"}},
		{"server ignores offset: stops at the first page without new users",
			[]bsstest.Option{bsstest.WithOffsetIgnored()}, 25, &bss.ListUsersOptions{PageSize: 10}, 0, 10,
			[]string{"offset= limit=10", "offset=10 limit=10"}},
		{"server ignores offset and limit: everything once",
			[]bsstest.Option{bsstest.WithOffsetIgnored(), bsstest.WithLimitIgnored()}, 25, &bss.ListUsersOptions{PageSize: 10}, 0, 25,
			[]string{"offset= limit=10", "offset=25 limit=10"}},
		{"server ignores limit but honours offset",
			[]bsstest.Option{bsstest.WithLimitIgnored()}, 25, &bss.ListUsersOptions{PageSize: 10}, 0, 25,
			[]string{"offset= limit=10", "offset=25 limit=10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := setup(t, tt.fake)
			emails := addUsers(srv, tt.users)
			var got []string
			for u, err := range c.ListUsers(context.Background(), tt.opts) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, u.ContactDetails.Email)
				if len(got) == tt.stop {
					break
				}
			}
			if diff := cmp.Diff(emails[:tt.wantN], got); diff != "" && tt.wantN > 0 {
				t.Errorf("users (-want +got):\n%s", diff)
			} else if tt.wantN == 0 && len(got) != 0 {
				t.Errorf("got %d users, want none", len(got))
			}
			if diff := cmp.Diff(tt.requests, pageQueries(srv)); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListUsersFilters(t *testing.T) {
	t.Parallel()
	srv, c := setup(t, nil)
	addUsers(srv, 3)
	srv.AddUser(sampleUser())
	var got []bss.User
	for u, err := range c.ListUsers(context.Background(), &bss.ListUsersOptions{Email: "jane.doe@example.com"}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u)
	}
	if diff := cmp.Diff([]bss.User{sampleUser()}, got, cmpUsers); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	want := url.Values{"email": {"jane.doe@example.com"}, "limit": {"100"}}
	if diff := cmp.Diff(want, one(t, srv, "getAllUsers").Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}
