package site

import (
	"html/template"
	"io"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// The partials that every page repeats many times (a link to an entity, a
// field list) are written here in Go rather than as templates: executing a
// template per field and per link by reflection was most of the render
// time. Every piece of text goes through writeEscaped (as
// template.HTMLEscapeString escapes), every URL is one the site made
// (Page.Link) or one Field.Href accepted, so the output is as safe as
// html/template's. The template functions ref and fields call them; a
// site-template override can still call its own partials instead. They
// write to an io.StringWriter: a strings.Builder for the template
// functions, whose string is then not copied, and the page's own buffer
// for the entity page written in Go (entitypage.go).

// RefHTML is a link to an entity's page with its kind badge.
func (p *Page) RefHTML(e *Entity) template.HTML {
	var b strings.Builder
	p.writeRef(&b, e)
	return template.HTML(b.String())
}

func (p *Page) writeRef(b io.StringWriter, e *Entity) {
	kind := kindName(e.Kind())
	b.WriteString(`<a class="ref" href="`)
	p.writeRoot(b)
	writeEscaped(b, e.URL)
	b.WriteString(`"><span class="kind-badge kind-`)
	b.WriteString(kind)
	b.WriteString(`">`)
	b.WriteString(kind)
	b.WriteString(`</span> `)
	writeEscaped(b, e.Title())
	b.WriteString(`</a>`)
}

// writeRoot writes p.Root(), which needs no escaping, without building it.
func (p *Page) writeRoot(b io.StringWriter) {
	for range strings.Count(p.Path, "/") {
		b.WriteString("../")
	}
}

// kindNames are the lower-case names of the kinds, looked up rather than
// lowered on every link.
var kindNames = func() map[model.Kind]string {
	m := make(map[model.Kind]string, len(model.Kinds))
	for _, k := range model.Kinds {
		m[k] = strings.ToLower(string(k))
	}
	return m
}()

// kindName is the lower-case name of a kind, as the kindName template
// function gives it.
func kindName(k model.Kind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return strings.ToLower(string(k))
}

// FieldsHTML is a definition list of fields, nested for objects and lists.
func (p *Page) FieldsHTML(fs []Field) template.HTML {
	var b strings.Builder
	p.writeFields(&b, fs)
	return template.HTML(b.String())
}

func (p *Page) writeFields(b io.StringWriter, fs []Field) {
	b.WriteString("<dl class=\"fields\">\n")
	for _, f := range fs {
		b.WriteString("  <div class=\"field\">\n    <dt>")
		writeEscaped(b, f.Label)
		b.WriteString("</dt>\n    <dd>")
		p.writeValue(b, f)
		b.WriteString("</dd>\n  </div>\n")
	}
	b.WriteString("</dl>")
}

func (p *Page) writeValue(b io.StringWriter, f Field) {
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
		p.writeMarkdownValue(b, f.Markdown)
	case f.Date != "":
		writeDateValue(b, f.Date)
	case f.Credential != "":
		writeCredentialValue(b, f.Credential)
	case f.Href != "":
		writeHref(b, string(f.Href), f.Text)
	default:
		writeEscaped(b, f.Text)
	}
}

// The forms of a field's text that writeValue and writeMemberText share.

func (p *Page) writeMarkdownValue(b io.StringWriter, s string) {
	b.WriteString(`<div class="prose">`)
	b.WriteString(string(p.Markdown(s, nil)))
	b.WriteString(`</div>`)
}

func writeDateValue(b io.StringWriter, s string) {
	b.WriteString(`<time datetime="`)
	writeEscaped(b, s)
	b.WriteString(`">`)
	writeEscaped(b, s)
	b.WriteString(`</time>`)
}

func writeCredentialValue(b io.StringWriter, s string) {
	b.WriteString(`<code class="credential" title="A reference to the password manager, not the secret itself">`)
	writeEscaped(b, s)
	b.WriteString(`</code>`)
}

// writeHref writes text linked to href.
func writeHref(b io.StringWriter, href, text string) {
	b.WriteString(`<a href="`)
	writeEscaped(b, href)
	b.WriteString(`">`)
	writeEscaped(b, text)
	b.WriteString(`</a>`)
}

// ImpactRowsHTML is the rows of an entity's blast-radius table: up to
// two hundred rows of four cells on a shared vendor's page, the loop that
// cost most once the fields and links were written in Go. Rows of another
// client than the page's entity say which.
func (p *Page) ImpactRowsHTML(rows []ImpactRow, of *Entity) template.HTML {
	var b strings.Builder
	p.writeImpactRows(&b, rows, of)
	return template.HTML(b.String())
}

func (p *Page) writeImpactRows(b io.StringWriter, rows []ImpactRow, of *Entity) {
	for _, row := range rows {
		b.WriteString("<tr>\n      <td>")
		if row.Entity != nil {
			p.writeRef(b, row.Entity)
			if c := row.Entity.Client; c != nil && c != of.Client {
				b.WriteString(` <span class="muted">(`)
				writeEscaped(b, c.Title())
				b.WriteString(`)</span>`)
			}
		}
		b.WriteString("</td>\n      <td>")
		writeEscaped(b, row.Impact)
		b.WriteString("</td>\n      <td>")
		if s := row.Severity; s != nil {
			b.WriteString("<strong>")
			writeEscaped(b, s.Level)
			b.WriteString("</strong>")
			if s.Response != "" {
				b.WriteString(" · respond ")
				writeEscaped(b, s.Response)
			}
			if s.Resolution != "" {
				b.WriteString(" · resolve ")
				writeEscaped(b, s.Resolution)
			}
		}
		b.WriteString("</td>\n      <td><code class=\"path\">")
		first := true
		row.report.EachBecause(row.index, func(label string) {
			if !first {
				b.WriteString(" → ")
			}
			first = false
			writeEscaped(b, label)
		})
		b.WriteString("</code></td>\n    </tr>")
	}
}

// writeEscaped writes s escaped as template.HTMLEscapeString escapes it,
// without building the escaped string.
func writeEscaped(b io.StringWriter, s string) { escapeOnto(b, s, false) }

// escapeOnto writes s with NUL and the characters HTML gives a meaning
// replaced, and '+' too when plus is set: html/template escapes it in text
// and attributes (against UTF-7 sniffing), template.HTMLEscapeString does
// not. Most of a page's text goes through it: it looks each byte up in a
// table, twice as fast as a switch over the seven.
func escapeOnto(b io.StringWriter, s string, plus bool) {
	mask := escapeAlways
	if plus {
		mask |= escapePlus
	}
	last := 0
	for i := 0; i < len(s); i++ {
		if escapeClass[s[i]]&mask == 0 {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(escapes[s[i]])
		last = i + 1
	}
	b.WriteString(s[last:])
}

// The classes of escapeClass: bytes escaped always, and '+'.
const (
	escapeAlways uint8 = 1 << iota
	escapePlus
)

// escapeClass says which bytes escapeOnto replaces, escapes with what.
var (
	escapeClass = [256]uint8{0: escapeAlways, '"': escapeAlways, '\'': escapeAlways, '&': escapeAlways,
		'<': escapeAlways, '>': escapeAlways, '+': escapePlus}
	escapes = [256]string{0: "\uFFFD", '"': "&#34;", '\'': "&#39;", '&': "&amp;", '<': "&lt;", '>': "&gt;", '+': "&#43;"}
)
