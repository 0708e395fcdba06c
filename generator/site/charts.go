package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/handover-dev/handover/generator/graph"
	"github.com/handover-dev/handover/generator/model"
)

// Chart is one chart of a page: ECharts options built with go-echarts, and
// the site path of each node, so a click opens the entity's page. Pages
// embed it as JSON data read by assets/charts.js: the CSP allows no inline
// script, and go-echarts' own snippet would embed names unescaped.
type Chart struct {
	ID     string
	Title  string
	Option map[string]any
	Links  map[string]string // node name → site path
}

// kindColours match the kind badges of style.css, in model.Kinds order.
var kindColours = map[model.Kind]string{
	model.KindClient: "#6b7280", model.KindService: "#7c3aed", model.KindServer: "#2563eb",
	model.KindConfiguration: "#0d9488", model.KindIntegration: "#d97706", model.KindVendor: "#dc2626",
	model.KindRunbook: "#4b5563",
}

// chartKinds are the kinds a dependency chart shows, one legend entry each.
var chartKinds = []model.Kind{model.KindService, model.KindServer, model.KindConfiguration, model.KindIntegration, model.KindVendor}

// graphChart draws nodes of g and the edges among them (failure edges
// solid, access edges dashed), coloured by kind and sized by how much
// depends on each.
//
// A client's pages (scope, its id) size a shared vendor by what of that
// client depends on it: they say nothing of other clients, and do not
// change when another client's documents do.
func (m *siteModel) graphChart(id, title, scope string, nodes []int, focus int) *Chart {
	g := m.graph
	in := map[int]bool{}
	for _, n := range nodes {
		in[n] = true
	}
	var categories []*opts.GraphCategory
	for _, k := range chartKinds {
		categories = append(categories, &opts.GraphCategory{Name: string(k), ItemStyle: &opts.ItemStyle{Color: kindColours[k]}})
	}
	c := &Chart{ID: id, Title: title, Links: map[string]string{}}
	var data []opts.GraphNode
	for _, n := range nodes {
		d := g.Nodes[n]
		e := m.byDoc[d]
		if e == nil {
			continue
		}
		name := g.Label(n)
		count := m.counts[n]
		if scope != "" && d.Client == "" {
			count = m.sharedCount(n, scope)
		}
		size := 12 + 5*math.Sqrt(float64(count))
		node := opts.GraphNode{Name: name, Category: slices.Index(chartKinds, d.Kind), SymbolSize: math.Round(size),
			Value: float32(count)}
		if n == focus {
			node.ItemStyle = &opts.ItemStyle{BorderColor: "#111827", BorderWidth: 3}
		}
		data = append(data, node)
		c.Links[name] = e.URL
	}
	var links []opts.GraphLink
	for _, n := range nodes {
		for _, e := range g.Out[n] {
			if !in[e.To] || (!e.Type.Failure() && e.Type != graph.AccessedVia) {
				continue
			}
			l := opts.GraphLink{Source: g.Label(e.From), Target: g.Label(e.To)}
			if e.Type == graph.AccessedVia {
				l.LineStyle = &opts.LineStyle{Type: "dashed"}
			}
			links = append(links, l)
		}
	}
	ch := charts.NewGraph()
	ch.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
	)
	ch.AddSeries(title, data, links, charts.WithGraphChartOpts(opts.GraphChart{
		Layout: "force", Roam: opts.Bool(true), Draggable: opts.Bool(true),
		Force:      &opts.GraphForce{Repulsion: 160, EdgeLength: 70, Gravity: 0.08},
		Categories: categories, EdgeSymbol: []string{"none", "arrow"}, EdgeSymbolSize: 7,
		Animation: opts.Bool(false),
	}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(len(data) <= 40), Position: "right", FontSize: 11}))
	ch.Validate()
	c.Option = ch.JSON()
	return c
}

// clientChart is the dependency graph of one client: its entities, less
// runbooks, and the shared vendors they use.
func (m *siteModel) clientChart(c *Client) *Chart {
	var nodes []int
	seen := map[int]bool{}
	for _, e := range c.Entities {
		n, ok := m.graph.Node(e.Doc)
		if !ok || e.Kind() == model.KindRunbook || seen[n] {
			continue
		}
		seen[n] = true
		nodes = append(nodes, n)
		for _, out := range m.graph.Out[n] {
			if to := m.graph.Nodes[out.To]; to.Client == "" && !seen[out.To] {
				seen[out.To] = true
				nodes = append(nodes, out.To)
			}
		}
	}
	slices.Sort(nodes)
	return m.graphChart("client-graph", "Dependencies of "+c.Title(), c.C.ID, nodes, -1)
}

// entityChart is an entity's neighbourhood (what it depends on and what
// depends on it directly) and its whole blast radius.
func (m *siteModel) entityChart(e *Entity, impact []graph.Affected) *Chart {
	n, ok := m.graph.Node(e.Doc)
	if !ok {
		return nil
	}
	// A chart of thousands of nodes draws nothing a reader can use and
	// weighs megabytes: keep what it depends on, then the nearest of what
	// depends on it (its direct dependents are the first of the blast
	// radius, which Impact sorts by depth), up to maxChartNodes; the
	// tables list them all.
	nodes := []int{n}
	for _, o := range m.graph.Out[n] {
		if o.Type != graph.Documents {
			nodes = append(nodes, o.To)
		}
	}
	for _, i := range m.graph.In[n] {
		if i.Type != graph.Documents && !i.Type.Failure() && len(nodes) < maxChartNodes/2 {
			nodes = append(nodes, i.From) // related, not failing with it: accessed through it
		}
	}
	title := "Neighbourhood and blast radius of " + e.Title()
	for _, a := range impact {
		if len(nodes) >= maxChartNodes {
			title += fmt.Sprintf(" (the nearest %d of %d affected)", maxChartNodes, len(impact))
			break
		}
		nodes = append(nodes, a.Node)
	}
	slices.Sort(nodes)
	nodes = slices.Compact(nodes)
	if len(nodes) < 2 {
		return nil
	}
	scope := ""
	if e.Client != nil {
		scope = e.Client.C.ID
	}
	return m.graphChart("entity-graph", title, scope, nodes, n)
}

// sharedCount is how many of a client's entities depend on shared node n,
// directly or through others.
func (m *siteModel) sharedCount(n int, client string) int {
	m.sharedOnce.Do(func() {
		m.sharedCounts = map[int]map[string]int{}
		for i, d := range m.graph.Nodes {
			if d.Client != "" {
				continue
			}
			byClient := map[string]int{}
			m.graph.Dependents(i, func(a int) { byClient[m.graph.Nodes[a].Client]++ })
			m.sharedCounts[i] = byClient
		}
	})
	return m.sharedCounts[n][client]
}

// maxChartNodes bounds an entity's chart.
const maxChartNodes = 150

// Concentration says how much of the portfolio relies on one vendor.
type Concentration struct {
	Vendor     *Entity
	Clients    int // clients with at least one entity that fails with it
	Production int // production servers and critical or high services that fail with it
	Affected   int // every entity that fails with it
}

// concentration ranks vendors by how many clients, then production
// entities, fail with them.
func (m *siteModel) concentration() []Concentration {
	var out []Concentration
	for n, d := range m.graph.Nodes {
		if d.Kind != model.KindVendor || m.byDoc[d] == nil {
			continue
		}
		c := Concentration{Vendor: m.byDoc[d]}
		clients := map[string]bool{}
		m.graph.Dependents(n, func(a int) {
			c.Affected++
			ad := m.graph.Nodes[a]
			clients[ad.Client] = true
			crit, _ := ad.Value["criticality"].(string)
			if ad.Value["environment"] == "production" || crit == "critical" || crit == "high" {
				c.Production++
			}
		})
		c.Clients = len(clients)
		if c.Affected > 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Concentration) int {
		return cmp.Or(b.Clients-a.Clients, b.Production-a.Production, b.Affected-a.Affected,
			strings.Compare(a.Vendor.URL, b.Vendor.URL))
	})
	return out
}

// concentrationChart draws the top vendors as horizontal bars.
func concentrationChart(cs []Concentration) *Chart {
	if len(cs) > 15 {
		cs = cs[:15]
	}
	c := &Chart{ID: "vendor-concentration", Title: "Vendor concentration", Links: map[string]string{}}
	var names []string
	var clients, production []opts.BarData
	for i := len(cs) - 1; i >= 0; i-- { // ECharts draws the first category at the bottom
		name := cs[i].Vendor.Title()
		names = append(names, name)
		c.Links[name] = cs[i].Vendor.URL
		clients = append(clients, opts.BarData{Value: cs[i].Clients})
		production = append(production, opts.BarData{Value: cs[i].Production})
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: c.ID}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names}),
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "2%", Right: "4%"}),
	)
	bar.AddSeries("Clients relying on it", clients, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#2563eb"}))
	bar.AddSeries("Production entities relying on it", production, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#dc2626"}))
	bar.Validate()
	c.Option = bar.JSON()
	return c
}

// ChartData is what a page embeds for a chart: the options, and each
// node's page relative to this page, as JSON. json.Marshal escapes <, >
// and & as \u003c…, so the data cannot close its <script> element.
func (p *Page) ChartData(c *Chart) (template.JS, error) {
	links := make(map[string]string, len(c.Links))
	for name, url := range c.Links {
		links[name] = p.Link(url)
	}
	b, err := json.Marshal(map[string]any{"option": c.Option, "links": links})
	return template.JS(b), err
}
