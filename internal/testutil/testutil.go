// Package testutil holds the helpers the tests of several packages share:
// writing a repository from a map of files, copying a tree, comparing
// output with golden files, and churning the heap under values kept off it.
// It is imported by tests only.
package testutil

import (
	"bytes"
	"fmt"
	"regexp"
	"runtime"
	"strings"

	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/net/html"
)

// WriteFiles writes files (slash-separated relative paths → content) into a
// new temporary directory and returns it.
func WriteFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// CopyDir copies the tree at src into a new temporary directory, for tests
// that break a copy of the examples.
func CopyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// Golden compares got with the file at path, or rewrites the file when
// update is set (each package's -update flag).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the package's tests with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file; review the change, then rerun with -update\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// LiveMarkup lists what in an HTML page could run script or load from
// elsewhere, parsing it as a browser would: event-handler attributes, style
// attributes, javascript:/data:/vbscript: links, sources from other hosts,
// and elements that run or embed (iframe, svg, style, object, embed, img,
// base, forms other than the search form, scripts other than ownScript's
// files and JSON data).
func LiveMarkup(page []byte, ownScript *regexp.Regexp) []string {
	var problems []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return problems
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
			if strings.HasPrefix(a.Key, "on") {
				problems = append(problems, fmt.Sprintf("<%s %s=…> event handler", tok.Data, a.Key))
			}
			if a.Key == "style" {
				problems = append(problems, fmt.Sprintf("<%s style=…>", tok.Data))
			}
			v := strings.ToLower(strings.TrimSpace(a.Val))
			if (a.Key == "href" || a.Key == "src" || a.Key == "action") &&
				(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:")) {
				problems = append(problems, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
			}
			if a.Key == "src" && (strings.Contains(v, "://") || strings.HasPrefix(v, "//")) {
				problems = append(problems, fmt.Sprintf("<%s src=%q> loads from elsewhere", tok.Data, a.Val))
			}
		}
		switch tok.Data {
		case "iframe", "svg", "style", "object", "embed", "img", "base", "form":
			if tok.Data == "form" && attrs["role"] == "search" {
				continue
			}
			problems = append(problems, fmt.Sprintf("<%s> element", tok.Data))
		case "script":
			if attrs["type"] == "application/json" {
				continue // data for charts.js; html/template escapes < inside it
			}
			if !ownScript.MatchString(attrs["src"]) {
				problems = append(problems, fmt.Sprintf("<script> not ours: %v", tok.Attr))
			}
		}
	}
}

// ChurnHeap allocates n blocks of 8 to 8+spread-1 bytes, each filled with
// its own byte, dropping them and collecting every n/10: memory the
// collector frees is used again and written over, so that a value that
// (wrongly) pointed into the heap from memory it does not scan no longer
// reads the same.
func ChurnHeap(n, spread int) {
	var junk [][]byte
	for i := range n {
		junk = append(junk, bytes.Repeat([]byte{byte(i)}, 8+i%spread))
		if i%max(1, n/10) == 0 {
			junk = nil
			runtime.GC()
		}
	}
	runtime.KeepAlive(junk)
}
