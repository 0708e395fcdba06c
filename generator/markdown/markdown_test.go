package markdown

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// siteLinks is the Links a site would pass: runbooks and entities map to
// pages, anything else is left alone.
func siteLinks(dest string) (string, bool) {
	switch {
	case dest == "server:web-01", dest == "../servers/web-01.yaml":
		return "../servers/web-01.html", true
	case dest == "vendor:synology":
		return "../vendors/synology.html", true
	case strings.HasPrefix(dest, "configuration:"):
		return "../configurations/" + strings.TrimPrefix(dest, "configuration:") + ".html", true
	case strings.HasPrefix(dest, "runbook:"):
		return strings.TrimPrefix(dest, "runbook:") + ".html", true
	case strings.HasPrefix(dest, "images/"):
		return "../assets/" + dest, true
	}
	if file, frag, _ := strings.Cut(dest, "#"); strings.HasSuffix(file, ".md") {
		u := strings.TrimSuffix(file, ".md") + ".html"
		if frag != "" {
			u += "#" + frag
		}
		return u, true
	}
	return "", false
}

func TestRender(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			name: "gfm table with alignment as attribute, not style",
			src:  "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
			want: "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"center\">b</th>\n<th align=\"right\">c</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td align=\"left\">1</td>\n<td align=\"center\">2</td>\n<td align=\"right\">3</td>\n</tr>\n</tbody>\n</table>\n",
		},
		{
			name: "task list",
			src:  "- [x] done\n- [ ] todo\n",
			want: "<ul>\n<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> done</li>\n<li><input disabled=\"\" type=\"checkbox\"> todo</li>\n</ul>\n",
		},
		{
			name: "strikethrough",
			src:  "~~gone~~",
			want: "<p><del>gone</del></p>\n",
		},
		{
			name: "linkify gets rel",
			src:  "see www.example.com",
			want: "<p>see <a href=\"http://www.example.com\" rel=\"noopener noreferrer\">www.example.com</a></p>\n",
		},
		{
			name: "email autolink",
			src:  "<ops@example.com>",
			want: "<p><a href=\"mailto:ops@example.com\">ops@example.com</a></p>\n",
		},
		{
			name: "fenced code keeps its text escaped",
			src:  "```sh\necho \"<b>\" && rm -rf /tmp/x\n```\n",
			want: "<pre tabindex=\"0\"><code class=\"language-sh\">echo &quot;&lt;b&gt;&quot; &amp;&amp; rm -rf /tmp/x\n</code></pre>\n",
		},
	}
	r := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := r.Render([]byte(tc.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"ascii", "## Before you start", []string{"before-you-start"}},
		{"punctuation collapses and trims", "## A. A letter -- or scan (last 90 days)!", []string{"a-a-letter-or-scan-last-90-days"}},
		{"german umlauts", "## Überblick der Schritte", []string{"überblick-der-schritte"}},
		{"upper-case umlauts and ß", "## ÄNDERUNGEN für Straße", []string{"änderungen-für-straße"}},
		{"other scripts", "## Шаги восстановления", []string{"шаги-восстановления"}},
		{"inline markup", "## Restore *the* `file`", []string{"restore-the-file"}},
		{"link destinations dropped", "## See [restore](restore.md#a) and ![x](x.png \"t\")", []string{"see-restore-and-x"}},
		{"character references", "## Fish &amp; Chips", []string{"fish-chips"}},
		{"duplicates", "## Steps\n## Steps\n## Steps", []string{"steps", "steps-1", "steps-2"}},
		{"duplicate of a suffixed id", "## Steps 1\n## Steps\n## Steps", []string{"steps-1", "steps", "steps-2"}},
		{"empty", "## \n## !!!\n## ---x---", []string{"section", "section-1", "x"}},
		{"setext", "Title\n=====\n\nSub\n---", []string{"title", "sub"}},
	}
	r := New()
	idRE := regexp.MustCompile(`<h[1-6] id="([^"]*)">`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			html, _, err := r.Render([]byte(tc.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range idRE.FindAllStringSubmatch(html, -1) {
				got = append(got, m[1])
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ids of %q = %q, want %q\n%s", tc.src, got, tc.want, html)
			}
		})
	}
}

func TestTOC(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Heading
	}{
		{
			name: "levels 2 and 3 only",
			src:  "# Title\n## One\n### One.a\n#### Deep\n## Two\n",
			want: []Heading{{2, "one", "One"}, {3, "one-a", "One.a"}, {2, "two", "Two"}},
		},
		{
			name: "plain text without markup",
			src:  "## Restore *the* `<file>` from [nas-01](server:nas-01) &amp; B2 <b>now</b>\n",
			want: []Heading{{2, "restore-the-file-from-nas-01-b2-b-now-b", "Restore the <file> from nas-01 & B2 now"}},
		},
		{
			name: "ids match the rendered anchors when repeated",
			src:  "## Steps\n### Steps\n",
			want: []Heading{{2, "steps", "Steps"}, {3, "steps-1", "Steps"}},
		},
		{
			name: "none",
			src:  "Just a paragraph.\n",
			want: nil,
		},
	}
	r := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			html, toc, err := r.Render([]byte(tc.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(toc, tc.want) {
				t.Errorf("toc = %+v, want %+v", toc, tc.want)
			}
			for _, h := range toc {
				if !strings.Contains(html, fmt.Sprintf(`<h%d id="%s">`, h.Level, h.ID)) {
					t.Errorf("no heading with id %q in\n%s", h.ID, html)
				}
			}
		})
	}
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		links Links
		want  string
	}{
		{"relative md", "[r](restore-file.md)", siteLinks, `<p><a href="restore-file.html">r</a></p>`},
		{"relative md with fragment", "[r](other.md#steps)", siteLinks, `<p><a href="other.html#steps">r</a></p>`},
		{"relative yaml", "[w](../servers/web-01.yaml)", siteLinks, `<p><a href="../servers/web-01.html">w</a></p>`},
		{"entity reference", "[web](server:web-01)", siteLinks, `<p><a href="../servers/web-01.html">web</a></p>`},
		{"entity reference autolink", "<server:web-01>", siteLinks, `<p><a href="../servers/web-01.html">server:web-01</a></p>`},
		{"reference-style link", "[web][w]\n\n[w]: server:web-01\n", siteLinks, `<p><a href="../servers/web-01.html">web</a></p>`},
		{"unknown relative left as is", "[n](notes.txt)", siteLinks, `<p><a href="notes.txt">n</a></p>`},
		{"unknown entity left as is", "[aws](vendor:aws)", siteLinks, `<p><a href="vendor:aws">aws</a></p>`},
		{"fragment only not passed", "[s](#steps)", func(string) (string, bool) { return "wrong", true }, `<p><a href="#steps">s</a></p>`},
		{"nil links", "[r](restore-file.md) [w](server:web-01)", nil, `<p><a href="restore-file.md">r</a> <a href="server:web-01">w</a></p>`},
		{"escaped destination is resolved before lookup", `[r](other\.md#st&#101;ps)`, siteLinks, `<p><a href="other.html#steps">r</a></p>`},
		{"returned url kept byte for byte", "[r](x.md)", func(string) (string, bool) { return `a\b&amp;c.html`, true }, `<p><a href="a%5Cb&amp;amp;c.html">r</a></p>`},
		{"unsafe returned url is removed too", "[r](x.md)", func(string) (string, bool) { return "javascript:alert(1)", true }, `<p>r</p>`},
		{"relative image through links", "![shot](images/a.png)", siteLinks, `<p><img src="../assets/images/a.png" alt="shot"></p>`},
		{"relative image unknown kept", "![shot](a.png)", siteLinks, `<p><img src="a.png" alt="shot"></p>`},
		{"http gets rel, no target", "[x](https://example.com/)", siteLinks, `<p><a href="https://example.com/" rel="noopener noreferrer">x</a></p>`},
		{"network path gets rel", "[x](//example.com/)", siteLinks, `<p><a href="//example.com/" rel="noopener noreferrer">x</a></p>`},
		{"mailto and tel kept", "[m](mailto:a@b.example) [t](tel:+441234)", siteLinks, `<p><a href="mailto:a@b.example">m</a> <a href="tel:+441234">t</a></p>`},
	}
	r := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Inline(tc.src, tc.links)
			if err != nil {
				t.Fatal(err)
			}
			if got = strings.TrimSpace(got); got != tc.want {
				t.Errorf("Inline(%q)\n got: %s\nwant: %s", tc.src, got, tc.want)
			}
		})
	}
}

// TestXSS feeds the usual attacks through Render and Inline. Dangerous links
// lose their <a> and keep their text. "javascript:" is looked for in the
// markup only: an autolink's text is its URL and is shown as (escaped) text;
// the exact outputs pin down every other case.
func TestXSS(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // exact output when the decision matters; "" = only the checks
	}{
		{"script block", "<script>alert(1)</script>", "<!-- raw HTML omitted -->\n"},
		{"inline script", "a <script>alert(1)</script> b", "<p>a <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted --> b</p>\n"},
		{"img onerror", "<img src=x onerror=alert(1)>", "<!-- raw HTML omitted -->\n"},
		{"img onerror inline", "x <img src=x onerror=alert(1)>", "<p>x <!-- raw HTML omitted --></p>\n"},
		{"iframe", `<iframe src="https://evil.example/"></iframe>`, "<!-- raw HTML omitted -->\n"},
		{"raw anchor", `<a href="javascript:alert(1)">x</a>`, "<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n"},
		{"javascript link", "[x](javascript:alert(1))", "<p>x</p>\n"},
		{"mixed case", "[x](JaVaScRiPt:alert(1))", "<p>x</p>\n"},
		{"decimal entity", "[x](&#106;avascript:alert(1))", "<p>x</p>\n"},
		{"hex entity", "[x](&#x6A;avascript&#x3A;alert(1))", "<p>x</p>\n"},
		{"named entity colon", "[x](javascript&colon;alert(1))", "<p>x</p>\n"},
		{"leading tab entity", "[x](&#9;javascript:alert(1))", "<p>x</p>\n"},
		{"tab inside scheme", "[x](java&#9;script:alert(1))", "<p>x</p>\n"},
		{"newline inside scheme", "[x](java&#10;script:alert(1))", "<p>x</p>\n"},
		{"leading control character", "[x](<\x01javascript:alert(1)>)", "<p>x</p>\n"},
		{"leading space in brackets", "[x](< javascript:alert(1)>)", "<p>x</p>\n"},
		{"backslash escape", `[x](javascript\:alert(1))`, "<p>x</p>\n"},
		{"vbscript", "[x](vbscript:msgbox(1))", "<p>x</p>\n"},
		{"data html", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<p>x</p>\n"},
		{"file", "[x](file:///etc/passwd)", "<p>x</p>\n"},
		{"reference definition", "[x][r]\n\n[r]: javascript:alert(1)\n", "<p>x</p>\n"},
		{"emphasis kept when unwrapped", "[**x**](javascript:alert(1))", "<p><strong>x</strong></p>\n"},
		// The URL is the link's own text: it stays, escaped, as text.
		{"autolink javascript", "<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n"},
		{"autolink mixed case", "<JaVaScRiPt:alert(1)>", "<p>JaVaScRiPt:alert(1)</p>\n"},
		{"external image", "![x](https://evil.example/t.png)", "<p><a href=\"https://evil.example/t.png\" rel=\"noopener noreferrer\">x</a></p>\n"},
		{"external image upper case", "![x](HTTPS://evil.example/t.png)", "<p><a href=\"HTTPS://evil.example/t.png\" rel=\"noopener noreferrer\">x</a></p>\n"},
		{"network path image", "![x](//evil.example/t.png)", "<p><a href=\"//evil.example/t.png\" rel=\"noopener noreferrer\">x</a></p>\n"},
		{"backslash network path image", `![x](\\\\evil.example/t.png)`, ""},
		{"data image", "![x](data:image/png;base64,iVBORw0KGgo=)", "<p>x</p>\n"},
		{"javascript image", "![x](javascript:alert(1))", "<p>x</p>\n"},
		{"external image inside link", "[![badge](https://ci.example/b.svg)](https://ci.example/)", "<p><a href=\"https://ci.example/\" rel=\"noopener noreferrer\">badge</a></p>\n"},
		{"external image by reference", "![x][i]\n\n[i]: https://evil.example/t.png\n", "<p><a href=\"https://evil.example/t.png\" rel=\"noopener noreferrer\">x</a></p>\n"},
		{"title cannot break out", `[x](https://a.example/ "a\" onmouseover=\"alert(1)")`, ""},
		{"code info string cannot break out", "```js\" onclick=\"alert(1)\nx\n```\n", ""},
		{"attribute syntax is off", "## Title {onclick=alert(1)}\n", ""},
		{"style tag", "<style>body{display:none}</style>", "<!-- raw HTML omitted -->\n"},
		{"svg onload", "<svg onload=alert(1)>", "<!-- raw HTML omitted -->\n"},
	}
	r := New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := r.Render([]byte(tc.src), siteLinks)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != "" && got != tc.want {
				t.Errorf("Render(%q)\n got: %q\nwant: %q", tc.src, got, tc.want)
			}
			assertSafe(t, tc.src, got)
			lower := strings.ToLower(got)
			for _, bad := range []string{"<script", "onerror", "<iframe", `src="http`, `src="//`} {
				if strings.Contains(lower, bad) {
					t.Errorf("output of %q contains %q:\n%s", tc.src, bad, got)
				}
			}
			if strings.Contains(strings.ToLower(markup(got)), "javascript:") {
				t.Errorf("markup of %q contains javascript::\n%s", tc.src, got)
			}
			inline, err := r.Inline(tc.src, siteLinks)
			if err != nil {
				t.Fatal(err)
			}
			assertSafe(t, tc.src, inline)
		})
	}
}

func TestGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "runbook.md"))
	if err != nil {
		t.Fatal(err)
	}
	html, toc, err := New().Render(src, siteLinks)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<!-- table of contents\n")
	for _, h := range toc {
		fmt.Fprintf(&b, "%d #%s %s\n", h.Level, h.ID, h.Text)
	}
	b.WriteString("-->\n")
	b.WriteString(html)
	got := b.String()

	golden := filepath.Join("testdata", "runbook.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", golden, got)
	}
	assertSafe(t, string(src), html)
}

// TestConcurrent renders from many goroutines with one Renderer; run it with
// -race. Each goroutine has its own Links, so a mix-up shows as a wrong URL.
func TestConcurrent(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "runbook.md"))
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	want, wantTOC, err := r.Render(src, siteLinks)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if g%2 == 0 {
					got, toc, err := r.Render(src, siteLinks)
					if err != nil || got != want || !reflect.DeepEqual(toc, wantTOC) {
						t.Errorf("goroutine %d, run %d: output differs (err %v)", g, i, err)
						return
					}
					continue
				}
				own := fmt.Sprintf("g%d-%d.html", g, i)
				got, err := r.Inline("[x](a.md) ## Steps", func(string) (string, bool) { return own, true })
				if err != nil || !strings.Contains(got, `href="`+own+`"`) {
					t.Errorf("goroutine %d, run %d: got %q (err %v)", g, i, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestEscapeDest(t *testing.T) {
	for _, u := range []string{"", "a.html", `a\b`, `\\host\x`, "a&b", "&amp;", "&#106;", `\&amp;`, "ü?x=1&y=2#f"} {
		t.Run(u, func(t *testing.T) {
			if got := string(resolve(escapeDest(u))); got != u {
				t.Errorf("resolve(escapeDest(%q)) = %q", u, got)
			}
		})
	}
}
