// Package api holds the server interface, models and embedded spec generated
// from specs/bss.yaml for the bsstest fake.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../../specs/bss.yaml
