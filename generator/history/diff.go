package history

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// change is one file that a commit changed: its path under the handover
// directory and its blob before and after (the zero hash where it did not
// exist).
type change struct {
	path          string
	before, after plumbing.Hash
}

// differ compares the trees of commits within the handover directory. It
// owns an objectReader: each diff worker has its own.
type differ struct {
	objects *objectReader
	prefix  string
	subtree map[plumbing.Hash]plumbing.Hash // root tree → the handover directory's tree in it
}

// diff lists the handover files that differ between the root trees from
// and to (the zero hash for a root commit's parent), as git's tree diff
// without rename detection does. Only the handover directory's trees are
// compared, and only where their hashes differ: a commit elsewhere in a
// monorepo costs a lookup of the directory's tree. Rename detection would
// read and compare blobs, and git log without --follow detects no renames
// either.
func (d *differ) diff(from, to plumbing.Hash) ([]change, error) {
	a, err := d.handoverTree(from)
	if err != nil {
		return nil, err
	}
	b, err := d.handoverTree(to)
	if err != nil {
		return nil, err
	}
	var changes []change
	if err := d.diffTrees(a, b, "", &changes); err != nil {
		return nil, err
	}
	return changes, nil
}

// handoverTree finds the handover directory's tree in a root tree (the
// zero hash where it has none), remembering it: each root tree is looked
// up twice, as a commit's and as its child's parent's.
func (d *differ) handoverTree(root plumbing.Hash) (plumbing.Hash, error) {
	if d.prefix == "" || root.IsZero() {
		return root, nil
	}
	if hash, ok := d.subtree[root]; ok {
		return hash, nil
	}
	e, ok, err := lookup(d.objects.tree, root, d.prefix)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	var hash plumbing.Hash
	if ok && e.isDir() {
		hash = e.hash
	}
	d.subtree[root] = hash
	return hash, nil
}

// diffTrees appends to out every file that differs between the trees a
// and b (the zero hash where there is no tree) under dir, pairing their
// entries in order as git does. Subtrees with equal hashes are skipped
// unread, and a path string is only made for what differs.
//
// It replaces object.DiffTree, which answers the same but reads every
// subtree of each directory it compares, changed or not, and decodes each
// tree into strings and maps.
func (d *differ) diffTrees(a, b plumbing.Hash, dir string, out *[]change) error {
	if a == b {
		return nil
	}
	ta, err := d.objects.tree(a)
	if err != nil {
		return err
	}
	tb, err := d.objects.tree(b)
	if err != nil {
		return err
	}
	xs, ys := entries{rest: ta}, entries{rest: tb}
	x, hasX := xs.next()
	y, hasY := ys.next()
	for hasX || hasY {
		c := 0
		switch {
		case !hasY:
			c = -1
		case !hasX:
			c = 1
		default:
			c = compareEntries(x, y)
		}
		switch {
		case c < 0:
			err = d.diffEntries(dir, x, treeEntry{}, out)
			x, hasX = xs.next()
		case c > 0:
			err = d.diffEntries(dir, treeEntry{}, y, out)
			y, hasY = ys.next()
		default:
			if x.hash != y.hash || x.mode != y.mode {
				err = d.diffEntries(dir, x, y, out)
			}
			x, hasX = xs.next()
			y, hasY = ys.next()
		}
		if err != nil {
			return err
		}
	}
	if xs.err != nil {
		return fmt.Errorf("tree %s: %w", a, xs.err)
	}
	if ys.err != nil {
		return fmt.Errorf("tree %s: %w", b, ys.err)
	}
	return nil
}

// diffEntries reports a pair of entries that differ: x and y have the same
// name and are both directories or both not, or one is absent (mode 0). A
// name that is a directory on one side and a file on the other comes as two
// pairs, a directory diff and a file change, as in git.
func (d *differ) diffEntries(dir string, x, y treeEntry, out *[]change) error {
	name := x.name
	if x.mode == filemode.Empty {
		name = y.name
	}
	path := childPath(dir, name)
	if x.isDir() || y.isDir() {
		return d.diffTrees(x.hash, y.hash, path, out)
	}
	*out = append(*out, change{path: path, before: x.hash, after: y.hash})
	return nil
}
