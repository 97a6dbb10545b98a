// Package api holds the server interface, models and embedded spec generated
// from specs/dbsync.yaml for the dbsynctest fake.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../../specs/dbsync.yaml
