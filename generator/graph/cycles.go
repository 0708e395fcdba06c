package graph

import (
	"slices"
	"strings"
)

// Cycle is a loop of failure dependencies: each node depends on the next,
// and the last on the first (which is not repeated). A self-dependency is a
// Cycle of one node.
type Cycle []int

// Cycles reports where failure dependencies go round in a circle, which
// usually means a reference written the wrong way round (a domain applied
// to its DNS zone and the zone applied back to the domain). Listing every
// elementary cycle can take exponential time, so it reports one cycle per
// strongly connected component: the shortest through the component's first
// node, ties broken by node order step by step. Every node that depends on
// itself is reported too, as a Cycle of one. Cycles are sorted by their
// nodes. Nothing recurses: a 10,000-node loop is fine.
func (g *Graph) Cycles() []Cycle {
	var out []Cycle
	for _, members := range g.components() {
		if len(members) > 1 {
			out = append(out, g.cycleThrough(members))
		}
	}
	for n, deps := range g.dependencies {
		if _, self := slices.BinarySearch(deps, n); self {
			out = append(out, Cycle{n})
		}
	}
	slices.SortFunc(out, func(a, b Cycle) int { return slices.Compare(a, b) })
	return out
}

// cycleThrough finds a shortest cycle through the first of the members of a
// strongly connected component, breadth-first along dependencies within it.
func (g *Graph) cycleThrough(members []int) Cycle {
	start := members[0]
	in := make(map[int]bool, len(members))
	for _, m := range members {
		in[m] = true
	}
	parent := map[int]int{start: -1}
	queue := []int{start}
	for i := 0; i < len(queue); i++ {
		v := queue[i]
		for _, w := range g.dependencies[v] {
			if w == start && v != start {
				var c Cycle
				for u := v; u != -1; u = parent[u] {
					c = append(c, u)
				}
				slices.Reverse(c)
				return c
			}
			if _, ok := parent[w]; !ok && in[w] {
				parent[w] = v
				queue = append(queue, w)
			}
		}
	}
	return Cycle{start} // unreachable for a component of two or more nodes
}

// CycleString spells a cycle in dependency order, closing it:
// "server:a → server:b → server:a".
func (g *Graph) CycleString(c Cycle) string {
	if len(c) == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range c {
		b.WriteString(g.Label(n))
		b.WriteString(" → ")
	}
	b.WriteString(g.Label(c[0]))
	return b.String()
}

// components returns the strongly connected components of the failure
// edges, each sorted, in the order Tarjan's algorithm finds them: a
// component comes after every component it depends on. It uses an explicit
// stack in place of recursion.
func (g *Graph) components() [][]int {
	n := len(g.Nodes)
	index := make([]int, n) // 0: not visited yet; else visit order from 1
	low := make([]int, n)
	onStack := make([]bool, n)
	var stack []int
	type frame struct{ v, next int } // next: the next dependency to look at
	var calls []frame
	var comps [][]int
	order := 0
	visit := func(v int) {
		order++
		index[v], low[v] = order, order
		stack = append(stack, v)
		onStack[v] = true
		calls = append(calls, frame{v, 0})
	}
	for root := range n {
		if index[root] != 0 {
			continue
		}
		visit(root)
		for len(calls) > 0 {
			top := &calls[len(calls)-1]
			v := top.v
			if deps := g.dependencies[v]; top.next < len(deps) {
				w := deps[top.next]
				top.next++
				switch {
				case index[w] == 0:
					visit(w)
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] != index[v] {
				continue
			}
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			slices.Sort(comp)
			comps = append(comps, comp)
		}
	}
	return comps
}
