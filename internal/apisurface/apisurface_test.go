package apisurface

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the API record under api/ from the code")

// root is the module's root, seen from this package's directory; record is
// the directory of the API record in it.
var (
	root   = filepath.Join("..", "..")
	record = filepath.Join(root, "api")
)

// TestAPISurface compares the exported API of every public package with the
// record under api/, one file per package, and rewrites the record with
// -update.
func TestAPISurface(t *testing.T) {
	want, err := surface(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 10 {
		t.Fatalf("found %d public packages; the module has more: is the walk broken?", len(want))
	}
	got, err := recorded(record)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		for name, text := range want {
			path := filepath.Join(record, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				if err := os.Remove(filepath.Join(record, filepath.FromSlash(name))); err != nil {
					t.Fatal(err)
				}
			}
		}
		return
	}
	names := make([]string, 0, len(want)+len(got))
	for name := range want {
		names = append(names, name)
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	changed := false
	for _, name := range names {
		w, inCode := want[name]
		g, inRecord := got[name]
		switch {
		case !inRecord:
			t.Errorf("api/%s: a new public package, not in the record:\n%s", name, w)
		case !inCode:
			t.Errorf("api/%s: the record holds a package the code no longer has", name)
		case g != w:
			t.Errorf("api/%s: the exported API changed (-record +code):\n%s", name,
				cmp.Diff(strings.Split(g, "\n"), strings.Split(w, "\n")))
		default:
			continue
		}
		changed = true
	}
	if changed {
		t.Error("if the change is deliberate, record it: go test ./internal/apisurface -update")
	}
}

// recorded reads every .txt file under dir, keyed by its slash-separated
// path relative to dir.
func recorded(dir string) (map[string]string, error) {
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == dir {
			return fs.SkipAll // no record yet: every package is new
		}
		if err != nil || d.IsDir() || filepath.Ext(path) != ".txt" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		got[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return got, err
}

// surface lists the exported API of every package of the module at root
// that another module can import: no main package, nothing under an
// internal, testdata or hidden directory. It is keyed by the record's file
// name: the package's path in the module, plus .txt.
func surface(root string) (map[string]string, error) {
	module, err := modulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	err = filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if dir != root {
			name := d.Name()
			if name == "internal" || name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
		}
		pkg, err := build.ImportDir(dir, 0)
		var noGo *build.NoGoError
		switch {
		case errors.As(err, &noGo):
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", dir, err)
		case pkg.Name == "main":
			return nil
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		importPath, name := module+"/"+rel, rel+".txt"
		if rel == "." {
			importPath, name = module, "root.txt"
		}
		text, err := describe(dir, pkg.GoFiles, importPath)
		if err != nil {
			return err
		}
		out[name] = text
		return nil
	})
	return out, err
}

// modulePath reads the module path from a go.mod file.
func modulePath(gomod string) (string, error) {
	b, err := os.ReadFile(gomod)
	if err != nil {
		return "", err
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("%s names no module", gomod)
}

// describe lists the exported declarations of the package made of files in
// dir, as go doc -all shows them but without their comments: constants,
// variables, functions, then each type with its constants, variables,
// constructors and methods, every group sorted by name. Unexported struct
// fields and interface methods show as go doc marks them.
func describe(dir string, files []string, importPath string) (string, error) {
	fset := token.NewFileSet()
	var parsed []*ast.File
	for _, name := range files {
		// Without comments: a doc comment is no part of the API.
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return "", err
		}
		parsed = append(parsed, f)
	}
	p, err := doc.NewFromFiles(fset, parsed, importPath)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "package %s // import %q\n", p.Name, importPath)
	decl := func(node ast.Node) error {
		b.WriteString("\n")
		var one bytes.Buffer
		if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&one, fset, node); err != nil {
			return err
		}
		b.WriteString(normalize(one.String()))
		b.WriteString("\n")
		return nil
	}
	var nodes []ast.Node
	for _, v := range slices.Concat(p.Consts, p.Vars) {
		nodes = append(nodes, v.Decl)
	}
	for _, f := range p.Funcs {
		nodes = append(nodes, f.Decl)
	}
	for _, t := range p.Types {
		nodes = append(nodes, t.Decl)
		for _, v := range slices.Concat(t.Consts, t.Vars) {
			nodes = append(nodes, v.Decl)
		}
		for _, f := range slices.Concat(t.Funcs, t.Methods) {
			nodes = append(nodes, f.Decl)
		}
	}
	for _, n := range nodes {
		if err := decl(n); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

var alignment = regexp.MustCompile(`([^\s]) {2,}`)

// normalize takes out of a printed declaration what depends on the source's
// layout rather than on the API: blank lines (where comments were) and the
// spaces that align columns (which shift when a neighbour is renamed).
// Spaces inside string literals are kept.
func normalize(s string) string {
	var out []string
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, "\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !strings.ContainsAny(line, "\"`") {
			line = alignment.ReplaceAllString(line, "$1 ")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
