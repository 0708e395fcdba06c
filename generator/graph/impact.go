package graph

import (
	"cmp"
	"slices"

	"github.com/handover-dev/handover/generator/model"
)

// Affected is one node in the blast radius of a failure.
type Affected struct {
	Node int
	// Path runs from the failed node to Node, each node depending on the one
	// before it: failed, …, Node. It is a shortest such path; among several,
	// the one whose nodes come first in node order, compared from the failed
	// node outward. Paths of one Impact share storage: read, do not modify.
	Path  []int
	Depth int // len(Path)-1: 1 for a direct dependent
}

// Impact returns the blast radius of node n: every node that depends on it
// through failure edges (not access, not documentation), transitively, each
// once with its shortest path, sorted by depth, then node. n itself is never
// part of its own impact, even on a cycle. It walks breadth-first without
// recursion, in O(V+E) time and O(V) memory beyond the paths.
func (g *Graph) Impact(n int) []Affected {
	return g.impact(n, func(v int) []int { return g.dependents[v] })
}

// ImpactVia is Impact following exactly the given edge types: ImpactVia(n,
// AccessedVia) tells which servers nobody can get into when a bastion or VPN
// fails, ImpactVia(n, FailureTypes...) is Impact.
func (g *Graph) ImpactVia(n int, types ...EdgeType) []Affected {
	return g.impact(n, func(v int) []int {
		var out []int
		for _, e := range g.In[v] {
			if slices.Contains(types, e.Type) && (len(out) == 0 || out[len(out)-1] != e.From) {
				out = append(out, e.From)
			}
		}
		return out
	})
}

func (g *Graph) impact(n int, dependents func(int) []int) []Affected {
	if n < 0 || n >= len(g.Nodes) {
		return nil
	}
	// Breadth-first over sorted adjacency: the first parent to reach a node
	// is the one that makes its path first in node order.
	// The pooled walker's stamps say what was seen: a set of the whole
	// portfolio's size for each impact (one per entity page) made the
	// render's cost grow with the square of the portfolio.
	type step struct{ node, parent, depth int }
	seen := g.walker()
	defer g.walkers.Put(seen)
	seen.epoch++
	seen.stamp[n] = seen.epoch
	queue := []step{{n, -1, 0}}
	for i := 0; i < len(queue); i++ {
		for _, w := range dependents(queue[i].node) {
			if seen.stamp[w] != seen.epoch {
				seen.stamp[w] = seen.epoch
				queue = append(queue, step{w, i, queue[i].depth + 1})
			}
		}
	}
	// A path is its parent's plus one node. The first child of a node
	// extends the parent's array in place, the others copy it, so a long
	// chain costs O(length) memory, not O(length²).
	paths := make([][]int, len(queue))
	extended := make([]bool, len(queue))
	paths[0] = append(make([]int, 0, 4), n)
	out := make([]Affected, 0, len(queue)-1)
	for i := 1; i < len(queue); i++ {
		s := queue[i]
		pp := paths[s.parent]
		if !extended[s.parent] && len(pp) < cap(pp) {
			paths[i] = append(pp, s.node)
		} else {
			p := make([]int, len(pp)+1, 2*len(pp)+2)
			copy(p, pp)
			p[len(pp)] = s.node
			paths[i] = p
		}
		extended[s.parent] = true
		l := len(paths[i])
		out = append(out, Affected{Node: s.node, Path: paths[i][:l:l], Depth: s.depth})
	}
	slices.SortFunc(out, func(a, b Affected) int {
		return cmp.Or(cmp.Compare(a.Depth, b.Depth), cmp.Compare(a.Node, b.Node))
	})
	return out
}

// Services keeps the Service nodes of an impact, in its order: where the
// client feels the failure. Criticality tells how much.
func (g *Graph) Services(impact []Affected) []Affected {
	var out []Affected
	for _, a := range impact {
		if g.Nodes[a.Node].Kind == model.KindService {
			out = append(out, a)
		}
	}
	return out
}

// Criticality is a Service node's criticality as written (critical, high,
// medium, low), "" for other kinds or when it is missing.
func (g *Graph) Criticality(n int) string {
	if n < 0 || n >= len(g.Nodes) || g.Nodes[n].Kind != model.KindService {
		return ""
	}
	c := g.Nodes[n].Value.String("criticality")
	return c
}

// DependentCount is len(g.Impact(n)), without building the paths: how many
// nodes fail, transitively, when n fails.
func (g *Graph) DependentCount(n int) int {
	if n < 0 || n >= len(g.Nodes) {
		return 0
	}
	w := g.walker()
	defer g.walkers.Put(w)
	return w.reach(n, g.dependents) - 1
}

// DependentCounts returns DependentCount of every node, for charts and
// sorting. Nodes of one strongly connected component share their blast
// radius, and a component whose dependents all sit in one other component D
// has D's radius plus D's members, so it walks only from the components
// that several others depend on (fan-in points). The worst case is
// O(C·(V+E)) for C components; in practice it is the sum of the blast radii
// of the fan-in points, since a walk only touches what it reaches. A
// portfolio is many small clusters (one per client) joined by a few shared
// vendors: 50,000 synthetic entities take tens of milliseconds
// (BenchmarkDependentCounts), and a 10,000-node chain is linear.
func (g *Graph) DependentCounts() []int {
	counts := make([]int, len(g.Nodes))
	comps := g.components()
	compOf := make([]int, len(g.Nodes))
	for c, members := range comps {
		for _, m := range members {
			compOf[m] = c
		}
	}
	w := newWalker(len(g.Nodes))
	// Tarjan finds a component after those it depends on: backwards, every
	// dependent component is counted before the components it depends on.
	for c := len(comps) - 1; c >= 0; c-- {
		members := comps[c]
		only, several := -1, false
		for _, m := range members {
			for _, d := range g.dependents[m] {
				switch dc := compOf[d]; {
				case dc == c || dc == only:
				case only == -1:
					only = dc
				default:
					several = true
				}
			}
		}
		// Every member reaches every other and the same nodes beyond, so
		// each has the same count: the component's size, less itself, plus
		// what lies beyond.
		var count int
		switch {
		case several:
			count = w.reach(members[0], g.dependents) - 1
		case only >= 0:
			count = len(members) + counts[comps[only][0]]
		default:
			count = len(members) - 1
		}
		for _, m := range members {
			counts[m] = count
		}
	}
	return counts
}

// walker is a reusable breadth-first walk: a visit stamp per node instead of
// a fresh visited set, so repeated walks cost what they touch.
type walker struct {
	stamp []uint32
	epoch uint32
	queue []int
}

func newWalker(n int) *walker { return &walker{stamp: make([]uint32, n)} }

// reach counts the nodes reachable from start through next, start included.
func (w *walker) reach(start int, next [][]int) int {
	w.epoch++
	w.stamp[start] = w.epoch
	w.queue = append(w.queue[:0], start)
	for i := 0; i < len(w.queue); i++ {
		for _, v := range next[w.queue[i]] {
			if w.stamp[v] != w.epoch {
				w.stamp[v] = w.epoch
				w.queue = append(w.queue, v)
			}
		}
	}
	return len(w.queue)
}

// Dependents visits every node that fails when node n fails (n itself
// excluded), in no particular order: Impact without the paths, for code
// that only counts. It may run concurrently with other methods.
func (g *Graph) Dependents(n int, visit func(int)) { g.visit(n, g.dependents, visit) }

// Dependencies visits every node whose failure takes node n down (n
// itself excluded), in no particular order: the nodes whose blast radius
// holds n.
func (g *Graph) Dependencies(n int, visit func(int)) { g.visit(n, g.dependencies, visit) }

// visit walks from n along next with a pooled walker.
func (g *Graph) visit(n int, next [][]int, visit func(int)) {
	if n < 0 || n >= len(g.Nodes) {
		return
	}
	w := g.walker()
	defer g.walkers.Put(w)
	w.reach(n, next)
	for _, v := range w.queue[1:] {
		visit(v)
	}
}

// walker takes a walker sized for the graph from its pool; put it back
// when done.
func (g *Graph) walker() *walker {
	if w, _ := g.walkers.Get().(*walker); w != nil {
		return w
	}
	return newWalker(len(g.Nodes))
}
