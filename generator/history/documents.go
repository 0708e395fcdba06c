package history

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/handover-dev/handover/internal/parallel"
)

// Documents attributes the commits of a multi-document YAML file to its
// documents: a commit counts for a document when that document's text (the
// lines between its `---` separators, less blank lines at either end) differs between the file before the
// commit and after it, including when the document appears or disappears.
// A document is identified by its top-level `kind:` and `id:` lines, and
// the result maps kind+"/"+id ("Server/web-01") to its commits, newest
// first. Documents without both lines are not attributed. Merges never
// count, as in FileHistory.Commits.
//
// Cost: the pass that Read makes records each commit's blobs of the file,
// so Documents reads each distinct version of the file once (about one blob
// per commit of the file) and walks no trees. It is computed on the first
// call for a path and remembered; it is safe for concurrent use. Call it for
// multi-document files only: for a one-document file FileHistory.Commits is
// the answer, for free.
func (h *History) Documents(path string) (map[string][]*Commit, error) {
	fh := h.File(path)
	if fh == nil {
		return map[string][]*Commit{}, nil
	}
	o := h.objects
	if o == nil {
		o = &objects{} // a History made by hand: nothing to read, nowhere to remember
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if docs, ok := o.docs[path]; ok {
		return maps.Clone(docs), nil
	}
	docs, err := splitHistory(path, fh, o.blob)
	if err != nil {
		return nil, err
	}
	if o.docs == nil {
		o.docs = map[string]map[string][]*Commit{}
	}
	o.docs[path] = docs
	return maps.Clone(docs), nil
}

// splitHistory is Documents' work for one file, reading each version of
// it with read.
func splitHistory(path string, fh *FileHistory, read func(plumbing.Hash) ([]byte, error)) (map[string][]*Commit, error) {
	texts := map[plumbing.Hash]map[string]string{{}: nil}
	version := func(hash plumbing.Hash) (map[string]string, error) {
		if t, ok := texts[hash]; ok {
			return t, nil
		}
		b, err := read(hash)
		if err != nil {
			return nil, fmt.Errorf("read %s at blob %s: %w", path, hash, err)
		}
		t := splitDocuments(b)
		texts[hash] = t
		return t, nil
	}
	docs := map[string][]*Commit{}
	for i, c := range fh.Commits {
		before, err := version(fh.blobs[i][0])
		if err != nil {
			return nil, err
		}
		after, err := version(fh.blobs[i][1])
		if err != nil {
			return nil, err
		}
		for key, text := range after {
			if old, ok := before[key]; !ok || old != text {
				docs[key] = append(docs[key], c)
			}
		}
		for key := range before {
			if _, ok := after[key]; !ok {
				docs[key] = append(docs[key], c)
			}
		}
	}
	return docs, nil
}

// splitAhead computes Documents for every file of several documents among
// files, on every core, while the walk's packs are open: Documents alone
// reads the versions through go-git, one file at a time, when the pages
// ask. A file whose versions cannot be read is left to Documents, which
// reports it.
func (h *History) splitAhead(src *objectSource, files map[string][]byte) {
	var paths []string // may hold several documents; the workers make sure
	for path, b := range files {
		if h.Files[path] != nil && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) &&
			bytes.Contains(b, []byte("\n---")) {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	split := make([]map[string][]*Commit, len(paths))
	parallel.DoWith(len(paths), func() *objectReader { return newObjectReader(src) }, func(r *objectReader, i int) {
		if len(splitDocuments(files[paths[i]])) > 1 {
			split[i], _ = splitHistory(paths[i], h.Files[paths[i]], r.blob)
		}
	})
	o := h.objects
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.docs == nil {
		o.docs = map[string]map[string][]*Commit{}
	}
	for i, docs := range split {
		if docs != nil {
			o.docs[paths[i]] = docs
		}
	}
}

// blob reads a blob with the repository Read opened, whose storage closes
// its pack files after each read: Documents may run long after Read. The
// caller holds o.mu.
func (o *objects) blob(hash plumbing.Hash) ([]byte, error) {
	if o.repo == nil {
		return nil, fmt.Errorf("no git repository")
	}
	b, err := o.repo.BlobObject(hash)
	if err != nil {
		return nil, err
	}
	r, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

var (
	// keyLine is a top-level `kind:` or `id:` line; the value may be quoted
	// and followed by a comment.
	keyLine = regexp.MustCompile(`^(kind|id):[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#"'][^#]*?))[ \t]*(?:#.*)?$`)
)

// marker reports whether line is the document marker m ("---" starts a
// document, "..." ends one), alone or followed by a blank.
func marker(line, m string) bool {
	rest, ok := strings.CutPrefix(line, m)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// splitDocuments returns the text of each document of a YAML file by
// kind+"/"+id, without the blank lines at its ends: appending a document
// to a file must not change the one before it. Two documents with the same
// key (an error the validate stage reports) count as one.
func splitDocuments(b []byte) map[string]string {
	docs := map[string]string{}
	var lines []string
	var kind, id string
	flush := func() {
		for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
			lines = lines[1:]
		}
		for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
			lines = lines[:len(lines)-1]
		}
		if kind != "" && id != "" {
			key := kind + "/" + id
			text := strings.Join(lines, "\n")
			if old, ok := docs[key]; ok {
				text = old + "\n---\n" + text
			}
			docs[key] = text
		}
		lines, kind, id = nil, "", ""
	}
	inDoc := true
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSuffix(line, "\r")
		switch {
		case marker(line, "---"):
			flush()
			inDoc = true
			continue
		case marker(line, "..."):
			flush()
			inDoc = false
			continue
		case !inDoc:
			continue
		}
		lines = append(lines, line)
		if !strings.HasPrefix(line, "kind:") && !strings.HasPrefix(line, "id:") {
			continue // what keyLine cannot match, told without it
		}
		if m := keyLine.FindStringSubmatch(line); m != nil {
			value := m[2] + m[3] + m[4]
			if m[1] == "kind" && kind == "" {
				kind = value
			} else if m[1] == "id" && id == "" {
				id = value
			}
		}
	}
	flush()
	return docs
}
