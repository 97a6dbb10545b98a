// Package cli holds what the example programs that work through a roster
// share: reading a CSV of users, and drawing progress.
package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// Row is one row of a roster CSV.
type Row struct {
	// Line is the row's line number in the file, counted from 1 (the
	// header is line 1).
	Line int
	col  map[string]int
	rec  []string
}

// Get returns the trimmed value of the column named name (lower case), or
// "" when the file has no such column.
func (r Row) Get(name string) string {
	if i, ok := r.col[name]; ok && i < len(r.rec) {
		return strings.TrimSpace(r.rec[i])
	}
	return ""
}

// ReadCSV reads a roster CSV with a header row naming its columns (case and
// surrounding spaces ignored); it needs a username or an email column.
// Each row is handed to f, which returns an error to stop.
func ReadCSV(r io.Reader, f func(Row) error) error {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("reading the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	if _, ok := col["username"]; !ok {
		if _, ok := col["email"]; !ok {
			return errors.New("the CSV needs a username or an email column")
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if err := f(Row{Line: line, col: col, rec: rec}); err != nil {
			return err
		}
	}
}

// Bar draws progress: a bar redrawn in place on a terminal, or a line
// every tenth of the way elsewhere (logs, pipes). It is safe for
// concurrent use.
type Bar struct {
	mu   sync.Mutex
	w    io.Writer
	tty  bool
	last int // last tenth printed, when not a terminal
	drew bool
}

// NewBar returns a Bar writing to w, redrawing in place when tty is set.
func NewBar(w io.Writer, tty bool) *Bar { return &Bar{w: w, tty: tty, last: -1} }

// Update draws done of total, followed by counts.
func (b *Bar) Update(done, total int, counts string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if total == 0 {
		return
	}
	counts = fmt.Sprintf("%d/%d  %s", done, total, counts)
	if b.tty {
		const width = 30
		filled := width * done / total
		fmt.Fprintf(b.w, "\r[%s%s] %s", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), counts)
		b.drew = true
		return
	}
	if tenth := 10 * done / total; tenth != b.last {
		b.last = tenth
		fmt.Fprintln(b.w, counts)
	}
}

// Done ends the bar's line on a terminal.
func (b *Bar) Done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drew {
		fmt.Fprintln(b.w)
	}
}

// IsTerminal reports whether f is a character device, such as a terminal.
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
