package site

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
)

// funcs are the helpers templates may call, besides the Page methods.
var funcs = template.FuncMap{
	"label":    Label,
	"lower":    strings.ToLower,
	"contacts": Contacts,
	"kindName": func(k model.Kind) string { return strings.ToLower(string(k)) },
	"tel":      telURL,
	"mailto": func(s string) string {
		if strings.Contains(s, "@") {
			return "mailto:" + s
		}
		return ""
	},
	"typed":   func(e *Entity) any { return e.Typed },
	"dict":    dict,
	"linkify": linkify,
	"first": func(cs []model.Contact) *model.Contact {
		cs = Contacts(cs)
		if len(cs) == 0 {
			return nil
		}
		return &cs[0]
	},
}

// dict builds a map from key, value pairs, to pass several values to a
// partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// parse reads layouts/*.html once as the shared frame, then each
// pages/*.html into its own copy of it.
func (r *renderer) parse(tfs fs.FS) []diag.Diagnostic {
	layouts, err := fs.Glob(tfs, "layouts/*.html")
	if err != nil || len(layouts) == 0 {
		return []diag.Diagnostic{diag.Errorf(diag.Pos{File: "site-template/layouts"}, "template",
			"restore the default templates", "the site template has no layouts")}
	}
	base := template.New("").Funcs(funcs)
	for _, l := range layouts {
		if d, ok := parseFile(base, tfs, l); !ok {
			return []diag.Diagnostic{d}
		}
	}
	pages, _ := fs.Glob(tfs, "pages/*.html")
	r.pages = map[string]*template.Template{}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return []diag.Diagnostic{templateDiag(err, p)}
		}
		if d, ok := parseFile(t, tfs, p); !ok {
			return []diag.Diagnostic{d}
		}
		r.pages[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	for _, need := range []string{"dashboard", "client", "entity", "runbook", "vendors", "expiries", "pack", "search", "changelog", "changes"} {
		if r.pages[need] == nil {
			return []diag.Diagnostic{diag.Errorf(diag.Pos{File: "site-template/pages/" + need + ".html"}, "template",
				"restore the default template", "the site template has no page template %q", need)}
		}
	}
	return nil
}

var templateLine = regexp.MustCompile(`:(\d+):`)

func parseFile(t *template.Template, tfs fs.FS, name string) (diag.Diagnostic, bool) {
	b, err := fs.ReadFile(tfs, name)
	if err == nil {
		_, err = t.New(name).Parse(string(b))
	}
	if err != nil {
		d := templateDiag(fmt.Errorf("%v", err), name)
		if m := templateLine.FindStringSubmatch(err.Error()); m != nil {
			d.Line, _ = strconv.Atoi(m[1])
		}
		return d, false
	}
	return diag.Diagnostic{}, true
}

// Part is a piece of text, linked when Href is set.
type Part struct {
	Text string
	Href template.URL
}

var linkable = regexp.MustCompile(`https?://[^\s<>"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\+?\d[\d ()./-]{5,}\d`)

// linkify splits free text such as "help@example.com / +44 161 496 0750"
// into parts, linking each web address, email address and phone number.
func linkify(s string) []Part {
	var parts []Part
	last := 0
	for _, loc := range linkable.FindAllStringIndex(s, -1) {
		if loc[0] > last {
			parts = append(parts, Part{Text: s[last:loc[0]]})
		}
		m := s[loc[0]:loc[1]]
		var href template.URL
		switch {
		case strings.HasPrefix(m, "http"):
			href = template.URL(m)
		case strings.Contains(m, "@"):
			href = template.URL("mailto:" + m)
		default:
			href = telURL(m)
		}
		parts = append(parts, Part{Text: m, Href: href})
		last = loc[1]
	}
	if last < len(s) {
		parts = append(parts, Part{Text: s[last:]})
	}
	return parts
}
