package scaffold

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

var day = time.Date(2026, 11, 26, 15, 4, 5, 0, time.UTC)

func TestFilesDeterministic(t *testing.T) {
	a, err := Files(day)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Files(day.Add(3 * time.Hour)) // the same day
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two calls on the same day", a[i].Path)
		}
	}
	if !slices.IsSortedFunc(a, func(x, y File) int { return strings.Compare(x.Path, y.Path) }) {
		t.Error("files are not sorted by path")
	}
}

func TestDates(t *testing.T) {
	files, err := Files(day)
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{}
	for _, f := range files {
		all[f.Path] = string(f.Data)
		if bytes.Contains(f.Data, []byte("{{today")) {
			t.Errorf("%s keeps a date mark", f.Path)
		}
	}
	for _, tc := range []struct{ file, want string }{
		{"clients/example-client/client.yaml", "reviewed: 2026-11-26\n"},
		{"clients/example-client/client.yaml", "renewal: 2027-11-26\n"},
		{"clients/example-client/client.yaml", "start: 2025-11-26\n"},
		{"clients/example-client/servers/app-01.yaml", "lastRestoreTest: 2026-11-12\n"},
		{"clients/example-client/configurations/cert-portal.yaml", "expires: 2027-01-25\n"},
		{"vendors/example-hosting.yaml", "renewal: 2027-07-26\n"},
	} {
		if !strings.Contains(all[tc.file], tc.want) {
			t.Errorf("%s lacks %q", tc.file, tc.want)
		}
	}
}

// TestEditorSchemas: every YAML file starts with a yaml-language-server
// line; a handover file's points at the schema of its kind, and every
// schema .vscode/settings.json maps exists.
func TestEditorSchemas(t *testing.T) {
	files, err := Files(day)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range files {
		have[f.Path] = true
	}
	modeline := regexp.MustCompile(`^# yaml-language-server: \$schema=(\S+)\n`)
	kind := regexp.MustCompile(`(?m)^kind: (\w+)$`)
	for _, f := range files {
		if ext := path.Ext(f.Path); ext != ".yaml" && ext != ".yml" {
			continue
		}
		m := modeline.FindSubmatch(f.Data)
		if m == nil {
			t.Errorf("%s does not start with a yaml-language-server line", f.Path)
			continue
		}
		schema := string(m[1])
		if strings.HasPrefix(schema, "https://") {
			continue // the GitHub workflow's, from SchemaStore
		}
		target := path.Join(path.Dir(f.Path), schema)
		k := kind.FindSubmatch(f.Data)
		if k == nil {
			t.Errorf("%s has no kind", f.Path)
			continue
		}
		if want := path.Join(SchemaDir, strings.ToLower(string(k[1]))+".schema.json"); target != want || !have[want] {
			t.Errorf("%s points at %s, want %s", f.Path, target, want)
		}
	}

	var settings struct {
		Schemas map[string]any `json:"yaml.schemas"`
	}
	for _, f := range files {
		if f.Path == ".vscode/settings.json" {
			if err := json.Unmarshal(f.Data, &settings); err != nil {
				t.Fatalf(".vscode/settings.json: %v", err)
			}
		}
	}
	if len(settings.Schemas) == 0 {
		t.Fatal(".vscode/settings.json maps no schemas")
	}
	for s := range settings.Schemas {
		if !have[path.Clean(s)] {
			t.Errorf(".vscode/settings.json maps %s, which init does not write", s)
		}
	}
}

// TestYAMLParses: every YAML file and the runbook's front matter parse.
func TestYAMLParses(t *testing.T) {
	files, err := Files(day)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src := f.Data
		switch path.Ext(f.Path) {
		case ".yaml", ".yml":
		case ".md":
			parts := bytes.SplitN(src, []byte("---\n"), 3)
			if len(parts) != 3 || len(parts[0]) != 0 {
				t.Errorf("%s has no front matter", f.Path)
				continue
			}
			src = parts[1]
		default:
			continue
		}
		var v map[string]any
		if err := yaml.Unmarshal(src, &v); err != nil || len(v) == 0 {
			t.Errorf("%s: %v", f.Path, err)
		}
	}
}

func TestWriteOn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	written, err := WriteOn(dir, day)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := Files(day)
	if len(written) != len(files) {
		t.Fatalf("wrote %d files, want %d", len(written), len(files))
	}
	for i, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if written[i] != f.Path || err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s: written as %s, %v", f.Path, written[i], err)
		}
	}

	// A second run finds every file and writes nothing.
	os.Remove(filepath.Join(dir, "handover.yaml"))
	_, err = WriteOn(dir, day.AddDate(0, 0, 1))
	var ee *ExistsError
	if !errors.As(err, &ee) || len(ee.Files) != len(files)-1 || slices.Contains(ee.Files, "handover.yaml") {
		t.Fatalf("second run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "handover.yaml")); err == nil {
		t.Error("a refused run wrote handover.yaml")
	}
}
