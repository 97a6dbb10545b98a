// Package providers opens a usermgmt.Directory on each provider for the
// example programs: on the provider's real API when its environment
// variables are set, otherwise on its in-process fake.
package providers

import (
	"fmt"
	"strconv"

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
	// function that releases what it started.
	Open func(getenv func(string) string) (dir usermgmt.Directory, real bool, closeFn func(), err error)
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
			Open: func(getenv func(string) string) (usermgmt.Directory, bool, func(), error) {
				if getenv("SYNCARI_CLIENT_ID") != "" {
					c, err := syncari.New(syncari.Config{
						BaseURL:      getenv("SYNCARI_BASE_URL"),
						ClientID:     getenv("SYNCARI_CLIENT_ID"),
						ClientSecret: usermgmt.Secret(getenv("SYNCARI_CLIENT_SECRET")),
						InstanceID:   getenv("SYNCARI_INSTANCE_ID"),
					})
					if err != nil {
						return nil, true, nil, err
					}
					return syncari.NewDirectory(c), true, func() {}, nil
				}
				srv := syncaritest.NewServer()
				c, err := syncari.New(srv.Config())
				if err != nil {
					srv.Close()
					return nil, false, nil, err
				}
				return syncari.NewDirectory(c), false, srv.Close, nil
			},
		},
		{
			Name: "vendorusers",
			Env: []EnvVar{
				{"GUARDANT_TOKEN", "bearer token for the vendor users API", true},
				{"GUARDANT_ROLE_ID", "role id given to the users created (e.g. 5, Developer)", true},
				{"GUARDANT_BASE_URL", "API base URL (default " + vendorusers.DefaultBaseURL + ")", false},
			},
			Open: func(getenv func(string) string) (usermgmt.Directory, bool, func(), error) {
				if getenv("GUARDANT_TOKEN") != "" {
					role, err := strconv.ParseInt(getenv("GUARDANT_ROLE_ID"), 10, 64)
					if err != nil {
						return nil, true, nil, fmt.Errorf("GUARDANT_ROLE_ID: %w", err)
					}
					c, err := vendorusers.New(vendorusers.Config{BaseURL: getenv("GUARDANT_BASE_URL"), Token: usermgmt.Secret(getenv("GUARDANT_TOKEN"))})
					if err != nil {
						return nil, true, nil, err
					}
					d, err := vendorusers.NewDirectory(c, vendorusers.DirectoryConfig{DefaultRoleID: role})
					return d, true, func() {}, err
				}
				srv := vendoruserstest.NewServer()
				c, err := vendorusers.New(srv.Config())
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
	}
}
