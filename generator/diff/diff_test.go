package diff

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/testutil"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// base is a small repository: one client with two servers, a service, a
// runbook and a vendor of its own, and two shared vendors.
var base = map[string]string{
	"handover.yaml": `kind: Portfolio
version: 1
consultancy:
  name: Lanternfish IT
policies:
  staleAfter: 180d
`,
	"vendors/aws.yaml": `kind: Vendor
id: aws
name: Amazon Web Services
category: cloud
`,
	"vendors/hetzner.yaml": `kind: Vendor
id: hetzner
name: Hetzner Online
category: hosting
`,
	"clients/acme/client.yaml": `kind: Client
id: acme
name: Acme Ltd
contacts:
  - name: Ann Archer
    phone: +44 161 496 0001
  - name: Bob Baker
    phone: +44 161 496 0002
`,
	"clients/acme/configurations/dns.yaml": `kind: Configuration
id: dns
name: DNS zone acme.example
type: dns-zone
vendor: vendor:aws
`,
	"clients/acme/servers/db-01.yaml": `kind: Server
id: db-01
name: Database server
hostname: db-01.acme.lan
environment: production
tags: [linux, mariadb]
location:
  provider: vendor:hetzner
backup:
  schedule: nightly
  retention: 35d
access:
  method: ssh
  credential: op://Acme/db-01 admin/private key
`,
	"clients/acme/servers/web-01.yaml": `kind: Server
id: web-01
name: Web server
hostname: web-01.acme.lan
environment: production
location:
  provider: vendor:hetzner
dependsOn:
  - server:db-01
`,
	"clients/acme/services/shop.yaml": `kind: Service
id: shop
name: Online shop
criticality: critical
dependsOn:
  - server:web-01
`,
	"clients/acme/vendors/oldisp.yaml": `kind: Vendor
id: oldisp
name: Old ISP
category: isp
`,
	"clients/acme/runbooks/restart-db.md": `---
kind: Runbook
id: restart-db
title: Restart the database
appliesTo:
  - server:db-01
---

## Steps

1. ` + "`systemctl restart mariadb`" + `
`,
}

// repo returns a copy of base with edits applied: a path maps to its new
// content, or to "" to delete the file.
func repo(edits map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for p, s := range base {
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	for p, s := range edits {
		if s == "" {
			delete(fsys, p)
			continue
		}
		fsys[p] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

// edit returns base's file at path with old replaced by new, failing when
// old is not there.
func edit(t *testing.T, path, old, new string) string {
	t.Helper()
	if !strings.Contains(base[path], old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	return strings.Replace(base[path], old, new, 1)
}

// load validates fsys as revision name, failing on any error diagnostic.
func load(t *testing.T, fsys fs.FS, name string) *generator.Model {
	t.Helper()
	m, diags, err := generator.ValidateFS(fsys, name, generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diag.HasErrors(diags, false) {
		var buf bytes.Buffer
		_ = diag.Text{}.Format(&buf, diags)
		t.Fatalf("revision %s has errors:\n%s", name, buf.String())
	}
	return m
}

// between diffs base against base with edits.
func between(t *testing.T, edits map[string]string) Result {
	t.Helper()
	return Models(load(t, repo(nil), "from"), load(t, repo(edits), "to"), "from", "to")
}

func find(t *testing.T, r Result, client, ref string) EntityChange {
	t.Helper()
	for _, c := range r.Clients {
		for _, e := range c.Changes {
			if c.Client == client && e.Ref == ref {
				return e
			}
		}
	}
	t.Fatalf("no change to %s in client %q: %+v", ref, client, r.Clients)
	return EntityChange{}
}

// outputs writes r in every format.
func outputs(t *testing.T, r Result) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Formats {
		var buf bytes.Buffer
		if err := r.Write(&buf, f); err != nil {
			t.Fatal(err)
		}
		out[f] = buf.String()
	}
	return out
}

// contains checks that output format holds every string of want.
func contains(t *testing.T, out map[string]string, format string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out[format], w) {
			t.Errorf("%s output lacks %q:\n%s", format, w, out[format])
		}
	}
}

func TestModels(t *testing.T) {
	db := "clients/acme/servers/db-01.yaml"
	tests := []struct {
		name  string
		edits func(t *testing.T) map[string]string
		check func(t *testing.T, r Result, out map[string]string)
	}{
		{
			name: "entity added",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{"clients/acme/servers/web-02.yaml": strings.ReplaceAll(base["clients/acme/servers/web-01.yaml"], "web-01", "web-02")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "server:web-02")
				if e.Kind != Added || e.File != "clients/acme/servers/web-02.yaml" || e.Name != "Web server" {
					t.Errorf("got %+v", e)
				}
				if !slices.Equal(e.RefsAdded, []string{"server:db-01", "vendor:hetzner"}) {
					t.Errorf("refs added %v", e.RefsAdded)
				}
				contains(t, out, "text", "+ server:web-02  Web server  (clients/acme/servers/web-02.yaml)")
				contains(t, out, "markdown", "This change adds server `web-02` to Acme Ltd;",
					"- **Added** server `web-02` — Web server (`clients/acme/servers/web-02.yaml`)")
			},
		},
		{
			name: "entity removed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{"clients/acme/runbooks/restart-db.md": ""}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "runbook:restart-db")
				if e.Kind != Removed || e.File != "clients/acme/runbooks/restart-db.md" || e.Name != "Restart the database" {
					t.Errorf("got %+v", e)
				}
				contains(t, out, "markdown", "This change removes runbook `restart-db` from Acme Ltd.",
					"- **Removed** runbook `restart-db` — Restart the database (was in `clients/acme/runbooks/restart-db.md`)")
			},
		},
		{
			name: "field changed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: edit(t, db, "schedule: nightly", "schedule: hourly")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "server:db-01")
				want := []FieldChange{{Path: "backup.schedule", Old: "nightly", New: "hourly"}}
				if e.Kind != Changed || !equalFields(e.Fields, want) {
					t.Errorf("got %+v, want fields %+v", e, want)
				}
				contains(t, out, "text", "  ~ server:db-01  Database server\n      backup.schedule: nightly → hourly\n")
				contains(t, out, "markdown",
					"This change changes `backup.schedule` of Acme Ltd's server `db-01` from `nightly` to `hourly`.",
					"  - `backup.schedule`: `nightly` → `hourly`")
			},
		},
		{
			name: "nested list element changed",
			edits: func(t *testing.T) map[string]string {
				p := "clients/acme/client.yaml"
				return map[string]string{p: edit(t, p, "+44 161 496 0002", "+44 161 496 0099")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "client:acme")
				want := []FieldChange{{Path: "contacts[1].phone", Item: "Bob Baker", Old: "+44 161 496 0002", New: "+44 161 496 0099"}}
				if !equalFields(e.Fields, want) {
					t.Errorf("got %+v, want %+v", e.Fields, want)
				}
				contains(t, out, "markdown", "changes `contacts[1].phone` (Bob Baker) of client Acme Ltd from `+44 161 496 0002` to `+44 161 496 0099`")
			},
		},
		{
			name: "list item added whole",
			edits: func(t *testing.T) map[string]string {
				p := "clients/acme/client.yaml"
				return map[string]string{p: base[p] + "  - name: Cat Cole\n    phone: +44 161 496 0003\n"}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				want := []FieldChange{
					{Path: "contacts[2].name", Item: "Cat Cole", New: "Cat Cole"},
					{Path: "contacts[2].phone", Item: "Cat Cole", New: "+44 161 496 0003"},
				}
				if e := find(t, r, "acme", "client:acme"); !equalFields(e.Fields, want) {
					t.Errorf("got %+v, want %+v", e.Fields, want)
				}
				contains(t, out, "text", "contacts[2].name: set to Cat Cole\n", "contacts[2].phone (Cat Cole): set to +44 161 496 0003\n")
				contains(t, out, "markdown", "This change updates `contacts` of client Acme Ltd.")
			},
		},
		{
			name: "tags as a set",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: edit(t, db, "tags: [linux, mariadb]", "tags: [database, linux, backup]")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				want := []FieldChange{{Path: "tags", Added: []string{"backup", "database"}, Removed: []string{"mariadb"}}}
				if e := find(t, r, "acme", "server:db-01"); !equalFields(e.Fields, want) {
					t.Errorf("got %+v, want %+v", e.Fields, want)
				}
				contains(t, out, "text", "tags: added backup, database; removed mariadb")
				contains(t, out, "markdown", "  - `tags`: added `backup`, `database`; removed `mariadb`")
			},
		},
		{
			name: "tags reordered",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: edit(t, db, "tags: [linux, mariadb]", "tags: [mariadb, linux]")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				if !r.Empty() {
					t.Errorf("reordering a set changed something: %+v", r)
				}
			},
		},
		{
			name: "reference added and removed",
			edits: func(t *testing.T) map[string]string {
				p := "clients/acme/servers/web-01.yaml"
				return map[string]string{p: edit(t, p, "provider: vendor:hetzner", "provider: vendor:aws")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "server:web-01")
				if !slices.Equal(e.RefsAdded, []string{"vendor:aws"}) || !slices.Equal(e.RefsRemoved, []string{"vendor:hetzner"}) {
					t.Errorf("refs added %v, removed %v", e.RefsAdded, e.RefsRemoved)
				}
				want := []FieldChange{{Path: "location.provider", Old: "vendor:hetzner", New: "vendor:aws"}}
				if !equalFields(e.Fields, want) {
					t.Errorf("got %+v, want %+v", e.Fields, want)
				}
			},
		},
		{
			name: "reference moved between fields",
			edits: func(t *testing.T) map[string]string {
				p := "clients/acme/servers/web-01.yaml"
				return map[string]string{p: edit(t, p, "location:\n  provider: vendor:hetzner\n", "") + "  - vendor:hetzner\n"}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "server:web-01")
				if e.RefsAdded != nil || e.RefsRemoved != nil {
					t.Errorf("refs added %v, removed %v: the reference only moved", e.RefsAdded, e.RefsRemoved)
				}
				if len(e.Fields) != 2 {
					t.Errorf("fields %+v", e.Fields)
				}
			},
		},
		{
			name: "runbook body changed",
			edits: func(t *testing.T) map[string]string {
				p := "clients/acme/runbooks/restart-db.md"
				return map[string]string{p: base[p] + "2. Check the shop.\n"}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "runbook:restart-db")
				if e.Kind != Changed || !e.BodyChanged || len(e.Fields) != 0 {
					t.Errorf("got %+v", e)
				}
				contains(t, out, "markdown", "This change edits the text of Acme Ltd's runbook `restart-db`.", "  - runbook text changed")
				contains(t, out, "text", "      runbook text changed\n")
				if strings.Contains(out["json"], "Check the shop") {
					t.Error("the JSON output holds the runbook text")
				}
			},
		},
		{
			name: "moved unchanged",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: "", "clients/acme/servers/database/db-01.yaml": base[db]}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				if !r.Empty() {
					t.Errorf("a pure move is a change: %+v", r)
				}
			},
		},
		{
			name: "moved and changed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: "", "clients/acme/servers/database/db-01.yaml": edit(t, db, "retention: 35d", "retention: 90d")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				e := find(t, r, "acme", "server:db-01")
				if e.Kind != Changed || e.MovedFrom != db || e.File != "clients/acme/servers/database/db-01.yaml" {
					t.Errorf("got %+v", e)
				}
				contains(t, out, "markdown", "(moved from `clients/acme/servers/db-01.yaml` to `clients/acme/servers/database/db-01.yaml`)")
			},
		},
		{
			name: "shared vendor added, client vendor removed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{
					"vendors/twilio.yaml":              "kind: Vendor\nid: twilio\nname: Twilio\ncategory: saas\n",
					"clients/acme/vendors/oldisp.yaml": "",
				}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				if len(r.Clients) != 2 || r.Clients[0].Client != "" || r.Clients[0].Name != SharedName || r.Clients[1].Client != "acme" {
					t.Fatalf("clients %+v", r.Clients)
				}
				if e := find(t, r, "", "vendor:twilio"); e.Kind != Added || e.File != "vendors/twilio.yaml" {
					t.Errorf("got %+v", e)
				}
				if e := find(t, r, "acme", "vendor:oldisp"); e.Kind != Removed {
					t.Errorf("got %+v", e)
				}
				contains(t, out, "markdown", "This change adds shared vendor `twilio` and removes vendor `oldisp` from Acme Ltd.",
					"### Shared vendors\n\n- **Added** vendor `twilio` — Twilio (`vendors/twilio.yaml`)\n",
					"### Acme Ltd\n\n- **Removed** vendor `oldisp` — Old ISP (was in `clients/acme/vendors/oldisp.yaml`)\n")
			},
		},
		{
			name: "dependents",
			edits: func(t *testing.T) map[string]string {
				p := "clients/acme/servers/web-01.yaml"
				return map[string]string{
					db: edit(t, db, "provider: vendor:hetzner", "provider: vendor:aws"),
					p:  edit(t, p, "provider: vendor:hetzner", "provider: vendor:aws"),
				}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				want := []DependentsChange{
					{Ref: "vendor:aws", Name: "Amazon Web Services", Before: 1, After: 4},
					{Ref: "vendor:hetzner", Name: "Hetzner Online", Before: 3, After: 0},
				}
				if !slices.Equal(r.Dependents, want) {
					t.Errorf("dependents %+v, want %+v", r.Dependents, want)
				}
				contains(t, out, "markdown",
					"; 3 more entities now depend on shared vendor `aws` (4 in all) and nothing depends on shared vendor `hetzner` any more (3 entities did).",
					"**Blast radius** (what fails with it, directly or through others): 3 more entities now depend on shared vendor `aws` (4 in all); nothing depends on shared vendor `hetzner` any more (3 entities did).")
				contains(t, out, "text", "Blast radius (what fails with it, directly or through others)\n  3 more entities now depend on shared vendor aws (4 in all)\n")
			},
		},
		{
			name: "server dependents",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{"clients/acme/servers/web-02.yaml": strings.ReplaceAll(base["clients/acme/servers/web-01.yaml"], "web-01", "web-02")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				want := []DependentsChange{
					{Ref: "vendor:hetzner", Name: "Hetzner Online", Before: 3, After: 4},
					{Client: "acme", Ref: "server:db-01", Name: "Database server", Before: 2, After: 3},
				}
				if !slices.Equal(r.Dependents, want) {
					t.Errorf("dependents %+v, want %+v", r.Dependents, want)
				}
				contains(t, out, "markdown", "1 more entity now depends on Acme Ltd's server `db-01` (3 in all)")
			},
		},
		{
			name: "portfolio changed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{"handover.yaml": edit(t, "handover.yaml", "staleAfter: 180d", "staleAfter: 90d")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				want := []FieldChange{{Path: "policies.staleAfter", Old: "180d", New: "90d"}}
				if !equalFields(r.Portfolio, want) || len(r.Clients) != 0 {
					t.Errorf("got %+v", r)
				}
				contains(t, out, "markdown", "This change changes `policies.staleAfter` of the portfolio from `180d` to `90d`.",
					"### Portfolio (`handover.yaml`)\n\n- `policies.staleAfter`: `180d` → `90d`\n")
				contains(t, out, "text", "Portfolio (handover.yaml)\n  ~ policies.staleAfter: 180d → 90d\n")
			},
		},
		{
			name: "credential not echoed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: edit(t, db, "op://Acme/db-01 admin/private key", "op://Acme/db-01 root/private key")}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				want := []FieldChange{{Path: "access.credential", Old: hiddenValue, New: hiddenValue, Hidden: true}}
				if e := find(t, r, "acme", "server:db-01"); !equalFields(e.Fields, want) {
					t.Errorf("got %+v, want %+v", e.Fields, want)
				}
				for f, s := range out {
					if strings.Contains(s, "op://") {
						t.Errorf("%s output echoes the credential:\n%s", f, s)
					}
				}
				contains(t, out, "text", "access.credential: credential reference changed")
				contains(t, out, "markdown", "`access.credential`: credential reference changed",
					"changes the credential reference `access.credential` of Acme Ltd's server `db-01`")
			},
		},
		{
			name: "prose not printed",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{db: base[db] + "notes: |\n  Replaced the disks in March.\n  Rebuild planned.\n"}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				contains(t, out, "text", "      notes added\n")
				contains(t, out, "markdown", "  - `notes` added\n")
				for _, f := range []string{"text", "markdown"} {
					if strings.Contains(out[f], "disks") {
						t.Errorf("%s output prints the notes:\n%s", f, out[f])
					}
				}
			},
		},
		{
			name: "client added",
			edits: func(t *testing.T) map[string]string {
				return map[string]string{
					"clients/zeta/client.yaml":         "kind: Client\nid: zeta\nname: Zeta & Sons\n",
					"clients/zeta/servers/fs-01.yaml":  "kind: Server\nid: fs-01\nname: File server\nhostname: fs-01\nenvironment: production\n",
					"clients/zeta/servers/dc-01.yaml":  "kind: Server\nid: dc-01\nname: Domain controller\nhostname: dc-01\nenvironment: production\n",
					"clients/zeta/services/files.yaml": "kind: Service\nid: files\nname: Files\ncriticality: high\ndependsOn: [server:fs-01, server:dc-01]\n",
				}
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				contains(t, out, "markdown", "This change adds client Zeta \\& Sons (4 entities).\n", "### Zeta \\& Sons\n")
				if len(r.Dependents) != 0 {
					t.Errorf("new entities have dependents changes: %+v", r.Dependents)
				}
				contains(t, out, "text", "Handover model changes from from to to: 4 added.\n", "\nZeta & Sons (zeta)\n")
			},
		},
		{
			name: "many changes",
			edits: func(t *testing.T) map[string]string {
				edits := map[string]string{}
				for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
					edits["clients/acme/configurations/"+id+".yaml"] = "kind: Configuration\nid: cfg-" + id + "\nname: Setting " + id + "\ntype: other\n"
				}
				return edits
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				contains(t, out, "markdown", "This change adds configuration `cfg-a`, configuration `cfg-b`, configuration `cfg-c`, "+
					"configuration `cfg-d`, configuration `cfg-e` and configuration `cfg-f` to Acme Ltd and 2 more changes.")
			},
		},
		{
			name: "empty",
			edits: func(t *testing.T) map[string]string {
				return nil
			},
			check: func(t *testing.T, r Result, out map[string]string) {
				if !r.Empty() {
					t.Errorf("got %+v", r)
				}
				if out["markdown"] != "No changes to the handover model.\n" {
					t.Errorf("markdown %q", out["markdown"])
				}
				if out["text"] != "No changes to the handover model from from to to.\n" {
					t.Errorf("text %q", out["text"])
				}
				contains(t, out, "json", `"portfolio": []`, `"clients": []`, `"dependents": []`)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := between(t, tc.edits(t))
			tc.check(t, r, outputs(t, r))
		})
	}
}

// TestFirstRevision diffs against a revision before the repository had a
// handover.yaml: everything is new, and nothing is said about blast radii.
func TestFirstRevision(t *testing.T) {
	r := Models(nil, load(t, repo(nil), "to"), "", "to")
	if len(r.Dependents) != 0 {
		t.Errorf("dependents %+v", r.Dependents)
	}
	if e := find(t, r, "acme", "client:acme"); e.Kind != Added {
		t.Errorf("got %+v", e)
	}
	if i := slices.IndexFunc(r.Portfolio, func(f FieldChange) bool { return f.Path == "version" }); i < 0 || !same(r.Portfolio[i].New, int64(1)) {
		t.Errorf("portfolio %+v", r.Portfolio)
	}
	out := outputs(t, r)
	contains(t, out, "markdown", "adds client Acme Ltd (7 entities)", "Compared (empty) with `to`.", "adds shared vendor `aws` and shared vendor `hetzner`")
}

func equalFields(got, want []FieldChange) bool {
	return slices.EqualFunc(got, want, func(a, b FieldChange) bool {
		return a.Path == b.Path && a.Item == b.Item && same(a.Old, b.Old) && same(a.New, b.New) &&
			slices.Equal(a.Added, b.Added) && slices.Equal(a.Removed, b.Removed) && a.Text == b.Text && a.Hidden == b.Hidden
	})
}

// TestMarkdownHostile puts backticks, pipes and HTML into names and values,
// renders the comment as GitHub would (GFM) and checks that every value is
// shown as written and nothing becomes markup.
func TestMarkdownHostile(t *testing.T) {
	db := "clients/acme/servers/db-01.yaml"
	hostile := "nightly | `rm -rf` <script>alert(1)</script> ``x``"
	r := between(t, map[string]string{
		db:                                 edit(t, db, "name: Database server", "name: \"DB *primary* | <script>alert(1)</script> `x` [a](b)\""),
		"clients/acme/servers/web-01.yaml": edit(t, "clients/acme/servers/web-01.yaml", "name: Web server", "name: \"| --- | --- |\""),
		"clients/acme/runbooks/restart-db.md": strings.Replace(base["clients/acme/runbooks/restart-db.md"],
			"title: Restart the database", "title: \"Restart ``the`` database\"", 1),
		"clients/acme/client.yaml": edit(t, "clients/acme/client.yaml", "name: Acme Ltd", "name: \"Acme <b>Ltd</b> |\""),
	})
	// Change a value too, on top of the names.
	r2 := between(t, map[string]string{db: edit(t, db, "schedule: nightly", "schedule: \""+strings.ReplaceAll(hostile, `"`, `\"`)+"\"")})
	for _, res := range []Result{r, r2} {
		var md bytes.Buffer
		if err := res.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		var html bytes.Buffer
		if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md.Bytes(), &html); err != nil {
			t.Fatal(err)
		}
		h := html.String()
		for _, bad := range []string{"<script", "<table", "<b>", "<em>", "<a "} {
			if strings.Contains(h, bad) {
				t.Errorf("the comment renders %s:\n%s\n%s", bad, md.String(), h)
			}
		}
	}
	var md, html bytes.Buffer
	if err := r2.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "``` nightly | `rm -rf` <script>alert(1)</script> ``x`` ```") {
		t.Errorf("the value is not in a safe code span:\n%s", md.String())
	}
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	if want := "<code>nightly | `rm -rf` &lt;script&gt;alert(1)&lt;/script&gt; ``x``</code>"; !strings.Contains(html.String(), want) {
		t.Errorf("the value does not render as written; want %s in\n%s", want, html.String())
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "`plain`"},
		{"a`b", "``a`b``"},
		{"`x`", "`` `x` ``"},
		{"a``b`", "``` a``b` ```"},
		{" padded ", "`  padded  `"},
		{"a|b", "`a|b`"},
		{"line\nbreak", "`line\\u000abreak`"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := codeSpan(tc.in); got != tc.want {
				t.Errorf("codeSpan(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestValue(t *testing.T) {
	long := strings.Repeat("abcdefghij", 10)
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"string", "nightly", "nightly"},
		{"empty", "", "(empty)"},
		{"true", true, "yes"},
		{"false", false, "no"},
		{"int", int64(443), "443"},
		{"float", 1.5, "1.5"},
		{"long", long, long[:79] + "…"},
		{"object", map[string]any{"b": int64(1), "a": "x"}, `{"a":"x","b":1}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := value(tc.in, plain, valueLimit); got != tc.want {
				t.Errorf("value(%v) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHidden(t *testing.T) {
	for key, want := range map[string]bool{
		"credential": true, "credentials": true, "admin-password": true, "api_key": true, "apiKey": true,
		"token": true, "webhookSecret": true, "credentialSchemes": false, "method": false, "rotation": false,
	} {
		if got := hidden(key); got != want {
			t.Errorf("hidden(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Result{}.Write(&bytes.Buffer{}, "html")
	if err == nil || !strings.Contains(err.Error(), "text, markdown, json") {
		t.Errorf("got %v", err)
	}
}

// examples reads the repository's examples/ into a map file system, so that
// a test can change a few files for the newer revision.
func examples(t *testing.T) fstest.MapFS {
	t.Helper()
	src := os.DirFS(filepath.Join("..", "..", "examples"))
	fsys := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// change replaces old with new in a file of fsys, failing when old is not
// there.
func change(t *testing.T, fsys fstest.MapFS, path, old, new string) {
	t.Helper()
	f := fsys[path]
	if f == nil || !bytes.Contains(f.Data, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	fsys[path] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1)}
}

// TestGolden pins the three formats on a pull request a consultant could
// have opened against examples/: Northwind gets a second shop web server,
// Brightsmile's SMS reminders move from Pingwell to Twilio (a new shared
// vendor), a runbook and a backup schedule are updated, a contact's number
// changes, the portfolio's review policy tightens, and a Harper & Cole file
// is renamed without changes (which is not reported).
func TestGolden(t *testing.T) {
	from := examples(t)
	to := examples(t)

	change(t, to, "handover.yaml", "staleAfter: 180d", "staleAfter: 120d")

	to["vendors/twilio.yaml"] = &fstest.MapFile{Data: []byte(`kind: Vendor
id: twilio
name: Twilio
description: SMS and voice API. Lanternfish resells it to clients that send text messages to their customers.
owner: Chloe Adeyemi
tags: [saas, sms]
reviewed: 2026-11-20
reviewedBy: Chloe Adeyemi
category: saas
website: https://www.twilio.com
support:
  email: help@twilio.com
  portal: https://help.twilio.com
  hours: 24x7 (ticket)
`)}
	delete(to, "clients/brightsmile-dental/vendors/pingwell-sms.yaml")
	sms := "clients/brightsmile-dental/integrations/pms-sms-reminders.yaml"
	change(t, to, sms, "through the Pingwell SMS\n  API.", "through Twilio's\n  Messaging API.")
	change(t, to, sms, "provider: vendor:pingwell-sms", "provider: vendor:twilio")
	change(t, to, sms, "https://api.pingwell.example/v2", "https://api.twilio.com/2010-04-01")
	change(t, to, sms, "op://Brightsmile/Pingwell SMS API key/credential", "op://Brightsmile/Twilio API key (Molarsoft)/credential")
	change(t, to, sms, "reviewed: 2026-10-14", "reviewed: 2026-11-20")
	change(t, to, sms, "https://docs.pingwell.example/api/v2", "https://www.twilio.com/docs/messaging")
	change(t, to, sms, "Pingwell emails the practice manager", "Twilio emails the practice manager")

	nw := "clients/northwind-outfitters/"
	web01 := string(to[nw+"servers/web-01.yaml"].Data)
	web02 := strings.NewReplacer("id: web-01", "id: web-02", "name: Shop web server", "name: Shop web server 2",
		"web-01.northwind.lan", "web-02.northwind.lan", "203.0.113.41", "203.0.113.42", "2001:db8:41::1", "2001:db8:42::1",
		"10.0.0.2", "10.0.0.4", "SSH deploy user", "SSH deploy user (web-02)").Replace(web01)
	to[nw+"servers/web-02.yaml"] = &fstest.MapFile{Data: []byte(web02)}
	change(t, to, nw+"services/services.yaml", "  - server:web-01\n  - server:db-01\n", "  - server:web-01\n  - server:web-02\n  - server:db-01\n")
	change(t, to, nw+"servers/db-01.yaml", "mariadb-backup full nightly 02:15, binary logs shipped every 15 minutes",
		"mariadb-backup full every 6 hours (02:15, 08:15, 14:15, 20:15), binary logs shipped every 5 minutes")
	change(t, to, nw+"servers/db-01.yaml", "tags: [linux, mariadb, database]", "tags: [linux, mariadb, database, restic]")
	change(t, to, nw+"servers/db-01.yaml", "lastRestoreTest: 2026-08-12", "lastRestoreTest: 2026-11-18")
	change(t, to, nw+"client.yaml", "phone: +44 161 496 0348", "phone: +44 161 496 0349")
	change(t, to, nw+"runbooks/shop-maintenance-page.md", "lastTested: 2026-10-06", "lastTested: 2026-11-18")
	change(t, to, nw+"runbooks/shop-maintenance-page.md", "web-01 only accepts Cloudflare's addresses.",
		"web-01 and web-02 only accept Cloudflare's addresses.")

	hc := "clients/harper-cole-legal/configurations/"
	to[hc+"veeam-backups.yaml"] = to[hc+"backups.yaml"]
	delete(to, hc+"backups.yaml")

	r := Models(load(t, from, "main"), load(t, to, "feature/web-02-and-twilio"), "main", "feature/web-02-and-twilio")
	for _, f := range []struct{ name, ext string }{{"text", "txt"}, {"markdown", "md"}, {"json", "json"}} {
		t.Run(f.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Write(&buf, f.name); err != nil {
				t.Fatal(err)
			}
			testutil.Golden(t, filepath.Join("testdata", "golden", "changes."+f.ext), buf.Bytes(), *update)
		})
	}
	// The same inputs give the same bytes, whatever the order of map walks.
	again := Models(load(t, from, "main"), load(t, to, "feature/web-02-and-twilio"), "main", "feature/web-02-and-twilio")
	var a, b bytes.Buffer
	if err := r.WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	if err := again.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two runs over the same revisions differ")
	}
}
