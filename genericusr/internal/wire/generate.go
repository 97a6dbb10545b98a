// Package wire holds the types and low-level client generated from
// specs/genericusr.yaml. The genericusr package wraps it; nothing else should
// import it.
package wire

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../specs/genericusr.yaml
