package write

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const marker = ".site"

func TestReplacesPreviousSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if err := Site(map[string][]byte{marker: nil, "index.html": []byte("one"), "old.html": []byte("x")}, out, marker); err != nil {
		t.Fatal(err)
	}
	if err := Site(map[string][]byte{marker: nil, "index.html": []byte("two"), "a/b.html": []byte("b")}, out, marker); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "two" {
		t.Errorf("index.html = %q, want two", b)
	}
	if _, err := os.Stat(filepath.Join(out, "old.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file of the previous site survived: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary directories left beside the site: %v", entries)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o755 {
		t.Errorf("site directory mode %v, want 0755", st.Mode().Perm())
	}
}

func TestRefusesForeignDirectory(t *testing.T) {
	home := t.TempDir()
	precious := filepath.Join(home, "thesis.docx")
	os.WriteFile(precious, []byte("years of work"), 0o644)
	err := Site(map[string][]byte{marker: nil, "index.html": nil}, home, marker)
	var refused *RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("err = %v, want a RefusedError", err)
	}
	if b, _ := os.ReadFile(precious); string(b) != "years of work" {
		t.Errorf("the foreign directory was touched")
	}
}

func TestFailedWriteKeepsPreviousSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if err := Site(map[string][]byte{marker: nil, "index.html": []byte("good")}, out, marker); err != nil {
		t.Fatal(err)
	}
	if err := Site(map[string][]byte{marker: nil, "../escape.html": []byte("bad")}, out, marker); err == nil {
		t.Fatal("an invalid path was written")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "good" {
		t.Errorf("previous site changed: index.html = %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temporary directories left beside the site: %v", entries)
	}
}

func TestBackgroundWritesCopies(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	tx, err := Begin(out, marker)
	if err != nil {
		t.Fatal(err)
	}
	file, wait := tx.Background(3)
	buf := make([]byte, 0, 16)
	page := func(i int) string {
		if i%10 == 0 { // larger than the pages Background copies
			return fmt.Sprintf("page %d%s", i, strings.Repeat(".", maxPooled))
		}
		return fmt.Sprintf("page %d", i)
	}
	for i := range 200 {
		buf = append(buf[:0], page(i)...)
		if err := file(fmt.Sprintf("c%d/p%d.html", i%7, i), buf); err != nil {
			t.Fatal(err)
		}
		copy(buf, "XXXXXXXX") // the caller reuses its buffer at once
	}
	if err := wait(); err != nil {
		t.Fatal(err)
	}
	if err := tx.All(map[string][]byte{marker: nil}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("c%d/p%d.html", i%7, i)))
		if want := page(i); err != nil || string(b) != want {
			t.Fatalf("page %d: %.20q (%d bytes), %v; want %.20q (%d bytes)", i, b, len(b), err, want, len(want))
		}
	}
}

func TestBackgroundReportsFailure(t *testing.T) {
	tx, err := Begin(filepath.Join(t.TempDir(), "site"), marker)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	file, wait := tx.Background(2)
	_ = file("../escape.html", []byte("bad"))
	if err := wait(); err == nil || !strings.Contains(err.Error(), "escape.html") {
		t.Fatalf("wait() = %v, want the failed write", err)
	}
	if err := file("index.html", []byte("late")); err == nil {
		t.Error("a write after a failure was accepted")
	}
}

// TestStream: a streamed file lands in the site with what fill wrote, and
// fill's error is returned, naming the file, with no site committed.
func TestStream(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	tx, err := Begin(out, marker)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 200<<10) // past the writer's buffer
	err = tx.Stream("assets/search-index.js", func(w *bufio.Writer) error {
		w.WriteString("window.X = ")
		w.WriteString(big)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	broken := errors.New("records failed")
	if err := tx.Stream("assets/other.js", func(w *bufio.Writer) error { return broken }); !errors.Is(err, broken) || !strings.Contains(err.Error(), "assets/other.js") {
		t.Errorf("Stream with a failing fill = %v, want it wrapped with the path", err)
	}
	if err := tx.Stream("../escape.js", func(w *bufio.Writer) error { return nil }); err == nil {
		t.Error("Stream accepted a path outside the site")
	}
	if err := tx.File(marker, nil); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "assets", "search-index.js"))
	if err != nil || string(b) != "window.X = "+big {
		t.Errorf("streamed file: %d bytes, err %v; want %d bytes", len(b), err, len("window.X = ")+len(big))
	}
}
