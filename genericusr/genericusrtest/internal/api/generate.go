// Package api holds the server interface, models and embedded spec generated
// from specs/genericusr.yaml for the genericusrtest fake.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../../specs/genericusr.yaml
