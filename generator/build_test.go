package generator

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/testutil"
)

func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

func TestBuildWithErrorKeepsSite(t *testing.T) {
	repo := testutil.CopyDir(t, filepath.Join("..", "examples"))
	out := filepath.Join(t.TempDir(), "site")
	if _, diags, err := Build(repo, out, false, Options{}); err != nil || diag.HasErrors(diags, false) {
		t.Fatalf("first build: %v %v", err, diags)
	}
	before := snapshot(t, out)

	server := filepath.Join(repo, "clients", "northwind-outfitters", "servers", "web-01.yaml")
	b, _ := os.ReadFile(server)
	os.WriteFile(server, bytes.Replace(b, []byte("hostname:"), []byte("hostnmae:"), 1), 0o644)
	res, diags, err := Build(repo, out, false, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Written || !diag.HasErrors(diags, false) {
		t.Fatalf("a repository with an error was built (written=%v)", res.Written)
	}
	after := snapshot(t, out)
	if len(after) != len(before) {
		t.Fatalf("site has %d files, had %d", len(after), len(before))
	}
	for p, content := range before {
		if after[p] != content {
			t.Errorf("%s changed although the build failed", p)
		}
	}
}

func TestBuildTwiceIsByteIdentical(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	for _, out := range []string{a, b} {
		if _, diags, err := Build(filepath.Join("..", "examples"), out, false, Options{}); err != nil || diag.HasErrors(diags, false) {
			t.Fatalf("build: %v %v", err, diags)
		}
	}
	sa, sb := snapshot(t, a), snapshot(t, b)
	if len(sa) != len(sb) || len(sa) < 90 {
		t.Fatalf("%d and %d files", len(sa), len(sb))
	}
	for p := range sa {
		if sa[p] != sb[p] {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

func TestBuildRefusesRepositoryAsOutput(t *testing.T) {
	repo := testutil.CopyDir(t, filepath.Join("..", "examples"))
	for _, out := range []string{repo, filepath.Dir(repo)} {
		_, _, err := Build(repo, out, false, Options{})
		if err == nil || !strings.Contains(err.Error(), "would replace the repository") {
			t.Errorf("--out %s: err = %v", out, err)
		}
	}
	if _, err := os.Stat(filepath.Join(repo, "handover.yaml")); err != nil {
		t.Fatalf("the repository was damaged: %v", err)
	}
}

func TestBuildInsideRepositorySkipsOutput(t *testing.T) {
	repo := testutil.CopyDir(t, filepath.Join("..", "examples"))
	out := filepath.Join(repo, "public")
	if _, _, err := Build(repo, out, false, Options{}); err == nil || !strings.Contains(err.Error(), "add /public/ to") {
		t.Fatalf("an output directory inside the repository that git would commit: err = %v", err)
	}
	os.WriteFile(filepath.Join(repo, ".gitignore"), []byte("# the site\n/public/\n"), 0o644)
	for i := 0; i < 2; i++ {
		if _, diags, err := Build(repo, out, false, Options{}); err != nil || diag.HasErrors(diags, false) {
			t.Fatalf("build %d: %v %v", i, err, diags)
		}
	}
}

func TestTemplateOverride(t *testing.T) {
	repo := testutil.CopyDir(t, filepath.Join("..", "examples"))
	own := filepath.Join(repo, "site-template", "assets")
	os.MkdirAll(own, 0o755)
	os.WriteFile(filepath.Join(own, "style.css"), []byte("/* our brand */\n"), 0o644)
	os.WriteFile(filepath.Join(own, "logo.svg"), []byte("<svg/>"), 0o644)
	out := filepath.Join(t.TempDir(), "site")
	if _, diags, err := Build(repo, out, false, Options{}); err != nil || diag.HasErrors(diags, false) {
		t.Fatalf("build: %v %v", err, diags)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "assets", "style.css")); string(b) != "/* our brand */\n" {
		t.Errorf("the repository's style.css did not replace the default: %.40q", b)
	}
	if _, err := os.Stat(filepath.Join(out, "assets", "logo.svg")); err != nil {
		t.Errorf("the repository's extra asset was not copied: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "assets", "app.js")); err != nil {
		t.Errorf("the default app.js is missing under an override: %v", err)
	}
}

func TestTemplateOverrideNeverFollowsSymlinks(t *testing.T) {
	repo := testutil.CopyDir(t, filepath.Join("..", "examples"))
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "id_rsa"), []byte("not for publishing"), 0o600)
	own := filepath.Join(repo, "site-template", "assets")
	os.MkdirAll(own, 0o755)
	if err := os.Symlink(filepath.Join(outside, "id_rsa"), filepath.Join(own, "key.txt")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	os.Symlink(outside, filepath.Join(own, "home"))
	out := filepath.Join(t.TempDir(), "site")
	if _, diags, err := Build(repo, out, false, Options{}); err != nil || diag.HasErrors(diags, false) {
		t.Fatalf("build: %v %v", err, diags)
	}
	for _, p := range []string{"assets/key.txt", "assets/home/id_rsa"} {
		if _, err := os.Stat(filepath.Join(out, p)); err == nil {
			t.Errorf("%s was copied through a symbolic link", p)
		}
	}
}

func TestBrokenTemplateOverrideIsADiagnostic(t *testing.T) {
	for _, tc := range []struct {
		name, page, text string
		line             int
	}{
		{"does not parse", "entity", "{{define \"content\"}}\n{{.Nope}\n{{end}}", 2},
		// A build streams the expiry calendar to its file: failing half
		// way through, it must leave nothing behind either.
		{"fails half way through a streamed page", "expiries", "{{define \"content\"}}\n<ul>{{range .Data}}<li>{{.Date}}</li>{{end}}</ul>\n{{.Nope}}\n{{end}}", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := testutil.CopyDir(t, filepath.Join("..", "examples"))
			pages := filepath.Join(repo, "site-template", "pages")
			os.MkdirAll(pages, 0o755)
			os.WriteFile(filepath.Join(pages, tc.page+".html"), []byte(tc.text), 0o644)
			parent := t.TempDir()
			out := filepath.Join(parent, "site")
			res, diags, err := Build(repo, out, false, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var errs []diag.Diagnostic
			for _, d := range diags {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				}
			}
			if res.Written || len(errs) != 1 || errs[0].File != "site-template/pages/"+tc.page+".html" || errs[0].Line != tc.line {
				t.Errorf("errors = %v, written = %v", errs, res.Written)
			}
			if left, _ := os.ReadDir(parent); len(left) != 0 {
				t.Errorf("the failed build left %v beside the site", left)
			}
		})
	}
}
