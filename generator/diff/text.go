package diff

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

var plain = style{code: visible, text: visible}

// WriteText writes r for a terminal: a line of counts, then each client's
// changes, one line per entity (+ added, ~ changed, - removed) with its
// field changes indented under it, then the changes in blast radius.
func (r Result) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if r.Empty() {
		fmt.Fprintf(bw, "No changes to the handover model from %s to %s.\n", visible(r.From), visible(r.To))
		return bw.Flush()
	}
	fmt.Fprintf(bw, "Handover model changes from %s to %s: %s.\n", visible(r.From), visible(r.To), r.counts())
	if len(r.Portfolio) > 0 {
		fmt.Fprintf(bw, "\nPortfolio (handover.yaml)\n")
		for _, f := range r.Portfolio {
			fmt.Fprintf(bw, "  ~ %s\n", field(f, plain))
		}
	}
	for _, c := range r.Clients {
		title := visible(c.Name)
		if c.Client != "" && c.Client != c.Name {
			title += " (" + c.Client + ")"
		}
		fmt.Fprintf(bw, "\n%s\n", title)
		for _, e := range c.Changes {
			fmt.Fprintf(bw, "  %s %s  %s", sign[e.Kind], e.Ref, visible(e.Name))
			switch {
			case e.Kind == Added:
				fmt.Fprintf(bw, "  (%s)", visible(e.File))
			case e.Kind == Removed:
				fmt.Fprintf(bw, "  (was %s)", visible(e.File))
			case e.MovedFrom != "":
				fmt.Fprintf(bw, "  (moved from %s to %s)", visible(e.MovedFrom), visible(e.File))
			}
			fmt.Fprintln(bw)
			for _, f := range e.Fields {
				fmt.Fprintf(bw, "      %s\n", field(f, plain))
			}
			if e.BodyChanged {
				fmt.Fprintf(bw, "      runbook text changed\n")
			}
		}
	}
	if len(r.Dependents) > 0 {
		names := r.clientNames()
		fmt.Fprintf(bw, "\nBlast radius (what fails with it, directly or through others)\n")
		for _, d := range r.Dependents {
			fmt.Fprintf(bw, "  %s\n", dependentsWords(d, names[d.Client], plain))
		}
	}
	return bw.Flush()
}

var sign = map[Kind]string{Added: "+", Changed: "~", Removed: "-"}

// counts spells how many entities each kind of change touched: "2 added,
// 3 changed, 1 removed, portfolio changed".
func (r Result) counts() string {
	n := map[Kind]int{}
	for _, c := range r.Clients {
		for _, e := range c.Changes {
			n[e.Kind]++
		}
	}
	var parts []string
	for _, k := range []Kind{Added, Changed, Removed} {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
		}
	}
	if len(r.Portfolio) > 0 {
		parts = append(parts, "portfolio changed")
	}
	if len(parts) == 0 {
		return "only dependents changed"
	}
	return strings.Join(parts, ", ")
}
