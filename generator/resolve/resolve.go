// Package resolve owns the third stage of the pipeline: it indexes the
// validated documents by client and reference, checks what the schemas
// cannot (unique ids, one Client per client folder, entities placed where
// they belong, every reference pointing at something) and returns the edges
// between entities for the graph. It reads no files.
package resolve

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/parallel"
)

// Edge is one resolved reference: From's field points at To.
type Edge struct {
	From, To *model.Document
	Field    string // the field as written in RefFields, without "[]"
}

// Index finds the documents of a repository by client and reference.
type Index struct {
	Clients  map[string]*model.Document // the Client document of each client folder
	Shared   map[model.Ref]*model.Document
	ByClient map[string]map[model.Ref]*model.Document
	Edges    []Edge
}

// Lookup resolves ref as seen from a client: the client's own entities
// first, then the shared vendors.
func (ix *Index) Lookup(client string, ref model.Ref) *model.Document {
	if d := ix.ByClient[client][ref]; d != nil {
		return d
	}
	return ix.Shared[ref]
}

// Docs resolves the references between docs and checks their placement.
// Documents whose kind or id is unusable were reported by validate and are
// left out here.
func Docs(docs []*model.Document) (*Index, []diag.Diagnostic) {
	ix := &Index{
		Clients:  map[string]*model.Document{},
		Shared:   map[model.Ref]*model.Document{},
		ByClient: map[string]map[model.Ref]*model.Document{},
	}
	var diags []diag.Diagnostic
	folders := map[string]string{} // client id → a file in its folder
	var usable []*model.Document
	for _, d := range docs {
		if d.Client != "" {
			if _, ok := folders[d.Client]; !ok {
				folders[d.Client] = d.File
			}
		}
		if _, ok := model.KindByName(string(d.Kind)); !ok || d.Kind == model.KindPortfolio || !model.ValidID(d.ID) {
			continue
		}
		if dg, ok := placement(d); !ok {
			diags = append(diags, dg)
			continue
		}
		usable = append(usable, d)
		table := ix.Shared
		if d.Client != "" {
			if ix.ByClient[d.Client] == nil {
				ix.ByClient[d.Client] = map[model.Ref]*model.Document{}
			}
			table = ix.ByClient[d.Client]
		}
		if first, dup := table[d.Ref()]; dup {
			scope := "in the shared vendors"
			if d.Client != "" {
				scope = "in client " + d.Client
			}
			diags = append(diags, diag.Errorf(d.FieldPos([]string{"id"}, false), "duplicate-id",
				fmt.Sprintf("rename one of them: ids are unique per kind %s", scope),
				"duplicate %s id %q: also defined at %s", d.Kind.RefName(), d.ID, where(first, d)))
			continue
		}
		table[d.Ref()] = d
		if d.Kind == model.KindClient {
			ix.Clients[d.Client] = d
		}
	}
	for _, client := range sortedKeys(folders) {
		if _, ok := ix.Clients[client]; !ok {
			diags = append(diags, diag.Errorf(diag.Pos{File: "clients/" + client + "/client.yaml"}, "missing-client",
				fmt.Sprintf("create clients/%s/client.yaml with `kind: Client` and `id: %s`", client, client),
				"client folder clients/%s has no Client document (first file: %s)", client, folders[client]))
		}
	}
	// With the index complete, each document's references resolve on
	// their own: in parallel, then gathered in document order.
	type resolved struct {
		edges []Edge
		diags []diag.Diagnostic
	}
	results := make([]resolved, len(usable))
	parallel.Do(len(usable), func(i int) {
		d := usable[i]
		var r resolved
		if d.Kind == model.KindVendor && d.Client != "" {
			if s := ix.Shared[d.Ref()]; s != nil {
				r.diags = append(r.diags, diag.Warnf(d.FieldPos([]string{"id"}, false), "vendor-shadows-shared",
					"rename it if it is a different company, or delete it and use the shared vendor",
					"vendor %q of client %s hides the shared vendor defined at %s", d.ID, d.Client, s.Pos()))
			}
		}
		r.edges, r.diags = ix.refs(d, r.diags)
		r.diags = append(r.diags, links(d)...)
		results[i] = r
	})
	edges := 0
	for _, r := range results {
		edges += len(r.edges)
	}
	ix.Edges = make([]Edge, 0, edges)
	for _, r := range results {
		ix.Edges = append(ix.Edges, r.edges...)
		diags = append(diags, r.diags...)
	}
	return ix, diags
}

// placement checks that a document sits where its kind belongs.
func placement(d *model.Document) (diag.Diagnostic, bool) {
	switch {
	case d.Kind == model.KindClient && d.Client == "":
		return diag.Errorf(d.Pos(), "misplaced-entity", fmt.Sprintf("move it to clients/%s/client.yaml", d.ID),
			"a Client must be in its own folder under clients/"), false
	case d.Kind == model.KindClient && d.ID != d.Client:
		return diag.Errorf(d.FieldPos([]string{"id"}, false), "client-id-mismatch",
			fmt.Sprintf("set `id: %s`, or rename the folder to clients/%s", d.Client, d.ID),
			"client id %q does not match its folder clients/%s", d.ID, d.Client), false
	case d.Client == "" && d.Kind != model.KindVendor:
		return diag.Errorf(d.Pos(), "misplaced-entity",
			fmt.Sprintf("move it to clients/<client-id>/%ss/%s", d.Kind.RefName(), path.Base(d.File)),
			"a %s must be in a client folder (clients/<client-id>/…); only vendors can be shared", d.Kind), false
	case d.Client == "" && (d.File == "clients" || strings.HasPrefix(d.File, "clients/")):
		return diag.Errorf(d.Pos(), "misplaced-entity", "move it to vendors/ to share it, or into a client's folder",
			"files directly in clients/ belong to no client"), false
	}
	return diag.Diagnostic{}, true
}

// refs resolves every reference of d into edges, appending to diags the
// ones that point nowhere. It only reads ix.
func (ix *Index) refs(d *model.Document, diags []diag.Diagnostic) ([]Edge, []diag.Diagnostic) {
	var edges []Edge
	for _, fr := range d.Refs() {
		ref, ok := model.ParseRef(fr.Text)
		if !ok {
			continue // the schema reported the malformed reference
		}
		if ref == d.Ref() {
			diags = append(diags, diag.Errorf(d.FieldPos(fr.Path, false), "self-reference", "remove it", "%s refers to itself", fr.Field))
			continue
		}
		to := ix.Lookup(d.Client, ref)
		if to == nil {
			diags = append(diags, ix.dangling(d, ref, d.FieldPos(fr.Path, false)))
			continue
		}
		edges = append(edges, Edge{From: d, To: to, Field: fr.Field})
	}
	return edges, diags
}

func (ix *Index) dangling(d *model.Document, ref model.Ref, pos diag.Pos) diag.Diagnostic {
	var ids []string
	for r := range ix.ByClient[d.Client] {
		if r.Kind == ref.Kind {
			ids = append(ids, r.ID)
		}
	}
	if ref.Kind == model.KindVendor {
		for r := range ix.Shared {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	scope := "client " + d.Client
	if d.Client == "" {
		scope = "the shared vendors"
	} else if ref.Kind == model.KindVendor {
		scope += " or the shared vendors"
	}
	plural := ref.Kind.RefName() + "s"
	msg := fmt.Sprintf("%s does not exist in %s", ref, scope)
	var hint string
	switch best, ok := diag.Closest(ref.ID, ids); {
	case ok:
		msg += fmt.Sprintf(" (did you mean %s:%s?)", ref.Kind.RefName(), best)
		hint = fmt.Sprintf("the closest id is %s:%s", ref.Kind.RefName(), best)
	case len(ids) == 0:
		hint = fmt.Sprintf("there are no %s in %s yet: add one, or fix the kind", plural, scope)
	default:
		if len(ids) > 10 {
			ids = append(ids[:10], "…")
		}
		hint = fmt.Sprintf("known %s: %s", plural, strings.Join(ids, ", "))
	}
	return diag.Errorf(pos, "dangling-ref", hint, "%s", msg)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// where names first's position as seen from d: a line when both are in the
// same file, else file:line:col relative to the repository root.
func where(first, d *model.Document) string {
	p := first.FieldPos([]string{"id"}, false)
	if p.File == d.File {
		return fmt.Sprintf("line %d", p.Line)
	}
	return p.String()
}

// Links reports the Markdown links of d that leave the repository: the
// part of Docs that reads a document's text rather than its place and
// references.
func Links(d *model.Document) []diag.Diagnostic { return links(d) }

// Swap returns a copy of ix in which every document that is a key of swap
// is replaced by its value; ix is unchanged. It is for the live preview:
// when edited documents kept their file, kind, id, client and references
// (with their positions), resolving the new documents would give ix again
// with these pointers changed, and Swap is that, without the work.
func (ix *Index) Swap(swap map[*model.Document]*model.Document) *Index {
	sub := func(d *model.Document) *model.Document {
		if n, ok := swap[d]; ok {
			return n
		}
		return d
	}
	out := &Index{
		Clients:  make(map[string]*model.Document, len(ix.Clients)),
		Shared:   make(map[model.Ref]*model.Document, len(ix.Shared)),
		ByClient: make(map[string]map[model.Ref]*model.Document, len(ix.ByClient)),
		Edges:    make([]Edge, len(ix.Edges)),
	}
	for k, d := range ix.Clients {
		out.Clients[k] = sub(d)
	}
	for k, d := range ix.Shared {
		out.Shared[k] = sub(d)
	}
	for c, table := range ix.ByClient {
		out.ByClient[c] = table
		for _, d := range table {
			if _, ok := swap[d]; ok {
				copied := make(map[model.Ref]*model.Document, len(table))
				for k, d := range table {
					copied[k] = sub(d)
				}
				out.ByClient[c] = copied
				break
			}
		}
	}
	for i, e := range ix.Edges {
		e.From, e.To = sub(e.From), sub(e.To)
		out.Edges[i] = e
	}
	return out
}
