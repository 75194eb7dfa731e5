package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
)

// progressThreshold is the input size above which a terminal shows progress.
const progressThreshold = 8 << 20

// terminal reports whether w is a terminal: progress goes to terminals only, never into a pipe or a log.
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// progressReader reports how much of a file has been read, at most five times a second.
type progressReader struct {
	r     io.Reader
	w     io.Writer
	what  string
	total int64
	done  int64
	last  time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if time.Since(p.last) >= 200*time.Millisecond || err == io.EOF {
		p.last = time.Now()
		fmt.Fprintf(p.w, "\r%s: checking: read %.0f of %.0f MB (%.0f%%)   ", p.what, float64(p.done)/1e6, float64(p.total)/1e6, 100*float64(p.done)/float64(max(p.total, 1)))
	}
	return n, err
}

// withProgress wraps r with progress on env's standard error when it is a terminal and the file is large.
func withProgress(env *Env, r io.Reader, name, what string) io.Reader {
	if env.Remote() || !terminal(env.Stderr) {
		return r
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Size() < progressThreshold {
		return r
	}
	return &progressReader{r: r, w: env.Stderr, what: what, total: fi.Size()}
}
