package history

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// errNoRepo says that a directory is not inside a git work tree.
var errNoRepo = errors.New("not a git repository")

// repository is an open git repository and where the handover directory
// sits in its work tree.
type repository struct {
	git     *git.Repository
	root    string // absolute path of the work tree
	prefix  string // the handover directory relative to root, slash-separated, "" at the root
	objects string // the object directory, for reading pack files
	close   func() error
}

// open finds the git repository whose work tree contains dir, looking in
// dir and its parents for .git as git does (a directory, or a file naming
// one, as in linked worktrees and submodules), and opens its storage.
//
// With keep, pack files stay open between reads until close: a walk over
// every commit reads thousands of objects, and reopening the pack for each
// dominated the time (LIBRARIES.md measured 4.0 s against 1.2 s). Without
// it, nothing stays open and close does nothing.
//
// objectCache bounds the objects go-git keeps decoded (delta bases among
// them) for as long as the repository is open.
//
// This does what git.PlainOpenWithOptions(dir, {DetectDotGit: true}) does,
// but opens the storage itself: to set KeepDescriptors at once, and to
// hide from go-git the extensions it rejects although a reader need not
// care (see readOnly).
func open(dir string, keep bool, objectCache cache.FileSize) (*repository, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", dir, err)
	}
	root, dot, err := findDotGit(abs)
	if err != nil {
		return nil, err
	}
	var dotFS billy.Filesystem = osfs.New(dot)
	objects := filepath.Join(dot, "objects")
	if common, err := commonDir(dot); err != nil {
		return nil, err
	} else if common != "" {
		dotFS = dotgit.NewRepositoryFilesystem(dotFS, osfs.New(common))
		objects = filepath.Join(common, "objects")
	}
	s := filesystem.NewStorageWithOptions(dotFS, cache.NewObjectLRU(objectCache), filesystem.Options{KeepDescriptors: keep})
	r, err := git.Open(readOnly{s}, osfs.New(root))
	if errors.Is(err, git.ErrRepositoryNotExists) {
		s.Close()
		return nil, errNoRepo
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("open git repository %s: %w", root, err)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("%s is not inside the git work tree %s: %w", dir, root, err)
	}
	prefix := filepath.ToSlash(rel)
	if prefix == "." {
		prefix = ""
	}
	return &repository{git: r, root: root, prefix: prefix, objects: objects, close: s.Close}, nil
}

// findDotGit returns the work tree that contains abs and its git directory.
func findDotGit(abs string) (root, dot string, err error) {
	for dir := abs; ; {
		name := filepath.Join(dir, git.GitDirName)
		fi, err := os.Stat(name)
		switch {
		case err == nil && fi.IsDir():
			return dir, name, nil
		case err == nil:
			b, err := os.ReadFile(name)
			if err != nil {
				return "", "", fmt.Errorf("read %s: %w", name, err)
			}
			target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
			if !ok {
				return "", "", fmt.Errorf("%s: no gitdir line", name)
			}
			target = strings.TrimSpace(target)
			if !filepath.IsAbs(target) {
				target = filepath.Join(dir, target)
			}
			return dir, target, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", "", fmt.Errorf("look for a git repository: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", errNoRepo
		}
		dir = parent
	}
}

// commonDir returns the directory a linked worktree shares objects and
// refs with, named by the commondir file of its git directory, or "".
func commonDir(dot string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dot, "commondir"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", filepath.Join(dot, "commondir"), err)
	}
	common := strings.TrimSpace(string(b))
	if !filepath.IsAbs(common) {
		common = filepath.Join(dot, common)
	}
	return common, nil
}

// readOnly is a repository's storage as we use it: to read. go-git v5
// refuses to open a repository with any extension it does not implement,
// among them worktreeConfig (set by sparse checkouts, worktrees, Azure
// DevOps checkouts) and partialClone (blobless clones), which change nothing
// for a reader (go-git/go-git#2298). readOnly drops those from the
// configuration go-git checks; the others (sha256 objects, reftable refs)
// still fail to open.
type readOnly struct{ *filesystem.Storage }

// harmless are the extensions, lower-cased, that a reader may ignore.
var harmless = map[string]bool{
	"worktreeconfig":  true, // per-worktree configuration: we read none
	"partialclone":    true, // some objects are missing: reading one fails
	"preciousobjects": true, // objects must not be deleted: we delete none
	"noop":            true,
}

// Config returns the repository's configuration without the harmless
// extensions, or with extensions.objectFormat=sha1 and refStorage=files,
// which say what go-git assumes anyway.
func (s readOnly) Config() (*config.Config, error) {
	cfg, err := s.Storage.Config()
	if err != nil || cfg.Raw == nil || !cfg.Raw.HasSection("extensions") {
		return cfg, err
	}
	sec := cfg.Raw.Section("extensions")
	kept := sec.Options[:0]
	for _, o := range sec.Options {
		key, value := strings.ToLower(o.Key), strings.ToLower(o.Value)
		if harmless[key] || key == "objectformat" && value == "sha1" || key == "refstorage" && value == "files" {
			continue
		}
		kept = append(kept, o)
	}
	sec.Options = kept
	return cfg, nil
}
