// Package history owns the enrich stage: the git history of every file of a
// handover repository, read in one pass over the commits, and the handover
// directory as it was at any revision (TreeFS, for `handover diff`). It reads
// git objects with go-git, except that the walk reads commits and trees from
// pack files itself (pack.go says why), and it never runs git; it knows
// nothing of YAML beyond
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
	"bytes"
	"container/heap"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/parallel"
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
	// changes) or is untracked. It is only known for the files passed to
	// Read or WithFiles.
	Dirty bool

	// blobs holds, for each commit, the file's blob before and after it
	// (the zero hash where the file did not exist), for Documents.
	blobs [][2]plumbing.Hash
	// head is the file's blob in HEAD, the zero hash where HEAD has no
	// such file (or a submodule there), for Dirty.
	head plumbing.Hash
}

// History is the git history of a handover directory. It is not changed
// after Read, so that it may be shared; WithFiles makes a changed copy.
type History struct {
	Root    string                  // absolute path of the git work tree
	Prefix  string                  // the handover directory relative to Root, slash-separated; "" at the root
	Head    *Commit                 // the commit checked out
	Files   map[string]*FileHistory // by path relative to the handover directory, slash-separated, like model.Document.File: every path in its history (deleted ones too), every file of HEAD and every file passed to Read
	Shallow bool                    // the history stops early: the clone is shallow (or objects are missing)
	Commits []*Commit               // every commit reachable from HEAD, merges included, in `git log` order (newest first)
	Changes map[string][]string     // commit hash → the handover paths it changed, sorted; only commits that changed some, never merges
	// Split is how long of Read's time went to Documents' work for the
	// files of several documents, which Read does ahead (after the pass
	// over the commits, which is the rest).
	Split time.Duration

	objects *objects // nil in a History not made by Read
}

// objects reads blobs for Documents, long after Read, and remembers what
// Documents made of them. A History and the copies WithFiles makes share
// it: their files have the same commits.
type objects struct {
	mu   sync.Mutex
	repo *git.Repository                 // a storage that keeps nothing open, so that nobody has to close a History
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

// WithFiles returns a copy of h in which the files given (path relative to
// the handover directory → current bytes; a nil slice means the file was
// deleted) have their Dirty flag computed as Read would compute it; h
// itself is unchanged (it may be in use). The copy shares everything else
// with h, Documents' remembered answers included. It is for `handover
// serve`, which keeps the History across rebuilds: a file saved without a
// commit changes nothing but its Dirty flag. It reads no git object, and
// costs a copy of the Files map.
//
// As in Read, a file given is Dirty when its bytes are not its blob in
// HEAD, and a file given that git never saw gets a history without
// commits. A deleted file is as Read leaves a file not passed to it: its
// history stays, not Dirty, unless it had none (no commits, not in HEAD),
// in which case it leaves Files.
func (h *History) WithFiles(files map[string][]byte) *History {
	if h == nil {
		return nil
	}
	c := *h
	c.Files = maps.Clone(h.Files)
	for path, b := range files {
		var fh FileHistory
		if old := h.Files[path]; old != nil {
			fh = *old
		}
		switch {
		case b != nil:
			fh.Dirty = isDirty(fh.head, b)
		case len(fh.Commits) == 0 && fh.head.IsZero():
			delete(c.Files, path)
			continue
		default:
			fh.Dirty = false
		}
		c.Files[path] = &fh
	}
	return &c
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
// tree hash), and no diff at all for merges. The diffs run on every
// processor (up to four), the rest of the walk on one; then every tree of
// HEAD's handover directory is read once, for Dirty and WithFiles.
func Read(dir string, files map[string][]byte) (*History, []diag.Diagnostic, error) {
	repo, err := open(dir, true, cache.DefaultMaxSize)
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
	// keeps nothing open, so that nobody has to close the History, and a
	// small cache: it reads each blob once, and a build holds the History
	// through the render, where go-git's default (96 MB) filled up with
	// blobs nobody would read again.
	lazy, err := open(dir, false, 8*cache.MiByte)
	if err != nil {
		return nil, nil, err
	}

	h := &History{
		Root:    repo.root,
		Prefix:  repo.prefix,
		Files:   map[string]*FileHistory{},
		Changes: map[string][]string{},
		objects: &objects{repo: lazy.git},
	}
	if err := walk(repo, ref.Hash(), h, files); err != nil {
		return nil, nil, err
	}
	h.Head = h.Commits[0]
	var diags []diag.Diagnostic
	if h.Shallow {
		diags = append(diags, diag.Warnf(diag.Pos{File: "."}, "shallow-history",
			"fetch the whole history: in GitHub Actions, actions/checkout with fetch-depth: 0",
			"the git clone is shallow: page histories stop at the oldest commit fetched"))
	}
	return h, diags, nil
}

// walk fills h's Commits, Files, Changes and Shallow with the history from
// head, and marks the files passed Dirty where their bytes are not HEAD's.
//
// Commits are visited one at a time, as git's revision walk does, but the
// tree diffs, which cost most, run meanwhile on diff workers, a batch of
// consecutive commits at a time (they share most trees); their results are
// recorded in walk order afterwards, so that the History does not depend on
// the scheduling. Reading HEAD's files and hashing the files passed overlap
// the diffs too.
func walk(repo *repository, head plumbing.Hash, h *History, files map[string][]byte) error {
	src, err := openObjects(repo.objects, repo.git.Storer)
	if err != nil {
		return err
	}
	defer src.close()
	w, err := newWalker(repo.git, src, h)
	if err != nil {
		return err
	}
	root, err := w.walk(head)
	if err != nil {
		w.pool.wait()
		return err
	}
	blobs, dirty, headErr := w.headFiles(root, files)
	if err := w.pool.wait(); err != nil {
		return err
	}
	if headErr != nil {
		return headErr
	}
	names := map[string]string{} // one string per path, for Files and Changes to share
	for _, batch := range w.batches {
		for _, s := range batch {
			h.record(s, names)
		}
	}
	for path, hash := range blobs {
		h.file(path).head = hash
	}
	for path, d := range dirty {
		h.file(path).Dirty = d
	}
	start := time.Now()
	h.splitAhead(src, files)
	h.Split = time.Since(start)
	return nil
}

// record adds the changes of one commit to Files and Changes, with the
// string names holds for each path.
func (h *History) record(s step, names map[string]string) {
	if len(s.changes) == 0 {
		return
	}
	paths := make([]string, len(s.changes))
	for i, c := range s.changes {
		path, ok := names[c.path]
		if !ok {
			path = c.path
			names[path] = path
		}
		fh := h.file(path)
		fh.Commits = append(fh.Commits, s.commit)
		fh.blobs = append(fh.blobs, [2]plumbing.Hash{c.before, c.after})
		paths[i] = path
	}
	slices.Sort(paths)
	h.Changes[s.commit.Hash] = paths
}

// file returns the history of path in Files, added if missing.
func (h *History) file(path string) *FileHistory {
	fh := h.Files[path]
	if fh == nil {
		fh = &FileHistory{}
		h.Files[path] = fh
	}
	return fh
}

// walker visits every commit reachable from HEAD once, in the order git log
// shows them, and hands the commits to diff to a diffPool.
type walker struct {
	objects *objectReader
	h       *History
	shallow map[plumbing.Hash]bool
	pool    *diffPool

	queue   commitQueue
	seen    map[plumbing.Hash]bool
	batch   []step   // commits to diff, not yet handed to the pool
	batches [][]step // every batch handed over, in walk order
}

// step is a commit to diff and, once diffed, the files it changed.
type step struct {
	commit   *Commit
	from, to plumbing.Hash // root trees of the parent (zero for a root commit) and of the commit
	changes  []change
}

// stepsPerBatch is how many consecutive commits a diff worker takes at a
// time: a commit's tree is its child's parent tree, read once when both
// go to the same worker.
const stepsPerBatch = 64

// newWalker makes a walker and starts its diff workers.
func newWalker(g *git.Repository, src *objectSource, h *History) (*walker, error) {
	hashes, err := g.Storer.Shallow()
	if err != nil {
		return nil, fmt.Errorf("read shallow commits of %s: %w", h.Root, err)
	}
	w := &walker{objects: newObjectReader(src), h: h, shallow: map[plumbing.Hash]bool{}, seen: map[plumbing.Hash]bool{}}
	for _, s := range hashes {
		w.shallow[s] = true
	}
	w.pool = startDiffPool(src, h.Prefix)
	return w, nil
}

// walk pops the commit with the latest committer time first and queues its
// parents, as git's revision walk does (ties: the commit queued first), so
// that Commits and every file's history come out in `git log` order. It
// returns HEAD's root tree.
func (w *walker) walk(head plumbing.Hash) (plumbing.Hash, error) {
	c, err := w.commit(head)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read HEAD commit %s: %w", head, err)
	}
	root := c.TreeHash
	w.seen[head] = true
	w.queue.push(c)
	for w.queue.Len() > 0 {
		c := w.queue.pop()
		commit := newCommit(c)
		w.h.Commits = append(w.h.Commits, commit)
		parents, err := w.parents(c)
		if err != nil {
			return plumbing.ZeroHash, err
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
		s := step{commit: commit, to: c.TreeHash}
		if len(parents) == 1 {
			s.from = parents[0].TreeHash
		}
		w.batch = append(w.batch, s)
		if len(w.batch) == stepsPerBatch {
			w.flush()
		}
	}
	w.flush()
	return root, nil
}

// flush hands the current batch to the pool.
func (w *walker) flush() {
	if len(w.batch) == 0 {
		return
	}
	w.batches = append(w.batches, w.batch)
	w.pool.diff(w.batch)
	w.batch = make([]step, 0, stepsPerBatch)
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
		p, err := w.commit(hash)
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

// commit reads a commit, parsed by go-git.
func (w *walker) commit(hash plumbing.Hash) (*object.Commit, error) {
	typ, b, err := w.objects.read(hash, 0)
	if err != nil {
		return nil, err
	}
	if typ != plumbing.CommitObject {
		return nil, fmt.Errorf("object %s is a %s, not a commit", hash, typ)
	}
	c := &object.Commit{}
	if err := c.Decode(&rawObject{hash: hash, typ: typ, data: b}); err != nil {
		return nil, fmt.Errorf("read commit %s: %w", hash, err)
	}
	return c, nil
}

// rawObject is an object read by an objectReader, for go-git to decode.
// Unlike plumbing.MemoryObject it knows its hash: that one computes it.
type rawObject struct {
	hash plumbing.Hash
	typ  plumbing.ObjectType
	data []byte
}

func (o *rawObject) Hash() plumbing.Hash         { return o.hash }
func (o *rawObject) Type() plumbing.ObjectType   { return o.typ }
func (o *rawObject) SetType(plumbing.ObjectType) {}
func (o *rawObject) Size() int64                 { return int64(len(o.data)) }
func (o *rawObject) SetSize(int64)               {}
func (o *rawObject) Reader() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(o.data)), nil
}
func (o *rawObject) Writer() (io.WriteCloser, error) {
	return nil, errors.New("a raw object is read-only")
}

// headFiles returns the blob of every file in HEAD's handover directory
// (root is HEAD's tree), and which of the files passed differ from it.
func (w *walker) headFiles(root plumbing.Hash, files map[string][]byte) (map[string]plumbing.Hash, map[string]bool, error) {
	blobs := map[string]plumbing.Hash{}
	e, ok, err := lookup(w.objects.tree, root, w.h.Prefix)
	if err != nil {
		return nil, nil, fmt.Errorf("read HEAD tree: %w", err)
	}
	if ok && e.isDir() {
		err := walkFiles(w.objects.tree, e.hash, "", func(path string, e treeEntry) {
			if e.mode.IsFile() {
				blobs[path] = e.hash
			}
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read HEAD tree: %w", err)
		}
	}
	// Hashing every file (68 MB at 50k) is the longest part: on every
	// core, which the diffs leave free once they are done.
	paths := slices.Collect(maps.Keys(files))
	differs := make([]bool, len(paths))
	parallel.Do(len(paths), func(i int) { differs[i] = isDirty(blobs[paths[i]], files[paths[i]]) })
	dirty := make(map[string]bool, len(files))
	for i, path := range paths {
		dirty[path] = differs[i]
	}
	return blobs, dirty, nil
}

// isDirty says whether a file's bytes differ from its blob in HEAD (the
// zero hash: HEAD has no such file).
func isDirty(head plumbing.Hash, b []byte) bool {
	return head.IsZero() || head != blobHash(b)
}

// blobHash is the hash git gives a blob of the bytes b, as
// plumbing.ComputeHash(plumbing.BlobObject, b) gives it, computed with
// crypto/sha1 instead of go-git's collision-detecting SHA-1, which took
// four times as long (0.22 s of the history pass at 50,000 files). The
// hash only says whether a file is what HEAD holds: a crafted collision
// could hide an uncommitted change from a page, nothing more.
func blobHash(b []byte) plumbing.Hash {
	h := sha1.New()
	var hdr [32]byte
	h.Write(append(strconv.AppendInt(append(hdr[:0], "blob "...), int64(len(b)), 10), 0)) // "blob <size>\x00"
	h.Write(b)
	var sum plumbing.Hash
	h.Sum(sum[:0])
	return sum
}

// maxDiffWorkers bounds the diff workers: beyond a few, what takes the time
// is the rest of the walk, on one processor (at 50,000 entities it costs
// more than half of what the diffs cost on one).
const maxDiffWorkers = 4

// diffPool is the diff workers of one walk, one per processor up to
// maxDiffWorkers, each with its own objectReader.
type diffPool struct {
	batches chan []step
	wg      sync.WaitGroup
	errs    []error
}

func startDiffPool(src *objectSource, prefix string) *diffPool {
	n := min(runtime.GOMAXPROCS(0), maxDiffWorkers)
	p := &diffPool{batches: make(chan []step, n), errs: make([]error, n)}
	for i := range n {
		d := &differ{objects: newObjectReader(src), prefix: prefix, subtree: map[plumbing.Hash]plumbing.Hash{}}
		p.wg.Go(func() {
			for batch := range p.batches {
				if p.errs[i] != nil {
					continue // drain, so that the walk never blocks
				}
				for j := range batch {
					s := &batch[j]
					var err error
					if s.changes, err = d.diff(s.from, s.to); err != nil {
						p.errs[i] = fmt.Errorf("diff commit %s: %w", s.commit.Hash, err)
						break
					}
				}
			}
		})
	}
	return p
}

// diff hands a batch to a worker, which fills in the changes of its steps.
func (p *diffPool) diff(batch []step) { p.batches <- batch }

// wait waits for the workers to diff every batch and returns the first
// error.
func (p *diffPool) wait() error {
	close(p.batches)
	p.wg.Wait()
	for _, err := range p.errs {
		if err != nil {
			return err
		}
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
