package check

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/handover-dev/handover/generator/diag"
)

// Formats lists the output formats by their --format name, the default
// first.
var Formats = []string{"text", "markdown", "json", "github"}

// Write writes r in the named format; "" is text. The error for an unknown
// name lists the known ones.
func (r Report) Write(w io.Writer, format string) error {
	switch format {
	case "text", "":
		return r.WriteText(w)
	case "markdown":
		return r.WriteMarkdown(w)
	case "json":
		return r.WriteJSON(w)
	case "github":
		return r.WriteGitHub(w)
	}
	return fmt.Errorf("unknown format %q (known: %s)", format, strings.Join(Formats, ", "))
}

// WriteGitHub writes Diagnostics as GitHub Actions workflow commands, which
// become annotations on the pull request's files.
func (r Report) WriteGitHub(w io.Writer) error {
	return diag.GitHub{}.Format(w, r.Diagnostics())
}

// visible shows control characters as \uXXXX, so that text from the
// repository cannot move a terminal's cursor or break a line of a report.
func visible(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// title names a client or entity with its id: "Acme Ltd (acme)".
func title(name, id string) string {
	if name == "" || name == id {
		return visible(id)
	}
	return visible(name) + " (" + visible(id) + ")"
}

// clientExpiries and clientStale keep the items of one client ("" for the
// shared vendors).
func (r Report) clientExpiries(client string) []Expiry {
	var out []Expiry
	for _, x := range r.Expiries {
		if x.Client == client {
			out = append(out, x)
		}
	}
	return out
}

func (r Report) clientStale(client string) []Stale {
	var out []Stale
	for _, s := range r.Stale {
		if s.Client == client {
			out = append(out, s)
		}
	}
	return out
}

// usedRules lists the rules that some finding of the report fails, in
// table order, for the "why" notes at the end of a report.
func (r Report) usedRules() []Rule {
	used := map[string]bool{}
	for _, c := range r.Clients {
		for _, f := range c.Missing {
			used[f.Rule] = true
		}
	}
	for _, e := range r.Shared {
		for _, f := range e.Missing {
			used[f.Rule] = true
		}
	}
	var out []Rule
	for _, rule := range Rules {
		if used[rule.ID] {
			out = append(out, rule)
		}
	}
	return out
}
