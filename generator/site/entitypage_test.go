package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/markdown"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/generator/synth"
	"github.com/handover-dev/handover/generator/validate"
	sitetemplate "github.com/handover-dev/handover/site-template"
)

// stages runs load → validate → resolve → analyse over the repository at
// dir, as generator.Validate does (which this package cannot import).
func stages(t *testing.T, dir string) (*load.Result, *resolve.Index, *graph.Graph) {
	t.Helper()
	schemas, err := validate.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	repo, diags := load.Repo(dir, load.Options{})
	diags = append(diags, validate.Repo(schemas, repo)...)
	ix, rd := resolve.Docs(repo.Docs)
	diags = append(diags, rd...)
	if diag.HasErrors(diags, false) {
		t.Fatalf("%s does not validate: %v", dir, diags)
	}
	return repo, ix, graph.New(ix)
}

// entityRenderer sets up a renderer as Render does, with the embedded
// templates.
func entityRenderer(t *testing.T, dir string) *renderer {
	t.Helper()
	repo, ix, g := stages(t, dir)
	m, err := build(repo, ix, g)
	if err != nil {
		t.Fatal(err)
	}
	r := &renderer{m: m, md: markdown.New()}
	if ds := r.parse(sitetemplate.FS); len(ds) > 0 {
		t.Fatal(ds)
	}
	title := m.portfolio.Site.Title
	if title == "" {
		title = m.portfolio.Consultancy.Name + " handover"
	}
	r.info = &Info{Title: title, Consultancy: m.portfolio.Consultancy.Name, Clients: m.clients, Portfolio: &m.portfolio}
	return r
}

// hostile is text an entity page shows that html/template escapes: every
// character it replaces, '+' among them, and a NUL.
const hostile = `<script>alert('x')</script> & "quoted" +44 ` + "\x00 ü"

// hostileLinks are links whose URLs html/template filters or normalises.
var hostileLinks = []model.Link{
	{Title: "script " + hostile, URL: "javascript:alert(1)"},
	{Title: "scheme in capitals", URL: "JaVaScRiPt:alert(1)"},
	{Title: "scheme after a space", URL: " javascript:alert(1)"},
	{Title: "data", URL: "data:text/html,<script>alert(1)</script>"},
	{Title: "mailto", URL: "MAILTO:a+b@example.com?subject=a b&body=\"x\""},
	{Title: "https", URL: "HTTPS://example.com/a b/c'd(e)?q=1+2&r=<x>#frag ment"},
	{Title: "escapes", URL: "https://example.com/%41%zz%2%/%4"},
	{Title: "relative with a colon", URL: "../runbooks/a:b.html"},
	{Title: "unicode and NUL", URL: "https://例え.jp/ü\x00\x7f\t"},
	{Title: "empty", URL: ""},
}

// decorate gives the model what the fixtures lack and the entity page
// shows, with hostile text in each: histories of one, a few and many
// commits, uncommitted changes, readiness gaps and links; and some
// entities without fields, without relations, or with more dependents
// than a page lists.
func decorate(r *renderer) {
	r.readiness = &Readiness{Entities: map[string][]Gap{}}
	when := time.Date(2026, 3, 10, 17, 30, 0, 0, time.UTC)
	for i, e := range r.m.all {
		var commits []*history.Commit
		for j := range []int{0, 1, 3, 7}[i%4] {
			commits = append(commits, &history.Commit{
				Hash:    fmt.Sprintf("%040x", i*10+j),
				Author:  "Eve O'Neil " + hostile,
				When:    when.AddDate(0, 0, -j),
				Subject: "Fix " + hostile,
			})
		}
		e.History, e.Dirty = commits, i%3 == 1
		if i%2 == 0 {
			r.readiness.Entities[EntityKey(e.Doc.Client, e.Ref())] = []Gap{
				{Severity: "error", Message: "No owner " + hostile, Fix: "Add one " + hostile},
				{Severity: `warning" onmouseover="alert(1)`, Message: "Stale"},
			}
		}
		if i%5 == 0 {
			e.C.Links = append(e.C.Links, hostileLinks...)
		}
		switch {
		case i%11 == 5:
			e.Doc.Value = model.ObjectOf(map[string]any{"kind": string(e.Kind()), "id": e.C.ID})
		case i%13 == 6:
			e.Out, e.In = nil, nil
		case len(e.In) > 0 && len(e.In) <= maxRelations:
			for len(e.In) <= maxRelations {
				e.In = append(e.In, e.In...)
			}
		}
	}
}

// entityPages lists every entity page of r's model with its data, as
// Render prepares it; decorated, some blast radii are cut short of their
// total (as maxImpactRows cuts a long one) and some charts left out.
func entityPages(r *renderer, decorated bool) []*Page {
	var pages []*Page
	for i, e := range r.m.all {
		if e.Kind() == model.KindClient || e.Kind() == model.KindRunbook {
			continue
		}
		p := &Page{Path: e.URL, Title: e.Title(), Section: "clients", Client: e.Client, from: e, Site: r.info, r: r}
		if e.Client == nil {
			p.Section = "vendors"
		}
		d := r.entityPage(e)
		switch {
		case !decorated:
		case i%7 == 3 && len(d.Impact) > 1:
			d.Impact = d.Impact[:1]
		case i%7 == 4:
			d.Chart = nil
		}
		p.Data = d
		pages = append(pages, p)
	}
	return pages
}

// inGoCase is a portfolio on which the Go writers are compared with the
// templates: decorated, it also holds what the data of a real one rarely
// does (histories, gaps, long lists, hostile links); tweak changes its
// portfolio settings.
type inGoCase struct {
	name     string
	dir      string
	decorate bool
	tweak    func(*model.Portfolio)
}

// inGoCases are the examples, a synthetic portfolio (written for t) and the XSS
// fixtures, plain and decorated.
func inGoCases(t *testing.T) []inGoCase {
	t.Helper()
	synthetic := t.TempDir()
	if _, err := synth.Write(synthetic, synth.Options{Clients: 3, Entities: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	return []inGoCase{
		{name: "examples", dir: "../../examples"},
		{name: "examples decorated", dir: "../../examples", decorate: true},
		{name: "synthetic", dir: synthetic},
		{name: "synthetic decorated", dir: synthetic, decorate: true},
		{name: "xss", dir: filepath.Join("testdata", "xss")},
		{name: "xss decorated", dir: filepath.Join("testdata", "xss"), decorate: true},
		{name: "xss unsafe repository", dir: filepath.Join("testdata", "xss"), decorate: true, tweak: func(p *model.Portfolio) {
			p.Site.Repository, p.Consultancy.Name = "javascript:alert(1)//", ""
		}},
	}
}

// renderer returns the case's renderer, decorated (by decorate and more)
// when the case says so.
func (tc inGoCase) renderer(t *testing.T, more ...func(*renderer)) *renderer {
	r := entityRenderer(t, tc.dir)
	if tc.decorate {
		decorate(r)
		for _, f := range more {
			f(r)
		}
	}
	if tc.tweak != nil {
		tc.tweak(r.info.Portfolio)
		r.info.Consultancy = r.info.Portfolio.Consultancy.Name
	}
	return r
}

// compareInGo renders each page both by executing its page template
// (templates[i]) and with that template's Go writer, requires the same
// bytes, and counts the pages compared by template.
func compareInGo(t *testing.T, r *renderer, pages []*Page, templates []string) map[string]int {
	t.Helper()
	seen := map[string]int{}
	var want, got bytes.Buffer
	failed := 0
	for i, p := range pages {
		tmpl := templates[i]
		seen[tmpl]++
		want.Reset()
		got.Reset()
		if err := r.pages[tmpl].ExecuteTemplate(&want, "base", p); err != nil {
			t.Fatalf("%s (%s): %v", p.Path, tmpl, err)
		}
		if !goWriters[tmpl](r, &got, p) {
			t.Errorf("%s (%s): the writer declined the page", p.Path, tmpl)
			continue
		}
		if at := firstDiff(want.Bytes(), got.Bytes()); at >= 0 {
			t.Errorf("%s (%s) differs at byte %d of %d (template) and %d (Go):\ntemplate: %q\nGo:       %q",
				p.Path, tmpl, at, want.Len(), got.Len(), around(want.Bytes(), at), around(got.Bytes(), at))
			if failed++; failed == 5 {
				t.FailNow()
			}
		}
	}
	return seen
}

// TestEntityPageInGo renders every entity page of the examples, of a
// synthetic portfolio and of the XSS fixtures both by executing the
// embedded templates and with writeEntityPage, and requires the same
// bytes.
func TestEntityPageInGo(t *testing.T) {
	for _, tc := range inGoCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.renderer(t)
			pages := entityPages(r, tc.decorate)
			if len(pages) == 0 {
				t.Fatal("no entity pages")
			}
			compareInGo(t, r, pages, slices.Repeat([]string{"entity"}, len(pages)))
		})
	}
}

// firstDiff returns the offset of the first byte where a and b differ, or
// -1 when they are equal.
// examplesRenderer renders the examples with the embedded templates under
// the files given.
func examplesRenderer(t *testing.T) func(tfs fstest.MapFS) *Site {
	repo, ix, g := stages(t, "../../examples")
	return func(tfs fstest.MapFS) *Site {
		t.Helper()
		s, ds, err := Render(repo, ix, g, Options{Template: Overlay(tfs, sitetemplate.FS)})
		if err != nil || len(ds) > 0 {
			t.Fatalf("render: %v %v", err, ds)
		}
		return s
	}
}

// sameSite fails on every page of the site executed from the templates
// that differs from the one written in Go.
func sameSite(t *testing.T, executed, inGo *Site) {
	t.Helper()
	for p, want := range executed.Files {
		if at := firstDiff(want, inGo.Files[p]); at >= 0 {
			t.Errorf("%s differs at byte %d:\ntemplate: %q\nGo:       %q", p, at, around(want, at), around(inGo.Files[p], at))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

// around is the text of b around offset at.
func around(b []byte, at int) string {
	return string(b[max(0, at-80):min(len(b), at+80)])
}

// TestEntityPageOverride checks that a repository's override of a file
// the entity page is made of is executed, and that executing the
// templates and writing in Go give the same site.
func TestEntityPageOverride(t *testing.T) {
	base, err := sitetemplate.FS.ReadFile("pages/entity.html")
	if err != nil {
		t.Fatal(err)
	}
	same := append(bytes.Clone(base), "{{/* a copy that differs only by this comment */}}\n"...)
	marker := "Overridden by the repository"
	changed := bytes.Replace(base, []byte(`<h2 id="details-h">Details</h2>`), []byte(`<h2 id="details-h">`+marker+`</h2>`), 1)
	if bytes.Equal(changed, base) {
		t.Fatal("pages/entity.html has no Details heading to change")
	}
	for _, tc := range []struct {
		name    string
		files   fstest.MapFS
		builtin bool
	}{
		{name: "none", builtin: true},
		{name: "same bytes", files: fstest.MapFS{"pages/entity.html": {Data: base}}, builtin: true},
		{name: "comment", files: fstest.MapFS{"pages/entity.html": {Data: same}}},
		{name: "changed", files: fstest.MapFS{"pages/entity.html": {Data: changed}}},
		{name: "partials", files: fstest.MapFS{"layouts/partials.html": {Data: []byte(`{{define "gaps"}}{{end}}`)}}},
		{name: "extra layout", files: fstest.MapFS{"layouts/zz.html": {Data: []byte(`{{define "gaps"}}{{end}}`)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tfs fs.FS = sitetemplate.FS
			if tc.files != nil {
				tfs = Overlay(tc.files, sitetemplate.FS)
			}
			if got := builtinPage(tfs, "entity"); got != tc.builtin {
				t.Errorf("builtinPage(entity) = %t, want %t", got, tc.builtin)
			}
		})
	}

	render := examplesRenderer(t)
	inGo := render(fstest.MapFS{})
	sameSite(t, render(fstest.MapFS{"pages/entity.html": {Data: same}}), inGo)
	overridden := render(fstest.MapFS{"pages/entity.html": {Data: changed}})
	page := "clients/northwind-outfitters/servers/web-01.html"
	if !strings.Contains(string(overridden.Files[page]), marker) {
		t.Errorf("%s does not show the overridden pages/entity.html", page)
	}
	if strings.Contains(string(inGo.Files[page]), marker) {
		t.Errorf("%s shows the override without it", page)
	}
}

// TestEntityPageDeclines checks that a page the templates fail on (here a
// commit hash too short to slice) is left to them, so that the error a
// user sees is the template's.
func TestEntityPageDeclines(t *testing.T) {
	r := entityRenderer(t, "../../examples")
	r.inGo = map[string]goWriter{"entity": goWriters["entity"]}
	p := entityPages(r, false)[0]
	p.Data.(entityPage).Entity.History = []*history.Commit{{Hash: "abc", Subject: "short"}}
	want := r.pages["entity"].ExecuteTemplate(io.Discard, "base", p)
	if want == nil {
		t.Fatal("the template does not fail on a short hash")
	}
	var buf bytes.Buffer
	buf.WriteString("before ")
	err := r.execute(&buf, p, "entity")
	if err == nil || err.Error() != want.Error() {
		t.Errorf("execute: %v, want the template's error %v", err, want)
	}
	if !strings.HasPrefix(buf.String(), "before <!doctype html>") {
		t.Errorf("execute did not start the page over where it began: %.40q", buf.String())
	}
}

// TestImpactRowBecause: a template that shows a row's Because (an
// override may) gets the path the page's table writes, though the report
// behind the rows no longer spells it out.
func TestImpactRowBecause(t *testing.T) {
	r := entityRenderer(t, "../../examples")
	tmpl := template.Must(template.New("rows").Parse(`{{range .}}{{.Because}}|{{end}}`))
	steps := 0
	for _, e := range r.m.all {
		rows := r.entityPage(e).Impact
		var got strings.Builder
		if err := tmpl.Execute(&got, rows); err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		for _, row := range rows {
			if row.Item.Because != "" {
				t.Fatalf("%s: the report spelt Because out", e.Ref())
			}
			want.WriteString(row.report.Because(row.index) + "|")
			steps += strings.Count(row.report.Because(row.index), "→")
			table := (&Page{Path: e.URL, Site: r.info, r: r}).ImpactRowsHTML([]ImpactRow{row}, e)
			if !strings.Contains(string(table), `<code class="path">`+template.HTMLEscapeString(row.report.Because(row.index))+`</code>`) {
				t.Fatalf("%s: the table's path is not %q: %s", e.Ref(), row.report.Because(row.index), table)
			}
		}
		if got.String() != want.String() {
			t.Fatalf("%s: template gives %q, want %q", e.Ref(), got.String(), want.String())
		}
	}
	if steps < 2 {
		t.Fatal("no blast radius with a path of two steps in the examples")
	}
}
