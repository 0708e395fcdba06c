package history

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

const (
	benchCommits = 1000
	benchFiles   = 300
)

var bench struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchRepo returns a repository of benchCommits commits over benchFiles
// handover files, generated once per run with git fast-import and packed
// as a clone would be.
func benchRepo(b *testing.B) string {
	b.Helper()
	requireGit(b)
	bench.once.Do(func() {
		bench.dir, bench.err = os.MkdirTemp("", "history-bench-")
		if bench.err != nil {
			return
		}
		r := &gitRepo{T: b, Dir: bench.dir, Home: bench.dir}
		r.Git("-c", "init.defaultBranch=main", "init", "-q")
		cmd := exec.Command("git", "fast-import", "--quiet")
		cmd.Dir = bench.dir
		cmd.Env = r.Env(base, ada)
		cmd.Stdin = bytes.NewReader(fastImport())
		if out, err := cmd.CombinedOutput(); err != nil {
			bench.err = fmt.Errorf("git fast-import: %v\n%s", err, out)
			return
		}
		r.Git("repack", "-a", "-d", "-q")
		r.Git("reset", "-q", "--hard")
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.dir
}

// fastImport writes the stream of the benchmark repository: a first commit
// adds every file, and each later one edits three of them.
func fastImport() []byte {
	var buf bytes.Buffer
	rnd := rand.New(rand.NewPCG(1, 2))
	authors := []string{"Ada Admin <ada@example.com>", "Bo Ops <bo@example.com>", "Cy Consultant <cy@example.com>"}
	path := func(i int) string { return fmt.Sprintf("clients/c%02d/servers/s%03d.yaml", i%10, i) }
	file := func(i, rev int) string {
		return fmt.Sprintf("kind: Server\nid: s%03d\nname: Server %d\nhostname: s%03d.example.com\nrole: web\nenvironment: production\nos:\n  name: Debian\n  version: \"12\"\nnotes: revision %d\n", i, i, i, rev)
	}
	data := func(s string) { fmt.Fprintf(&buf, "data %d\n%s\n", len(s), s) }
	for c := 1; c <= benchCommits; c++ {
		author := authors[c%len(authors)]
		when := base.Add(time.Duration(c) * time.Hour).Unix()
		fmt.Fprintf(&buf, "commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\n", c, author, when, author, when)
		if c == 1 {
			data("Describe every server")
			for i := range benchFiles {
				fmt.Fprintf(&buf, "M 100644 inline %s\n", path(i))
				data(file(i, c))
			}
			continue
		}
		data(fmt.Sprintf("Update servers (change %d)", c))
		fmt.Fprintf(&buf, "from :%d\n", c-1)
		for range 3 {
			i := rnd.IntN(benchFiles)
			fmt.Fprintf(&buf, "M 100644 inline %s\n", path(i))
			data(file(i, c))
		}
	}
	return buf.Bytes()
}

// BenchmarkRead is the enrich stage over the benchmark repository; compare
// it with BenchmarkGitLogNameOnly, which has git list the same changes.
func BenchmarkRead(b *testing.B) {
	dir := benchRepo(b)
	for b.Loop() {
		h, _, err := Read(dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(h.Commits) != benchCommits || len(h.Files) != benchFiles {
			b.Fatalf("%d commits and %d files, want %d and %d", len(h.Commits), len(h.Files), benchCommits, benchFiles)
		}
	}
}

// BenchmarkGitLogNameOnly runs `git log --name-only` over the benchmark
// repository: the same walk and diffs, by git itself.
func BenchmarkGitLogNameOnly(b *testing.B) {
	dir := benchRepo(b)
	r := &gitRepo{T: b, Dir: dir, Home: dir}
	for b.Loop() {
		cmd := exec.Command("git", "log", "--name-only", "--format=%H %an %ae %at %s")
		cmd.Dir = dir
		cmd.Env = r.Env(base, ada)
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocuments attributes the commits of the benchmark repository's
// most edited file to its documents, without the remembered answer.
func BenchmarkDocuments(b *testing.B) {
	h, _, err := Read(benchRepo(b), nil)
	if err != nil {
		b.Fatal(err)
	}
	var path string
	for p, fh := range h.Files {
		if path == "" || len(fh.Commits) > len(h.Files[path].Commits) {
			path = p
		}
	}
	for b.Loop() {
		h.objects.docs = nil
		if _, err := h.Documents(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(h.Files[path].Commits)), "commits")
}

// BenchmarkReadRepo compares Read with `git log --name-only` on the
// repository named by HANDOVER_BENCH_REPO (such as one written by
// handover-synth), passing Read every file of the work tree as the loader
// would. Each iteration runs both, one after the other, so that a noisy
// machine slows both alike: the ratio metric is Read's time over git's.
func BenchmarkReadRepo(b *testing.B) {
	dir := os.Getenv("HANDOVER_BENCH_REPO")
	if dir == "" {
		b.Skip("HANDOVER_BENCH_REPO names no repository")
	}
	requireGit(b)
	files := readFiles(b, dir)
	var read, gitLog time.Duration
	for b.Loop() {
		start := time.Now()
		cmd := exec.Command("git", "log", "--name-only")
		cmd.Dir = dir
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, _, err := Read(dir, files); err != nil {
			b.Fatal(err)
		}
		gitLog += mid.Sub(start)
		read += time.Since(mid)
	}
	n := float64(b.N)
	b.ReportMetric(read.Seconds()*1000/n, "read-ms/op")
	b.ReportMetric(gitLog.Seconds()*1000/n, "gitlog-ms/op")
	b.ReportMetric(read.Seconds()/gitLog.Seconds(), "read/gitlog")
}
