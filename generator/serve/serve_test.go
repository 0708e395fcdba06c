package serve

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/site"
)

func TestHandler(t *testing.T) {
	broken := false
	build := func([]string) (*site.Site, []diag.Diagnostic, error) {
		if broken {
			return nil, []diag.Diagnostic{{File: "clients/a/x.yaml", Line: 3, Column: 1, Code: "unknown-field", Message: `unknown field "<b>"`}}, nil
		}
		return &site.Site{Files: map[string][]byte{
			"index.html":           []byte("<html><head><title>x</title></head><body>home</body></html>"),
			"assets/app.js":        []byte("// js"),
			"clients/a/index.html": []byte("<html><head></head><body>a</body></html>"),
		}}, nil, nil
	}
	s := New(t.TempDir(), build)
	s.Rebuild()
	get := func(path string) (int, string, string) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, rec.Header().Get("Content-Type"), string(b)
	}
	if code, ctype, body := get("/"); code != 200 || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(body, `<script src="/_handover/reload.js" defer></script>`+"\n</head>") {
		t.Errorf("/: %d %s %s", code, ctype, body)
	}
	if code, _, body := get("/clients/a/"); code != 200 || !strings.Contains(body, ">a<") {
		t.Errorf("directory index: %d %s", code, body)
	}
	if code, _, body := get("/assets/app.js"); code != 200 || strings.Contains(body, "reload.js") {
		t.Errorf("assets are served as they are: %d %s", code, body)
	}
	if code, _, _ := get("/nope.html"); code != 404 {
		t.Errorf("missing page: %d", code)
	}
	if code, _, _ := get("/../../etc/passwd"); code != 404 {
		t.Errorf("path outside the site: %d", code)
	}
	if code, _, body := get("/_handover/reload.js"); code != 200 || !strings.Contains(body, "EventSource") {
		t.Errorf("reload script: %d %s", code, body)
	}
	broken = true
	s.Rebuild()
	code, _, body := get("/clients/a/index.html")
	if code != 500 || !strings.Contains(body, "clients/a/x.yaml:3:1") || !strings.Contains(body, "unknown field &#34;&lt;b&gt;&#34;") {
		t.Errorf("error page: %d %s", code, body)
	}
}

// TestWatchTellsWhatChanged checks that a rebuild is told which files
// changed since the last one, relative to the repository, so that the
// build can redo only what they touch.
func TestWatchTellsWhatChanged(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "clients", "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	calls := make(chan []string, 10)
	build := func(changed []string) (*site.Site, []diag.Diagnostic, error) {
		calls <- changed
		return &site.Site{Files: map[string][]byte{}}, nil, nil
	}
	s := New(dir, build)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{})
	go s.Watch(ctx, func() { close(started) }, nil)
	<-started
	for _, f := range []string{"clients/a/x.yaml", "handover.yaml", ".git/index"} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f)), []byte("x: 1\n"), 0o644); err != nil && f != ".git/index" {
			t.Fatal(err)
		}
	}
	select {
	case got := <-calls:
		if want := []string{"clients/a/x.yaml", "handover.yaml"}; !slices.Equal(got, want) {
			t.Errorf("rebuild told %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no rebuild after the writes")
	}
}

// TestRebuildCollectsItsGarbage checks that a rebuild leaves a collection
// running behind it, so that the next rebuild does not meet one: the
// process does not allocate enough here for the collector to start on
// its own.
func TestRebuildCollectsItsGarbage(t *testing.T) {
	s := New(t.TempDir(), func([]string) (*site.Site, []diag.Diagnostic, error) {
		return &site.Site{Files: map[string][]byte{"index.html": []byte("<html></html>")}}, nil, nil
	})
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	s.Rebuild()
	deadline := time.Now().Add(5 * time.Second)
	for {
		var now runtime.MemStats
		runtime.ReadMemStats(&now)
		if now.NumGC > before.NumGC {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no collection after the rebuild")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
