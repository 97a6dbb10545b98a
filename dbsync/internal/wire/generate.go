// Package wire holds the types and low-level client generated from
// specs/dbsync.yaml. The dbsync package wraps it; nothing else should
// import it.
package wire

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../specs/dbsync.yaml
