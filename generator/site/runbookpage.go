package site

import (
	"bytes"
	"strconv"
)

// writeRunbookPage writes the runbook page p as layouts/*.html and
// pages/runbook.html execute it, while they are the embedded ones (see
// entitypage.go). It reports false, having written part of it, when the
// page holds a value the templates would fail on (a commit hash shorter
// than eight bytes): executing the template then gives the same error.
func (r *renderer) writeRunbookPage(b *bytes.Buffer, p *Page) bool {
	d, ok := p.Data.(runbookPage)
	if !ok || d.Entity == nil || !sliceableHistory(d.Entity) {
		return false
	}
	return p.writeBase(b, false, func() bool { p.writeRunbookContent(b, d); return true })
}

// writeRunbookContent writes the "content" template of pages/runbook.html.
func (p *Page) writeRunbookContent(b *bytes.Buffer, d runbookPage) {
	e := d.Entity
	p.writeEntityHead(b, e)
	b.WriteString("\n")
	p.writeEntityFields(b, e)
	b.WriteString("\n<div class=\"runbook-layout\">\n  ")
	if len(d.TOC) > 0 {
		b.WriteString(`<nav class="toc runbook-toc" aria-label="Steps in this runbook"><h2>Contents</h2><ol>`)
		for _, h := range d.TOC {
			b.WriteString(`<li class="toc-level-`)
			b.WriteString(strconv.Itoa(h.Level))
			b.WriteString(`"><a href="#`)
			writeFragment(b, h.ID)
			b.WriteString(`">`)
			writeText(b, h.Text)
			b.WriteString("</a></li>")
		}
		b.WriteString("</ol></nav>")
	}
	b.WriteString("\n  <article class=\"prose runbook-body\">")
	b.WriteString(string(d.Body))
	b.WriteString("</article>\n</div>\n")
	p.writeRelations(b, e)
	b.WriteString("\n")
	p.writeEntityTail(b, e)
}
