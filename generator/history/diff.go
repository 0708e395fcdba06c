package history

import (
	"bytes"
	"encoding/binary"
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
	errA, errB, err := pairEntries(ta, tb, func(x, y treeEntry) error { return d.diffEntries(dir, x, y, out) })
	switch {
	case err != nil:
		return err
	case errA != nil:
		return fmt.Errorf("tree %s: %w", a, errA)
	case errB != nil:
		return fmt.Errorf("tree %s: %w", b, errB)
	}
	return nil
}

// pairEntries pairs the entries of the raw trees ta and tb in order, as
// git does, and calls differ with each pair that differs (an entry absent
// from one side has mode 0); errA and errB say why a tree could not be
// read to its end.
//
// A commit changes an entry or two of a directory of hundreds (the
// clients), so the two trees share most of their bytes: the entries
// before the first byte where they differ are skipped with one scan for
// their ends, and those after the last such byte are not read at all.
// Parsing every entry of both sides was 40% of the history's tree diffs.
func pairEntries(ta, tb []byte, differ func(x, y treeEntry) error) (errA, errB, err error) {
	start := sharedEntries(ta, tb)
	same := sharedSuffix(ta[start:], tb[start:])
	xs, ys := entries{rest: ta[start:]}, entries{rest: tb[start:]}
	leftX, leftY := len(xs.rest), len(ys.rest) // bytes from x, from y, to the end
	x, hasX := xs.next()
	y, hasY := ys.next()
	for hasX || hasY {
		if leftX == leftY && leftX <= same {
			break // x and y start the same bytes, which end both trees: the same entries
		}
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
			err = differ(x, treeEntry{})
			leftX = len(xs.rest)
			x, hasX = xs.next()
		case c > 0:
			err = differ(treeEntry{}, y)
			leftY = len(ys.rest)
			y, hasY = ys.next()
		default:
			if x.hash != y.hash || x.mode != y.mode {
				err = differ(x, y)
			}
			leftX, leftY = len(xs.rest), len(ys.rest)
			x, hasX = xs.next()
			y, hasY = ys.next()
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return xs.err, ys.err, nil
}

// sharedEntries returns where the first entry of ta and tb that is not
// the same bytes on both sides starts: every entry before it lies within
// their common prefix. A malformed entry stops the scan, for the parser
// to report.
func sharedEntries(ta, tb []byte) int {
	common := sharedPrefix(ta, tb)
	at := 0
	for {
		nul := bytes.IndexByte(ta[at:min(common, len(ta))], 0)
		end := at + nul + 1 + len(plumbing.Hash{})
		if nul < 0 || end > common {
			return at
		}
		at = end
	}
}

// sharedPrefix is how many bytes a and b begin with alike, compared eight
// at a time.
func sharedPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if binary.LittleEndian.Uint64(a[i:]) != binary.LittleEndian.Uint64(b[i:]) {
			break
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// sharedSuffix is how many bytes a and b end with alike.
func sharedSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if binary.LittleEndian.Uint64(a[len(a)-i-8:]) != binary.LittleEndian.Uint64(b[len(b)-i-8:]) {
			break
		}
	}
	for i < n && a[len(a)-i-1] == b[len(b)-i-1] {
		i++
	}
	return i
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
