package history

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// The walk reads tree objects as raw bytes and parses their entries in
// place: decoding each into an object.Tree allocated a string per entry,
// while most entries of a big directory are only compared, by hash, with
// the same entry of the parent's tree.

// errMalformedTree says that a tree object cannot be parsed.
var errMalformedTree = errors.New("malformed tree object")

// treeEntry is one entry of a raw tree. name points into the tree's bytes.
type treeEntry struct {
	name []byte
	mode filemode.FileMode
	hash plumbing.Hash
}

func (e treeEntry) isDir() bool { return e.mode == filemode.Dir }

// entries iterates over the entries of a raw tree, in the tree's order.
type entries struct {
	rest []byte
	err  error
}

// next parses the next entry, "<octal mode> <name>\x00<20-byte hash>", and
// reports whether there was one; err says why there was not.
func (it *entries) next() (treeEntry, bool) {
	b := it.rest
	if len(b) == 0 || it.err != nil {
		return treeEntry{}, false
	}
	sp := bytes.IndexByte(b, ' ')
	nul := bytes.IndexByte(b, 0)
	if sp <= 0 || nul <= sp+1 || len(b) < nul+1+len(plumbing.Hash{}) {
		it.err = errMalformedTree
		return treeEntry{}, false
	}
	var mode uint32
	for _, c := range b[:sp] {
		if c < '0' || c > '7' {
			it.err = errMalformedTree
			return treeEntry{}, false
		}
		mode = mode<<3 | uint32(c-'0')
	}
	e := treeEntry{name: b[sp+1 : nul], mode: canonicalMode(mode)}
	end := nul + 1 + copy(e.hash[:], b[nul+1:])
	it.rest = b[end:]
	return e, true
}

// canonicalMode is the mode git and go-git read from a tree entry: the old
// group-writable 100664 is 100644, any unknown type a submodule.
func canonicalMode(m uint32) filemode.FileMode {
	switch m & 0o170000 {
	case 0o040000:
		return filemode.Dir
	case 0o100000:
		if m&0o111 != 0 {
			return filemode.Executable
		}
		return filemode.Regular
	case 0o120000:
		return filemode.Symlink
	}
	return filemode.Submodule
}

// compareEntries orders entries as git sorts a tree, and as its tree diff
// pairs them: by name, a directory's name read as if it ended in "/". Equal
// entries have the same name and are both directories or both not.
func compareEntries(a, b treeEntry) int {
	n := min(len(a.name), len(b.name))
	if c := bytes.Compare(a.name[:n], b.name[:n]); c != 0 {
		return c
	}
	ca, cb := a.after(n), b.after(n)
	switch {
	case ca < cb:
		return -1
	case ca > cb:
		return 1
	}
	return 0
}

// after is the byte at i of the entry's name, where a directory's name
// ends in "/" and a file's in NUL.
func (e treeEntry) after(i int) byte {
	switch {
	case i < len(e.name):
		return e.name[i]
	case e.isDir():
		return '/'
	}
	return 0
}

// lookup finds the entry at a slash-separated path in the tree with hash
// root, reading raw trees with tree, and reports whether it exists. Unlike
// object.Tree.FindEntry it never mistakes a file for a directory on the way
// down, and it lets the walk reuse the trees it read.
func lookup(tree func(plumbing.Hash) ([]byte, error), root plumbing.Hash, path string) (treeEntry, bool, error) {
	entry := treeEntry{mode: filemode.Dir, hash: root}
	if path == "" {
		return entry, true, nil
	}
	for name := range strings.SplitSeq(path, "/") {
		if !entry.isDir() {
			return treeEntry{}, false, nil
		}
		b, err := tree(entry.hash)
		if err != nil {
			return treeEntry{}, false, err
		}
		it := entries{rest: b}
		found := false
		for e, ok := it.next(); ok; e, ok = it.next() {
			if string(e.name) == name {
				entry, found = e, true
				break
			}
		}
		if it.err != nil {
			return treeEntry{}, false, fmt.Errorf("tree %s: %w", entry.hash, it.err)
		}
		if !found {
			return treeEntry{}, false, nil
		}
	}
	return entry, true, nil
}

// walkFiles calls fn with the path (under dir) and entry of every
// non-directory entry of the tree root and its subtrees, reading raw trees
// with tree.
func walkFiles(tree func(plumbing.Hash) ([]byte, error), root plumbing.Hash, dir string, fn func(path string, e treeEntry)) error {
	b, err := tree(root)
	if err != nil {
		return err
	}
	it := entries{rest: b}
	for e, ok := it.next(); ok; e, ok = it.next() {
		path := childPath(dir, e.name)
		if !e.isDir() {
			fn(path, e)
			continue
		}
		if err := walkFiles(tree, e.hash, path, fn); err != nil {
			return err
		}
	}
	if it.err != nil {
		return fmt.Errorf("tree %s: %w", root, it.err)
	}
	return nil
}

// childPath returns the path of name in dir ("" for the root).
func childPath(dir string, name []byte) string {
	if dir == "" {
		return string(name)
	}
	return dir + "/" + string(name)
}
