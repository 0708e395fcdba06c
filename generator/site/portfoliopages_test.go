package site

import (
	"bufio"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/synth"
	sitetemplate "github.com/handover-dev/handover/site-template"
)

// portfolioPages are the vendor directory and the expiry calendar of r's
// model, as Render prepares them; decorated, with what a real portfolio
// rarely holds: vendors with hostile support details and contacts, long
// and empty dependent lists, a page without a chart, no expiries at all.
func portfolioPages(r *renderer, decorated bool) (pages []*Page, templates []string) {
	vendors, xs := r.vendorDirectory(), r.m.expiries()
	if decorated {
		for i := range vendors {
			v := &vendors[i]
			t := *v.Vendor.Typed.(*model.Vendor)
			switch i % 4 {
			case 0:
				t.Category, t.Support.Phone, t.Support.Email = hostile, "+44 (0) 161 496 0750 "+hostile, "support+"+hostile+"@example.com"
				t.Support.Portal, t.Support.Hours = "javascript:alert(1)", hostile
				t.Contacts = []model.Contact{{Name: hostile, Role: hostile, Phone: "12", Email: "no-at-sign " + hostile},
					{Name: "Ann", Phone: "+1 555 0100", Email: "ann@example.com"}}
			case 1:
				t.Category, t.Support = "", struct {
					Phone  string `json:"phone"`
					Email  string `json:"email"`
					Portal string `json:"portal"`
					Hours  string `json:"hours"`
					SLA    string `json:"sla"`
				}{Portal: "HTTPS://example.com/a b?q=1+2&r=<x>"}
				t.Contacts = nil
			case 2:
				v.Dependents, v.MoreDependents = nil, 0
			case 3:
				v.MoreDependents = 7
			}
			e := *v.Vendor
			e.Typed = &t
			v.Vendor = &e
		}
	}
	conc := r.m.concentration()
	vp := vendorsPage{Vendors: vendors, Concentration: conc, Chart: concentrationChart(conc)}
	pages = append(pages,
		&Page{Path: "vendors/index.html", Title: "Vendors", Section: "vendors", Data: vp, Site: r.info, r: r},
		&Page{Path: "expiries.html", Title: "Expiry calendar", Section: "expiries", Data: xs, Site: r.info, r: r})
	templates = append(templates, "vendors", "expiries")
	if decorated {
		vp.Chart = nil
		pages = append(pages,
			&Page{Path: "vendors/index.html", Title: hostile, Section: "vendors", Data: vp, Site: r.info, r: r},
			&Page{Path: "expiries.html", Title: "Expiry calendar", Section: "expiries", Data: []Expiry(nil), Site: r.info, r: r})
		templates = append(templates, "vendors", "expiries")
	}
	return pages, templates
}

// TestPortfolioPagesInGo renders the vendor directory and the expiry
// calendar of the examples, of a synthetic portfolio and of the XSS
// fixtures both by executing the embedded templates and with their
// writers in Go, and requires the same bytes.
func TestPortfolioPagesInGo(t *testing.T) {
	for _, tc := range inGoCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.renderer(t)
			pages, templates := portfolioPages(r, tc.decorate)
			seen := compareInGo(t, r, pages, templates)
			if seen["vendors"] == 0 || seen["expiries"] == 0 {
				t.Errorf("pages compared: %v", seen)
			}
		})
	}
}

// TestPortfolioPagesDecline checks that a vendor directory or expiry
// calendar the template fails on is left to it, before a byte is written.
func TestPortfolioPagesDecline(t *testing.T) {
	r := entityRenderer(t, "../../examples")
	pages, _ := portfolioPages(r, false)
	vendors, expiries := pages[0], pages[1]
	vp := vendors.Data.(vendorsPage)
	xs := expiries.Data.([]Expiry)
	if len(vp.Vendors) == 0 || len(vp.Concentration) == 0 || len(xs) == 0 {
		t.Fatal("the examples have no vendors or expiries")
	}
	server := &Entity{Typed: &model.Server{}}
	for _, tc := range []struct {
		name string
		page *Page
		tmpl string
		data any
	}{
		{"vendor missing", vendors, "vendors", func() any {
			d := vp
			d.Vendors = append(slices.Clone(vp.Vendors), VendorEntry{})
			return d
		}()},
		{"vendor not typed as one", vendors, "vendors", func() any {
			d := vp
			d.Vendors = append(slices.Clone(vp.Vendors), VendorEntry{Vendor: server})
			return d
		}()},
		{"client missing", vendors, "vendors", func() any {
			d := vp
			d.Vendors = slices.Clone(vp.Vendors)
			d.Vendors[len(d.Vendors)-1].Clients = []*Client{nil}
			return d
		}()},
		{"dependent missing", vendors, "vendors", func() any {
			d := vp
			d.Vendors = slices.Clone(vp.Vendors)
			d.Vendors[len(d.Vendors)-1].Dependents = []*Entity{nil}
			return d
		}()},
		{"ranked vendor missing", vendors, "vendors", func() any {
			d := vp
			d.Concentration = append(slices.Clone(vp.Concentration), Concentration{})
			return d
		}()},
		{"expiry without entity", expiries, "expiries", append(slices.Clone(xs), Expiry{Date: "2030-01-01"})},
		{"expiry of a client without entity", expiries, "expiries", append(slices.Clone(xs), Expiry{Date: "2030-01-01", Entity: &Entity{Client: &Client{}}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := *tc.page
			p.Data = tc.data
			var tmpl bytes.Buffer
			if err := r.pages[tc.tmpl].ExecuteTemplate(&tmpl, "base", &p); err == nil {
				t.Fatal("the template does not fail on the page: the case tests nothing")
			}
			var b bytes.Buffer
			if goWriters[tc.tmpl](r, &b, &p) {
				t.Error("the writer wrote a page the template fails on")
			}
			if b.Len() > 0 {
				t.Errorf("the writer wrote %d bytes before declining: a streamed page would be on its way", b.Len())
			}
		})
	}
}

// TestStreamSpills checks how a page too large to hold whole is written:
// by its Go writer a chunk at a time, the same bytes as Render gives; by
// its template when there is no writer; and again from its start by its
// template when the writer declines it half way.
func TestStreamSpills(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Options{Clients: 4, Entities: 2000, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	r := entityRenderer(t, dir)
	r.writeInGo(sitetemplate.FS)
	pages, templates := portfolioPages(r, false)

	// files is a site written with Stream: each call starts its file anew.
	files := map[string]*bytes.Buffer{}
	writes := map[string]int{}
	stream := func(path string, fill func(*bufio.Writer) error) error {
		f := &bytes.Buffer{}
		files[path] = f
		w := bufio.NewWriterSize(countWrites{f, writes, path}, 4096)
		if err := fill(w); err != nil {
			return err
		}
		return w.Flush()
	}
	for i, p := range pages {
		var want bytes.Buffer
		if err := r.pages[templates[i]].ExecuteTemplate(&want, "base", p); err != nil {
			t.Fatal(err)
		}
		if want.Len() < 3*spillAt {
			t.Fatalf("%s is %d bytes: too small to spill", p.Path, want.Len())
		}
		var buf bytes.Buffer
		var terr error
		if err := r.stream(stream, &buf, job{page: p, template: templates[i]}, &terr); err != nil || terr != nil {
			t.Fatal(err, terr)
		}
		if !bytes.Equal(files[p.Path].Bytes(), want.Bytes()) {
			t.Errorf("%s streamed differs from the template's", p.Path)
		}
		if writes[p.Path] < 3 {
			t.Errorf("%s went to its file in %d writes: it was held whole", p.Path, writes[p.Path])
		}
		if buf.Cap() > 4*spillAt {
			t.Errorf("%s: the buffer grew to %d bytes", p.Path, buf.Cap())
		}
		if p.spill != nil {
			t.Errorf("%s: the page still spills after it is written", p.Path)
		}
	}

	// A writer that declines after spilling: the template writes the file again.
	vendors := pages[0]
	var want bytes.Buffer
	if err := r.pages["vendors"].ExecuteTemplate(&want, "base", vendors); err != nil {
		t.Fatal(err)
	}
	r.inGo["vendors"] = func(r *renderer, b *bytes.Buffer, p *Page) bool {
		for range 4 * spillAt / 16 {
			b.WriteString("half a page ....")
			p.spillOver(b)
		}
		return false
	}
	var buf bytes.Buffer
	var terr error
	if err := r.stream(stream, &buf, job{page: vendors, template: "vendors"}, &terr); err != nil || terr != nil {
		t.Fatal(err, terr)
	}
	if !bytes.Equal(files[vendors.Path].Bytes(), want.Bytes()) {
		t.Errorf("a declined page is not the template's: %q…", files[vendors.Path].Bytes()[:min(64, files[vendors.Path].Len())])
	}

	// A file that cannot be written: the error comes back.
	r.writeInGo(sitetemplate.FS)
	full := errors.New("disk full")
	failing := func(path string, fill func(*bufio.Writer) error) error {
		return fill(bufio.NewWriterSize(failWriter{full}, 16))
	}
	if err := r.stream(failing, &buf, job{page: pages[1], template: "expiries"}, &terr); !errors.Is(err, full) {
		t.Errorf("stream into a full disk: %v, want %v", err, full)
	}
}

// countWrites counts the writes into each file of a streamed site.
type countWrites struct {
	w      *bytes.Buffer
	writes map[string]int
	path   string
}

func (c countWrites) Write(p []byte) (int, error) {
	c.writes[c.path]++
	return c.w.Write(p)
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

// TestPortfolioPagesOverride checks that a repository's override of the
// vendor directory or the expiry calendar is executed.
func TestPortfolioPagesOverride(t *testing.T) {
	render := examplesRenderer(t)
	inGo := render(fstest.MapFS{})
	for name, page := range map[string]string{"vendors": "vendors/index.html", "expiries": "expiries.html"} {
		file := "pages/" + name + ".html"
		base, err := sitetemplate.FS.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		marker := "Overridden by the repository"
		changed := bytes.Replace(base, []byte("<h1>"), []byte("<h1>"+marker+" "), 1)
		if bytes.Equal(changed, base) {
			t.Fatalf("%s has no h1 to change", file)
		}
		same := append(bytes.Clone(base), "{{/* a copy that differs only by this comment */}}\n"...)
		sameSite(t, render(fstest.MapFS{file: {Data: same}}), inGo)
		if got := string(render(fstest.MapFS{file: {Data: changed}}).Files[page]); !strings.Contains(got, marker) {
			t.Errorf("%s does not show the overridden %s", page, file)
		}
		if strings.Contains(string(inGo.Files[page]), marker) {
			t.Errorf("%s shows the override without it", page)
		}
	}
}
