package site

import (
	"bytes"
	"fmt"
	"html/template"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/handover-dev/handover/generator/model"
)

// Field is one field of an entity prepared for display: a label and one of
// the value forms below. Lists and objects nest.
type Field struct {
	Label      string
	Text       string       // plain text
	Href       template.URL // with Text: a link, only ever https, http, mailto or a tel: built from digits
	Ref        *Entity      // a resolved reference
	Markdown   string       // Markdown source, rendered by the page
	Date       string       // YYYY-MM-DD
	Credential string       // a vault reference
	List       []Field
	Fields     []Field
}

// shownElsewhere are the fields every page shows in its header or its own
// sections, so the generic field list leaves them out.
var shownElsewhere = map[string]bool{
	"kind": true, "id": true, "name": true, "title": true, "description": true, "notes": true,
	"tags": true, "links": true, "reviewed": true, "reviewedBy": true, "owner": true,
}

var markdownFields = map[string]bool{"description": true, "notes": true, "summary": true, "escalation": true}

var dateFields = map[string]bool{"reviewed": true, "eol": true, "expires": true, "renewal": true, "start": true,
	"lastRestoreTest": true, "lastTested": true}

// labels whose humanised form reads badly.
var labels = map[string]string{
	"rto": "RTO", "rpo": "RPO", "sla": "SLA", "os": "Operating system", "eol": "End of life", "id": "ID",
	"accountId": "Account ID", "baseURL": "Base URL", "dependsOn": "Depends on", "runsOn": "Runs on",
	"appliesTo": "Applies to", "alertsTo": "Alerts to", "lastRestoreTest": "Last restore test",
	"escalationOrder": "Escalation order", "autoRenew": "Renews automatically",
}

// Label turns a field name into a label: lastRestoreTest → Last restore test.
func Label(key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	// Every page labels the same few dozen field names: each is made once.
	if l, ok := madeLabels.Load(key); ok {
		return l.(string)
	}
	l := makeLabel(key)
	madeLabels.Store(key, l)
	return l
}

// madeLabels remembers what Label made (a pure function of the name).
var madeLabels sync.Map

func makeLabel(key string) string {
	var b strings.Builder
	for i, r := range key {
		switch {
		case i == 0:
			b.WriteRune(unicode.ToUpper(r))
		case unicode.IsUpper(r):
			b.WriteByte(' ')
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// fields prepares every field of e that the page does not show elsewhere,
// in schema-independent but stable order: the order of the YAML source,
// so fields appear as the consultant wrote them.
func (m *siteModel) fields(e *Entity) []Field {
	// Sized for the fields shown: about half of a document's top-level
	// fields are shown elsewhere, and a Field is large (192 bytes).
	n := 0
	for _, f := range e.Doc.Value {
		if !shownElsewhere[f.Key] && f.Value != nil {
			n++
		}
	}
	return m.object(e, e.Doc.Fields(), n, "", true)
}

// object prepares the n fields of a mapping: at the top of a document in
// source order, below it sorted by key.
func (m *siteModel) object(e *Entity, fields iter.Seq[model.Member], n int, prefix string, top bool) []Field {
	var out []Field // nil when empty: writeValue shows no list then
	for f := range fields {
		if top && shownElsewhere[f.Key] {
			continue
		}
		if f.Value == nil {
			continue
		}
		if out == nil {
			out = make([]Field, 0, n)
		}
		field := m.value(e, f.Key, f.Value, joinPath(prefix, f.Key))
		field.Label = Label(f.Key)
		out = append(out, field)
	}
	return out
}

func joinPath(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

// refLeaves are the last names of the paths that hold references
// (dependsOn, via, …): a field of another name needs no isRefField, nor
// its dotted path made.
var refLeaves = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range model.RefFields {
		p := strings.TrimSuffix(f.Path, "[]")
		m[p[strings.LastIndexByte(p, '.')+1:]] = true
	}
	return m
}()

// isRefField reports whether a dotted path of e's kind holds references.
func isRefField(k model.Kind, p string) bool {
	for _, f := range model.RefFields {
		if f.Kind == k && strings.TrimSuffix(f.Path, "[]") == p {
			return true
		}
	}
	return false
}

func (m *siteModel) value(e *Entity, key string, v any, p string) Field {
	switch v := v.(type) {
	case model.Object:
		return Field{Fields: m.object(e, slices.Values(v), len(v), p, false)}
	case []any:
		var items []Field // nil when empty, as for an object
		if len(v) > 0 {
			items = make([]Field, 0, len(v))
		}
		for _, it := range v {
			items = append(items, m.value(e, key, it, p))
		}
		return Field{List: items}
	case bool:
		if v {
			return Field{Text: "Yes"}
		}
		return Field{Text: "No"}
	case int64:
		return Field{Text: strconv.FormatInt(v, 10)}
	case float64:
		return Field{Text: strconv.FormatFloat(v, 'f', -1, 64)}
	case string:
		return m.text(e, key, v, p)
	}
	return Field{Text: fmt.Sprint(v)}
}

func (m *siteModel) text(e *Entity, key, s, p string) Field {
	switch {
	case isRefField(e.Kind(), p):
		if to := m.lookupRef(e, s); to != nil {
			return Field{Ref: to}
		}
		return Field{Text: s}
	case key == "credential":
		return Field{Credential: s}
	case markdownFields[key]:
		return Field{Markdown: s}
	case dateFields[key]:
		return Field{Date: s}
	case key == "email" && strings.Contains(s, "@"):
		return Field{Text: s, Href: template.URL("mailto:" + s)}
	case key == "phone":
		return Field{Text: s, Href: telURL(s)}
	case (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\n"):
		return Field{Text: s, Href: template.URL(s)}
	}
	return Field{Text: s}
}

// telURL keeps the digits and a leading + of a phone number written for
// people ("+44 161 496 0750 (24x7)").
func telURL(s string) template.URL {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsDigit(r) || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
		if r == '(' || r == ',' || r == ';' {
			break
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String()) // digits and + only: safe
}

// writeEntityFields writes what writeFields writes of e's fields (Fields),
// straight from its document, without the Field tree: the pages written
// in Go list every entity's fields, twice (its page and its client's
// pack), and the trees were the largest allocation of the render (175 MB
// at 50k entities). It reports false, having written nothing, when there
// is no field to show. TestEntityFieldsAreFields compares the two.
func (p *Page) writeEntityFields(b *bytes.Buffer, e *Entity) bool {
	if !slices.ContainsFunc(e.Doc.Value, func(f model.Member) bool { return f.Value != nil && !shownElsewhere[f.Key] }) {
		return false
	}
	p.writeMembers(b, e, e.Doc.Fields(), "", true)
	return true
}

// writeMembers writes the fields of a mapping as writeFields writes
// object's: at the top of a document, leaving out those shownElsewhere.
func (p *Page) writeMembers(b *bytes.Buffer, e *Entity, fields iter.Seq[model.Member], prefix string, top bool) {
	b.WriteString("<dl class=\"fields\">\n")
	for f := range fields {
		if f.Value == nil || (top && shownElsewhere[f.Key]) {
			continue
		}
		b.WriteString("  <div class=\"field\">\n    <dt>")
		writeEscaped(b, Label(f.Key))
		b.WriteString("</dt>\n    <dd>")
		p.writeMemberValue(b, e, f.Key, f.Value, prefix)
		b.WriteString("</dd>\n  </div>\n")
	}
	b.WriteString("</dl>")
}

// writeMemberValue writes what writeValue writes of value(e, key, v,
// joinPath(prefix, key)).
func (p *Page) writeMemberValue(b *bytes.Buffer, e *Entity, key string, v any, prefix string) {
	switch v := v.(type) {
	case model.Object:
		// An object of nothing but nulls is a Field of no fields: nothing.
		if slices.ContainsFunc(v, func(f model.Member) bool { return f.Value != nil }) {
			p.writeMembers(b, e, slices.Values(v), joinPath(prefix, key), false)
		}
	case []any:
		if len(v) == 0 {
			return
		}
		b.WriteString(`<ul class="value-list">`)
		for _, it := range v {
			b.WriteString("<li>")
			p.writeMemberValue(b, e, key, it, prefix)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	case bool:
		if v {
			b.WriteString("Yes")
		} else {
			b.WriteString("No")
		}
	case int64:
		b.Write(strconv.AppendInt(b.AvailableBuffer(), v, 10))
	case float64:
		b.Write(strconv.AppendFloat(b.AvailableBuffer(), v, 'f', -1, 64))
	case string:
		p.writeMemberText(b, e, key, v, prefix)
	default:
		writeEscaped(b, fmt.Sprint(v))
	}
}

// writeMemberText writes what writeValue writes of text(e, key, s, …).
func (p *Page) writeMemberText(b *bytes.Buffer, e *Entity, key, s, prefix string) {
	if s == "" {
		return // every kind of text Field writes nothing then
	}
	switch {
	case refLeaves[key] && isRefField(e.Kind(), joinPath(prefix, key)):
		if to := p.r.m.lookupRef(e, s); to != nil {
			p.writeRef(b, to)
			return
		}
	case key == "credential":
		writeCredentialValue(b, s)
		return
	case markdownFields[key]:
		p.writeMarkdownValue(b, s)
		return
	case dateFields[key]:
		writeDateValue(b, s)
		return
	case key == "email" && strings.Contains(s, "@"):
		writeHref(b, "mailto:"+s, s)
		return
	case key == "phone":
		if tel := telURL(s); tel != "" {
			writeHref(b, string(tel), s)
			return
		}
	case (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && !strings.ContainsAny(s, " \t\n"):
		writeHref(b, s, s)
		return
	}
	writeEscaped(b, s)
}
