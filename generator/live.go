package generator

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/generator/secrets"
	"github.com/handover-dev/handover/generator/site"
	"github.com/handover-dev/handover/generator/validate"
	"github.com/handover-dev/handover/internal/parallel"
)

// Live runs Render again and again over one repository, for the live
// preview, redoing only what a change touches. Each render gives what
// Render would give (the same diagnostics and the same site, byte for
// byte); what it keeps between renders is only a shortcut:
//
//   - files whose size and modification time did not change are not read
//     or parsed again (load.Cache), and their documents are not validated
//     or scanned for secrets again;
//   - when the changed documents kept their kind, id, client and references,
//     the index and graph are the previous ones with those documents
//     swapped in, instead of resolved anew;
//   - the history is read again only when the commit checked out changed;
//     otherwise only the changed files' dirty flags are worked out;
//   - the pages of clients none of whose files changed are kept from the
//     previous site, unless the portfolio, a shared vendor or the template
//     changed.
//
// A Live is for one goroutine at a time.
type Live struct {
	dir   string
	opts  Options
	cache *load.Cache
	// checked holds the schema and secret diagnostics of every document
	// of the last load, valid while the portfolio document is the same.
	checked   map[*model.Document][]diag.Diagnostic
	portfolio *model.Document
	full      bool // the next render may reuse no page (template changed)
	// pending are the files changed since the last render that produced
	// a site: renders that stopped on errors do not move that baseline.
	pending []string
	last    *liveState  // what the last render that produced a site knew
	derived *site.Cache // what the render derived from each document
	schemas *validate.Schemas
}

type liveState struct {
	model    *Model
	resolved []diag.Diagnostic // of resolve, for the swap shortcut
	hist     *history.History
	head     string
	site     *site.Site
	ready    *site.Readiness
}

// NewLive returns a Live for the repository at dir. opts.Load.Cache is
// replaced by the Live's own cache.
func NewLive(dir string, opts Options) *Live {
	return &Live{dir: dir, opts: opts, cache: load.NewCache(), checked: map[*model.Document][]diag.Diagnostic{}, derived: site.NewCache()}
}

// Changed tells the Live which files changed (paths relative to the
// repository, slash-separated), as a file watcher reports them: they are
// read again even if their size and time look unchanged. A change outside
// the handover files (the site template) makes the next render a full one.
func (l *Live) Changed(files ...string) {
	l.cache.Invalidate(files...)
	for _, f := range files {
		if strings.HasPrefix(f, "site-template/") || f == "site-template" {
			l.full = true
		}
	}
}

// Render is generator.Render over the repository, reusing what the
// previous calls learnt.
func (l *Live) Render() (*BuildResult, []diag.Diagnostic, error) {
	opts := l.opts
	opts.Load.Cache = l.cache
	sw := newStopwatch(opts)
	if l.schemas == nil {
		schemas, err := validate.Embedded()
		if err != nil {
			return nil, nil, fmt.Errorf("embedded schemas: %w", err)
		}
		l.schemas = schemas
	}
	schemas := l.schemas
	repo, diags := load.FS(os.DirFS(l.dir), l.dir, opts.Load)
	l.pending = append(l.pending, l.cache.Changed()...)
	slices.Sort(l.pending)
	l.pending = slices.Compact(l.pending)
	changed := l.pending
	sw.lap("load")
	diags = append(diags, l.check(schemas, repo)...)
	sw.lap("validate")

	index, g, swapped, rd := l.resolve(repo, changed)
	diags = append(diags, rd...)
	sw.lap("resolve")
	diags = append(diags, g.Warnings()...)
	sw.lap("analyse")
	m := &Model{Repo: repo, Index: index, Graph: g}
	diags = diag.Sort(diag.Redact(diags))
	res := &BuildResult{Model: m}
	defer func() { res.Timings = sw.timings }()
	if diag.HasErrors(diags, false) {
		return res, diags, nil
	}

	head := headOf(l.dir)
	var hist *history.History
	var hd []diag.Diagnostic
	if l.last != nil && !l.full && head != "" && head == l.last.head {
		files := map[string][]byte{}
		for _, f := range changed {
			files[f] = repo.Sources[f]
		}
		hist = l.last.hist.WithFiles(files)
	} else {
		var err error
		hist, hd, err = history.Read(l.dir, repo.Sources)
		if err != nil {
			return res, diags, err
		}
	}
	diags = append(diags, hd...)
	res.History = hist
	sw.lap("enrich")

	so := site.Options{Template: Template(l.dir), History: hist, Since: opts.Since, Cache: l.derived}
	stale, reuse := l.staleClients(head, changed)
	if reuse {
		so.Reuse, so.Stale = l.last.site, stale
		so.StaleShared = map[string]bool{}
		if swapped != nil {
			// The graph is the previous one: a shared vendor's page can
			// only change through a changed document linked to it or in
			// its blast radius.
			reachedShared(g, swapped, so.StaleShared)
		} else {
			linkedShared(l.last.model.Graph, stale, so.StaleShared)
			linkedShared(g, stale, so.StaleShared)
		}
	}
	if opts.Readiness != nil {
		if reuse && l.last.ready != nil {
			so.Readiness = mergeReadiness(l.last.ready, opts.Readiness(m, hist, stale), stale)
		} else {
			so.Readiness = opts.Readiness(m, hist, nil)
		}
	}
	s, sd, err := site.Render(m.Repo, m.Index, m.Graph, so)
	diags = diag.Sort(append(diags, sd...))
	if err != nil || diag.HasErrors(diags, false) {
		return res, diags, err
	}
	res.Site = s
	sw.lap("render")

	l.last = &liveState{model: m, resolved: rd, hist: hist, head: head, site: s, ready: so.Readiness}
	l.full, l.pending = false, nil
	return res, diags, nil
}

// check validates and scans the documents not checked before, and returns
// every document's diagnostics in document order (the portfolio first), as
// validate.Repo and secrets.Repo would.
func (l *Live) check(schemas *validate.Schemas, repo *load.Result) []diag.Diagnostic {
	docs := repo.Docs
	if repo.Portfolio != nil {
		docs = append([]*model.Document{repo.Portfolio}, docs...)
	}
	if repo.Portfolio != l.portfolio {
		// The portfolio sets the credential schemes every scan allows.
		l.checked, l.portfolio = map[*model.Document][]diag.Diagnostic{}, repo.Portfolio
		l.full = true
	}
	var todo []*model.Document
	for _, d := range docs {
		if _, ok := l.checked[d]; !ok {
			todo = append(todo, d)
		}
	}
	schemes := secrets.Schemes(repo.Portfolio)
	results := make([][]diag.Diagnostic, len(todo))
	parallel.Do(len(todo), func(i int) {
		d := todo[i]
		results[i] = append(schemas.Document(d, load.PortfolioFile), secrets.Scan(d, repo.Sources[d.File], schemes)...)
	})
	checked := make(map[*model.Document][]diag.Diagnostic, len(docs))
	for i, d := range todo {
		checked[d] = results[i]
	}
	var out []diag.Diagnostic
	for _, d := range docs {
		ds, ok := checked[d]
		if !ok {
			ds = l.checked[d]
			checked[d] = ds
		}
		out = append(out, ds...)
	}
	l.checked = checked
	return out
}

// resolve is resolve.Docs and graph.New, or the previous index and graph
// with the changed documents swapped in when their shapes are unchanged.
//
// swapped, when the documents were swapped in, holds the new documents.
func (l *Live) resolve(repo *load.Result, changed []string) (ix *resolve.Index, g *graph.Graph, swapped []*model.Document, diags []diag.Diagnostic) {
	if swap, ok := l.swappable(repo, changed); ok {
		var diags []diag.Diagnostic
		files := map[string]bool{}
		for _, f := range changed {
			files[f] = true
		}
		for _, d := range l.last.resolved {
			if !files[d.File] {
				diags = append(diags, d)
			}
		}
		for _, d := range swap {
			diags = append(diags, resolve.Links(d)...)
			swapped = append(swapped, d)
		}
		return l.last.model.Index.Swap(swap), l.last.model.Graph.Swap(swap), swapped, diags
	}
	index, diags := resolve.Docs(repo.Docs)
	return index, graph.New(index), nil, diags
}

// swappable maps each document of the changed files from its previous
// value to its new one, when every change kept the documents' shapes and
// the previous resolve found nothing wrong in them but links.
func (l *Live) swappable(repo *load.Result, changed []string) (map[*model.Document]*model.Document, bool) {
	if l.last == nil || l.full || len(changed) == 0 || len(repo.Docs) != len(l.last.model.Repo.Docs) {
		return nil, false
	}
	files := map[string]bool{}
	for _, f := range changed {
		if f == load.PortfolioFile {
			return nil, false
		}
		files[f] = true
	}
	for _, d := range l.last.resolved {
		if files[d.File] {
			return nil, false
		}
	}
	old := l.last.model.Repo.Docs
	swap := map[*model.Document]*model.Document{}
	for i, d := range repo.Docs {
		if d == old[i] {
			continue
		}
		if !files[d.File] || shape(old[i]) != shape(d) {
			return nil, false
		}
		swap[old[i]] = d
	}
	return swap, true
}

// staleClients returns the clients whose pages must be rendered again,
// and false when every page must (the first render, a new commit, or a
// change to the portfolio, a shared vendor or the template).
func (l *Live) staleClients(head string, changed []string) (map[string]bool, bool) {
	if l.last == nil || l.full || head != l.last.head {
		return nil, false
	}
	stale := map[string]bool{}
	for _, f := range changed {
		rest, ok := strings.CutPrefix(f, "clients/")
		id, _, inFolder := strings.Cut(rest, "/")
		if !ok || !inFolder {
			return nil, false
		}
		stale[id] = true
	}
	return stale, true
}

// shape is what of a document resolve and graph.New read: where it is,
// what it is and what it refers to, from where.
func shape(d *model.Document) string {
	var b strings.Builder
	b.WriteString(d.File + "\x00" + strconv.Itoa(d.Index) + "\x00" + string(d.Kind) + "\x00" + d.ID + "\x00" + d.Client)
	if d.Kind == model.KindConfiguration {
		t := d.Value.String("type")
		b.WriteString("\x00type=" + t)
	}
	for _, fr := range d.Refs() {
		p := d.FieldPos(fr.Path, false)
		b.WriteString("\x00" + strings.Join(fr.Path, ".") + "=" + fr.Text + "@" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column))
	}
	return b.String()
}

// headOf returns what HEAD of the git repository holding dir points at,
// read from the files under .git (a commit hash, or "ref: refs/heads/x"
// followed by the hash), or "" when it cannot tell: the history is then
// read again.
func headOf(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		gitDir := filepath.Join(d, ".git")
		if st, err := os.Stat(gitDir); err == nil && st.IsDir() {
			b, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
			if err != nil {
				return ""
			}
			head := strings.TrimSpace(string(b))
			ref, ok := strings.CutPrefix(head, "ref: ")
			if !ok {
				return head
			}
			if h, err := os.ReadFile(filepath.Join(gitDir, filepath.FromSlash(ref))); err == nil {
				return head + " " + strings.TrimSpace(string(h))
			}
			packed, err := os.ReadFile(filepath.Join(gitDir, "packed-refs"))
			if err != nil {
				return ""
			}
			for _, line := range strings.Split(string(packed), "\n") {
				if hash, name, ok := strings.Cut(line, " "); ok && name == ref {
					return head + " " + hash
				}
			}
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// mergeReadiness is prev with the clients of only (and the shared vendors)
// taken from part, a report limited to them.
func mergeReadiness(prev, part *site.Readiness, only map[string]bool) *site.Readiness {
	out := &site.Readiness{AsOf: part.AsOf, Clients: make(map[string]site.ClientReadiness, len(prev.Clients)),
		Entities: make(map[string][]site.Gap, len(prev.Entities)), Shared: part.Shared}
	for id, c := range prev.Clients {
		if !only[id] {
			out.Clients[id] = c
		}
	}
	for id, c := range part.Clients {
		out.Clients[id] = c
	}
	for key, gaps := range prev.Entities {
		if client, _, _ := strings.Cut(key, "/"); client != "" && !only[client] {
			out.Entities[key] = gaps
		}
	}
	for key, gaps := range part.Entities {
		out.Entities[key] = gaps
	}
	return out
}

// linkedShared adds to into the shared vendors that an entity of one of
// the clients is linked to in g, either way.
func linkedShared(g *graph.Graph, clients map[string]bool, into map[string]bool) {
	for n, d := range g.Nodes {
		if clients[d.Client] {
			addLinked(g, n, into)
		}
	}
}

// reachedShared adds to into the shared vendors that one of docs is
// linked to either way, or whose failure takes one of them down.
func reachedShared(g *graph.Graph, docs []*model.Document, into map[string]bool) {
	for _, d := range docs {
		n, ok := g.Node(d)
		if !ok {
			continue
		}
		addLinked(g, n, into)
		g.Dependencies(n, func(v int) {
			if d := g.Nodes[v]; d.Client == "" {
				into[d.ID] = true
			}
		})
	}
}

// addLinked adds to into the shared vendors node n is linked to, either way.
func addLinked(g *graph.Graph, n int, into map[string]bool) {
	for _, e := range g.Out[n] {
		if to := g.Nodes[e.To]; to.Client == "" {
			into[to.ID] = true
		}
	}
	for _, e := range g.In[n] {
		if from := g.Nodes[e.From]; from.Client == "" {
			into[from.ID] = true
		}
	}
}
