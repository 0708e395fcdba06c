package generator

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", "golden", name), got, *update)
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
	for _, format := range []string{"text", "json", "github", "sarif"} {
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
