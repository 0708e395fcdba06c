package site

import (
	"html/template"
	"strings"
)

// The partials that every page repeats many times (a link to an entity, a
// field list) are written here in Go rather than as templates: executing a
// template per field and per link by reflection was most of the render
// time. Every piece of text goes through template.HTMLEscapeString, every
// URL is one the site made (Page.Link) or one Field.Href accepted, so the
// output is as safe as html/template's. The template functions ref and
// fields call them; a site-template override can still call its own
// partials instead.

// RefHTML is a link to an entity's page with its kind badge.
func (p *Page) RefHTML(e *Entity) template.HTML {
	var b strings.Builder
	p.writeRef(&b, e)
	return template.HTML(b.String())
}

func (p *Page) writeRef(b *strings.Builder, e *Entity) {
	kind := strings.ToLower(string(e.Kind()))
	b.WriteString(`<a class="ref" href="`)
	b.WriteString(template.HTMLEscapeString(p.Link(e.URL)))
	b.WriteString(`"><span class="kind-badge kind-`)
	b.WriteString(kind)
	b.WriteString(`">`)
	b.WriteString(kind)
	b.WriteString(`</span> `)
	b.WriteString(template.HTMLEscapeString(e.Title()))
	b.WriteString(`</a>`)
}

// FieldsHTML is a definition list of fields, nested for objects and lists.
func (p *Page) FieldsHTML(fs []Field) template.HTML {
	var b strings.Builder
	p.writeFields(&b, fs)
	return template.HTML(b.String())
}

func (p *Page) writeFields(b *strings.Builder, fs []Field) {
	b.WriteString("<dl class=\"fields\">\n")
	for _, f := range fs {
		b.WriteString("  <div class=\"field\">\n    <dt>")
		b.WriteString(template.HTMLEscapeString(f.Label))
		b.WriteString("</dt>\n    <dd>")
		p.writeValue(b, f)
		b.WriteString("</dd>\n  </div>\n")
	}
	b.WriteString("</dl>")
}

func (p *Page) writeValue(b *strings.Builder, f Field) {
	esc := template.HTMLEscapeString
	switch {
	case f.Fields != nil:
		p.writeFields(b, f.Fields)
	case f.List != nil:
		b.WriteString(`<ul class="value-list">`)
		for _, it := range f.List {
			b.WriteString("<li>")
			p.writeValue(b, it)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	case f.Ref != nil:
		p.writeRef(b, f.Ref)
	case f.Markdown != "":
		b.WriteString(`<div class="prose">`)
		b.WriteString(string(p.Markdown(f.Markdown, nil)))
		b.WriteString(`</div>`)
	case f.Date != "":
		b.WriteString(`<time datetime="` + esc(f.Date) + `">` + esc(f.Date) + `</time>`)
	case f.Credential != "":
		b.WriteString(`<code class="credential" title="A reference to the password manager, not the secret itself">` + esc(f.Credential) + `</code>`)
	case f.Href != "":
		b.WriteString(`<a href="` + esc(string(f.Href)) + `">` + esc(f.Text) + `</a>`)
	default:
		b.WriteString(esc(f.Text))
	}
}

// ImpactRowsHTML is the rows of an entity's blast-radius table: up to
// two hundred rows of four cells on a shared vendor's page, the loop that
// cost most once the fields and links were written in Go. Rows of another
// client than the page's entity say which.
func (p *Page) ImpactRowsHTML(rows []ImpactRow, of *Entity) template.HTML {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString("<tr>\n      <td>")
		if row.Entity != nil {
			p.writeRef(&b, row.Entity)
			if c := row.Entity.Client; c != nil && c != of.Client {
				b.WriteString(` <span class="muted">(`)
				b.WriteString(template.HTMLEscapeString(c.Title()))
				b.WriteString(`)</span>`)
			}
		}
		b.WriteString("</td>\n      <td>")
		b.WriteString(template.HTMLEscapeString(row.Impact))
		b.WriteString("</td>\n      <td>")
		if s := row.Severity; s != nil {
			b.WriteString("<strong>" + template.HTMLEscapeString(s.Level) + "</strong>")
			if s.Response != "" {
				b.WriteString(" · respond " + template.HTMLEscapeString(s.Response))
			}
			if s.Resolution != "" {
				b.WriteString(" · resolve " + template.HTMLEscapeString(s.Resolution))
			}
		}
		b.WriteString("</td>\n      <td><code class=\"path\">")
		b.WriteString(template.HTMLEscapeString(row.Because))
		b.WriteString("</code></td>\n    </tr>")
	}
	return template.HTML(b.String())
}
