package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/handover-dev/handover/generator/graph"
)

// TestEncodeGraphIsGoEchartsJSON checks that a dependency chart spliced
// into its shared template (appendGraph) is byte for byte what go-echarts
// and encoding/json give for the whole chart.
func TestEncodeGraphIsGoEchartsJSON(t *testing.T) {
	node := func(name string, category int) chartNode {
		return chartNode{name: name, category: category, size: 17, value: 3}
	}
	focused := node("client-a/server:web-01", 1)
	focused.focus = true
	small := []chartNode{focused, node("client-a/service:shop", 0), node("vendor:aws", 4)}
	links := []chartLink{
		{source: 1, target: 0},               // the shop depends on web-01
		{source: 0, target: 2, dashed: true}, // web-01 is reached through aws
	}
	var many []chartNode
	for i := range maxLabelledNodes + 1 {
		many = append(many, node(fmt.Sprintf("client-a/server:app-%02d", i), 1))
	}
	hostile := []chartNode{
		node(`client-a/server:</script><script>alert(1)</script>`, 1),
		node("client-a/server:\u2028 & \"quoted\" Überblick", 1),
		node("\x01handover chart placeholder data", 1), // the template's own mark
	}
	// Numbers at the edges of encoding/json's formats, and empty fields
	// that it leaves out.
	numbers := []chartNode{
		{name: "a", category: -1, size: 0, value: 0},
		{name: "", category: 0, size: 1e21, value: 1e21},
		{name: "c", category: 2, size: 1e-7, value: 1e-7},
		{name: "d", category: 3, size: 12.5, value: 0.1},
		{name: "e", category: 4, size: 123456789.125, value: 16777217},
		{name: "f", category: 1, size: -0.000001, value: -2.5e-9},
	}
	tests := []struct {
		name, id, title string
		data            []chartNode
		links           []chartLink
		template        bool // encoded through the template, not whole
	}{
		{"entity chart", "entity-graph", "Neighbourhood and blast radius of Web 1", small, links, true},
		{"client chart", "client-graph", "Dependencies of Client A", small, links, true},
		{"no links", "entity-graph", "Neighbourhood of Web 1", small, nil, true},
		{"too many nodes to label", "entity-graph", "Blast radius (the nearest 41 of 90 affected)", many, nil, true},
		{"hostile names", "entity-graph", `</script><script>alert("title")</script>`, hostile, links, true},
		{"numbers", "client-graph", "Numbers", numbers, links, true},
		{"no nodes", "client-graph", "Empty", []chartNode{}, nil, true},
		{"no title", "entity-graph", "", small, links, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &siteModel{}
			labels := len(tc.data) <= maxLabelledNodes
			data, links := seriesOpts(tc.data, tc.links)
			want, err := json.Marshal(graphOptions(tc.id, tc.title, data, links, labels).JSON())
			if err != nil {
				t.Fatal(err)
			}
			if got := m.appendGraph(nil, tc.id, tc.title, tc.data, tc.links); string(got) != string(want) {
				t.Errorf("appendGraph differs at byte %d:\n got %q\nwant %q", firstDiff(got, want), got, want)
			}
			if used := m.graphTemplate(tc.id, labels).parts != nil && tc.title != ""; used != tc.template {
				t.Errorf("encoded through the template: %v, want %v", used, tc.template)
			}
		})
	}
}

// TestChartDataIsMarshal checks the chart data a page embeds against
// json.Marshal of {"option": …, "links": …}, links relative to the page.
func TestChartDataIsMarshal(t *testing.T) {
	m := &siteModel{}
	data := []chartNode{{name: "client-a/server:web-01"}, {name: `</script>&"x"`}, {name: "vendor:café"}}
	// Unsorted, and a name twice: the last link given for it counts, as
	// when the links were a map.
	c := &Chart{ID: "entity-graph", Title: "Neighbourhood", Links: sortLinks([]ChartLink{
		{"vendor:café", "vendors/old.html"},
		{"client-a/server:web-01", "clients/client-a/servers/web-01.html"},
		{`</script>&"x"`, "clients/client-a/servers/x.html"},
		{"vendor:café", "vendors/café.html"},
	})}
	c.series = &graphSeriesOf{m: m, data: data}
	bar := concentrationChart(nil) // options from go-echarts' map, not appendGraph
	for _, c := range []*Chart{c, bar, {ID: "empty"}} {
		p := &Page{Path: "clients/client-a/servers/web-01.html"}
		var b bytes.Buffer
		if err := p.writeChartData(&b, c); err != nil {
			t.Fatal(err)
		}
		links := map[string]string{}
		for _, l := range c.Links {
			links[l.Name] = p.Link(l.Path)
		}
		if c.ID == "entity-graph" && (len(links) != 3 || links["vendor:café"] != "../../../vendors/café.html") {
			t.Errorf("links %v: want three, vendor:café to vendors/café.html", links)
		}
		var option any = c.Option
		if c.series != nil {
			encoded, _ := c.appendOption(nil)
			option = json.RawMessage(encoded)
		}
		want, err := json.Marshal(map[string]any{"option": option, "links": links})
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("chart %s:\n got %s\nwant %s", c.ID, b.String(), want)
		}
	}
}

// TestChartLinksJoinTheirNodes checks that each link of a client's chart,
// which names its nodes by their index among the chart's nodes, joins the
// two nodes the graph has an edge between, and that every such edge is
// drawn.
func TestChartLinksJoinTheirNodes(t *testing.T) {
	repo, ix, g := stages(t, "../../examples")
	m, err := build(repo, ix, g)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.clients {
		var option struct {
			Series []struct {
				Data []struct {
					Name string `json:"name"`
				} `json:"data"`
				Links []struct {
					Source, Target int
				} `json:"links"`
			} `json:"series"`
		}
		encoded, _ := m.clientChart(c).appendOption(nil)
		if err := json.Unmarshal(encoded, &option); err != nil || len(option.Series) != 1 {
			t.Fatalf("%s: chart %v", c.C.ID, err)
		}
		series := option.Series[0]
		node := map[string]int{} // name → graph node
		for n := range g.Nodes {
			node[g.Label(n)] = n
		}
		drawn := map[[2]int]bool{}
		for _, l := range series.Links {
			from, to := node[series.Data[l.Source].Name], node[series.Data[l.Target].Name]
			if !slices.ContainsFunc(g.Out[from], func(e graph.Edge) bool { return e.To == to }) {
				t.Errorf("%s: a link from %s to %s, which the graph does not join", c.C.ID, g.Label(from), g.Label(to))
			}
			drawn[[2]int{from, to}] = true
		}
		shown := map[int]bool{}
		for _, d := range series.Data {
			shown[node[d.Name]] = true
		}
		for from := range shown {
			for _, e := range g.Out[from] {
				if shown[e.To] && (e.Type.Failure() || e.Type == graph.AccessedVia) && !drawn[[2]int{from, e.To}] {
					t.Errorf("%s: no link from %s to %s", c.C.ID, g.Label(from), g.Label(e.To))
				}
			}
		}
		if len(series.Links) == 0 {
			t.Errorf("%s: a chart without links", c.C.ID)
		}
	}
}
