package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// allowedSchemes are the only schemes a link may keep. Entity references
// ("server:web-01") are in the list so that an unmapped one is left as written.
var allowedSchemes = map[string]bool{
	"http": true, "https": true, "mailto": true, "tel": true,
	"service": true, "server": true, "configuration": true,
	"integration": true, "vendor": true, "runbook": true,
}

// entitySchemes are the reference kinds that go through Links.
var entitySchemes = map[string]bool{
	"service": true, "server": true, "configuration": true,
	"integration": true, "vendor": true, "runbook": true,
}

// rel is set on links that leave the site.
var rel = []byte("noopener noreferrer")

// linkTransformer rewrites destinations through the call's Links and makes
// links and images safe. It keeps no state: everything per call comes from
// the parser.Context.
//
// What happens to a destination:
//   - a link with a scheme outside allowedSchemes (javascript:, vbscript:,
//     data:, file:, ftp:, ...) is unwrapped: its text stays, the <a> goes;
//   - an image from outside the site (any scheme, or "//host") becomes a plain
//     link to it with the alt text, or only the alt text when the link would be
//     unsafe or when the image already sits inside a link;
//   - autolinks become ordinary links so that the same rules apply to them;
//   - http(s) and network-path links get rel="noopener noreferrer".
type linkTransformer struct{}

// Transform implements parser.ASTTransformer.
func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	links, _ := pc.Get(linksKey).(Links)
	src := reader.Source()

	// Collect first: the handlers below move and replace nodes.
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.(type) {
			case *ast.Link, *ast.Image, *ast.AutoLink:
				nodes = append(nodes, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range nodes {
		if n.Parent() == nil {
			continue
		}
		switch n := n.(type) {
		case *ast.AutoLink:
			fixLink(autoLinkToLink(n, src), links)
		case *ast.Link:
			fixLink(n, links)
		case *ast.Image:
			fixImage(n, links)
		}
	}
}

// autoLinkToLink replaces an autolink by the equivalent link: goldmark renders
// autolinks from source text, with no destination to rewrite or check.
func autoLinkToLink(a *ast.AutoLink, src []byte) *ast.Link {
	label := a.Label(src)
	url := a.URL(src)
	if a.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		url = append([]byte("mailto:"), url...)
	}
	l := ast.NewLink()
	l.Destination = escapeDest(string(url))
	s := ast.NewString(label)
	s.SetRaw(true) // as written: autolink labels resolve no escapes
	l.AppendChild(l, s)
	a.Parent().ReplaceChild(a.Parent(), a, l)
	return l
}

func fixLink(l *ast.Link, links Links) {
	dest, ok := rewrite(string(resolve(l.Destination)), links)
	if !ok {
		unwrap(l)
		return
	}
	l.Destination = escapeDest(dest)
	if leavesSite(dest) {
		l.SetAttribute([]byte("rel"), rel)
	}
}

func fixImage(img *ast.Image, links Links) {
	dest, ok := rewrite(string(resolve(img.Destination)), links)
	if ok && !external(dest) {
		img.Destination = escapeDest(dest)
		return
	}
	if !ok || insideLink(img) {
		unwrap(img)
		return
	}
	l := ast.NewLink()
	l.Destination = escapeDest(dest)
	l.Title = img.Title
	if leavesSite(dest) {
		l.SetAttribute([]byte("rel"), rel)
	}
	for c := img.FirstChild(); c != nil; {
		next := c.NextSibling()
		l.AppendChild(l, c)
		c = next
	}
	img.Parent().ReplaceChild(img.Parent(), img, l)
}

// rewrite maps dest through links where that applies and reports whether the
// result may be used as a link destination at all.
func rewrite(dest string, links Links) (string, bool) {
	s := scheme(dest)
	mapped := links != nil && (entitySchemes[s] ||
		s == "" && !strings.HasPrefix(dest, "#") && !networkPath(dest) && dest != "")
	if mapped {
		if u, ok := links(dest); ok {
			dest = u
			s = scheme(dest)
		}
	}
	return dest, s == "" || allowedSchemes[s]
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	p := n.Parent()
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		p.InsertBefore(p, n, c)
		c = next
	}
	p.RemoveChild(p, n)
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}

// browserForm returns u as a URL parser in a browser sees it (WHATWG URL
// standard): leading and trailing C0 controls and spaces stripped, tabs and
// newlines removed anywhere.
func browserForm(u string) string {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
}

// scheme returns the lowercased scheme of u, or "" for a relative reference.
func scheme(u string) string {
	u = browserForm(u)
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(u[:i])
		default:
			return ""
		}
	}
	return ""
}

// networkPath reports a scheme-relative reference ("//host/x"). Browsers read
// a backslash as a slash in these.
func networkPath(u string) bool {
	u = browserForm(u)
	return len(u) >= 2 && (u[0] == '/' || u[0] == '\\') && (u[1] == '/' || u[1] == '\\')
}

// external reports a destination outside the site.
func external(u string) bool {
	return scheme(u) != "" || networkPath(u)
}

// leavesSite reports a link that opens another site.
func leavesSite(u string) bool {
	s := scheme(u)
	return s == "http" || s == "https" || s == "" && networkPath(u)
}

// escapeDest returns the Markdown form of a destination: goldmark's renderer
// resolves backslash escapes and character references in destinations again,
// so a URL that is already resolved must be escaped to come out unchanged.
func escapeDest(u string) []byte {
	var b bytes.Buffer
	for i := 0; i < len(u); i++ {
		switch c := u[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}
