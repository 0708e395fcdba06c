package check

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes r as GitHub-flavoured Markdown, for a pull request
// comment or a wiki page: a table of client scores, then per client (and
// for the shared vendors) a table of what is missing with its fix, the
// expiries and the stale reviews, and last why each failed rule matters.
func (r Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## Handover readiness on %s\n\n", r.Today)
	fmt.Fprintf(bw, "A review goes stale after %s; expiries warn %s ahead.\n\n", r.StaleAfter, r.ExpiryWarning)
	fmt.Fprintf(bw, "| Client | Score | Missing | Expiring | Stale |\n|---|---:|---:|---:|---:|\n")
	for _, c := range r.Clients {
		fmt.Fprintf(bw, "| %s | %d | %d | %d | %d |\n", cell(title(c.Name, c.Client)), c.Score, len(c.Missing),
			len(r.clientExpiries(c.Client)), len(r.clientStale(c.Client)))
	}
	if len(r.Shared) > 0 {
		missing := 0
		for _, e := range r.Shared {
			missing += len(e.Missing)
		}
		fmt.Fprintf(bw, "| Shared vendors (%d) | | %d | %d | %d |\n", len(r.Shared), missing, len(r.clientExpiries("")), len(r.clientStale("")))
	}
	for _, d := range r.Warnings {
		fmt.Fprintf(bw, "\n> **%s** `%s`: %s", d.Severity, cell(d.Pos().String()), cell(d.Message))
		if d.Hint != "" {
			fmt.Fprintf(bw, " (%s)", cell(d.Hint))
		}
		fmt.Fprintln(bw)
	}
	for _, c := range r.Clients {
		fmt.Fprintf(bw, "\n### %s: %d/100\n", cell(title(c.Name, c.Client)), c.Score)
		r.markdownSection(bw, c.Client, c.Entities)
	}
	if len(r.Shared) > 0 {
		fmt.Fprintf(bw, "\n### Shared vendors\n")
		r.markdownSection(bw, "", r.Shared)
	}
	if rules := r.usedRules(); len(rules) > 0 {
		fmt.Fprintf(bw, "\n### Why these matter\n\n")
		for _, rule := range rules {
			fmt.Fprintf(bw, "- `%s` (weight %d): %s.\n", rule.ID, rule.Weight, rule.Reason)
		}
	}
	return bw.Flush()
}

func (r Report) markdownSection(w io.Writer, client string, entities []EntityScore) {
	var rows []string
	for _, e := range entities {
		name := fmt.Sprintf("`%s` %s (%d)", e.Ref, cell(e.Name), e.Score)
		for _, f := range e.Missing {
			rows = append(rows, fmt.Sprintf("| %s | `%s` | %s | %s | `%s` |", name, f.Rule, cell(f.Message), cell(f.Fix), cell(f.Pos.String())))
		}
	}
	if len(rows) == 0 {
		fmt.Fprintf(w, "\nNothing missing.\n")
	} else {
		fmt.Fprintf(w, "\n| Entity (score) | Rule | Missing | Fix | Where |\n|---|---|---|---|---|\n%s\n", strings.Join(rows, "\n"))
	}
	if xs := r.clientExpiries(client); len(xs) > 0 {
		fmt.Fprintf(w, "\n**Expiring, soonest first**\n\n| | Due | Entity | What | Where |\n|---|---|---|---|---|\n")
		for _, x := range xs {
			fmt.Fprintf(w, "| %s | %s | `%s` %s | %s | `%s` |\n", x.Severity, x.Due(), x.Ref, cell(x.Name), cell(x.Message), cell(x.Pos.String()))
		}
	}
	if ss := r.clientStale(client); len(ss) > 0 {
		fmt.Fprintf(w, "\n**Stale reviews, oldest first**\n\n| Entity | Since | Days | Where |\n|---|---|---:|---|\n")
		for _, s := range ss {
			since := s.Since
			if s.Basis != basisReviewed {
				since += " (" + s.Basis + ", never reviewed)"
			}
			fmt.Fprintf(w, "| `%s` %s | %s | %d | `%s` |\n", s.Ref, cell(s.Name), since, s.Days, cell(s.Pos.String()))
		}
	}
}

// cell makes text safe inside a Markdown table cell: one line, pipes
// escaped, no raw HTML.
func cell(s string) string {
	s = visible(strings.Join(strings.Fields(s), " "))
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
