// Package load owns the first stage of the pipeline: it finds the YAML and
// Markdown files of a handover repository, parses every document with its
// source positions, and converts it to JSON values. It reports unreadable
// files, YAML syntax and YAML surprises; it knows nothing of schemas or
// references.
package load

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	yaml "go.yaml.in/yaml/v3"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/direct"
	"github.com/handover-dev/handover/internal/offheap"
	"github.com/handover-dev/handover/internal/parallel"
)

// PortfolioFile is the file at the repository root that every handover
// repository has.
const PortfolioFile = "handover.yaml"

// Options bound what a repository may contain. The zero value uses the
// defaults.
type Options struct {
	MaxFileSize  int64    // bytes per file; default 1 MiB
	MaxTotalSize int64    // bytes in all; default 512 MiB
	MaxFiles     int      // files in all; default 200,000
	MaxDocuments int      // documents per file; default 1,000
	MaxDepth     int      // nesting levels per document; default 64
	MaxValues    int      // values per file after alias expansion; default 200,000
	Skip         []string // extra directories to skip, relative to the root (the output directory)
	// Cache, when set, keeps each file's load for the next call with the
	// same cache (serve): see Cache.
	Cache *Cache
	// Text, when set, holds the files' text and their block scalars,
	// which the documents' strings point into, outside the Go heap (see
	// internal/offheap): for a process that loads once and exits (build).
	// nil: on the heap, as a process that reloads (serve) needs.
	Text *offheap.Arena
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = 1 << 20
	}
	if o.MaxTotalSize <= 0 {
		o.MaxTotalSize = 512 << 20
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = 200_000
	}
	if o.MaxDocuments <= 0 {
		o.MaxDocuments = 1000
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 64
	}
	if o.MaxValues <= 0 {
		o.MaxValues = 200_000
	}
	return o
}

// Result is a loaded handover repository.
type Result struct {
	Root      string            // the directory as given
	Portfolio *model.Document   // handover.yaml; nil when missing or unreadable
	Docs      []*model.Document // every other document, sorted by file and index
	Files     []string          // every file read, sorted
	// Sources holds each file's content by relative path, for excerpts.
	// It is read-only: the documents' strings share its memory.
	Sources map[string][]byte
}

// Source returns a file's content, for diag.Sources.
func (r *Result) Source(file string) []byte { return r.Sources[file] }

// fileResult is what loading one file yields.
type fileResult struct {
	docs  []*model.Document
	src   []byte
	diags []diag.Diagnostic
}

// Repo loads every handover file under dir: handover.yaml, *.yaml and *.yml
// anywhere but in hidden directories, node_modules, site-template, the
// skipped directories and what the root .gitignore ignores, and *.md files
// under clients/ (runbooks). Files are read and parsed in parallel; the
// result is sorted and does not depend on the order of the work. Symbolic
// links are not followed.
func Repo(dir string, opts Options) (*Result, []diag.Diagnostic) {
	return FS(os.DirFS(dir), dir, opts)
}

// FS loads a handover repository from a file system, such as a git tree at
// some revision; name is how messages refer to it.
func FS(fsys fs.FS, name string, opts Options) (*Result, []diag.Diagnostic) {
	opts = opts.withDefaults()
	repo := &Result{Root: name, Sources: map[string][]byte{}}
	found, diags, ok := opts.Cache.listed(fsys)
	if !ok {
		found, diags = find(fsys, name, opts)
	}
	listDiags := slices.Clone(diags)
	repo.Sources = make(map[string][]byte, len(found))
	files := make([]string, len(found))
	for i, f := range found {
		files[i] = f.rel
	}
	repo.Files = files

	results := make([]fileResult, len(files))
	fresh := opts.Cache.lookup(found, results)
	parallel.Do(len(fresh), func(i int) { results[fresh[i]] = loadFile(fsys, name, found[fresh[i]], opts) })
	opts.Cache.store(found, listDiags, results, fresh)

	for i, r := range results {
		diags = append(diags, r.diags...)
		if r.src != nil {
			repo.Sources[files[i]] = r.src
		}
		for _, d := range r.docs {
			if d.Kind == model.KindPortfolio && files[i] == PortfolioFile && repo.Portfolio == nil {
				repo.Portfolio = d
				continue
			}
			repo.Docs = append(repo.Docs, d)
		}
	}
	if !slices.Contains(files, PortfolioFile) {
		diags = append(diags, diag.Errorf(diag.Pos{File: PortfolioFile}, "missing-portfolio",
			"create handover.yaml at the repository root with `version: 1` and your consultancy's name",
			"no handover.yaml in %s: is this a handover repository?", name))
	}
	return repo, diags
}

var skipDirs = map[string]bool{"node_modules": true, "site-template": true}

// foundFile is a file to load, relative and slash-separated, with what
// tells whether it changed since it was last read.
type foundFile struct {
	rel   string
	stamp stamp
}

// find lists the files to load, sorted.
func find(fsys fs.FS, name string, opts Options) ([]foundFile, []diag.Diagnostic) {
	var diags []diag.Diagnostic
	var diagAt []int // how many files were listed when each diagnostic was
	ignore := readGitignore(fsys)
	skip := map[string]bool{}
	for _, s := range opts.Skip {
		skip[path.Clean(filepath.ToSlash(s))] = true
	}
	var files []foundFile
	var entries []fs.DirEntry // the files' entries, for their stamps
	err := fs.WalkDir(fsys, ".", func(rel string, e fs.DirEntry, err error) error {
		if err != nil {
			diags = append(diags, diag.Errorf(diag.Pos{File: rel}, "file-unreadable", "check the file's permissions", "cannot read: %s", errText(err)))
			diagAt = append(diagAt, len(files))
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if rel == "." {
			return nil
		}
		name := e.Name()
		if e.IsDir() {
			if strings.HasPrefix(name, ".") || skipDirs[name] || skip[rel] || ignore.match(rel, true) {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || ignore.match(rel, false) {
			return nil
		}
		switch ext := path.Ext(name); {
		case ext == ".yaml" || ext == ".yml" || (ext == ".md" && strings.HasPrefix(rel, "clients/")):
			if len(files) == opts.MaxFiles {
				diags = append(diags, diag.Errorf(diag.Pos{File: rel}, "repo-too-large",
					"split the portfolio, or ignore what is not handover documentation in .gitignore",
					"more than %d files: stopped reading here", opts.MaxFiles))
				diagAt = append(diagAt, len(files))
				return fs.SkipAll
			}
			files = append(files, foundFile{rel: rel})
			entries = append(entries, e)
		}
		return nil
	})
	if err != nil {
		diags = append(diags, diag.Errorf(diag.Pos{File: "."}, "file-unreadable", "check that the directory exists and is readable", "cannot read %s: %s", name, errText(err)))
		diagAt = append(diagAt, len(files))
	}
	// Each stamp is a system call (lstat): on every core, after the walk,
	// rather than one by one inside it.
	parallel.Do(len(files), func(i int) {
		if info, err := entries[i].Info(); err == nil {
			files[i].stamp = stamp{size: info.Size(), mod: info.ModTime()}
		}
	})
	// The size limit, in the order of the walk, as if the walk had stopped
	// at the file past it: what it listed from there on is dropped.
	var total int64
	for i, f := range files {
		if total += f.stamp.size; total > opts.MaxTotalSize {
			n := len(diagAt)
			for n > 0 && diagAt[n-1] > i {
				n--
			}
			diags = append(diags[:n], diag.Errorf(diag.Pos{File: f.rel}, "repo-too-large",
				"split the portfolio, or ignore what is not handover documentation in .gitignore",
				"the handover files add up to more than %d MiB: stopped reading here", opts.MaxTotalSize>>20))
			files = files[:i]
			break
		}
	}
	slices.SortFunc(files, func(a, b foundFile) int { return strings.Compare(a.rel, b.rel) })
	return files, diags
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// loadFile reads and parses one file; name is the root fsys was made from.
func loadFile(fsys fs.FS, name string, file foundFile, opts Options) fileResult {
	b, err := readFile(fsys, name, file, opts.MaxFileSize+1, opts.Text)
	if err != nil {
		return fileResult{diags: []diag.Diagnostic{diag.Errorf(diag.Pos{File: file.rel}, "file-unreadable", "check the file's permissions", "cannot read: %s", errText(err))}}
	}
	return parse(file.rel, b, opts)
}

// readFile reads a file to its end, or to limit bytes. When fsys is
// os.DirFS(name), it opens the file as os.DirFS would, with direct.Open.
func readFile(fsys fs.FS, name string, file foundFile, limit int64, text *offheap.Arena) ([]byte, error) {
	var f io.ReadCloser
	var err error
	if name != "" && fsys == os.DirFS(name) {
		if os.IsPathSeparator(name[len(name)-1]) {
			f, err = direct.Open(name + filepath.FromSlash(file.rel))
		} else {
			f, err = direct.Open(name + string(os.PathSeparator) + filepath.FromSlash(file.rel))
		}
	} else {
		f, err = fsys.Open(file.rel)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readUpTo(f, file.stamp.size, limit, text)
}

// readUpTo reads r to its end, or to limit bytes, into a buffer sized for
// the size the walk saw: the content is kept for the whole run (Sources),
// so it should not be held in a buffer that grew by doubling.
func readUpTo(r io.Reader, size, limit int64, text *offheap.Arena) ([]byte, error) {
	b := text.Bytes(int(max(0, min(size, limit))) + 1)
	for int64(len(b)) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		want := min(int64(cap(b)), limit) - int64(len(b))
		n, err := r.Read(b[len(b) : int64(len(b))+want])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err == nil && n > 0 && int64(n) < want && int64(len(b)) == size {
			// A read of a regular file stops short only at its end: at the
			// size the walk saw, there is no need to ask again for nothing
			// (a system call per file).
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

// parse turns the bytes of one file into documents; it does no I/O.
func parse(rel string, b []byte, opts Options) fileResult {
	pos := diag.Pos{File: rel}
	if int64(len(b)) > opts.MaxFileSize {
		return fileResult{diags: []diag.Diagnostic{diag.Errorf(pos, "file-too-large",
			"split it into several files: one entity per file is the convention",
			"file is larger than %d bytes", opts.MaxFileSize)}}
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return fileResult{diags: []diag.Diagnostic{diag.Errorf(pos, "file-binary",
			"remove it, or rename it so it does not end in .yaml, .yml or .md", "file is binary, not text")}}
	}
	if !utf8.Valid(b) {
		line := 1 + bytes.Count(b[:firstInvalid(b)], []byte("\n"))
		return fileResult{diags: []diag.Diagnostic{diag.Errorf(diag.Pos{File: rel, Line: line, Column: 1}, "file-encoding",
			"save the file as UTF-8", "file is not valid UTF-8")}}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	c := &converter{file: rel, maxDepth: opts.MaxDepth, budget: opts.MaxValues, maxDocs: opts.MaxDocuments, text: opts.Text,
		off: opts.Text.Slab()}
	defer c.off.Release()
	var docs []*model.Document
	if path.Ext(rel) == ".md" {
		docs = c.markdown(b)
	} else {
		docs = c.yamlDocs(b, 0)
	}
	client := ""
	if rest, ok := strings.CutPrefix(rel, "clients/"); ok {
		if c, _, ok := strings.Cut(rest, "/"); ok {
			client = c // clients/<client>/…
		}
	}
	for _, d := range docs {
		d.Client = client
		if d.Kind == "" && rel == PortfolioFile {
			d.Kind = model.KindPortfolio
		}
	}
	return fileResult{docs: docs, src: b, diags: c.diags}
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// yamlDocs parses every document of a YAML stream; lineOffset is added to
// every position (for front matter that starts below line 1). The
// documents the fast parser read do not keep their trees: they parse
// their file again when a message needs a position or a tree (see
// model.Document.Detach).
func (c *converter) yamlDocs(b []byte, lineOffset int) []*model.Document {
	var docs []*model.Document
	fast := fastYAML(b, lineOffset, c.text, func(roots []*model.Node) bool {
		if len(roots) > c.maxDocs {
			return false // yaml.v3 says so
		}
		before, budget := len(c.diags), c.budget
		docs = c.documents(roots, nil)
		if len(c.diags) > before {
			// A file with a YAML problem keeps its trees, which yaml.v3
			// builds (these are in scratch memory): its values may not
			// hold all of them (a duplicate key), and the secret scanner
			// looks at the trees of such files in full.
			c.diags, c.budget, c.exceeded, docs = c.diags[:before], budget, false, nil
			return false
		}
		for _, d := range docs {
			index := d.Index
			d.Detach(func(visit func(root *model.Node)) {
				fastYAML(b, lineOffset, nil, func(roots []*model.Node) bool {
					if index < len(roots) && roots[index] != nil {
						visit(roots[index])
					}
					return true
				})
			})
		}
		return true
	})
	if !fast {
		docs = c.documents(c.slowYAML(b, lineOffset))
	}
	return docs
}

// documents converts the parsed roots of a file into documents.
func (c *converter) documents(roots []*model.Node, comments map[*model.Node]string) []*model.Document {
	var docs []*model.Document
	for index, root := range roots {
		if root == nil {
			continue
		}
		if d := c.document(root, index); d != nil {
			d.Comments = comments
			docs = append(docs, d)
		}
	}
	return docs
}

// slowYAML parses with yaml.v3 what fastYAML does not take, and reports
// its syntax errors. An empty document gives a nil root.
func (c *converter) slowYAML(b []byte, lineOffset int) ([]*model.Node, map[*model.Node]string) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	f := &fromYAML{lineOffset: int32(lineOffset)}
	var roots []*model.Node
	for index := 0; ; index++ {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.syntaxError(err, b, lineOffset)
			break
		}
		if index == c.maxDocs {
			c.errorf(&model.Node{Line: int32(n.Line + lineOffset), Column: int32(n.Column)}, "yaml-too-many-documents", "split the file: one entity per file is the convention",
				"more than %d documents in one file: stopped reading here", c.maxDocs)
			break
		}
		var root *model.Node
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			root = f.node(n.Content[0], 0)
		}
		roots = append(roots, root)
	}
	return roots, f.comments
}

// document converts one parsed document; empty documents (a stray `---`)
// are skipped.
func (c *converter) document(root *model.Node, index int) *model.Document {
	if root.Kind == model.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	if root.Kind != model.MappingNode {
		c.errorf(root, "document-not-mapping", "start the document with `kind:` and `id:` lines",
			"a document must be a mapping of fields, not a %s", nodeKind(root))
		return nil
	}
	d := &model.Document{File: c.file, Index: index, Node: root}
	if c.enter(root, 0) {
		d.SetFields(c.mapping(root, 0))
	}
	d.Kind = model.Kind(d.Value.String("kind"))
	d.ID = d.Value.String("id")
	return d
}

func nodeKind(n *model.Node) string {
	switch n.Kind {
	case model.SequenceNode:
		return "list"
	case model.AliasNode:
		return "alias"
	}
	return "single value"
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// syntaxError turns a parser error into a diagnostic. The parser gives a
// line but no column; point at the line's first non-blank character.
func (c *converter) syntaxError(err error, b []byte, lineOffset int) {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	col := 0
	if line > 0 {
		lines := strings.Split(string(b), "\n")
		col = 1
		if line <= len(lines) {
			l := lines[line-1]
			col += len(l) - len(strings.TrimLeft(l, " \t"))
			if i := strings.IndexByte(l, '\t'); i >= 0 && strings.Contains(msg, "tab") {
				col = i + 1
			}
		}
		line += lineOffset
	}
	c.diags = append(c.diags, diag.Errorf(diag.Pos{File: c.file, Line: line, Column: col}, "yaml-syntax",
		syntaxHint(msg), "YAML syntax: %s", msg))
}

func syntaxHint(msg string) string {
	switch {
	case strings.Contains(msg, "tab character"):
		return "indent with spaces: YAML does not allow tabs for indentation"
	case strings.Contains(msg, "found character that cannot start any token"):
		return "a tab or a special character (@, `) starts a value: indent with spaces and quote values that start with a special character"
	case strings.Contains(msg, "mapping values are not allowed"):
		return "a value holds `: `: quote the whole value"
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "did not find expected"):
		return "check the indentation of this line and the one above: fields of one mapping line up"
	case strings.Contains(msg, "unexpected end of stream"):
		return "a quote or bracket opened on this line is never closed"
	case strings.Contains(msg, "unknown anchor"):
		return "define the anchor (&name) before using it (*name)"
	}
	return "check the indentation and quoting around this line"
}

// frontMatterEnd finds the line that closes a runbook's front matter in b:
// `---` or `...`, then only spaces or tabs and at most a carriage return
// (the expression `(?m)^(?:---|\.\.\.)[ \t]*\r?$`, which took 0.07 s of
// validate's CPU at 50k entities). It returns where that line starts and
// where its text ends, before its line feed; ok is false when there is
// none.
func frontMatterEnd(b []byte) (start, end int, ok bool) {
	for start < len(b) {
		end = start + bytes.IndexByte(b[start:], '\n')
		if end < start {
			end = len(b)
		}
		line := b[start:end]
		if len(line) >= 3 && (string(line[:3]) == "---" || string(line[:3]) == "...") {
			rest := line[3:]
			if len(rest) > 0 && rest[len(rest)-1] == '\r' {
				rest = rest[:len(rest)-1]
			}
			if len(bytes.Trim(rest, " \t")) == 0 {
				return start, end, true
			}
		}
		start = end + 1
	}
	return 0, 0, false
}

// markdown loads a runbook: YAML front matter between `---` lines, then the
// Markdown body.
func (c *converter) markdown(b []byte) []*model.Document {
	if !bytes.HasPrefix(b, []byte("---\n")) && !bytes.HasPrefix(b, []byte("---\r\n")) {
		c.diags = append(c.diags, diag.Warnf(diag.Pos{File: c.file, Line: 1, Column: 1}, "runbook-no-front-matter",
			"start the file with front matter: ---, kind: Runbook, id: …, title: …, ---",
			"Markdown file under clients/ is not a runbook: it has no front matter, so it is not published"))
		return nil
	}
	start := bytes.IndexByte(b, '\n') + 1
	closeStart, closeEnd, ok := frontMatterEnd(b[start:])
	if !ok {
		c.diags = append(c.diags, diag.Errorf(diag.Pos{File: c.file, Line: 1, Column: 1}, "runbook-front-matter",
			"end the front matter with a line holding only ---", "front matter is not closed"))
		return nil
	}
	fm := b[start : start+closeStart]
	docs := c.yamlDocs(fm, 1)
	if len(docs) == 0 {
		c.diags = append(c.diags, diag.Errorf(diag.Pos{File: c.file, Line: 1, Column: 1}, "runbook-front-matter",
			"put kind: Runbook, id and title between the --- lines", "front matter is empty"))
		return nil
	}
	bodyStart := start + closeEnd
	if bodyStart < len(b) && b[bodyStart] == '\r' {
		bodyStart++
	}
	if bodyStart < len(b) && b[bodyStart] == '\n' {
		bodyStart++
	}
	d := docs[0]
	// The body is the file's own bytes, as the fast parser's values are:
	// the file is kept (Sources) and never written to again.
	if body := b[bodyStart:]; len(body) > 0 {
		d.Body = unsafe.String(unsafe.SliceData(body), len(body))
	}
	d.BodyLine = 1 + bytes.Count(b[:bodyStart], []byte("\n"))
	if len(docs) > 1 {
		c.diags = append(c.diags, diag.Errorf(docs[1].Pos(), "runbook-front-matter",
			"keep one document in the front matter", "front matter holds more than one YAML document"))
	}
	return docs[:1]
}
