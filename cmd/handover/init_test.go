package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/check"
	"github.com/handover-dev/handover/internal/testutil"
	"github.com/handover-dev/handover/schemas"
)

// TestInitValidateBuild runs the commands init tells a new user to run: the
// scaffold must validate with no error and no warning at all, have no
// readiness gaps, and build, whether DIR is empty or does not exist yet.
func TestInitValidateBuild(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"empty directory", func(t *testing.T) string { return t.TempDir() }},
		{"missing directory", func(t *testing.T) string { return filepath.Join(t.TempDir(), "new", "handover") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir(t)
			site := filepath.Join(dir, "site")

			code, stdout, stderr := runCLI(t, "init", dir)
			if code != 0 {
				t.Fatalf("init exited %d:\n%s%s", code, stdout, stderr)
			}
			for _, want := range []string{
				"clients/example-client/client.yaml\n",
				"clients/example-client/runbooks/restart-customer-portal.md\n",
				".github/workflows/handover.yml\n",
				"schemas/*.schema.json (9 JSON Schemas",
				"handover validate " + dir + "\n",
				"handover build " + dir + " --out " + site + "\n",
				"open " + filepath.Join(site, "index.html"),
			} {
				if !strings.Contains(stdout, want) {
					t.Errorf("init output lacks %q:\n%s", want, stdout)
				}
			}

			code, stdout, stderr = runCLI(t, "validate", "--strict", dir)
			if code != 0 || strings.Contains(stdout, "error[") || strings.Contains(stdout, "warning[") || strings.Contains(stdout, "info[") {
				t.Fatalf("validate exited %d; the scaffold must have no findings at all:\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, "no problems") {
				t.Errorf("validate summary: %s", stderr)
			}

			// A successor could take over the example tomorrow: nothing missing,
			// expiring or stale.
			code, stdout, stderr = runCLI(t, "check", "--format", "json", dir)
			var report check.Report
			if err := json.Unmarshal([]byte(stdout), &report); code != 0 || err != nil {
				t.Fatalf("check exited %d (%v):\n%s%s", code, err, stdout, stderr)
			}
			var gaps []string
			for _, c := range report.Clients {
				for _, f := range c.Missing {
					gaps = append(gaps, f.Rule+" "+f.Ref+": "+f.Message)
				}
			}
			for _, v := range report.Shared {
				for _, f := range v.Missing {
					gaps = append(gaps, f.Rule+" "+f.Ref+": "+f.Message)
				}
			}
			for _, e := range report.Expiries {
				gaps = append(gaps, e.Ref+": "+e.Message)
			}
			for _, st := range report.Stale {
				gaps = append(gaps, st.Ref+": stale since "+st.Since)
			}
			if len(gaps) > 0 || len(report.Clients) != 1 || report.Clients[0].Score != 100 {
				t.Errorf("the scaffold is not ready for a handover (%d clients):\n  %s", len(report.Clients), strings.Join(gaps, "\n  "))
			}

			code, stdout, stderr = runCLI(t, "build", dir, "--out", site)
			if code != 0 {
				t.Fatalf("build exited %d:\n%s%s", code, stdout, stderr)
			}
			for _, page := range []string{"index.html", "clients/example-client/index.html", "clients/example-client/runbooks/restart-customer-portal.html"} {
				if _, err := os.Stat(filepath.Join(site, filepath.FromSlash(page))); err != nil {
					t.Errorf("the site lacks %s: %v", page, err)
				}
			}
		})
	}
}

// TestInitRefusesExistingFiles: when any file init would write exists,
// init exits 1, names it, and writes nothing else.
func TestInitRefusesExistingFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		named []string // in the error
	}{
		{"handover.yaml", map[string]string{"handover.yaml": "version: 1\n"}, []string{"handover.yaml"}},
		{"a file written last", map[string]string{"vendors/example-hosting.yaml": "mine\n"}, []string{"vendors/example-hosting.yaml"}},
		{"a schema", map[string]string{"schemas/server.schema.json": "{}\n"}, []string{"schemas/server.schema.json"}},
		{"several", map[string]string{".gitignore": "/public/\n", "clients/example-client/client.yaml": "mine\n", "README.md": "keep\n"},
			[]string{".gitignore", "clients/example-client/client.yaml"}},
		{"a file where a folder goes", map[string]string{"clients": "not a folder\n"}, []string{"clients"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testutil.WriteFiles(t, tc.files)
			before := tree(t, dir)

			code, stdout, stderr := runCLI(t, "init", dir)
			if code != 1 {
				t.Fatalf("init exited %d, want 1:\n%s%s", code, stdout, stderr)
			}
			for _, f := range tc.named {
				if !strings.Contains(stderr, "\n  "+f+"\n") {
					t.Errorf("the error does not name %s:\n%s", f, stderr)
				}
			}
			if strings.Contains(stderr, "README.md") {
				t.Errorf("the error names README.md, which init does not write:\n%s", stderr)
			}
			after := tree(t, dir)
			if len(after) != len(before) {
				t.Errorf("init wrote into %s although it refused: %d files before, %d after", dir, len(before), len(after))
			}
			for p, b := range before {
				if !bytes.Equal(after[p], b) {
					t.Errorf("init changed %s", p)
				}
			}
		})
	}
}

// TestInitSchemas: the schemas init writes are the embedded ones, byte for
// byte.
func TestInitSchemas(t *testing.T) {
	dir := t.TempDir()
	if code, stdout, stderr := runCLI(t, "init", dir); code != 0 {
		t.Fatalf("init exited %d:\n%s%s", code, stdout, stderr)
	}
	names, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded schemas: %v %v", names, err)
	}
	for _, n := range names {
		want, _ := fs.ReadFile(schemas.FS, n)
		got, err := os.ReadFile(filepath.Join(dir, "schemas", n))
		if err != nil {
			t.Errorf("schema %s not written: %v", n, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schemas/%s differs from the embedded schema", n)
		}
	}
}

func TestInitNotADirectory(t *testing.T) {
	dir := testutil.WriteFiles(t, map[string]string{"handover": "a file\n"})
	code, _, stderr := runCLI(t, "init", filepath.Join(dir, "handover"))
	if code != 2 || !strings.Contains(stderr, "is not a directory") {
		t.Errorf("init into a file exited %d: %s", code, stderr)
	}
}

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{".", "."},
		{"my-handover/site", "my-handover/site"},
		{"/tmp/x_1/index.html", "/tmp/x_1/index.html"},
		{"Client Docs", "'Client Docs'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	} {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// tree reads every file under dir, by slash-separated relative path.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
