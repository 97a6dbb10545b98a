//lint:file-ignore SA1019 the deprecated legacy BSS client carries passwords too and is checked on purpose

package secretcheck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// Passwords given to users through the facade; every provider's test uses
// them, so each is a canary everywhere.
const (
	facadePassword    = `CANARY "facade-password-0a1b <&> \`
	facadeNewPassword = `CANARY "facade-new-password-2c3d <&> \`
)

// directoryCases are the cases of a Directory adapter, the same for every
// provider. seed stores a user in the fake and returns its Directory id and
// natural key; role is a role name the provider knows.
func directoryCases(h *harness, seed func() (id, key string), role string) map[string]op[*usermgmt.Directory] {
	type D = *usermgmt.Directory
	input := func() usermgmt.CreateUserInput {
		email := fmt.Sprintf("facade-%d@example.com", h.next())
		return usermgmt.CreateUserInput{Username: email, Email: email, Name: "Facade User", Password: facadePassword}
	}
	return map[string]op[D]{
		"Provider":     func(_ context.Context, d D) (any, error) { return d.Provider(), nil },
		"Capabilities": func(_ context.Context, d D) (any, error) { return d.Capabilities(), nil },
		"Format":       func(_ context.Context, d D) (any, error) { return fmt.Sprintf("%v %+v %#v", d, d, d), nil },
		"CreateUser": func(ctx context.Context, d D) (any, error) {
			in := input()
			u, err := d.CreateUser(ctx, in)
			return []any{in, u}, err
		},
		"GetUser": func(ctx context.Context, d D) (any, error) {
			id, _ := seed()
			return d.GetUser(ctx, id)
		},
		"FindUser": func(ctx context.Context, d D) (any, error) {
			_, key := seed()
			return d.FindUser(ctx, key)
		},
		"ListUsers": func(ctx context.Context, d D) (any, error) {
			seed()
			return usermgmt.Collect(d.ListUsers(ctx, &usermgmt.ListOptions{PageSize: 2}))
		},
		"UpdateUser": func(ctx context.Context, d D) (any, error) {
			id, _ := seed()
			pw := usermgmt.Secret(facadeNewPassword)
			in := usermgmt.UpdateUserInput{Name: ptr("Renamed User"), Password: &pw}
			u1, err1 := d.UpdateUser(ctx, id, in)
			u2, err2 := d.UpdateUser(ctx, id, usermgmt.UpdateUserInput{Name: ptr("Renamed Again")})
			return []any{in, u1, err1, u2}, errors.Join(err1, err2)
		},
		"SetActive": func(ctx context.Context, d D) (any, error) {
			id, _ := seed()
			u1, err1 := d.SetActive(ctx, id, false)
			u2, err2 := d.SetActive(ctx, id, true)
			return []any{u1, err1, u2}, errors.Join(err1, err2)
		},
		"DeleteUser": func(ctx context.Context, d D) (any, error) {
			id, _ := seed()
			return nil, d.DeleteUser(ctx, id)
		},
		"SetRoles": func(ctx context.Context, d D) (any, error) {
			id, _ := seed()
			return d.SetRoles(ctx, id, []string{role})
		},
		"Provision": func(ctx context.Context, d D) (any, error) {
			_, key := seed()
			users := []usermgmt.CreateUserInput{input(), input(), {Username: key, Email: key, Name: "Existing User", Password: facadePassword}}
			return usermgmt.Provision(ctx, d, users, &usermgmt.ProvisionOptions{Concurrency: 2, UpdateExisting: true})
		},
	}
}

// directoryExtra are the directory cases that are not methods of the
// Directory type.
var directoryExtra = []string{"Provision"}

func TestSyncari(t *testing.T) {
	t.Parallel()
	const (
		clientSecret = `CANARY-syncari-client-secret-11aa"<&>\`
		wrongSecret  = `CANARY-syncari-wrong-secret-22bb"<&>\`
		wrongToken   = `CANARY-syncari-wrong-token-33cc"<&>\`
	)
	h := newHarness(t, clientSecret, wrongSecret, wrongToken, facadePassword, facadeNewPassword)
	srv := syncaritest.NewServer(syncaritest.WithCredentials("syncari-canary-client", clientSecret), syncaritest.WithPageSize(2))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	main := must(syncari.New(cfg, h.options()...))
	// staticClient returns a client with a static Token the fake accepts,
	// freshly issued: the conditions that expire tokens end every run.
	staticClient := func() *syncari.Client {
		tok := must(must(syncari.New(cfg)).Token(context.Background()))
		h.addCanary(tok.AccessToken.Reveal())
		c := syncari.Config{BaseURL: srv.URL, Token: tok.AccessToken, InstanceID: syncaritest.InstanceID}
		h.keep("syncari static config", c)
		return must(syncari.New(c, h.options()...))
	}
	static := syncari.Config{BaseURL: srv.URL, Token: "static-token-placeholder", InstanceID: syncaritest.InstanceID}
	wrong, wrongStatic := cfg, static
	wrong.ClientSecret, wrongStatic.Token = wrongSecret, wrongToken
	shape := func(e string) any {
		return map[string]any{"success": false, "requestId": e, "message": e, "code": e, "errors": []any{e, map[string]any{"message": e}},
			"error": e, "error_description": e}
	}
	configs := map[string]syncari.Config{"main": cfg, "wrong": wrong, "wrongStatic": wrongStatic}
	for key, status := range map[string]int{"echo400": 400, "echo200": 200, "echo503": 503} {
		e := cfg
		e.BaseURL, e.TokenURL = echoServer(t, status, shape), ""
		configs[key] = e
	}
	clients := map[string]*syncari.Client{"main": main, "alt": staticClient()}
	dirs := map[string]*usermgmt.Directory{}
	for key, c := range configs {
		h.keep("syncari config "+key, c)
		if clients[key] == nil {
			clients[key] = must(syncari.New(c, h.options()...))
		}
		if key != "alt" {
			dirs[key] = must(syncari.NewDirectory(clients[key], syncari.DirectoryConfig{}, settle))
		}
		h.keep("syncari client "+key, clients[key])
		h.keep("syncari directory "+key, dirs[key])
	}
	seed := func() (string, string) {
		email := fmt.Sprintf("seed-%d@example.com", h.next())
		u := srv.AddUser(syncari.User{Email: email, Status: syncari.StatusActive, Roles: syncari.Roles{syncaritest.InstanceID: {"Viewer"}}})
		return u.ID, email
	}
	id := func() string { id, _ := seed(); return id }
	cases := map[string]op[*syncari.Client]{
		"CreateUser": func(ctx context.Context, c *syncari.Client) (any, error) {
			u, err := c.CreateUser(ctx, syncari.CreateUserInput{Email: fmt.Sprintf("api-%d@example.com", h.next()), APIUser: true,
				Roles: syncari.Roles{syncaritest.InstanceID: {"Viewer"}}})
			if u != nil {
				h.addCanary(u.ClientSecret.Reveal()) // the API user's secret, handed out by the server
			}
			return u, err
		},
		"ActivateUser":   func(ctx context.Context, c *syncari.Client) (any, error) { return c.ActivateUser(ctx, id()) },
		"DeactivateUser": func(ctx context.Context, c *syncari.Client) (any, error) { return c.DeactivateUser(ctx, id()) },
		"ListUsersPage":  func(ctx context.Context, c *syncari.Client) (any, error) { return c.ListUsersPage(ctx, "", nil) },
		"ListUsers": func(ctx context.Context, c *syncari.Client) (any, error) {
			return usermgmt.Collect(c.ListUsers(ctx, &syncari.ListUsersOptions{PageSize: 2}))
		},
		"ListRoles": func(ctx context.Context, c *syncari.Client) (any, error) { return c.ListRoles(ctx) },
		"SetUserRoles": func(ctx context.Context, c *syncari.Client) (any, error) {
			return c.SetUserRoles(ctx, id(), syncari.Roles{syncaritest.InstanceID: {"Viewer", "Org Admin"}})
		},
		"RemoveUserRole": func(ctx context.Context, c *syncari.Client) (any, error) {
			return c.RemoveUserRole(ctx, id(), "role-4")
		},
		"Token": func(ctx context.Context, c *syncari.Client) (any, error) {
			tok, err := c.Token(ctx)
			if tok != nil {
				h.addCanary(tok.AccessToken.Reveal())
			}
			return tok, err
		},
		"WithInstanceID": func(ctx context.Context, c *syncari.Client) (any, error) {
			other := c.WithInstanceID("OTHER1")
			roles, err := other.ListRoles(ctx)
			return []any{other, roles}, err
		},
		"InstanceID": func(_ context.Context, c *syncari.Client) (any, error) { return c.InstanceID(), nil },
		"Format": func(_ context.Context, c *syncari.Client) (any, error) {
			return fmt.Sprintf("%v %+v %#v %s", c, c, c, c), nil
		},
	}
	conds := append(conditions(),
		condition{name: "wrong static token", client: "wrongStatic"},
		condition{name: "token expired", client: "main", arm: srv.ExpireTokens},
		condition{name: "token endpoint fails", client: "main", arm: srv.ExpireTokens,
			fault: &usermgmttest.Fault{Kind: usermgmttest.Fail, Operation: "getToken", Status: 500, Times: always}},
	)
	exercise(h, srv.FakeServer(), reflect.TypeFor[*syncari.Client](), clients, cases, nil, conds)
	dirs["alt"] = must(syncari.NewDirectory(staticClient(), syncari.DirectoryConfig{}))
	exercise(h, srv.FakeServer(), reflect.TypeFor[*usermgmt.Directory](), dirs, directoryCases(h, seed, "Viewer"), directoryExtra, conds)

	for _, bad := range []syncari.Config{
		{BaseURL: "http://user:" + clientSecret + "@api.example.com", ClientID: "x", ClientSecret: clientSecret},
		{BaseURL: srv.URL, ClientID: "x", ClientSecret: clientSecret, Token: wrongToken},
		{BaseURL: srv.URL, ClientSecret: clientSecret},
		{BaseURL: "https://api.example.com/?key=" + clientSecret, Token: wrongToken},
		{BaseURL: srv.URL, TokenURL: "https://u:" + clientSecret + "@token.example.com", ClientID: "x", ClientSecret: clientSecret},
	} {
		h.call("syncari.New", func() (any, error) { return syncari.New(bad, h.options()...) })
	}
	checkRan(t, h)
}

func TestDBSync(t *testing.T) {
	t.Parallel()
	const (
		key        = `CANARY-dbsync-partner-key-44dd"<&>\`
		token      = `CANARY-dbsync-partner-token-55ee"<&>\`
		wrongToken = `CANARY-dbsync-wrong-token-66ff"<&>\`
		company    = "Canary Corp"
	)
	h := newHarness(t, key, token, wrongToken, facadePassword, facadeNewPassword)
	srv := dbsynctest.NewServer(dbsynctest.WithCredentials(key, token))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	wrong := cfg
	wrong.PartnerAppToken = wrongToken
	shape := func(e string) any {
		return map[string]any{"value": []any{map[string]any{"errorMessage": []string{e, e}}}, "message": e, "error": e}
	}
	configs := map[string]dbsync.Config{"main": cfg, "alt": cfg, "wrong": wrong}
	for k, status := range map[string]int{"echo400": 400, "echo200": 200, "echo503": 503} {
		e := cfg
		e.BaseURL = echoServer(t, status, shape)
		configs[k] = e
	}
	clients := map[string]*dbsync.Client{}
	dirs := map[string]*usermgmt.Directory{}
	for k, c := range configs {
		var extra []usermgmt.Option
		if k == "alt" {
			extra = append(extra, usermgmt.WithHTTPClient(&http.Client{}))
		}
		clients[k] = must(dbsync.New(c, h.options(extra...)...))
		dirs[k] = must(dbsync.NewDirectory(clients[k], dbsync.DirectoryConfig{Company: company}, settle))
		h.keep("dbsync config "+k, c)
		h.keep("dbsync client "+k, clients[k])
		h.keep("dbsync directory "+k, dirs[k])
	}
	seed := func() (string, string) {
		name := fmt.Sprintf("seed-%d@example.com", h.next())
		srv.AddUser(dbsync.License{CompanyName: company, UserName: name})
		return name, name
	}
	user := func() dbsync.EndUser { name, _ := seed(); return dbsync.EndUser{Company: company, UserName: name} }
	cases := map[string]op[*dbsync.Client]{
		"RegisterUser": func(ctx context.Context, c *dbsync.Client) (any, error) {
			return c.RegisterUser(ctx, dbsync.EndUser{Company: company, UserName: fmt.Sprintf("new-%d", h.next())})
		},
		"UnregisterUser":   func(ctx context.Context, c *dbsync.Client) (any, error) { return nil, c.UnregisterUser(ctx, user()) },
		"AuthenticateUser": func(ctx context.Context, c *dbsync.Client) (any, error) { return c.AuthenticateUser(ctx, user()) },
		"LicenseDetails": func(ctx context.Context, c *dbsync.Client) (any, error) {
			return c.LicenseDetails(ctx, dbsync.LicenseFilter{Company: company})
		},
		"Licenses": func(ctx context.Context, c *dbsync.Client) (any, error) {
			return usermgmt.Collect(c.Licenses(ctx, dbsync.LicenseFilter{}))
		},
		"BaseURL": func(_ context.Context, c *dbsync.Client) (any, error) { return c.BaseURL(), nil },
		"Format": func(_ context.Context, c *dbsync.Client) (any, error) {
			return fmt.Sprintf("%v %+v %#v %s", c, c, c, *c), nil
		},
	}
	conds := conditions()
	exercise(h, srv.FakeServer(), reflect.TypeFor[*dbsync.Client](), clients, cases, nil, conds)
	exercise(h, srv.FakeServer(), reflect.TypeFor[*usermgmt.Directory](), dirs, directoryCases(h, seed, "Admin"), directoryExtra, conds)

	for _, bad := range []dbsync.Config{
		{BaseURL: "http://u:" + token + "@partner.example.com", PartnerAppKey: key, PartnerAppToken: token},
		{BaseURL: srv.URL, PartnerAppKey: key},
		{BaseURL: srv.URL, Environment: "staging", PartnerAppKey: key, PartnerAppToken: token},
		{Environment: token + "/", PartnerAppKey: key, PartnerAppToken: token},
		{Version: token + "?", PartnerAppKey: key, PartnerAppToken: token},
	} {
		h.call("dbsync.New", func() (any, error) { return dbsync.New(bad, h.options()...) })
	}
	checkRan(t, h)
}

func TestGenericusr(t *testing.T) {
	t.Parallel()
	const (
		password      = `CANARY "revive-basic-password-77aa <&> \`
		wrongPassword = `CANARY "revive-wrong-password-88bb <&> \`
		userPassword  = `CANARY "revive-user-password-99cc <&> \`
		newPassword   = `CANARY "revive-new-password-00dd <&> \`
	)
	h := newHarness(t, password, wrongPassword, userPassword, newPassword, facadePassword, facadeNewPassword)
	srv := genericusrtest.NewServer(genericusrtest.WithCredentials("revive-admin", password))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	alt := cfg
	alt.UsePUT, alt.ContentType = true, genericusr.ContentTypeJSON
	wrong := cfg
	wrong.Password = wrongPassword
	shape := func(e string) any { return map[string]any{"error": map[string]any{"type": e, "message": e}} }
	configs := map[string]genericusr.Config{"main": cfg, "alt": alt, "wrong": wrong}
	for k, status := range map[string]int{"echo400": 400, "echo200": 200, "echo503": 503} {
		e := cfg
		e.BaseURL = echoServer(t, status, shape)
		configs[k] = e
	}
	clients := map[string]*genericusr.Client{}
	dirs := map[string]*usermgmt.Directory{}
	for k, c := range configs {
		clients[k] = must(genericusr.New(c, h.options()...))
		dirs[k] = must(genericusr.NewDirectory(clients[k], genericusr.DirectoryConfig{AccountID: genericusrtest.AccountID}, settle))
		h.keep("genericusr config "+k, c)
		h.keep("genericusr client "+k, clients[k])
		h.keep("genericusr directory "+k, dirs[k])
	}
	seed := func() (string, string) {
		name := fmt.Sprintf("seed-%d@example.com", h.next())
		u := srv.AddUser(genericusr.User{ContactName: "Seed", EmailAddress: name, Username: name, Active: true})
		srv.SetPassword(u.ID, userPassword)
		return strconv.FormatInt(u.ID, 10), name
	}
	id := func() int64 { s, _ := seed(); n, _ := strconv.ParseInt(s, 10, 64); return n }
	cases := map[string]op[*genericusr.Client]{
		"AddUser": func(ctx context.Context, c *genericusr.Client) (any, error) {
			name := fmt.Sprintf("new-%d@example.com", h.next())
			in := genericusr.AddUserInput{ContactName: "New", EmailAddress: name, DefaultAccountID: genericusrtest.AccountID,
				Username: name, Password: userPassword}
			u, err := c.AddUser(ctx, in)
			return []any{in, u}, err
		},
		"ModifyUser": func(ctx context.Context, c *genericusr.Client) (any, error) {
			pw := usermgmt.Secret(newPassword)
			in := genericusr.ModifyUserInput{ContactName: ptr("Renamed"), Password: &pw}
			u, err := c.ModifyUser(ctx, id(), in)
			return []any{in, u}, err
		},
		"GetUser":    func(ctx context.Context, c *genericusr.Client) (any, error) { return c.GetUser(ctx, id()) },
		"DeleteUser": func(ctx context.Context, c *genericusr.Client) (any, error) { return nil, c.DeleteUser(ctx, id()) },
		"ListUsers": func(ctx context.Context, c *genericusr.Client) (any, error) {
			return usermgmt.Collect(c.ListUsers(ctx, genericusrtest.AccountID))
		},
		"ContentType": func(_ context.Context, c *genericusr.Client) (any, error) { return c.ContentType(), nil },
		"Format": func(_ context.Context, c *genericusr.Client) (any, error) {
			return fmt.Sprintf("%v %+v %#v %s", c, c, c, c), nil
		},
	}
	conds := conditions()
	exercise(h, srv.FakeServer(), reflect.TypeFor[*genericusr.Client](), clients, cases, nil, conds)
	exercise(h, srv.FakeServer(), reflect.TypeFor[*usermgmt.Directory](), dirs, directoryCases(h, seed, "admin"), directoryExtra, conds)

	for _, bad := range []genericusr.Config{
		{BaseURL: "http://u:" + password + "@ads.example.com/api", Username: "a", Password: password},
		{BaseURL: srv.URL, Username: "a", Password: password + "\n"},
		{BaseURL: srv.URL, Username: "a:" + password, Password: password},
		{BaseURL: srv.URL, Username: "a", Password: password, ContentType: password},
		{BaseURL: "", Username: "a", Password: password},
	} {
		h.call("genericusr.New", func() (any, error) { return genericusr.New(bad, h.options()...) })
	}
	checkRan(t, h)
}

func TestVendorusers(t *testing.T) {
	t.Parallel()
	const (
		token        = `CANARY-guardant-token-aa11"<&>\`
		wrongToken   = `CANARY-guardant-wrong-token-bb22"<&>\`
		apiKey       = `CANARY-guardant-custom-header-cc33"<&>\`
		userPassword = `CANARY "guardant-user-password-dd44 <&> \`
	)
	h := newHarness(t, token, wrongToken, apiKey, userPassword, facadePassword, facadeNewPassword)
	srv := vendoruserstest.NewServer(vendoruserstest.WithCredentials(token))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	// The pluggable scheme: the caller's own Authenticator, setting the
	// token the fake wants and a header of its own.
	alt := vendorusers.Config{BaseURL: srv.URL, Auth: vendorusers.AuthenticatorFunc(func(r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("X-Api-Key", apiKey)
		return nil
	})}
	wrong := cfg
	wrong.Token = wrongToken
	h.keep("vendorusers.BearerToken", vendorusers.BearerToken(token))
	shape := func(e string) any { return map[string]any{"code": e, "message": e, "error": e} }
	configs := map[string]vendorusers.Config{"main": cfg, "alt": alt, "wrong": wrong}
	for k, status := range map[string]int{"echo400": 400, "echo200": 200, "echo503": 503} {
		e := alt // the custom header must be scrubbed from echoes as well
		e.BaseURL = echoServer(t, status, shape)
		configs[k] = e
	}
	clients := map[string]*vendorusers.Client{}
	dirs := map[string]*usermgmt.Directory{}
	for k, c := range configs {
		clients[k] = must(vendorusers.New(c, h.options()...))
		dirs[k] = must(vendorusers.NewDirectory(clients[k], vendorusers.DirectoryConfig{DefaultRoleID: vendoruserstest.RoleDeveloper}, settle))
		h.keep("vendorusers config "+k, c)
		h.keep("vendorusers client "+k, clients[k])
		h.keep("vendorusers directory "+k, dirs[k])
	}
	seed := func() (string, string) {
		name := fmt.Sprintf("seed-%d@example.com", h.next())
		u := srv.AddUser(vendorusers.User{Email: name, Active: true, Details: vendorusers.Details{FirstName: "Seed", LastName: "User"}})
		return strconv.FormatInt(u.ID, 10), name
	}
	id := func() int64 { s, _ := seed(); n, _ := strconv.ParseInt(s, 10, 64); return n }
	cases := map[string]op[*vendorusers.Client]{
		"CreateUser": func(ctx context.Context, c *vendorusers.Client) (any, error) {
			in := vendorusers.CreateUserInput{Username: fmt.Sprintf("new-%d@example.com", h.next()), RoleID: vendoruserstest.RoleDeveloper,
				Password: userPassword, FirstName: "New"}
			u, err := c.CreateUser(ctx, in)
			return []any{in, u}, err
		},
		"UpdateUser": func(ctx context.Context, c *vendorusers.Client) (any, error) {
			return c.UpdateUser(ctx, id(), vendorusers.UpdateUserInput{FirstName: ptr("Renamed")})
		},
		"SetActive": func(ctx context.Context, c *vendorusers.Client) (any, error) { return c.SetActive(ctx, id(), false) },
		"Archive":   func(ctx context.Context, c *vendorusers.Client) (any, error) { return c.Archive(ctx, id(), true) },
		"ListUsersPage": func(ctx context.Context, c *vendorusers.Client) (any, error) {
			return c.ListUsersPage(ctx, 0, 10, &vendorusers.ListUsersOptions{Archived: ptr(false)})
		},
		"ListUsers": func(ctx context.Context, c *vendorusers.Client) (any, error) {
			return usermgmt.Collect(c.ListUsers(ctx, &vendorusers.ListUsersOptions{PageSize: 2}))
		},
		"ListRoles": func(ctx context.Context, c *vendorusers.Client) (any, error) { return c.ListRoles(ctx) },
		"Format": func(_ context.Context, c *vendorusers.Client) (any, error) {
			return fmt.Sprintf("%v %+v %#v %s", c, c, c, c), nil
		},
	}
	conds := conditions()
	exercise(h, srv.FakeServer(), reflect.TypeFor[*vendorusers.Client](), clients, cases, nil, conds)
	exercise(h, srv.FakeServer(), reflect.TypeFor[*usermgmt.Directory](), dirs, directoryCases(h, seed, "Developer"), directoryExtra, conds)

	for _, bad := range []vendorusers.Config{
		{BaseURL: "http://u:" + token + "@station.example.com", Token: token},
		{BaseURL: srv.URL, Token: token, Auth: alt.Auth},
		{BaseURL: "https://station.example.com/#" + token, Token: token},
	} {
		h.call("vendorusers.New", func() (any, error) { return vendorusers.New(bad, h.options()...) })
	}
	failing := vendorusers.Config{BaseURL: srv.URL, Auth: vendorusers.AuthenticatorFunc(func(*http.Request) error {
		return errors.New("no session")
	})}
	h.call("vendorusers: failing Authenticator", func() (any, error) {
		return must(vendorusers.New(failing, h.options()...)).ListRoles(context.Background())
	})
	checkRan(t, h)
}

func TestBSS(t *testing.T) {
	t.Parallel()
	const (
		apiKey         = `CANARY-bss-apikey-ee55"<&>\`
		wrongKey       = `CANARY-bss-wrong-apikey-ff66"<&>\`
		userPassword   = `CANARY "bss-user-password-0077 <&> \`
		newPassword    = `CANARY "bss-new-password-1188 <&> \`
		legacyPassword = `CANARY "bss-legacy-password-2299 <&> \`
	)
	h := newHarness(t, apiKey, wrongKey, userPassword, newPassword, legacyPassword, facadePassword, facadeNewPassword)
	srv := bsstest.NewServer(bsstest.WithCredentials(apiKey))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	wrong := cfg
	wrong.APIKey = wrongKey
	shape := func(e string) any {
		return map[string]any{"code": e, "message": e, "errors": map[string]any{"field": []string{e}, "list": []any{e, map[string]any{"message": e}}}}
	}
	configs := map[string]bss.Config{"main": cfg, "alt": cfg, "wrong": wrong}
	for k, status := range map[string]int{"echo400": 400, "echo200": 200, "echo503": 503} {
		e := cfg
		e.BaseURL = echoServer(t, status, shape)
		configs[k] = e
	}
	clients := map[string]*bss.Client{}
	legacy := map[string]*bss.LegacyClient{}
	dirs := map[string]*usermgmt.Directory{}
	for k, c := range configs {
		var extra []usermgmt.Option
		if k == "alt" {
			extra = append(extra, usermgmt.WithHTTPClient(&http.Client{}))
		}
		clients[k] = must(bss.New(c, h.options(extra...)...))
		legacy[k] = clients[k].Legacy()
		dirs[k] = must(bss.NewDirectory(clients[k], bss.DirectoryConfig{}, settle))
		h.keep("bss config "+k, c)
		h.keep("bss client "+k, clients[k])
		h.keep("bss legacy client "+k, legacy[k])
		h.keep("bss directory "+k, dirs[k])
	}
	seed := func() (string, string) {
		email := fmt.Sprintf("seed-%d@example.com", h.next())
		u := srv.AddUser(bss.User{Name: "Seed User", ContactDetails: bss.ContactDetails{Email: email},
			RegistrationInformation: bss.RegistrationInformation{State: bss.Registered}})
		return u.ID, email
	}
	id := func() string { id, _ := seed(); return id }
	email := func() string { _, e := seed(); return e }
	cases := map[string]op[*bss.Client]{
		"CreateUser": func(ctx context.Context, c *bss.Client) (any, error) {
			in := bss.CreateUserInput{Name: "New User", Email: fmt.Sprintf("new-%d@example.com", h.next()), Password: userPassword,
				RegistrationState: bss.Registered}
			u, err := c.CreateUser(ctx, in)
			return []any{in, u}, err
		},
		"UpdateUser": func(ctx context.Context, c *bss.Client) (any, error) {
			pw := usermgmt.Secret(newPassword)
			in := bss.UpdateUserInput{Name: ptr("Renamed"), Password: &pw}
			u, err := c.UpdateUser(ctx, id(), in)
			return []any{in, u}, err
		},
		"SetRegistrationState": func(ctx context.Context, c *bss.Client) (any, error) {
			return c.SetRegistrationState(ctx, id(), bss.Unregistered)
		},
		"GetUser":    func(ctx context.Context, c *bss.Client) (any, error) { return c.GetUser(ctx, id()) },
		"DeleteUser": func(ctx context.Context, c *bss.Client) (any, error) { return nil, c.DeleteUser(ctx, id()) },
		"ListUsersPage": func(ctx context.Context, c *bss.Client) (any, error) {
			return c.ListUsersPage(ctx, 0, &bss.ListUsersOptions{PageSize: 5})
		},
		"ListUsers": func(ctx context.Context, c *bss.Client) (any, error) {
			return usermgmt.Collect(c.ListUsers(ctx, &bss.ListUsersOptions{PageSize: 2}))
		},
		"Legacy": func(ctx context.Context, c *bss.Client) (any, error) {
			l := c.Legacy()
			users, err := l.ListUsers(ctx)
			return []any{l, users}, err
		},
		"Format": func(_ context.Context, c *bss.Client) (any, error) {
			return fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c, c), nil
		},
	}
	legacyCases := map[string]op[*bss.LegacyClient]{
		"CreateUser": func(ctx context.Context, l *bss.LegacyClient) (any, error) {
			in := bss.LegacyUser{Email: fmt.Sprintf("legacy-%d@example.com", h.next()), Name: "Legacy", Password: legacyPassword}
			u, err := l.CreateUser(ctx, in)
			return []any{in, u}, err
		},
		"UpdateUser": func(ctx context.Context, l *bss.LegacyClient) (any, error) {
			in := bss.LegacyUser{Name: "Legacy Renamed", Password: legacyPassword}
			u, err := l.UpdateUser(ctx, email(), in)
			return []any{in, u}, err
		},
		"DeleteUser": func(ctx context.Context, l *bss.LegacyClient) (any, error) { return nil, l.DeleteUser(ctx, email()) },
		"ListUsers":  func(ctx context.Context, l *bss.LegacyClient) (any, error) { return l.ListUsers(ctx) },
		"Format": func(_ context.Context, l *bss.LegacyClient) (any, error) {
			return fmt.Sprintf("%v %+v %#v %s %q", l, l, l, l, l), nil
		},
	}
	conds := conditions()
	exercise(h, srv.FakeServer(), reflect.TypeFor[*bss.Client](), clients, cases, nil, conds)
	exercise(h, srv.FakeServer(), reflect.TypeFor[*bss.LegacyClient](), legacy, legacyCases, nil, conds)
	exercise(h, srv.FakeServer(), reflect.TypeFor[*usermgmt.Directory](), dirs, directoryCases(h, seed, "admin"), directoryExtra, conds)

	for _, bad := range []bss.Config{
		{BaseURL: "http://u:" + apiKey + "@bss.example.com", APIKey: apiKey},
		{BaseURL: srv.URL, APIKey: apiKey + "\n"},
		{BaseURL: srv.URL, APIKey: " " + apiKey},
		{BaseURL: "", APIKey: apiKey},
	} {
		h.call("bss.New", func() (any, error) { return bss.New(bad, h.options()...) })
	}
	checkRan(t, h)
}

// checkRan makes sure the cases ran through both successes and failures:
// a run where everything failed, or nothing did, would prove little.
func checkRan(t *testing.T, h *harness) {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	t.Logf("%d runs, %d of them failing", h.runs, h.failures)
	if h.failures == 0 || h.failures == h.runs {
		t.Errorf("%d runs, %d failing: want both successes and failures", h.runs, h.failures)
	}
}

// settle keeps the Directory's look-ups after a create without an answer
// short: the canary is about what is printed, not about how long the
// Directory looks.
var settle = usermgmt.WithSettleWindow(50 * time.Millisecond)
