// Package site owns the render stage: it turns the resolved model into the
// files of the static handover site (HTML pages, the search index, the
// expiry calendar, per-client model.json and the template's assets), in
// memory. It does not write to disk; generator/write does.
package site

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/markdown"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/internal/parallel"
)

// Marker is the file every handover site holds at its root, so that a
// later build knows the directory is a site it may replace.
const Marker = ".handover-site"

// Options configure rendering.
type Options struct {
	// Template is the site template: the embedded one, or the embedded one
	// under the repository's own site-template/ (see Overlay).
	Template fs.FS
	// History is the git history of the repository; nil outside git.
	History *history.History
	// Since, when set, adds a "What changed since" page (changes.html).
	Since *Since
	// Readiness, when set, adds scores and gaps to the dashboard, client
	// and entity pages.
	Readiness *Readiness
	// ReadinessLater, when set instead of Readiness, gives it once the
	// pages are about to render: a build works the readiness check out
	// (a second at 50k entities, partly on one core) beside the site's
	// model and portfolio-wide tables, which need none of it.
	ReadinessLater func() *Readiness
	// Reuse, for the live preview, is the previous render with the same
	// template, and Stale the clients whose files changed since: the files
	// under clients/<id>/ of every other client are taken from Reuse as
	// they are, not rendered again. A client's pages depend only on its own
	// documents, the shared vendors, the portfolio and the history of its
	// files, so the caller must render everything (Reuse nil) when the
	// portfolio, a shared vendor, the template or the commit changed. The
	// portfolio-wide pages are always rendered.
	Reuse *Site
	Stale map[string]bool
	// StaleShared, with Reuse, names the shared vendors (by id) whose
	// pages must be rendered again: those linked to an entity of a stale
	// client, before or after the change. Nothing else on a shared
	// vendor's page depends on the clients' documents.
	StaleShared map[string]bool
	// Emit, when set, is given every page as soon as it is rendered
	// (from several goroutines; the bytes are reused after it returns),
	// and the pages are left out of Site.Files: a build writes them to
	// disk as they come instead of holding the whole site in memory. So
	// are the clients' model.json files; the other files (assets, search
	// index, calendar) stay in Site.Files, unless Stream is set too.
	Emit func(path string, b []byte) error
	// Stream, when set, writes the files too large to hold whole (the
	// search index, 65 MB at 50k entities, and the calendar; with Emit,
	// the expiry and vendor pages too) as fill makes them, and they are
	// left out of Site.Files: a build's heap peaked holding them.
	Stream func(path string, fill func(w *bufio.Writer) error) error
	// Cache, when set, keeps what was derived from each document for the
	// next render with the same cache.
	Cache *Cache
}

// reused tells whether the pages of client id come from opts.Reuse.
func (o Options) reused(id string) bool { return o.Reuse != nil && !o.Stale[id] }

// Since is what changed in the model since a base revision, already said
// in Markdown by generator/diff (the same text as a pull-request comment).
type Since struct {
	Rev      string
	Markdown string
}

// Site is a rendered site: every file by its slash-separated path.
type Site struct {
	Files    map[string][]byte
	Pages    int // HTML pages among the files
	Rendered int // pages rendered by this render; the others came from Options.Reuse

	// keys holds, for the portfolio-wide files that have one, what they
	// show in a few bytes: a later render with this site as Options.Reuse
	// keeps such a file when its key is unchanged.
	keys map[string]string
}

// Paths returns the site's file paths, sorted.
func (s *Site) Paths() []string { return sortedKeys(s.Files) }

type renderer struct {
	readiness *Readiness
	m         *siteModel
	md        *markdown.Renderer
	pages     map[string]*template.Template // by page template name
	info      *Info
	cache     *Cache
	fields    *sharedFields // nil: each page prepares the fields it shows
	// inGo holds, by page template, the Go writers (goWriters) of the
	// pages whose templates are the embedded ones.
	inGo map[string]goWriter
}

type job struct {
	page     *Page
	template string
	key      string // see Site.keys; "" always renders
	// data, when set, gives the page its Data in the worker that renders
	// it, just before: pages are prepared on every core, and only while
	// they are rendered (a chart's options and a blast radius are large).
	data func() (any, error)
	// whole: the page lists the whole portfolio (the expiry calendar, the
	// vendor directory: 12 and 7 MB at 50k entities), and a build streams
	// it to its file (Options.Stream) rather than hold it, twice, in
	// buffers: at the start of the render, where the heap peaked.
	whole bool
}

// Render renders the whole site. Template errors are diagnostics on the
// template file (a repository's override may be broken); an error is
// returned only for failures a user cannot cause.
func Render(repo *load.Result, ix *resolve.Index, g *graph.Graph, opts Options) (*Site, []diag.Diagnostic, error) {
	// The typed views are decoded on first use; decode them on every core
	// rather than one by one in build.
	parallel.Do(len(repo.Docs), func(i int) { repo.Docs[i].Typed() })
	m, err := build(repo, ix, g)
	if err != nil {
		return nil, nil, err
	}
	r := &renderer{m: m, md: markdown.New(), readiness: opts.Readiness, cache: opts.Cache}
	if ds := r.parse(opts.Template); len(ds) > 0 {
		return nil, ds, nil
	}
	r.writeInGo(opts.Template)
	title := m.portfolio.Site.Title
	if title == "" {
		title = m.portfolio.Consultancy.Name + " handover"
	}
	r.info = &Info{Title: title, Consultancy: m.portfolio.Consultancy.Name, Clients: m.clients, Portfolio: &m.portfolio,
		History: opts.History}

	// Keys let a later render keep a page (Options.Reuse); a build's
	// pages are handed on as they come and its site is never reused, so
	// it does without them (megabytes of strings at 50k entities).
	keyed := opts.Emit == nil
	// The portfolio-wide tables read the model only, not its history:
	// work them out side by side while the history is attached (a second
	// at 50k entities, mostly on one core).
	var (
		expiries     []Expiry
		expiriesOf   map[*Client][]Expiry
		expiriesKey  string
		spofs        map[*Client][]SPOF
		conc         []Concentration
		vendors      []VendorEntry
		vendorsKeyed string
	)
	// The search index (65 MB at 50k entities, and its records before
	// that) is made beside the pages for the live preview, whose rebuild
	// would otherwise wait for it. A build, which hands the pages on as
	// they come, makes it after them, so that it is not held while they
	// render: the live heap sets the peak.
	searchIndex := r.searchIndex
	if opts.Emit == nil {
		search := make(chan []byte, 1)
		go func() { search <- r.searchIndex() }()
		var once sync.Once
		var index []byte
		searchIndex = func() []byte {
			once.Do(func() { index = <-search })
			return index
		}
		defer searchIndex() // an early return does not leave it running over the cache
	}
	var tables sync.WaitGroup
	tables.Go(func() {
		expiries = m.expiries()
		expiriesOf = expiriesByClient(expiries)
		if keyed {
			expiriesKey = keyOfExpiries(expiries)
		}
	})
	tables.Go(func() { spofs = m.spofsByClient(m.graph.SinglePointsOfFailure()) })
	tables.Go(func() {
		conc, vendors = m.concentration(), r.vendorDirectory()
		if keyed {
			vendorsKeyed = vendorsKey(vendors, conc)
		}
	})
	changes, err := m.attachHistory(opts.History, docsPerFile(repo.Docs))
	tables.Wait()
	if err != nil {
		return nil, nil, err
	}
	var jobs []job
	reusedShared := map[string][]byte{}
	add := func(p *Page, tmpl string) *Page {
		p.Site, p.r = r.info, r
		jobs = append(jobs, job{page: p, template: tmpl})
		return p
	}
	lazy := func(p *Page, tmpl string, data func() (any, error)) {
		add(p, tmpl)
		jobs[len(jobs)-1].data = data
	}
	add(&Page{Path: "index.html", Title: title, Section: "dashboard", Data: newDashboard(m.clients, expiries, m.shared)}, "dashboard")
	add(&Page{Path: "vendors/index.html", Title: "Vendors", Section: "vendors",
		Data: vendorsPage{Vendors: vendors, Concentration: conc, Chart: concentrationChart(conc)}}, "vendors")
	jobs[len(jobs)-1].key, jobs[len(jobs)-1].whole = vendorsKeyed, true
	add(&Page{Path: "expiries.html", Title: "Expiry calendar", Section: "expiries", Data: expiries}, "expiries")
	jobs[len(jobs)-1].key, jobs[len(jobs)-1].whole = expiriesKey, true
	add(&Page{Path: "search.html", Title: "Search", Section: "search"}, "search")
	changeLog := changelog(changes, opts.Since)
	add(&Page{Path: "changelog.html", Title: "Changelog", Section: "changelog", Data: changeLog}, "changelog")
	if keyed {
		jobs[len(jobs)-1].key = changelogKey(changeLog)
	}
	if opts.Since != nil {
		body, _, err := r.md.Render([]byte(opts.Since.Markdown), nil)
		if err != nil {
			return nil, nil, fmt.Errorf("render the changes since %s: %w", opts.Since.Rev, err)
		}
		add(&Page{Path: "changes.html", Title: "What changed since " + opts.Since.Rev, Section: "changelog",
			Data: sincePage{Rev: opts.Since.Rev, Body: template.HTML(body)}}, "changes")
	}
	recent := recentByClient(changes, 10)
	// A client's pages, its entities' included, are listed together: its
	// pack and its entities' pages share their fields (sharedFields)
	// while they are rendered one after the other.
	entityJob := func(e *Entity) {
		if e.Kind() == model.KindClient || (e.Client != nil && opts.reused(e.Client.C.ID)) {
			return
		}
		if e.Client == nil && opts.Reuse != nil && !opts.StaleShared[e.C.ID] {
			if b, ok := opts.Reuse.Files[e.URL]; ok {
				reusedShared[e.URL] = b
				return
			}
		}
		p := &Page{Path: e.URL, Title: e.Title(), Section: "clients", Client: e.Client, from: e}
		if e.Client == nil {
			p.Section = "vendors"
		}
		if e.Kind() != model.KindRunbook {
			lazy(p, "entity", func() (any, error) { return r.entityPage(e), nil })
			return
		}
		lazy(p, "runbook", func() (any, error) { return r.runbook(p, e) })
	}
	byClient := map[*Client][]*Entity{}
	for _, e := range m.all {
		byClient[e.Client] = append(byClient[e.Client], e)
	}
	for _, c := range m.clients {
		entities := byClient[c]
		delete(byClient, c) // what is left below has no client page
		if opts.reused(c.C.ID) {
			continue
		}
		cx := expiriesOf[c]
		lazy(&Page{Path: c.URL, Title: c.Title(), Section: "clients", Client: c, from: c.Entity}, "client", func() (any, error) {
			return clientPage{Client: c, Sections: sections(c), Expiries: cx, Chart: m.clientChart(c), SPOFs: spofs[c],
				Changes: recent[c]}, nil
		})
		pack := &Page{Path: "clients/" + c.C.ID + "/pack.html", Title: c.Title() + " handover pack", Section: "clients", Client: c, from: c.Entity}
		lazy(pack, "pack", func() (any, error) { return r.pack(pack, c, cx) })
		for _, e := range entities {
			entityJob(e)
		}
	}
	for _, e := range m.all {
		if _, left := byClient[e.Client]; left { // shared vendors, and any entity without a client page
			entityJob(e)
		}
	}

	site := &Site{Files: map[string][]byte{}, keys: map[string]string{}}
	for p, b := range reusedShared {
		site.Files[p] = b
		site.Pages++
	}
	if opts.Reuse != nil {
		// Pages whose key is unchanged are kept as they are.
		kept := jobs[:0]
		for _, j := range jobs {
			if b, ok := opts.Reuse.file(j.page.Path, j.key); ok && j.key != "" {
				site.Files[j.page.Path], site.keys[j.page.Path] = b, j.key
				site.Pages++
				continue
			}
			kept = append(kept, j)
		}
		jobs = kept
	}
	if opts.ReadinessLater != nil {
		r.readiness = opts.ReadinessLater()
	}
	r.fields = &sharedFields{}
	r.fields.expect(jobs)
	out := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))  // template errors: diagnostics
	fatal := make([]error, len(jobs)) // the others
	parallel.DoWith(len(jobs), func() *bytes.Buffer { return new(bytes.Buffer) }, func(buf *bytes.Buffer, i int) {
		j := jobs[i]
		if j.data != nil {
			if j.page.Data, fatal[i] = j.data(); fatal[i] != nil {
				return
			}
		}
		streamed := j.whole && opts.Emit != nil && opts.Stream != nil
		if streamed {
			fatal[i] = r.stream(opts.Stream, buf, j, &errs[i])
		} else {
			buf.Reset()
			errs[i] = r.execute(buf, j.page, j.template)
		}
		r.fields.done(j)
		if j.data != nil {
			j.page.Data = nil
		}
		switch {
		case errs[i] != nil, streamed:
		case opts.Emit != nil:
			fatal[i] = opts.Emit(j.page.Path, buf.Bytes())
		default:
			out[i] = bytes.Clone(buf.Bytes())
		}
		trimBuffer(buf)
	})
	if err := errors.Join(fatal...); err != nil {
		return nil, nil, err
	}
	var diags []diag.Diagnostic
	for i, j := range jobs {
		if errs[i] != nil {
			diags = append(diags, templateDiag(errs[i], "pages/"+j.template+".html"))
			continue
		}
		if opts.Emit == nil {
			site.Files[j.page.Path] = out[i]
		}
		site.Pages++
		site.Rendered++
		if j.key != "" {
			site.keys[j.page.Path] = j.key
		}
	}
	if len(diags) > 0 {
		return nil, diag.Sort(diags), nil
	}
	if err := r.assets(site, opts.Template); err != nil {
		return nil, nil, err
	}
	// A build streams the calendar and the search index to their files
	// beside the clients' model.json below, which only read the model: the
	// search index is written on one core (0.7 s at 50k entities).
	var streamed chan error
	if opts.Stream != nil {
		streamed = make(chan error, 1)
		go func() {
			err := opts.Stream("expiries.ics", func(w *bufio.Writer) error { return writeICS(w, title, expiries) })
			if err == nil {
				err = opts.Stream("assets/search-index.js", func(w *bufio.Writer) error { return r.writeSearchIndex(w, searchChunk) })
			}
			streamed <- err
		}()
	} else {
		if b, ok := opts.Reuse.file("expiries.ics", expiriesKey); ok {
			site.Files["expiries.ics"] = b
		} else {
			var b bytes.Buffer
			writeICS(&b, title, expiries) // a bytes.Buffer does not fail
			site.Files["expiries.ics"] = b.Bytes()
		}
		site.Files["assets/search-index.js"] = searchIndex()
		r.cache.done()
	}
	if keyed {
		site.keys["expiries.ics"] = expiriesKey
	}
	if opts.Reuse != nil {
		kept := map[string]bool{} // a deleted client's pages go with it
		for _, c := range m.clients {
			kept[c.C.ID] = true
		}
		for p, b := range opts.Reuse.Files {
			if id, ok := clientOf(p); ok && opts.reused(id) {
				if kept[id] {
					site.Files[p] = b
					if strings.HasSuffix(p, ".html") {
						site.Pages++
					}
				}
			}
		}
	}
	// Each client's model.json, on every core: at 50k entities they are
	// a second of encoding, and 100 MB, which a build hands on as they
	// come rather than holding them all.
	exports := make([][]byte, len(m.clients))
	exportErrs := make([]error, len(m.clients))
	parallel.DoWith(len(m.clients), func() *[]byte { return new([]byte) }, func(buf *[]byte, i int) {
		c := m.clients[i]
		if opts.reused(c.C.ID) {
			return
		}
		if opts.Emit == nil {
			exports[i], exportErrs[i] = exportClient(c)
			return
		}
		// Handed on as soon as it is made, into a buffer each core
		// reuses: 100 MB of allocation at 50k entities otherwise.
		b, err := appendExport((*buf)[:0], c)
		if err == nil {
			err = opts.Emit("clients/"+c.C.ID+"/model.json", b)
		}
		*buf, exportErrs[i] = b, err
	})
	if streamed != nil {
		exportErrs = append(exportErrs, <-streamed)
		r.cache.done()
	}
	if err := errors.Join(exportErrs...); err != nil {
		return nil, nil, err
	}
	for i, c := range m.clients {
		if exports[i] != nil {
			site.Files["clients/"+c.C.ID+"/model.json"] = exports[i]
		}
	}
	site.Files[Marker] = []byte("This directory was written by handover build and is replaced by the next build.\n")
	return site, nil, nil
}

// maxKeptBuffer is the largest page buffer a render worker keeps for its
// next page. The first pages are the portfolio-wide ones, megabytes each at
// 50k entities (the expiry calendar, the vendor directory): their buffers,
// kept by both workers to the end, were 24 MB of the live heap through the
// whole render, which the heap's peak follows at twice its size.
const maxKeptBuffer = 1 << 20

// trimBuffer lets go of buf's array when it is larger than maxKeptBuffer.
func trimBuffer(buf *bytes.Buffer) {
	if buf.Cap() > maxKeptBuffer {
		*buf = bytes.Buffer{}
	}
}

// assets copies every file under assets/ of the template.
func (r *renderer) assets(site *Site, tfs fs.FS) error {
	names, err := files(tfs, "assets")
	if err != nil {
		return fmt.Errorf("site template assets: %w", err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(tfs, n)
		if err != nil {
			return fmt.Errorf("site template %s: %w", n, err)
		}
		site.Files[n] = b
	}
	return nil
}

type dashboard struct {
	Clients      []*Client
	Expiries     []Expiry // the soonest maxDashboardExpiries
	MoreExpiries int      // left for the expiry calendar
	Shared       []*Entity
}

// maxDashboardExpiries bounds the dashboard's expiry table; the expiry
// calendar lists every one.
const maxDashboardExpiries = 50

func newDashboard(clients []*Client, xs []Expiry, shared []*Entity) dashboard {
	d := dashboard{Clients: clients, Expiries: xs, Shared: shared}
	if len(xs) > maxDashboardExpiries {
		d.Expiries, d.MoreExpiries = xs[:maxDashboardExpiries], len(xs)-maxDashboardExpiries
	}
	return d
}

type clientPage struct {
	Client   *Client
	Sections []KindSection
	Expiries []Expiry
	Chart    *Chart
	SPOFs    []SPOF
	Changes  []Change
}

// maxChangelog bounds the changelog page; older commits stay on entity pages.
const maxChangelog = 300

type changelogPage struct {
	Changes []Change
	More    int    // commits left out
	Since   string // the base of the "What changed since" page, if there is one
}

func changelog(cs []Change, since *Since) changelogPage {
	p := changelogPage{Changes: cs}
	if len(cs) > maxChangelog {
		p.Changes, p.More = cs[:maxChangelog], len(cs)-maxChangelog
	}
	if since != nil {
		p.Since = since.Rev
	}
	return p
}

type sincePage struct {
	Rev  string
	Body template.HTML // goldmark output of generator/diff's Markdown, raw HTML dropped
}

// SPOF is an entity whose failure alone takes down critical or high
// services of a client.
type SPOF struct {
	Entity   *Entity
	Services []*Entity
}

// spofsByClient gives each client the single points of failure that reach
// its services, with only those services, in the order of all.
func (m *siteModel) spofsByClient(all []graph.SPOF) map[*Client][]SPOF {
	out := map[*Client][]SPOF{}
	for _, s := range all {
		e := m.byDoc[m.graph.Nodes[s.Node]]
		if e == nil {
			continue
		}
		rows := map[*Client]*SPOF{}
		var order []*Client
		for _, n := range s.Services {
			svc := m.byDoc[m.graph.Nodes[n]]
			if svc == nil || svc.Client == nil {
				continue
			}
			row := rows[svc.Client]
			if row == nil {
				row = &SPOF{Entity: e}
				rows[svc.Client] = row
				order = append(order, svc.Client)
			}
			row.Services = append(row.Services, svc)
		}
		for _, c := range order {
			out[c] = append(out[c], *rows[c])
		}
	}
	return out
}

type vendorsPage struct {
	Vendors       []VendorEntry
	Concentration []Concentration
	Chart         *Chart
}

// ImpactRow is one entity in a blast radius, as the entity page lists it.
type ImpactRow struct {
	*graph.Item // in the page's blast radius report: a row points at it rather than copy 128 bytes
	Entity      *Entity
	report      *graph.Report
	index       int // of the row in the report
}

// Because is the row's dependency path, dependent first, for a template:
// the report leaves graph.Item.Because empty (see graph.Report.EachBecause).
func (r ImpactRow) Because() string { return r.report.Because(r.index) }

type entityPage struct {
	Entity *Entity
	Impact []ImpactRow // the nearest maxImpactRows of the blast radius
	Total  int         // how many entities the whole blast radius holds
	Chart  *Chart
}

// maxImpactRows bounds an entity's blast-radius table: a shared vendor of
// a large portfolio has thousands of dependents, a table nobody reads in a
// crisis and megabytes on every rebuild. `handover impact` lists them all.
const maxImpactRows = 200

// entityPage gathers what fails with e, and draws it.
func (r *renderer) entityPage(e *Entity) entityPage {
	p := entityPage{Entity: e}
	n, ok := r.m.graph.Node(e.Doc)
	if !ok {
		return p
	}
	impact := r.m.impact(n) // once, for the table and the chart
	report := r.m.graph.ReportOf(n, impact, r.m.index.Clients, maxImpactRows)
	p.Total = report.Total
	if len(report.Affected) > 0 {
		p.Impact = make([]ImpactRow, 0, len(report.Affected)) // sized once
	}
	for i := range report.Affected {
		it := &report.Affected[i]
		p.Impact = append(p.Impact, ImpactRow{Item: it, Entity: r.m.byDoc[r.m.graph.Nodes[it.Node]], report: &report, index: i})
	}
	p.Chart = r.m.entityChart(e, impact)
	return p
}

type runbookPage struct {
	Entity *Entity
	Body   template.HTML
	TOC    []markdown.Heading
}

// VendorEntry is one vendor in the directory, with who relies on it.
type VendorEntry struct {
	Vendor         *Entity
	Clients        []*Client
	Dependents     []*Entity // the first maxVendorDependents
	MoreDependents int       // left for the vendor's own page
}

// maxVendorDependents bounds what the vendor directory lists of each
// vendor's dependents; the vendor's page has its whole blast radius.
const maxVendorDependents = 20

func (r *renderer) vendorDirectory() []VendorEntry {
	var out []VendorEntry
	for _, e := range r.m.all {
		if e.Kind() != model.KindVendor {
			continue
		}
		v := VendorEntry{Vendor: e}
		for _, in := range e.In {
			v.Dependents = append(v.Dependents, in.Other)
			if c := in.Other.Client; c != nil && !slices.Contains(v.Clients, c) {
				v.Clients = append(v.Clients, c)
			}
		}
		if e.Client != nil && !slices.Contains(v.Clients, e.Client) {
			v.Clients = append(v.Clients, e.Client)
		}
		v.Dependents = slices.Compact(v.Dependents)
		if len(v.Dependents) > maxVendorDependents {
			v.Dependents, v.MoreDependents = v.Dependents[:maxVendorDependents], len(v.Dependents)-maxVendorDependents
		}
		slices.SortFunc(v.Clients, func(a, b *Client) int { return strings.Compare(a.C.ID, b.C.ID) })
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b VendorEntry) int {
		return strings.Compare(strings.ToLower(a.Vendor.Title()), strings.ToLower(b.Vendor.Title()))
	})
	return out
}

// Credential is one credential reference a successor must be given.
type Credential struct {
	Entity    *Entity
	Field     string // where on the entity: "Access", "Authentication", …
	Reference string
	Store     string // the password manager the reference points into
	Grantor   string // who can grant access: the entity's owner, else the client's
}

var stores = map[string]string{
	"op": "1Password", "vault": "HashiCorp Vault", "bitwarden": "Bitwarden", "keeper": "Keeper",
	"passbolt": "Passbolt", "azure-keyvault": "Azure Key Vault", "aws-sm": "AWS Secrets Manager",
	"gcp-sm": "Google Secret Manager", "itglue": "IT Glue", "hudu": "Hudu",
}

type packPage struct {
	Client      *Client
	Sections    []KindSection
	Expiries    []Expiry
	Runbooks    []runbookPage
	Credentials []Credential
}

// runbook renders a runbook's body for a page, links relative to it.
func (r *renderer) runbook(p *Page, e *Entity) (runbookPage, error) {
	body, toc, err := r.md.Render([]byte(e.Doc.Body), p.links(e))
	if err != nil {
		return runbookPage{}, fmt.Errorf("render %s: %w", e.Doc.File, err)
	}
	return runbookPage{Entity: e, Body: template.HTML(body), TOC: toc}, nil
}

func (r *renderer) pack(page *Page, c *Client, xs []Expiry) (packPage, error) {
	p := packPage{Client: c, Sections: sections(c), Expiries: xs}
	for _, e := range c.Entities {
		if e.Kind() == model.KindRunbook {
			rb, err := r.runbook(page, e)
			if err != nil {
				return p, err
			}
			p.Runbooks = append(p.Runbooks, rb)
		}
		for _, cr := range credentials(e.Doc.Value, "") {
			grantor := e.C.Owner
			if grantor == "" {
				grantor = c.C.Owner
			}
			scheme, _, _ := strings.Cut(cr[1], "://")
			store := stores[scheme]
			if store == "" {
				store = scheme
			}
			p.Credentials = append(p.Credentials, Credential{Entity: e, Field: cr[0], Reference: cr[1], Store: store, Grantor: grantor})
		}
	}
	return p, nil
}

// credentials finds every credential field under v: its parent field's
// label ("Access", "Auth") and the reference.
func credentials(v any, parent string) [][2]string {
	var out [][2]string
	switch v := v.(type) {
	case model.Object:
		for _, f := range v {
			k := f.Key
			if s, ok := f.Value.(string); ok && k == "credential" {
				where := "Credential"
				if parent != "" {
					where = Label(parent)
				}
				out = append(out, [2]string{where, s})
				continue
			}
			out = append(out, credentials(f.Value, k)...)
		}
	case []any:
		for _, it := range v {
			out = append(out, credentials(it, parent)...)
		}
	}
	return out
}

// templateDiag turns a template error into a diagnostic on the template.
func templateDiag(err error, file string) diag.Diagnostic {
	d := diag.Errorf(diag.Pos{File: path.Join("site-template", file)}, "template",
		"fix the template, or delete your override in site-template/ to use the default", "%s", err)
	if m := templatePos.FindStringSubmatch(err.Error()); m != nil {
		d.File = path.Join("site-template", m[1])
		d.Line, _ = strconv.Atoi(m[2])
		d.Column, _ = strconv.Atoi(m[3])
	}
	return d
}

// templatePos finds "pages/client.html:8:12" in an execution error.
var templatePos = regexp.MustCompile(`((?:layouts|pages)/[a-z0-9-]+\.html):(\d+):(\d+)`)

// clientOf returns the client whose folder of the site holds path.
func clientOf(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "clients/")
	if !ok {
		return "", false
	}
	id, _, ok := strings.Cut(rest, "/")
	return id, ok
}

// file returns a file of the site when its key is key.
func (s *Site) file(path, key string) ([]byte, bool) {
	if s == nil || s.keys[path] != key {
		return nil, false
	}
	b, ok := s.Files[path]
	return b, ok
}

// keyOfExpiries is what the expiry calendar and expiries.ics show. The
// portfolio's title is not in it: a change to the portfolio renders
// everything again.
func keyOfExpiries(xs []Expiry) string {
	var b strings.Builder
	for _, x := range xs {
		writeKeyRef(&b, x.Entity)
		fmt.Fprintf(&b, "%s\x00%s\x00%t\n", x.Date, x.What, x.AutoRenew)
	}
	return b.String()
}

// vendorsKey is what the vendor directory shows: the vendors' documents
// themselves by identity (an unchanged file keeps its documents, see
// load.Cache), the clients and dependents by name and place, and the
// concentration figures.
func vendorsKey(vs []VendorEntry, conc []Concentration) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "%p\x00", v.Vendor.Doc)
		writeKeyRef(&b, v.Vendor)
		for _, c := range v.Clients {
			writeKeyRef(&b, c.Entity)
		}
		for _, d := range v.Dependents {
			writeKeyRef(&b, d)
		}
		fmt.Fprintf(&b, "%d\n", v.MoreDependents)
	}
	for _, c := range conc {
		writeKeyRef(&b, c.Vendor)
		fmt.Fprintf(&b, "%d %d %d\n", c.Clients, c.Production, c.Affected)
	}
	return b.String()
}

// writeKeyRef writes what a link to e shows, and its client's.
func writeKeyRef(b *strings.Builder, e *Entity) {
	b.WriteString(e.URL + "\x00" + e.Title() + "\x00")
	if e.Client != nil {
		b.WriteString(e.Client.URL + "\x00" + e.Client.Title() + "\x00")
	}
}

// changelogKey is what the changelog shows beyond the commits themselves
// (a new commit renders everything again): the entities each one changed,
// by name and place.
func changelogKey(p changelogPage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\x00%s\n", p.More, p.Since)
	for _, c := range p.Changes {
		b.WriteString(c.Hash + "\x00")
		for _, e := range c.Entities {
			writeKeyRef(&b, e)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
