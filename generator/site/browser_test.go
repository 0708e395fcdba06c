package site_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
)

// chromium starts a headless Chromium for a test, or skips the test when
// there is none, except under CI=true, where a missing browser fails it.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is required under CI=true: install Debian's chromium package (.ci/run does)")
		}
		t.Skip("Chromium not found (install Debian's chromium package, or set CHROMIUM=/path/to/chrome); skipping browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	return bctx
}

// recorder collects what a page did wrong: console errors, exceptions,
// CSP violations and requests that leave the site.
type recorder struct {
	mu       sync.Mutex
	root     string
	problems []string
}

func (r *recorder) add(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		r.problems = append(r.problems, "exception: "+ev.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == "error" || ev.Type == "warning" {
			r.problems = append(r.problems, "console "+string(ev.Type))
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
			r.problems = append(r.problems, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if !strings.HasPrefix(ev.Request.URL, r.root) && !strings.HasPrefix(ev.Request.URL, "data:") {
			r.problems = append(r.problems, "request leaves the site: "+ev.Request.URL)
		}
	case *network.EventLoadingFailed:
		r.problems = append(r.problems, "failed request: "+ev.ErrorText)
	}
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.problems
	r.problems = nil
	return p
}

// TestChromiumSiteFromFile opens the examples' site from file:// in
// Chromium: every page type loads without a console error, a CSP violation
// or a request that leaves the site, every client page draws its
// dependency chart, and search finds a server by hostname,
// a contact by phone number and a runbook by a word of its body.
func TestChromiumSiteFromFile(t *testing.T) {
	ctx := chromium(t)
	out := filepath.Join(t.TempDir(), "site")
	if _, diags, err := generator.Build(examples, out, false, generator.Options{}); err != nil || diag.HasErrors(diags, false) {
		t.Fatalf("build: %v %v", err, diags)
	}
	root := "file://" + filepath.ToSlash(out) + "/"
	rec := &recorder{root: root}
	if err := chromedp.Listen(ctx, rec.add); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{
		"index.html", "clients/northwind-outfitters/index.html", "clients/northwind-outfitters/servers/web-01.html",
		"clients/brightsmile-dental/runbooks/restart-pms-database.html", "vendors/index.html", "vendors/cloudflare.html",
		"expiries.html", "clients/harper-cole-legal/pack.html", "search.html",
	} {
		t.Run(page, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(root+page), chromedp.WaitReady("footer")); err != nil {
				t.Fatal(err)
			}
			h1, err := chromedp.Run(ctx, chromedp.Text("h1"))
			if err != nil || h1 == "" {
				t.Errorf("no heading: %v", err)
			}
			for _, p := range rec.take() {
				t.Error(p)
			}
		})
	}
	for _, page := range []string{
		"clients/brightsmile-dental/index.html", "clients/harper-cole-legal/index.html",
		"clients/northwind-outfitters/index.html", "clients/northwind-outfitters/servers/web-01.html",
		"vendors/cloudflare.html", "vendors/index.html",
	} {
		t.Run("chart "+page, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(root+page), chromedp.WaitReady(".chart canvas")); err != nil {
				t.Fatalf("no chart drawn: %v", err)
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelector(".chart canvas").width`))
			if err != nil || w < 100 {
				t.Errorf("chart canvas is %d pixels wide: %v", w, err)
			}
			if page != "vendors/index.html" { // a bar chart
				// Every link of the data is an edge ECharts drew: it
				// names its nodes by their index.
				got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(function () {
  var el = document.querySelector("[data-chart]");
  var spec = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
  var graph = echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getGraph();
  return [graph.edges.length, (spec.option.series[0].links || []).length];
})()`))
				if err != nil || len(got) != 2 || got[0] != got[1] || got[0] == 0 {
					t.Errorf("edges drawn and links given: %v, %v", got, err)
				}
			}
			for _, p := range rec.take() {
				t.Error(p)
			}
		})
	}
	for _, tc := range []struct{ query, want string }{
		{"web-01.northwind.lan", "clients/northwind-outfitters/servers/web-01.html"},
		{"0161 496 0342", "clients/northwind-outfitters/index.html"},
		{"+49 9831 505-0", "vendors/hetzner.html"}, // a vendor's support phone
		{"sqlcmd", "clients/brightsmile-dental/runbooks/restart-pms-database.html"},
	} {
		t.Run("search "+tc.query, func(t *testing.T) {
			err := chromedp.Do(ctx, chromedp.Navigate(root+"search.html?q="+strings.ReplaceAll(tc.query, " ", "+")),
				chromedp.WaitVisible("#search-results li a"))
			if err != nil {
				t.Fatal(err)
			}
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#search-results li a").href`))
			if err != nil {
				t.Fatal(err)
			}
			if href != root+tc.want {
				t.Errorf("first result %s, want %s", href, root+tc.want)
			}
			// Following the result opens the page.
			if err := chromedp.Do(ctx, chromedp.Click("#search-results li a"), chromedp.WaitReady("footer")); err != nil {
				t.Fatal(err)
			}
			if loc, _ := chromedp.Run(ctx, chromedp.Location()); loc != root+tc.want {
				t.Errorf("the result opened %s", loc)
			}
			for _, p := range rec.take() {
				t.Error(p)
			}
		})
	}
}
