// Package apisurface holds no code, only a test that keeps a record of the
// module's exported API: every importable package outside internal/
// directories, its exported constants, variables, functions, types, fields
// and methods, written to api/<package path>.txt at the module's root. The
// test fails when the code and the record differ, so that every change to
// the public surface shows in a review as a change to those files. After a
// deliberate change, regenerate the record with
//
//	go test ./internal/apisurface -update
package apisurface
