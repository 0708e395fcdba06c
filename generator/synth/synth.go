// Package synth writes synthetic handover repositories of any size, for
// benchmarks: every client gets a Client, services, servers,
// configurations, integrations, vendors and runbooks in realistic
// proportions, with references between them. The output is a pure function
// of the options.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options size the portfolio.
type Options struct {
	Clients  int    // number of client folders
	Entities int    // entities in all, spread over the clients
	Seed     uint64 // the same seed gives the same files
}

// Write creates the repository under dir and returns how many entities it
// wrote (the portfolio file and shared vendors included).
func Write(dir string, o Options) (int, error) {
	if o.Clients < 1 {
		o.Clients = 1
	}
	r := rand.New(rand.NewPCG(o.Seed, 1))
	w := &writer{dir: dir}
	w.file("handover.yaml", "version: 1\nconsultancy:\n  name: Synthetic IT\n")
	shared := []string{"aws", "hetzner", "microsoft-365", "cloudflare", "stripe"}
	for _, v := range shared {
		w.file("vendors/"+v+".yaml", fmt.Sprintf("kind: Vendor\nid: %s\nname: %s\ncategory: hosting\nwebsite: https://%s.example.com\n", v, v, v))
	}
	count := len(shared)
	per := max(1, (o.Entities-count)/o.Clients)
	for c := 0; c < o.Clients; c++ {
		count += w.client(fmt.Sprintf("client-%04d", c), per, shared, r)
	}
	return count, w.err
}

type writer struct {
	dir string
	err error
}

func (w *writer) file(rel, content string) {
	if w.err != nil {
		return
	}
	p := filepath.Join(w.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.err = err
		return
	}
	w.err = os.WriteFile(p, []byte(content), 0o644)
}

// client writes one client with n entities: a tenth services, four tenths
// servers, two tenths configurations, a tenth integrations, a tenth
// runbooks and the rest vendors of its own.
func (w *writer) client(id string, n int, shared []string, r *rand.Rand) int {
	base := "clients/" + id + "/"
	w.file(base+"client.yaml", fmt.Sprintf("kind: Client\nid: %s\nname: Client %s\ncontacts:\n  - name: Pat Doe\n    role: Office manager\n    email: pat@%s.example.com\n    escalationOrder: 1\n", id, id, id))
	servers := max(1, n*4/10)
	services := max(1, n/10)
	configs := max(1, n*2/10)
	integrations := max(1, n/10)
	runbooks := max(1, n/10)
	vendors := max(0, n-1-servers-services-configs-integrations-runbooks)
	pick := func(prefix string, count int) string { return fmt.Sprintf("%s-%03d", prefix, r.IntN(count)) }
	vendor := func() string {
		if vendors > 0 && r.IntN(2) == 0 {
			return "vendor:" + pick("vendor", vendors)
		}
		return "vendor:" + shared[r.IntN(len(shared))]
	}
	for i := 0; i < vendors; i++ {
		w.file(fmt.Sprintf("%svendors/vendor-%03d.yaml", base, i), fmt.Sprintf("kind: Vendor\nid: vendor-%03d\nname: Vendor %d\ncategory: saas\nsupport:\n  email: support@vendor-%d.example.com\n  phone: \"+44 20 7946 %04d\"\n", i, i, i, i))
	}
	for i := 0; i < servers; i++ {
		deps := ""
		if i > 0 {
			deps = fmt.Sprintf("dependsOn:\n  - server:%s\n", pick("server", i))
		}
		w.file(fmt.Sprintf("%sservers/server-%03d.yaml", base, i), fmt.Sprintf("kind: Server\nid: server-%03d\nname: Server %d\nhostname: server-%03d.%s.example.com\nenvironment: production\nos:\n  name: Ubuntu\n  version: \"24.04\"\n  eol: 2029-05-31\nlocation:\n  provider: %s\n  region: eu-central\n%sbackup:\n  schedule: nightly\n  retention: 30d\nmonitoring:\n  tool: NinjaOne\n  checks: [ping, disk]\n", i, i, i, id, vendor(), deps))
	}
	var b strings.Builder
	for i := 0; i < configs; i++ {
		if i > 0 {
			b.WriteString("---\n")
		}
		// Configuration i is supplied by the client's vendor i, so that every
		// vendor is used; the rest go to random vendors.
		v := vendor()
		if i < vendors {
			v = fmt.Sprintf("vendor:vendor-%03d", i)
		}
		fmt.Fprintf(&b, "kind: Configuration\nid: config-%03d\nname: Certificate %d\ntype: certificate\nappliesTo: [server:%s]\nvendor: %s\nexpires: 2027-%02d-15\nautoRenew: true\n", i, i, pick("server", servers), v, 1+r.IntN(12))
	}
	w.file(base+"configurations/all.yaml", b.String())
	for i := 0; i < integrations; i++ {
		w.file(fmt.Sprintf("%sintegrations/integration-%03d.yaml", base, i), fmt.Sprintf("kind: Integration\nid: integration-%03d\nname: Integration %d\nprovider: %s\ndirection: outbound\nprotocol: rest\nendpoint: https://api.example.com/v%d\nauth:\n  method: api-key\n  credential: op://Synthetic/integration-%d/key\nrunsOn: [server:%s]\nfailureImpact:\n  level: high\n  description: Orders stop flowing.\n", i, i, vendor(), i, i, pick("server", servers)))
	}
	for i := 0; i < services; i++ {
		w.file(fmt.Sprintf("%sservices/service-%03d.yaml", base, i), fmt.Sprintf("kind: Service\nid: service-%03d\nname: Service %d\ncriticality: high\nrto: 4h\nrpo: 1h\ndependsOn:\n  - server:%s\n  - integration:%s\n", i, i, pick("server", servers), pick("integration", integrations)))
	}
	for i := 0; i < runbooks; i++ {
		w.file(fmt.Sprintf("%srunbooks/runbook-%03d.md", base, i), fmt.Sprintf("---\nkind: Runbook\nid: runbook-%03d\ntitle: Restart server %d\nappliesTo: [server:%s]\nseverity: high\nlastTested: 2026-06-01\n---\n# Restart\n\n## Steps\n\n1. Log in.\n2. Run `sudo systemctl restart app`.\n\n## Verification\n\nThe health check is green.\n", i, i, pick("server", servers)))
	}
	return 1 + vendors + servers + services + configs + integrations + runbooks
}
