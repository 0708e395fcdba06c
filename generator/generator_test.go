package generator

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
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
		t.Fatalf("%v (run go test ./generator -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (review, then rerun with -update):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// TestValidateGolden pins every output format on a repository that holds
// one of each common mistake.
func TestValidateGolden(t *testing.T) {
	m, diags, err := Validate(filepath.Join("testdata", "broken"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !diag.HasErrors(diags, false) {
		t.Fatal("the broken repository validated clean")
	}
	for _, format := range []string{"text", "json", "github"} {
		t.Run(format, func(t *testing.T) {
			f, err := diag.NewFormatter(format, "broken", m.Repo.Source)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Format(&buf, diags); err != nil {
				t.Fatal(err)
			}
			golden(t, "validate."+format, buf.Bytes())
		})
	}
}
