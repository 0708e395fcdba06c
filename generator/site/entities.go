package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/resolve"
)

// Entity is a document as the site shows it: its page, its typed view and
// its relations in both directions.
type Entity struct {
	Doc    *model.Document
	C      *model.Common // the typed view's common fields
	Client *Client       // nil for shared vendors
	URL    string        // site path of its page, from the site root
	Typed  any           // *model.Server, *model.Vendor, … decoded from Doc.Value

	Out, In  []Relation
	Runbooks []*Entity

	History []*history.Commit // newest first; nil outside git
	Dirty   bool              // the file has uncommitted changes
}

// Relation is one resolved reference seen from one side.
type Relation struct {
	Label string
	Field string
	Other *Entity
}

// Client is one client folder with its entities by kind.
type Client struct {
	*Entity
	Typed    *model.Client
	ByKind   map[model.Kind][]*Entity
	Entities []*Entity // every entity of the client but the Client itself, by kind then id
}

// Title is the name to show: name, or title for runbooks, or the id.
func (e *Entity) Title() string {
	if rb, ok := e.Typed.(*model.Runbook); ok && rb.Title != "" {
		return rb.Title
	}
	if e.C.Name != "" {
		return e.C.Name
	}
	return e.C.ID
}

// Kind returns the entity's kind.
func (e *Entity) Kind() model.Kind { return e.Doc.Kind }

// maxRelations bounds the "depends on this" list of a page: a shared
// vendor of a large portfolio has thousands of direct dependents; the
// blast radius below counts them all.
const maxRelations = 100

// FirstIn is the start of In, for a page's list.
func (e *Entity) FirstIn() []Relation { return e.In[:min(len(e.In), maxRelations)] }

// MoreIn is how many of In FirstIn leaves out.
func (e *Entity) MoreIn() int { return max(0, len(e.In)-maxRelations) }

// Ref returns the entity's reference, kind:id.
func (e *Entity) Ref() string { return e.Doc.Ref().String() }

// ClientID is the id of the entity's client, "" for shared vendors.
func (e *Entity) ClientID() string { return e.Doc.Client }

// folder is where pages of a kind live under a client: servers, vendors, …
func folder(k model.Kind) string { return k.RefName() + "s" }

// relation labels, seen from the entity holding the field and from the one
// it points at.
var relationLabels = map[string][2]string{
	"dependsOn":         {"Depends on", "Needed by"},
	"location.provider": {"Hosted by", "Hosts"},
	"access.via":        {"Accessed via", "Gives access to"},
	"runbooks":          {"Runbook", "Runbook for"},
	"appliesTo":         {"Applies to", "Covered by"},
	"vendor":            {"Vendor", "Supplies"},
	"provider":          {"Provider", "Provides"},
	"runsOn":            {"Runs on", "Runs"},
}

// model is the site's view of the whole repository.
type siteModel struct {
	portfolio model.Portfolio
	clients   []*Client
	shared    []*Entity // shared vendors, by id
	all       []*Entity // every entity, clients included, sorted by URL
	byDoc     map[*model.Document]*Entity
	byFile    map[string]*Entity // the first entity of each file
	byKey     map[string]*Entity // by EntityKey
	index     *resolve.Index
	graph     *graph.Graph
	counts    []int // how many nodes depend on each graph node, transitively

	sharedOnce sync.Once
	// graphTemplates caches what dependency charts share: graphTemplateKey
	// → *graphTemplate (see appendGraph).
	graphTemplates sync.Map
	sharedCounts   map[int]map[string]int // shared node → client → how many of its nodes depend on it
}

// impact is the blast radius of graph node n.
func (m *siteModel) impact(n int) []graph.Affected { return m.graph.Impact(n) }

// build decodes every document and links entities along the resolved edges.
func build(repo *load.Result, ix *resolve.Index, g *graph.Graph) (*siteModel, error) {
	n := len(repo.Docs) // the maps sized once: growing them was a tenth of a live rebuild
	m := &siteModel{byDoc: make(map[*model.Document]*Entity, n), byFile: make(map[string]*Entity, n), byKey: make(map[string]*Entity, n),
		all: make([]*Entity, 0, n), index: ix, graph: g, counts: g.DependentCounts()}
	if repo.Portfolio != nil {
		if err := decode(repo.Portfolio.Value, &m.portfolio); err != nil {
			return nil, err
		}
	}
	clients := map[string]*Client{}
	for _, d := range repo.Docs {
		if ix.Lookup(d.Client, d.Ref()) != d {
			continue // not indexed: misplaced or a duplicate, reported by resolve
		}
		view, err := d.Typed()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.File, err)
		}
		e := &Entity{Doc: d, Typed: view, C: d.Common()}
		switch {
		case d.Kind == model.KindClient:
			e.URL = "clients/" + d.ID + "/index.html"
			c := &Client{Entity: e, Typed: e.Typed.(*model.Client), ByKind: map[model.Kind][]*Entity{}}
			clients[d.ID] = c
		case d.Client == "":
			e.URL = "vendors/" + d.ID + ".html"
			m.shared = append(m.shared, e)
		default:
			e.URL = "clients/" + d.Client + "/" + folder(d.Kind) + "/" + d.ID + ".html"
		}
		m.byDoc[d] = e
		m.byKey[EntityKey(d.Client, d.Ref().String())] = e
		if _, ok := m.byFile[d.File]; !ok {
			m.byFile[d.File] = e
		}
		m.all = append(m.all, e)
	}
	for _, e := range m.all {
		if e.Doc.Client == "" {
			continue
		}
		c := clients[e.Doc.Client]
		e.Client = c
		if e.Kind() != model.KindClient {
			c.ByKind[e.Kind()] = append(c.ByKind[e.Kind()], e)
			c.Entities = append(c.Entities, e)
		}
	}
	for _, id := range sortedKeys(clients) {
		m.clients = append(m.clients, clients[id])
	}
	for _, edge := range ix.Edges {
		from, to := m.byDoc[edge.From], m.byDoc[edge.To]
		if from == nil || to == nil {
			continue
		}
		labels := relationLabels[edge.Field]
		from.Out = append(from.Out, Relation{Label: labels[0], Field: edge.Field, Other: to})
		to.In = append(to.In, Relation{Label: labels[1], Field: edge.Field, Other: from})
		switch {
		case from.Kind() == model.KindRunbook:
			to.Runbooks = append(to.Runbooks, from)
		case to.Kind() == model.KindRunbook:
			from.Runbooks = append(from.Runbooks, to)
		}
	}
	byURL := func(a, b *Entity) int { return strings.Compare(a.URL, b.URL) }
	slices.SortFunc(m.all, byURL)
	slices.SortFunc(m.shared, byURL)
	for _, e := range m.all {
		slices.SortStableFunc(e.Out, relationOrder)
		slices.SortStableFunc(e.In, relationOrder)
		slices.SortFunc(e.Runbooks, byURL)
		e.Runbooks = slices.Compact(e.Runbooks)
	}
	for _, c := range m.clients {
		slices.SortFunc(c.Entities, func(a, b *Entity) int {
			return cmp.Or(cmpKind(a.Kind(), b.Kind()), strings.Compare(a.C.ID, b.C.ID))
		})
	}
	return m, nil
}

func relationOrder(a, b Relation) int {
	if a.Label != b.Label {
		return strings.Compare(a.Label, b.Label)
	}
	return strings.Compare(a.Other.URL, b.Other.URL)
}

func cmpKind(a, b model.Kind) int {
	if a == b {
		return 0 // most comparisons of a sort by kind: no search
	}
	return slices.Index(model.Kinds, a) - slices.Index(model.Kinds, b)
}

// decode fills a typed view from a validated JSON value.
func decode(v any, into any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// lookupRef resolves a reference as written, from an entity's client.
func (m *siteModel) lookupRef(from *Entity, text string) *Entity {
	ref, ok := model.ParseRef(text)
	if !ok {
		return nil
	}
	return m.byDoc[m.index.Lookup(from.Doc.Client, ref)]
}

// lookupFile finds the entity of a repository file linked from another
// file, e.g. "restore.md" from "clients/acme/runbooks/restart.md".
func (m *siteModel) lookupFile(from *Entity, dest string) *Entity {
	p := path.Clean(path.Join(path.Dir(from.Doc.File), dest))
	return m.byFile[p]
}
