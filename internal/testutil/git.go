package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// RequireGit skips a test that builds repositories with the git CLI when
// git is missing, except under CI=true, where it must run.
func RequireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("git is required under CI=true: %v", err)
		}
		t.Skipf("git is not installed, skipping a test that builds git repositories: %v", err)
	}
}

// GitBase is the time of every test repository's first commit.
var GitBase = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// GitRepo builds a repository with the git CLI, deterministically: no user
// or system configuration, and dates, names and emails set per commit.
type GitRepo struct {
	T    testing.TB
	Dir  string
	Tick int // the next commit's hour after GitBase
	Home string
}

// NewGitRepo initialises a repository at dir (created if needed), branch main.
func NewGitRepo(t testing.TB, dir string) *GitRepo {
	t.Helper()
	RequireGit(t)
	r := &GitRepo{T: t, Dir: dir, Tick: 1, Home: t.TempDir()}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.Git("-c", "init.defaultBranch=main", "init", "-q")
	return r
}

// Env is the environment of every git command: the caller's, without any
// GIT_ variable that could point git elsewhere, and without user config.
func (r *GitRepo) Env(when time.Time, author string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	name, email, _ := strings.Cut(strings.TrimSuffix(author, ">"), " <")
	date := when.Format(time.RFC3339)
	return append(env,
		"HOME="+r.Home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email, "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Committer", "GIT_COMMITTER_EMAIL=committer@example.com", "GIT_COMMITTER_DATE="+date,
	)
}

// Git runs a git command in the repository and returns its output.
func (r *GitRepo) Git(args ...string) string {
	r.T.Helper()
	out, err := r.Run(GitBase, "Ada Admin <ada@example.com>", args...)
	if err != nil {
		r.T.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// Run runs a git command as author at when, returning its output and error.
func (r *GitRepo) Run(when time.Time, author string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = r.Dir
	cmd.Env = r.Env(when, author)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Lines runs git and splits its output into lines.
func (r *GitRepo) Lines(args ...string) []string {
	r.T.Helper()
	out := strings.TrimSpace(r.Git(args...))
	if out == "" {
		return nil
	}
	return strings.Split(out, "\n")
}

// Commit commits what is staged (and the changes to tracked files) as
// author at the next hour, and returns the commit's hash.
func (r *GitRepo) Commit(author, message string) string {
	r.T.Helper()
	when := GitBase.Add(time.Duration(r.Tick) * time.Hour)
	r.Tick++
	return r.CommitAt(when, author, message)
}

// CommitAt commits at a given time, for ties and clock skew.
func (r *GitRepo) CommitAt(when time.Time, author, message string) string {
	r.T.Helper()
	if out, err := r.Run(when, author, "commit", "-q", "-a", "-m", message); err != nil {
		r.T.Fatalf("git commit %q: %v\n%s", message, err, out)
	}
	return strings.TrimSpace(r.Git("rev-parse", "HEAD"))
}

// Merge merges branch into the current one at the next hour; resolve
// writes the files that conflict before the merge is committed.
func (r *GitRepo) Merge(author, branch, message string, resolve map[string]string) string {
	r.T.Helper()
	when := GitBase.Add(time.Duration(r.Tick) * time.Hour)
	r.Tick++
	out, err := r.Run(when, author, "merge", "-q", "--no-ff", "-m", message, branch)
	if err != nil {
		if len(resolve) == 0 {
			r.T.Fatalf("git merge %s: %v\n%s", branch, err, out)
		}
		for path, content := range resolve {
			r.Write(path, content)
			r.Git("add", path)
		}
		if out, err := r.Run(when, author, "commit", "-q", "--no-edit"); err != nil {
			r.T.Fatalf("git commit (merge %s): %v\n%s", branch, err, out)
		}
	}
	return strings.TrimSpace(r.Git("rev-parse", "HEAD"))
}

// Write writes a file of the repository and stages it.
func (r *GitRepo) Write(path, content string) {
	r.T.Helper()
	full := filepath.Join(r.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.T.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.T.Fatal(err)
	}
	r.Git("add", path)
}
