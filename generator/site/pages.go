package site

import (
	"html/template"
	"path"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/model"
)

// Page is what every template receives: where the page is, how to reach the
// site root from it, the site-wide facts for the frame, and the page's own
// data.
type Page struct {
	Path    string // site path, e.g. clients/acme/servers/web-01.html
	Title   string
	Section string // the navigation entry to highlight
	Site    *Info
	Client  *Client // the client this page belongs to, if any
	Data    any

	r     *renderer
	from  *Entity // resolves relative Markdown links
	spill *spill  // set while the page is written straight to its file (spillOver)
}

// Info holds what every page's frame shows.
type Info struct {
	Title       string
	Consultancy string
	Clients     []*Client
	Portfolio   *model.Portfolio
	History     *history.History // nil outside git
}

// Root is the relative path from the page to the site root ("../../").
func (p *Page) Root() string {
	return strings.Repeat("../", strings.Count(p.Path, "/"))
}

// Link makes a site path relative to the page, so the site works from
// file://, from a sub-path and on any host.
func (p *Page) Link(target string) string { return p.Root() + target }

// Markdown renders Markdown written in from's file, with links to other
// files and to kind:id references rewritten to site URLs relative to the
// page.
func (p *Page) Markdown(src string, from *Entity) template.HTML {
	if from == nil {
		from = p.from
	}
	html, err := p.r.md.Inline(src, p.links(from))
	if err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(html) // goldmark output with raw HTML dropped and unsafe URLs removed
}

func (p *Page) links(from *Entity) func(string) (string, bool) {
	return func(dest string) (string, bool) {
		if from == nil {
			return "", false
		}
		if to := p.r.m.lookupRef(from, dest); to != nil {
			return p.Link(to.URL), true
		}
		file, frag, _ := strings.Cut(dest, "#")
		if ext := path.Ext(file); ext != ".md" && ext != ".yaml" && ext != ".yml" {
			return "", false
		}
		if to := p.r.m.lookupFile(from, file); to != nil {
			if frag != "" {
				return p.Link(to.URL) + "#" + frag, true
			}
			return p.Link(to.URL), true
		}
		return "", false
	}
}

// EditURL links to the source file in the repository's web interface, when
// the portfolio names one.
func (p *Page) EditURL(e *Entity) string {
	repo := strings.TrimSuffix(p.Site.Portfolio.Site.Repository, "/")
	if repo == "" || e == nil {
		return ""
	}
	branch := p.Site.Portfolio.Site.Branch
	if branch == "" {
		branch = "main"
	}
	file := e.Doc.File
	if h := p.Site.History; h != nil && h.Prefix != "" {
		file = h.Prefix + "/" + file // the handover directory is a folder of the git repository
	}
	return repo + "/edit/" + branch + "/" + file
}

// Fields prepares e's fields for display.
func (p *Page) Fields(e *Entity) []Field { return p.r.fields.get(p.r.m, e) }

// KindSection groups entities of one kind for a listing.
type KindSection struct {
	Kind     model.Kind
	Title    string // "Servers"
	Entities []*Entity
}

// sections lists a client's entities grouped by kind, in the order of
// model.Kinds, leaving out empty kinds.
func sections(c *Client) []KindSection {
	var out []KindSection
	for _, k := range model.Kinds {
		if es := c.ByKind[k]; len(es) > 0 {
			out = append(out, KindSection{Kind: k, Title: string(k) + "s", Entities: es})
		}
	}
	return out
}

// Contacts returns a client's contacts in escalation order; those without
// an order come last, in file order.
func Contacts(cs []model.Contact) []model.Contact {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b model.Contact) int {
		oa, ob := a.EscalationOrder, b.EscalationOrder
		if oa == 0 {
			oa = 1 << 30
		}
		if ob == 0 {
			ob = 1 << 30
		}
		return oa - ob
	})
	return out
}
