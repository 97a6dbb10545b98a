// Package providers opens a usermgmt.Directory on each provider for the
// example programs: on the provider's real API when its environment
// variables are set, otherwise on its in-process fake.
package providers

import (
	"fmt"
	"strconv"

	"github.com/usermgmt-go/sdk/bss"
	"github.com/usermgmt-go/sdk/bss/bsstest"
	"github.com/usermgmt-go/sdk/dbsync"
	"github.com/usermgmt-go/sdk/dbsync/dbsynctest"
	"github.com/usermgmt-go/sdk/genericusr"
	"github.com/usermgmt-go/sdk/genericusr/genericusrtest"
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
	"github.com/usermgmt-go/sdk/vendorusers"
	"github.com/usermgmt-go/sdk/vendorusers/vendoruserstest"
)

// Provider knows how to open a Directory on one API, real or fake.
type Provider struct {
	Name string
	// Env lists the variables that point the provider at its real API.
	Env []EnvVar
	// Open returns the directory, whether it is the real API, and a
	// function that releases what it started. opts go to the client.
	Open func(getenv func(string) string, opts ...usermgmt.Option) (dir *usermgmt.Directory, real bool, closeFn func(), err error)
}

// EnvVar is one environment variable a provider reads.
type EnvVar struct {
	Name, Help string
	Required   bool
}

// List returns every provider, in a fixed order.
func List() []Provider {
	return []Provider{
		{
			Name: "syncari",
			Env: []EnvVar{
				{"SYNCARI_CLIENT_ID", "client id of an API user", true},
				{"SYNCARI_CLIENT_SECRET", "its client secret", true},
				{"SYNCARI_INSTANCE_ID", "instance to run against (syncariId)", true},
				{"SYNCARI_BASE_URL", "API base URL (default " + syncari.DefaultBaseURL + ")", false},
			},
			Open: func(getenv func(string) string, opts ...usermgmt.Option) (*usermgmt.Directory, bool, func(), error) {
				if getenv("SYNCARI_CLIENT_ID") != "" {
					c, err := syncari.New(syncari.Config{
						BaseURL:      getenv("SYNCARI_BASE_URL"),
						ClientID:     getenv("SYNCARI_CLIENT_ID"),
						ClientSecret: usermgmt.Secret(getenv("SYNCARI_CLIENT_SECRET")),
						InstanceID:   getenv("SYNCARI_INSTANCE_ID"),
					}, opts...)
					if err != nil {
						return nil, true, nil, err
					}
					d, err := syncari.NewDirectory(c, syncari.DirectoryConfig{})
					return d, true, func() {}, err
				}
				srv := syncaritest.NewServer()
				c, err := syncari.New(srv.Config(), opts...)
				if err != nil {
					srv.Close()
					return nil, false, nil, err
				}
				d, err := syncari.NewDirectory(c, syncari.DirectoryConfig{})
				if err != nil {
					srv.Close()
					return nil, false, nil, err
				}
				return d, false, srv.Close, nil
			},
		},
		{
			Name: "dbsync",
			Env: []EnvVar{
				{"DBSYNC_PARTNER_APP_KEY", "partner application key (partnerAppKey)", true},
				{"DBSYNC_PARTNER_APP_TOKEN", "partner application token (partnerAppToken)", true},
				{"DBSYNC_COMPANY", "end-user company the users belong to", true},
				{"DBSYNC_ENV", "environment: production or staging", true},
				{"DBSYNC_VERSION", "version (default appcenter-2-2)", false},
			},
			Open: func(getenv func(string) string, opts ...usermgmt.Option) (*usermgmt.Directory, bool, func(), error) {
				cfg := dbsync.Config{
					Environment: getenv("DBSYNC_ENV"), Version: getenv("DBSYNC_VERSION"),
					PartnerAppKey: usermgmt.Secret(getenv("DBSYNC_PARTNER_APP_KEY")), PartnerAppToken: usermgmt.Secret(getenv("DBSYNC_PARTNER_APP_TOKEN")),
				}
				company, closeFn, real := getenv("DBSYNC_COMPANY"), func() {}, getenv("DBSYNC_PARTNER_APP_KEY") != ""
				if !real {
					srv := dbsynctest.NewServer()
					cfg, company, closeFn = srv.Config(), "Example Co", srv.Close
				}
				c, err := dbsync.New(cfg, opts...)
				if err != nil {
					closeFn()
					return nil, real, nil, err
				}
				d, err := dbsync.NewDirectory(c, dbsync.DirectoryConfig{Company: company})
				if err != nil {
					closeFn()
					return nil, real, nil, err
				}
				return d, real, closeFn, nil
			},
		},
		{
			Name: "genericusr",
			Env: []EnvVar{
				{"REVIVE_BASE_URL", "base URL of the Revive Adserver REST API", true},
				{"REVIVE_USERNAME", "HTTP Basic user name", true},
				{"REVIVE_PASSWORD", "HTTP Basic password", true},
				{"REVIVE_ACCOUNT_ID", "account the users are created in and listed from", true},
			},
			Open: func(getenv func(string) string, opts ...usermgmt.Option) (*usermgmt.Directory, bool, func(), error) {
				cfg := genericusr.Config{BaseURL: getenv("REVIVE_BASE_URL"), Username: getenv("REVIVE_USERNAME"), Password: usermgmt.Secret(getenv("REVIVE_PASSWORD"))}
				account, closeFn, real := int64(0), func() {}, cfg.BaseURL != ""
				if real {
					id, err := strconv.ParseInt(getenv("REVIVE_ACCOUNT_ID"), 10, 64)
					if err != nil {
						return nil, true, nil, fmt.Errorf("REVIVE_ACCOUNT_ID: %w", err)
					}
					account = id
				} else {
					srv := genericusrtest.NewServer()
					cfg, account, closeFn = srv.Config(), genericusrtest.AccountID, srv.Close
				}
				c, err := genericusr.New(cfg, opts...)
				if err != nil {
					closeFn()
					return nil, real, nil, err
				}
				d, err := genericusr.NewDirectory(c, genericusr.DirectoryConfig{AccountID: account})
				if err != nil {
					closeFn()
					return nil, real, nil, err
				}
				return d, real, closeFn, nil
			},
		},
		{
			Name: "vendorusers",
			Env: []EnvVar{
				{"GUARDANT_TOKEN", "bearer token for the vendor users API", true},
				{"GUARDANT_ROLE_ID", "role id given to the users created (e.g. 5, Developer)", true},
				{"GUARDANT_BASE_URL", "API base URL (default " + vendorusers.DefaultBaseURL + ")", false},
			},
			Open: func(getenv func(string) string, opts ...usermgmt.Option) (*usermgmt.Directory, bool, func(), error) {
				if getenv("GUARDANT_TOKEN") != "" {
					role, err := strconv.ParseInt(getenv("GUARDANT_ROLE_ID"), 10, 64)
					if err != nil {
						return nil, true, nil, fmt.Errorf("GUARDANT_ROLE_ID: %w", err)
					}
					c, err := vendorusers.New(vendorusers.Config{BaseURL: getenv("GUARDANT_BASE_URL"), Token: usermgmt.Secret(getenv("GUARDANT_TOKEN"))}, opts...)
					if err != nil {
						return nil, true, nil, err
					}
					d, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: role})
					return d, true, func() {}, err
				}
				srv := vendoruserstest.NewServer()
				c, err := vendorusers.New(srv.Config(), opts...)
				if err != nil {
					srv.Close()
					return nil, false, nil, err
				}
				d, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: 5})
				if err != nil {
					srv.Close()
					return nil, false, nil, err
				}
				return d, false, srv.Close, nil
			},
		},
		{
			Name: "bss",
			Env: []EnvVar{
				{"BSS_BASE_URL", "customer-specific base URL of the BSS API", true},
				{"BSS_API_KEY", "API key, sent as Authorization: Apikey <key>", true},
			},
			Open: func(getenv func(string) string, opts ...usermgmt.Option) (*usermgmt.Directory, bool, func(), error) {
				cfg := bss.Config{BaseURL: getenv("BSS_BASE_URL"), APIKey: usermgmt.Secret(getenv("BSS_API_KEY"))}
				closeFn, real := func() {}, cfg.BaseURL != ""
				if !real {
					srv := bsstest.NewServer()
					cfg, closeFn = srv.Config(), srv.Close
				}
				c, err := bss.New(cfg, opts...)
				if err != nil {
					closeFn()
					return nil, real, nil, err
				}
				d, err := bss.NewDirectory(c, bss.DirectoryConfig{})
				if err != nil {
					closeFn()
					return nil, real, nil, err
				}
				return d, real, closeFn, nil
			},
		},
	}
}
