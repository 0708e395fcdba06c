package generator

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/site"
	"github.com/handover-dev/handover/generator/synth"
	"github.com/handover-dev/handover/internal/testutil"
	yaml "go.yaml.in/yaml/v3"
)

// The benchmarks run at 1,000, 10,000 and 50,000 synthetic entities (100 per
// client), each size generated once per run and shared by the benchmarks of
// that size. The 50k ones take minutes (generating and building 50,000
// entities) and run only when asked for: with a -bench pattern that names
// 50k, or with HANDOVER_BENCH_50K=1:
//
//	go test ./generator -run '^$' -bench 'Validate|Render|Build' -benchtime 1x
//	go test ./generator -run '^$' -bench '50k' -benchtime 1x
//	HANDOVER_BENCH_50K=1 go test ./generator -run '^$' -bench . -benchtime 1x
//
// Benchmarks named Git use a synthetic git repository with one commit per
// ten entities (synth.Git), and skip when git is not installed.

// synthDirs holds the repositories generated in this run, so that each size
// is generated once.
var synthDirs struct {
	sync.Mutex
	root string            // holds every generated repository; removed by TestMain
	dirs map[string]string // by kind and size
}

func TestMain(m *testing.M) {
	code := m.Run()
	if synthDirs.root != "" {
		os.RemoveAll(synthDirs.root)
	}
	os.Exit(code)
}

// synthRepo returns a synthetic repository of entities entities, without
// git, generated once per run.
func synthRepo(b *testing.B, entities int) string {
	b.Helper()
	return cachedRepo(b, entities, false)
}

// synthGitRepo returns a synthetic repository of entities entities with a
// history of entities/10 commits, generated once per run.
func synthGitRepo(b *testing.B, entities int) string {
	b.Helper()
	testutil.RequireGit(b)
	return cachedRepo(b, entities, true)
}

func cachedRepo(b *testing.B, entities int, git bool) string {
	b.Helper()
	if entities >= 50_000 {
		need50k(b)
	}
	synthDirs.Lock()
	defer synthDirs.Unlock()
	key := fmt.Sprintf("%d-git-%t", entities, git)
	if dir, ok := synthDirs.dirs[key]; ok {
		return dir
	}
	if synthDirs.root == "" {
		root, err := os.MkdirTemp("", "handover-bench-")
		if err != nil {
			b.Fatal(err)
		}
		synthDirs.root, synthDirs.dirs = root, map[string]string{}
	}
	dir := filepath.Join(synthDirs.root, key)
	if _, err := synth.Write(dir, synth.Options{Clients: entities / 100, Entities: entities, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if git {
		if err := synth.Git(dir, entities/10, 1); err != nil {
			b.Fatal(err)
		}
	}
	synthDirs.dirs[key] = dir
	return dir
}

// need50k skips a 50,000-entity benchmark unless it was asked for.
func need50k(b *testing.B) {
	if os.Getenv("HANDOVER_BENCH_50K") == "1" {
		return
	}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), "50k") {
		return
	}
	b.Skip("50,000 entities take minutes: name 50k in -bench, or set HANDOVER_BENCH_50K=1")
}

// BenchmarkValidate10k runs load → validate → resolve over 10,000
// synthetic entities. Compare it with BenchmarkParseOnly10k, measured in
// the same run: the ratio is the cost of our checks over bare YAML parsing.
func BenchmarkValidate10k(b *testing.B) { benchValidate(b, 10_000) }

func benchValidate(b *testing.B, entities int) {
	dir := synthRepo(b, entities)
	b.ResetTimer()
	for b.Loop() {
		_, diags, err := Validate(dir, Options{})
		if err != nil || diag.HasErrors(diags, false) {
			b.Fatalf("synthetic repository does not validate: %v %v", err, diags[:min(3, len(diags))])
		}
	}
}

// BenchmarkValidate1k is BenchmarkValidate10k over 1,000 entities.
func BenchmarkValidate1k(b *testing.B) { benchValidate(b, 1_000) }

// BenchmarkValidate50k is BenchmarkValidate10k over 50,000 entities: the
// `handover validate` target of PERFORMANCE.md (under 2 seconds).
func BenchmarkValidate50k(b *testing.B) { benchValidate(b, 50_000) }

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
func BenchmarkRender10k(b *testing.B) { benchRender(b, 10_000) }

// BenchmarkRender1k is BenchmarkRender10k over 1,000 entities.
func BenchmarkRender1k(b *testing.B) { benchRender(b, 1_000) }

// BenchmarkRender50k is BenchmarkRender10k over 50,000 entities.
func BenchmarkRender50k(b *testing.B) { benchRender(b, 50_000) }

func benchRender(b *testing.B, entities int) {
	dir := synthRepo(b, entities)
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
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, synthRepo(b, 10_000)) }

// BenchmarkBuild1k is BenchmarkBuild10k over 1,000 entities.
func BenchmarkBuild1k(b *testing.B) { benchBuild(b, synthRepo(b, 1_000)) }

// BenchmarkBuild50k is BenchmarkBuild10k over 50,000 entities.
func BenchmarkBuild50k(b *testing.B) { benchBuild(b, synthRepo(b, 50_000)) }

// BenchmarkBuildGit10k is BenchmarkBuild10k over a git repository with
// 1,000 commits: the pipeline with its history, as `handover build` runs in
// CI. BenchmarkBuildGit50k over 50,000 entities and 5,000 commits is the
// portfolio of the Hugo comparison in PERFORMANCE.md; the ratio of the two
// is the scaling target (at most 5.5).
func BenchmarkBuildGit10k(b *testing.B) { benchBuild(b, synthGitRepo(b, 10_000)) }

// BenchmarkBuildGit1k is BenchmarkBuildGit10k over 1,000 entities and 100
// commits.
func BenchmarkBuildGit1k(b *testing.B) { benchBuild(b, synthGitRepo(b, 1_000)) }

// BenchmarkBuildGit50k is BenchmarkBuildGit10k over 50,000 entities and
// 5,000 commits.
func BenchmarkBuildGit50k(b *testing.B) { benchBuild(b, synthGitRepo(b, 50_000)) }

func benchBuild(b *testing.B, dir string) {
	out := filepath.Join(b.TempDir(), "site")
	b.ResetTimer()
	for b.Loop() {
		res, diags, err := Build(dir, out, false, Options{})
		if err != nil || !res.Written {
			b.Fatalf("build: %v %v", err, diags[:min(3, len(diags))])
		}
	}
}

// BenchmarkHistoryGit10k is the enrich stage alone, history.Read, over the
// synthetic git repository of 10,000 entities and 1,000 commits, with the
// files the loader read (so that it checks each for uncommitted changes,
// as Build does). Compare it with BenchmarkGitLogNameOnly10k: the target is
// at most twice git's time.
func BenchmarkHistoryGit10k(b *testing.B) { benchHistory(b, 10_000) }

// BenchmarkHistoryGit1k is BenchmarkHistoryGit10k over 1,000 entities and
// 100 commits.
func BenchmarkHistoryGit1k(b *testing.B) { benchHistory(b, 1_000) }

// BenchmarkHistoryGit50k is BenchmarkHistoryGit10k over 50,000 entities and
// 5,000 commits.
func BenchmarkHistoryGit50k(b *testing.B) { benchHistory(b, 50_000) }

func benchHistory(b *testing.B, entities int) {
	dir := synthGitRepo(b, entities)
	m, diags, err := Validate(dir, Options{})
	if err != nil || diag.HasErrors(diags, false) {
		b.Fatalf("synthetic repository does not validate: %v", err)
	}
	b.ResetTimer()
	for b.Loop() {
		h, _, err := history.Read(dir, m.Repo.Sources)
		if err != nil {
			b.Fatal(err)
		}
		if len(h.Commits) != entities/10 {
			b.Fatalf("%d commits, want %d", len(h.Commits), entities/10)
		}
	}
	b.ReportMetric(float64(entities/10), "commits")
}

// BenchmarkGitLogNameOnly10k has git list what BenchmarkHistoryGit10k
// reads: `git log --name-only` over the same repository, output discarded.
func BenchmarkGitLogNameOnly10k(b *testing.B) { benchGitLog(b, 10_000) }

// BenchmarkGitLogNameOnly1k is BenchmarkGitLogNameOnly10k over 1,000
// entities and 100 commits.
func BenchmarkGitLogNameOnly1k(b *testing.B) { benchGitLog(b, 1_000) }

// BenchmarkGitLogNameOnly50k is BenchmarkGitLogNameOnly10k over 50,000
// entities and 5,000 commits.
func BenchmarkGitLogNameOnly50k(b *testing.B) { benchGitLog(b, 50_000) }

func benchGitLog(b *testing.B, entities int) {
	dir := synthGitRepo(b, entities)
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command("git", "log", "--name-only")
		cmd.Dir = dir
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// SynthGitRepo is synthGitRepo for the benchmarks of package generator_test
// (which can import generator/check).
var SynthGitRepo = synthGitRepo
