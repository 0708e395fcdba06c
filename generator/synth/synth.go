// Package synth writes synthetic handover repositories of any size, for
// benchmarks and for cmd/handover-synth: every client gets a Client,
// services, servers, configurations, integrations, vendors and runbooks in
// realistic proportions, with the fields a consultancy fills in and the
// references between them, and validates with no error and no warning.
// Git turns such a directory into a git repository with a history spread
// over its files. The output is a pure function of the options.
//
// It owns the shape of synthetic content only; it knows nothing of how the
// pipeline reads it.
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
// wrote (the shared vendors included, the portfolio file not).
func Write(dir string, o Options) (int, error) {
	if o.Clients < 1 {
		o.Clients = 1
	}
	r := rand.New(rand.NewPCG(o.Seed, 1))
	w := &writer{dir: dir, r: r}
	w.file(".gitignore", "/site/\n")
	w.file("handover.yaml", portfolioYAML)
	for _, v := range sharedVendors {
		w.file("vendors/"+v.id+".yaml", w.sharedVendor(v))
	}
	count := len(sharedVendors)
	// The first clients take one entity more each, so that the total is
	// Entities when every client has room for each kind.
	rest := max(0, o.Entities-count)
	for c := 0; c < o.Clients; c++ {
		n := rest / o.Clients
		if c < rest%o.Clients {
			n++
		}
		count += w.client(c, max(1, n))
	}
	return count, w.err
}

const portfolioYAML = `kind: Portfolio
version: 1
consultancy:
  name: Synthetic IT
  website: https://synthetic-it.example
  email: help@synthetic-it.example
  phone: +44 161 496 0700
  address: 1 Example Street, Manchester M1 1AA, United Kingdom
site:
  title: Synthetic IT - client handover
  baseURL: https://handover.synthetic-it.example/
  repository: https://github.com/synthetic-it/handover
  branch: main
policies:
  staleAfter: 180d
  expiryWarning: 60d
  credentialSchemes: [op]
description: |
  Synthetic IT is a managed service provider. This site describes, for each client we support, what runs where,
  who to call, what depends on what and how to do the routine and the 3 a.m. tasks.

  - **Service desk:** +44 161 496 0700, help@synthetic-it.example, Mon-Fri 08:00-18:00.
  - **Out-of-hours P1 line:** +44 161 496 0701 (rings the on-call engineer's phone).
  - **No passwords in this repository.** Every credential is a reference into the 1Password account.
`

type sharedVendor struct{ id, name, category, site string }

// sharedVendors are the suppliers several clients use, in vendors/.
var sharedVendors = []sharedVendor{
	{"aws", "Amazon Web Services", "hosting", "https://aws.amazon.com"},
	{"hetzner", "Hetzner Online", "hosting", "https://www.hetzner.com"},
	{"microsoft-365", "Microsoft 365", "software", "https://www.microsoft.com/microsoft-365"},
	{"cloudflare", "Cloudflare", "network", "https://www.cloudflare.com"},
	{"stripe", "Stripe", "payments", "https://stripe.com"},
	{"ninjaone", "NinjaOne", "software", "https://www.ninjaone.com"},
	{"1password", "1Password", "software", "https://1password.com"},
	{"backblaze", "Backblaze", "backup", "https://www.backblaze.com"},
}

// Engineers are the consultancy's staff: owners, reviewers and, in Git,
// the authors of commits.
var Engineers = []struct{ Name, Email string }{
	{"Priya Shah", "priya.shah@synthetic-it.example"},
	{"Marek Nowak", "marek.nowak@synthetic-it.example"},
	{"Jonas Weber", "jonas.weber@synthetic-it.example"},
	{"Chloe Adeyemi", "chloe.adeyemi@synthetic-it.example"},
	{"Sam Turner", "sam.turner@synthetic-it.example"},
	{"Hannah Lee", "hannah.lee@synthetic-it.example"},
}

type writer struct {
	dir string
	r   *rand.Rand
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

func (w *writer) engineer() string { return Engineers[w.r.IntN(len(Engineers))].Name }

func (w *writer) oneOf(s []string) string { return s[w.r.IntN(len(s))] }

// date is a day of late 2023, before Git's first commit: the day the
// documentation was first written.
func (w *writer) date() string { return fmt.Sprintf("2023-%02d-%02d", 9+w.r.IntN(4), 1+w.r.IntN(28)) }

// future is a day from 2027 to 2029: expiries, renewals, end of life.
func (w *writer) future() string {
	return fmt.Sprintf("%d-%02d-%02d", 2027+w.r.IntN(3), 1+w.r.IntN(12), 1+w.r.IntN(28))
}

// prose is a paragraph of n sentences, for descriptions and notes.
func (w *writer) prose(n int, subject string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.ReplaceAll(w.oneOf(sentences), "%s", subject))
	}
	return b.String()
}

// block writes s as a YAML literal block under key, wrapped at about 100
// columns and indented by two spaces.
func block(b *strings.Builder, key, s string) {
	fmt.Fprintf(b, "%s: |\n", key)
	line := 0
	b.WriteString("  ")
	for i, word := range strings.Fields(s) {
		if i > 0 && line+len(word) > 100 {
			b.WriteString("\n  ")
			line = 0
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	b.WriteByte('\n')
}

// common writes the fields every kind has, after kind and id.
func (w *writer) common(b *strings.Builder, name, subject string, tags ...string) {
	fmt.Fprintf(b, "name: %s\n", name)
	block(b, "description", w.prose(2+w.r.IntN(2), subject))
	fmt.Fprintf(b, "owner: %s\ntags: [%s]\nreviewed: %s\nreviewedBy: %s\n", w.engineer(), strings.Join(tags, ", "), w.date(), w.engineer())
}

// notes writes a notes block, last in every document so that Git can add
// lines to it.
func (w *writer) notes(b *strings.Builder, subject string) {
	b.WriteString("notes: |\n")
	for range 1 + w.r.IntN(2) {
		fmt.Fprintf(b, "  - %s\n", strings.ReplaceAll(w.oneOf(noteLines), "%s", subject))
	}
}

func (w *writer) sharedVendor(v sharedVendor) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kind: Vendor\nid: %s\n", v.id)
	w.common(&b, v.name, v.name, v.category, "shared")
	fmt.Fprintf(&b, "category: %s\nwebsite: %s\naccountId: SYN-%06d\nsupport:\n  phone: +44 20 7946 %04d\n  email: support@%s.example\n  portal: https://support.%s.example\n  hours: 24x7 for outages; phone Mon-Fri 08:00-18:00\n  sla: Outages are answered within an hour; other tickets within one business day.\n",
		v.category, v.site, w.r.IntN(1_000_000), w.r.IntN(10_000), v.id, v.id)
	fmt.Fprintf(&b, "contract:\n  renewal: %s\n  noticePeriod: 30d\n  reference: Monthly billing through the Synthetic IT partner account\n", w.future())
	block(&b, "escalation", fmt.Sprintf("Check the %s status page first. Then open a ticket in the portal quoting the account number above; for an outage, phone support and ask for the incident team.", v.name))
	w.notes(&b, v.name)
	return b.String()
}

// clientPlan holds the ids of one client's entities, so that references
// can be drawn before the documents that hold them are written.
type clientPlan struct {
	id, name, domain                                            string
	vendors, servers, services, configs, integrations, runbooks []string
	configType                                                  []string
	runbookFor                                                  []int // runbook i applies to server runbookFor[i]
	vendorRef, hostRef                                          func() string
}

// client writes one client with n entities: a tenth services, four tenths
// servers, two tenths configurations, a tenth integrations, a tenth
// runbooks and the rest vendors of its own.
func (w *writer) client(c, n int) int {
	r := w.r
	p := &clientPlan{id: fmt.Sprintf("client-%04d", c)}
	p.name = fmt.Sprintf("%s %s %s", w.oneOf(clientWords), w.oneOf(clientTrades), w.oneOf(clientSuffixes))
	p.domain = p.id + ".example"
	servers := max(1, n*4/10)
	services := max(1, n/10)
	configs := max(1, n*2/10)
	integrations := max(1, n/10)
	runbooks := max(1, n/10)
	vendors := max(0, n-1-servers-services-configs-integrations-runbooks)
	for i := range vendors {
		p.vendors = append(p.vendors, fmt.Sprintf("%s-%02d", vendorNames[i%len(vendorNames)], i/len(vendorNames)+1))
	}
	for i := range servers {
		p.servers = append(p.servers, fmt.Sprintf("%s-%02d", serverRoles[i%len(serverRoles)].id, i/len(serverRoles)+1))
	}
	for i := range services {
		p.services = append(p.services, fmt.Sprintf("%s-%02d", serviceNames[i%len(serviceNames)].id, i/len(serviceNames)+1))
	}
	for i := range configs {
		t := configTypes[i%len(configTypes)]
		p.configType = append(p.configType, t.typ)
		p.configs = append(p.configs, fmt.Sprintf("%s-%02d", t.prefix, i/len(configTypes)+1))
	}
	for i := range integrations {
		p.integrations = append(p.integrations, fmt.Sprintf("%s-%02d", integrationNames[i%len(integrationNames)].id, i/len(integrationNames)+1))
	}
	for i := range runbooks {
		p.runbooks = append(p.runbooks, fmt.Sprintf("%s-%02d", runbookNames[i%len(runbookNames)].id, i/len(runbookNames)+1))
		p.runbookFor = append(p.runbookFor, r.IntN(servers))
	}
	// Servers are hosted by a cloud or by a local supplier of the client.
	p.hostRef = func() string {
		if vendors > 0 && r.IntN(3) == 0 {
			return "vendor:" + p.vendors[r.IntN(vendors)]
		}
		return "vendor:" + w.oneOf([]string{"aws", "hetzner"})
	}
	p.vendorRef = func() string {
		if vendors > 0 && r.IntN(2) == 0 {
			return "vendor:" + p.vendors[r.IntN(vendors)]
		}
		return "vendor:" + sharedVendors[r.IntN(len(sharedVendors))].id
	}

	base := "clients/" + p.id + "/"
	w.file(base+"client.yaml", w.clientDoc(p))
	for i := range p.vendors {
		w.file(base+"vendors/"+p.vendors[i]+".yaml", w.vendor(p, i))
	}
	for i := range p.servers {
		w.file(base+"servers/"+p.servers[i]+".yaml", w.server(p, i))
	}
	// Configurations of a type share a file, as consultants group them
	// (dns.yaml, certificates.yaml).
	byType := map[string]*strings.Builder{}
	for i := range p.configs {
		b := byType[p.configType[i]]
		if b == nil {
			b = &strings.Builder{}
			byType[p.configType[i]] = b
		} else {
			b.WriteString("---\n")
		}
		w.config(b, p, i)
	}
	for _, t := range configTypes {
		if b := byType[t.typ]; b != nil {
			w.file(base+"configurations/"+t.file+".yaml", b.String())
		}
	}
	for i := range p.integrations {
		w.file(base+"integrations/"+p.integrations[i]+".yaml", w.integration(p, i))
	}
	for i := range p.services {
		w.file(base+"services/"+p.services[i]+".yaml", w.service(p, i))
	}
	for i := range p.runbooks {
		w.file(base+"runbooks/"+p.runbooks[i]+".md", w.runbook(p, i))
	}
	return 1 + vendors + servers + services + configs + integrations + runbooks
}

func (w *writer) clientDoc(p *clientPlan) string {
	r := w.r
	var b strings.Builder
	fmt.Fprintf(&b, "kind: Client\nid: %s\n", p.id)
	w.common(&b, p.name, p.name, "managed", "uk")
	fmt.Fprintf(&b, "links:\n  - title: Client portal\n    url: https://portal.%s\n", p.domain)
	b.WriteString("business:\n")
	var summary strings.Builder
	block(&summary, "summary", w.prose(3, p.name))
	b.WriteString(indent(summary.String(), "  "))
	fmt.Fprintf(&b, "  industry: %s\n  criticalPeriods:\n    - name: Month end\n      when: Last three working days of each month\n      notes: Invoicing and payroll run; no changes without the finance manager's approval.\n    - name: Year end\n      when: 15 December to 10 January\n  businessHours: Mon-Fri 08:30-17:30\n  timezone: Europe/London\n", w.oneOf(industries))
	b.WriteString("contacts:\n")
	for i := range 3 + r.IntN(3) {
		first, last := w.oneOf(firstNames), w.oneOf(lastNames)
		fmt.Fprintf(&b, "  - name: %s %s\n    role: %s\n    email: %s.%s@%s\n    phone: +44 161 496 %04d\n",
			first, last, w.oneOf(contactRoles), strings.ToLower(first), strings.ToLower(last), p.domain, r.IntN(10_000))
		if i < 3 {
			fmt.Fprintf(&b, "    escalationOrder: %d\n", i+1)
		}
		b.WriteString("    hours: Mon-Fri 08:30-17:30\n")
	}
	b.WriteString("sla:\n  name: Synthetic Managed IT - 24x7\n  hours: 24x7\n  severities:\n")
	for _, s := range slaLevels {
		fmt.Fprintf(&b, "    - level: %s\n      definition: %s\n      response: %s\n      resolution: %s\n", s[0], s[1], s[2], s[3])
	}
	fmt.Fprintf(&b, "escalation:\n  - step: 1\n    who: Synthetic IT on-call engineer (24x7)\n    contact: +44 161 496 0701\n    after: 0m\n    channel: phone\n  - step: 2\n    who: %s, account engineer\n    contact: +44 7700 900%03d\n    after: 30m\n    channel: phone\n  - step: 3\n    who: Priya Shah, director\n    contact: +44 7700 900100\n    after: 2h\n    channel: phone\n", w.engineer(), r.IntN(1000))
	fmt.Fprintf(&b, "contract:\n  type: managed-services\n  start: 20%02d-%02d-01\n  renewal: %s\n  noticePeriod: 90d\n", 18+r.IntN(6), 1+r.IntN(12), w.future())
	w.notes(&b, p.name)
	return b.String()
}

func (w *writer) vendor(p *clientPlan, i int) string {
	r := w.r
	var b strings.Builder
	name := fmt.Sprintf("%s %s", strings.ToUpper(p.vendors[i][:1])+p.vendors[i][1:len(p.vendors[i])-3], w.oneOf(clientSuffixes))
	fmt.Fprintf(&b, "kind: Vendor\nid: %s\n", p.vendors[i])
	w.common(&b, name, name, "supplier")
	first, last := w.oneOf(firstNames), w.oneOf(lastNames)
	fmt.Fprintf(&b, "category: %s\nwebsite: https://www.%s.example\naccountId: %s-%05d\nsupport:\n  phone: +44 113 496 %04d\n  email: helpdesk@%s.example\n  portal: https://helpdesk.%s.example\n  hours: Mon-Fri 08:00-18:00\n  sla: Priority 1 answered within 2h in support hours\ncontacts:\n  - name: %s %s\n    role: Account manager\n    email: %s.%s@%s.example\n    phone: +44 113 496 %04d\n    escalationOrder: 1\n",
		w.oneOf(vendorCategories), p.vendors[i], strings.ToUpper(p.id[len(p.id)-4:]), r.IntN(100_000), r.IntN(10_000), p.vendors[i], p.vendors[i],
		first, last, strings.ToLower(first), strings.ToLower(last), p.vendors[i], r.IntN(10_000))
	fmt.Fprintf(&b, "contract:\n  renewal: %s\n  noticePeriod: %s\n  reference: Annual contract, invoiced to the client directly\n", w.future(), w.oneOf([]string{"30d", "60d", "90d"}))
	block(&b, "escalation", "Open a ticket in the portal first, then phone the helpdesk quoting the ticket number. If there is no answer within the SLA, phone the account manager.")
	w.notes(&b, name)
	return b.String()
}

func (w *writer) server(p *clientPlan, i int) string {
	r := w.r
	role := serverRoles[i%len(serverRoles)]
	id := p.servers[i]
	sys := oses[r.IntN(len(oses))]
	if role.windows {
		sys = windowsOSes[r.IntN(len(windowsOSes))]
	}
	env := "production"
	if r.IntN(10) == 0 {
		env = w.oneOf([]string{"staging", "development", "dr"})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "kind: Server\nid: %s\n", id)
	w.common(&b, fmt.Sprintf("%s %d", role.name, i/len(serverRoles)+1), id, role.tags...)
	fmt.Fprintf(&b, "hostname: %s.%s\nrole: %s\nenvironment: %s\nos:\n  name: %s\n  version: \"%s\"\n  eol: %s\n", id, p.domain, role.name, env, sys[0], sys[1], sys[2])
	fmt.Fprintf(&b, "location:\n  provider: %s\n  region: %s\naddresses:\n  - 10.%d.%d.%d\nservices:\n", p.hostRef(), w.oneOf(regions), c8(r), c8(r), 1+r.IntN(250))
	for _, s := range role.services {
		fmt.Fprintf(&b, "  - name: %s\n    port: %d\n    protocol: %s\n", s.name, s.port, s.protocol)
	}
	var deps []string
	if i > 0 {
		deps = append(deps, "server:"+p.servers[r.IntN(i)])
	}
	if c := r.IntN(len(p.configs)); p.configType[c] == "firewall" || p.configType[c] == "network" {
		deps = append(deps, "configuration:"+p.configs[c])
	}
	if len(deps) > 0 {
		b.WriteString("dependsOn:\n")
		for _, d := range deps {
			fmt.Fprintf(&b, "  - %s\n", d)
		}
	}
	fmt.Fprintf(&b, "backup:\n  schedule: %s\n  retention: %s\n  target: %s\n  lastRestoreTest: %s\n  tool: %s\n",
		w.oneOf(backupSchedules), w.oneOf([]string{"30d", "90d", "1y"}), w.oneOf(backupTargets), w.date(), w.oneOf([]string{"restic", "Veeam", "Datto", "Azure Backup"}))
	fmt.Fprintf(&b, "monitoring:\n  tool: NinjaOne\n  checks:\n    - ping and agent heartbeat every minute\n    - disk free above 15%%\n    - %s\n  alertsTo:\n    - alerts@synthetic-it.example\n", role.check)
	method, user := "ssh", "admin"
	if role.windows {
		method, user = "rdp", "SYN\\\\admin-"+p.id[len(p.id)-4:]
	}
	fmt.Fprintf(&b, "access:\n  method: %s\n  credential: op://%s/%s admin/password\n  user: \"%s\"\npatching:\n  schedule: %s\n  window: %s\n", method, p.id, id, user, w.oneOf(patchSchedules), w.oneOf(patchWindows))
	var rbs []string
	for k, s := range p.runbookFor {
		if s == i {
			rbs = append(rbs, p.runbooks[k])
		}
	}
	if len(rbs) > 0 {
		b.WriteString("runbooks:\n")
		for _, rb := range rbs {
			fmt.Fprintf(&b, "  - runbook:%s\n", rb)
		}
	}
	w.notes(&b, id)
	return b.String()
}

// c8 is an octet of a private address.
func c8(r *rand.Rand) int { return r.IntN(256) }

func (w *writer) config(b *strings.Builder, p *clientPlan, i int) {
	r := w.r
	id, typ := p.configs[i], p.configType[i]
	fmt.Fprintf(b, "kind: Configuration\nid: %s\n", id)
	w.common(b, fmt.Sprintf("%s %s", configTitle[typ], id), id, typ)
	fmt.Fprintf(b, "type: %s\nappliesTo:\n", typ)
	// Backup jobs and certificates apply to a server; the rest to a
	// service when the client has one that fits, else to a server.
	if typ == "dns-zone" || typ == "email" || typ == "identity" {
		fmt.Fprintf(b, "  - service:%s\n", p.services[r.IntN(len(p.services))])
	} else {
		fmt.Fprintf(b, "  - server:%s\n", p.servers[r.IntN(len(p.servers))])
	}
	// Configuration i is supplied by the client's vendor i, so that every
	// vendor is used; the rest go to random vendors.
	v := p.vendorRef()
	if i < len(p.vendors) {
		v = "vendor:" + p.vendors[i]
	}
	fmt.Fprintf(b, "vendor: %s\n", v)
	if typ == "certificate" || typ == "domain" || typ == "license" {
		fmt.Fprintf(b, "expires: %s\nautoRenew: %t\n", w.future(), r.IntN(4) != 0)
	}
	b.WriteString("settings:\n")
	for _, s := range configSettings[typ] {
		fmt.Fprintf(b, "  %s: %s\n", s[0], strings.ReplaceAll(s[1], "%s", p.domain))
	}
	fmt.Fprintf(b, "source: %s\ncredential: op://%s/%s/password\n", w.oneOf(configSources), p.id, id)
	w.notes(b, id)
}

func (w *writer) integration(p *clientPlan, i int) string {
	r := w.r
	kind := integrationNames[i%len(integrationNames)]
	id := p.integrations[i]
	var b strings.Builder
	fmt.Fprintf(&b, "kind: Integration\nid: %s\n", id)
	w.common(&b, fmt.Sprintf("%s %d", kind.name, i/len(integrationNames)+1), id, kind.tags...)
	fmt.Fprintf(&b, "provider: %s\ndirection: %s\nprotocol: %s\nendpoint: https://api.%s.example/v%d\nauth:\n  method: %s\n  credential: op://%s/%s/credential\n  rotation: 1y\nrunsOn:\n  - server:%s\n",
		p.vendorRef(), kind.direction, kind.protocol, id, 1+r.IntN(3), kind.auth, p.id, id, p.servers[r.IntN(len(p.servers))])
	if i > 0 && r.IntN(3) == 0 {
		fmt.Fprintf(&b, "dependsOn:\n  - integration:%s\n", p.integrations[r.IntN(i)])
	}
	fmt.Fprintf(&b, "data: %s\nschedule: %s\nfailureImpact:\n  level: %s\n", kind.data, kind.schedule, w.oneOf([]string{"critical", "high", "medium", "low"}))
	var impact strings.Builder
	block(&impact, "description", kind.impact+" "+w.prose(1, id))
	b.WriteString(indent(impact.String(), "  "))
	fmt.Fprintf(&b, "monitoring: NinjaOne script check every 15 minutes; failures email alerts@synthetic-it.example\ndocs: https://docs.%s.example/api\n", id)
	w.notes(&b, id)
	return b.String()
}

func (w *writer) service(p *clientPlan, i int) string {
	r := w.r
	kind := serviceNames[i%len(serviceNames)]
	id := p.services[i]
	var b strings.Builder
	fmt.Fprintf(&b, "kind: Service\nid: %s\n", id)
	w.common(&b, fmt.Sprintf("%s %d", kind.name, i/len(serviceNames)+1), id, kind.tags...)
	fmt.Fprintf(&b, "criticality: %s\nusers: %s\nrto: %s\nrpo: %s\npeakPeriods:\n  - Month end\n  - Mon-Fri 09:00-11:00\ndependsOn:\n",
		w.oneOf([]string{"critical", "high", "high", "medium", "low"}), kind.users, w.oneOf([]string{"1h", "4h", "8h", "1d"}), w.oneOf([]string{"15m", "1h", "4h", "1d"}))
	seen := map[string]bool{}
	dep := func(ref string) {
		if !seen[ref] {
			seen[ref] = true
			fmt.Fprintf(&b, "  - %s\n", ref)
		}
	}
	for range 1 + r.IntN(3) {
		dep("server:" + p.servers[r.IntN(len(p.servers))])
	}
	dep("integration:" + p.integrations[r.IntN(len(p.integrations))])
	if i > 0 && r.IntN(2) == 0 {
		dep("service:" + p.services[r.IntN(i)])
	}
	if r.IntN(2) == 0 {
		dep(p.vendorRef())
	}
	w.notes(&b, id)
	return b.String()
}

func (w *writer) runbook(p *clientPlan, i int) string {
	r := w.r
	kind := runbookNames[i%len(runbookNames)]
	id := p.runbooks[i]
	server := p.servers[p.runbookFor[i]]
	var b strings.Builder
	fmt.Fprintf(&b, "---\nkind: Runbook\nid: %s\ntitle: %s on %s\ndescription: %s\nappliesTo:\n  - server:%s\n", id, kind.title, server, kind.description, server)
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "  - service:%s\n", p.services[r.IntN(len(p.services))])
	}
	fmt.Fprintf(&b, "severity: %s\nlastTested: %s\nowner: %s\ntags: [%s]\nreviewed: %s\nreviewedBy: %s\n---\n\n",
		w.oneOf([]string{"critical", "high", "medium"}), w.date(), w.engineer(), strings.Join(kind.tags, ", "), w.date(), w.engineer())
	fmt.Fprintf(&b, "## When to use\n\n%s\n\n## Before you start\n\n- Tell the client's first contact (see the client page) before you begin.\n- Sign in to 1Password: the credentials are in the `%s` vault, item `%s admin`.\n\n## Steps\n\n", w.prose(2, server), p.id, server)
	for k, step := range kind.steps {
		fmt.Fprintf(&b, "%d. %s\n", k+1, strings.ReplaceAll(step, "%s", server))
	}
	fmt.Fprintf(&b, "\n```bash\nssh admin@%s.%s\nsudo systemctl status --no-pager\n```\n\n## Verification\n\n%s\n\n## Rollback\n\n%s\n\n## Notes\n\n- %s\n",
		server, p.domain, kind.verify, kind.rollback, strings.ReplaceAll(w.oneOf(noteLines), "%s", server))
	return b.String()
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
