// Package diff owns `handover diff`: what changed in the handover model
// between two revisions of a repository, said in words a reviewer can read in
// a pull-request comment. It compares two validated models entity by entity
// and field by field, and counts how the blast radius of vendors and servers
// moved; it writes the result as text, Markdown or JSON.
//
// It does not read git or files: the command loads each revision (with
// generator.ValidateFS over a git tree) and hands both models here. It never
// echoes a credential-like value or a runbook's text, only that it changed.
package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/model"
)

// Kind says what happened to an entity between the two revisions.
type Kind string

// The kinds of entity change, in the order results list them.
const (
	Added   Kind = "added"
	Changed Kind = "changed"
	Removed Kind = "removed"
)

func (k Kind) rank() int {
	switch k {
	case Added:
		return 0
	case Changed:
		return 1
	}
	return 2
}

// FieldChange is one value that differs between the two revisions of an
// entity (or of the portfolio).
//
// Path is dotted, with list indexes in brackets: backup.schedule,
// contacts[2].phone. Old and New are JSON values as model.Document holds
// them, nil (left out of JSON) when the field is absent on that side. Three
// cases differ:
//   - a list of strings (tags, dependsOn, alertsTo…) is compared as a set:
//     Added and Removed list its items, sorted, and Old and New stay nil;
//   - Text marks Markdown prose (description, notes, summary, a vendor's
//     escalation) and any multi-line string: Old and New hold the texts, but
//     the text and Markdown formats only say that it changed;
//   - Hidden marks a credential-like field (credential, and any key naming a
//     password, secret, token, API key or private key): Old and New hold the
//     placeholder "(hidden)" on the sides where it is set, never its value.
type FieldChange struct {
	Path string `json:"path"`
	// Item names the innermost list item the path goes through (by its
	// name, title, who or level), so that a reader knows who contacts[1]
	// is: "Gareth Price". Empty outside lists of objects.
	Item    string   `json:"item,omitempty"`
	Old     any      `json:"old,omitempty"`
	New     any      `json:"new,omitempty"`
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	Text    bool     `json:"text,omitempty"`
	Hidden  bool     `json:"hidden,omitempty"`
}

// EntityChange is one entity added, removed or changed. Entities are matched
// across revisions by client, kind and id: the file they live in is not part
// of their identity.
type EntityChange struct {
	Client string `json:"client"` // "" for shared vendors
	Ref    string `json:"ref"`    // kind:id, as references write it
	Name   string `json:"name"`   // display name: name, or title for runbooks; the id when neither is set
	Kind   Kind   `json:"kind"`
	// File is where the entity is now, or was when removed. MovedFrom is
	// the file it was in before, set only for a changed entity that also
	// moved: a move alone changes nothing in the model and is not reported.
	File      string `json:"file"`
	MovedFrom string `json:"movedFrom,omitempty"`
	// Fields lists every leaf value that differs, sorted by path as the
	// document nests them (keys in order, list items by index); only for
	// Changed (an added or removed entity is listed whole).
	Fields []FieldChange `json:"fields,omitempty"`
	// RefsAdded and RefsRemoved are the references (kind:id, as written in
	// model.RefFields) the entity gained and lost, sorted; a reference that
	// moved from one field to another is neither. An added entity gains
	// all of its references and a removed one loses them all.
	RefsAdded   []string `json:"refsAdded,omitempty"`
	RefsRemoved []string `json:"refsRemoved,omitempty"`
	BodyChanged bool     `json:"bodyChanged,omitempty"` // a runbook's Markdown text changed
}

// ClientChanges gathers the changes of one client, or of the shared vendors
// (Client "").
type ClientChanges struct {
	Client string `json:"client"`
	Name   string `json:"name"` // the client's name, "Shared vendors" for the shared vendors
	// Changes are sorted added, changed, removed; then by kind in
	// model.Kinds order, then by id.
	Changes []EntityChange `json:"changes"`
}

// DependentsChange says that the blast radius of a vendor or a server grew
// or shrank: how many entities fail with it, transitively, as graph.Impact
// counts them. Only vendors and servers present in both revisions are
// reported: they are what many things hang on, while a service,
// integration or configuration's count would repeat the entity changes it
// comes from; a new entity's dependents are part of its addition, and a
// removed one's had to move elsewhere.
type DependentsChange struct {
	Client string `json:"client"` // "" for shared vendors
	Ref    string `json:"ref"`
	Name   string `json:"name"`
	Before int    `json:"before"`
	After  int    `json:"after"`
}

// Result is what changed between two revisions.
type Result struct {
	From string `json:"from"` // revision names as given
	To   string `json:"to"`
	// Portfolio lists the changes to handover.yaml, sorted by path as
	// EntityChange.Fields are. The portfolio is one document, not a client,
	// so it has its own list rather than a pseudo-client.
	Portfolio []FieldChange `json:"portfolio"`
	// Clients are sorted by client id, the shared vendors ("") first; only
	// clients with at least one change are listed.
	Clients []ClientChanges `json:"clients"`
	// Dependents are sorted by how much they changed, most first, then by
	// client and ref.
	Dependents []DependentsChange `json:"dependents"`
}

// Empty reports whether nothing in the model changed.
func (r Result) Empty() bool {
	return len(r.Portfolio) == 0 && len(r.Clients) == 0 && len(r.Dependents) == 0
}

// SharedName is how results name the shared vendors, in place of a client.
const SharedName = "Shared vendors"

// Models compares the model of revision from with that of revision to. A
// nil model is an empty repository (before the first handover.yaml).
// Entities that lost a duplicate-id contest in either revision are left
// out: validation reports them, and they have no identity to match.
func Models(from, to *generator.Model, fromName, toName string) Result {
	r := Result{
		From:       fromName,
		To:         toName,
		Portfolio:  []FieldChange{},
		Clients:    []ClientChanges{},
		Dependents: []DependentsChange{},
	}
	if p := fields(portfolio(from), portfolio(to)); p != nil {
		r.Portfolio = p
	}
	before, after := entities(from), entities(to)
	byClient := map[string][]EntityChange{}
	for k, d := range after {
		old, ok := before[k]
		if !ok {
			byClient[d.Client] = append(byClient[d.Client], whole(d, Added))
			continue
		}
		if c, ok := compare(old, d); ok {
			byClient[d.Client] = append(byClient[d.Client], c)
		}
	}
	for k, d := range before {
		if _, ok := after[k]; !ok {
			byClient[d.Client] = append(byClient[d.Client], whole(d, Removed))
		}
	}
	for client, changes := range byClient {
		slices.SortFunc(changes, func(a, b EntityChange) int {
			return cmp.Or(cmp.Compare(a.Kind.rank(), b.Kind.rank()), compareRefs(a.Ref, b.Ref))
		})
		r.Clients = append(r.Clients, ClientChanges{Client: client, Name: clientName(client, from, to), Changes: changes})
	}
	slices.SortFunc(r.Clients, func(a, b ClientChanges) int { return cmp.Compare(a.Client, b.Client) })
	r.Dependents = dependents(from, to)
	return r
}

// key identifies an entity across revisions.
type key struct {
	client string
	ref    model.Ref
}

// entities indexes the entities of a model (nil: none) by client and ref.
func entities(m *generator.Model) map[key]*model.Document {
	out := map[key]*model.Document{}
	if m == nil || m.Index == nil {
		return out
	}
	for ref, d := range m.Index.Shared {
		out[key{"", ref}] = d
	}
	for client, table := range m.Index.ByClient {
		for ref, d := range table {
			out[key{client, ref}] = d
		}
	}
	return out
}

// portfolio is the value of a model's handover.yaml, nil when it has none.
func portfolio(m *generator.Model) map[string]any {
	if m == nil || m.Repo == nil || m.Repo.Portfolio == nil {
		return nil
	}
	return asMaps(m.Repo.Portfolio.Value)
}

// asMaps is a document's value as maps: a diff compares two of them key by
// key, and is no hot path.
func asMaps(v model.Object) map[string]any {
	m, _ := model.JSON(v).(map[string]any)
	return m
}

// whole describes an entity that exists on one side only.
func whole(d *model.Document, k Kind) EntityChange {
	c := EntityChange{Client: d.Client, Ref: d.Ref().String(), Name: name(d), Kind: k, File: d.File}
	if k == Added {
		c.RefsAdded = refs(d)
	} else {
		c.RefsRemoved = refs(d)
	}
	return c
}

// compare describes how an entity changed, reporting false when its content
// did not (it may have moved to another file).
func compare(old, cur *model.Document) (EntityChange, bool) {
	c := EntityChange{Client: cur.Client, Ref: cur.Ref().String(), Name: name(cur), Kind: Changed, File: cur.File}
	c.Fields = fields(asMaps(old.Value), asMaps(cur.Value))
	c.BodyChanged = body(old.Body) != body(cur.Body)
	if len(c.Fields) == 0 && !c.BodyChanged {
		return EntityChange{}, false
	}
	if old.File != cur.File {
		c.MovedFrom = old.File
	}
	was, is := refs(old), refs(cur)
	c.RefsAdded = minus(is, was)
	c.RefsRemoved = minus(was, is)
	return c, true
}

// body normalises line endings and surrounding blank lines, which a
// checkout on another system may change without anyone editing the text.
func body(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// name is an entity's display name.
func name(d *model.Document) string {
	for _, f := range []string{"name", "title"} {
		if s := d.Value.String(f); strings.TrimSpace(s) != "" {
			return s
		}
	}
	return d.ID
}

// refs lists the distinct references a document holds, sorted.
func refs(d *model.Document) []string {
	var out []string
	for _, fr := range d.Refs() {
		out = append(out, fr.Text)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// minus returns the items of a that are not in b; both are sorted.
func minus(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, found := slices.BinarySearch(b, s); !found {
			out = append(out, s)
		}
	}
	return out
}

// compareRefs orders kind:id references by kind in model.Kinds order, then
// id.
func compareRefs(a, b string) int {
	ak, aid, _ := strings.Cut(a, ":")
	bk, bid, _ := strings.Cut(b, ":")
	return cmp.Or(cmp.Compare(kindRank(ak), kindRank(bk)), cmp.Compare(aid, bid))
}

func kindRank(refName string) int {
	if k, ok := model.KindByRefName(refName); ok {
		return slices.Index(model.Kinds, k)
	}
	return len(model.Kinds)
}

// clientName is the client's name in the newer revision, else the older,
// else its id.
func clientName(client string, from, to *generator.Model) string {
	if client == "" {
		return SharedName
	}
	for _, m := range []*generator.Model{to, from} {
		if m == nil || m.Index == nil {
			continue
		}
		if d := m.Index.Clients[client]; d != nil {
			return name(d)
		}
	}
	return client
}

// dependents compares the blast radius of every vendor and server of both
// revisions.
func dependents(from, to *generator.Model) []DependentsChange {
	out := []DependentsChange{}
	if to == nil || to.Graph == nil || to.Index == nil {
		return out
	}
	after := to.Graph.DependentCounts()
	var before []int
	if from != nil && from.Graph != nil {
		before = from.Graph.DependentCounts()
	}
	for k, d := range entities(to) {
		if d.Kind != model.KindVendor && d.Kind != model.KindServer {
			continue
		}
		n, ok := to.Graph.Node(d)
		if !ok {
			continue
		}
		old := lookup(from, k)
		if old == nil {
			continue
		}
		m, ok := from.Graph.Node(old)
		if !ok {
			continue
		}
		c := DependentsChange{Client: k.client, Ref: k.ref.String(), Name: name(d), Before: before[m], After: after[n]}
		if c.Before != c.After {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b DependentsChange) int {
		return cmp.Or(cmp.Compare(abs(b.After-b.Before), abs(a.After-a.Before)),
			cmp.Compare(a.Client, b.Client), compareRefs(a.Ref, b.Ref))
	})
	return out
}

// lookup finds an entity in a model by its own client only: unlike
// resolve.Index.Lookup it does not fall back to the shared vendors, since a
// client's vendor and a shared one of the same id are different entities.
func lookup(m *generator.Model, k key) *model.Document {
	if m == nil || m.Index == nil || m.Graph == nil {
		return nil
	}
	table := m.Index.Shared
	if k.client != "" {
		table = m.Index.ByClient[k.client]
	}
	return table[k.ref]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
