package site

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// The client overview and the handover pack are one page each per client,
// and the largest of a site: once the entity page was written in Go,
// executing their templates (and the runbook page's, runbookpage.go) by
// reflection was a quarter of the render's CPU. writeClientPage and
// writePackPage write what pages/client.html and pages/pack.html produce
// with the layouts, byte for byte, as writeEntityPage does for the entity
// page (see entitypage.go, whose escaping helpers they share); they are
// used only while those files are the embedded ones. TestClientPagesInGo
// compares them with the templates.

// writeClientPage writes the client overview p as the embedded templates
// execute it. It reports false, having written part of it, when the page
// holds a value the templates would fail on: executing the template then
// gives the same error, as a diagnostic on the template.
func (r *renderer) writeClientPage(b *bytes.Buffer, p *Page) bool {
	d, ok := p.Data.(clientPage)
	if !ok || d.Client == nil || d.Client.Entity == nil || d.Client.Typed == nil {
		return false
	}
	return p.writeBase(b, d.Chart != nil, func() bool { return p.writeClientContent(b, d) })
}

// writeClientContent writes the "content" template of pages/client.html.
func (p *Page) writeClientContent(b *bytes.Buffer, d clientPage) bool {
	c, t := d.Client, d.Client.Typed
	b.WriteString("\n<h1>")
	writeText(b, c.Title())
	b.WriteString("</h1>\n")
	p.writeEntityMeta(b, c.Entity)
	b.WriteString(`
<p class="actions"><a class="button" href="`)
	p.writeLink(b, "clients/"+c.C.ID+"/pack.html")
	b.WriteString(`">Printable handover pack</a> <a class="button" href="`)
	p.writeLink(b, "clients/"+c.C.ID+"/model.json")
	b.WriteString(`">model.json</a></p>
`)
	p.writeProse(b, `<div class="prose lead">`, c.C.Description)
	b.WriteString("\n\n")
	if cr := p.ClientScore(c); cr != nil {
		p.writeReadiness(b, c, cr)
	}
	b.WriteString(`

<nav class="toc" aria-label="On this page"><ul>
  <li><a href="#call">Who to call</a></li><li><a href="#escalation">Escalation</a></li><li><a href="#sla">SLA</a></li>
  <li><a href="#business">Business</a></li><li><a href="#dependencies">Dependencies</a></li><li><a href="#spof">Single points of failure</a></li><li><a href="#entities">Systems</a></li><li><a href="#expiries">Expiries</a></li>
</ul></nav>

<section id="call" aria-labelledby="call-h">
  <h2 id="call-h">Who to call</h2>
  `)
	if len(t.Contacts) > 0 {
		writeContactsTable(b, t.Contacts, "Client contacts, in the order to call them")
	} else {
		b.WriteString(`<p class="warning-text">No contacts recorded.</p>`)
	}
	b.WriteString(`
</section>

<section id="escalation" aria-labelledby="escalation-h">
  <h2 id="escalation-h">Escalation path</h2>
  `)
	if len(t.Escalation) > 0 {
		b.WriteString(`<ol class="escalation">`)
		for _, s := range t.Escalation {
			b.WriteString("<li>\n    <strong>")
			writeText(b, s.Who)
			b.WriteString("</strong>")
			if s.After != "" {
				b.WriteString(` <span class="muted">after `)
				writeText(b, s.After)
				b.WriteString("</span>")
			}
			b.WriteString("\n    ")
			if s.Contact != "" {
				b.WriteString("<br>")
				writeLinked(b, s.Contact)
			}
			if s.Channel != "" {
				b.WriteString(` <span class="muted">(`)
				writeText(b, s.Channel)
				b.WriteString(")</span>")
			}
			b.WriteString("\n  </li>")
		}
		b.WriteString("</ol>")
	} else {
		b.WriteString(`<p class="warning-text">No escalation path recorded.</p>`)
	}
	b.WriteString(`
</section>

<section id="sla" aria-labelledby="sla-h">
  <h2 id="sla-h">Service level agreement</h2>
  `)
	if sla := &t.SLA; len(sla.Severities) > 0 {
		b.WriteString(`<div class="table-wrap" tabindex="0" role="region" aria-label="Service level agreement"><table class="sla">
    <caption>`)
		if sla.Name != "" {
			writeText(b, sla.Name)
		} else {
			b.WriteString("SLA")
		}
		writeSLATable(b, t, "\n  ")
	} else {
		b.WriteString(`<p class="warning-text">No SLA recorded.</p>`)
	}
	b.WriteString(`
</section>

<section id="business" aria-labelledby="business-h">
  <h2 id="business-h">The business</h2>
  
  `)
	bs := &t.Business
	p.writeProse(b, `<div class="prose">`, bs.Summary)
	b.WriteString(`
  <dl class="fields">
    `)
	writeField(b, "Industry", bs.Industry)
	b.WriteString("\n    ")
	writeField(b, "Business hours", bs.BusinessHours)
	b.WriteString("\n    ")
	writeField(b, "Time zone", bs.Timezone)
	b.WriteString("\n  </dl>\n  ")
	if len(bs.CriticalPeriods) > 0 {
		b.WriteString(`<h3>Critical periods</h3>
  <ul class="critical-periods">`)
		for _, cp := range bs.CriticalPeriods {
			b.WriteString("<li><strong>")
			writeText(b, cp.Name)
			b.WriteString("</strong>")
			writeAfter(b, ": ", cp.When)
			p.writeProse(b, `<div class="prose">`, cp.Notes)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n  \n  ")
	if ct := &t.Contract; ct.Type != "" || ct.Renewal != "" {
		b.WriteString(`<h3>Contract</h3>
  <dl class="fields">
    `)
		if ct.Type != "" {
			writeField(b, "Type", Label(ct.Type))
		}
		b.WriteString("\n    ")
		writeDateField(b, "Start", ct.Start)
		b.WriteString("\n    ")
		writeDateField(b, "Renewal", ct.Renewal)
		b.WriteString("\n    ")
		writeField(b, "Notice period", ct.NoticePeriod)
		b.WriteString("\n  </dl>")
	}
	b.WriteString(`
</section>

<section id="dependencies" aria-labelledby="dependencies-h">
  <h2 id="dependencies-h">What depends on what</h2>
  `)
	if !p.writeChart(b, d.Chart) {
		return false
	}
	b.WriteString(`
  <details class="chart-text">
    <summary>The dependencies as a list</summary>
    <ul>`)
	for _, e := range c.Entities {
		if len(e.Out) == 0 {
			continue
		}
		b.WriteString("<li>")
		p.writeRef(b, e)
		b.WriteString(": ")
		for i, rel := range e.Out {
			if i > 0 {
				b.WriteString(", ")
			}
			writeText(b, strings.ToLower(rel.Label))
			b.WriteString(" ")
			p.writeRef(b, rel.Other)
		}
		b.WriteString("</li>")
	}
	b.WriteString(`</ul>
  </details>
</section>

<section id="spof" aria-labelledby="spof-h">
  <h2 id="spof-h">Single points of failure</h2>
  `)
	if len(d.SPOFs) > 0 {
		if !p.writeSPOFs(b, d.SPOFs) {
			return false
		}
	} else {
		b.WriteString(`<p class="muted">No critical or high service is recorded, so none is at risk from a single failure.</p>`)
	}
	b.WriteString(`
</section>

<section id="entities" aria-labelledby="entities-h">
  <h2 id="entities-h">Systems and suppliers</h2>
  `)
	for _, s := range d.Sections {
		if !p.writeEntityTable(b, s) {
			return false
		}
	}
	b.WriteString(`
</section>

<section id="expiries" aria-labelledby="expiries-h">
  <h2 id="expiries-h">Upcoming expiries</h2>
  `)
	if !p.writeExpiryTable(b, d.Expiries, "Deadlines for this client, soonest first", false) {
		return false
	}
	b.WriteString("\n</section>\n")
	if len(d.Changes) > 0 {
		b.WriteString(`<section id="changes" aria-labelledby="changes-h">
  <h2 id="changes-h">Recent changes</h2>
  `)
		if !p.writeChanges(b, d.Changes) {
			return false
		}
		b.WriteString(`
  <p><a href="`)
		p.writeLink(b, "changelog.html")
		b.WriteString(`">The whole changelog</a></p>
</section>`)
	}
	b.WriteString("\n")
	p.writeNotes(b, c.C.Notes)
	b.WriteString("\n")
	writeLinks(b, c.C.Links)
	b.WriteString("\n")
	return true
}

// writeReadiness writes the client page's readiness section.
func (p *Page) writeReadiness(b *bytes.Buffer, c *Client, cr *ClientReadiness) {
	b.WriteString(`<section id="readiness" class="readiness" aria-labelledby="readiness-h">
  <h2 id="readiness-h">Handover readiness: `)
	writeScore(b, cr.Score)
	b.WriteString("</h2>\n  ")
	if len(cr.Gaps) > 0 {
		b.WriteString("<p>What a successor would miss today")
		if s := p.Readiness().AsOf; s != "" {
			b.WriteString(" (")
			writeText(b, s)
			b.WriteString(")")
		}
		b.WriteString(`, most serious first:</p>
  <ul class="gap-list">`)
		for _, g := range cr.Gaps {
			b.WriteString(`<li class="gap gap-`)
			writeText(b, g.Severity)
			b.WriteString(`">`)
			if e := p.ByRef(c, g.Ref); e != nil {
				p.writeRef(b, e)
				b.WriteString(": ")
			}
			b.WriteString("<strong>")
			writeText(b, g.Message)
			b.WriteString("</strong>")
			if g.Fix != "" {
				b.WriteString(`<br><span class="muted">Fix: `)
				writeText(b, g.Fix)
				b.WriteString("</span>")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ul>\n  ")
	} else {
		b.WriteString(`<p>Nothing missing: a successor could take over from this documentation.</p>`)
	}
	b.WriteString("\n</section>")
}

// writeScore writes the "score" partial.
func writeScore(b *bytes.Buffer, n int) {
	b.WriteString(`<span class="score score-`)
	switch {
	case n >= 90:
		b.WriteString("good")
	case n >= 70:
		b.WriteString("fair")
	default:
		b.WriteString("poor")
	}
	b.WriteString(`" title="Handover readiness, 0 to 100">`)
	b.WriteString(strconv.Itoa(n))
	b.WriteString(`<span class="visually-hidden"> out of 100</span></span>`)
}

// writeProse writes Markdown src in the div that open starts, when src is
// set: a template's {{with}} around {{$page.Markdown . nil}}.
func (p *Page) writeProse(b *bytes.Buffer, open, src string) {
	if src == "" {
		return
	}
	b.WriteString(open)
	b.WriteString(string(p.Markdown(src, nil)))
	b.WriteString("</div>")
}

// writeNotes writes the notes section of a page, when there are notes.
func (p *Page) writeNotes(b *bytes.Buffer, notes string) {
	if notes != "" {
		b.WriteString(`<section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2><div class="prose">`)
		b.WriteString(string(p.Markdown(notes, nil)))
		b.WriteString(`</div></section>`)
	}
}

// writeField writes one field of the client page's definition lists, when
// value is set.
func writeField(b *bytes.Buffer, label, value string) { writeFieldWith(b, label, value, writeText) }

// writeDateField is writeField for a date.
func writeDateField(b *bytes.Buffer, label, date string) { writeFieldWith(b, label, date, writeDate) }

func writeFieldWith(b *bytes.Buffer, label, value string, write func(*bytes.Buffer, string)) {
	if value == "" {
		return
	}
	b.WriteString(`<div class="field"><dt>`)
	b.WriteString(label)
	b.WriteString("</dt><dd>")
	write(b, value)
	b.WriteString("</dd></div>")
}

// writeSLATable writes an SLA table from the hours in its caption on; the
// client page and the pack lay it out alike but for the whitespace before
// the table's end, end.
func writeSLATable(b *bytes.Buffer, t *model.Client, end string) {
	sla := &t.SLA
	if sla.Hours != "" {
		b.WriteString(" (")
		writeText(b, sla.Hours)
		b.WriteString(")")
	}
	b.WriteString(`</caption>
    <thead><tr><th scope="col">Severity</th><th scope="col">Definition</th><th scope="col">Response</th><th scope="col">Resolution</th></tr></thead>
    <tbody>`)
	for _, s := range sla.Severities {
		b.WriteString(`<tr><th scope="row">`)
		writeText(b, s.Level)
		b.WriteString("</th><td>")
		writeText(b, s.Definition)
		b.WriteString("</td><td>")
		writeText(b, s.Response)
		b.WriteString("</td><td>")
		writeText(b, s.Resolution)
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody>")
	b.WriteString(end)
	b.WriteString("</table></div>")
}

// writeSPOFs writes the client page's table of single points of failure;
// false when an entity is missing or a service's typed view is no
// service, as the template fails.
func (p *Page) writeSPOFs(b *bytes.Buffer, spofs []SPOF) bool {
	b.WriteString(`<p>Each of these alone takes down a critical or high service: nothing recorded here can take over when it fails. Most critical first.</p>
  <div class="table-wrap" tabindex="0" role="region" aria-label="Single points of failure"><table class="spof">
    <caption>What takes down a critical or high service on its own</caption>
    <thead><tr><th scope="col">If this fails</th><th scope="col">These services go down</th></tr></thead>
    <tbody>`)
	for _, s := range spofs {
		if s.Entity == nil {
			return false
		}
		b.WriteString(`<tr><th scope="row">`)
		p.writeRef(b, s.Entity)
		b.WriteString("</th>\n      <td>")
		for i, svc := range s.Services {
			if svc == nil {
				return false
			}
			t, ok := svc.Typed.(*model.Service)
			if !ok || t == nil {
				return false
			}
			if i > 0 {
				b.WriteString(", ")
			}
			p.writeRef(b, svc)
			b.WriteString(` <span class="muted">(`)
			writeText(b, t.Criticality)
			b.WriteString(")</span>")
		}
		b.WriteString("</td></tr>")
	}
	b.WriteString(`</tbody>
  </table></div>`)
	return true
}

// writeContactsTable writes the "contacts-table" partial.
func writeContactsTable(b *bytes.Buffer, cs []model.Contact, caption string) {
	b.WriteString(`<div class="table-wrap" tabindex="0" role="region" aria-label="`)
	writeText(b, caption)
	b.WriteString(`"><table class="contacts">
  <caption>`)
	writeText(b, caption)
	b.WriteString(`</caption>
  <thead><tr><th scope="col">Order</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Phone</th><th scope="col">Email</th><th scope="col">Hours</th></tr></thead>
  <tbody>`)
	for _, c := range Contacts(cs) {
		b.WriteString("<tr>\n    <td>")
		if c.EscalationOrder != 0 {
			b.WriteString(strconv.Itoa(c.EscalationOrder))
		} else {
			b.WriteString("–")
		}
		b.WriteString("</td>\n    <th scope=\"row\">")
		writeText(b, c.Name)
		b.WriteString("</th>\n    <td>")
		writeText(b, c.Role)
		b.WriteString("</td>\n    <td>")
		if c.Phone != "" {
			tel := telURL(c.Phone)
			if tel != "" {
				b.WriteString(`<a href="`)
				normalizeURL(b, string(tel))
				b.WriteString(`">`)
			}
			writeText(b, c.Phone)
			if tel != "" {
				b.WriteString("</a>")
			}
		}
		b.WriteString("</td>\n    <td>")
		if c.Email != "" {
			b.WriteString(`<a href="`)
			if strings.Contains(c.Email, "@") {
				normalizeURL(b, "mailto:"+c.Email)
			}
			b.WriteString(`">`)
			writeText(b, c.Email)
			b.WriteString("</a>")
		}
		b.WriteString("</td>\n    <td>")
		writeText(b, c.Hours)
		if c.Notes != "" {
			if c.Hours != "" {
				b.WriteString("<br>")
			}
			b.WriteString(`<span class="muted">`)
			writeText(b, c.Notes)
			b.WriteString("</span>")
		}
		b.WriteString("</td>\n  </tr>")
	}
	b.WriteString(`</tbody>
</table></div>`)
}

// writeLinked writes the "linked" partial: text with its email addresses,
// phone numbers and URLs as links. The links are template.URL values,
// which html/template normalises but does not filter.
func writeLinked(b *bytes.Buffer, s string) {
	for _, part := range linkify(s) {
		if part.Href == "" {
			writeText(b, part.Text)
			continue
		}
		b.WriteString(`<a href="`)
		normalizeURL(b, string(part.Href))
		b.WriteString(`">`)
		writeText(b, part.Text)
		b.WriteString("</a>")
	}
}

// writeExpiryTable writes the "expiry-table" partial; with showClient, as
// the expiry calendar shows it, a column says whose each deadline is. It
// reports false when an expiry has no entity, or a client no entity, which
// the partial fails on; the table is then unfinished.
func (p *Page) writeExpiryTable(b *bytes.Buffer, xs []Expiry, caption string, showClient bool) bool {
	if len(xs) == 0 {
		b.WriteString(`<p class="muted">Nothing dated.</p>`)
		return true
	}
	b.WriteString(`<div class="table-wrap" tabindex="0" role="region" aria-label="`)
	writeText(b, caption)
	b.WriteString(`"><table class="expiries">
  <caption>`)
	writeText(b, caption)
	b.WriteString(`</caption>
  <thead><tr><th scope="col">Date</th><th scope="col">What</th><th scope="col">Entity</th>`)
	if showClient {
		b.WriteString(`<th scope="col">Client</th>`)
	}
	b.WriteString(`<th scope="col">Renews</th></tr></thead>
  <tbody>`)
	for _, x := range xs {
		if x.Entity == nil {
			return false
		}
		b.WriteString(`<tr data-expiry="`)
		writeText(b, x.Date)
		b.WriteString("\">\n    <td>")
		writeDate(b, x.Date)
		b.WriteString(` <span class="expiry-status"></span></td>
    <td>`)
		writeText(b, x.What)
		b.WriteString("</td>\n    <td>")
		p.writeRef(b, x.Entity)
		b.WriteString("</td>\n    ")
		if showClient {
			b.WriteString("<td>")
			if c := x.Entity.Client; c == nil {
				b.WriteString("Shared")
			} else {
				if c.Entity == nil {
					return false
				}
				b.WriteString(`<a href="`)
				p.writeLink(b, c.URL)
				b.WriteString(`">`)
				writeText(b, c.Title())
				b.WriteString("</a>")
			}
			b.WriteString("</td>")
		}
		b.WriteString("\n    <td>")
		if x.AutoRenew {
			b.WriteString("Automatically")
		} else {
			b.WriteString("Manually")
		}
		b.WriteString("</td>\n  </tr>")
		p.spillOver(b)
	}
	b.WriteString(`</tbody>
</table></div>`)
	return true
}

// writeEntityTable writes the "entity-table" partial; false when an
// entity is missing or the "summary" partial fails on one.
func (p *Page) writeEntityTable(b *bytes.Buffer, s KindSection) bool {
	b.WriteString(`<div class="table-wrap" tabindex="0" role="region" aria-label="`)
	writeText(b, s.Title)
	b.WriteString(`"><table class="entities">
  <caption>`)
	writeText(b, s.Title)
	b.WriteString(`</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">ID</th><th scope="col">Summary</th></tr></thead>
  <tbody>`)
	for _, e := range s.Entities {
		if e == nil {
			return false
		}
		b.WriteString("<tr>\n    <th scope=\"row\"><a href=\"")
		p.writeLink(b, e.URL)
		b.WriteString(`">`)
		writeText(b, e.Title())
		b.WriteString("</a></th>\n    <td><code>")
		writeText(b, e.C.ID)
		b.WriteString("</code></td>\n    <td>")
		if !writeSummary(b, e) {
			return false
		}
		b.WriteString("</td>\n  </tr>")
	}
	b.WriteString(`</tbody>
</table></div>`)
	return true
}

// writeChanges writes the "changes" partial; false when a change has no
// commit, whose date the partial fails to give, or a missing entity.
func (p *Page) writeChanges(b *bytes.Buffer, cs []Change) bool {
	b.WriteString(`<ol class="changes">`)
	for _, c := range cs {
		if c.Commit == nil {
			return false
		}
		b.WriteString("<li>\n  ")
		writeTime(b, c.Commit)
		b.WriteString(" <strong>")
		writeText(b, c.Author)
		b.WriteString("</strong>: ")
		p.writeCommitSubject(b, c.Commit)
		b.WriteString(`
  <ul class="inline-list">`)
		for _, e := range c.Entities {
			if e == nil {
				return false
			}
			b.WriteString("<li>")
			p.writeRef(b, e)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>\n</li>")
	}
	b.WriteString("</ol>")
	return true
}

// writePackPage writes the handover pack p as the embedded templates
// execute it, or reports false as writeClientPage does.
func (r *renderer) writePackPage(b *bytes.Buffer, p *Page) bool {
	d, ok := p.Data.(packPage)
	if !ok || d.Client == nil || d.Client.Entity == nil || d.Client.Typed == nil {
		return false
	}
	return p.writeBase(b, false, func() bool { return p.writePackContent(b, d) })
}

// writePackContent writes the "content" template of pages/pack.html.
func (p *Page) writePackContent(b *bytes.Buffer, d packPage) bool {
	c, t := d.Client, d.Client.Typed
	b.WriteString(`
<article class="pack">
<header class="pack-cover">
  <p class="pack-kicker">Handover pack</p>
  <h1>`)
	writeText(b, c.Title())
	b.WriteString("</h1>\n  ")
	if s := t.Business.Industry; s != "" {
		b.WriteString("<p>")
		writeText(b, s)
		b.WriteString("</p>")
	}
	b.WriteString("\n  <p>Prepared by ")
	writeText(b, p.Site.Consultancy)
	writeAfter(b, "; account lead ", c.C.Owner)
	b.WriteString(".</p>\n  ")
	if s := c.C.Reviewed; s != "" {
		b.WriteString("<p>Client record last reviewed ")
		writeDate(b, s)
		b.WriteString(".</p>")
	}
	b.WriteString(`
  <p class="no-print"><button type="button" class="print-button" data-print>Print this pack</button></p>
</header>

<nav class="pack-toc" aria-label="Contents"><h2>Contents</h2><ol>
  <li><a href="#pack-business">The business</a></li>
  <li><a href="#pack-call">Who to call</a></li>
  <li><a href="#pack-sla">SLA and escalation</a></li>
  `)
	for _, s := range d.Sections {
		b.WriteString(`<li><a href="#pack-`)
		writeFragment(b, kindName(s.Kind))
		b.WriteString(`">`)
		writeText(b, s.Title)
		b.WriteString("</a></li>")
	}
	b.WriteString(`
  <li><a href="#pack-expiries">Expiries</a></li>
  <li><a href="#pack-access">Access-transfer checklist</a></li>
</ol></nav>

<section id="pack-business" class="pack-section">
  <h2>The business</h2>
  `)
	p.writeProse(b, `<div class="prose">`, c.C.Description)
	b.WriteString("\n  ")
	p.writeProse(b, `<div class="prose">`, t.Business.Summary)
	b.WriteString("\n  ")
	if cps := t.Business.CriticalPeriods; len(cps) > 0 {
		b.WriteString("<h3>Critical periods</h3><ul>")
		for _, cp := range cps {
			b.WriteString("<li><strong>")
			writeText(b, cp.Name)
			b.WriteString("</strong>")
			writeAfter(b, ": ", cp.When)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString(`
</section>

<section id="pack-call" class="pack-section">
  <h2>Who to call</h2>
  `)
	writeContactsTable(b, t.Contacts, "Client contacts, in the order to call them")
	b.WriteString(`
</section>

<section id="pack-sla" class="pack-section">
  <h2>SLA and escalation</h2>
  `)
	if len(t.SLA.Severities) > 0 {
		b.WriteString(`<div class="table-wrap" tabindex="0" role="region" aria-label="Service level agreement"><table class="sla"><caption>`)
		writeText(b, t.SLA.Name)
		writeSLATable(b, t, "")
	}
	b.WriteString("\n  ")
	if len(t.Escalation) > 0 {
		b.WriteString(`<h3>Escalation path</h3><ol class="escalation">`)
		for _, s := range t.Escalation {
			b.WriteString("<li><strong>")
			writeText(b, s.Who)
			b.WriteString("</strong>")
			writeAfter(b, " after ", s.After)
			if s.Contact != "" {
				b.WriteString(": ")
				writeLinked(b, s.Contact)
			}
			if s.Channel != "" {
				b.WriteString(" (")
				writeText(b, s.Channel)
				b.WriteString(")")
			}
			b.WriteString("</li>")
		}
		b.WriteString("</ol>")
	}
	b.WriteString("\n</section>\n\n")
	for _, s := range d.Sections {
		kind := kindName(s.Kind)
		b.WriteString(`<section id="pack-`)
		writeText(b, kind)
		b.WriteString(`" class="pack-section">
  <h2>`)
		writeText(b, s.Title)
		b.WriteString("</h2>\n  ")
		if kind != "runbook" {
			for _, e := range s.Entities {
				b.WriteString(`<article class="pack-entity">
    <h3 id="pack-`)
				writeText(b, kind)
				b.WriteString("-")
				writeText(b, e.C.ID)
				b.WriteString(`">`)
				writeText(b, e.Title())
				b.WriteString(" <code>")
				writeText(b, e.Ref())
				b.WriteString("</code></h3>\n    ")
				p.writeProse(b, `<div class="prose">`, e.C.Description)
				b.WriteString("\n    ")
				p.writeEntityFields(b, e)
				b.WriteString("\n  </article>")
			}
		}
		b.WriteString("\n  ")
		if kind == "runbook" {
			for _, rb := range d.Runbooks {
				if rb.Entity == nil {
					return false
				}
				b.WriteString(`<article class="pack-entity pack-runbook">
    <h3 id="pack-runbook-`)
				writeText(b, rb.Entity.C.ID)
				b.WriteString(`">`)
				writeText(b, rb.Entity.Title())
				b.WriteString(`</h3>
    <div class="prose">`)
				b.WriteString(string(rb.Body))
				b.WriteString("</div>\n  </article>")
			}
		}
		b.WriteString("\n</section>\n")
	}
	b.WriteString(`

<section id="pack-expiries" class="pack-section">
  <h2>Expiries</h2>
  `)
	if !p.writeExpiryTable(b, d.Expiries, "Deadlines for this client", false) {
		return false
	}
	b.WriteString(`
</section>

<section id="pack-access" class="pack-section">
  <h2>Access-transfer checklist</h2>
  <p>Every credential this documentation refers to. None of them is written here: each is a reference into a password manager. Tick each one when the new team has access and the old team's access is removed.</p>
  `)
	if len(d.Credentials) > 0 {
		b.WriteString(`<div class="table-wrap" tabindex="0" role="region" aria-label="Credentials to transfer"><table class="checklist">
    <caption>Credentials to transfer</caption>
    <thead><tr><th scope="col">Done</th><th scope="col">For</th><th scope="col">Use</th><th scope="col">Reference</th><th scope="col">Lives in</th><th scope="col">Who can grant it</th></tr></thead>
    <tbody>`)
		for _, cr := range d.Credentials {
			if cr.Entity == nil {
				return false
			}
			b.WriteString(`<tr>
      <td><span class="checkbox" aria-label="not done yet">☐</span></td>
      <td>`)
			p.writeRef(b, cr.Entity)
			b.WriteString("</td>\n      <td>")
			writeText(b, cr.Field)
			b.WriteString("</td>\n      <td><code class=\"credential\">")
			writeText(b, cr.Reference)
			b.WriteString("</code></td>\n      <td>")
			writeText(b, cr.Store)
			b.WriteString("</td>\n      <td>")
			writeText(b, cr.Grantor)
			b.WriteString("</td>\n    </tr>")
		}
		b.WriteString(`</tbody>
  </table></div>`)
	} else {
		b.WriteString(`<p class="warning-text">No credential references are recorded for this client.</p>`)
	}
	b.WriteString("\n</section>\n</article>\n")
	return true
}

// writeFragment writes s as html/template writes it after the '#' of a
// URL attribute: every byte but ASCII letters, digits and "-._~"
// percent-encoded (lower-case hex).
func writeFragment(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
		last = i + 1
	}
	b.WriteString(s[last:])
}
