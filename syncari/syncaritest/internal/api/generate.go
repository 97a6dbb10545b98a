// Package api holds the server interface, models and embedded spec generated
// from specs/syncari.yaml for the syncaritest fake.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../../specs/syncari.yaml
