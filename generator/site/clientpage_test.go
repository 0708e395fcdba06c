package site

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/markdown"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/synth"
	sitetemplate "github.com/handover-dev/handover/site-template"
)

// clientVariant changes a client's data the way a repository could have
// written it, to reach the optional parts of the client page and the pack.
type clientVariant struct {
	name  string
	typed func(*model.Client)
	data  func(*clientPage, *packPage)
}

// hostileClient fills every field of a client's typed view the two pages
// show with hostile text, and its contacts and escalation path with every
// shape of phone number, email address and link they link.
func hostileClient(t *model.Client) {
	t.Contacts = []model.Contact{
		{Name: "Last " + hostile, Role: hostile, Phone: "+44 (0)20 7946 0001 " + hostile, Email: "a+b@example.com" + hostile, Hours: hostile, Notes: hostile},
		{Name: "First", EscalationOrder: 1, Phone: "n/a", Email: "not an address " + hostile, Notes: "no hours " + hostile},
		{Name: "Second", EscalationOrder: 2, Phone: "12", Email: "x@y.z" + ascii, Hours: "9–5"},
		{Name: "Unordered " + hostile, Phone: "+1-555-0100; ext 4", Email: `"quoted"@example.com`},
	}
	t.Escalation = fresh(t.Escalation, 3)
	t.Escalation[0].Who, t.Escalation[0].After, t.Escalation[0].Channel = hostile, hostile, hostile
	t.Escalation[0].Contact = `call +44 161 496 0750 or mail help@example.com, see https://example.com/a"b?q=1+2&r=<x> ` + hostile
	t.Escalation[1].Who, t.Escalation[1].Contact = "Nobody", "javascript:alert(1) http://x.example/%zz%41 \x00"
	t.Escalation[2].Who = "Silent"
	t.SLA.Name, t.SLA.Hours = "", hostile
	t.SLA.Severities = fresh(t.SLA.Severities, 1)
	sev := &t.SLA.Severities[0]
	sev.Level, sev.Definition, sev.Response, sev.Resolution = hostile, hostile, hostile, hostile
	t.Business.Summary = "**Bold** " + hostile
	t.Business.Industry, t.Business.BusinessHours, t.Business.Timezone = hostile, hostile, ""
	t.Business.CriticalPeriods = fresh(t.Business.CriticalPeriods, 2)
	cp := &t.Business.CriticalPeriods[0]
	cp.Name, cp.When, cp.Notes = hostile, hostile, "[link](javascript:alert(1)) "+hostile
	t.Business.CriticalPeriods[1].Name = "Quiet"
	t.Contract.Type, t.Contract.Start, t.Contract.Renewal, t.Contract.NoticePeriod = "fixedTerm"+hostile, hostile, "", hostile
}

// ascii is every byte below 0x80, for escapers that treat bytes one by
// one.
var ascii = func() string {
	var b strings.Builder
	for c := range 0x80 {
		b.WriteByte(byte(c))
	}
	return b.String()
}()

// fresh is a new slice of n zero elements of s's type, which the model
// leaves unnamed.
func fresh[S ~[]E, E any](_ S, n int) S { return make(S, n) }

// clientVariants are the shapes each client's pages are compared in.
var clientVariants = []clientVariant{
	{name: "as written"},
	{name: "hostile", typed: hostileClient, data: func(c *clientPage, p *packPage) {
		for i := range c.Expiries {
			c.Expiries[i].Date, c.Expiries[i].What = hostile, hostile
		}
		for i := range p.Credentials {
			cr := &p.Credentials[i]
			cr.Field, cr.Reference, cr.Store, cr.Grantor = hostile, "op://"+hostile, hostile, hostile
		}
		for i := range p.Runbooks {
			p.Runbooks[i].Body = "<p>raw " + hostile + "</p>"
		}
	}},
	{name: "nothing optional", typed: func(t *model.Client) { *t = model.Client{} }, data: func(c *clientPage, p *packPage) {
		c.Client.C = &model.Common{ID: c.Client.C.ID}
		c.Client.History, c.Client.Dirty = nil, false
		c.Expiries, c.SPOFs, c.Changes, c.Chart, c.Sections = nil, nil, nil, nil, nil
		p.Expiries, p.Credentials, p.Runbooks, p.Sections = nil, nil, nil, nil
	}},
	{name: "no SLA name, contract renewal only", typed: func(t *model.Client) {
		t.SLA.Name, t.SLA.Hours = "", ""
		t.Contract.Type, t.Contract.Start, t.Contract.Renewal, t.Contract.NoticePeriod = "", "2026-01-01", "2027-01-01", ""
		t.Business.CriticalPeriods = nil
	}},
	{name: "long lists", typed: func(t *model.Client) {
		for len(t.Contacts) > 0 && len(t.Contacts) < 60 {
			t.Contacts = append(t.Contacts, t.Contacts...)
		}
		for len(t.Escalation) > 0 && len(t.Escalation) < 30 {
			t.Escalation = append(t.Escalation, t.Escalation...)
		}
	}, data: func(c *clientPage, p *packPage) {
		for len(c.Expiries) > 0 && len(c.Expiries) < 200 {
			c.Expiries = append(c.Expiries, c.Expiries...)
		}
		for len(c.SPOFs) > 0 && len(c.SPOFs) < 100 {
			c.SPOFs = append(c.SPOFs, c.SPOFs...)
		}
		p.Expiries = c.Expiries
	}},
}

// decorateClients gives the clients what decorate leaves out and the
// client page shows: readiness scores on each side of the thresholds,
// gaps linked to an entity or not, and more commits than the page lists.
func decorateClients(r *renderer) {
	r.readiness.AsOf = "2026-03-10 " + hostile
	r.readiness.Clients = map[string]ClientReadiness{}
	scores := []int{100, 90, 89, 70, 69, 0}
	for i, c := range r.m.clients {
		if i%4 == 3 {
			continue // no score: no readiness section
		}
		cr := ClientReadiness{Score: scores[len(r.readiness.Clients)%len(scores)]}
		if i%4 != 2 {
			cr.Gaps = []Gap{
				{Ref: "nothing:here", Message: "Unlinked " + hostile, Fix: "Fix " + hostile, Severity: "error"},
				{Ref: c.Ref(), Message: "Linked", Severity: hostile},
			}
			for _, e := range c.Entities[:min(3, len(c.Entities))] {
				cr.Gaps = append(cr.Gaps, Gap{Ref: e.Ref(), Message: hostile, Severity: "warning"})
			}
		}
		r.readiness.Clients[c.C.ID] = cr
	}
}

// changesOf is every commit of r's entities, newest entity first, with
// the entity it changed: what attachHistory gives, for the decorated
// histories.
func changesOf(r *renderer) []Change {
	var out []Change
	for _, e := range slices.Backward(r.m.all) {
		for _, c := range e.History {
			out = append(out, Change{Commit: c, Entities: []*Entity{e}})
		}
	}
	return out
}

// clientPages lists the client overview, pack and runbook pages of r's
// model, as Render prepares them, in each variant when decorated. The
// variants change a copy of each client and its entity, so the model
// stays as it is.
func clientPages(t *testing.T, r *renderer, decorated bool) (pages []*Page, templates []string) {
	t.Helper()
	expiries := expiriesByClient(r.m.expiries())
	spofs := r.m.spofsByClient(r.m.graph.SinglePointsOfFailure())
	changes := changesOf(r)
	variants := clientVariants[:1]
	if decorated {
		variants = clientVariants
	}
	recent := recentByClient(changes, 10)
	for _, c := range r.m.clients {
		for _, v := range variants {
			typed := *c.Typed
			if v.typed != nil {
				v.typed(&typed)
			}
			ce := *c.Entity
			cc := *c
			cc.Entity, cc.Typed = &ce, &typed
			page := &Page{Path: c.URL, Title: c.Title(), Section: "clients", Client: c, from: c.Entity, Site: r.info, r: r}
			pack := &Page{Path: "clients/" + c.C.ID + "/pack.html", Title: c.Title() + " handover pack", Section: "clients", Client: c, from: c.Entity, Site: r.info, r: r}
			cx := slices.Clone(expiries[c])
			cd := clientPage{Client: &cc, Sections: sections(c), Expiries: cx, Chart: r.m.clientChart(c), SPOFs: spofs[c],
				Changes: recent[c]}
			pd, err := r.pack(pack, &cc, slices.Clone(cx))
			if err != nil {
				t.Fatal(err)
			}
			if v.data != nil {
				v.data(&cd, &pd)
			}
			page.Data, pack.Data = cd, pd
			pages, templates = append(pages, page, pack), append(templates, "client", "pack")
		}
	}
	for i, e := range r.m.all {
		if e.Kind() != model.KindRunbook {
			continue
		}
		p := &Page{Path: e.URL, Title: e.Title(), Section: "clients", Client: e.Client, from: e, Site: r.info, r: r}
		d, err := r.runbook(p, e)
		if err != nil {
			t.Fatal(err)
		}
		if decorated && i%2 == 0 {
			d.TOC = append(d.TOC, markdown.Heading{Level: 6, ID: "ü " + hostile + " %41/#?", Text: hostile},
				markdown.Heading{Level: 2, ID: ascii, Text: ascii})
		}
		if decorated && i%3 == 0 {
			d.TOC = nil
		}
		p.Data = d
		pages, templates = append(pages, p), append(templates, "runbook")
	}
	return pages, templates
}

// TestClientPagesInGo renders every client overview, pack and runbook
// page of the examples, of a synthetic portfolio and of the XSS fixtures
// both by executing the embedded templates and with their writers in Go,
// and requires the same bytes.
func TestClientPagesInGo(t *testing.T) {
	many := t.TempDir()
	if _, err := synth.Write(many, synth.Options{Clients: 8, Entities: 160, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	cases := append(inGoCases(t), inGoCase{name: "synthetic of many clients decorated", dir: many, decorate: true})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.renderer(t, decorateClients)
			pages, templates := clientPages(t, r, tc.decorate)
			seen := compareInGo(t, r, pages, templates)
			for _, tmpl := range []string{"client", "pack", "runbook"} {
				if seen[tmpl] == 0 {
					t.Errorf("no %s pages", tmpl)
				}
			}
		})
	}
}

// TestClientPagesOverride checks that a repository's override of a file
// the client, pack or runbook page is made of is executed, and that
// executing the templates and writing in Go give the same site.
func TestClientPagesOverride(t *testing.T) {
	pages := []string{"client", "pack", "runbook"}
	same, changed := fstest.MapFS{}, map[string]fstest.MapFS{}
	marker := "Overridden by the repository"
	for _, name := range pages {
		file := "pages/" + name + ".html"
		base, err := sitetemplate.FS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		same[file] = &fstest.MapFile{Data: append(bytes.Clone(base), "{{/* a copy that differs only by this comment */}}\n"...)}
		edited := bytes.Replace(base, []byte("<h1>"), []byte("<h1>"+marker+" "), 1)
		if bytes.Equal(edited, base) {
			t.Fatalf("%s has no h1 to change", file)
		}
		changed[name] = fstest.MapFS{file: {Data: edited}}
	}
	for _, name := range pages {
		file := "pages/" + name + ".html"
		for _, tc := range []struct {
			name    string
			files   fstest.MapFS
			builtin bool
		}{
			{name: "none", builtin: true},
			{name: "another page", files: fstest.MapFS{"pages/entity.html": same["pages/client.html"]}, builtin: true},
			{name: "comment", files: fstest.MapFS{file: same[file]}},
			{name: "changed", files: changed[name]},
			{name: "partials", files: fstest.MapFS{"layouts/partials.html": {Data: []byte(`{{define "summary"}}{{end}}`)}}},
			{name: "extra layout", files: fstest.MapFS{"layouts/zz.html": {Data: []byte(`{{define "summary"}}{{end}}`)}}},
		} {
			t.Run(name+" "+tc.name, func(t *testing.T) {
				var tfs fs.FS = sitetemplate.FS
				if tc.files != nil {
					tfs = Overlay(tc.files, sitetemplate.FS)
				}
				if got := builtinPage(tfs, name); got != tc.builtin {
					t.Errorf("builtinPage(%q) = %t, want %t", name, got, tc.builtin)
				}
			})
		}
	}

	render := examplesRenderer(t)
	inGo := render(fstest.MapFS{})
	sameSite(t, render(same), inGo)
	for name, page := range map[string]string{
		"client":  "clients/northwind-outfitters/index.html",
		"pack":    "clients/northwind-outfitters/pack.html",
		"runbook": "clients/harper-cole-legal/runbooks/restore-file-from-veeam.html",
	} {
		overridden := render(changed[name])
		if !strings.Contains(string(overridden.Files[page]), marker) {
			t.Errorf("%s does not show the overridden pages/%s.html", page, name)
		}
		if strings.Contains(string(inGo.Files[page]), marker) {
			t.Errorf("%s shows the override without it", page)
		}
	}
}

// TestClientPagesDecline checks that a page the templates fail on is left
// to them, so that the error a user sees is the template's.
func TestClientPagesDecline(t *testing.T) {
	r := entityRenderer(t, "../../examples")
	r.writeInGo(sitetemplate.FS)
	if r.inGo["client"] == nil || r.inGo["pack"] == nil || r.inGo["runbook"] == nil {
		t.Fatal("the embedded templates are not written in Go")
	}
	pages, templates := clientPages(t, r, false)
	var client, pack, runbook *Page
	for i, p := range pages {
		switch templates[i] {
		case "client":
			client = p
		case "pack":
			pack = p
		case "runbook":
			runbook = p
		}
	}
	notService := &Entity{Doc: &model.Document{Kind: model.KindService, ID: "odd"}, Typed: &model.Server{}, URL: "odd.html", C: &model.Common{ID: "odd"}}
	cd := client.Data.(clientPage)
	cd.SPOFs = []SPOF{{Entity: notService, Services: []*Entity{notService}}}
	client.Data = cd
	pd := pack.Data.(packPage)
	pd.Expiries = []Expiry{{Date: "2026-01-01", What: "nothing"}}
	pack.Data = pd
	runbook.Data.(runbookPage).Entity.History = []*history.Commit{{Hash: "abc", Subject: "short"}}
	for _, tc := range []struct {
		tmpl string
		page *Page
	}{{"client", client}, {"pack", pack}, {"runbook", runbook}} {
		t.Run(tc.tmpl, func(t *testing.T) {
			want := r.pages[tc.tmpl].ExecuteTemplate(io.Discard, "base", tc.page)
			if want == nil {
				t.Fatal("the template does not fail")
			}
			var buf bytes.Buffer
			buf.WriteString("before ")
			err := r.execute(&buf, tc.page, tc.tmpl)
			if err == nil || err.Error() != want.Error() {
				t.Errorf("execute: %v, want the template's error %v", err, want)
			}
			if !strings.HasPrefix(buf.String(), "before <!doctype html>") {
				t.Errorf("execute did not start the page over where it began: %.40q", buf.String())
			}
		})
	}
}

// TestRecentByClient checks the one pass over the changes against the
// plain definition: for each client, the changes that touched its
// entities, newest first, each with those entities only, at most n.
func TestRecentByClient(t *testing.T) {
	a, b, c := &Client{}, &Client{}, &Client{}
	ent := func(cl *Client) *Entity { return &Entity{Client: cl, C: &model.Common{}} }
	a1, a2, b1, c1, shared := ent(a), ent(a), ent(b), ent(c), ent(nil)
	var all []Change
	for i, es := range [][]*Entity{
		{a1, b1}, {b1, a2, a1}, {shared}, {a2}, {c1, shared, a1}, {b1}, {a1, a2}, {b1, c1},
	} {
		all = append(all, Change{Commit: &history.Commit{Hash: fmt.Sprint("c", i)}, Entities: es})
	}
	perClient := func(cl *Client, n int) []Change {
		var out []Change
		for _, ch := range all {
			var es []*Entity
			for _, e := range ch.Entities {
				if e.Client == cl {
					es = append(es, e)
				}
			}
			if len(es) > 0 && len(out) < n {
				out = append(out, Change{Commit: ch.Commit, Entities: es})
			}
		}
		return out
	}
	for _, n := range []int{1, 2, 3, 10} {
		got := recentByClient(all, n)
		for name, cl := range map[string]*Client{"a": a, "b": b, "c": c} {
			if want := perClient(cl, n); !reflect.DeepEqual(got[cl], want) {
				t.Errorf("n=%d, client %s: %d changes, want %d", n, name, len(got[cl]), len(want))
			}
		}
		if len(got) != 3 {
			t.Errorf("n=%d: changes for %d clients, want 3", n, len(got))
		}
	}
}
