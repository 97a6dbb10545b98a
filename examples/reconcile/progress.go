package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/usermgmt-go/sdk/usermgmt"
)

// progressBar draws Apply's progress: a bar redrawn in place on a
// terminal, or a line every tenth of the way elsewhere (logs, pipes).
type progressBar struct {
	mu   sync.Mutex
	w    io.Writer
	tty  bool
	last int // last tenth printed, when not a terminal
	drew bool
}

func newProgressBar(w io.Writer, tty bool) *progressBar {
	return &progressBar{w: w, tty: tty, last: -1}
}

func (b *progressBar) update(p usermgmt.ApplyProgress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if p.Total == 0 {
		return
	}
	counts := fmt.Sprintf("%d/%d  created %d  updated %d  removed %d  stale %d  failed %d",
		p.Done, p.Total, p.Created, p.Updated, p.Removed, p.Stale, p.Failed)
	if b.tty {
		const width = 30
		filled := width * p.Done / p.Total
		fmt.Fprintf(b.w, "\r[%s%s] %s", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), counts)
		b.drew = true
		return
	}
	if tenth := 10 * p.Done / p.Total; tenth != b.last {
		b.last = tenth
		fmt.Fprintln(b.w, counts)
	}
}

func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drew {
		fmt.Fprintln(b.w)
	}
}

// isTerminal reports whether f is a character device, such as a terminal.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
