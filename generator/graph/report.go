package graph

import (
	"fmt"
	"io"
	"strings"

	"github.com/handover-dev/handover/generator/model"
)

// Report is the blast radius of one entity as `handover impact` prints it:
// every dependent with the path that explains it and, where the client
// feels it, the SLA severity the failure would be handled at.
type Report struct {
	Failed   Item   `json:"failed"`
	Affected []Item `json:"affected"`
	Services int    `json:"services"` // how many affected items are business services
	Critical int    `json:"critical"` // how many of those are critical
	Total    int    `json:"-"`        // how many entities fail with it, listed or not

	g *Graph // for EachBecause
}

// EachBecause calls f with the labels of Affected[i]'s dependency path,
// dependent first: the item, the entity it depends on, and so on to the
// failed one, which Item.Because joins with arrows.
func (r *Report) EachBecause(i int, f func(label string)) {
	for ; i >= 0; i = r.Affected[i].parent {
		f(r.g.Label(r.Affected[i].Node))
	}
	f(r.g.Label(r.Failed.Node))
}

// Because is Affected[i]'s Because, which ReportOf leaves empty.
func (r *Report) Because(i int) string {
	var b strings.Builder
	r.EachBecause(i, func(label string) {
		if b.Len() > 0 {
			b.WriteString(" → ")
		}
		b.WriteString(label)
	})
	return b.String()
}

// Item is one entity of a report.
type Item struct {
	Node     int       `json:"-"` // the item's node in the graph
	Ref      string    `json:"ref"`
	Client   string    `json:"client,omitempty"`
	Name     string    `json:"name"`
	Depth    int       `json:"depth,omitempty"`
	Because  string    `json:"because,omitempty"` // the dependency path, dependent first
	Via      EdgeType  `json:"via,omitempty"`     // how it depends on the item above it
	Impact   string    `json:"impact,omitempty"`  // a service's criticality or an integration's failure impact
	Severity *Severity `json:"sla,omitempty"`

	parent int // index in Affected, -1 for the failed item
}

// Severity is the line of the client's SLA a failure would be handled at.
type Severity struct {
	Level      string `json:"level"`
	Definition string `json:"definition,omitempty"`
	Response   string `json:"response,omitempty"`
	Resolution string `json:"resolution,omitempty"`
}

// severityOf maps an impact level to the SLA level it is handled at: a
// critical failure is a P1, high a P2, medium a P3, low a P4.
var severityOf = map[string]string{"critical": "P1", "high": "P2", "medium": "P3", "low": "P4"}

// Report builds the blast radius of node n. clients gives each client's
// Client document, for SLA severities.
func (g *Graph) Report(n int, clients map[string]*model.Document) Report {
	return g.ReportUpTo(n, clients, -1)
}

// ReportUpTo is Report keeping only the nearest limit affected entities
// (all of them when limit is negative): a page's table of a vendor that
// thousands of entities depend on. Services and Critical count the kept
// ones; Total counts them all.
func (g *Graph) ReportUpTo(n int, clients map[string]*model.Document, limit int) Report {
	r := g.ReportOf(n, g.Impact(n), clients, limit)
	for i := range r.Affected {
		r.Affected[i].Because = r.Because(i)
	}
	return r
}

// ReportOf is ReportUpTo from impact, which Impact(n) gave, for a caller
// that needs the blast radius itself too, as an entity's page does for its
// chart; and without the items' Because, which such a caller writes with
// EachBecause rather than have a string made for every item (the entity
// pages' tables: 200 MB at 50k entities).
func (g *Graph) ReportOf(n int, impact []Affected, clients map[string]*model.Document, limit int) Report {
	r := Report{Failed: g.item(n, clients), Total: len(impact), g: g}
	r.Failed.parent = -1
	if limit >= 0 && limit < len(impact) {
		impact = impact[:limit] // sorted by depth: every kept item's parent is kept
	}
	// Sized once: appending an Item at a time reallocated the list
	// (110 MB at 50k entities, a page's blast radius each).
	r.Affected = make([]Item, 0, len(impact))
	at := make(map[int]int, len(impact)+1)
	at[n] = -1
	for _, a := range impact {
		it := g.item(a.Node, clients)
		it.Depth = a.Depth
		parent := a.Path[len(a.Path)-2]
		it.parent = at[parent]
		it.Via = g.edgeType(a.Node, parent)
		at[a.Node] = len(r.Affected)
		if g.Nodes[a.Node].Kind == model.KindService {
			r.Services++
			if it.Impact == "critical" {
				r.Critical++
			}
		}
		r.Affected = append(r.Affected, it)
	}
	return r
}

func (g *Graph) item(n int, clients map[string]*model.Document) Item {
	d := g.Nodes[n]
	it := Item{Node: n, Ref: d.Ref().String(), Client: d.Client, Name: name(d)}
	switch d.Kind {
	case model.KindService:
		it.Impact = d.Value.String("criticality")
	case model.KindIntegration:
		it.Impact = d.Value.Object("failureImpact").String("level")
	}
	if level := severityOf[it.Impact]; level != "" {
		it.Severity = &Severity{Level: level}
		if c := clients[d.Client]; c != nil {
			it.Severity = slaLine(c, level)
		}
	}
	return it
}

func name(d *model.Document) string {
	for _, k := range []string{"name", "title"} {
		if s := d.Value.String(k); s != "" {
			return s
		}
	}
	return d.ID
}

// slaLine finds level in a client's sla.severities.
func slaLine(client *model.Document, level string) *Severity {
	sevs, _ := client.Value.Object("sla").Get("severities").([]any)
	for _, s := range sevs {
		m, _ := s.(model.Object)
		if m.Get("level") == level {
			return &Severity{Level: level, Definition: m.String("definition"), Response: m.String("response"), Resolution: m.String("resolution")}
		}
	}
	return &Severity{Level: level}
}

// edgeType is the failure edge by which from depends on to.
func (g *Graph) edgeType(from, to int) EdgeType {
	for _, e := range g.Out[from] {
		if e.To == to && e.Type.Failure() {
			return e.Type
		}
	}
	return ""
}

// WriteText prints the report as an indented tree, each dependent under
// the entity whose failure it inherits.
func (r Report) WriteText(w io.Writer) error {
	children := map[int][]int{}
	for i, it := range r.Affected {
		children[it.parent] = append(children[it.parent], i)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", describe(r.Failed))
	type frame struct {
		item   int
		prefix string // the tree lines of the ancestors
		last   bool
	}
	var stack []frame
	push := func(kids []int, prefix string) {
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, frame{kids[i], prefix, i == len(kids)-1})
		}
	}
	push(children[-1], "")
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		it := r.Affected[f.item]
		branch, more := "├─ ", "│  "
		if f.last {
			branch, more = "└─ ", "   "
		}
		fmt.Fprintf(&b, "%s%s%s%s\n", f.prefix, branch, viaText(it.Via), describe(it))
		push(children[f.item], f.prefix+more)
	}
	switch len(r.Affected) {
	case 0:
		fmt.Fprintf(&b, "\nNothing depends on %s.\n", r.Failed.Ref)
	default:
		fmt.Fprintf(&b, "\nIf %s fails, %d entities are affected, %d of them business services (%d critical).\n",
			r.Failed.Ref, len(r.Affected), r.Services, r.Critical)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func viaText(t EdgeType) string {
	switch t {
	case HostedBy:
		return "hosted there: "
	case RunsOn:
		return "runs on it: "
	case ProvidedBy:
		return "provided by it: "
	case SuppliedBy:
		return "supplied by it: "
	case ConfiguredBy:
		return "configured by it: "
	}
	return ""
}

func describe(it Item) string {
	s := it.Ref + " (" + it.Name
	if it.Client != "" {
		s += ", " + it.Client
	} else {
		s += ", shared"
	}
	s += ")"
	if it.Impact != "" {
		s += " impact " + it.Impact
	}
	if sev := it.Severity; sev != nil {
		s += " → SLA " + sev.Level
		var terms []string
		if sev.Response != "" {
			terms = append(terms, "respond within "+sev.Response)
		}
		if sev.Resolution != "" {
			terms = append(terms, "resolve within "+sev.Resolution)
		}
		if len(terms) > 0 {
			s += " (" + strings.Join(terms, ", ") + ")"
		}
	}
	return s
}
