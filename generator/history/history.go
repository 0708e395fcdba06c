// Package history owns the enrich stage: the git history of every file of a
// handover repository, read in one pass over the commits, and the handover
// directory as it was at any revision (TreeFS, for `handover diff`). It reads
// git objects with go-git and never runs git; it knows nothing of YAML beyond
// finding the documents of a multi-document file (Documents), and nothing of
// entities, pages or the site.
//
// The history of a path is exactly what
//
//	git log --full-history --no-merges -- PATH
//
// lists, in the same order: the commits that changed the path relative to
// their only parent (or added it, for a root commit), newest first. Merges
// never count: a file changed on both sides of a merge differs from every
// parent of the merge even when nobody edited it there, so counting such
// merges would credit every merge commit with its branches' work. Renames are
// not followed, as without --follow: a renamed file's history starts at the
// rename.
package history

import (
	"container/heap"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/handover-dev/handover/generator/diag"
)

// Commit is what a page shows of one git commit.
type Commit struct {
	Hash    string    // full hex
	Author  string    // the author's name
	Email   string    // the author's email
	When    time.Time // author time, in UTC
	Subject string    // the first paragraph of the message on one line, as git's %s (usually the first line)
}

// FileHistory is the history of one file of the handover directory.
type FileHistory struct {
	// Commits are the commits that changed the file, newest first, as
	// `git log --full-history --no-merges -- PATH` lists them.
	Commits []*Commit
	// Dirty says that the working-tree file differs from HEAD (uncommitted
	// changes) or is untracked. It is only known for the files passed to Read.
	Dirty bool

	// blobs holds, for each commit, the file's blob before and after it
	// (the zero hash where the file did not exist), for Documents.
	blobs [][2]plumbing.Hash
}

// History is the git history of a handover directory.
type History struct {
	Root    string                  // absolute path of the git work tree
	Prefix  string                  // the handover directory relative to Root, slash-separated; "" at the root
	Head    *Commit                 // the commit checked out
	Files   map[string]*FileHistory // by path relative to the handover directory, slash-separated, like model.Document.File: every path in its history (deleted ones too) and every file passed to Read
	Shallow bool                    // the history stops early: the clone is shallow (or objects are missing)
	Commits []*Commit               // every commit reachable from HEAD, merges included, in `git log` order (newest first)
	Changes map[string][]string     // commit hash → the handover paths it changed, sorted; only commits that changed some, never merges

	repo *git.Repository // for reading blobs lazily, in Documents

	mu   sync.Mutex
	docs map[string]map[string][]*Commit // Documents' results by path
}

// File returns the history of a path relative to the handover directory, or
// nil when h is nil (no git) or git never saw the path.
func (h *History) File(path string) *FileHistory {
	if h == nil {
		return nil
	}
	return h.Files[path]
}

// Read opens the git repository that contains dir (dir may be any directory
// of its work tree), walks the history once from HEAD and returns the
// history of every file under dir.
//
// files holds the handover files the loader read with their current bytes,
// by path relative to dir: each is Dirty when the hash of its bytes differs
// from its blob in HEAD, or when HEAD has no such file. Hashing what was
// already read is far cheaper than a work-tree status, which stats every
// file of the repository; the price is that files git converts on checkout
// (line endings, filters such as LFS) look dirty.
//
// Problems a user can fix are warnings, never errors: outside a git
// repository, in one without commits or in one whose format go-git cannot
// open, Read returns a nil History; a shallow clone gives a History whose
// histories stop at its boundary. The error is for objects that cannot be
// read (a corrupt repository, or a treeless partial clone).
//
// The walk costs one tree diff per commit whose handover directory changed,
// limited to that directory (commits that left it alone cost a lookup of its
// tree hash), and no diff at all for merges.
func Read(dir string, files map[string][]byte) (*History, []diag.Diagnostic, error) {
	repo, err := open(dir, true)
	if errors.Is(err, errNoRepo) {
		return nil, []diag.Diagnostic{diag.Warnf(diag.Pos{File: "."}, "no-git",
			"run `git init` and commit the handover files: every page then shows who changed it and when",
			"not a git repository: pages have no history")}, nil
	}
	if err != nil {
		return nil, []diag.Diagnostic{diag.Warnf(diag.Pos{File: "."}, "git-unreadable",
			"handover reads git with go-git, which cannot open every repository format (sha256 objects, reftable refs); a plain `git clone` can be read",
			"cannot read the git repository (%v): pages have no history", err)}, nil
	}
	defer repo.close()
	ref, err := repo.git.Head()
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return nil, []diag.Diagnostic{diag.Warnf(diag.Pos{File: "."}, "no-commits",
			"commit the handover files (`git add . && git commit`): every page then shows who changed it and when",
			"the git repository has no commits yet: pages have no history")}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read HEAD of %s: %w", repo.root, err)
	}
	// Documents reads blobs long after the walk: it gets a storage that
	// keeps nothing open, so that nobody has to close the History.
	lazy, err := open(dir, false)
	if err != nil {
		return nil, nil, err
	}

	h := &History{
		Root:    repo.root,
		Prefix:  repo.prefix,
		Files:   map[string]*FileHistory{},
		Changes: map[string][]string{},
		repo:    lazy.git,
	}
	w, err := newWalker(repo.git, h)
	if err != nil {
		return nil, nil, err
	}
	if err := w.walk(ref.Hash()); err != nil {
		return nil, nil, err
	}
	h.Head = h.Commits[0]
	if err := w.markDirty(ref.Hash(), files); err != nil {
		return nil, nil, err
	}
	var diags []diag.Diagnostic
	if h.Shallow {
		diags = append(diags, diag.Warnf(diag.Pos{File: "."}, "shallow-history",
			"fetch the whole history: in GitHub Actions, actions/checkout with fetch-depth: 0",
			"the git clone is shallow: page histories stop at the oldest commit fetched"))
	}
	return h, diags, nil
}

// walker visits every commit reachable from HEAD once, in the order git log
// shows them, and records which handover paths each one changed.
type walker struct {
	g       *git.Repository
	h       *History
	shallow map[plumbing.Hash]bool

	queue   commitQueue
	seen    map[plumbing.Hash]bool
	subtree map[plumbing.Hash]subtree // root tree hash → the handover directory's tree in it
	trees   map[plumbing.Hash]*object.Tree
	cached  int // entries in trees
}

// subtree is the handover directory's tree within one commit's tree.
type subtree struct {
	hash   plumbing.Hash
	exists bool
}

func newWalker(g *git.Repository, h *History) (*walker, error) {
	hashes, err := g.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow commits of %s: %w", h.Root, err)
	}
	w := &walker{g: g, h: h, shallow: map[plumbing.Hash]bool{}, seen: map[plumbing.Hash]bool{},
		subtree: map[plumbing.Hash]subtree{}, trees: map[plumbing.Hash]*object.Tree{}}
	for _, s := range hashes {
		w.shallow[s] = true
	}
	return w, nil
}

// walk pops the commit with the latest committer time first and queues its
// parents, as git's revision walk does (ties: the commit queued first), so
// that Commits and every file's history come out in `git log` order.
func (w *walker) walk(head plumbing.Hash) error {
	c, err := w.g.CommitObject(head)
	if err != nil {
		return fmt.Errorf("read HEAD commit %s: %w", head, err)
	}
	w.seen[head] = true
	w.queue.push(c)
	for w.queue.Len() > 0 {
		c := w.queue.pop()
		commit := newCommit(c)
		w.h.Commits = append(w.h.Commits, commit)
		parents, err := w.parents(c)
		if err != nil {
			return err
		}
		for _, p := range parents {
			if !w.seen[p.Hash] {
				w.seen[p.Hash] = true
				w.queue.push(p)
			}
		}
		if len(parents) > 1 {
			continue // --no-merges
		}
		var parent *object.Commit
		if len(parents) == 1 {
			parent = parents[0]
		}
		if err := w.diff(parent, c, commit); err != nil {
			return err
		}
	}
	return nil
}

// parents returns the parents of c that the repository holds. A shallow
// clone's boundary commits have none, as git treats them: their files count
// as added by them.
func (w *walker) parents(c *object.Commit) ([]*object.Commit, error) {
	if w.shallow[c.Hash] {
		w.h.Shallow = true
		return nil, nil
	}
	parents := make([]*object.Commit, 0, len(c.ParentHashes))
	for _, hash := range c.ParentHashes {
		p, err := w.g.CommitObject(hash)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			w.h.Shallow = true
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w", hash, err)
		}
		parents = append(parents, p)
	}
	return parents, nil
}

// diff records the handover paths that c changed relative to parent (nil
// for a root commit). Only the handover directory's trees are compared, and
// only where their hashes differ: a commit elsewhere in a monorepo costs a
// lookup of the directory's tree. Rename detection would read and compare
// blobs, and git log without --follow detects no renames either.
func (w *walker) diff(parent, c *object.Commit, commit *Commit) error {
	var from subtree
	if parent != nil {
		var err error
		if from, err = w.handoverTree(parent); err != nil {
			return err
		}
	}
	to, err := w.handoverTree(c)
	if err != nil {
		return err
	}
	var paths []string
	err = w.diffTrees(from.hash, to.hash, "", func(path string, before, after plumbing.Hash) {
		fh := w.h.Files[path]
		if fh == nil {
			fh = &FileHistory{}
			w.h.Files[path] = fh
		}
		fh.Commits = append(fh.Commits, commit)
		fh.blobs = append(fh.blobs, [2]plumbing.Hash{before, after})
		paths = append(paths, path)
	})
	if err != nil {
		return fmt.Errorf("diff commit %s: %w", c.Hash, err)
	}
	if len(paths) > 0 {
		slices.Sort(paths)
		w.h.Changes[commit.Hash] = paths
	}
	return nil
}

// handoverTree finds the handover directory's tree in c, remembering it by
// c's root tree: each commit is looked up twice, as itself and as a parent.
func (w *walker) handoverTree(c *object.Commit) (subtree, error) {
	if s, ok := w.subtree[c.TreeHash]; ok {
		return s, nil
	}
	e, ok, err := lookup(w.tree, c.TreeHash, w.h.Prefix)
	if err != nil {
		return subtree{}, fmt.Errorf("commit %s: %w", c.Hash, err)
	}
	s := subtree{hash: e.Hash, exists: ok && e.Mode == filemode.Dir}
	if !s.exists {
		s.hash = plumbing.ZeroHash
	}
	w.subtree[c.TreeHash] = s
	return s, nil
}

// markDirty sets Dirty on every file whose bytes are not HEAD's blob, and
// adds the untracked files (no commits, Dirty) to Files.
func (w *walker) markDirty(head plumbing.Hash, files map[string][]byte) error {
	if len(files) == 0 {
		return nil
	}
	c, err := w.g.CommitObject(head)
	if err != nil {
		return fmt.Errorf("read HEAD commit %s: %w", head, err)
	}
	tree, err := w.handoverTree(c)
	if err != nil {
		return err
	}
	for path, b := range files {
		fh := w.h.Files[path]
		if fh == nil {
			fh = &FileHistory{}
			w.h.Files[path] = fh
		}
		if !tree.exists {
			fh.Dirty = true
			continue
		}
		e, ok, err := lookup(w.tree, tree.hash, path)
		if err != nil {
			return err
		}
		fh.Dirty = !ok || !e.Mode.IsFile() || e.Hash != plumbing.ComputeHash(plumbing.BlobObject, b)
	}
	return nil
}

func newCommit(c *object.Commit) *Commit {
	return &Commit{
		Hash:    c.Hash.String(),
		Author:  c.Author.Name,
		Email:   c.Author.Email,
		When:    c.Author.When.UTC(),
		Subject: subject(c.Message),
	}
}

// subject returns what git's %s shows of a message: its first paragraph,
// leading blank lines skipped, lines joined by spaces.
func subject(message string) string {
	var lines []string
	for line := range strings.SplitSeq(message, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			if len(lines) > 0 {
				break
			}
			continue
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, " ")
}

// commitQueue orders commits as git's revision walk does: latest committer
// time first, and among equal times the one queued first.
type commitQueue struct {
	items []queued
	seq   int
}

type queued struct {
	c   *object.Commit
	seq int
}

func (q *commitQueue) push(c *object.Commit) {
	heap.Push(q, queued{c: c, seq: q.seq})
	q.seq++
}

func (q *commitQueue) pop() *object.Commit { return heap.Pop(q).(queued).c }

func (q *commitQueue) Len() int { return len(q.items) }

func (q *commitQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if ta, tb := a.c.Committer.When.Unix(), b.c.Committer.When.Unix(); ta != tb {
		return ta > tb
	}
	return a.seq < b.seq
}

func (q *commitQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }

func (q *commitQueue) Push(x any) { q.items = append(q.items, x.(queued)) }

func (q *commitQueue) Pop() any {
	last := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return last
}
