package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestBarOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	b := NewBar(&buf, true)
	b.Update(5, 10, "created 5")
	b.Update(10, 10, "created 10")
	b.Done()
	if !strings.Contains(buf.String(), "\r[###############               ] 5/10  created 5") || !strings.HasSuffix(buf.String(), "\n") {
		t.Errorf("bar = %q", buf.String())
	}
}

func TestBarElsewherePrintsEveryTenth(t *testing.T) {
	var buf bytes.Buffer
	b := NewBar(&buf, false)
	for i := 1; i <= 100; i++ {
		b.Update(i, 100, "x")
	}
	b.Done()
	if n := strings.Count(buf.String(), "\n"); n != 11 { // the first step, then each tenth
		t.Errorf("%d lines for 100 steps, want 11:\n%s", n, buf.String())
	}
}

func TestReadCSV(t *testing.T) {
	var rows []string
	err := ReadCSV(strings.NewReader(" Email , Name\nada@example.com, Ada \n"), func(r Row) error {
		rows = append(rows, r.Get("email")+"|"+r.Get("name")+"|"+r.Get("missing"))
		return nil
	})
	if err != nil || len(rows) != 1 || rows[0] != "ada@example.com|Ada|" {
		t.Errorf("rows = %q, %v", rows, err)
	}
	if err := ReadCSV(strings.NewReader("first_name\nAda\n"), func(Row) error { return nil }); err == nil {
		t.Error("a CSV without username or email was accepted")
	}
}
