package main

import (
	"github.com/usermgmt-go/sdk/syncari"
	"github.com/usermgmt-go/sdk/syncari/syncaritest"
	"github.com/usermgmt-go/sdk/usermgmt"
)

func providers() []provider {
	return []provider{
		{
			name: "syncari",
			env: []envVar{
				{"SYNCARI_CLIENT_ID", "client id of an API user", true},
				{"SYNCARI_CLIENT_SECRET", "its client secret", true},
				{"SYNCARI_INSTANCE_ID", "instance to run against (syncariId)", true},
				{"SYNCARI_BASE_URL", "API base URL (default " + syncari.DefaultBaseURL + ")", false},
			},
			open: func(getenv func(string) string) (usermgmt.Directory, bool, func(), error) {
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
	}
}
