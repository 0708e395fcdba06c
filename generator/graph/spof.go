package graph

import (
	"cmp"
	"slices"

	"github.com/handover-dev/handover/generator/model"
)

// SPOF is a single point of failure: a node whose failure alone takes down
// Services, the critical and high services it reaches (critical first, then
// in node order).
type SPOF struct {
	Node     int
	Services []int
}

// SinglePointsOfFailure lists the nodes whose failure reaches a Service of
// criticality critical or high, with nothing in the model to take over.
//
// The rule. Every dependency in the model is required: a service that
// depends on A and B needs both (AND), so every transitive dependency of a
// critical or high service through failure edges is a single point of
// failure for it, services included (a shop that order fulfilment depends
// on). A node is never its own SPOF. When the model learns redundancy (a
// dependency satisfied by any one of several alternatives, an OR group:
// two servers behind a load balancer, a second internet line), a node is a
// single point of failure for a service only if its failure removes every
// alternative of some group the service needs, directly or transitively: a
// node inside a group of two or more working alternatives is not one, the
// group's shared dependencies still are. Today no schema field expresses
// alternatives (redundancy appears only in free text, like a backup line in
// a firewall's settings), so this is plain reachability.
//
// Sorted by how many critical services each reaches, then how many high
// ones, then node order.
func (g *Graph) SinglePointsOfFailure() []SPOF {
	rank := func(s int) int {
		if g.Criticality(s) == "critical" {
			return 0
		}
		return 1
	}
	reached := map[int][]int{}
	w := newWalker(len(g.Nodes))
	for s, d := range g.Nodes {
		if d.Kind != model.KindService || (g.Criticality(s) != "critical" && g.Criticality(s) != "high") {
			continue
		}
		w.reach(s, g.dependencies)
		for _, n := range w.queue {
			if n != s {
				reached[n] = append(reached[n], s)
			}
		}
	}
	out := make([]SPOF, 0, len(reached))
	critical := make(map[int]int, len(reached))
	for n, services := range reached {
		slices.SortFunc(services, func(a, b int) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
		for _, s := range services {
			if rank(s) == 0 {
				critical[n]++
			}
		}
		out = append(out, SPOF{Node: n, Services: services})
	}
	slices.SortFunc(out, func(a, b SPOF) int {
		return cmp.Or(
			cmp.Compare(critical[b.Node], critical[a.Node]),
			cmp.Compare(len(b.Services), len(a.Services)),
			cmp.Compare(a.Node, b.Node),
		)
	})
	return out
}
