package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeRebuildsAndReloads runs serve on a copy of the examples: pages
// come with the reload script, a saved change sends a reload event and
// shows on the page, a broken file turns every page into the list of
// errors with file:line, and fixing it brings the site back.
func TestServeRebuildsAndReloads(t *testing.T) {
	dir := copyExamples(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	stderr := &syncBuffer{}
	cmd := newRoot(io.Discard, stderr)
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, cmd, dir, 0, func(addr string) { ready <- addr }) }()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("serve listens on %s, want loopback only", base)
	}
	code, page := get(t, base)
	if code != 200 || !strings.Contains(page, `<script src="/_handover/reload.js" defer></script>`) {
		t.Fatalf("index: %d, reload script injected: %v", code, strings.Contains(page, "reload.js"))
	}

	resp, err := http.Get(base + "_handover/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Read the event stream in the background, so that a missing event
	// fails the test instead of blocking it.
	reloads := make(chan struct{}, 10)
	go func() {
		events := bufio.NewReader(resp.Body)
		for {
			line, err := events.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(line, "event: reload") {
				reloads <- struct{}{}
			}
		}
	}()
	waitReload := func() {
		t.Helper()
		select {
		case <-reloads:
		case <-time.After(20 * time.Second):
			t.Fatalf("no reload event within 20 s\n%s", stderr.String())
		}
	}

	server := filepath.Join(dir, "clients/northwind-outfitters/servers/web-01.yaml")
	orig, _ := os.ReadFile(server)
	start := time.Now()
	os.WriteFile(server, bytes.Replace(orig, []byte("name: Shop web server"), []byte("name: Shop web server (renamed)"), 1), 0o644)
	waitReload()
	t.Logf("one-file change to reload event: %s", time.Since(start).Round(time.Millisecond))
	if _, page := get(t, base+"clients/northwind-outfitters/servers/web-01.html"); !strings.Contains(page, "Shop web server (renamed)") {
		t.Errorf("the change is not on the page")
	}

	os.WriteFile(server, bytes.Replace(orig, []byte("hostname:"), []byte("hostnmae:"), 1), 0o644)
	waitReload()
	code, page = get(t, base+"clients/northwind-outfitters/servers/web-01.html")
	if code != 500 || !strings.Contains(page, "The site does not build") || !strings.Contains(page, "clients/northwind-outfitters/servers/web-01.yaml:") ||
		!strings.Contains(page, "did you mean &#34;hostname&#34;") {
		t.Errorf("error page: %d\n%s", code, page)
	}
	// The browser hears of the rebuild first; the terminal report follows.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(stderr.String(), "error[unknown-field]"); {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal does not show the error:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	os.WriteFile(server, orig, 0o644)
	waitReload()
	if code, _ := get(t, base); code != 200 {
		t.Errorf("after the fix: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("serve did not stop")
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write
// while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
