// Package graph owns the analyse stage's dependency graph: one graph per
// portfolio, built from the references the resolve stage found, with typed
// edges that say who depends on whom. Over it, it answers what breaks if
// something fails (Impact, the blast radius), which nodes are single points
// of failure for the services that matter, where dependencies go round in
// cycles, and which entities nothing refers to.
//
// It does not read files, report diagnostics or decide what to show: the
// check and site stages turn its answers into findings and pages. Every
// function is pure over the Graph value and returns sorted results, so the
// same repository gives the same answers.
package graph

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/internal/parallel"
)

// EdgeType says what a dependency edge means. Every type reads as
// "From <type> To": a server is hosted-by a vendor, a runbook documents a
// server.
type EdgeType string

// The edge types. The first six are failure edges: the failure of To
// breaks From, and Impact follows them. The others are kept for pages and
// charts but carry no failure.
const (
	// DependsOn is a dependsOn field of a Service, Server or Integration.
	DependsOn EdgeType = "depends-on"
	// HostedBy is a Server's location.provider: the vendor that hosts it.
	HostedBy EdgeType = "hosted-by"
	// RunsOn is an Integration's runsOn: the servers (or services) it runs on.
	RunsOn EdgeType = "runs-on"
	// ProvidedBy is an Integration's provider: the vendor at the other end.
	ProvidedBy EdgeType = "provided-by"
	// SuppliedBy is a Configuration's vendor: who supplies the domain,
	// certificate, licence or tenant.
	SuppliedBy EdgeType = "supplied-by"
	// ConfiguredBy is a Configuration's appliesTo, reversed: the entity the
	// configuration applies to depends on it (an expired certificate or a
	// broken DNS zone breaks the server or service it applies to).
	ConfiguredBy EdgeType = "configured-by"

	// AccessedVia is a Server's access.via, the bastion, VPN or remote tool
	// an engineer goes through. When it fails nobody can get in, but the
	// server keeps running, so Impact does not follow it; ImpactVia can.
	AccessedVia EdgeType = "accessed-via"
	// Protects is a backup job's appliesTo, reversed: the server or service
	// is protected by the job. A failed backup puts the next restore at
	// risk but stops nothing, so Impact does not follow it.
	Protects EdgeType = "protected-by"
	// Documents links a runbook to what it is about, from a Runbook's
	// appliesTo or, reversed, from a Server's runbooks. Never a failure.
	Documents EdgeType = "documents"
	// References is a reference field this package does not know yet: it
	// is kept, and never treated as a failure, until someone decides what
	// it means (a test fails when model.RefFields grows a field without a
	// type here).
	References EdgeType = "references"
)

// FailureTypes lists the edge types Impact follows, in a fixed order.
var FailureTypes = []EdgeType{DependsOn, HostedBy, RunsOn, ProvidedBy, SuppliedBy, ConfiguredBy}

// Failure reports whether the failure of an edge's To breaks its From.
func (t EdgeType) Failure() bool {
	switch t {
	case DependsOn, HostedBy, RunsOn, ProvidedBy, SuppliedBy, ConfiguredBy:
		return true
	}
	return false
}

// Classify gives the edge type of a reference in field (as in resolve.Edge,
// without "[]") of a document of kind from, and whether the edge runs
// against the reference: true for a Configuration's appliesTo (the target
// depends on the configuration) and a Server's runbooks (the runbook
// documents the server).
func Classify(from model.Kind, field string) (t EdgeType, reversed bool) {
	switch {
	case field == "dependsOn" && (from == model.KindService || from == model.KindServer || from == model.KindIntegration):
		return DependsOn, false
	case from == model.KindServer && field == "location.provider":
		return HostedBy, false
	case from == model.KindServer && field == "access.via":
		return AccessedVia, false
	case from == model.KindServer && field == "runbooks":
		return Documents, true
	case from == model.KindIntegration && field == "runsOn":
		return RunsOn, false
	case from == model.KindIntegration && field == "provider":
		return ProvidedBy, false
	case from == model.KindConfiguration && field == "vendor":
		return SuppliedBy, false
	case from == model.KindConfiguration && field == "appliesTo":
		return ConfiguredBy, true
	case from == model.KindRunbook && field == "appliesTo":
		return Documents, false
	}
	return References, false
}

// Edge says that node From depends on node To (or, for the edges that are
// not failures, relates to it as Type says). Field is the reference field
// it came from, on whichever document wrote it: for reversed edges that is
// To's field.
type Edge struct {
	From, To int
	Type     EdgeType
	Field    string
}

// Graph is the dependency graph of a portfolio. Nodes are every entity the
// resolve stage indexed (shared vendors once, whichever clients use them);
// Out[n] are the edges from node n (what n depends on) and In[n] the edges
// into it (what depends on n), each sorted by the other end, then type,
// then field, without duplicates. A Graph is read-only once built: its
// methods may run concurrently.
type Graph struct {
	Nodes []*model.Document
	Out   [][]Edge
	In    [][]Edge

	byDoc    map[*model.Document]int
	byClient map[string]map[model.Ref]int
	shared   map[model.Ref]int
	labels   []string
	// dependents[n] and dependencies[n] are the failure edges of In[n] and
	// Out[n] as sorted, distinct node indexes: what the walks read.
	dependents   [][]int
	dependencies [][]int
	walkers      *sync.Pool // of *walker sized for Nodes (see walker)
}

// New builds the graph of a resolved portfolio. Nodes are sorted by client
// (shared vendors, with no client, first), then kind in model.Kinds order,
// then id; a document that lost a duplicate-id contest still becomes a node
// if one of its references resolved, after the one the index kept.
func New(ix *resolve.Index) *Graph {
	g := &Graph{
		walkers:  &sync.Pool{},
		byDoc:    map[*model.Document]int{},
		byClient: map[string]map[model.Ref]int{},
		shared:   map[model.Ref]int{},
	}
	if ix == nil {
		return g
	}
	docs := len(ix.Shared)
	for _, table := range ix.ByClient {
		docs += len(table)
	}
	g.byDoc = make(map[*model.Document]int, docs)
	indexed := make(map[*model.Document]bool, docs)
	add := func(d *model.Document) {
		if _, ok := g.byDoc[d]; !ok {
			g.byDoc[d] = 0
			g.Nodes = append(g.Nodes, d)
		}
	}
	for _, d := range ix.Shared {
		indexed[d] = true
		add(d)
	}
	for _, table := range ix.ByClient {
		for _, d := range table {
			indexed[d] = true
			add(d)
		}
	}
	for _, e := range ix.Edges {
		add(e.From)
		add(e.To)
	}
	slices.SortFunc(g.Nodes, func(a, b *model.Document) int {
		if c := cmp.Compare(a.Client, b.Client); c != 0 {
			return c
		}
		if c := cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		// Duplicates: the indexed document first, then by position.
		return cmp.Or(compareBool(!indexed[a], !indexed[b]), cmp.Compare(a.File, b.File), cmp.Compare(a.Index, b.Index))
	})
	for i, d := range g.Nodes {
		g.byDoc[d] = i
		if !indexed[d] {
			continue
		}
		if d.Client == "" {
			g.shared[d.Ref()] = i
			continue
		}
		if g.byClient[d.Client] == nil {
			g.byClient[d.Client] = map[model.Ref]int{}
		}
		g.byClient[d.Client][d.Ref()] = i
	}

	n := len(g.Nodes)
	es := make([]Edge, len(ix.Edges))
	outs, ins := make([]int, n+1), make([]int, n+1)
	for i, re := range ix.Edges {
		t, rev := Classify(re.From.Kind, re.Field)
		if t == ConfiguredBy && re.From.Value.Get("type") == "backup-job" {
			t = Protects
		}
		e := Edge{From: g.byDoc[re.From], To: g.byDoc[re.To], Type: t, Field: re.Field}
		if rev {
			e.From, e.To = e.To, e.From
		}
		es[i] = e
		outs[e.From+1]++
		ins[e.To+1]++
	}
	// Each node's edges are a window of one array per direction, sized by
	// a count first: appending them one by one grew 100,000 small slices.
	for i := range n {
		outs[i+1] += outs[i]
		ins[i+1] += ins[i]
	}
	g.Out, g.In = make([][]Edge, n), make([][]Edge, n)
	outAll, inAll := make([]Edge, len(es)), make([]Edge, len(es))
	for i := range n {
		if outs[i] < outs[i+1] { // a node without edges keeps nil, as before
			g.Out[i] = outAll[outs[i]:outs[i]:outs[i+1]]
		}
		if ins[i] < ins[i+1] {
			g.In[i] = inAll[ins[i]:ins[i]:ins[i+1]]
		}
	}
	for _, e := range es {
		g.Out[e.From] = append(g.Out[e.From], e)
		g.In[e.To] = append(g.In[e.To], e)
	}
	g.dependents = make([][]int, n)
	g.dependencies = make([][]int, n)
	parallel.Do(n, func(i int) {
		g.Out[i] = sortEdges(g.Out[i], func(e Edge) int { return e.To })
		g.In[i] = sortEdges(g.In[i], func(e Edge) int { return e.From })
		g.dependencies[i] = ends(g.Out[i], func(e Edge) int { return e.To })
		g.dependents[i] = ends(g.In[i], func(e Edge) int { return e.From })
	})
	g.labels = labels(g.Nodes)
	return g
}

func kindRank(k model.Kind) int {
	if i := slices.Index(model.Kinds, k); i >= 0 {
		return i
	}
	return len(model.Kinds)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// sortEdges sorts edges by their other end, then type and field, and drops
// exact duplicates (a reference listed twice).
func sortEdges(es []Edge, other func(Edge) int) []Edge {
	slices.SortFunc(es, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(other(a), other(b)), cmp.Compare(a.Type, b.Type), cmp.Compare(a.Field, b.Field))
	})
	return slices.Compact(es)
}

// ends lists the distinct other ends of the failure edges among es, which
// are sorted by that end.
func ends(es []Edge, other func(Edge) int) []int {
	var out []int
	for _, e := range es {
		if e.Type.Failure() && (len(out) == 0 || out[len(out)-1] != other(e)) {
			out = append(out, other(e))
		}
	}
	return out
}

// labels gives every node `kind:id`, prefixed with `client/` when another
// node has the same kind and id (the same id in two clients, or a client's
// vendor hiding a shared one).
func labels(nodes []*model.Document) []string {
	out := make([]string, len(nodes))
	first := make(map[string]int, len(nodes)) // label → the first node with it
	var dup []int                             // nodes whose label another node has too
	for i, d := range nodes {
		out[i] = d.Ref().String()
		j, ok := first[out[i]]
		if !ok {
			first[out[i]] = i
			continue
		}
		if j >= 0 {
			dup = append(dup, j)
			first[out[i]] = -1 // j is listed
		}
		dup = append(dup, i)
	}
	for _, i := range dup {
		if d := nodes[i]; d.Client != "" {
			out[i] = d.Client + "/" + out[i]
		}
	}
	return out
}

// Node finds the node of a document.
func (g *Graph) Node(d *model.Document) (int, bool) {
	n, ok := g.byDoc[d]
	return n, ok
}

// Find resolves ref as seen from client, as resolve.Index.Lookup does: the
// client's own entities first, then the shared vendors. An empty client
// finds shared vendors only.
func (g *Graph) Find(client string, ref model.Ref) (int, bool) {
	if n, ok := g.byClient[client][ref]; ok {
		return n, true
	}
	n, ok := g.shared[ref]
	return n, ok
}

// Label names node n as references write it, `kind:id`, with its client in
// front (`client/kind:id`) when the same `kind:id` names another node of
// the portfolio, so a label is unambiguous across clients.
func (g *Graph) Label(n int) string {
	if n < 0 || n >= len(g.labels) {
		return ""
	}
	return g.labels[n]
}

// PathString spells path in its own order, joined by arrows. An Affected
// path reads from the failed node outward: "vendor:hetzner → server:web-01
// → integration:stripe-payments", each node breaking the next.
func (g *Graph) PathString(path []int) string {
	parts := make([]string, len(path))
	for i, n := range path {
		parts[i] = g.Label(n)
	}
	return strings.Join(parts, " → ")
}

// Explain spells an Affected path the other way round, dependent first, as
// the answer to "why is this affected?": "integration:stripe-payments →
// server:web-01 → vendor:hetzner" reads "stripe-payments depends on web-01,
// which depends on hetzner", each arrow one dependency.
func (g *Graph) Explain(path []int) string {
	rev := slices.Clone(path)
	slices.Reverse(rev)
	return g.PathString(rev)
}

// Orphans lists the nodes with no edge at all, in or out, of any type:
// entities nothing refers to and that refer to nothing. Clients are left
// out (nothing refers to a client).
func (g *Graph) Orphans() []int {
	var out []int
	for n, d := range g.Nodes {
		if d.Kind != model.KindClient && d.Kind != model.KindPortfolio && len(g.Out[n]) == 0 && len(g.In[n]) == 0 {
			out = append(out, n)
		}
	}
	return out
}

// Swap returns a copy of g in which every node that is a key of swap is
// the document swap maps it to; g is unchanged and the copy shares its
// edges. It is resolve.Index.Swap for the graph: valid only when the new
// documents have the same kind, id, client and references as the old ones
// (and, for configurations, the same type).
func (g *Graph) Swap(swap map[*model.Document]*model.Document) *Graph {
	out := *g
	out.Nodes = slices.Clone(g.Nodes)
	out.byDoc = make(map[*model.Document]int, len(g.byDoc))
	for i, d := range out.Nodes {
		if n, ok := swap[d]; ok {
			out.Nodes[i] = n
		}
	}
	for d, i := range g.byDoc {
		if n, ok := swap[d]; ok {
			d = n
		}
		out.byDoc[d] = i
	}
	return &out
}
