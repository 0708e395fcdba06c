package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/internal/testutil"
)

func TestUsage(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no -out", []string{"-entities", "10"}, 2, "-out DIR is required"},
		{"directory as an argument", []string{"-out", t.TempDir(), "extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"-pages", "10"}, 2, "flag provided but not defined: -pages"},
		{"no entities", []string{"-entities", "0", "-out", t.TempDir()}, 2, "-entities must be at least 1"},
		{"negative commits", []string{"-commits", "-1", "-out", t.TempDir()}, 2, "-commits at least 0"},
		{"non-empty directory", []string{"-out", full}, 1, "is not empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr.String(), tc.code, tc.want)
			}
		})
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("the non-empty directory was written to: %d entries", len(entries))
	}
}

// TestWithoutGit writes the files only: -commits 0 makes no repository.
func TestWithoutGit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-entities", "120", "-commits", "0", "-out", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); !os.IsNotExist(err) {
		t.Errorf(".git exists with -commits 0 (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "clients", "client-0000", "client.yaml")); err != nil {
		t.Error(err)
	}
}

// TestSynthGitDeterministic generates the same small portfolio twice: the
// histories are identical down to HEAD, the work tree is clean and the
// repository validates with no diagnostic at all.
func TestSynthGitDeterministic(t *testing.T) {
	testutil.RequireGit(t)
	gen := func(seed string) string {
		dir := filepath.Join(t.TempDir(), "portfolio")
		var stdout, stderr bytes.Buffer
		if code := run([]string{"-clients", "3", "-entities", "300", "-commits", "60", "-seed", seed, "-out", dir}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "3 clients") || !strings.Contains(stdout.String(), "60 commits") {
			t.Errorf("summary: %s", stdout.String())
		}
		return dir
	}
	a, b, other := gen("7"), gen("7"), gen("8")
	head := gitOut(t, a, "rev-parse", "HEAD")
	if got := gitOut(t, b, "rev-parse", "HEAD"); got != head {
		t.Errorf("same seed, different HEAD: %s and %s", head, got)
	}
	if got := gitOut(t, other, "rev-parse", "HEAD"); got == head {
		t.Errorf("seeds 7 and 8 gave the same HEAD %s", head)
	}
	if got := gitOut(t, a, "rev-list", "--count", "HEAD"); got != "60" {
		t.Errorf("%s commits, want 60", got)
	}
	if got := gitOut(t, a, "status", "--porcelain"); got != "" {
		t.Errorf("work tree differs from HEAD:\n%s", got)
	}
	m, diags, err := generator.Validate(a, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) > 0 {
		t.Errorf("%d diagnostics, want none; the first: %v", len(diags), diags[0])
	}
	if len(m.Repo.Docs) < 290 {
		t.Errorf("%d documents, want about 300", len(m.Repo.Docs))
	}
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}
