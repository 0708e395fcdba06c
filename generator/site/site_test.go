package site_test

import (
	"bytes"
	"flag"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/site"
	"github.com/handover-dev/handover/internal/testutil"
	sitetemplate "github.com/handover-dev/handover/site-template"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

const examples = "../../examples"

// render runs the pipeline up to rendering, in memory.
func render(t testing.TB, dir string) *site.Site {
	t.Helper()
	m, diags, err := generator.Validate(dir, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diag.HasErrors(diags, false) {
		t.Fatalf("%s does not validate: %v", dir, diags)
	}
	s, ds, err := site.Render(m.Repo, m.Index, m.Graph, site.Options{Template: sitetemplate.FS})
	if err != nil || len(ds) > 0 {
		t.Fatalf("render: %v %v", err, ds)
	}
	return s
}

func TestDeterministic(t *testing.T) {
	a, b := render(t, examples), render(t, examples)
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files, then %d", len(a.Files), len(b.Files))
	}
	for p, content := range a.Files {
		if !bytes.Equal(content, b.Files[p]) {
			t.Errorf("%s differs between two renders", p)
		}
	}
}

// TestPagesOfExamples checks that every page a successor needs exists.
func TestPagesOfExamples(t *testing.T) {
	s := render(t, examples)
	for _, p := range []string{
		"index.html", "vendors/index.html", "expiries.html", "expiries.ics", "search.html",
		"assets/search-index.js", "assets/style.css", "assets/app.js", "assets/vendor/minisearch/minisearch.js",
		"assets/vendor/minisearch/LICENSE.txt", site.Marker,
		"clients/northwind-outfitters/index.html", "clients/northwind-outfitters/pack.html",
		"clients/northwind-outfitters/model.json", "clients/northwind-outfitters/servers/web-01.html",
		"clients/northwind-outfitters/integrations/stripe-payments.html",
		"clients/brightsmile-dental/runbooks/restart-pms-database.html",
		"vendors/cloudflare.html",
	} {
		if _, ok := s.Files[p]; !ok {
			t.Errorf("site has no %s", p)
		}
	}
	if s.Pages < 80 {
		t.Errorf("only %d pages for 80 entities", s.Pages)
	}
}

var (
	attrRe = regexp.MustCompile(`(?i)\s(href|src)="([^"]*)"`)
	idRe   = regexp.MustCompile(`\sid="([^"]*)"`)
)

// TestLinksResolve follows every relative href and src of every page: the
// file must exist and the #fragment must be an id on the target page.
func TestLinksResolve(t *testing.T) {
	s := render(t, examples)
	ids := map[string]map[string]bool{}
	for p, b := range s.Files {
		if strings.HasSuffix(p, ".html") {
			ids[p] = map[string]bool{}
			for _, m := range idRe.FindAllSubmatch(b, -1) {
				ids[p][string(m[1])] = true
			}
		}
	}
	checked := 0
	for p, b := range s.Files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, m := range attrRe.FindAllSubmatch(b, -1) {
			link := strings.ReplaceAll(string(m[2]), "&amp;", "&")
			if link == "" || strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") || strings.HasPrefix(link, "tel:") {
				continue
			}
			target, frag, _ := strings.Cut(link, "#")
			target, _, _ = strings.Cut(target, "?")
			resolved := p
			if target != "" {
				resolved = path.Clean(path.Join(path.Dir(p), target))
			}
			if _, ok := s.Files[resolved]; !ok {
				t.Errorf("%s links to %s, which does not exist", p, link)
				continue
			}
			if frag != "" && !ids[resolved][frag] {
				t.Errorf("%s links to %s, which has no id %q", p, resolved, frag)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Errorf("only %d links checked", checked)
	}
}

// TestXSSInert renders a repository whose every text field holds an attack
// and parses each page as a browser would: no element or attribute that
// runs script, no link or source with a dangerous scheme, no external
// source, and only our own script tags.
func TestXSSInert(t *testing.T) {
	s := render(t, filepath.Join("testdata", "xss"))
	ownScript := regexp.MustCompile(`^(\.\./)*assets/[a-z/.-]+\.js$`)
	for p, b := range s.Files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		for _, problem := range testutil.LiveMarkup(b, ownScript) {
			t.Errorf("%s: %s", p, problem)
		}
	}
	// The attacks must still be visible as text, escaped: nothing is lost.
	if !bytes.Contains(s.Files["vendors/evil.html"], []byte("&lt;img src=x onerror=alert(&#39;vendor&#39;)&gt;")) {
		t.Errorf("the vendor's hostile name is not shown escaped")
	}
}

var styleAttr = regexp.MustCompile(`\sstyle="`)

// TestCSPOnEveryPage checks that each page carries the policy that blocks
// inline script and style.
func TestCSPOnEveryPage(t *testing.T) {
	s := render(t, examples)
	for p, b := range s.Files {
		if strings.HasSuffix(p, ".html") && !bytes.Contains(b, []byte(`<meta http-equiv="Content-Security-Policy" content="default-src 'self';`)) {
			t.Errorf("%s has no Content-Security-Policy", p)
		}
		if strings.HasSuffix(p, ".html") && styleAttr.Match(b) {
			t.Errorf("%s has a style attribute, which the CSP blocks", p)
		}
	}
}

func TestGoldenPages(t *testing.T) {
	s := render(t, examples)
	for name, p := range map[string]string{
		"dashboard":   "index.html",
		"client":      "clients/northwind-outfitters/index.html",
		"server":      "clients/northwind-outfitters/servers/web-01.html",
		"integration": "clients/northwind-outfitters/integrations/stripe-payments.html",
		"runbook":     "clients/brightsmile-dental/runbooks/restart-pms-database.html",
		"vendors":     "vendors/index.html",
		"vendor":      "vendors/cloudflare.html",
		"expiries":    "expiries.html",
		"pack":        "clients/harper-cole-legal/pack.html",
		"search":      "search.html",
		"ics":         "expiries.ics",
	} {
		t.Run(name, func(t *testing.T) {
			golden(t, name+path.Ext(p), s.Files[p])
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", "golden", name), got, *update)
}

func TestSearchIndex(t *testing.T) {
	idx := string(render(t, examples).Files["assets/search-index.js"])
	for _, want := range []string{
		"web-01.northwind", // a hostname
		"+44 161 496 0342", // a client contact's phone
		"sqlcmd",           // a word from a runbook body
		`"kind":"Contact"`,
	} {
		if !strings.Contains(idx, want) {
			t.Errorf("search index lacks %q", want)
		}
	}
	if !strings.HasPrefix(idx, "window.HANDOVER_SEARCH = [") {
		t.Errorf("search index is not a script setting a global: %.40s", idx)
	}
}

func TestICS(t *testing.T) {
	ics := string(render(t, examples).Files["expiries.ics"])
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(ics, "END:VCALENDAR\r\n") {
		t.Fatalf("not an iCalendar file:\n%.200s", ics)
	}
	for _, line := range strings.Split(ics, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
	if n := strings.Count(ics, "BEGIN:VEVENT"); n < 20 {
		t.Errorf("only %d events", n)
	}
}

// TestLiveMarkupCatches keeps the XSS check honest: each of these must be
// reported, and our own markup must not be.
func TestLiveMarkupCatches(t *testing.T) {
	own := regexp.MustCompile(`^(\.\./)*assets/[a-z/.-]+\.js$`)
	for _, bad := range []string{
		`<p onclick="x()">`, `<img src=x>`, `<a href=" JavaScript:alert(1)">`, `<iframe src="/">`,
		`<script>alert(1)</script>`, `<script src="https://cdn.example/x.js"></script>`, `<div style="x">`,
		`<svg onload=alert(1)>`, `<a href="data:text/html,x">`,
	} {
		if len(testutil.LiveMarkup([]byte(bad), own)) == 0 {
			t.Errorf("%s was not caught", bad)
		}
	}
	fine := `<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;</p><script src="../assets/app.js" defer></script>` +
		`<script type="application/json" id="c">{"a":"\u003c/script\u003e"}</script><form role="search" action="search.html"></form>`
	if p := testutil.LiveMarkup([]byte(fine), own); len(p) > 0 {
		t.Errorf("escaped text reported as live: %v", p)
	}
}
