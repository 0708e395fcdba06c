package generator_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/check"
	"github.com/handover-dev/handover/generator/diag"
)

// TestBuildWritesWhatRenderGives checks the streamed build (pages written
// by background writers as they render, node trees dropped before the
// render) against the site rendered in memory, file by file, readiness
// included.
func TestBuildWritesWhatRenderGives(t *testing.T) {
	repo := filepath.Join("..", "examples")
	out := filepath.Join(t.TempDir(), "site")
	opts := generator.Options{Readiness: check.ForSite}
	if _, diags, err := generator.Build(repo, out, false, opts); err != nil || diag.HasErrors(diags, false) {
		t.Fatalf("build: %v %v", err, diags)
	}
	res, diags, err := generator.Render(repo, false, opts)
	if err != nil || res.Site == nil {
		t.Fatalf("render: %v %v", err, diags)
	}
	written := map[string][]byte{}
	err = filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		written[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != len(res.Site.Files) || len(written) < 90 {
		t.Errorf("build wrote %d files, render gives %d", len(written), len(res.Site.Files))
	}
	for p, b := range res.Site.Files {
		if got, ok := written[p]; !ok || string(got) != string(b) {
			t.Errorf("%s: the written file differs from the rendered one (written: %v)", p, ok)
		}
	}
}
