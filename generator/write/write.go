// Package write owns the last stage of the pipeline: it puts a rendered
// site on disk atomically. The new site is written to a temporary directory
// beside the target and swapped in with renames, so a failed or interrupted
// build leaves the previous site as it was. It refuses to replace a
// directory that is not a previous handover site.
package write

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Site writes files (slash-separated paths → content) to out, replacing a
// previous site there. marker names the file that every handover site has
// at its root; a non-empty out without it is refused.
func Site(files map[string][]byte, out, marker string) error {
	out = filepath.Clean(out)
	if err := Check(out, marker); err != nil {
		return err
	}
	parent, base := filepath.Dir(out), filepath.Base(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", parent, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return fmt.Errorf("create a temporary directory beside %s: %w", out, err)
	}
	// MkdirTemp makes the directory private; a site is meant to be read.
	err = os.Chmod(tmp, 0o755)
	if err == nil {
		err = writeAll(tmp, files)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = filepath.Join(parent, "."+base+".old-"+strings.TrimPrefix(filepath.Base(tmp), "."+base+".new-"))
		if err := os.Rename(out, old); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("move the previous site aside: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			os.Rename(old, out) // put the previous site back
		}
		os.RemoveAll(tmp)
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

func writeAll(dir string, files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	dirs := map[string]bool{}
	for p := range files {
		if !fs.ValidPath(p) {
			return fmt.Errorf("invalid site path %q", p)
		}
		paths = append(paths, p)
		dirs[filepath.Dir(filepath.Join(dir, filepath.FromSlash(p)))] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
	}
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
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), files[p], 0o644); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("write %s: %w", p, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	return firstErr
}
