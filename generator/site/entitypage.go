package site

import (
	"bytes"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/model"
	sitetemplate "github.com/handover-dev/handover/site-template"
)

// The entity page is nine pages in ten of a site, and executing its
// templates by reflection was most of the render time. writeEntityPage
// writes what layouts/base.html, layouts/partials.html and pages/entity.html
// produce, byte for byte, straight into the page's buffer; it is used only
// while those files are the embedded ones (builtinPage), so a
// repository that overrides any of them gets its own templates executed.
// Text and attributes are escaped as html/template escapes them (writeText),
// URLs filtered and normalised as it does (writeURL); the partials already
// written in Go (fasthtml.go) are called as the templates call them.
// TestEntityPageInGo compares the two on every entity page of the examples,
// a synthetic portfolio and the XSS fixtures.

// builtinLayouts are the layouts every page is executed from.
var builtinLayouts = []string{"layouts/base.html", "layouts/partials.html"}

// builtinPage reports whether the page template page of the site template
// tfs is made of the embedded templates alone: the files it is executed
// from (the layouts and pages/<page>.html) are byte-equal to the embedded
// ones and no other layout can redefine a partial.
func builtinPage(tfs fs.FS, page string) bool {
	layouts, err := fs.Glob(tfs, "layouts/*.html")
	if err != nil || !slices.Equal(layouts, builtinLayouts) {
		return false
	}
	for _, name := range append(slices.Clip(builtinLayouts), "pages/"+page+".html") {
		own, err := fs.ReadFile(tfs, name)
		if err != nil {
			return false
		}
		builtin, err := fs.ReadFile(sitetemplate.FS, name)
		if err != nil || !bytes.Equal(own, builtin) {
			return false
		}
	}
	return true
}

// goWriter writes a page as the embedded templates execute it; it reports
// false when the page holds a value the templates would fail on.
type goWriter func(*renderer, *bytes.Buffer, *Page) bool

// goWriters are the page templates written in Go, and their writers.
var goWriters = map[string]goWriter{
	"entity":   (*renderer).writeEntityPage,
	"client":   (*renderer).writeClientPage,
	"pack":     (*renderer).writePackPage,
	"runbook":  (*renderer).writeRunbookPage,
	"vendors":  (*renderer).writeVendorsPage,
	"expiries": (*renderer).writeExpiriesPage,
}

// writeInGo notes which pages of the site template tfs are written in Go:
// those whose templates are the embedded ones.
func (r *renderer) writeInGo(tfs fs.FS) {
	r.inGo = map[string]goWriter{}
	for page, write := range goWriters {
		if builtinPage(tfs, page) {
			r.inGo[page] = write
		}
	}
}

// execute renders page p with the page template tmpl into buf: the pages
// whose templates are the embedded ones in Go, every other page, and a
// page its writer declines, by executing the template.
func (r *renderer) execute(buf *bytes.Buffer, p *Page, tmpl string) error {
	if write := r.inGo[tmpl]; write != nil {
		start := buf.Len()
		if write(r, buf, p) {
			return nil
		}
		buf.Truncate(start)
	}
	return r.pages[tmpl].ExecuteTemplate(buf, "base", p)
}

// writeEntityPage writes the entity page p as the embedded templates
// execute it. It reports false, having written part of it, when the page
// holds a value the templates would fail on (a chart that is no JSON, a
// commit hash shorter than eight bytes): executing the template then gives
// the same error, as a diagnostic on the template.
func (r *renderer) writeEntityPage(b *bytes.Buffer, p *Page) bool {
	d, ok := p.Data.(entityPage)
	if !ok || d.Entity == nil || !sliceableHistory(d.Entity) {
		return false
	}
	return p.writeBase(b, d.Chart != nil, func() bool { return p.writeEntityContent(b, d) })
}

// sliceableHistory reports whether the "history" partial can show every
// commit of e: it slices each hash to eight bytes.
func sliceableHistory(e *Entity) bool {
	for _, c := range e.History {
		if c == nil || len(c.Hash) < 8 {
			return false
		}
	}
	return true
}

// writeBase writes the "base" layout around the page's content, which
// content writes; chartScripts is what the page's "head" block tests. It
// reports false when content does, or when the page has no frame to show.
func (p *Page) writeBase(b *bytes.Buffer, chartScripts bool, content func() bool) bool {
	if p.Site == nil || p.Site.Portfolio == nil {
		return false
	}
	b.WriteString(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="generator" content="handover">
<title>`)
	writeText(b, p.Title)
	b.WriteString(` · `)
	writeText(b, p.Site.Title)
	b.WriteString(`</title>
<link rel="stylesheet" href="`)
	p.writeLink(b, "assets/style.css")
	b.WriteString(`">
<link rel="icon" href="`)
	p.writeLink(b, "assets/favicon.svg")
	b.WriteString(`" type="image/svg+xml">
<script src="`)
	p.writeLink(b, "assets/app.js")
	b.WriteString(`" defer></script>
`)
	if chartScripts {
		b.WriteString(`<script src="`)
		p.writeLink(b, "assets/vendor/echarts/echarts.min.js")
		b.WriteString(`" defer></script>
<script src="`)
		p.writeLink(b, "assets/charts.js")
		b.WriteString(`" defer></script>`)
	}
	b.WriteString(`
</head>
<body data-root="`)
	p.writeRoot(b)
	b.WriteString(`" data-page="`)
	writeText(b, p.Section)
	b.WriteString(`">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <a class="brand" href="`)
	p.writeLink(b, "index.html")
	b.WriteString(`">`)
	writeText(b, p.Site.Title)
	b.WriteString(`</a>
  <nav class="site-nav" aria-label="Site">
    <ul>
      <li><a href="`)
	p.writeLink(b, "index.html")
	b.WriteString(`"`)
	switch p.Section {
	case "dashboard":
		b.WriteString(` aria-current="page"`)
	case "clients":
		b.WriteString(` aria-current="location"`)
	}
	b.WriteString(`>Clients</a></li>
      <li><a href="`)
	p.writeLink(b, "vendors/index.html")
	b.WriteString(`"`)
	writeCurrent(b, p.Section == "vendors")
	b.WriteString(`>Vendors</a></li>
      <li><a href="`)
	p.writeLink(b, "expiries.html")
	b.WriteString(`"`)
	writeCurrent(b, p.Section == "expiries")
	b.WriteString(`>Expiries</a></li>
      <li><a href="`)
	p.writeLink(b, "changelog.html")
	b.WriteString(`"`)
	writeCurrent(b, p.Section == "changelog")
	b.WriteString(`>Changes</a></li>
    </ul>
  </nav>
  <form class="search-form" action="`)
	p.writeLink(b, "search.html")
	b.WriteString(`" method="get" role="search">
    <label for="site-search" class="visually-hidden">Search the handover site</label>
    <input id="site-search" name="q" type="search" placeholder="Search hosts, vendors, runbooks, people" autocomplete="off">
    <button type="submit">Search</button>
  </form>
</header>
`)
	if c := p.Client; c != nil {
		b.WriteString(`<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="`)
		p.writeLink(b, "index.html")
		b.WriteString(`">Clients</a></li>
    <li><a href="`)
		p.writeLink(b, c.URL)
		b.WriteString(`"`)
		writeCurrent(b, p.Path == c.URL)
		b.WriteString(`>`)
		writeText(b, c.Title())
		b.WriteString(`</a></li>
    `)
		if p.Path != c.URL {
			b.WriteString(`<li aria-current="page">`)
			writeText(b, p.Title)
			b.WriteString(`</li>`)
		}
		b.WriteString(`
  </ol>
</nav>`)
	}
	b.WriteString(`
<main id="main" tabindex="-1">
`)
	if !content() {
		return false
	}
	b.WriteString(`
</main>
<footer class="site-footer">
  <p>`)
	if s := p.Site.Consultancy; s != "" {
		b.WriteString(`Maintained by `)
		writeText(b, s)
		b.WriteString(`. `)
	}
	b.WriteString(`Generated by handover from the documentation repository`)
	if repo := p.Site.Portfolio.Site.Repository; repo != "" {
		b.WriteString(` <a href="`)
		writeURL(b, repo)
		b.WriteString(`">`)
		writeText(b, repo)
		b.WriteString(`</a>`)
	}
	b.WriteString(`.</p>
</footer>
</body>
</html>
`)
	return true
}

// writeEntityHead writes the opening that pages/entity.html and
// pages/runbook.html share: the title, the meta line, what a successor
// would miss, and the description.
func (p *Page) writeEntityHead(b *bytes.Buffer, e *Entity) {
	b.WriteString("\n<h1>")
	writeText(b, e.Title())
	b.WriteString("</h1>\n")
	p.writeEntityMeta(b, e)
	b.WriteString("\n")
	p.writeGaps(b, e)
	b.WriteString("\n")
	p.writeProse(b, `<div class="prose lead">`, e.C.Description)
}

// writeEntityContent writes the "content" template of pages/entity.html.
func (p *Page) writeEntityContent(b *bytes.Buffer, d entityPage) bool {
	e := d.Entity
	p.writeEntityHead(b, e)
	b.WriteString(`
<section aria-labelledby="details-h">
  <h2 id="details-h">Details</h2>
  `)
	if !p.writeEntityFields(b, e) {
		b.WriteString(`<p class="muted">No further details recorded.</p>`)
	}
	b.WriteString("\n</section>\n")
	p.writeRelations(b, e)
	b.WriteString(`
<section aria-labelledby="impact-h">
  <h2 id="impact-h">If this fails</h2>
  `)
	if !p.writeChart(b, d.Chart) {
		return false
	}
	b.WriteString("\n  ")
	if len(d.Impact) > 0 {
		b.WriteString("<p>")
		b.WriteString(strconv.Itoa(d.Total))
		if d.Total == 1 {
			b.WriteString(" entity depends on ")
		} else {
			b.WriteString(" entities depend on ")
		}
		writeText(b, e.Title())
		b.WriteString(", directly or through others")
		if d.Total > len(d.Impact) {
			b.WriteString("; the nearest ")
			b.WriteString(strconv.Itoa(len(d.Impact)))
			b.WriteString(" are listed, and <code>handover impact ")
			if e.Client != nil {
				writeText(b, e.Client.C.ID)
				b.WriteString("/")
			}
			writeText(b, e.Ref())
			b.WriteString("</code> lists them all")
		}
		b.WriteString(`:</p>
  <div class="table-wrap" tabindex="0" role="region" aria-label="Blast radius"><table class="impact">
    <caption>Blast radius of `)
		writeText(b, e.Ref())
		b.WriteString(`</caption>
    <thead><tr><th scope="col">Affected</th><th scope="col">Impact</th><th scope="col">SLA</th><th scope="col">Because</th></tr></thead>
    <tbody>`)
		p.writeImpactRows(b, d.Impact, e)
		b.WriteString(`</tbody>
  </table></div>`)
	} else {
		b.WriteString(`<p class="muted">Nothing recorded depends on this.</p>`)
	}
	b.WriteString(`
</section>
<section aria-labelledby="runbooks-h">
  <h2 id="runbooks-h">Runbooks</h2>
  `)
	if len(e.Runbooks) > 0 {
		b.WriteString("<ul>")
		for _, rb := range e.Runbooks {
			b.WriteString("<li>")
			p.writeRef(b, rb)
			b.WriteString(` <span class="muted">`)
			if !writeSummary(b, rb) {
				return false
			}
			b.WriteString("</span></li>")
		}
		b.WriteString("</ul>")
	} else {
		b.WriteString(`<p class="muted">No runbook covers this yet.</p>`)
	}
	b.WriteString("\n</section>\n")
	p.writeEntityTail(b, e)
	return true
}

// writeEntityTail writes what every entity page ends with: the notes, the
// history and the links.
func (p *Page) writeEntityTail(b *bytes.Buffer, e *Entity) {
	p.writeNotes(b, e.C.Notes)
	b.WriteString("\n")
	p.writeHistory(b, e)
	b.WriteString("\n")
	writeLinks(b, e.C.Links)
	b.WriteString("\n")
}

// writeEntityMeta writes the "entity-meta" partial.
func (p *Page) writeEntityMeta(b *bytes.Buffer, e *Entity) {
	b.WriteString(`<p class="entity-meta">
  <span class="kind-badge kind-`)
	writeText(b, kindName(e.Kind()))
	b.WriteString(`">`)
	writeText(b, string(e.Kind()))
	b.WriteString(`</span>
  <code>`)
	writeText(b, e.Ref())
	b.WriteString("</code>\n  ")
	if s := e.C.Owner; s != "" {
		b.WriteString("<span>Owner: ")
		writeText(b, s)
		b.WriteString("</span>")
	}
	b.WriteString("\n  ")
	if e.Dirty {
		b.WriteString(`<span class="badge badge-warning">uncommitted changes</span>`)
	}
	b.WriteString("\n  ")
	if c := e.LastChange(); c != nil {
		b.WriteString(`<span>Last changed `)
		writeTime(b, c)
		b.WriteString(" by ")
		writeText(b, c.Author)
		b.WriteString(": ")
		p.writeCommitSubject(b, c)
		b.WriteString("</span>")
	}
	b.WriteString("\n  ")
	if s := e.C.Reviewed; s != "" {
		b.WriteString(`<span>Last reviewed <time datetime="`)
		writeText(b, s)
		b.WriteString(`" data-review>`)
		writeText(b, s)
		b.WriteString("</time>")
		if by := e.C.ReviewedBy; by != "" {
			b.WriteString(" by ")
			writeText(b, by)
		}
		b.WriteString("</span>")
	} else {
		b.WriteString(`<span class="warning-text">Never reviewed</span>`)
	}
	b.WriteString("\n  ")
	if u := p.EditURL(e); u != "" {
		b.WriteString(`<a class="edit-link" href="`)
		writeURL(b, u)
		b.WriteString(`">Edit this page</a>`)
	}
	b.WriteString(`
  <span class="source">Source: <code>`)
	writeText(b, e.Doc.File)
	b.WriteString(`</code></span>
</p>
`)
	if tags := e.C.Tags; len(tags) > 0 {
		b.WriteString(`<ul class="tags" aria-label="Tags">`)
		for _, t := range tags {
			b.WriteString("<li>")
			writeText(b, t)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
}

// writeTime writes when c was made, as the partials do: a time element
// with the date as its datetime and its text.
func writeTime(b *bytes.Buffer, c *history.Commit) {
	const layout = "2006-01-02" // digits and dashes: nothing to escape
	b.WriteString(`<time datetime="`)
	b.Write(c.When.AppendFormat(b.AvailableBuffer(), layout))
	b.WriteString(`">`)
	b.Write(c.When.AppendFormat(b.AvailableBuffer(), layout))
	b.WriteString("</time>")
}

// writeCommitSubject writes a commit's subject, linked to the commit when
// the portfolio names a repository.
func (p *Page) writeCommitSubject(b *bytes.Buffer, c *history.Commit) {
	u := p.CommitURL(c)
	if u != "" {
		b.WriteString(`<a href="`)
		writeURL(b, u)
		b.WriteString(`">`)
	}
	writeText(b, c.Subject)
	if u != "" {
		b.WriteString("</a>")
	}
}

// writeGaps writes the "gaps" partial.
func (p *Page) writeGaps(b *bytes.Buffer, e *Entity) {
	gaps := p.Gaps(e)
	if len(gaps) == 0 {
		return
	}
	b.WriteString(`<section class="gaps" aria-labelledby="gaps-h">
  <h2 id="gaps-h">What a successor would miss</h2>
  <ul class="gap-list">`)
	for _, g := range gaps {
		b.WriteString(`<li class="gap gap-`)
		writeText(b, g.Severity)
		b.WriteString(`"><strong>`)
		writeText(b, g.Message)
		b.WriteString("</strong>")
		if g.Fix != "" {
			b.WriteString(`<br><span class="muted">Fix: `)
			writeText(b, g.Fix)
			b.WriteString("</span>")
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>\n</section>")
}

// writeRelations writes the "relations" partial.
func (p *Page) writeRelations(b *bytes.Buffer, e *Entity) {
	if len(e.Out) == 0 && len(e.In) == 0 {
		return
	}
	b.WriteString(`<section aria-labelledby="relations-h">
  <h2 id="relations-h">Relations</h2>
  <div class="relations">
    <div>
      <h3>This depends on</h3>
      `)
	if len(e.Out) > 0 {
		b.WriteString(`<ul class="relation-list">`)
		p.writeRelationItems(b, e.Out)
		b.WriteString("</ul>")
	} else {
		b.WriteString(`<p class="muted">Nothing recorded.</p>`)
	}
	b.WriteString(`
    </div>
    <div>
      <h3>Depends on this</h3>
      `)
	if len(e.In) > 0 {
		b.WriteString(`<ul class="relation-list">`)
		p.writeRelationItems(b, e.FirstIn())
		if n := e.MoreIn(); n != 0 {
			b.WriteString(`<li class="muted">and `)
			b.WriteString(strconv.Itoa(n))
			b.WriteString(" more: see the blast radius</li>")
		}
		b.WriteString("</ul>")
	} else {
		b.WriteString(`<p class="muted">Nothing recorded.</p>`)
	}
	b.WriteString(`
    </div>
  </div>
</section>`)
}

func (p *Page) writeRelationItems(b *bytes.Buffer, rs []Relation) {
	for _, rel := range rs {
		b.WriteString(`<li><span class="relation-label">`)
		writeText(b, rel.Label)
		b.WriteString("</span> ")
		p.writeRef(b, rel.Other)
		b.WriteString("</li>")
	}
}

// writeChart writes the "chart" partial; false when its data is no JSON.
func (p *Page) writeChart(b *bytes.Buffer, c *Chart) bool {
	if c == nil {
		return true
	}
	b.WriteString(`<figure class="chart-figure">
  <figcaption>`)
	writeText(b, c.Title)
	b.WriteString(` <span class="muted">(drag to move, scroll to zoom, click a node to open it)</span></figcaption>
  <div class="chart" id="`)
	writeText(b, c.ID)
	b.WriteString(`" data-chart="`)
	writeText(b, c.ID)
	b.WriteString(`-data" role="img" aria-label="`)
	writeText(b, c.Title)
	b.WriteString(`. The same information is given as text below."></div>
  <script type="application/json" id="`)
	writeText(b, c.ID)
	b.WriteString(`-data">`)
	if p.writeChartData(b, c) != nil {
		return false
	}
	b.WriteString(`</script>
</figure>`)
	return true
}

// writeSummary writes the "summary" partial: the one line that tells
// entities of a kind apart. It reports false, as the partial fails, when
// e's typed view is not its kind's.
func writeSummary(b *bytes.Buffer, e *Entity) bool {
	switch kindName(e.Kind()) {
	case "server":
		t, ok := e.Typed.(*model.Server)
		if !ok || t == nil {
			return false
		}
		writeText(b, t.Hostname)
		b.WriteString(" · ")
		writeText(b, t.Environment)
		writeAfter(b, " · ", t.Role)
	case "service":
		t, ok := e.Typed.(*model.Service)
		if !ok || t == nil {
			return false
		}
		writeText(b, t.Criticality)
		b.WriteString(" criticality")
		writeAfter(b, " · RTO ", t.RTO)
	case "configuration":
		t, ok := e.Typed.(*model.Configuration)
		if !ok || t == nil {
			return false
		}
		writeText(b, t.Type)
		if s := t.Expires; s != "" {
			b.WriteString(" · expires ")
			writeDate(b, s)
		}
	case "integration":
		t, ok := e.Typed.(*model.Integration)
		if !ok || t == nil {
			return false
		}
		writeText(b, t.Direction)
		b.WriteString(" ")
		writeText(b, t.Protocol)
		if s := t.FailureImpact.Level; s != "" {
			b.WriteString(" · ")
			writeText(b, s)
			b.WriteString(" impact")
		}
	case "vendor":
		t, ok := e.Typed.(*model.Vendor)
		if !ok || t == nil {
			return false
		}
		writeText(b, t.Category)
		writeAfter(b, " · ", t.Support.Phone)
	case "runbook":
		t, ok := e.Typed.(*model.Runbook)
		if !ok || t == nil {
			return false
		}
		writeText(b, t.Severity)
		if s := t.LastTested; s != "" {
			b.WriteString(" · tested ")
			writeDate(b, s)
		}
	}
	return true
}

// writeAfter writes s after the text before it, when s is set.
func writeAfter(b *bytes.Buffer, before, s string) {
	if s != "" {
		b.WriteString(before)
		writeText(b, s)
	}
}

// writeDate writes a date written in a document as the templates do: a
// time element with the date as its datetime and its text.
func writeDate(b *bytes.Buffer, s string) {
	b.WriteString(`<time datetime="`)
	writeText(b, s)
	b.WriteString(`">`)
	writeText(b, s)
	b.WriteString("</time>")
}

// writeHistory writes the "history" partial.
func (p *Page) writeHistory(b *bytes.Buffer, e *Entity) {
	if len(e.History) == 0 && !e.Dirty {
		return
	}
	b.WriteString(`<section aria-labelledby="history-h">
  <h2 id="history-h">History</h2>
  `)
	if e.Dirty {
		b.WriteString(`<p class="warning-text">This page shows uncommitted changes to <code>`)
		writeText(b, e.Doc.File)
		b.WriteString(`</code>: they are not in the repository yet.</p>`)
	}
	b.WriteString("\n  ")
	if n := len(e.History); n > 0 {
		b.WriteString("<details")
		if n <= 5 {
			b.WriteString(" open")
		}
		b.WriteString(">\n    <summary>")
		b.WriteString(strconv.Itoa(n))
		if n == 1 {
			b.WriteString(" change in git</summary>\n")
		} else {
			b.WriteString(" changes in git</summary>\n")
		}
		b.WriteString(`    <ol class="history">`)
		for _, c := range e.History {
			b.WriteString("<li>")
			writeTime(b, c)
			b.WriteString(" ")
			writeText(b, c.Author)
			b.WriteString(": ")
			p.writeCommitSubject(b, c)
			b.WriteString(` <code class="muted">`)
			writeText(b, c.Hash[:8])
			b.WriteString("</code></li>")
		}
		b.WriteString("</ol>\n  </details>")
	}
	b.WriteString("\n</section>")
}

// writeLinks writes the "links" partial.
func writeLinks(b *bytes.Buffer, links []model.Link) {
	if len(links) == 0 {
		return
	}
	b.WriteString(`<section aria-labelledby="links-h"><h2 id="links-h">Links</h2><ul>`)
	for _, l := range links {
		b.WriteString(`<li><a href="`)
		writeURL(b, l.URL)
		b.WriteString(`">`)
		writeText(b, l.Title)
		b.WriteString("</a></li>")
	}
	b.WriteString("</ul></section>")
}

// writeCurrent writes the attribute that marks the current page's link.
func writeCurrent(b *bytes.Buffer, current bool) {
	if current {
		b.WriteString(` aria-current="page"`)
	}
}

// writeText writes s as html/template writes a string in text, in an
// RCDATA element such as title, or in a quoted attribute that holds no URL.
func writeText(b *bytes.Buffer, s string) { escapeOnto(b, s, true) }

// writeLink writes p.Link(target) as html/template writes it into a URL
// attribute. Below the site's root the filter of writeURL cannot reject
// it: the page's root ("../") comes before any colon of the target. So it
// is the root, then the target normalised. At the root the link is the
// target alone, filtered as html/template filters it.
func (p *Page) writeLink(b *bytes.Buffer, target string) {
	if strings.IndexByte(p.Path, '/') < 0 {
		writeURL(b, target)
		return
	}
	p.writeRoot(b)
	normalizeURL(b, target)
}

// writeURL writes the string s as html/template writes it at the start of
// a quoted URL attribute: a URL of another scheme than http, https or
// mailto becomes "#ZgotmplZ", then it is normalised.
func writeURL(b *bytes.Buffer, s string) {
	if !safeURL(s) {
		s = "#ZgotmplZ"
	}
	normalizeURL(b, s)
}

// safeURL is html/template's isSafeURL: s is relative or its scheme is
// http, https or mailto, in any case.
func safeURL(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '/':
			return true
		case ':':
			scheme := s[:i]
			return equalFold(scheme, "http") || equalFold(scheme, "https") || equalFold(scheme, "mailto")
		}
	}
	return true
}

// equalFold compares ASCII s with lower-case ASCII word, in any case of s.
func equalFold(s, word string) bool {
	if len(s) != len(word) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}

// normalizeURL writes s as html/template's URL normaliser and attribute
// escaper leave it: every byte that is neither unreserved nor reserved in
// a URL percent-encoded (lower-case hex, as html/template writes it),
// valid escapes kept, then '&' and '+' escaped for the attribute.
func normalizeURL(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc string
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '+':
			esc = "&#43;"
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		case strings.IndexByte(urlKept, c) >= 0:
			continue
		}
		b.WriteString(s[last:i])
		if esc != "" {
			b.WriteString(esc)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		last = i + 1
	}
	b.WriteString(s[last:])
}

// urlKept are the bytes besides letters and digits html/template's URL
// normaliser keeps as they are: RFC 3986's reserved and unreserved
// characters, but for the quote and the parentheses.
const urlKept = "!#$*,/:;=?@[]-._~"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
