package history

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/handover-dev/handover/internal/testutil"
)

// The git helpers moved to internal/testutil; these names keep the tests short.
type gitRepo = testutil.GitRepo

var (
	newGitRepo = testutil.NewGitRepo
	requireGit = testutil.RequireGit
	base       = testutil.GitBase
)

// files reads every regular file under dir outside .git, by slash path
// relative to dir, as the loader hands them to Read.
func readFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// join joins a handover prefix and a path as git pathspecs want them.
func join(prefix, path string) string {
	if prefix == "" {
		return path
	}
	return prefix + "/" + path
}
