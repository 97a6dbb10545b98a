// Package specs holds the hand-written OpenAPI 3.0 documents from which the
// SDK's wire types, low-level clients and fakes are generated. It has no Go
// API; its test checks every document with kin-openapi.
package specs
