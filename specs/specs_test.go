package specs_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestSpecsValidate loads every document in this directory with kin-openapi
// and validates it, examples included.
func TestSpecsValidate(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 5 {
		t.Fatalf("found %d specs (%v), want 5", len(files), files)
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			loader := openapi3.NewLoader()
			loader.IsExternalRefsAllowed = false
			doc, err := loader.LoadFromFile(f)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
				t.Fatalf("validate: %v", err)
			}
			if doc.OpenAPI != "3.0.3" {
				t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
			}
			for path, item := range doc.Paths.Map() {
				for method, op := range item.Operations() {
					if op.OperationID == "" {
						t.Errorf("%s %s has no operationId", method, path)
					}
					if op.Responses.Default() == nil {
						t.Errorf("%s has no default response", op.OperationID)
					}
				}
			}
		})
	}
}

// TestAssumptionsListed checks that every API with assumptions in its spec
// has a section in README.md, and that each "Assumed:" is also marked with
// x-assumed, so nothing unconfirmed hides in prose alone.
func TestAssumptionsListed(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("*.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		api := strings.TrimSuffix(f, ".yaml")
		if strings.Contains(string(b), "x-assumed: true") && !strings.Contains(string(readme), "## "+api) {
			t.Errorf("%s has assumptions but README.md has no section for it", f)
		}
		if !strings.Contains(string(b), "x-assumed: true") {
			t.Errorf("%s marks no assumption with x-assumed", f)
		}
	}
}
