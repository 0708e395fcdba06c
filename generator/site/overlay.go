package site

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// overlay is a read-only file system that serves a file from upper when it
// exists there and from lower otherwise; directories list the union. It
// lets a handover repository's site-template/ replace single files of the
// embedded template without copying the rest.
type overlay struct {
	upper, lower fs.FS
}

// Overlay returns lower with upper's files on top; upper may be nil.
func Overlay(upper, lower fs.FS) fs.FS {
	if upper == nil {
		return lower
	}
	return overlay{upper: upper, lower: lower}
}

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.upper.Open(name); err == nil {
		st, serr := f.Stat()
		if serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return o.lower.Open(name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	lower, lerr := fs.ReadDir(o.lower, name)
	upper, uerr := fs.ReadDir(o.upper, name)
	if lerr != nil && uerr != nil {
		return nil, lerr
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range append(upper, lower...) {
		if seen[e.Name()] {
			continue
		}
		seen[e.Name()] = true
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int {
		switch {
		case a.Name() < b.Name():
			return -1
		case a.Name() > b.Name():
			return 1
		}
		return 0
	})
	return out, nil
}

// files lists every regular file under dir in fsys, sorted; a missing dir
// gives none.
func files(fsys fs.FS, dir string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// NoSymlinks is os.DirFS(root) that refuses to open anything through a
// symbolic link, so that a repository's site-template/ cannot copy files
// from elsewhere on the machine into a published site.
func NoSymlinks(root string) fs.FS { return noSymlinks{root: root, fsys: os.DirFS(root)} }

type noSymlinks struct {
	root string
	fsys fs.FS
}

func (n noSymlinks) check(name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	p := n.root
	for _, part := range strings.Split(name, "/") {
		if part == "." {
			continue
		}
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if err != nil {
			return &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return &fs.PathError{Op: "open", Path: name, Err: errors.New("is a symbolic link: not followed")}
		}
	}
	return nil
}

func (n noSymlinks) Open(name string) (fs.File, error) {
	if err := n.check(name); err != nil {
		return nil, err
	}
	return n.fsys.Open(name)
}

func (n noSymlinks) ReadDir(name string) ([]fs.DirEntry, error) {
	if err := n.check(name); err != nil {
		return nil, err
	}
	return fs.ReadDir(n.fsys, name)
}
