package site

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
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
	Option map[string]any // go-echarts' options, unless series is set
	Links  []ChartLink    // by name, each name once (see sortLinks)
	// series is a dependency chart's nodes and links, which appendGraph
	// encodes straight into the page as it is written, without building
	// Option (the JSON was 150 MB of allocation at 50k entities).
	series *graphSeriesOf
}

// graphSeriesOf is a dependency chart's data, for appendGraph.
type graphSeriesOf struct {
	m     *siteModel
	data  []chartNode
	links []chartLink
}

// appendOption appends the JSON of the chart's options to dst.
func (c *Chart) appendOption(dst []byte) ([]byte, error) {
	if s := c.series; s != nil {
		return s.m.appendGraph(dst, c.ID, c.Title, s.data, s.links), nil
	}
	b, err := json.Marshal(c.Option)
	return append(dst, b...), err
}

// ChartLink is the site path a click on a chart's node or bar opens.
type ChartLink struct {
	Name, Path string
}

// sortLinks sorts links by name and keeps the last link given for a name.
func sortLinks(links []ChartLink) []ChartLink {
	slices.SortStableFunc(links, func(a, b ChartLink) int { return strings.Compare(a.Name, b.Name) })
	out := links[:0]
	for i, l := range links {
		if i+1 < len(links) && links[i+1].Name == l.Name {
			continue
		}
		out = append(out, l)
	}
	return out
}

// kindColours match the kind badges of style.css, in model.Kinds order.
var kindColours = map[model.Kind]string{
	model.KindClient: "#6b7280", model.KindService: "#7c3aed", model.KindServer: "#2563eb",
	model.KindConfiguration: "#0d9488", model.KindIntegration: "#d97706", model.KindVendor: "#dc2626",
	model.KindRunbook: "#4b5563",
}

// chartKinds are the kinds a dependency chart shows, one legend entry each.
var chartKinds = []model.Kind{model.KindService, model.KindServer, model.KindConfiguration, model.KindIntegration, model.KindVendor}

// graphChart draws nodes of g (sorted) and the edges among them (failure
// edges solid, access edges dashed), coloured by kind and sized by how
// much depends on each.
//
// A client's pages (scope, its id) size a shared vendor by what of that
// client depends on it: they say nothing of other clients, and do not
// change when another client's documents do.
func (m *siteModel) graphChart(id, title, scope string, nodes []int, focus int) *Chart {
	c := &Chart{ID: id, Title: title}
	data, links := m.graphSeries(c, scope, nodes, focus)
	c.series = &graphSeriesOf{m: m, data: data, links: links}
	c.Links = sortLinks(c.Links)
	return c
}

// graphSeries returns the nodes and links of a dependency chart, and
// fills c.Links.
func (m *siteModel) graphSeries(c *Chart, scope string, nodes []int, focus int) ([]chartNode, []chartLink) {
	g := m.graph
	data := make([]chartNode, 0, len(nodes))
	c.Links = make([]ChartLink, 0, len(nodes))
	at := make([]int, len(nodes)) // the index in data of each node, -1 when left out
	for i, n := range nodes {
		d := g.Nodes[n]
		e := m.byDoc[d]
		at[i] = -1
		if e == nil {
			continue
		}
		at[i] = len(data)
		name := g.Label(n)
		count := m.counts[n]
		if scope != "" && d.Client == "" {
			count = m.sharedCount(n, scope)
		}
		size := 12 + 5*math.Sqrt(float64(count))
		data = append(data, chartNode{name: name, category: slices.Index(chartKinds, d.Kind), size: math.Round(size),
			value: float32(count), focus: n == focus})
		c.Links = append(c.Links, ChartLink{name, e.URL})
	}
	var links []chartLink
	for i, n := range nodes {
		for _, e := range g.Out[n] {
			j, in := slices.BinarySearch(nodes, e.To)
			if !in || at[i] < 0 || at[j] < 0 || (!e.Type.Failure() && e.Type != graph.AccessedVia) {
				continue
			}
			links = append(links, chartLink{source: at[i], target: at[j], dashed: e.Type == graph.AccessedVia})
		}
	}
	return data, links
}

// chartNode and chartLink are a dependency chart's nodes and links as
// appendGraph writes them: go-echarts' own (opts.GraphNode, boxed numbers
// and all) are built only to make the template and for the charts that
// do without one.
type chartNode struct {
	name     string
	category int     // index in chartKinds
	size     float64 // symbol size
	value    float32
	focus    bool // the entity the page is about: drawn with a border
}

// A link names its nodes by their index in the chart's nodes, which
// ECharts takes as well as names: a page's links are a third as long.
type chartLink struct {
	source, target int
	dashed         bool // an access edge
}

var (
	focusStyle  = &opts.ItemStyle{BorderColor: "#111827", BorderWidth: 3}
	dashedStyle = &opts.LineStyle{Type: "dashed"}
)

func (n chartNode) opts() opts.GraphNode {
	o := opts.GraphNode{Name: n.name, Category: n.category, SymbolSize: n.size, Value: n.value}
	if n.focus {
		o.ItemStyle = focusStyle
	}
	return o
}

func (l chartLink) opts() opts.GraphLink {
	o := opts.GraphLink{Source: l.source, Target: l.target}
	if l.dashed {
		o.LineStyle = dashedStyle
	}
	return o
}

// seriesOpts returns go-echarts' nodes and links; nil stays nil, as
// encoding/json tells them apart.
func seriesOpts(data []chartNode, links []chartLink) ([]opts.GraphNode, []opts.GraphLink) {
	var d []opts.GraphNode
	if data != nil {
		d = make([]opts.GraphNode, len(data))
		for i, n := range data {
			d[i] = n.opts()
		}
	}
	var l []opts.GraphLink
	if links != nil {
		l = make([]opts.GraphLink, len(links))
		for i, k := range links {
			l[i] = k.opts()
		}
	}
	return d, l
}

// appendNodes appends data as encoding/json encodes the opts.GraphNode
// slice seriesOpts makes of it: fields in struct order, empty ones left
// out; the styles are the constants focusJSON and dashedJSON.
func appendNodes(b []byte, data []chartNode) []byte {
	return appendList(b, data, func(b []byte, n chartNode) []byte {
		b = append(b, '{')
		if n.name != "" {
			b = append(appendJSONString(append(b, `"name":`...), n.name), ',')
		}
		if n.value != 0 {
			b = append(appendJSONFloat(append(b, `"value":`...), float64(n.value), 32), ',')
		}
		b = strconv.AppendInt(append(b, `"category":`...), int64(n.category), 10)
		b = appendJSONFloat(append(b, `,"symbolSize":`...), n.size, 64)
		if n.focus {
			b = append(append(b, `,"itemStyle":`...), focusJSON...)
		}
		return append(b, '}')
	})
}

// appendLinks is appendNodes for links.
func appendLinks(b []byte, links []chartLink) []byte {
	return appendList(b, links, func(b []byte, l chartLink) []byte {
		b = strconv.AppendInt(append(b, `{"source":`...), int64(l.source), 10)
		b = strconv.AppendInt(append(b, `,"target":`...), int64(l.target), 10)
		if l.dashed {
			b = append(append(b, `,"lineStyle":`...), dashedJSON...)
		}
		return append(b, '}')
	})
}

// appendList appends items as encoding/json encodes a slice, each item by
// appendItem: null when nil, else an array.
func appendList[T any](b []byte, items []T, appendItem func([]byte, T) []byte) []byte {
	if items == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, it)
	}
	return append(b, ']')
}

// focusJSON and dashedJSON are focusStyle and dashedStyle as
// encoding/json writes them (TestEncodeGraphIsGoEchartsJSON compares).
const (
	focusJSON  = `{"borderColor":"#111827","borderWidth":3}`
	dashedJSON = `{"type":"dashed"}`
)

// appendJSONFloat appends f as encoding/json encodes a float of that many
// bits: the shortest decimal, in exponent form only when very small or
// very large. f must be finite.
func appendJSONFloat(b []byte, f float64, bits int) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
		bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// e-09 → e-9, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// graphOptions is a dependency chart as go-echarts builds it. labels
// shows the names beside the nodes, which only a small chart has room for.
func graphOptions(id, title string, data []opts.GraphNode, links []opts.GraphLink, labels bool) *charts.Graph {
	var categories []*opts.GraphCategory
	for _, k := range chartKinds {
		categories = append(categories, &opts.GraphCategory{Name: string(k), ItemStyle: &opts.ItemStyle{Color: kindColours[k]}})
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
	}), charts.WithLabelOpts(opts.Label{Show: opts.Bool(labels), Position: "right", FontSize: 11}))
	ch.Validate()
	return ch
}

// maxLabelledNodes is the most nodes a chart shows the names of.
const maxLabelledNodes = 40

// appendGraph appends the JSON of graphOptions to out. Every dependency chart
// shares all of it but the series' name, nodes and links, and a 50k
// portfolio has 50k of them: go-echarts builds the rest once per chart id
// (see graphTemplate), and only the three parts are encoded per chart,
// by hand as encoding/json would, so the bytes are the same.
func (m *siteModel) appendGraph(out []byte, id, title string, data []chartNode, links []chartLink) []byte {
	labels := len(data) <= maxLabelledNodes
	t := m.graphTemplate(id, labels)
	if t.parts == nil || title == "" {
		// No template (go-echarts changed how it encodes), or a name
		// go-echarts would leave out: encode the whole chart.
		d, l := seriesOpts(data, links)
		b, err := json.Marshal(graphOptions(id, title, d, l, labels).JSON())
		if err != nil {
			return append(out, "null"...) // as the options of no chart
		}
		return append(out, b...)
	}
	out = append(out, t.parts[0]...)
	for i, v := range t.order {
		switch v {
		case 0:
			out = appendJSONString(out, title)
		case 1:
			out = appendLinks(out, links)
		case 2:
			out = appendNodes(out, data)
		}
		out = append(out, t.parts[i+1]...)
	}
	return out
}

// graphTemplate is the JSON of a dependency chart cut where its series'
// name, links and nodes go: parts[0], the part order[0] names, parts[1],
// and so on.
type graphTemplate struct {
	parts [][]byte // nil when the placeholders were not found once each
	order []int    // 0 the name, 1 the links, 2 the nodes
}

type graphTemplateKey struct {
	id     string
	labels bool
}

// graphTemplate returns the template of charts with that id, building it
// the first time: go-echarts encodes a chart whose name, links and
// nodes are placeholders, which are then found in the JSON.
func (m *siteModel) graphTemplate(id string, labels bool) *graphTemplate {
	key := graphTemplateKey{id, labels}
	if t, ok := m.graphTemplates.Load(key); ok {
		return t.(*graphTemplate)
	}
	const mark = "\x01handover chart placeholder "
	name, links, data := mark+"name", []opts.GraphLink{{Source: mark + "links"}}, []opts.GraphNode{{Name: mark + "data"}}
	whole, err := json.Marshal(graphOptions(id, name, data, links, labels).JSON())
	type cut struct{ part, off, end int }
	var cuts []cut
	for i, v := range []any{name, links, data} {
		b, e := json.Marshal(v)
		off := bytes.Index(whole, b)
		if err = cmp.Or(err, e); err == nil && (off < 0 || bytes.Count(whole, b) != 1) {
			err = fmt.Errorf("chart placeholder %d not found once", i)
		}
		cuts = append(cuts, cut{i, off, off + len(b)})
	}
	t := &graphTemplate{}
	if err == nil {
		slices.SortFunc(cuts, func(a, b cut) int { return cmp.Compare(a.off, b.off) })
		last := 0
		for _, c := range cuts {
			t.parts = append(t.parts, whole[last:c.off])
			t.order = append(t.order, c.part)
			last = c.end
		}
		t.parts = append(t.parts, whole[last:])
	}
	actual, _ := m.graphTemplates.LoadOrStore(key, t)
	return actual.(*graphTemplate)
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
			crit := ad.Value.String("criticality")
			if ad.Value.Get("environment") == "production" || crit == "critical" || crit == "high" {
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
	c := &Chart{ID: "vendor-concentration", Title: "Vendor concentration"}
	var names []string
	var clients, production []opts.BarData
	for i := len(cs) - 1; i >= 0; i-- { // ECharts draws the first category at the bottom
		name := cs[i].Vendor.Title()
		names = append(names, name)
		c.Links = append(c.Links, ChartLink{name, cs[i].Vendor.URL})
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
	c.Links = sortLinks(c.Links)
	return c
}

// ChartData is what a page embeds for a chart: the options, and each
// node's page relative to this page, as JSON. json.Marshal escapes <, >
// and & as \u003c…, so the data cannot close its <script> element.
func (p *Page) ChartData(c *Chart) (template.JS, error) {
	var b bytes.Buffer
	err := p.writeChartData(&b, c)
	return template.JS(b.String()), err
}

// writeChartData writes what ChartData gives (a template.JS, which
// html/template writes as it is) straight into the page, as json.Marshal
// would encode {"option": …, "links": …}.
func (p *Page) writeChartData(b *bytes.Buffer, c *Chart) error {
	// The links as json.Marshal writes a map: keys sorted, strings
	// escaped alike (appendJSONString).
	b.WriteString(`{"links":{`)
	for i, l := range c.Links {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(appendJSONString(b.AvailableBuffer(), l.Name))
		b.WriteByte(':')
		b.Write(appendJSONString(b.AvailableBuffer(), p.Link(l.Path)))
	}
	b.WriteString(`},"option":`)
	option, err := c.appendOption(b.AvailableBuffer())
	if err != nil {
		return err
	}
	b.Write(option)
	b.WriteByte('}')
	return nil
}
