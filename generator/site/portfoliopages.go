package site

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// The vendor directory and the expiry calendar list the whole portfolio:
// 7 and 12 MB at 50,000 entities, and executing their templates by
// reflection took a core for 1.5 s of a build. They are written in Go as
// the entity pages are (entitypage.go), and, in a build, straight to their
// files a chunk at a time (spillOver), so that neither is held whole.
// TestPortfolioPagesInGo compares them with the templates.

// spill is where a page too large to hold whole goes while it is written:
// its file, and the first error writing to it.
type spill struct {
	w   io.Writer
	err error
}

// spillAt is how much of a spilled page is held before it goes to the file.
const spillAt = 64 << 10

// spillOver hands what b holds to the page's file once it holds spillAt
// bytes, when the page is being written straight to its file; otherwise
// it does nothing. Writers call it between rows of their long tables.
func (p *Page) spillOver(b *bytes.Buffer) {
	s := p.spill
	if s == nil || b.Len() < spillAt {
		return
	}
	if s.err == nil {
		_, s.err = s.w.Write(b.Bytes())
	}
	b.Reset()
}

// stream writes the page of job j, one too large to hold whole, with
// stream (Options.Stream): with its Go writer, spilling as it goes, or,
// when there is none or it declines the page, by executing the template,
// whose error goes to terr. A declined page is written again from its
// start.
func (r *renderer) stream(stream func(string, func(*bufio.Writer) error) error, buf *bytes.Buffer, j job, terr *error) error {
	if write := r.inGo[j.template]; write != nil {
		written := false
		err := stream(j.page.Path, func(w *bufio.Writer) error {
			s := &spill{w: w}
			buf.Reset()
			j.page.spill = s
			written = write(r, buf, j.page)
			j.page.spill = nil
			if written && s.err == nil {
				_, s.err = w.Write(buf.Bytes())
			}
			return s.err
		})
		if err != nil || written {
			return err
		}
	}
	return stream(j.page.Path, func(w *bufio.Writer) error {
		*terr = r.pages[j.template].ExecuteTemplate(w, "base", j.page)
		return nil // a template's error is a diagnostic, and the build is not written
	})
}

// writeExpiriesPage writes the expiry calendar as pages/expiries.html
// executes it; false when an expiry has no entity, or its client no
// entity, which the "expiry-table" partial fails on.
func (r *renderer) writeExpiriesPage(b *bytes.Buffer, p *Page) bool {
	xs, ok := p.Data.([]Expiry)
	if !ok {
		return false
	}
	for _, x := range xs {
		if x.Entity == nil || (x.Entity.Client != nil && x.Entity.Client.Entity == nil) {
			return false // checked first: the table may be on its way to the file
		}
	}
	return p.writeBase(b, false, func() bool {
		b.WriteString(`
<h1>Expiry calendar</h1>
<p class="lead">Certificates, domains, licences, contracts and operating-system end of life, soonest first. <a href="`)
		p.writeLink(b, "expiries.ics")
		b.WriteString(`">Subscribe to expiries.ics</a> in your calendar.</p>
`)
		if !p.writeExpiryTable(b, xs, "Every dated deadline in the portfolio", true) {
			return false
		}
		b.WriteString("\n")
		return true
	})
}

// writeVendorsPage writes the vendor directory as pages/vendors.html
// executes it; false when the page holds what the template fails on (a
// missing vendor, client or dependent, a vendor whose typed view is not a
// vendor's, a chart that is no JSON).
func (r *renderer) writeVendorsPage(b *bytes.Buffer, p *Page) bool {
	d, ok := p.Data.(vendorsPage)
	if !ok || !writableVendors(d) {
		return false
	}
	return p.writeBase(b, d.Chart != nil, func() bool {
		b.WriteString(`
<h1>Vendor directory</h1>
<p class="lead">Every supplier, how to reach their support, and who depends on them.</p>
<section aria-labelledby="concentration-h">
  <h2 id="concentration-h">Vendor concentration</h2>
  <p>Which vendors the most clients and production entities would lose with them: the suppliers whose outage is everyone's outage.</p>
  `)
		if !p.writeChart(b, d.Chart) {
			return false
		}
		b.WriteString(`
  <div class="table-wrap" tabindex="0" role="region" aria-label="Vendor concentration"><table class="concentration">
    <caption>Vendors by how much fails with them</caption>
    <thead><tr><th scope="col">Vendor</th><th scope="col">Clients</th><th scope="col">Production entities</th><th scope="col">All affected</th></tr></thead>
    <tbody>`)
		for _, c := range d.Concentration {
			b.WriteString(`<tr><th scope="row">`)
			p.writeRef(b, c.Vendor)
			b.WriteString(`</th><td>`)
			b.WriteString(strconv.Itoa(c.Clients))
			b.WriteString(`</td><td>`)
			b.WriteString(strconv.Itoa(c.Production))
			b.WriteString(`</td><td>`)
			b.WriteString(strconv.Itoa(c.Affected))
			b.WriteString(`</td></tr>`)
			p.spillOver(b)
		}
		b.WriteString(`</tbody>
  </table></div>
</section>

<h2>All vendors</h2>
<div class="table-wrap" tabindex="0" role="region" aria-label="Vendors"><table class="vendors">
  <caption>Vendors by name</caption>
  <thead><tr><th scope="col">Vendor</th><th scope="col">Support</th><th scope="col">Clients</th><th scope="col">Relied on by</th></tr></thead>
  <tbody>`)
		for _, v := range d.Vendors {
			p.writeVendorRow(b, v)
			p.spillOver(b)
		}
		b.WriteString(`</tbody>
</table></div>

`)
		return true
	})
}

// writableVendors reports whether the vendor directory holds nothing the
// template fails on, checked before any of it is written: the page may be
// on its way to its file.
func writableVendors(d vendorsPage) bool {
	for _, c := range d.Concentration {
		if c.Vendor == nil {
			return false
		}
	}
	for _, v := range d.Vendors {
		if v.Vendor == nil {
			return false
		}
		if t, ok := v.Vendor.Typed.(*model.Vendor); !ok || t == nil {
			return false
		}
		for _, c := range v.Clients {
			if c == nil || c.Entity == nil {
				return false
			}
		}
		for _, e := range v.Dependents {
			if e == nil {
				return false
			}
		}
	}
	return true
}

// writeVendorRow writes one vendor of the directory's table; writableVendors
// has checked it.
func (p *Page) writeVendorRow(b *bytes.Buffer, v VendorEntry) {
	t := v.Vendor.Typed.(*model.Vendor)
	b.WriteString("<tr>\n    <th scope=\"row\"><a href=\"")
	p.writeLink(b, v.Vendor.URL)
	b.WriteString(`">`)
	writeText(b, v.Vendor.Title())
	b.WriteString(`</a>`)
	if t.Category != "" {
		b.WriteString(`<br><span class="muted">`)
		writeText(b, t.Category)
		b.WriteString(`</span>`)
	}
	if v.Vendor.Client == nil {
		b.WriteString(`<br><span class="badge">shared</span>`)
	}
	b.WriteString("</th>\n    <td>")
	s := t.Support
	if s.Phone != "" {
		writeTelLink(b, s.Phone)
		b.WriteString("<br>")
	}
	if s.Email != "" {
		writeMailtoLink(b, s.Email)
		b.WriteString("<br>")
	}
	if s.Portal != "" {
		b.WriteString(`<a href="`)
		writeURL(b, s.Portal)
		b.WriteString(`">Support portal</a><br>`)
	}
	if s.Hours != "" {
		b.WriteString(`<span class="muted">`)
		writeText(b, s.Hours)
		b.WriteString(`</span>`)
	}
	b.WriteString("\n      ")
	for _, c := range t.Contacts {
		b.WriteString("<br>")
		writeText(b, c.Name)
		writeAfter(b, ", ", c.Role)
		if c.Phone != "" {
			b.WriteString(" · ")
			writeTelLink(b, c.Phone)
		}
		if c.Email != "" {
			b.WriteString(" · ")
			writeMailtoLink(b, c.Email)
		}
	}
	b.WriteString("</td>\n    <td>")
	for _, c := range v.Clients {
		b.WriteString(`<a href="`)
		p.writeLink(b, c.URL)
		b.WriteString(`">`)
		writeText(b, c.Title())
		b.WriteString(`</a><br>`)
	}
	b.WriteString("</td>\n    <td>")
	if len(v.Dependents) == 0 {
		b.WriteString(`<span class="muted">Nothing recorded</span>`)
	} else {
		b.WriteString(`<ul class="compact">`)
		for _, e := range v.Dependents {
			b.WriteString("<li>")
			p.writeRef(b, e)
			b.WriteString("</li>")
		}
		if v.MoreDependents != 0 {
			b.WriteString(`<li class="muted">and `)
			b.WriteString(strconv.Itoa(v.MoreDependents))
			b.WriteString(` more: see the vendor's page</li>`)
		}
		b.WriteString("</ul>")
	}
	b.WriteString("</td>\n  </tr>")
}

// writeTelLink writes `<a href="{{tel .}}">{{.}}</a>` for the phone number
// s: the link is empty when s has too few digits to call.
func writeTelLink(b *bytes.Buffer, s string) {
	b.WriteString(`<a href="`)
	normalizeURL(b, string(telURL(s)))
	b.WriteString(`">`)
	writeText(b, s)
	b.WriteString(`</a>`)
}

// writeMailtoLink writes `<a href="{{mailto .}}">{{.}}</a>` for the email
// address s: the link is empty when s has no @.
func writeMailtoLink(b *bytes.Buffer, s string) {
	b.WriteString(`<a href="`)
	if strings.Contains(s, "@") {
		writeURL(b, "mailto:"+s)
	}
	b.WriteString(`">`)
	writeText(b, s)
	b.WriteString(`</a>`)
}
