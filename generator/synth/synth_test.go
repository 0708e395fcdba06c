package synth_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/synth"
	"github.com/handover-dev/handover/internal/testutil"
)

// TestWriteDeterministic writes the same options twice and compares every
// file.
func TestWriteDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	o := synth.Options{Clients: 2, Entities: 150, Seed: 3}
	if _, err := synth.Write(a, o); err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Write(b, o); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.WalkDir(a, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two runs with the same seed (%v)", rel, err)
		}
		n++
		return nil
	})
	if err != nil || n < 100 {
		t.Fatalf("walked %d files: %v", n, err)
	}
}

// TestGitHistoryValidates checks the history Git writes: every commit
// changes a handover file, HEAD (where the edits of all commits add up) and
// a sample of earlier commits validate with no diagnostic, and the work
// tree is HEAD.
func TestGitHistoryValidates(t *testing.T) {
	testutil.RequireGit(t)
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: 2, Entities: 200, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	const commits = 300
	if err := synth.Git(dir, commits, 5); err != nil {
		t.Fatal(err)
	}
	if err := synth.Git(dir, commits, 5); err == nil || !strings.Contains(err.Error(), "git repository already") {
		t.Errorf("a second Git on the same directory: %v, want a refusal", err)
	}
	h, diags, err := history.Read(dir, nil)
	if err != nil || len(diags) > 0 {
		t.Fatalf("history: %v %v", err, diags)
	}
	if len(h.Commits) != commits {
		t.Fatalf("%d commits, want %d", len(h.Commits), commits)
	}
	for i, c := range h.Commits {
		if len(h.Changes[c.Hash]) == 0 {
			t.Errorf("commit %s (%s) changes no handover file", c.Hash[:8], c.Subject)
		}
		if c.When.Before(synth.FirstCommit) || c.When.After(synth.LastCommit.AddDate(0, 1, 0)) {
			t.Errorf("commit %s is dated %s", c.Hash[:8], c.When)
		}
		if i%100 != 50 {
			continue
		}
		fsys, _, err := history.TreeFS(dir, c.Hash)
		if err != nil {
			t.Fatal(err)
		}
		_, diags, err := generator.ValidateFS(fsys, c.Hash[:8], generator.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(diags) > 0 {
			t.Errorf("commit %s (%s): %d diagnostics, the first: %v", c.Hash[:8], c.Subject, len(diags), diags[0])
		}
	}
	_, diags, err = generator.Validate(dir, generator.Options{})
	if err != nil || len(diags) > 0 {
		t.Errorf("HEAD: %v, %d diagnostics %v", err, len(diags), diags[:min(3, len(diags))])
	}
	cmd := exec.Command("git", "status", "--porcelain")
	cmd.Dir = dir
	if out, err := cmd.Output(); err != nil || len(out) > 0 {
		t.Errorf("git status: %v\n%s", err, out)
	}
}
