// Package api holds the server interface, models and embedded spec generated
// from specs/vendorusers.yaml for the vendoruserstest fake.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../../specs/vendorusers.yaml
