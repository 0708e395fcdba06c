package markdown

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// The markup goldmark may produce with our configuration. Anything else in the
// output means raw HTML got through.
var (
	allowedTags = map[string]bool{
		"a": true, "blockquote": true, "br": true, "code": true, "del": true, "em": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true,
		"img": true, "input": true, "li": true, "ol": true, "p": true, "pre": true, "strong": true,
		"table": true, "tbody": true, "td": true, "th": true, "thead": true, "tr": true, "ul": true,
	}
	allowedAttrs = map[string]bool{
		"href": true, "rel": true, "title": true, "src": true, "alt": true, "id": true, "class": true,
		"align": true, "start": true, "checked": true, "disabled": true, "type": true,
		"tabindex": true, // on <pre>, so that keyboard users can scroll a wide code block
	}
	tagRE     = regexp.MustCompile(`^<(/?)([a-z][a-z0-9]*)((?:\s+[^\s="'<>/]+(?:="[^"<>]*")?)*)\s*/?>`)
	attrRE    = regexp.MustCompile(`\s+([^\s="'<>/]+)(?:="([^"<>]*)")?`)
	onAttrRE  = regexp.MustCompile(`(?i)^on[a-z]+$`)
	commentOK = "<!-- raw HTML omitted -->"
)

// assertSafe checks out as a browser would read it: every '<' opens a tag
// goldmark emits (text has its '<' escaped), no event handler attributes, and
// every href and src, once entities are decoded, has an allowed scheme; src
// never points outside the site. src is only for the message.
func assertSafe(t testing.TB, src, out string) {
	t.Helper()
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<iframe"} {
		if strings.Contains(lower, bad) {
			t.Fatalf("output of %q contains %q:\n%s", src, bad, out)
		}
	}
	for i := 0; i < len(out); {
		j := strings.IndexByte(out[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if strings.HasPrefix(out[i:], commentOK) {
			i += len(commentOK)
			continue
		}
		m := tagRE.FindStringSubmatch(out[i:])
		if m == nil {
			t.Fatalf("output of %q has markup that is not a plain tag at %d: %q\n%s", src, i, clip(out[i:]), out)
		}
		if !allowedTags[m[2]] {
			t.Fatalf("output of %q has tag <%s>:\n%s", src, m[2], out)
		}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			name, value := strings.ToLower(a[1]), html.UnescapeString(a[2])
			if onAttrRE.MatchString(name) || !allowedAttrs[name] {
				t.Fatalf("output of %q has attribute %s on <%s>:\n%s", src, name, m[2], out)
			}
			switch name {
			case "href":
				if s := scheme(value); s != "" && !allowedSchemes[s] {
					t.Fatalf("output of %q has href %q:\n%s", src, value, out)
				}
			case "src":
				if external(value) {
					t.Fatalf("output of %q loads %q:\n%s", src, value, out)
				}
			}
			// Independent of scheme(): a relative "0javascript:x" or
			// "a/javascript:x" is harmless, a URL starting with it is not.
			if (name == "href" || name == "src") && strings.HasPrefix(strings.ToLower(browserForm(value)), "javascript:") {
				t.Fatalf("output of %q has %s %q:\n%s", src, name, value, out)
			}
		}
		i += len(m[0])
	}
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80]
	}
	return s
}

// markup returns the tags of out without the text between them.
func markup(out string) string {
	return strings.Join(anyTagRE.FindAllString(out, -1), "")
}

var anyTagRE = regexp.MustCompile(`<[^>]*>`)
