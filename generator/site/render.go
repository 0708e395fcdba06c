// Package site owns the render stage: it turns the resolved model into the
// files of the static handover site (HTML pages, the search index, the
// expiry calendar, per-client model.json and the template's assets), in
// memory. It does not write to disk; generator/write does.
package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"runtime"
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
}

// Since is what changed in the model since a base revision, already said
// in Markdown by generator/diff (the same text as a pull-request comment).
type Since struct {
	Rev      string
	Markdown string
}

// Site is a rendered site: every file by its slash-separated path.
type Site struct {
	Files map[string][]byte
	Pages int // HTML pages among the files
}

// Paths returns the site's file paths, sorted.
func (s *Site) Paths() []string { return sortedKeys(s.Files) }

type renderer struct {
	readiness *Readiness
	m         *siteModel
	md        *markdown.Renderer
	pages     map[string]*template.Template // by page template name
	info      *Info
}

type job struct {
	page     *Page
	template string
}

// Render renders the whole site. Template errors are diagnostics on the
// template file (a repository's override may be broken); an error is
// returned only for failures a user cannot cause.
func Render(repo *load.Result, ix *resolve.Index, g *graph.Graph, opts Options) (*Site, []diag.Diagnostic, error) {
	m, err := build(repo, ix, g)
	if err != nil {
		return nil, nil, err
	}
	changes, err := m.attachHistory(opts.History, docsPerFile(repo.Docs))
	if err != nil {
		return nil, nil, err
	}
	r := &renderer{m: m, md: markdown.New(), readiness: opts.Readiness}
	if ds := r.parse(opts.Template); len(ds) > 0 {
		return nil, ds, nil
	}
	title := m.portfolio.Site.Title
	if title == "" {
		title = m.portfolio.Consultancy.Name + " handover"
	}
	r.info = &Info{Title: title, Consultancy: m.portfolio.Consultancy.Name, Clients: m.clients, Portfolio: &m.portfolio,
		History: opts.History}

	expiries := m.expiries()
	var jobs []job
	add := func(p *Page, tmpl string) *Page {
		p.Site, p.r = r.info, r
		jobs = append(jobs, job{page: p, template: tmpl})
		return p
	}
	add(&Page{Path: "index.html", Title: title, Section: "dashboard", Data: dashboard{Clients: m.clients, Expiries: expiries, Shared: m.shared}}, "dashboard")
	spofs := m.graph.SinglePointsOfFailure()
	conc := m.concentration()
	add(&Page{Path: "vendors/index.html", Title: "Vendors", Section: "vendors",
		Data: vendorsPage{Vendors: r.vendorDirectory(), Concentration: conc, Chart: concentrationChart(conc)}}, "vendors")
	add(&Page{Path: "expiries.html", Title: "Expiry calendar", Section: "expiries", Data: expiries}, "expiries")
	add(&Page{Path: "search.html", Title: "Search", Section: "search"}, "search")
	add(&Page{Path: "changelog.html", Title: "Changelog", Section: "changelog", Data: changelog(changes, opts.Since)}, "changelog")
	if opts.Since != nil {
		body, _, err := r.md.Render([]byte(opts.Since.Markdown), nil)
		if err != nil {
			return nil, nil, fmt.Errorf("render the changes since %s: %w", opts.Since.Rev, err)
		}
		add(&Page{Path: "changes.html", Title: "What changed since " + opts.Since.Rev, Section: "changelog",
			Data: sincePage{Rev: opts.Since.Rev, Body: template.HTML(body)}}, "changes")
	}
	for _, c := range m.clients {
		cx := forClient(expiries, c)
		add(&Page{Path: c.URL, Title: c.Title(), Section: "clients", Client: c, from: c.Entity,
			Data: clientPage{Client: c, Sections: sections(c), Expiries: cx, Chart: m.clientChart(c), SPOFs: m.spofsOf(c, spofs),
				Changes: forClientChanges(changes, c, 10)}}, "client")
		pack := add(&Page{Path: "clients/" + c.C.ID + "/pack.html", Title: c.Title() + " handover pack", Section: "clients", Client: c, from: c.Entity}, "pack")
		if pack.Data, err = r.pack(pack, c, cx); err != nil {
			return nil, nil, err
		}
	}
	for _, e := range m.all {
		if e.Kind() == model.KindClient {
			continue
		}
		p := &Page{Path: e.URL, Title: e.Title(), Section: "clients", Client: e.Client, from: e}
		if e.Client == nil {
			p.Section = "vendors"
		}
		if e.Kind() != model.KindRunbook {
			p.Data = r.entityPage(e)
			add(p, "entity")
			continue
		}
		add(p, "runbook")
		if p.Data, err = r.runbook(p, e); err != nil {
			return nil, nil, err
		}
	}

	site := &Site{Files: map[string][]byte{}}
	out := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := range next {
				buf.Reset()
				errs[i] = r.pages[jobs[i].template].ExecuteTemplate(&buf, "base", jobs[i].page)
				out[i] = bytes.Clone(buf.Bytes())
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	var diags []diag.Diagnostic
	for i, j := range jobs {
		if errs[i] != nil {
			diags = append(diags, templateDiag(errs[i], "pages/"+j.template+".html"))
			continue
		}
		site.Files[j.page.Path] = out[i]
		site.Pages++
	}
	if len(diags) > 0 {
		return nil, diag.Sort(diags), nil
	}
	if err := r.assets(site, opts.Template); err != nil {
		return nil, nil, err
	}
	site.Files["expiries.ics"] = ics(title, expiries)
	site.Files["assets/search-index.js"] = r.searchIndex()
	for _, c := range m.clients {
		b, err := exportClient(c)
		if err != nil {
			return nil, nil, err
		}
		site.Files["clients/"+c.C.ID+"/model.json"] = b
	}
	site.Files[Marker] = []byte("This directory was written by handover build and is replaced by the next build.\n")
	return site, nil, nil
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
	Clients  []*Client
	Expiries []Expiry
	Shared   []*Entity
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

// spofsOf keeps the single points of failure that reach c's services, with
// only those services.
func (m *siteModel) spofsOf(c *Client, all []graph.SPOF) []SPOF {
	var out []SPOF
	for _, s := range all {
		row := SPOF{Entity: m.byDoc[m.graph.Nodes[s.Node]]}
		for _, n := range s.Services {
			if e := m.byDoc[m.graph.Nodes[n]]; e != nil && e.Client == c {
				row.Services = append(row.Services, e)
			}
		}
		if row.Entity != nil && len(row.Services) > 0 {
			out = append(out, row)
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
	graph.Item
	Entity *Entity
}

type entityPage struct {
	Entity *Entity
	Impact []ImpactRow
	Chart  *Chart
}

// entityPage gathers what fails with e, and draws it.
func (r *renderer) entityPage(e *Entity) entityPage {
	p := entityPage{Entity: e}
	n, ok := r.m.graph.Node(e.Doc)
	if !ok {
		return p
	}
	report := r.m.graph.Report(n, r.m.index.Clients)
	for _, it := range report.Affected {
		p.Impact = append(p.Impact, ImpactRow{Item: it, Entity: r.m.byDoc[r.m.graph.Nodes[it.Node]]})
	}
	p.Chart = r.m.entityChart(e, r.m.impact(n))
	return p
}

type runbookPage struct {
	Entity *Entity
	Body   template.HTML
	TOC    []markdown.Heading
}

// VendorEntry is one vendor in the directory, with who relies on it.
type VendorEntry struct {
	Vendor     *Entity
	Clients    []*Client
	Dependents []*Entity
}

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
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if s, ok := v[k].(string); ok && k == "credential" {
				where := "Credential"
				if parent != "" {
					where = Label(parent)
				}
				out = append(out, [2]string{where, s})
				continue
			}
			out = append(out, credentials(v[k], k)...)
		}
	case []any:
		for _, it := range v {
			out = append(out, credentials(it, parent)...)
		}
	}
	return out
}

// exportClient writes a client's documents as JSON for other tools.
func exportClient(c *Client) ([]byte, error) {
	type entity struct {
		Kind  model.Kind     `json:"kind"`
		ID    string         `json:"id"`
		File  string         `json:"file"`
		Value map[string]any `json:"value"`
		Body  string         `json:"body,omitempty"`
	}
	out := struct {
		Client   map[string]any `json:"client"`
		Entities []entity       `json:"entities"`
	}{Client: c.Doc.Value}
	for _, e := range c.Entities {
		out.Entities = append(out.Entities, entity{Kind: e.Kind(), ID: e.C.ID, File: e.Doc.File, Value: e.Doc.Value, Body: e.Doc.Body})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
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
