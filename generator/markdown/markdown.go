// Package markdown renders runbook and description Markdown to safe HTML for
// the site: GitHub-flavoured Markdown (tables, task lists, strikethrough,
// linkify), heading anchors that keep non-ASCII letters, a table of contents,
// and links to source files and entities rewritten into site URLs.
//
// The output is meant to be embedded in a page served with the CSP
// "default-src 'self'" and opened from file:// without a network: raw HTML is
// dropped, links with a scheme outside an allow-list lose their link, and
// images from outside the site become plain links. The package does not know
// the site's layout: the caller maps destinations to URLs with a [Links]
// function, and it does not read front matter (pass the body only).
package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Links maps a link destination as written in Markdown to a site URL. It is
// called for relative destinations (e.g. "restore-file.md", "../servers/web-01.yaml",
// "other.md#steps") and for entity references written as a destination ("server:web-01",
// "vendor:aws"); ok=false leaves the destination unchanged. nil means no rewriting.
//
// The destination is passed with Markdown backslash escapes and character
// references already resolved. Destinations that are only a fragment ("#steps")
// or network-path references ("//host/x") are not passed. A returned URL is
// checked like any other destination, so it cannot introduce an unsafe link.
type Links func(dest string) (url string, ok bool)

// Heading is one entry of a document's table of contents.
type Heading struct {
	Level int    // 1-6
	ID    string // the anchor, unique within the document
	Text  string // plain text of the heading
}

// Renderer converts Markdown to HTML. It is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
}

// linksKey carries the per-call Links through the parser.Context, so that the
// shared goldmark instance and its transformer hold no per-call state.
var linksKey = parser.NewContextKey()

// New returns a Renderer. One Renderer is meant to be shared by a whole build.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 100)),
		),
		// GFM's default renders column alignment as a style attribute, which
		// the site's CSP blocks; the align attribute is not blocked.
		goldmark.WithRendererOptions(
			extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute),
		),
	)
	return &Renderer{md: md}
}

// Render converts src. The HTML is safe to embed in a page: raw HTML is
// dropped, dangerous URLs removed. toc lists headings of level 2 and 3.
func (r *Renderer) Render(src []byte, links Links) (html string, toc []Heading, err error) {
	doc := r.parse(src, links)
	toc = tableOfContents(doc, src)
	html, err = r.render(doc, src)
	if err != nil {
		return "", nil, err
	}
	return html, toc, nil
}

// Inline renders a short Markdown field (a description or a note) the same way,
// without a table of contents. (Same safety rules.) The result is block HTML:
// a one-line field comes back as one <p>. Its headings get anchors too, unique
// within the field only.
func (r *Renderer) Inline(src string, links Links) (string, error) {
	if html, ok := plain(src); ok {
		return html, nil
	}
	b := []byte(src)
	return r.render(r.parse(b, links), b)
}

func (r *Renderer) parse(src []byte, links Links) ast.Node {
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	if links != nil {
		pc.Set(linksKey, links)
	}
	return r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
}

// writers are goldmark's output buffers: given a plain io.Writer, it
// allocates a 4 KB bufio.Writer on every call, one per field of every page.
var writers = sync.Pool{New: func() any { return bufio.NewWriter(io.Discard) }}

func (r *Renderer) render(doc ast.Node, src []byte) (string, error) {
	var buf bytes.Buffer
	w := writers.Get().(*bufio.Writer)
	defer writers.Put(w)
	w.Reset(&buf)
	err := r.md.Renderer().Render(w, src, doc)
	if err == nil {
		err = w.Flush()
	}
	w.Reset(io.Discard)
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	// A code block may scroll sideways: keyboard users must be able to
	// focus it to scroll (WCAG 2.1.1). goldmark writes every block as <pre>.
	return strings.ReplaceAll(buf.String(), "<pre>", `<pre tabindex="0">`), nil
}

// tableOfContents lists the headings of level 2 and 3 in document order.
func tableOfContents(doc ast.Node, src []byte) []Heading {
	var toc []Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if h.Level == 2 || h.Level == 3 {
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			toc = append(toc, Heading{Level: h.Level, ID: string(idb), Text: plainText(h, src)})
		}
		return ast.WalkSkipChildren, nil
	})
	return toc
}

// plainText returns the text of n's inline children as a reader sees it:
// emphasis and link markup gone, escapes and character references resolved.
func plainText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.CodeSpan:
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if t, ok := t.(*ast.Text); ok {
						b.Write(t.Segment.Value(src))
					}
				}
			case *ast.Text:
				b.Write(resolve(c.Segment.Value(src)))
				if c.SoftLineBreak() || c.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				if c.IsCode() || c.IsRaw() {
					b.Write(c.Value)
				} else {
					b.Write(resolve(c.Value))
				}
			case *ast.RawHTML:
				// Dropped from the page, so dropped from the TOC too.
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return string(bytes.TrimSpace(b.Bytes()))
}

// resolve applies what goldmark's HTML writer does to text: backslash escapes
// and character references become the characters they stand for.
func resolve(b []byte) []byte {
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	return util.ResolveEntityNames(b)
}
