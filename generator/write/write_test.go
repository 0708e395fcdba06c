package write

import (
	"errors"
	"os"
	"path/filepath"
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
