package load

import (
	"io/fs"
	"slices"
	"time"

	"github.com/handover-dev/handover/generator/diag"
)

// Cache keeps each file's load from one call of FS to the next, for the
// live preview: a file whose size and modification time have not changed
// is not read again, and its documents are the very same values as before
// (so later stages can keep what they derived from them). A Cache is for
// one repository and one caller at a time; the zero value is not usable,
// use NewCache. A nil *Cache caches nothing.
type Cache struct {
	files   map[string]cachedFile
	found   []foundFile       // the files of the last load, sorted
	diags   []diag.Diagnostic // what listing them reported
	changed []string
	stale   map[string]bool
}

type cachedFile struct {
	stamp  stamp
	result fileResult
}

// stamp tells whether a file changed without reading it.
type stamp struct {
	size int64
	mod  time.Time
}

// NewCache returns an empty cache: the first load with it reads every file.
func NewCache() *Cache {
	return &Cache{files: map[string]cachedFile{}, stale: map[string]bool{}}
}

// Invalidate makes the next load read these files (relative,
// slash-separated) again whatever their stamps say: what a file watcher
// reported changed. When every one of them is a file the last load read
// and still a regular file, the next load does not list the repository
// again: it trusts the watcher that nothing else changed.
func (c *Cache) Invalidate(files ...string) {
	for _, f := range files {
		c.stale[f] = true
	}
}

// Changed returns the files the last load read anew (new or changed since
// the load before) or no longer found, sorted; every file after the first
// load.
func (c *Cache) Changed() []string {
	if c == nil {
		return nil
	}
	return c.changed
}

// lookup fills results with what the cache holds for unchanged files and
// returns the indexes of the files to read.
func (c *Cache) lookup(found []foundFile, results []fileResult) []int {
	var fresh []int
	for i, f := range found {
		if c != nil && !c.stale[f.rel] && f.stamp.size > 0 {
			if cf, ok := c.files[f.rel]; ok && cf.stamp.size == f.stamp.size && cf.stamp.mod.Equal(f.stamp.mod) {
				results[i] = cf.result
				continue
			}
		}
		fresh = append(fresh, i)
	}
	return fresh
}

// listed returns the files to load without walking the repository, when
// the watcher said what changed and all of it was known files.
func (c *Cache) listed(fsys fs.FS) ([]foundFile, []diag.Diagnostic, bool) {
	if c == nil || len(c.stale) == 0 || len(c.found) == 0 {
		return nil, nil, false
	}
	stamps := map[string]stamp{}
	for rel := range c.stale {
		if _, ok := c.files[rel]; !ok {
			return nil, nil, false // a new file, or not a handover file at all (.gitignore)
		}
		st, err := fs.Stat(fsys, rel)
		if err != nil || !st.Mode().IsRegular() {
			return nil, nil, false
		}
		stamps[rel] = stamp{size: st.Size(), mod: st.ModTime()}
	}
	found := slices.Clone(c.found)
	for i, f := range found {
		if st, ok := stamps[f.rel]; ok {
			found[i].stamp = st
		}
	}
	return found, c.diags, true
}

// store records this load's results and what changed.
func (c *Cache) store(found []foundFile, diags []diag.Diagnostic, results []fileResult, fresh []int) {
	if c == nil {
		return
	}
	c.found, c.diags = found, diags
	files := make(map[string]cachedFile, len(found))
	c.changed = c.changed[:0]
	for _, i := range fresh {
		c.changed = append(c.changed, found[i].rel)
	}
	for i, f := range found {
		files[f.rel] = cachedFile{f.stamp, results[i]}
	}
	for rel := range c.files {
		if _, ok := files[rel]; !ok {
			c.changed = append(c.changed, rel)
		}
	}
	slices.Sort(c.changed)
	c.files, c.stale = files, map[string]bool{}
}
