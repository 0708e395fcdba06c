package diff

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// Markdown for a pull-request comment (GitHub Flavored Markdown, no HTML).
// Everything from the repository is either in a code span (ids, paths,
// values, files: a fence longer than any run of backticks inside, so no
// value can close it) or escaped with backslashes (names in running text).
// The output has no tables, so a pipe in a code span stays literal.
var markdown = style{code: codeSpan, text: escape}

// summaryItems is how many changes the summary sentence names before it
// says "and N more changes"; summaryDependents, how many blast-radius
// changes it mentions; dependentsLimit, how many the closing line lists.
const (
	summaryItems      = 6
	summaryDependents = 2
	dependentsLimit   = 10
)

// WriteMarkdown writes r as a pull-request comment: one paragraph that says
// in words what the change does, then a section per client (the portfolio
// and the shared vendors first) with a bullet per entity and its field
// changes under it, then a line on how blast radii changed. An empty result
// is the one sentence "No changes to the handover model."
func (r Result) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if r.Empty() {
		fmt.Fprintln(bw, "No changes to the handover model.")
		return bw.Flush()
	}
	fmt.Fprintf(bw, "%s\n", r.summary())
	if len(r.Portfolio) > 0 {
		fmt.Fprintf(bw, "\n### Portfolio (%s)\n\n", codeSpan("handover.yaml"))
		for _, f := range r.Portfolio {
			fmt.Fprintf(bw, "- %s\n", field(f, markdown))
		}
	}
	for _, c := range r.Clients {
		fmt.Fprintf(bw, "\n### %s\n\n", escape(c.Name))
		for _, e := range c.Changes {
			kind, id, _ := strings.Cut(e.Ref, ":")
			fmt.Fprintf(bw, "- **%s** %s %s", strings.ToUpper(string(e.Kind[:1]))+string(e.Kind[1:]), kind, codeSpan(id))
			if e.Name != id {
				fmt.Fprintf(bw, " — %s", escape(e.Name))
			}
			switch {
			case e.Kind == Added:
				fmt.Fprintf(bw, " (%s)", codeSpan(e.File))
			case e.Kind == Removed:
				fmt.Fprintf(bw, " (was in %s)", codeSpan(e.File))
			case e.MovedFrom != "":
				fmt.Fprintf(bw, " (moved from %s to %s)", codeSpan(e.MovedFrom), codeSpan(e.File))
			}
			fmt.Fprintln(bw)
			for _, f := range e.Fields {
				fmt.Fprintf(bw, "  - %s\n", field(f, markdown))
			}
			if e.BodyChanged {
				fmt.Fprintf(bw, "  - runbook text changed\n")
			}
		}
	}
	if len(r.Dependents) > 0 {
		names := r.clientNames()
		var parts []string
		for i, d := range r.Dependents {
			if i == dependentsLimit {
				parts = append(parts, fmt.Sprintf("and %s changed too", plural(len(r.Dependents)-i, "more blast radius", "more blast radii")))
				break
			}
			parts = append(parts, dependentsWords(d, names[d.Client], markdown))
		}
		fmt.Fprintf(bw, "\n**Blast radius** (what fails with it, directly or through others): %s.\n", strings.Join(parts, "; "))
	}
	fmt.Fprintf(bw, "\nCompared %s with %s.\n", codeSpan(r.From), codeSpan(r.To))
	return bw.Flush()
}

// summary is the opening paragraph: "This change adds server `web-03` to
// Acme, removes vendor `oldisp` from Acme and changes `backup.schedule` of
// Acme's server `db-01` from `nightly` to `hourly`; 3 more entities now
// depend on shared vendor `aws` (7 in all)."
//
// It names at most summaryItems entities, in this order: the portfolio,
// additions, removals, then changes, since a new or missing entity matters
// more to a reviewer than an edited field. Additions and removals are
// grouped per client, and a client added or removed whole is one item.
func (r Result) summary() string {
	type group struct {
		verb, where string // "adds", "to Acme"
		items       []string
	}
	var groups []*group
	total, named := 0, 0
	take := func(g *group, item string) {
		total++
		if named < summaryItems {
			named++
			g.items = append(g.items, item)
		}
	}
	if len(r.Portfolio) > 0 {
		g := &group{}
		take(g, changed("the portfolio", r.Portfolio, false, nil, nil))
		groups = append(groups, g)
	}
	for _, k := range []Kind{Added, Removed} {
		verb, prep := "adds", "to"
		if k == Removed {
			verb, prep = "removes", "from"
		}
		for _, c := range r.Clients {
			g := &group{verb: verb}
			if c.Client != "" {
				g.where = prep + " " + escape(c.Name)
			}
			var n int
			whole := false
			for _, e := range c.Changes {
				if e.Kind == k {
					n++
					whole = whole || strings.HasPrefix(e.Ref, "client:")
				}
			}
			switch {
			case n == 0:
				continue
			case whole:
				// The client itself came or went: one item for all of it.
				g.where = ""
				take(g, "client "+escape(c.Name)+" ("+plural(n, "entity", "entities")+")")
			default:
				for _, e := range c.Changes {
					if e.Kind != k {
						continue
					}
					kind, id, _ := strings.Cut(e.Ref, ":")
					if c.Client == "" {
						kind = "shared " + kind
					}
					take(g, kind+" "+codeSpan(id))
				}
			}
			groups = append(groups, g)
		}
	}
	for _, c := range r.Clients {
		for _, e := range c.Changes {
			if e.Kind == Changed {
				g := &group{}
				take(g, changed(subject(e.Ref, e.Client, c.Name, markdown), e.Fields, e.BodyChanged, e.RefsAdded, e.RefsRemoved))
				groups = append(groups, g)
			}
		}
	}
	var clauses []string
	for _, g := range groups {
		if len(g.items) == 0 {
			continue
		}
		if g.verb == "" {
			clauses = append(clauses, g.items...)
			continue
		}
		clause := g.verb + " " + join(g.items)
		if g.where != "" {
			clause += " " + g.where
		}
		clauses = append(clauses, clause)
	}
	if more := total - named; more > 0 {
		clauses = append(clauses, plural(more, "more change", "more changes"))
	}
	s := "This change " + join(clauses)
	if len(clauses) == 0 {
		s = "This change edits no entity, but"
	}
	var deps []string
	names := r.clientNames()
	for i, d := range r.Dependents {
		if i == summaryDependents {
			break
		}
		deps = append(deps, dependentsWords(d, names[d.Client], markdown))
	}
	if len(deps) > 0 && len(clauses) > 0 {
		s += ";"
	}
	if len(deps) > 0 {
		s += " " + join(deps)
	}
	return s + "."
}

// changed is the summary's phrase for a changed entity, or the portfolio:
// one field change is spelt out with its values; several are named by
// their top-level fields, those holding references first and the review
// date last, and the references gained and lost are named.
func changed(subj string, fs []FieldChange, body bool, added, removed []string) string {
	if body && len(fs) == 0 {
		return "edits the text of " + subj
	}
	if len(fs) == 1 && !body {
		f := fs[0]
		path := fieldPath(f, markdown)
		switch {
		case f.Added != nil || f.Removed != nil:
			switch {
			case len(f.Removed) == 0:
				return "adds " + items(f.Added) + " to " + path + " of " + subj
			case len(f.Added) == 0:
				return "removes " + items(f.Removed) + " from " + path + " of " + subj
			}
			return "changes " + path + " of " + subj
		case f.Hidden || f.Text:
			what := path
			if f.Hidden {
				what = "the credential reference " + path
			}
			switch verb(f.Old, f.New) {
			case "added":
				return "adds " + what + " to " + subj
			case "removed":
				return "removes " + what + " from " + subj
			}
			return "changes " + what + " of " + subj
		case f.Old == nil:
			return "sets " + path + " of " + subj + " to " + value(f.New, markdown, summaryLimit)
		case f.New == nil:
			return "removes " + path + " from " + subj
		}
		old, cur := pair(f.Old, f.New, markdown, summaryLimit)
		return "changes " + path + " of " + subj + " from " + old + " to " + cur
	}
	var tops []string
	for _, f := range fs {
		top := f.Path
		if i := strings.IndexAny(top, ".["); i >= 0 {
			top = top[:i]
		}
		if !slices.Contains(tops, top) {
			tops = append(tops, top)
		}
	}
	slices.SortStableFunc(tops, func(a, b string) int { return cmp.Compare(weight(a), weight(b)) })
	names := make([]string, len(tops))
	for i, t := range tops {
		names[i] = codeSpan(t)
	}
	if body {
		names = append(names, "the runbook text")
	}
	var s string
	switch {
	case len(names) == 1:
		s = "updates " + names[0] + " of " + subj
	case len(names) > 3:
		names = append(names[:3], plural(len(names)-3, "more field", "more fields"))
		fallthrough
	default:
		s = "updates " + subj + " (" + join(names) + ")"
	}
	switch {
	case len(added) > 0 && len(removed) > 0:
		s += " to refer to " + items(added) + " instead of " + items(removed)
	case len(added) > 0:
		s += " to also refer to " + items(added)
	case len(removed) > 0:
		s += " to stop referring to " + items(removed)
	}
	return s
}

// weight orders the top-level fields a summary names: fields that hold
// references (what the entity depends on) first, the review stamp last.
func weight(top string) int {
	switch top {
	case "reviewed", "reviewedBy":
		return 2
	}
	for _, f := range model.RefFields {
		if p, _, _ := strings.Cut(strings.TrimSuffix(f.Path, "[]"), "."); p == top {
			return 0
		}
	}
	return 1
}

// items spells up to three set items as values, or counts them.
func items(list []string) string {
	if len(list) > 3 {
		return plural(len(list), "item", "items")
	}
	parts := make([]string, len(list))
	for i, s := range list {
		parts[i] = value(s, markdown, summaryLimit)
	}
	return join(parts)
}

// codeSpan puts s in a Markdown code span that nothing in s can close: the
// fence is one backtick longer than the longest run of backticks in s, and
// a space pads s when it starts or ends with a backtick or a space (which
// CommonMark strips once from each side). Control characters are spelt
// out, so a span never runs over a line; an empty s, which no code span can
// hold, is "(empty)".
func codeSpan(s string) string {
	if s == "" {
		return "(empty)"
	}
	s = visible(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		(strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") && strings.Trim(s, " ") != "") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// escape makes a name safe in running Markdown text: a backslash before
// every character that could start emphasis, a link, a code span, an HTML
// tag or entity, a table cell, strikethrough, math or a closing heading
// sequence. Control characters are spelt out.
func escape(s string) string {
	var b strings.Builder
	for _, r := range visible(s) {
		if strings.ContainsRune("\\`*_[]<>|~&$#!", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
