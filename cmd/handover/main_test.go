package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/validate"
	"github.com/handover-dev/handover/internal/testutil"
)

const examples = "../../examples"

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// copyExamples copies the bundled examples to a temporary directory.
func copyExamples(t *testing.T) string { return testutil.CopyDir(t, examples) }

func TestExamplesValidate(t *testing.T) {
	code, stdout, stderr := runCLI(t, "validate", examples)
	if code != 0 {
		t.Fatalf("validate examples exited %d:\n%s%s", code, stdout, stderr)
	}
	// Only the deliberately incomplete client may have findings, and only warnings.
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "error[") || (strings.Contains(line, "warning[") && !strings.Contains(line, "fernhill-veterinary")) {
			t.Errorf("unexpected diagnostic in the examples: %s", line)
		}
	}
}

// TestMistakes makes one common mistake at a time in a copy of the examples
// and checks that validate exits 1 and points at it.
func TestMistakes(t *testing.T) {
	const server = "clients/brightsmile-dental/servers/pms-01.yaml"
	cases := []struct {
		name     string
		file     string
		old, new string // replace old with new in file; old "" creates file with new
		at       string // the text the diagnostic must point at, in the new content
		code     string
		want     []string // parts of message or hint
	}{
		{"misspelt field", server, "hostname: PMS-01", "hostnmae: PMS-01", "hostnmae", "unknown-field",
			[]string{`unknown field "hostnmae" (did you mean "hostname"?)`}},
		{"wrong enum value", server, "environment: production", "environment: live", "live", "invalid-enum",
			[]string{`invalid environment "live"`, "production, staging, development, dr"}},
		{"dangling reference", server, "  - server:hv-01", "  - server:hv-1", "server:hv-1", "dangling-ref",
			[]string{"server:hv-1 does not exist in client brightsmile-dental", "server:hv-01"}},
		{"duplicate id", "clients/brightsmile-dental/servers/pms-01b.yaml", "", "kind: Server\nid: pms-01\nname: Copy\nhostname: pms-copy\nenvironment: dr\n",
			"pms-01", "duplicate-id", []string{`duplicate server id "pms-01"`, server + ":2:5"}},
		{"broken YAML syntax", server, "hostname: PMS-01", "hostname: PMS-01: the PMS", "hostname", "yaml-syntax",
			[]string{"mapping values are not allowed", "quote the whole value"}},
		{"unquoted number", server, `  version: "2019"`, "  version: 8.10", "8.10", "invalid-type",
			[]string{"os.version must be a string, not the number 8.10", `quote it: "8.10"`, "as the number 8.1"}},
		{"duplicate key", server, "environment: production", "environment: production\nhostname: PMS-02", "hostname: PMS-02", "yaml-duplicate-key",
			[]string{`duplicate key "hostname" (first at line 12)`}},
		{"unknown kind", server, "kind: Server", "kind: Servers", "Servers", "unknown-kind",
			[]string{`unknown kind "Servers" (did you mean "Server"?)`, "Client, Service"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyExamples(t)
			path := filepath.Join(dir, filepath.FromSlash(tc.file))
			content := tc.new
			if tc.old != "" {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(b, []byte(tc.old)) {
					t.Fatalf("%s does not contain %q: update the test to the examples", tc.file, tc.old)
				}
				content = strings.Replace(string(b), tc.old, tc.new, 1)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			line, col := position(content, tc.new, tc.at)

			code, stdout, stderr := runCLI(t, "validate", "--format", "json", dir)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
			}
			var ds []diag.Diagnostic
			if err := json.Unmarshal([]byte(stdout), &ds); err != nil {
				t.Fatalf("bad json: %v\n%s", err, stdout)
			}
			for _, d := range ds {
				if d.Code != tc.code {
					continue
				}
				if d.File != filepath.ToSlash(filepath.Join(dir, tc.file)) || d.Line != line || d.Column != col {
					t.Errorf("%s at %s:%d:%d, want %s:%d:%d", d.Code, d.File, d.Line, d.Column, tc.file, line, col)
				}
				text := d.Message + "\n" + d.Hint
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("diagnostic %q lacks %q", text, w)
					}
				}
				return
			}
			t.Errorf("no %s diagnostic in:\n%s", tc.code, stdout)
		})
	}
}

// position returns the 1-based line and column of at, searched for inside
// the inserted text new, in content.
func position(content, inserted, at string) (int, int) {
	start := strings.Index(content, inserted)
	off := start + strings.Index(inserted, at)
	line := 1 + strings.Count(content[:off], "\n")
	col := off - strings.LastIndex(content[:off], "\n")
	return line, col
}

func TestFormats(t *testing.T) {
	dir := copyExamples(t)
	path := filepath.Join(dir, "clients/brightsmile-dental/servers/pms-01.yaml")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte("hostname:"), []byte("hostnmae:"), 1), 0o644)

	_, text, _ := runCLI(t, "validate", dir)
	if !strings.Contains(text, "pms-01.yaml:12:1: error[unknown-field]: unknown field \"hostnmae\" (did you mean \"hostname\"?)\n 12 | hostnmae: PMS-01\n    | ^\n") {
		t.Errorf("text output lacks the compiler-style diagnostic:\n%s", text)
	}
	_, gh, _ := runCLI(t, "validate", "--format", "github", dir)
	if !strings.HasPrefix(gh, "::error file="+filepath.ToSlash(dir)+"/clients/brightsmile-dental/servers/pms-01.yaml,line=12,col=1,title=unknown-field::") {
		t.Errorf("github output: %s", gh)
	}
	clean := testutil.WriteFiles(t, map[string]string{"handover.yaml": "version: 1\n"})
	_, js, _ := runCLI(t, "validate", "--format", "json", clean)
	if strings.TrimSpace(js) != "[]" {
		t.Errorf("json output for a clean repository = %q, want []", js)
	}
}

func TestExitCodes(t *testing.T) {
	dir := copyExamples(t)
	// A warning only: an unquoted "no" in a note.
	path := filepath.Join(dir, "clients/brightsmile-dental/servers/pms-01.yaml")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte("role: Molarsoft Practice application and database server"), []byte("role: no"), 1), 0o644)

	cases := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"validate", examples}, 0},
		{"warning", []string{"validate", dir}, 0},
		{"warning strict", []string{"validate", "--strict", dir}, 1},
		{"unknown flag", []string{"validate", "--nope", examples}, 2},
		{"unknown format", []string{"validate", "--format", "xml", examples}, 2},
		{"missing directory", []string{"validate", filepath.Join(dir, "nope")}, 2},
		{"too many arguments", []string{"validate", "a", "b"}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown schema", []string{"schema", "widget"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("stack trace on stderr: %s", stderr)
			}
		})
	}
}

// TestSchemaOut writes the schemas as an editor would get them, checks each
// against the draft 2020-12 metaschema and has a $id, and validates every
// example document against the written files, not the embedded copies.
func TestSchemaOut(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "schema", "--out", out); code != 0 {
		t.Fatalf("schema --out exited %d: %s", code, stderr)
	}
	meta, err := jsonschema.NewCompiler().Compile("https://json-schema.org/draft/2020-12/schema")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.schema.json"))
	if len(files) != 9 {
		t.Errorf("wrote %d schemas, want 9 (8 kinds and common)", len(files))
	}
	for _, f := range files {
		fh, _ := os.Open(f)
		doc, err := jsonschema.UnmarshalJSON(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := meta.Validate(doc); err != nil {
			t.Errorf("%s fails the metaschema: %v", f, err)
		}
		if id, _ := doc.(map[string]any)["$id"].(string); !strings.HasSuffix(id, "/"+filepath.Base(f)) {
			t.Errorf("%s has $id %q", f, id)
		}
	}
	written, err := validate.Compile(os.DirFS(out))
	if err != nil {
		t.Fatal(err)
	}
	repo, diags := load.Repo(examples, load.Options{})
	if len(diags) > 0 {
		t.Fatalf("examples do not load: %v", diags)
	}
	docs := append(repo.Docs, repo.Portfolio)
	for _, d := range docs {
		if ds := written.Document(d, load.PortfolioFile); len(ds) > 0 {
			t.Errorf("%s fails the written schema: %v", d.File, ds)
		}
	}
	if len(docs) < 30 {
		t.Errorf("only %d example documents checked", len(docs))
	}
}

func TestBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	code, stdout, stderr := runCLI(t, "build", examples, "--out", out)
	if code != 0 {
		t.Fatalf("build exited %d:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "4 clients, 93 entities") || !strings.Contains(stderr, "render ") {
		t.Errorf("summary lacks counts or stage timings: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Errorf("no index.html: %v", err)
	}
	// Readiness: the incomplete client's score and gaps are on its pages.
	client, _ := os.ReadFile(filepath.Join(out, "clients/fernhill-veterinary/index.html"))
	vet, _ := os.ReadFile(filepath.Join(out, "clients/fernhill-veterinary/servers/vet-01.html"))
	dash, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(client), "Handover readiness: <span class=\"score score-poor\"") ||
		!strings.Contains(string(vet), "What a successor would miss") || !strings.Contains(string(vet), "no `backup`") ||
		!strings.Contains(string(dash), "score score-good") {
		t.Errorf("readiness is missing from the site")
	}

	// A directory that is not a previous site is refused, and left alone.
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "notes.txt"), []byte("mine"), 0o644)
	code, _, stderr = runCLI(t, "build", examples, "--out", home)
	if code != 1 || !strings.Contains(stderr, "refusing to replace it") {
		t.Errorf("build into a foreign directory: exit %d, %s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(home, "notes.txt")); string(b) != "mine" {
		t.Errorf("the foreign directory was changed")
	}

	// An error in the repository: exit 1, diagnostics printed, site kept.
	dir := copyExamples(t)
	path := filepath.Join(dir, "clients/brightsmile-dental/servers/pms-01.yaml")
	b, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(b, []byte("hostname:"), []byte("hostnmae:"), 1), 0o644)
	before, _ := os.ReadFile(filepath.Join(out, "index.html"))
	code, stdout, stderr = runCLI(t, "build", dir, "--out", out)
	if code != 1 || !strings.Contains(stdout, "error[unknown-field]") || !strings.Contains(stderr, "nothing written") {
		t.Errorf("build with an error: exit %d\n%s%s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "index.html")); !bytes.Equal(before, after) {
		t.Errorf("the previous site changed")
	}
}
