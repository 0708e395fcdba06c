package history

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// TreeFS returns the handover directory dir as it was at rev, as a
// read-only file system rooted at the handover directory, and the commit
// rev names. rev is any revision go-git resolves: a full or short hash, a
// branch, a tag, HEAD~2, main^2. Files are read straight from git objects,
// without a checkout, when they are opened; symbolic links and submodules
// are left out, as a checkout of them would not hold handover files.
//
// The file system implements fs.ReadDirFS (entries sorted by name),
// fs.ReadFileFS and fs.StatFS, and is safe for concurrent use. An error
// names rev when it does not resolve, and wraps fs.ErrNotExist when the
// handover directory did not exist at rev.
func TreeFS(dir, rev string) (fs.FS, *Commit, error) {
	repo, err := open(dir, false, cache.DefaultMaxSize)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	hash, err := repo.git.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, nil, fmt.Errorf("unknown revision %q in %s: %w", rev, repo.root, err)
	}
	c, err := repo.git.CommitObject(*hash)
	if err != nil {
		return nil, nil, fmt.Errorf("revision %q: %w", rev, err)
	}
	e, ok, err := lookup(rawTrees(repo.git), c.TreeHash, repo.prefix)
	if err != nil {
		return nil, nil, fmt.Errorf("revision %q: %w", rev, err)
	}
	if !ok || !e.isDir() {
		return nil, nil, fmt.Errorf("revision %q has no directory %s: %w", rev, repo.prefix, fs.ErrNotExist)
	}
	commit := newCommit(c)
	return &treeFS{g: repo.git, root: e.hash, modTime: commit.When}, commit, nil
}

// rawTrees reads raw trees from g's storage, for lookup.
func rawTrees(g *git.Repository) func(plumbing.Hash) ([]byte, error) {
	return func(hash plumbing.Hash) ([]byte, error) {
		o, err := g.Storer.EncodedObject(plumbing.TreeObject, hash)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", hash, err)
		}
		r, err := o.Reader()
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", hash, err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", hash, err)
		}
		return b, nil
	}
}

// treeFS is a git tree as an fs.FS. go-git's storage is not safe for
// concurrent reads, so every read holds mu; what Open returns is in memory.
type treeFS struct {
	mu      sync.Mutex
	g       *git.Repository
	root    plumbing.Hash
	modTime time.Time // the commit's time, for every file
}

// Open opens a file or directory of the tree.
func (t *treeFS) Open(name string) (fs.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	info, err := t.stat("open", name)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		entries, err := t.readDir("open", name, info.hash)
		if err != nil {
			return nil, err
		}
		return &treeDir{info: info, entries: entries}, nil
	}
	b, err := t.readBlob("open", name, info.hash)
	if err != nil {
		return nil, err
	}
	return &treeFile{info: info, r: bytes.NewReader(b)}, nil
}

// ReadDir lists a directory of the tree, sorted by name.
func (t *treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	info, err := t.stat("readdir", name)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return t.readDir("readdir", name, info.hash)
}

// ReadFile returns the content of a file of the tree.
func (t *treeFS) ReadFile(name string) ([]byte, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	info, err := t.stat("readfile", name)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: errors.New("is a directory")}
	}
	return t.readBlob("readfile", name, info.hash)
}

// Stat describes a file or directory of the tree.
func (t *treeFS) Stat(name string) (fs.FileInfo, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	info, err := t.stat("stat", name)
	if err != nil {
		return nil, err
	}
	return info, nil
}

// stat finds name in the tree; symbolic links and submodules do not exist.
func (t *treeFS) stat(op, name string) (*entryInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return &entryInfo{name: ".", mode: filemode.Dir, hash: t.root, modTime: t.modTime}, nil
	}
	raw, ok, err := lookup(rawTrees(t.g), t.root, name)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	if !ok || !visible(raw.mode) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	e := object.TreeEntry{Name: path.Base(name), Mode: raw.mode, Hash: raw.hash}
	info := t.info(e)
	if info.size, err = t.size(e); err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return info, nil
}

func (t *treeFS) readDir(op, name string, hash plumbing.Hash) ([]fs.DirEntry, error) {
	tree, err := t.g.TreeObject(hash)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	entries := make([]fs.DirEntry, 0, len(tree.Entries))
	for _, e := range tree.Entries {
		if !visible(e.Mode) {
			continue
		}
		info := t.info(e)
		if info.size, err = t.size(e); err != nil {
			return nil, &fs.PathError{Op: op, Path: path.Join(name, e.Name), Err: err}
		}
		entries = append(entries, info)
	}
	// git orders a directory as if its name ended in "/": "a.yaml" before "a/".
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

func (t *treeFS) readBlob(op, name string, hash plumbing.Hash) ([]byte, error) {
	b, err := t.g.BlobObject(hash)
	if err == nil {
		var r io.ReadCloser
		if r, err = b.Reader(); err == nil {
			defer r.Close()
			var data []byte
			if data, err = io.ReadAll(r); err == nil {
				return data, nil
			}
		}
	}
	return nil, &fs.PathError{Op: op, Path: name, Err: err}
}

func (t *treeFS) info(e object.TreeEntry) *entryInfo {
	return &entryInfo{name: e.Name, mode: e.Mode, hash: e.Hash, modTime: t.modTime}
}

// size reads a blob's size from its object header; directories have none.
func (t *treeFS) size(e object.TreeEntry) (int64, error) {
	if e.Mode == filemode.Dir {
		return 0, nil
	}
	return t.g.Storer.EncodedObjectSize(e.Hash)
}

// visible says whether an entry of this mode is part of the file system.
func visible(m filemode.FileMode) bool {
	return m == filemode.Dir || m == filemode.Regular || m == filemode.Deprecated || m == filemode.Executable
}

// entryInfo is both the fs.FileInfo and the fs.DirEntry of a tree entry.
type entryInfo struct {
	name    string
	mode    filemode.FileMode
	hash    plumbing.Hash
	size    int64
	modTime time.Time
}

func (i *entryInfo) Name() string       { return i.name }
func (i *entryInfo) Size() int64        { return i.size }
func (i *entryInfo) ModTime() time.Time { return i.modTime }
func (i *entryInfo) IsDir() bool        { return i.mode == filemode.Dir }
func (i *entryInfo) Sys() any           { return nil }

func (i *entryInfo) Mode() fs.FileMode {
	switch i.mode {
	case filemode.Dir:
		return fs.ModeDir | 0o555
	case filemode.Executable:
		return 0o555
	}
	return 0o444
}

func (i *entryInfo) Type() fs.FileMode          { return i.Mode().Type() }
func (i *entryInfo) Info() (fs.FileInfo, error) { return i, nil }
func (i *entryInfo) String() string             { return fs.FormatDirEntry(i) }

// treeFile is an open file: its content is in memory.
type treeFile struct {
	info *entryInfo
	r    *bytes.Reader
}

func (f *treeFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *treeFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *treeFile) Close() error               { return nil }

// Seek and ReadAt make an open file as capable as an os.File for readers
// that need them (http.FileServer, archive readers).
func (f *treeFile) Seek(offset int64, whence int) (int64, error) { return f.r.Seek(offset, whence) }

func (f *treeFile) ReadAt(b []byte, off int64) (int, error) { return f.r.ReadAt(b, off) }

// treeDir is an open directory.
type treeDir struct {
	info    *entryInfo
	entries []fs.DirEntry
	offset  int
}

func (d *treeDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *treeDir) Close() error               { return nil }

func (d *treeDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}

// ReadDir reads the directory in the manner of fs.ReadDirFile: n > 0 entries
// at a time (io.EOF at the end), or all that remain.
func (d *treeDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.offset += n
	return slices.Clone(rest[:n]), nil
}
