package usermgmttest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/usermgmt-go/sdk/usermgmt/usermgmttest"
)

// petsSpec is the OpenAPI document of a small API; a real fake would embed
// its API's document (oapi-codegen's GetSwagger).
const petsSpec = `
openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
      responses:
        "201": {description: created}
`

// pets is the state of the fake: the handler behind the FakeServer.
type pets struct {
	mu    sync.Mutex
	names []string
}

func (p *pets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names = append(p.names, "a pet") // a real fake decodes the body
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"id":%d}`, len(p.names))
}

func (p *pets) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.names)
}

// startPets starts the fake of the pets API.
func startPets() (*usermgmttest.FakeServer, *pets) {
	spec, err := openapi3.NewLoader().LoadFromData([]byte(petsSpec))
	if err != nil {
		panic(err)
	}
	state := &pets{}
	return usermgmttest.NewFakeServer(usermgmttest.FakeConfig{Spec: spec, Handler: state}), state
}

// createPet sends a createPet request and returns its status, or the error.
func createPet(srv *usermgmttest.FakeServer, body string) string {
	resp, err := srv.Client().Post(srv.URL+"/pets", "application/json", strings.NewReader(body))
	if err != nil {
		return "no answer"
	}
	resp.Body.Close()
	return resp.Status
}

// A fake of your own API: its OpenAPI document and a handler that holds the
// state. The FakeServer refuses what the document does not allow before the
// handler sees it.
func ExampleNewFakeServer() {
	srv, state := startPets()
	defer srv.Close()

	fmt.Println(createPet(srv, `{"name":"Rex"}`))
	fmt.Println(createPet(srv, `{"colour":"brown"}`)) // no name: refused
	fmt.Println(state.count(), "stored")
	// Output:
	// 201 Created
	// 400 Bad Request
	// 1 stored
}

// A fault after handling: the fake stores the pet but the client never sees
// the answer. The journal tells what happened to each request.
func ExampleFakeServer_Inject() {
	srv, state := startPets()
	defer srv.Close()

	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.DropAfter, Operation: "createPet"})
	fmt.Println(createPet(srv, `{"name":"Rex"}`))
	fmt.Println(createPet(srv, `{"name":"Rex"}`)) // the fault applied once

	for _, r := range srv.Requests() {
		fmt.Printf("%s %s: status %d, handled %t, fault %q\n", r.Method, r.Operation, r.Status, r.Handled, r.Fault)
	}
	fmt.Println(srv.Count("createPet"), "requests,", state.count(), "stored")
	// Output:
	// no answer
	// 201 Created
	// POST createPet: status 0, handled true, fault "drop after handling"
	// POST createPet: status 201, handled true, fault ""
	// 2 requests, 2 stored
}

// A server error before handling, twice, with a Retry-After header: what a
// client's retry policy has to get through.
func ExampleFault() {
	srv, state := startPets()
	defer srv.Close()

	srv.Inject(usermgmttest.Fault{Kind: usermgmttest.Fail, Status: http.StatusServiceUnavailable, RetryAfter: "1", Times: 2})
	for range 3 {
		fmt.Println(createPet(srv, `{"name":"Rex"}`))
	}
	fmt.Println(state.count(), "stored;", usermgmttest.Fail.AfterHandling(), usermgmttest.DropAfter.AfterHandling())
	// Output:
	// 503 Service Unavailable
	// 503 Service Unavailable
	// 201 Created
	// 1 stored; false true
}
