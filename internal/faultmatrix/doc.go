// Package faultmatrix holds the fault-matrix test: every provider's read,
// create, update and delete, and its Directory adapter's CreateUser, run
// against every fault the fakes can inject, with the outcome of each cell
// (attempts, error kind, state left in the fake) checked against the retry
// rules and the exactly-once guarantees, and written to RELIABILITY.md at the
// root of the module.
//
// The package has no code of its own; run
//
//	go test ./internal/faultmatrix -update
//
// to rewrite the generated part of RELIABILITY.md after a change of
// behaviour. Without -update the test fails when the document differs from
// what it would write.
package faultmatrix
