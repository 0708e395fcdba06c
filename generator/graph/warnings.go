package graph

import (
	"fmt"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
)

// Warnings reports what the graph shows to be missing or suspicious:
// entities that nothing references and that reference nothing, dependency
// cycles spelled out, and production servers without monitoring or
// backup. None of them stops a build.
func (g *Graph) Warnings() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, n := range g.Orphans() {
		d := g.Nodes[n]
		if d.Kind == model.KindRunbook {
			continue // a runbook about nothing in particular is still useful
		}
		out = append(out, diag.Warnf(d.FieldPos([]string{"id"}, false), "orphan-entity",
			"reference it where it is used (dependsOn, location.provider, vendor, …), or delete it if it is gone",
			"%s is not connected: nothing refers to it and it refers to nothing", g.Label(n)))
	}
	for _, c := range g.Cycles() {
		d := g.Nodes[c[0]]
		out = append(out, diag.Warnf(d.FieldPos([]string{"id"}, false), "dependency-cycle",
			"a cycle means each would wait for the other to recover: check which dependency is real",
			"dependency cycle: %s", g.CycleString(c)))
	}
	for n, d := range g.Nodes {
		if d.Kind != model.KindServer || d.Value.Get("environment") != "production" {
			continue
		}
		for _, f := range []struct{ field, code, what string }{
			{"monitoring", "no-monitoring", "nobody is alerted when it fails"},
			{"backup", "no-backup", "nothing says how to restore it"},
		} {
			if _, ok := d.Value.Lookup(f.field); !ok {
				out = append(out, diag.Warnf(d.FieldPos([]string{"id"}, false), f.code,
					fmt.Sprintf("add `%s:` (write what exists, or why there is none in its notes)", f.field),
					"production server %s has no %s: %s", g.Label(n), f.field, f.what))
			}
		}
	}
	return out
}
