// Package serve owns the live preview: it keeps the rendered site in
// memory, serves it on loopback, watches the repository and rebuilds on
// every change, and tells open browsers to reload (server-sent events,
// injected only here, never into a built site). When a rebuild fails, every
// page shows the diagnostics instead, with file:line.
package serve

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/site"
)

// BuildFunc renders the site in memory; a nil site means the diagnostics
// hold errors. changed lists the files the watcher saw change since the
// last call, relative to the repository and slash-separated (none on the
// first call).
type BuildFunc func(changed []string) (*site.Site, []diag.Diagnostic, error)

// Server serves the latest good site, or the latest errors.
type Server struct {
	dir   string
	build BuildFunc
	skip  map[string]bool // directories the watcher ignores, absolute

	collecting atomic.Bool // a collection started after a rebuild is running

	mu      sync.RWMutex
	site    *site.Site
	diags   []diag.Diagnostic
	err     error
	version int
	waiters map[chan int]bool
}

// New returns a server for the repository at dir; skip lists directories
// not to watch (the output directory of earlier builds).
func New(dir string, build BuildFunc, skip ...string) *Server {
	s := &Server{dir: dir, build: build, skip: map[string]bool{}, waiters: map[chan int]bool{}}
	for _, p := range skip {
		if abs, err := filepath.Abs(p); err == nil {
			s.skip[abs] = true
		}
	}
	return s
}

// Rebuild renders the site again and tells the browsers; changed is what
// changed since the last rebuild (see BuildFunc). It returns the
// diagnostics and how long it took.
func (s *Server) Rebuild(changed ...string) ([]diag.Diagnostic, time.Duration, error) {
	start := time.Now()
	st, diags, err := s.build(changed)
	took := time.Since(start)
	defer s.collect()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.diags, s.err = diags, err
	if st != nil && err == nil {
		s.site = st
	} else {
		s.site = nil
	}
	s.version++
	for w := range s.waiters {
		select {
		case w <- s.version:
		default:
		}
	}
	return diags, took, err
}

// collect collects the garbage of a rebuild in the background, while the
// browser reloads and the user reads. Left to itself, the collector starts
// when the heap has doubled: every few saves, since the rendered site stays
// in memory (about 400 MB at 10,000 entities), and then in the middle of a
// rebuild, which it slows down by 100 to 250 ms on two cores.
func (s *Server) collect() {
	if s.collecting.CompareAndSwap(false, true) {
		go func() {
			defer s.collecting.Store(false)
			runtime.GC()
		}()
	}
}

// reloadScript reloads the page when the server says the site changed. It
// is a file, not inline, so the pages' Content-Security-Policy holds.
const reloadScript = `(function () {
  "use strict";
  var source = new EventSource("/_handover/events");
  source.addEventListener("reload", function () { window.location.reload(); });
})();
`

// ServeHTTP serves the site from memory.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_handover/reload.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, reloadScript)
		return
	case "/_handover/events":
		s.events(w, r)
		return
	}
	s.mu.RLock()
	st, diags, err := s.site, s.diags, s.err
	s.mu.RUnlock()
	p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if p == "" || strings.HasSuffix(r.URL.Path, "/") {
		p = path.Join(p, "index.html")
	}
	if st == nil {
		if path.Ext(p) == ".html" {
			s.errorPage(w, diags, err)
			return
		}
		http.Error(w, "the site does not build: see the terminal", http.StatusServiceUnavailable)
		return
	}
	b, ok := st.Files[p]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	if path.Ext(p) == ".html" {
		b = inject(b)
	}
	w.Write(b)
}

// inject adds the reload script to a page, just before </head>.
func inject(page []byte) []byte {
	tag := []byte(`<script src="/_handover/reload.js" defer></script>` + "\n</head>")
	return bytes.Replace(page, []byte("</head>"), tag, 1)
}

// events streams a "reload" event to the browser after every rebuild.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	ch := make(chan int, 1)
	s.mu.Lock()
	s.waiters[ch] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.waiters, ch)
		s.mu.Unlock()
	}()
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case v := <-ch:
			fmt.Fprintf(w, "event: reload\ndata: %d\n\n", v)
			flusher.Flush()
		}
	}
}

var errorTemplate = template.Must(template.New("errors").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<title>handover: the site does not build</title>
<script src="/_handover/reload.js" defer></script>
</head><body>
<main>
<h1>The site does not build</h1>
<p>Fix these and save: the page reloads by itself.</p>
{{with .Err}}<p><strong>{{.}}</strong></p>{{end}}
<ol>{{range .Diags}}{{if eq .Severity.String "error"}}<li><code>{{.Pos}}</code>: {{.Message}}{{with .Hint}}<br><small>{{.}}</small>{{end}}</li>{{end}}{{end}}</ol>
</main>
</body></html>
`))

func (s *Server) errorPage(w http.ResponseWriter, diags []diag.Diagnostic, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	errorTemplate.Execute(w, struct {
		Diags []diag.Diagnostic
		Err   error
	}{diags, err})
}

// Watch rebuilds after every change under the repository, 100 ms after
// the last event of a burst (an editor's save is several events), until
// ctx ends. started, when set, is called once every directory is watched;
// changed is told each rebuild's outcome.
func (s *Server) Watch(ctx context.Context, started func(), changed func([]diag.Diagnostic, time.Duration, error)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", s.dir, err)
	}
	defer w.Close()
	if err := s.addTree(w, s.dir); err != nil {
		return err
	}
	if started != nil {
		started()
	}
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	touched := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if s.ignored(ev.Name) {
				continue
			}
			if rel, err := filepath.Rel(s.dir, ev.Name); err == nil {
				touched[filepath.ToSlash(rel)] = true
			}
			if ev.Op&fsnotify.Create != 0 {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					s.addTree(w, ev.Name) // fsnotify watches directories, not trees
				}
			}
			if timer != nil {
				timer.Stop()
			}
			timer = time.AfterFunc(100*time.Millisecond, func() {
				select {
				case fire <- struct{}{}:
				default:
				}
			})
		case <-fire:
			paths := make([]string, 0, len(touched))
			for p := range touched {
				paths = append(paths, p)
			}
			slices.Sort(paths)
			clear(touched)
			diags, took, err := s.Rebuild(paths...)
			if changed != nil {
				changed(diags, took, err)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			if changed != nil {
				changed(nil, 0, fmt.Errorf("watching: %w", err))
			}
		}
	}
}

// ignored is true for paths in hidden directories (.git), node_modules and
// the skipped output directories.
func (s *Server) ignored(p string) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		return true
	}
	for d := range s.skip {
		if abs == d || strings.HasPrefix(abs, d+string(filepath.Separator)) {
			return true
		}
	}
	rel, err := filepath.Rel(s.dir, p)
	if err != nil {
		return true
	}
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		if (strings.HasPrefix(part, ".") && part != "." && part != "..") || part == "node_modules" {
			return true
		}
	}
	return false
}

func (s *Server) addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a directory removed meanwhile
		}
		if !d.IsDir() {
			return nil
		}
		if p != s.dir && s.ignored(p) {
			return filepath.SkipDir
		}
		if err := w.Add(p); err != nil {
			return fmt.Errorf("watch %s: %w", p, err)
		}
		return nil
	})
}
