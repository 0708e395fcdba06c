// Package write owns the last stage of the pipeline: it puts a rendered
// site on disk atomically. The new site is written to a temporary directory
// beside the target and swapped in with renames, so a failed or interrupted
// build leaves the previous site as it was. It refuses to replace a
// directory that is not a previous handover site.
package write

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/handover-dev/handover/internal/direct"
)

// Site writes files (slash-separated paths → content) to out, replacing a
// previous site there. marker names the file that every handover site has
// at its root; a non-empty out without it is refused.
func Site(files map[string][]byte, out, marker string) error {
	tx, err := Begin(out, marker)
	if err != nil {
		return err
	}
	if err := tx.All(files); err != nil {
		tx.Abort()
		return err
	}
	return tx.Commit()
}

// Tx is a site being written: its files go into a temporary directory
// beside the target as they come (so that a build need not hold every page
// in memory), and Commit swaps it in. Until then the previous site stays
// as it was; Abort removes the temporary directory.
type Tx struct {
	out, tmp string

	mu   sync.Mutex
	dirs map[string]bool // created already
}

// Begin starts writing a site to out (see Site).
func Begin(out, marker string) (*Tx, error) {
	out = filepath.Clean(out)
	if err := Check(out, marker); err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return nil, fmt.Errorf("create a temporary directory beside %s: %w", out, err)
	}
	// MkdirTemp makes the directory private; a site is meant to be read.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("create a temporary directory beside %s: %w", out, err)
	}
	return &Tx{out: out, tmp: tmp, dirs: map[string]bool{tmp: true}}, nil
}

// File writes one file of the site; p is slash-separated and relative. It
// is safe to call from several goroutines, and b may be reused once it
// returns.
func (t *Tx) File(p string, b []byte) error {
	full, err := t.path(p)
	if err != nil {
		return err
	}
	if err := direct.WriteFile(full, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// Stream writes one file of the site as fill makes it, for a file too
// large to hold whole in memory (the search index); like File, it is safe
// to call from several goroutines.
func (t *Tx) Stream(p string, fill func(w *bufio.Writer) error) error {
	full, err := t.path(p)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	err = fill(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}

// path returns where the site's file p goes in the temporary directory,
// having made its directory.
func (t *Tx) path(p string) (string, error) {
	if !fs.ValidPath(p) || p == "." {
		return "", fmt.Errorf("invalid site path %q", p)
	}
	full := filepath.Join(t.tmp, filepath.FromSlash(p))
	dir := filepath.Dir(full)
	t.mu.Lock()
	known := t.dirs[dir]
	t.mu.Unlock()
	if !known {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("create %s: %w", dir, err)
		}
		t.mu.Lock()
		t.dirs[dir] = true
		t.mu.Unlock()
	}
	return full, nil
}

// Background returns a function that writes a file as File does, on
// writers of its own: it copies b and returns at once, so that a renderer
// handing it pages does not wait on the disk, and it waits only when the
// writers are that many pages behind. A file larger than maxPooled it
// writes itself before returning. Files of one directory go to the same
// writer: creating files in one directory from several threads serialises
// on the directory's lock in the kernel, where the losers spin (a third of
// a build's CPU on ext4). Once a write has failed it returns that error.
// wait waits for the writers and returns the first error; call it once,
// after the last file.
func (t *Tx) Background(writers int) (file func(p string, b []byte) error, wait func() error) {
	type job struct {
		p string
		b *[]byte
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		bufs     = sync.Pool{New: func() any { return new([]byte) }}
		queues   = make([]chan job, writers)
	)
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return firstErr
	}
	for i := range queues {
		queues[i] = make(chan job, 8)
		wg.Go(func() {
			for j := range queues[i] {
				if failed() == nil {
					if err := t.File(j.p, *j.b); err != nil {
						mu.Lock()
						firstErr = cmp.Or(firstErr, err)
						mu.Unlock()
					}
				}
				bufs.Put(j.b)
			}
		})
	}
	file = func(p string, b []byte) error {
		if err := failed(); err != nil {
			return err
		}
		if len(b) > maxPooled {
			// Written here, without a copy: such a page took longer to
			// render than to write, and copies of it, pooled, held
			// their size to the end.
			return t.File(p, b)
		}
		buf := bufs.Get().(*[]byte)
		*buf = append((*buf)[:0], b...)
		h := fnv.New32a()
		h.Write([]byte(path.Dir(p)))
		queues[h.Sum32()%uint32(len(queues))] <- job{p, buf}
		return nil
	}
	wait = func() error {
		for _, q := range queues {
			close(q)
		}
		wg.Wait()
		return failed()
	}
	return file, wait
}

// maxPooled is the largest page Background copies to write on its own
// writers; larger ones (a client's overview and handover pack, 250-350 KB
// at 100 entities a client) are written by the caller. Each pooled
// buffer grows to the largest page it carried, and the pool holds one per
// page in flight: with overviews among them they were 14 MB of a 50k
// build's live heap.
const maxPooled = 64 << 10

// All writes files concurrently.
func (t *Tx) All(files map[string][]byte) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan string)
	for w := 0; w < max(2, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				if err := t.File(p, files[p]); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for p := range files {
		next <- p
	}
	close(next)
	wg.Wait()
	return firstErr
}

// Abort drops what was written; the previous site stays.
func (t *Tx) Abort() { os.RemoveAll(t.tmp) }

// Commit swaps the new site in for the previous one.
func (t *Tx) Commit() error {
	parent, base := filepath.Dir(t.out), filepath.Base(t.out)
	old := ""
	if _, err := os.Stat(t.out); err == nil {
		old = filepath.Join(parent, "."+base+".old-"+strings.TrimPrefix(filepath.Base(t.tmp), "."+base+".new-"))
		if err := os.Rename(t.out, old); err != nil {
			t.Abort()
			return fmt.Errorf("move the previous site aside: %w", err)
		}
	}
	if err := os.Rename(t.tmp, t.out); err != nil {
		if old != "" {
			os.Rename(old, t.out) // put the previous site back
		}
		t.Abort()
		return fmt.Errorf("swap in the new site: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Check refuses an output directory that is not empty and was not written
// by a previous build: a mistyped --out must never wipe someone's files.
func Check(out, marker string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, marker)); err != nil {
		return &RefusedError{Dir: out, Marker: marker}
	}
	return nil
}

// RefusedError says the output directory holds something other than a
// handover site.
type RefusedError struct{ Dir, Marker string }

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s is not empty and is not a handover site (it has no %s): refusing to replace it; choose an empty or new directory for --out", e.Dir, e.Marker)
}
