package graph

import (
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/generator/resolve"
	"github.com/handover-dev/handover/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fixture builds a graph from lines "from field to", as resolve would have
// found them, and lone "node" lines for entities without references. A node
// is written client/kind:id, a shared vendor kind:id; the line
// "client/service:x criticality high" sets a service's criticality. Every
// client gets its Client document. It returns the graph and a lookup of
// nodes by the names the lines used.
func fixture(t testing.TB, lines ...string) (*Graph, func(string) int) {
	t.Helper()
	ix := &resolve.Index{
		Clients:  map[string]*model.Document{},
		Shared:   map[model.Ref]*model.Document{},
		ByClient: map[string]map[model.Ref]*model.Document{},
	}
	docs := map[string]*model.Document{}
	doc := func(name string) *model.Document {
		if d := docs[name]; d != nil {
			return d
		}
		client, text, ok := strings.Cut(name, "/")
		if !ok {
			client, text = "", name
		}
		ref, ok := model.ParseRef(text)
		if !ok {
			t.Fatalf("bad node %q", name)
		}
		d := &model.Document{File: name, Kind: ref.Kind, ID: ref.ID, Client: client, Value: model.ObjectOf(map[string]any{"kind": string(ref.Kind), "id": ref.ID})}
		docs[name] = d
		if client == "" {
			ix.Shared[ref] = d
			return d
		}
		if ix.ByClient[client] == nil {
			c := &model.Document{File: "clients/" + client + "/client.yaml", Kind: model.KindClient, ID: client, Client: client}
			ix.Clients[client] = c
			ix.ByClient[client] = map[model.Ref]*model.Document{c.Ref(): c}
		}
		ix.ByClient[client][ref] = d
		return d
	}
	for _, line := range lines {
		f := strings.Fields(line)
		switch {
		case len(f) == 1:
			doc(f[0])
		case len(f) == 3 && (f[1] == "criticality" || f[1] == "type"):
			set(doc(f[0]), map[string]any{f[1]: f[2]})
		case len(f) == 3:
			ix.Edges = append(ix.Edges, resolve.Edge{From: doc(f[0]), To: doc(f[2]), Field: f[1]})
		default:
			t.Fatalf("bad line %q", line)
		}
	}
	g := New(ix)
	return g, func(name string) int {
		t.Helper()
		n, ok := g.Node(docs[name])
		if !ok {
			t.Fatalf("no node %q", name)
		}
		return n
	}
}

// chainLines are fixture lines for n servers, each depending on the next;
// with loop, the last depends on the first.
func chainLines(n int, loop bool) []string {
	lines := make([]string, 0, n)
	for i := 0; i+1 < n; i++ {
		lines = append(lines, fmt.Sprintf("acme/server:s%05d dependsOn acme/server:s%05d", i, i+1))
	}
	if loop {
		lines = append(lines, fmt.Sprintf("acme/server:s%05d dependsOn acme/server:s00000", n-1))
	}
	return lines
}

func paths(g *Graph, impact []Affected) []string {
	out := []string{}
	for _, a := range impact {
		if a.Node != a.Path[len(a.Path)-1] || a.Depth != len(a.Path)-1 {
			return []string{fmt.Sprintf("inconsistent %+v", a)}
		}
		out = append(out, g.PathString(a.Path))
	}
	return out
}

func labelsOf(g *Graph, nodes []int) []string {
	out := []string{}
	for _, n := range nodes {
		out = append(out, g.Label(n))
	}
	return out
}

func TestClassify(t *testing.T) {
	for _, f := range model.RefFields {
		t.Run(string(f.Kind)+"."+f.Path, func(t *testing.T) {
			if typ, _ := Classify(f.Kind, strings.TrimSuffix(f.Path, "[]")); typ == References {
				t.Errorf("no edge type for %s %s: decide whether its failure breaks the %s", f.Kind, f.Path, f.Kind)
			}
		})
	}
	cases := []struct {
		kind     model.Kind
		field    string
		want     EdgeType
		reversed bool
		failure  bool
	}{
		{model.KindService, "dependsOn", DependsOn, false, true},
		{model.KindServer, "dependsOn", DependsOn, false, true},
		{model.KindIntegration, "dependsOn", DependsOn, false, true},
		{model.KindServer, "location.provider", HostedBy, false, true},
		{model.KindIntegration, "runsOn", RunsOn, false, true},
		{model.KindIntegration, "provider", ProvidedBy, false, true},
		{model.KindConfiguration, "vendor", SuppliedBy, false, true},
		{model.KindConfiguration, "appliesTo", ConfiguredBy, true, true},
		{model.KindServer, "access.via", AccessedVia, false, false},
		{model.KindServer, "runbooks", Documents, true, false},
		{model.KindRunbook, "appliesTo", Documents, false, false},
		{model.KindVendor, "parent", References, false, false},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %s", tc.kind, tc.field), func(t *testing.T) {
			typ, rev := Classify(tc.kind, tc.field)
			if typ != tc.want || rev != tc.reversed || typ.Failure() != tc.failure {
				t.Errorf("got %s reversed=%v failure=%v, want %s reversed=%v failure=%v", typ, rev, typ.Failure(), tc.want, tc.reversed, tc.failure)
			}
		})
	}
}

func TestImpact(t *testing.T) {
	cases := []struct {
		name   string
		lines  []string
		failed string
		want   []string // PathString of each Affected, in order
	}{
		{"diamond", []string{
			"acme/server:a dependsOn acme/server:b",
			"acme/server:a dependsOn acme/server:c",
			"acme/server:b dependsOn acme/server:d",
			"acme/server:c dependsOn acme/server:d",
		}, "acme/server:d", []string{
			"server:d → server:b",
			"server:d → server:c",
			"server:d → server:b → server:a",
		}},
		{"diamond with a shortcut", []string{
			"acme/server:a dependsOn acme/server:b",
			"acme/server:b dependsOn acme/server:c",
			"acme/server:c dependsOn acme/server:d",
			"acme/server:a dependsOn acme/server:d",
		}, "acme/server:d", []string{
			"server:d → server:a",
			"server:d → server:c",
			"server:d → server:c → server:b",
		}},
		{"chain", []string{
			"acme/service:shop dependsOn acme/server:web",
			"acme/server:web dependsOn acme/server:db",
			"acme/server:db location.provider vendor:hetzner",
		}, "vendor:hetzner", []string{
			"vendor:hetzner → server:db",
			"vendor:hetzner → server:db → server:web",
			"vendor:hetzner → server:db → server:web → service:shop",
		}},
		{"middle of a chain", []string{
			"acme/service:shop dependsOn acme/server:web",
			"acme/server:web dependsOn acme/server:db",
			"acme/server:db location.provider vendor:hetzner",
		}, "acme/server:web", []string{
			"server:web → service:shop",
		}},
		{"cycle terminates", []string{
			"acme/server:a dependsOn acme/server:b",
			"acme/server:b dependsOn acme/server:c",
			"acme/server:c dependsOn acme/server:a",
		}, "acme/server:a", []string{
			"server:a → server:c",
			"server:a → server:c → server:b",
		}},
		{"self-reference", []string{
			"acme/server:a dependsOn acme/server:a",
			"acme/server:b dependsOn acme/server:a",
		}, "acme/server:a", []string{
			"server:a → server:b",
		}},
		{"nothing depends on it", []string{
			"acme/service:shop dependsOn acme/server:web",
		}, "acme/service:shop", []string{}},
		{"unknown field is not a failure", []string{
			"acme/server:db accessedThrough acme/server:bastion",
		}, "acme/server:bastion", []string{}},
		{"access is not a failure", []string{
			"acme/server:db access.via acme/server:bastion",
			"acme/server:web access.via vendor:ninjaone",
		}, "acme/server:bastion", []string{}},
		{"access to a vendor is not a failure", []string{
			"acme/server:web access.via vendor:ninjaone",
			"acme/service:shop dependsOn acme/server:web",
		}, "vendor:ninjaone", []string{}},
		{"runbooks are not failures", []string{
			"acme/server:web runbooks acme/runbook:restart-web",
			"acme/runbook:patch-web appliesTo acme/server:web",
			"acme/service:shop dependsOn acme/server:web",
		}, "acme/runbook:restart-web", []string{}},
		{"a documented server's impact has no runbooks", []string{
			"acme/server:web runbooks acme/runbook:restart-web",
			"acme/runbook:patch-web appliesTo acme/server:web",
			"acme/service:shop dependsOn acme/server:web",
		}, "acme/server:web", []string{
			"server:web → service:shop",
		}},
		{"certificate applied to a server", []string{
			"acme/configuration:cert-web appliesTo acme/server:web",
			"acme/configuration:cert-web vendor vendor:lets-encrypt",
			"acme/service:shop dependsOn acme/server:web",
		}, "acme/configuration:cert-web", []string{
			"configuration:cert-web → server:web",
			"configuration:cert-web → server:web → service:shop",
		}},
		{"a failed backup job stops nothing", []string{
			"acme/configuration:nightly type backup-job",
			"acme/configuration:nightly appliesTo acme/server:web",
			"acme/configuration:nightly vendor vendor:backblaze",
			"acme/service:shop dependsOn acme/server:web",
		}, "vendor:backblaze", []string{
			"vendor:backblaze → configuration:nightly",
		}},
		{"vendor of a certificate applied to a server", []string{
			"acme/configuration:cert-web appliesTo acme/server:web",
			"acme/configuration:cert-web vendor vendor:lets-encrypt",
			"acme/service:shop dependsOn acme/server:web",
		}, "vendor:lets-encrypt", []string{
			"vendor:lets-encrypt → configuration:cert-web",
			"vendor:lets-encrypt → configuration:cert-web → server:web",
			"vendor:lets-encrypt → configuration:cert-web → server:web → service:shop",
		}},
		{"integration runs on a server and has a provider", []string{
			"acme/integration:pay runsOn acme/server:web",
			"acme/integration:pay provider vendor:stripe",
			"acme/service:shop dependsOn acme/integration:pay",
		}, "vendor:stripe", []string{
			"vendor:stripe → integration:pay",
			"vendor:stripe → integration:pay → service:shop",
		}},
		{"integration's server fails", []string{
			"acme/integration:pay runsOn acme/server:web",
			"acme/integration:pay provider vendor:stripe",
			"acme/service:shop dependsOn acme/integration:pay",
		}, "acme/server:web", []string{
			"server:web → integration:pay",
			"server:web → integration:pay → service:shop",
		}},
		{"shared vendor crosses clients", []string{
			"acme/server:web location.provider vendor:aws",
			"bravo/server:web location.provider vendor:aws",
			"bravo/service:shop dependsOn bravo/server:web",
			"bravo/server:other location.provider vendor:hetzner",
		}, "vendor:aws", []string{
			"vendor:aws → acme/server:web",
			"vendor:aws → bravo/server:web",
			"vendor:aws → bravo/server:web → service:shop",
		}},
		{"one client's failure stays in the client", []string{
			"acme/server:web location.provider vendor:aws",
			"bravo/server:web location.provider vendor:aws",
			"bravo/service:shop dependsOn bravo/server:web",
		}, "acme/server:web", []string{}},
		{"two edges between the same nodes count once", []string{
			"acme/server:web dependsOn acme/configuration:firewall",
			"acme/configuration:firewall appliesTo acme/server:web",
			"acme/configuration:firewall appliesTo acme/server:web",
		}, "acme/configuration:firewall", []string{
			"configuration:firewall → server:web",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, node := fixture(t, tc.lines...)
			got := paths(g, g.Impact(node(tc.failed)))
			if !slices.Equal(got, tc.want) {
				t.Errorf("Impact(%s):\n got %q\nwant %q", tc.failed, got, tc.want)
			}
			if c := g.DependentCount(node(tc.failed)); c != len(tc.want) {
				t.Errorf("DependentCount = %d, want %d", c, len(tc.want))
			}
		})
	}
}

func TestImpactVia(t *testing.T) {
	g, node := fixture(t,
		"acme/server:db access.via acme/server:bastion",
		"acme/server:web access.via acme/server:bastion",
		"acme/server:web dependsOn acme/server:db",
		"acme/service:shop dependsOn acme/server:web",
		"acme/server:bastion dependsOn acme/configuration:firewall",
	)
	cases := []struct {
		name   string
		failed string
		types  []EdgeType
		want   []string
	}{
		{"locked out", "acme/server:bastion", []EdgeType{AccessedVia}, []string{"server:bastion → server:db", "server:bastion → server:web"}},
		{"locked out and what follows", "acme/server:bastion", []EdgeType{AccessedVia, DependsOn}, []string{"server:bastion → server:db", "server:bastion → server:web", "server:bastion → server:web → service:shop"}},
		{"failure types are Impact", "acme/configuration:firewall", FailureTypes, paths(g, g.Impact(node("acme/configuration:firewall")))},
		{"no types", "acme/server:db", nil, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := paths(g, g.ImpactVia(node(tc.failed), tc.types...))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestFromFiles runs a small repository a consultant could have written
// through load and resolve: the certificate on the web server reaches the
// shop through the reversed appliesTo, the bastion and the runbook do not.
func TestFromFiles(t *testing.T) {
	files := map[string]string{
		"handover.yaml":             "version: 1\n",
		"vendors/aws.yaml":          "kind: Vendor\nid: aws\nname: Amazon Web Services\n",
		"vendors/lets-encrypt.yaml": "kind: Vendor\nid: lets-encrypt\nname: Let's Encrypt\n",
		"clients/acme/client.yaml":  "kind: Client\nid: acme\nname: Acme\n",
		"clients/acme/servers.yaml": `kind: Server
id: web-01
location:
  provider: vendor:aws
access:
  via: server:bastion-01
runbooks: [runbook:renew-cert]
---
kind: Server
id: bastion-01
location:
  provider: vendor:aws
`,
		"clients/acme/configurations/cert.yaml": `kind: Configuration
id: cert-shop
type: certificate
appliesTo: [server:web-01]
vendor: vendor:lets-encrypt
`,
		"clients/acme/services/shop.yaml":     "kind: Service\nid: shop\ncriticality: critical\ndependsOn: [server:web-01]\n",
		"clients/acme/runbooks/renew-cert.md": "---\nkind: Runbook\nid: renew-cert\nappliesTo: [configuration:cert-shop]\n---\n# Renew\n",
	}
	repo, diags := load.Repo(testutil.WriteFiles(t, files), load.Options{})
	if len(diags) > 0 {
		t.Fatalf("load: %v", diags)
	}
	ix, diags := resolve.Docs(repo.Docs)
	if len(diags) > 0 {
		t.Fatalf("resolve: %v", diags)
	}
	g := New(ix)
	find := func(client, ref string) int {
		r, _ := model.ParseRef(ref)
		n, ok := g.Find(client, r)
		if !ok {
			t.Fatalf("Find(%q, %s) failed", client, ref)
		}
		return n
	}
	cases := []struct {
		name   string
		failed int
		want   []string // Explain of each Affected
	}{
		{"certificate", find("acme", "configuration:cert-shop"), []string{
			"server:web-01 → configuration:cert-shop",
			"service:shop → server:web-01 → configuration:cert-shop",
		}},
		{"certificate's vendor", find("acme", "vendor:lets-encrypt"), []string{
			"configuration:cert-shop → vendor:lets-encrypt",
			"server:web-01 → configuration:cert-shop → vendor:lets-encrypt",
			"service:shop → server:web-01 → configuration:cert-shop → vendor:lets-encrypt",
		}},
		{"bastion", find("acme", "server:bastion-01"), nil},
		{"runbook", find("acme", "runbook:renew-cert"), nil},
		{"hosting", find("", "vendor:aws"), []string{
			"server:bastion-01 → vendor:aws",
			"server:web-01 → vendor:aws",
			"service:shop → server:web-01 → vendor:aws",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range g.Impact(tc.failed) {
				got = append(got, g.Explain(a.Path))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("services", func(t *testing.T) {
		var got []string
		for _, a := range g.Services(g.Impact(find("acme", "configuration:cert-shop"))) {
			got = append(got, g.Label(a.Node)+" "+g.Criticality(a.Node))
		}
		if want := []string{"service:shop critical"}; !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("edges", func(t *testing.T) {
		web := find("acme", "server:web-01")
		var got []string
		for _, e := range slices.Concat(g.Out[web], g.In[web]) {
			got = append(got, fmt.Sprintf("%s %s %s (%s)", g.Label(e.From), e.Type, g.Label(e.To), e.Field))
		}
		want := []string{
			// Out: what web-01 depends on, or relates to, sorted by To
			// (shared vendors come first in node order).
			"server:web-01 hosted-by vendor:aws (location.provider)",
			"server:web-01 accessed-via server:bastion-01 (access.via)",
			"server:web-01 configured-by configuration:cert-shop (appliesTo)",
			// In: what depends on web-01, or relates to it, sorted by From.
			"service:shop depends-on server:web-01 (dependsOn)",
			"runbook:renew-cert documents server:web-01 (runbooks)",
		}
		if !slices.Equal(got, want) {
			t.Errorf("edges of web-01:\n got %q\nwant %q", got, want)
		}
	})
}

func TestCycles(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []string // CycleString of each cycle
	}{
		{"none in a diamond", []string{
			"acme/server:a dependsOn acme/server:b",
			"acme/server:a dependsOn acme/server:c",
			"acme/server:b dependsOn acme/server:d",
			"acme/server:c dependsOn acme/server:d",
		}, []string{}},
		{"three nodes", []string{
			"acme/server:b dependsOn acme/server:c",
			"acme/server:c dependsOn acme/server:a",
			"acme/server:a dependsOn acme/server:b",
		}, []string{"server:a → server:b → server:c → server:a"}},
		{"shortest cycle through the first node", []string{
			"acme/server:a dependsOn acme/server:b",
			"acme/server:b dependsOn acme/server:c",
			"acme/server:c dependsOn acme/server:d",
			"acme/server:d dependsOn acme/server:a",
			"acme/server:a dependsOn acme/server:c",
		}, []string{"server:a → server:c → server:d → server:a"}},
		{"self-reference", []string{
			"acme/server:a dependsOn acme/server:a",
			"acme/server:b dependsOn acme/server:a",
		}, []string{"server:a → server:a"}},
		{"self-reference inside a cycle", []string{
			"acme/server:a dependsOn acme/server:b",
			"acme/server:b dependsOn acme/server:a",
			"acme/server:b dependsOn acme/server:b",
		}, []string{"server:a → server:b → server:a", "server:b → server:b"}},
		{"two components", []string{
			"acme/server:x dependsOn acme/server:y",
			"acme/server:y dependsOn acme/server:x",
			"acme/server:a dependsOn acme/server:b",
			"acme/server:b dependsOn acme/server:a",
			"acme/server:y dependsOn acme/server:a",
		}, []string{"server:a → server:b → server:a", "server:x → server:y → server:x"}},
		{"configurations applied to each other", []string{
			"acme/configuration:domain appliesTo acme/configuration:zone",
			"acme/configuration:zone appliesTo acme/configuration:domain",
		}, []string{"configuration:domain → configuration:zone → configuration:domain"}},
		{"server with its own certificate is no cycle", []string{
			"acme/server:web dependsOn acme/configuration:cert",
			"acme/configuration:cert appliesTo acme/server:web",
		}, []string{}},
		{"access edges make no cycle", []string{
			"acme/server:bastion dependsOn acme/server:db",
			"acme/server:db access.via acme/server:bastion",
		}, []string{}},
		{"documents edges make no cycle", []string{
			"acme/server:web runbooks acme/runbook:r",
			"acme/runbook:r appliesTo acme/server:web",
		}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := fixture(t, tc.lines...)
			got := []string{}
			for _, c := range g.Cycles() {
				got = append(got, g.CycleString(c))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestLarge walks 10,000-node chains and loops: nothing recurses, paths
// share storage, and the whole test takes milliseconds.
func TestLarge(t *testing.T) {
	const n = 10000
	t.Run("chain", func(t *testing.T) {
		g, node := fixture(t, chainLines(n, false)...)
		last := node(fmt.Sprintf("acme/server:s%05d", n-1))
		impact := g.Impact(last)
		if len(impact) != n-1 {
			t.Fatalf("Impact of the end: %d nodes, want %d", len(impact), n-1)
		}
		far := impact[len(impact)-1]
		if far.Node != node("acme/server:s00000") || far.Depth != n-1 || len(far.Path) != n || far.Path[0] != last {
			t.Errorf("farthest: node %d depth %d path length %d", far.Node, far.Depth, len(far.Path))
		}
		for i, a := range impact {
			if want := node(fmt.Sprintf("acme/server:s%05d", n-2-i)); a.Node != want || a.Path[len(a.Path)-2] != want+1 {
				t.Fatalf("impact[%d] = node %d (path ends %v), want %d", i, a.Node, a.Path[max(0, len(a.Path)-2):], want)
			}
		}
		if got := g.Cycles(); len(got) != 0 {
			t.Errorf("Cycles = %d, want none", len(got))
		}
		counts := g.DependentCounts()
		if counts[last] != n-1 || counts[node("acme/server:s00000")] != 0 {
			t.Errorf("DependentCounts: end %d, start %d", counts[last], counts[node("acme/server:s00000")])
		}
	})
	t.Run("cycle", func(t *testing.T) {
		g, node := fixture(t, chainLines(n, true)...)
		first := node("acme/server:s00000")
		impact := g.Impact(first)
		if len(impact) != n-1 {
			t.Fatalf("Impact: %d nodes, want %d", len(impact), n-1)
		}
		if far := impact[len(impact)-1]; far.Node != node("acme/server:s00001") || far.Depth != n-1 {
			t.Errorf("farthest: %s at depth %d", g.Label(far.Node), far.Depth)
		}
		cycles := g.Cycles()
		if len(cycles) != 1 || len(cycles[0]) != n || cycles[0][0] != first || cycles[0][n-1] != node(fmt.Sprintf("acme/server:s%05d", n-1)) {
			t.Fatalf("Cycles: %d cycles, first of length %d", len(cycles), len(cycles[0]))
		}
		for i, c := range g.DependentCounts() {
			if g.Nodes[i].Kind == model.KindServer && c != n-1 {
				t.Fatalf("DependentCounts[%s] = %d, want %d", g.Label(i), c, n-1)
			}
		}
	})
	t.Run("single points of failure", func(t *testing.T) {
		top := "acme/service:shop"
		g, node := fixture(t, append(chainLines(n, false), top+" dependsOn acme/server:s00000", top+" criticality critical")...)
		spofs := g.SinglePointsOfFailure()
		if len(spofs) != n {
			t.Fatalf("%d SPOFs, want %d", len(spofs), n)
		}
		for _, s := range spofs {
			if !slices.Equal(s.Services, []int{node(top)}) {
				t.Fatalf("SPOF %s reaches %v", g.Label(s.Node), labelsOf(g, s.Services))
			}
		}
	})
}

func TestSinglePointsOfFailure(t *testing.T) {
	// The shop and the intranet share the Hetzner server's vendor; the blog
	// matters little; the bastion is only how engineers get in.
	g, _ := fixture(t,
		"acme/service:shop criticality critical",
		"acme/service:shop dependsOn acme/server:web",
		"acme/service:shop dependsOn acme/integration:pay",
		"acme/integration:pay provider vendor:stripe",
		"acme/integration:pay runsOn acme/server:web",
		"acme/server:web location.provider vendor:hetzner",
		"acme/server:web access.via acme/server:bastion",
		"acme/server:web runbooks acme/runbook:restart-web",
		"acme/configuration:cert appliesTo acme/server:web",
		"acme/service:intranet criticality high",
		"acme/service:intranet dependsOn acme/server:intra",
		"acme/server:intra location.provider vendor:hetzner",
		"acme/service:blog criticality low",
		"acme/service:blog dependsOn acme/server:blog",
		"acme/server:blog location.provider vendor:hetzner",
		"acme/service:fulfilment criticality high",
		"acme/service:fulfilment dependsOn acme/service:shop",
		"bravo/service:shop criticality critical",
		"bravo/service:shop dependsOn vendor:stripe",
	)
	var got []string
	for _, s := range g.SinglePointsOfFailure() {
		got = append(got, g.Label(s.Node)+": "+strings.Join(labelsOf(g, s.Services), ", "))
	}
	want := []string{
		"vendor:stripe: acme/service:shop, bravo/service:shop, service:fulfilment",
		"vendor:hetzner: acme/service:shop, service:fulfilment, service:intranet",
		"server:web: acme/service:shop, service:fulfilment",
		"configuration:cert: acme/service:shop, service:fulfilment",
		"integration:pay: acme/service:shop, service:fulfilment",
		"acme/service:shop: service:fulfilment",
		"server:intra: service:intranet",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestOrphans(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"lone entities", []string{
			"vendor:1password",
			"acme/server:old",
			"acme/service:shop dependsOn acme/server:web",
		}, []string{"vendor:1password", "server:old"}},
		{"access and documents edges count", []string{
			"acme/server:web access.via vendor:ninjaone",
			"acme/runbook:r appliesTo acme/configuration:dns",
		}, []string{}},
		{"clients are never orphans", []string{
			"acme/server:web location.provider vendor:aws",
		}, []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := fixture(t, tc.lines...)
			if got := labelsOf(g, g.Orphans()); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFindAndLabel(t *testing.T) {
	g, node := fixture(t,
		"acme/server:web location.provider vendor:aws",
		"acme/server:db location.provider acme/vendor:aws",
		"bravo/server:web location.provider vendor:aws",
		"bravo/server:mail location.provider vendor:hetzner",
	)
	cases := []struct {
		name   string
		client string
		ref    string
		want   string // node name in the fixture, "" for not found
		label  string
	}{
		{"own entity", "bravo", "server:mail", "bravo/server:mail", "server:mail"},
		{"same id in two clients", "bravo", "server:web", "bravo/server:web", "bravo/server:web"},
		{"client's vendor hides the shared one", "acme", "vendor:aws", "acme/vendor:aws", "acme/vendor:aws"},
		{"shared vendor", "bravo", "vendor:aws", "vendor:aws", "vendor:aws"},
		{"shared vendor without a client", "", "vendor:hetzner", "vendor:hetzner", "vendor:hetzner"},
		{"the client itself", "acme", "client:acme", "", "client:acme"},
		{"another client's entity", "acme", "server:mail", "", ""},
		{"client entity without a client", "", "server:web", "", ""},
		{"unknown client", "zulu", "vendor:aws", "vendor:aws", "vendor:aws"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ref, _ := model.ParseRef(tc.ref)
			n, ok := g.Find(tc.client, ref)
			switch {
			case tc.want == "" && tc.label == "" && ok:
				t.Errorf("found %s, want nothing", g.Label(n))
			case tc.label != "" && !ok:
				t.Errorf("not found")
			case tc.want != "" && n != node(tc.want):
				t.Errorf("found %s (node %d), want %s", g.Label(n), n, tc.want)
			case tc.label != "" && g.Label(n) != tc.label:
				t.Errorf("Label = %q, want %q", g.Label(n), tc.label)
			}
		})
	}
	t.Run("node order", func(t *testing.T) {
		want := []string{"vendor:aws", "vendor:hetzner", "client:acme", "server:db", "acme/server:web", "acme/vendor:aws", "client:bravo", "server:mail", "bravo/server:web"}
		if got := labelsOf(g, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}); len(g.Nodes) != len(want) || !slices.Equal(got, want) {
			t.Errorf("got %q (%d nodes)\nwant %q", got, len(g.Nodes), want)
		}
	})
	t.Run("paths", func(t *testing.T) {
		path := []int{node("vendor:aws"), node("bravo/server:web")}
		if got, want := g.PathString(path), "vendor:aws → bravo/server:web"; got != want {
			t.Errorf("PathString = %q, want %q", got, want)
		}
		if got, want := g.Explain(path), "bravo/server:web → vendor:aws"; got != want {
			t.Errorf("Explain = %q, want %q", got, want)
		}
		if path[0] != node("vendor:aws") {
			t.Errorf("Explain changed its argument")
		}
	})
}

// TestDependentCounts checks DependentCounts against Impact on graphs with
// cycles, fan-in and fan-out, and self-references.
func TestDependentCounts(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
	}{
		{"diamond", []string{
			"acme/server:a dependsOn acme/server:b", "acme/server:a dependsOn acme/server:c",
			"acme/server:b dependsOn acme/server:d", "acme/server:c dependsOn acme/server:d",
		}},
		{"cycles and tails", []string{
			"acme/server:a dependsOn acme/server:b", "acme/server:b dependsOn acme/server:a",
			"acme/server:c dependsOn acme/server:a", "acme/server:d dependsOn acme/server:c",
			"acme/server:e dependsOn acme/server:d", "acme/server:e dependsOn acme/server:b",
			"acme/server:b dependsOn acme/server:f", "acme/server:f dependsOn acme/server:f",
			"acme/server:g dependsOn acme/server:f", "acme/server:g dependsOn acme/server:h",
			"acme/server:h dependsOn acme/server:g",
		}},
		{"random", randomLines(200, 500, 1)},
		{"random sparse", randomLines(500, 550, 2)},
		{"random dense", randomLines(60, 600, 3)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := fixture(t, tc.lines...)
			counts := g.DependentCounts()
			for n := range g.Nodes {
				if want := len(g.Impact(n)); counts[n] != want || g.DependentCount(n) != want {
					t.Errorf("%s: DependentCounts %d, DependentCount %d, len(Impact) %d", g.Label(n), counts[n], g.DependentCount(n), want)
				}
			}
		})
	}
}

// randomLines draws edges dependsOn between n servers with a fixed seed.
func randomLines(n, edges int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 1))
	var lines []string
	for range edges {
		lines = append(lines, fmt.Sprintf("acme/server:s%03d dependsOn acme/server:s%03d", r.IntN(n), r.IntN(n)))
	}
	return lines
}

// TestExamples pins the blast radius of the shared vendors in examples/:
// Hetzner, which hosts all of Northwind's servers, and Cloudflare, the most
// used (DNS and domains of all three clients). The golden files were
// checked by hand against the YAML; review their diffs like code.
func TestExamples(t *testing.T) {
	repo, diags := load.Repo("../../examples", load.Options{})
	if len(diags) > 0 {
		t.Fatalf("load: %v", diags)
	}
	ix, diags := resolve.Docs(repo.Docs)
	if len(diags) > 0 {
		t.Fatalf("resolve: %v", diags)
	}
	g := New(ix)
	vendor := func(id string) int {
		n, ok := g.Find("", model.Ref{Kind: model.KindVendor, ID: id})
		if !ok {
			t.Fatalf("no shared vendor %s", id)
		}
		return n
	}
	for _, id := range []string{"hetzner", "cloudflare"} {
		t.Run(id, func(t *testing.T) {
			got := renderImpact(g, vendor(id))
			path := filepath.Join("testdata", "impact-"+id+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from Impact (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
	t.Run("the shop's payments", func(t *testing.T) {
		want := "integration:stripe-payments → server:web-01 → vendor:hetzner"
		for _, a := range g.Impact(vendor("hetzner")) {
			if g.Label(a.Node) == "integration:stripe-payments" {
				if got := g.Explain(a.Path); got != want {
					t.Errorf("Explain = %q, want %q", got, want)
				}
				return
			}
		}
		t.Errorf("integration:stripe-payments is not in hetzner's impact")
	})
	t.Run("remote access tool breaks nothing", func(t *testing.T) {
		if got := g.Impact(vendor("ninjaone")); len(got) != 0 {
			t.Errorf("ninjaone impact: %v", paths(g, got))
		}
	})
	t.Run("no cycles", func(t *testing.T) {
		if got := g.Cycles(); len(got) != 0 {
			t.Errorf("cycles: %v", got)
		}
	})
	t.Run("no orphans", func(t *testing.T) {
		if got := labelsOf(g, g.Orphans()); len(got) != 0 {
			t.Errorf("orphans in the examples: %q", got)
		}
	})
	t.Run("dependent counts", func(t *testing.T) {
		counts := g.DependentCounts()
		for n := range g.Nodes {
			if want := len(g.Impact(n)); counts[n] != want {
				t.Errorf("%s: %d, want %d", g.Label(n), counts[n], want)
			}
		}
	})
}

// renderImpact writes one entry per dependent: depth, client, the node and
// its criticality, then the reason, dependent first, each arrow labelled
// with the types of the failure edges it stands for.
func renderImpact(g *Graph, n int) string {
	impact := g.Impact(n)
	var b strings.Builder
	fmt.Fprintf(&b, "# What fails when %s fails: %d dependents, %d of them services.\n", g.Label(n), len(impact), len(g.Services(impact)))
	b.WriteString("# depth client node (criticality)\n#   dependent -edge-type→ … → failed node\n")
	for _, a := range impact {
		fmt.Fprintf(&b, "\n%d %s %s", a.Depth, g.Nodes[a.Node].Client, g.Label(a.Node))
		if c := g.Criticality(a.Node); c != "" {
			fmt.Fprintf(&b, " (%s)", c)
		}
		b.WriteString("\n  ")
		for i := len(a.Path) - 1; i > 0; i-- {
			var types []string
			for _, e := range g.Out[a.Path[i]] {
				if e.To == a.Path[i-1] && e.Type.Failure() {
					types = append(types, string(e.Type))
				}
			}
			fmt.Fprintf(&b, "%s -%s→ ", g.Label(a.Path[i]), strings.Join(types, "+"))
		}
		b.WriteString(g.Label(a.Path[0]) + "\n")
	}
	return b.String()
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name  string
		lines []string
		prod  map[string]map[string]any // node → extra fields
		want  []string                  // code: message part
	}{
		{"orphan vendor", []string{"vendor:unused", "acme/server:web hostedBy vendor:aws"}, nil,
			[]string{"orphan-entity: vendor:unused is not connected"}},
		{"cycle", []string{"acme/server:a dependsOn acme/server:b", "acme/server:b dependsOn acme/server:a"}, nil,
			[]string{"dependency-cycle: dependency cycle: server:a → server:b → server:a"}},
		{"production server without monitoring and backup", []string{"acme/server:web dependsOn acme/server:db"},
			map[string]map[string]any{"acme/server:web": {"environment": "production", "backup": map[string]any{}}},
			[]string{"no-monitoring: production server server:web has no monitoring"}},
		{"staging server needs neither", []string{"acme/server:web dependsOn acme/server:db"},
			map[string]map[string]any{"acme/server:web": {"environment": "staging"}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g, node := fixture(t, tc.lines...)
			for name, fields := range tc.prod {
				set(g.Nodes[node(name)], fields)
			}
			var got []string
			for _, d := range g.Warnings() {
				got = append(got, d.Code+": "+d.Message)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("warnings = %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("warning %q, want %q…", got[i], tc.want[i])
				}
			}
		})
	}
}

// set adds fields to a document's value, or replaces them.
func set(d *model.Document, fields map[string]any) {
	v := model.JSON(d.Value).(map[string]any)
	maps.Copy(v, fields)
	d.Value = model.ObjectOf(v)
}

// TestLabelsOfDuplicates checks that every node sharing its kind:id with
// another one, however many, says its client, and that a shared vendor,
// having none, does not.
func TestLabelsOfDuplicates(t *testing.T) {
	doc := func(client, kind, id string) *model.Document {
		return &model.Document{Client: client, Kind: model.Kind(kind), ID: id}
	}
	nodes := []*model.Document{
		doc("", "Vendor", "aws"),
		doc("acme", "Server", "web"),
		doc("acme", "Vendor", "aws"),
		doc("bravo", "Server", "mail"),
		doc("bravo", "Server", "web"),
		doc("charlie", "Server", "web"),
	}
	want := []string{"vendor:aws", "acme/server:web", "acme/vendor:aws", "server:mail", "bravo/server:web", "charlie/server:web"}
	if got := labels(nodes); !slices.Equal(got, want) {
		t.Errorf("labels = %q\nwant %q", got, want)
	}
}

// TestReportBecause checks the two ways a report's paths are spelt: the
// Because that Report fills in, and EachBecause over a ReportOf, which
// leaves it empty (an entity page writes the path itself), including a
// report cut short by a limit; both against Explain of the walk's path.
func TestReportBecause(t *testing.T) {
	repo, diags := load.Repo("../../examples", load.Options{})
	if len(diags) > 0 {
		t.Fatalf("load: %v", diags)
	}
	ix, _ := resolve.Docs(repo.Docs)
	g := New(ix)
	checked := 0
	for n := range g.Nodes {
		impact := g.Impact(n)
		full := g.Report(n, ix.Clients)
		if len(full.Affected) != len(impact) {
			t.Fatalf("%s: %d items, %d affected", g.Label(n), len(full.Affected), len(impact))
		}
		for _, limit := range []int{-1, 2} {
			lazy := g.ReportOf(n, impact, ix.Clients, limit)
			for i, it := range lazy.Affected {
				want := g.Explain(impact[i].Path)
				var labels []string
				lazy.EachBecause(i, func(l string) { labels = append(labels, l) })
				if got := strings.Join(labels, " → "); got != want || lazy.Because(i) != want || full.Affected[i].Because != want {
					t.Fatalf("%s, item %d: EachBecause %q, Because %q, Report %q; want %q", g.Label(n), i, got, lazy.Because(i), full.Affected[i].Because, want)
				}
				if it.Because != "" {
					t.Fatalf("%s, item %d: ReportOf filled Because", g.Label(n), i)
				}
				if strings.Count(want, "→") > 1 {
					checked++
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no path of more than one step in the examples")
	}
}
