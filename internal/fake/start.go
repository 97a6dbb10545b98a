package fake

import (
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
)

// MustStart starts a fake whose spec is the one getSpec (a generated
// GetSpec) returns, as cfg says. Like httptest.NewServer it panics instead of
// returning an error: an embedded spec that does not load cannot come out of
// the generator. name prefixes the panic.
func MustStart(name string, getSpec func() (*openapi3.T, error), cfg Config) *Server {
	spec, err := getSpec()
	if err != nil {
		panic(name + ": embedded spec: " + err.Error())
	}
	cfg.Spec = spec
	s, err := Start(cfg)
	if err != nil {
		panic(name + ": " + err.Error())
	}
	return s
}

// StrictErrors returns the request and response error handlers of an
// oapi-codegen strict server that answer in the provider's error style:
// 400 for a request the generated code cannot decode, 500 for an answer it
// cannot encode.
func StrictErrors(errorBody func(http.ResponseWriter, int, string)) (request, response func(http.ResponseWriter, *http.Request, error)) {
	return func(w http.ResponseWriter, _ *http.Request, err error) {
			errorBody(w, http.StatusBadRequest, err.Error())
		}, func(w http.ResponseWriter, _ *http.Request, err error) {
			errorBody(w, http.StatusInternalServerError, err.Error())
		}
}
