package site_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
)

// pageTypes are one page of each type of the examples' site.
var pageTypes = map[string]string{
	"dashboard": "index.html",
	"client":    "clients/northwind-outfitters/index.html",
	"server":    "clients/northwind-outfitters/servers/web-01.html",
	"runbook":   "clients/brightsmile-dental/runbooks/restart-pms-database.html",
	"vendors":   "vendors/index.html",
	"vendor":    "vendors/cloudflare.html",
	"expiries":  "expiries.html",
	"changelog": "changelog.html",
	"pack":      "clients/harper-cole-legal/pack.html",
	"search":    "search.html?q=web-01",
}

func buildExamples(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "site")
	if _, diags, err := generator.Build(examples, out, false, generator.Options{}); err != nil || diag.HasErrors(diags, false) {
		t.Fatalf("build: %v %v", err, diags)
	}
	return out
}

// artifacts is where screenshots go: $HANDOVER_ARTIFACTS, else a folder
// under the test's temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("HANDOVER_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestChromiumServedOverLoopback serves the site over http://127.0.0.1 (as
// a static host would), takes desktop and phone screenshots of each page
// type, and checks that nothing overflows a 375-pixel-wide phone and that
// no request leaves the site.
func TestChromiumServedOverLoopback(t *testing.T) {
	ctx := chromium(t)
	out := buildExamples(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	rec := &recorder{root: srv.URL + "/"}
	if err := chromedp.Listen(ctx, rec.add); err != nil {
		t.Fatal(err)
	}
	chromedp.Call(ctx, network.Enable, network.EnableParams{})
	chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	shots := artifacts(t)
	for name, page := range pageTypes {
		t.Run(name, func(t *testing.T) {
			for _, vp := range []struct {
				name          string
				width, height int64
			}{{"desktop", 1280, 900}, {"phone", 375, 812}} {
				err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height), chromedp.Navigate(srv.URL+"/"+page),
					chromedp.WaitReady("footer"))
				if err != nil {
					t.Fatal(err)
				}
				if vp.name == "phone" {
					over, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](overflowing))
					if err != nil {
						t.Fatal(err)
					}
					for _, o := range over {
						t.Errorf("wider than a 375-pixel phone: %s", o)
					}
				}
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s.png", name, vp.name)), png, 0o644)
			}
			for _, p := range rec.take() {
				t.Error(p)
			}
		})
	}
	t.Logf("screenshots in %s", shots)
}

// overflowing lists the elements that stick out of the viewport to the
// right, outside the scrolling table and code containers.
const overflowing = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > w) out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + "px");
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-wrap, pre, .chart")) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " ends at " + Math.round(r.right) + "px");
    if (out.length > 5) break;
  }
  return out;
})()`

// TestChromiumThemeFollowsColorScheme checks that the page background
// follows the reader's light or dark preference.
func TestChromiumThemeFollowsColorScheme(t *testing.T) {
	ctx := chromium(t)
	out := buildExamples(t)
	bg := func(scheme string) string {
		t.Helper()
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.ToSlash(out)+"/index.html"), chromedp.WaitReady("footer")); err != nil {
			t.Fatal(err)
		}
		c, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	light, dark := bg("light"), bg("dark")
	if light == dark {
		t.Errorf("the same background in light and dark: %s", light)
	}
	if !strings.Contains(light, "255, 255, 255") && !strings.Contains(light, "rgb(2") {
		t.Errorf("light background is not light: %s", light)
	}
}

// TestChromiumPackPrints prints a client's handover pack to PDF: every
// section is laid out for print (visible, on its own page), and the PDF
// has at least one page per section.
func TestChromiumPackPrints(t *testing.T) {
	ctx := chromium(t)
	out := buildExamples(t)
	url := "file://" + filepath.ToSlash(out) + "/clients/harper-cole-legal/pack.html"
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("footer")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	sections, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".pack-section")].map(s => (s.offsetHeight > 0 ? "" : "hidden: ") + s.querySelector("h2").textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"The business", "Who to call", "SLA and escalation", "Access-transfer checklist"}
	for _, w := range want {
		found := false
		for _, s := range sections {
			found = found || s == w
		}
		if !found {
			t.Errorf("the printed pack lacks the section %q (sections: %q)", w, sections)
		}
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Count(string(pdf), "/Type /Page\n") + strings.Count(string(pdf), "/Type /Page>") + strings.Count(string(pdf), "/Type /Page/")
	if !strings.HasPrefix(string(pdf), "%PDF-") || pages < len(sections) {
		t.Errorf("PDF of %d bytes with %d pages for %d sections", len(pdf), pages, len(sections))
	}
	os.WriteFile(filepath.Join(artifacts(t), "pack.pdf"), pdf, 0o644)
}

// TestChromiumAccessibility runs axe-core (vendored from npm into
// testdata, injected through the DevTools protocol, never part of a site)
// on each page type: no serious or critical violation.
func TestChromiumAccessibility(t *testing.T) {
	ctx := chromium(t)
	out := buildExamples(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	for name, page := range pageTypes {
		t.Run(name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.ToSlash(out)+"/"+page), chromedp.WaitReady("footer")); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe)+";0")); err != nil {
				t.Fatal(err)
			}
			res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			var violations []struct {
				ID, Help string
				Nodes    []string
			}
			if err := json.Unmarshal([]byte(res), &violations); err != nil {
				t.Fatal(err)
			}
			for _, v := range violations {
				t.Errorf("%s: %s (%s)", v.ID, v.Help, strings.Join(v.Nodes, "; "))
			}
		})
	}
}
