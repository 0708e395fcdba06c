package check

import (
	"bufio"
	"fmt"
	"io"
)

// WriteText writes r for a terminal: a line per client with its score, then
// per client (and for the shared vendors) the entities with something
// missing, worst first, each finding with its fix and position; then what
// expires, soonest first; then the stale reviews; and last why each rule
// that failed matters.
func (r Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Handover readiness on %s\n", r.Today)
	fmt.Fprintf(bw, "Policies: a review goes stale after %s; expiries warn %s ahead.\n\n", r.StaleAfter, r.ExpiryWarning)
	for _, c := range r.Clients {
		fmt.Fprintf(bw, "  %3d  %s\n", c.Score, title(c.Name, c.Client))
	}
	if len(r.Shared) > 0 {
		fmt.Fprintf(bw, "       %s, each scored on its own and in every client that uses it\n", plural(len(r.Shared), "shared vendor"))
	}
	for _, d := range r.Warnings {
		fmt.Fprintf(bw, "\n%s: %s: %s\n", d.Pos(), d.Severity, visible(d.Message))
		if d.Hint != "" {
			fmt.Fprintf(bw, "  hint: %s\n", visible(d.Hint))
		}
	}
	for _, c := range r.Clients {
		fmt.Fprintf(bw, "\n%s: %d/100\n", title(c.Name, c.Client), c.Score)
		fmt.Fprintf(bw, "  %s missing on %d of %s\n", plural(len(c.Missing), "item"), incomplete(c.Entities), plural(len(c.Entities), "entity"))
		r.writeSection(bw, c.Client, c.Entities, "entity")
	}
	if len(r.Shared) > 0 {
		missing := 0
		for _, e := range r.Shared {
			missing += len(e.Missing)
		}
		fmt.Fprintf(bw, "\nShared vendors\n")
		fmt.Fprintf(bw, "  %s missing on %d of %s\n", plural(missing, "item"), incomplete(r.Shared), plural(len(r.Shared), "vendor"))
		r.writeSection(bw, "", r.Shared, "vendor")
	}
	if rules := r.usedRules(); len(rules) > 0 {
		fmt.Fprintf(bw, "\nWhy these matter\n")
		for _, rule := range rules {
			fmt.Fprintf(bw, "  %s (weight %d): %s.\n", rule.ID, rule.Weight, rule.Reason)
		}
	}
	return bw.Flush()
}

// writeSection writes the missing items, expiries and stale reviews of one
// client, or of the shared vendors when client is "".
func (r Report) writeSection(w io.Writer, client string, entities []EntityScore, noun string) {
	complete := 0
	fmt.Fprintf(w, "\n  Missing, biggest gaps first:\n")
	for _, e := range entities {
		if len(e.Missing) == 0 {
			complete++
			continue
		}
		shared := ""
		if client != "" && e.Client == "" {
			shared = ", shared vendor"
		}
		fmt.Fprintf(w, "    %s  %s: %d/100%s\n", e.Ref, visible(e.Name), e.Score, shared)
		for _, f := range e.Missing {
			fmt.Fprintf(w, "      - %s: %s\n", f.Rule, visible(f.Message))
			fmt.Fprintf(w, "        fix: %s\n", f.Fix)
			fmt.Fprintf(w, "        at %s\n", f.Pos)
		}
	}
	switch {
	case complete == len(entities):
		fmt.Fprintf(w, "    nothing\n")
	case complete > 0:
		fmt.Fprintf(w, "    nothing on the other %s\n", plural(complete, noun))
	}

	if xs := r.clientExpiries(client); len(xs) > 0 {
		fmt.Fprintf(w, "\n  Expiring, soonest first:\n")
		for _, x := range xs {
			fmt.Fprintf(w, "    %-7s  %s  %s  %s: %s\n", x.Severity, x.Due(), x.Ref, visible(x.Name), visible(x.Message))
			fmt.Fprintf(w, "             at %s\n", x.Pos)
		}
	} else {
		fmt.Fprintf(w, "\n  Expiring: nothing within %s.\n", r.ExpiryWarning)
	}

	if ss := r.clientStale(client); len(ss) > 0 {
		fmt.Fprintf(w, "\n  Stale reviews, oldest first:\n")
		for _, s := range ss {
			fmt.Fprintf(w, "    %s  %s: %s\n", s.Ref, visible(s.Name), s.message(r.StaleAfter))
			fmt.Fprintf(w, "      at %s\n", s.Pos)
		}
	} else {
		fmt.Fprintf(w, "\n  Stale reviews: none.\n")
	}
}

// incomplete counts the entities with something missing.
func incomplete(es []EntityScore) int {
	n := 0
	for _, e := range es {
		if len(e.Missing) > 0 {
			n++
		}
	}
	return n
}
