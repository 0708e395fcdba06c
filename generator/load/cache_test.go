package load

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/testutil"
)

// TestCache walks a repository through the changes serve sees and checks
// what each load reads again (Changed) and what it keeps: the very same
// documents for files that did not change.
func TestCache(t *testing.T) {
	dir := testutil.WriteFiles(t, map[string]string{
		"handover.yaml":                "version: 1\nconsultancy:\n  name: Acme IT\n",
		"clients/a/client.yaml":        "kind: Client\nid: a\nname: A\n",
		"clients/a/servers/web.yaml":   "kind: Server\nid: web\nname: Web\n",
		"clients/a/runbooks/reboot.md": "---\nkind: Runbook\nid: reboot\n---\n# Reboot\n",
	})
	cache := NewCache()
	fsys := os.DirFS(dir)
	load := func() *Result {
		t.Helper()
		r, _ := FS(fsys, dir, Options{Cache: cache})
		return r
	}
	docOf := func(r *Result, file string) *model.Document {
		for _, d := range r.Docs {
			if d.File == file {
				return d
			}
		}
		return nil
	}
	write := func(rel, content string) {
		full := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const web = "clients/a/servers/web.yaml"
	prev := load()
	if got := cache.Changed(); len(got) != 4 {
		t.Fatalf("first load: Changed() = %q, want every file", got)
	}

	steps := []struct {
		name    string
		change  func()
		changed []string
		same    bool // web.yaml's document is the previous one
	}{
		{"nothing changed", func() {}, nil, true},
		{"a file rewritten", func() { write(web, "kind: Server\nid: web\nname: Web server\n") }, []string{web}, false},
		{"same size and time: not read again", func() {
			st, _ := os.Stat(filepath.Join(dir, web))
			write(web, "kind: Server\nid: web\nname: Web SERVER\n")
			os.Chtimes(filepath.Join(dir, web), st.ModTime(), st.ModTime())
		}, nil, true},
		{"the watcher's word read it again", func() { cache.Invalidate(web) }, []string{web}, false},
		{"a new file", func() { write("clients/a/servers/db.yaml", "kind: Server\nid: db\n") }, []string{"clients/a/servers/db.yaml"}, true},
		{"a file deleted", func() { os.Remove(filepath.Join(dir, "clients/a/servers/db.yaml")) }, []string{"clients/a/servers/db.yaml"}, true},
		{"a known file reported: no walk, so an unreported new file waits", func() {
			write("clients/a/servers/mail.yaml", "kind: Server\nid: mail\n")
			write(web, "kind: Server\nid: web\nname: Web server 2\n")
			cache.Invalidate(web)
		}, []string{web}, false},
		{"the next full look finds it", func() {}, []string{"clients/a/servers/mail.yaml"}, true},
		{"a new file reported walks", func() {
			write("clients/a/servers/dns.yaml", "kind: Server\nid: dns\n")
			cache.Invalidate("clients/a/servers/dns.yaml")
		}, []string{"clients/a/servers/dns.yaml"}, true},
	}
	for _, st := range steps {
		st.change()
		time.Sleep(10 * time.Millisecond) // past the file system's clock tick
		r := load()
		if got := cache.Changed(); !slices.Equal(got, st.changed) {
			t.Errorf("%s: Changed() = %q, want %q", st.name, got, st.changed)
		}
		if same := docOf(r, web) == docOf(prev, web); same != st.same {
			t.Errorf("%s: web.yaml kept its document = %v, want %v", st.name, same, st.same)
		}
		if !slices.Equal(r.Files, filesOn(t, dir)) && st.name != "a known file reported: no walk, so an unreported new file waits" {
			t.Errorf("%s: files %q, the disk has %q", st.name, r.Files, filesOn(t, dir))
		}
		prev = r
	}
}

func filesOn(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}
