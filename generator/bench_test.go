package generator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/site"
	"github.com/handover-dev/handover/generator/synth"
	yaml "go.yaml.in/yaml/v3"
)

func synthRepo(b *testing.B, entities int) string {
	b.Helper()
	dir := b.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: entities / 100, Entities: entities, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkValidate10k runs load → validate → resolve over 10,000
// synthetic entities. Compare it with BenchmarkParseOnly10k, measured in
// the same run: the ratio is the cost of our checks over bare YAML parsing.
func BenchmarkValidate10k(b *testing.B) {
	dir := synthRepo(b, 10_000)
	b.ResetTimer()
	for b.Loop() {
		_, diags, err := Validate(dir, Options{})
		if err != nil || diag.HasErrors(diags, false) {
			b.Fatalf("synthetic repository does not validate: %v %v", err, diags[:min(3, len(diags))])
		}
	}
}

// BenchmarkParseOnly10k is the baseline: read and parse the same files
// into yaml.Node, sequentially, and nothing else.
func BenchmarkParseOnly10k(b *testing.B) {
	dir := synthRepo(b, 10_000)
	var files []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			var n yaml.Node
			_ = yaml.Unmarshal(src, &n)
		}
	}
}

// TestSynthValidates keeps the generator honest: a small synthetic
// portfolio must validate clean, or the benchmarks measure error paths.
func TestSynthValidates(t *testing.T) {
	dir := t.TempDir()
	n, err := synth.Write(dir, synth.Options{Clients: 3, Entities: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	m, diags, err := Validate(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) > 0 {
		t.Fatalf("synthetic repository has diagnostics: %v", diags)
	}
	if got := len(m.Repo.Docs); got != n {
		t.Errorf("loaded %d documents, synth says it wrote %d", got, n)
	}
}

// BenchmarkRender10k renders the site of 10,000 synthetic entities in
// memory (validation done once, outside the timer) and reports pages per
// second.
func BenchmarkRender10k(b *testing.B) {
	dir := synthRepo(b, 10_000)
	m, diags, err := Validate(dir, Options{})
	if err != nil || diag.HasErrors(diags, false) {
		b.Fatalf("synthetic repository does not validate: %v", err)
	}
	tmpl := Template(dir)
	b.ResetTimer()
	pages := 0
	for b.Loop() {
		s, ds, err := site.Render(m.Repo, m.Index, m.Graph, site.Options{Template: tmpl})
		if err != nil || len(ds) > 0 {
			b.Fatalf("render: %v %v", err, ds)
		}
		pages += s.Pages
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkBuild10k runs the whole pipeline over 10,000 synthetic
// entities, writing the site to disk.
func BenchmarkBuild10k(b *testing.B) {
	dir := synthRepo(b, 10_000)
	out := filepath.Join(b.TempDir(), "site")
	b.ResetTimer()
	for b.Loop() {
		res, diags, err := Build(dir, out, false, Options{})
		if err != nil || !res.Written {
			b.Fatalf("build: %v %v", err, diags[:min(3, len(diags))])
		}
	}
}
