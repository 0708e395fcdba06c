package check

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/handover-dev/handover/generator"
	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/history"
	"github.com/handover-dev/handover/generator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// today is the date every test checks on.
var today = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

// base is a small repository where every rule passes: client acme with a
// production server (hosted by the shared vendor hetzner), a critical
// service on it, an integration with a vendor of its own, a runbook for
// the server, and a staging server that only rule reviewed looks at.
var base = map[string]string{
	"handover.yaml": `version: 1
consultancy:
  name: Lanternfish IT
`,
	"vendors/hetzner.yaml": `kind: Vendor
id: hetzner
name: Hetzner Online
reviewed: 2026-11-01
support:
  phone: +49 9831 505-0
contract:
  renewal: 2027-10-01
`,
	"clients/acme/client.yaml": `kind: Client
id: acme
name: Acme Ltd
reviewed: 2026-11-01
contacts:
  - name: Ann Archer
    phone: +44 161 496 0001
    hours: Mon-Fri 09:00-17:00
sla:
  severities:
    - level: P1
      response: 30m
      resolution: 4h
    - level: P2
      response: 1h
      resolution: 8h
escalation:
  - who: Service desk
    contact: +44 161 496 0750
  - who: On-call engineer
    contact: +44 161 496 0751
`,
	"clients/acme/servers/web-01.yaml": `kind: Server
id: web-01
name: Web server
reviewed: 2026-11-01
environment: production
location:
  provider: vendor:hetzner
backup:
  schedule: nightly
  target: storage box
  lastRestoreTest: 2026-10-01
monitoring:
  tool: Netdata
access:
  method: ssh
  credential: op://Acme/web-01/key
runbooks:
  - runbook:restart-web
hostname: web-01.acme.lan
`,
	"clients/acme/servers/staging-01.yaml": `kind: Server
id: staging-01
name: Staging server
reviewed: 2026-11-01
environment: staging
hostname: staging-01.acme.lan
`,
	"clients/acme/services/shop.yaml": `kind: Service
id: shop
name: Online shop
reviewed: 2026-11-01
criticality: critical
dependsOn:
  - server:web-01
  - integration:payments
`,
	"clients/acme/integrations/payments.yaml": `kind: Integration
id: payments
name: Card payments
reviewed: 2026-11-01
owner: Ann Archer
provider: vendor:payco
auth:
  method: api-key
  credential: op://Acme/payco/key
failureImpact:
  level: critical
  description: No card payments in the shop.
`,
	"clients/acme/vendors/payco.yaml": `kind: Vendor
id: payco
name: PayCo
reviewed: 2026-11-01
support:
  email: support@payco.example
contract:
  renewal: 2027-06-01
`,
	"clients/acme/runbooks/restart-web.md": `---
kind: Runbook
id: restart-web
title: Restart the web server
appliesTo:
  - server:web-01
lastTested: 2026-10-01
reviewed: 2026-11-01
---

## Steps

1. Restart it.

## Verification

The shop answers.

## Rollback

Nothing to undo.
`,
}

// edit is a textual change to a file of base: Old is replaced by New, or
// the file is written whole when Old is empty.
type edit struct{ File, Old, New string }

// build validates base with the edits applied and fails the test on any
// error diagnostic: fixtures must be valid repositories.
func build(t *testing.T, edits ...edit) *generator.Model {
	t.Helper()
	files := map[string]string{}
	for k, v := range base {
		files[k] = v
	}
	for _, e := range edits {
		if e.Old == "" {
			files[e.File] = e.New
			continue
		}
		if !strings.Contains(files[e.File], e.Old) {
			t.Fatalf("edit: %s does not contain %q", e.File, e.Old)
		}
		files[e.File] = strings.Replace(files[e.File], e.Old, e.New, 1)
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	m, ds, err := generator.ValidateFS(fsys, "t", generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Fatalf("fixture does not validate: %s: %s", d.Pos(), d.Message)
		}
	}
	return m
}

// outcome applies one rule to one entity: whether it applies, and what is
// missing ("" when it passes).
func outcome(t *testing.T, m *generator.Model, h *history.History, opts Options, client, ref, rule string) (bool, string, diag.Pos) {
	t.Helper()
	r, ok := model.ParseRef(ref)
	if !ok {
		t.Fatalf("bad ref %q", ref)
	}
	d := m.Index.Lookup(client, r)
	if d == nil {
		t.Fatalf("%s not found in client %q", ref, client)
	}
	i := slices.IndexFunc(Rules, func(x Rule) bool { return x.ID == rule })
	if i < 0 {
		t.Fatalf("no rule %q", rule)
	}
	x := Rules[i]
	s := newRun(m, h, Options{Today: today}).subject(d)
	s.run.opts = withToday(opts)
	if !slices.Contains(x.Kinds, d.Kind) || (x.Applies != nil && !x.Applies(s)) {
		return false, "", diag.Pos{}
	}
	msg, at := x.Check(s)
	return true, msg, at
}

func withToday(o Options) Options {
	if o.Today.IsZero() {
		o.Today = today
	}
	return o.withDefaults()
}

const (
	pass = "pass"
	skip = "n/a" // the rule does not apply
)

func TestRules(t *testing.T) {
	web := "clients/acme/servers/web-01.yaml"
	client := "clients/acme/client.yaml"
	runbook := "clients/acme/runbooks/restart-web.md"
	integration := "clients/acme/integrations/payments.yaml"
	cases := []struct {
		name  string
		rule  string
		ref   string // in client acme, or a shared vendor
		edits []edit
		hist  *history.History
		want  string // pass, n/a, or a substring of what is missing
		line  int    // when not 0, the line the finding points at
	}{
		{name: "contacts/phone", rule: "contacts", ref: "client:acme", want: pass},
		{name: "contacts/no-phone", rule: "contacts", ref: "client:acme",
			edits: []edit{{client, "    phone: +44 161 496 0001\n", "    email: ann@acme.example\n"}},
			want:  "none of the 1 contact has a phone number", line: 5},
		{name: "contacts/none", rule: "contacts", ref: "client:acme",
			edits: []edit{{client, "contacts:\n  - name: Ann Archer\n    phone: +44 161 496 0001\n    hours: Mon-Fri 09:00-17:00\n", ""}},
			want:  "no contacts"},

		{name: "escalation-path/two-steps", rule: "escalation-path", ref: "client:acme", want: pass},
		{name: "escalation-path/one-step", rule: "escalation-path", ref: "client:acme",
			edits: []edit{{client, "  - who: On-call engineer\n    contact: +44 161 496 0751\n", ""}},
			want:  "escalation has 1 step; a successor needs at least 2", line: 17},
		{name: "escalation-path/none", rule: "escalation-path", ref: "client:acme",
			edits: []edit{{client, "escalation:\n  - who: Service desk\n    contact: +44 161 496 0750\n  - who: On-call engineer\n    contact: +44 161 496 0751\n", ""}},
			want:  "no escalation steps"},

		{name: "contact-24x7/on-call-step", rule: "contact-24x7", ref: "client:acme", want: pass},
		{name: "contact-24x7/contact-hours", rule: "contact-24x7", ref: "client:acme",
			edits: []edit{{client, "On-call engineer", "Account lead"}, {client, "Mon-Fri 09:00-17:00", "24/7 for P1"}},
			want:  pass},
		{name: "contact-24x7/any-time", rule: "contact-24x7", ref: "client:acme",
			edits: []edit{{client, "On-call engineer", "Account lead"}, {client, "Mon-Fri 09:00-17:00", "Any time for P1"}},
			want:  pass},
		{name: "contact-24x7/none", rule: "contact-24x7", ref: "client:acme",
			edits: []edit{{client, "On-call engineer", "Account lead"}},
			want:  "no escalation step or contact says it answers 24x7", line: 17},
		{name: "contact-24x7/negated", rule: "contact-24x7", ref: "client:acme",
			edits: []edit{{client, "On-call engineer", "Account lead"},
				{client, "    hours: Mon-Fri 09:00-17:00\n", "    notes: We have no out-of-hours number for anyone yet.\n"}},
			want: "no escalation step or contact says it answers 24x7"},
		{name: "contact-24x7/no-number", rule: "contact-24x7", ref: "client:acme",
			edits: []edit{{client, "  - who: On-call engineer\n    contact: +44 161 496 0751\n", "  - who: On-call engineer\n"}},
			want:  `escalation step "On-call engineer" answers out of hours but has no ` + "`contact`", line: 20},

		{name: "sla-severities/complete", rule: "sla-severities", ref: "client:acme", want: pass},
		{name: "sla-severities/no-resolution", rule: "sla-severities", ref: "client:acme",
			edits: []edit{{client, "      resolution: 8h\n", ""}},
			want:  "P2 has no resolution", line: 14},
		{name: "sla-severities/none", rule: "sla-severities", ref: "client:acme",
			edits: []edit{{client, "sla:\n  severities:\n    - level: P1\n      response: 30m\n      resolution: 4h\n    - level: P2\n      response: 1h\n      resolution: 8h\n", ""}},
			want:  "no `sla.severities`"},

		{name: "backup/present", rule: "backup", ref: "server:web-01", want: pass},
		{name: "backup/missing", rule: "backup", ref: "server:web-01",
			edits: []edit{{web, "backup:\n  schedule: nightly\n  target: storage box\n  lastRestoreTest: 2026-10-01\n", ""}},
			want:  "no `backup`"},
		{name: "backup/staging", rule: "backup", ref: "server:staging-01", want: skip},

		{name: "restore-tested/recent", rule: "restore-tested", ref: "server:web-01", want: pass},
		{name: "restore-tested/old", rule: "restore-tested", ref: "server:web-01",
			edits: []edit{{web, "lastRestoreTest: 2026-10-01", "lastRestoreTest: 2026-03-01"}},
			want:  "last restore test 2026-03-01 was 270 days ago; the limit is 180 days", line: 11},
		{name: "restore-tested/never", rule: "restore-tested", ref: "server:web-01",
			edits: []edit{{web, "  lastRestoreTest: 2026-10-01\n", ""}},
			want:  "no restore test recorded"},
		{name: "restore-tested/no-backup", rule: "restore-tested", ref: "server:web-01",
			edits: []edit{{web, "backup:\n  schedule: nightly\n  target: storage box\n  lastRestoreTest: 2026-10-01\n", ""}},
			want:  skip},

		{name: "monitoring/present", rule: "monitoring", ref: "server:web-01", want: pass},
		{name: "monitoring/missing", rule: "monitoring", ref: "server:web-01",
			edits: []edit{{web, "monitoring:\n  tool: Netdata\n", ""}},
			want:  "no `monitoring`"},

		{name: "access/complete", rule: "access", ref: "server:web-01", want: pass},
		{name: "access/no-credential", rule: "access", ref: "server:web-01",
			edits: []edit{{web, "  credential: op://Acme/web-01/key\n", ""}},
			want:  "no `access.credential`", line: 14},

		{name: "server-runbook/listed", rule: "server-runbook", ref: "server:web-01",
			edits: []edit{{runbook, "  - server:web-01\n", "  - service:shop\n"}},
			want:  pass},
		{name: "server-runbook/applies-to", rule: "server-runbook", ref: "server:web-01",
			edits: []edit{{web, "runbooks:\n  - runbook:restart-web\n", ""}},
			want:  pass},
		{name: "server-runbook/none", rule: "server-runbook", ref: "server:web-01",
			edits: []edit{{web, "runbooks:\n  - runbook:restart-web\n", ""}, {runbook, "  - server:web-01\n", "  - service:shop\n"}},
			want:  "no runbook applies to this server"},

		{name: "dependency-path/through-server", rule: "dependency-path", ref: "service:shop", want: pass},
		{name: "dependency-path/no-vendor", rule: "dependency-path", ref: "service:shop",
			edits: []edit{{web, "location:\n  provider: vendor:hetzner\n", ""}, {"clients/acme/services/shop.yaml", "  - integration:payments\n", ""}},
			want:  "none of its 1 dependency leads to a vendor", line: 6},
		{name: "dependency-path/not-critical", rule: "dependency-path", ref: "service:shop",
			edits: []edit{{"clients/acme/services/shop.yaml", "criticality: critical", "criticality: high"}},
			want:  skip},

		{name: "owner/set", rule: "owner", ref: "integration:payments", want: pass},
		{name: "owner/missing", rule: "owner", ref: "integration:payments",
			edits: []edit{{integration, "owner: Ann Archer\n", ""}},
			want:  "no `owner`"},

		{name: "auth/complete", rule: "auth", ref: "integration:payments", want: pass},
		{name: "auth/no-credential", rule: "auth", ref: "integration:payments",
			edits: []edit{{integration, "  credential: op://Acme/payco/key\n", ""}},
			want:  "no `auth.credential` for method api-key", line: 7},
		{name: "auth/none", rule: "auth", ref: "integration:payments",
			edits: []edit{{integration, "  method: api-key\n  credential: op://Acme/payco/key\n", "  method: none\n"}},
			want:  pass},
		{name: "auth/other-without-secret", rule: "auth", ref: "integration:payments",
			edits: []edit{{integration, "  method: api-key\n  credential: op://Acme/payco/key\n", "  method: other\n"}},
			want:  pass},
		{name: "auth/no-method", rule: "auth", ref: "integration:payments",
			edits: []edit{{integration, "auth:\n  method: api-key\n  credential: op://Acme/payco/key\n", ""}},
			want:  "no `auth.method`"},

		{name: "failure-impact/complete", rule: "failure-impact", ref: "integration:payments", want: pass},
		{name: "failure-impact/no-description", rule: "failure-impact", ref: "integration:payments",
			edits: []edit{{integration, "  description: No card payments in the shop.\n", ""}},
			want:  "no `failureImpact.description`"},

		{name: "support-channel/phone", rule: "support-channel", ref: "vendor:hetzner", want: pass},
		{name: "support-channel/missing", rule: "support-channel", ref: "vendor:payco",
			edits: []edit{{"clients/acme/vendors/payco.yaml", "support:\n  email: support@payco.example\n", ""}},
			want:  "no support phone, email or portal"},
		{name: "support-channel/unused-shared-vendor", rule: "support-channel", ref: "vendor:aws",
			edits: []edit{{"vendors/aws.yaml", "", "kind: Vendor\nid: aws\nname: AWS\n"}},
			want:  "no support phone, email or portal"},

		{name: "contract-renewal/date", rule: "contract-renewal", ref: "vendor:payco", want: pass},
		{name: "contract-renewal/rolling", rule: "contract-renewal", ref: "vendor:payco",
			edits: []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "noticePeriod: 30d"}},
			want:  pass},
		{name: "contract-renewal/pay-as-you-go", rule: "contract-renewal", ref: "vendor:payco",
			edits: []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "reference: Pay as you go, billed monthly"}},
			want:  pass},
		{name: "contract-renewal/missing", rule: "contract-renewal", ref: "vendor:payco",
			edits: []edit{{"clients/acme/vendors/payco.yaml", "contract:\n  renewal: 2027-06-01\n", ""}},
			want:  "no `contract`: nothing says when it renews"},
		{name: "contract-renewal/unused", rule: "contract-renewal", ref: "vendor:aws",
			edits: []edit{{"vendors/aws.yaml", "", "kind: Vendor\nid: aws\nname: AWS\n"}},
			want:  skip},

		{name: "runbook-tested/recent", rule: "runbook-tested", ref: "runbook:restart-web", want: pass},
		{name: "runbook-tested/old", rule: "runbook-tested", ref: "runbook:restart-web",
			edits: []edit{{runbook, "lastTested: 2026-10-01", "lastTested: 2025-10-01"}},
			want:  "last test 2025-10-01 was 421 days ago; the limit is 365 days", line: 7},
		{name: "runbook-tested/never", rule: "runbook-tested", ref: "runbook:restart-web",
			edits: []edit{{runbook, "lastTested: 2026-10-01\n", ""}},
			want:  "no test recorded (`lastTested`)"},

		{name: "runbook-sections/through-server", rule: "runbook-sections", ref: "runbook:restart-web", want: pass},
		{name: "runbook-sections/no-rollback", rule: "runbook-sections", ref: "runbook:restart-web",
			edits: []edit{{runbook, "## Rollback", "## Notes"}},
			want:  "no rollback heading", line: 10},
		{name: "runbook-sections/back-out-setext", rule: "runbook-sections", ref: "runbook:restart-web",
			edits: []edit{{runbook, "## Rollback", "How to back out\n---------------"}},
			want:  pass},
		{name: "runbook-sections/code-is-no-heading", rule: "runbook-sections", ref: "runbook:restart-web",
			edits: []edit{{runbook, "## Verification\n", "```sh\n# verify\n```\n"}},
			want:  "no verification heading"},
		{name: "runbook-sections/direct", rule: "runbook-sections", ref: "runbook:restart-web",
			edits: []edit{{runbook, "  - server:web-01\n", "  - service:shop\n"}, {runbook, "## Verification", "## Check"}},
			want:  "no verification heading"},
		{name: "runbook-sections/not-critical", rule: "runbook-sections", ref: "runbook:restart-web",
			edits: []edit{{runbook, "  - server:web-01\n", "  - server:staging-01\n"}, {web, "runbooks:\n  - runbook:restart-web\n", ""}},
			want:  skip},

		{name: "reviewed/recent", rule: "reviewed", ref: "server:staging-01", want: pass},
		{name: "reviewed/stale", rule: "reviewed", ref: "server:staging-01",
			edits: []edit{{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01", "reviewed: 2026-04-01"}},
			want:  "last reviewed 2026-04-01, 239 days ago (policy: every 180d)", line: 4},
		{name: "reviewed/never", rule: "reviewed", ref: "server:staging-01",
			edits: []edit{{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01\n", ""}},
			want:  "never reviewed: no `reviewed` date and no git history"},
		{name: "reviewed/recent-commit", rule: "reviewed", ref: "server:staging-01",
			edits: []edit{{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01\n", ""}},
			hist:  commits("clients/acme/servers/staging-01.yaml", "2026-10-20", "2026-01-05"),
			want:  pass},
		{name: "reviewed/old-commit", rule: "reviewed", ref: "server:staging-01",
			edits: []edit{{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01\n", ""}},
			hist:  commits("clients/acme/servers/staging-01.yaml", "2026-01-05"),
			want:  "never reviewed, and last changed 2026-01-05, 325 days ago"},
		{name: "reviewed/reviewed-beats-commit", rule: "reviewed", ref: "server:staging-01",
			edits: []edit{{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01", "reviewed: 2026-01-01"}},
			hist:  commits("clients/acme/servers/staging-01.yaml", "2026-11-20"),
			want:  "last reviewed 2026-01-01"},
	}
	seen := map[string]map[bool]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, tc.edits...)
			client := "acme"
			if strings.HasPrefix(tc.ref, "vendor:") && m.Index.ByClient["acme"][mustRef(tc.ref)] == nil {
				client = ""
			}
			applies, msg, at := outcome(t, m, tc.hist, Options{}, client, tc.ref, tc.rule)
			switch {
			case tc.want == skip:
				if applies {
					t.Fatalf("rule applies (missing %q), want n/a", msg)
				}
			case !applies:
				t.Fatalf("rule does not apply, want %q", tc.want)
			case tc.want == pass:
				if msg != "" {
					t.Fatalf("missing %q, want pass", msg)
				}
			case !strings.Contains(msg, tc.want):
				t.Fatalf("missing %q, want it to contain %q", msg, tc.want)
			}
			if tc.line != 0 && at.Line != tc.line {
				t.Errorf("points at %s, want line %d", at, tc.line)
			}
			if tc.want != skip {
				if seen[tc.rule] == nil {
					seen[tc.rule] = map[bool]bool{}
				}
				seen[tc.rule][tc.want == pass] = true
			}
		})
	}
	for _, r := range Rules {
		if !seen[r.ID][true] || !seen[r.ID][false] {
			t.Errorf("rule %s needs a passing and a failing case (have %v)", r.ID, seen[r.ID])
		}
	}
}

func mustRef(s string) model.Ref {
	r, _ := model.ParseRef(s)
	return r
}

// commits builds a history in which file was changed on each date, newest
// first.
func commits(file string, dates ...string) *history.History {
	fh := &history.FileHistory{}
	for _, d := range dates {
		t, _ := time.Parse(time.DateOnly, d)
		fh.Commits = append(fh.Commits, &history.Commit{Hash: "c" + d, When: t.Add(15 * time.Hour)})
	}
	return &history.History{Files: map[string]*history.FileHistory{file: fh}}
}

func TestRuleTable(t *testing.T) {
	ids := map[string]bool{}
	for _, r := range Rules {
		if ids[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		ids[r.ID] = true
		if !model.IDPattern.MatchString(r.ID) {
			t.Errorf("rule id %q is not kebab-case", r.ID)
		}
		if r.Weight < 1 || r.Weight > 5 {
			t.Errorf("rule %s: weight %d outside 1-5", r.ID, r.Weight)
		}
		if r.Reason == "" || r.Fix == "" || r.Check == nil || len(r.Kinds) == 0 {
			t.Errorf("rule %s: needs kinds, a reason, a fix and a check", r.ID)
		}
		if strings.HasSuffix(r.Reason, ".") {
			t.Errorf("rule %s: the reason is a clause, without a final full stop", r.ID)
		}
		if !strings.Contains(r.Fix, "`") {
			t.Errorf("rule %s: the fix names no YAML field", r.ID)
		}
	}
	for _, th := range Thresholds {
		if !ids[th.Rule] {
			t.Errorf("threshold %s tunes unknown rule %s", th.Name, th.Rule)
		}
	}
}

func TestMentions24x7(t *testing.T) {
	cases := map[string]bool{
		"Lanternfish on-call engineer (24x7)":                true,
		"24/7 for P1":                                        true,
		"Mobile for P1 out of hours":                         true,
		"Out-of-hours P1 line":                               true,
		"Answers 24 hours a day":                             true,
		"Any time for P1":                                    true,
		"Call him at once, whatever the time.":               true,
		"Mon-Fri 08:30-17:00":                                false,
		"Not on call.":                                       false,
		"We have no out-of-hours number for anyone yet.":     false,
		"No second contact. The on-call rota is on the wiki": true,
		"Never on call (part-time)":                          false,
		"Office hours only (on call in December)":            true,
	}
	for text, want := range cases {
		if got := mentions24x7(text); got != want {
			t.Errorf("mentions24x7(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"30m", 30 * time.Minute, false},
		{"4h", 4 * time.Hour, false},
		{"30d", 30 * Day, false},
		{"2w", 14 * Day, false},
		{"1y", 365 * Day, false},
		{"0d", 0, false},
		{"d", 0, true},
		{"30", 0, true},
		{"-3d", 0, true},
		{"3s", 0, true},
		{"1.5d", 0, true},
		{"99999999999999y", 0, true},
	}
	for _, tc := range cases {
		got, err := ParseDuration(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	for _, d := range []time.Duration{180 * Day, 14 * Day, 365 * Day, 4 * time.Hour, 90 * time.Minute} {
		back, err := ParseDuration(formatDuration(d))
		if err != nil || back != d {
			t.Errorf("formatDuration(%v) = %q does not read back", d, formatDuration(d))
		}
	}
}

func TestOptionsFor(t *testing.T) {
	m := build(t, edit{"handover.yaml", "", `version: 1
consultancy:
  name: Lanternfish IT
policies:
  staleAfter: 26w
  expiryWarning: 2w
readiness:
  disable:
    - monitoring
    - restore-tsted
    - nonsense-rule-id
  thresholds:
    restoreTestDays: 90
    runbookTestDays: 180
    escalationSteps: 0
    restoreTestDay: 30
`})
	opts, ds := OptionsFor(m.Repo.Portfolio, time.Date(2026, 11, 26, 18, 30, 0, 0, time.FixedZone("X", 5*3600)))
	if !opts.Today.Equal(today) {
		t.Errorf("Today = %v, want the calendar date %v", opts.Today, today)
	}
	if opts.StaleAfter != 182*Day || opts.ExpiryWarning != 14*Day {
		t.Errorf("policies = %v, %v", opts.StaleAfter, opts.ExpiryWarning)
	}
	if opts.RestoreTestDays != 90 || opts.RunbookTestDays != 180 || opts.EscalationSteps != DefaultEscalationSteps {
		t.Errorf("thresholds = %d, %d, %d", opts.RestoreTestDays, opts.RunbookTestDays, opts.EscalationSteps)
	}
	if !opts.Disabled["monitoring"] || len(opts.Disabled) != 1 {
		t.Errorf("Disabled = %v, want only monitoring", opts.Disabled)
	}
	want := []string{
		`handover.yaml:10:7: warning[unknown-readiness-rule]: unknown readiness rule "restore-tsted" (did you mean restore-tested?): it is ignored`,
		`handover.yaml:11:7: warning[unknown-readiness-rule]: unknown readiness rule "nonsense-rule-id": it is ignored`,
		`handover.yaml:15:5: warning[bad-readiness-threshold]: readiness.thresholds.escalationSteps is 0, which rule escalation-path cannot use: the default 2 applies`,
		`handover.yaml:16:5: warning[unknown-readiness-threshold]: unknown readiness threshold "restoreTestDay" (did you mean restoreTestDays?): it is ignored`,
	}
	var got []string
	for _, d := range diag.Sort(ds) {
		got = append(got, d.Pos().String()+": "+d.Severity.String()+"["+d.Code+"]: "+d.Message)
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(ds[1].Hint, "known: contacts, escalation-path") {
		t.Errorf("hint for an id with no close match = %q, want the known ids", ds[1].Hint)
	}

	// Run reports the same warnings, whatever options it is given.
	rep := Run(m, nil, Options{Today: today})
	if len(rep.Warnings) != len(want) {
		t.Errorf("Run warnings = %v", rep.Warnings)
	}

	def, ds := OptionsFor(nil, today)
	if len(ds) != 0 || def.StaleAfter != DefaultStaleAfter || def.ExpiryWarning != DefaultExpiryWarning ||
		def.RestoreTestDays != DefaultRestoreTestDays || def.RunbookTestDays != DefaultRunbookTestDays {
		t.Errorf("defaults = %+v, %v", def, ds)
	}
}

// portfolioWith is handover.yaml with a readiness section.
func portfolioWith(readiness string) edit {
	return edit{"handover.yaml", "", "version: 1\nconsultancy:\n  name: Lanternfish IT\n" + readiness}
}

func TestDisabledAndThresholds(t *testing.T) {
	old := []edit{
		{"clients/acme/servers/web-01.yaml", "lastRestoreTest: 2026-10-01", "lastRestoreTest: 2026-07-01"}, // 148 days
		{"clients/acme/servers/web-01.yaml", "  tool: Netdata\n", "  alertsTo: [ops@acme.example]\n"},
	}
	cases := []struct {
		name      string
		readiness string
		missing   []string // rules web-01 fails
		score     int
	}{
		// web-01: backup 5, restore-tested 4, monitoring 4, access 4,
		// server-runbook 3, reviewed 2 = 22.
		{"defaults", "", []string{"monitoring"}, 81}, // 18/22
		{"disabled", "readiness:\n  disable: [monitoring]\n", nil, 100},
		{"stricter", "readiness:\n  thresholds: {restoreTestDays: 90}\n", []string{"restore-tested", "monitoring"}, 63},                  // 14/22
		{"both", "readiness:\n  disable: [monitoring, reviewed]\n  thresholds: {restoreTestDays: 90}\n", []string{"restore-tested"}, 75}, // 12/16
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := build(t, append(old, portfolioWith(tc.readiness))...)
			opts, ds := OptionsFor(m.Repo.Portfolio, today)
			if len(ds) > 0 {
				t.Fatalf("diagnostics: %v", ds)
			}
			rep := Run(m, nil, opts)
			e := entity(t, rep, "acme", "server:web-01")
			var got []string
			for _, f := range e.Missing {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, tc.missing) || e.Score != tc.score {
				t.Errorf("web-01 misses %v with score %d, want %v and %d", got, e.Score, tc.missing, tc.score)
			}
		})
	}
}

// entity finds an entity's score in a client's report.
func entity(t *testing.T, rep Report, client, ref string) EntityScore {
	t.Helper()
	for _, c := range rep.Clients {
		if c.Client != client {
			continue
		}
		for _, e := range c.Entities {
			if e.Ref == ref {
				return e
			}
		}
	}
	t.Fatalf("no %s in client %s", ref, client)
	return EntityScore{}
}

func TestScores(t *testing.T) {
	t.Run("complete", func(t *testing.T) {
		rep := Run(build(t), nil, Options{Today: today})
		if len(rep.Clients) != 1 || rep.Clients[0].Score != 100 || len(rep.Clients[0].Missing) != 0 {
			t.Fatalf("clients = %+v", rep.Clients)
		}
		// Client 4+3+3+5+2, web-01 22, staging-01 2, shop 3+2,
		// payments 2+4+3+2, payco 4+2+2, runbook 3+3+2, hetzner 4+2+2.
		if got, want := rep.Clients[0].Applicable, 17+22+2+5+11+8+8+8; got != want {
			t.Errorf("applicable weight = %d, want %d", got, want)
		}
		if len(rep.Shared) != 1 || rep.Shared[0].Ref != "vendor:hetzner" || rep.Shared[0].Score != 100 {
			t.Errorf("shared = %+v", rep.Shared)
		}
	})
	t.Run("gaps", func(t *testing.T) {
		m := build(t,
			// web-01 loses its backup: restore-tested no longer applies,
			// 13 of 18 = 72.
			edit{"clients/acme/servers/web-01.yaml", "backup:\n  schedule: nightly\n  target: storage box\n  lastRestoreTest: 2026-10-01\n", ""},
			// hetzner loses its support phone (4 of 8): shared, and
			// counted in acme, which is hosted by it.
			edit{"vendors/hetzner.yaml", "support:\n  phone: +49 9831 505-0\n", ""},
			// staging-01 was never reviewed: 0 of 2.
			edit{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01\n", ""},
			// An unused shared vendor: support-channel and reviewed apply,
			// contract-renewal does not (2 of 6); counted in no client.
			edit{"vendors/aws.yaml", "", "kind: Vendor\nid: aws\nname: AWS\nreviewed: 2026-11-01\n"},
		)
		rep := Run(m, nil, Options{Today: today})
		want := map[string]int{"server:web-01": 72, "vendor:hetzner": 50, "server:staging-01": 0, "client:acme": 100}
		for ref, score := range want {
			if got := entity(t, rep, "acme", ref).Score; got != score {
				t.Errorf("%s scores %d, want %d", ref, got, score)
			}
		}
		c := rep.Clients[0]
		// Applicable: 81 less web-01's restore-tested (4) = 77.
		// Missing: backup 5, support-channel 4, reviewed 2 = 11; 66 of 77.
		if c.Applicable != 77 || c.Passed != 66 || c.Score != 85 {
			t.Errorf("acme = %d of %d, score %d; want 66 of 77, 85", c.Passed, c.Applicable, c.Score)
		}
		// Worst first: the most weight missing, then the lowest score.
		if got := []string{c.Entities[0].Ref, c.Entities[1].Ref, c.Entities[2].Ref}; !slices.Equal(got, []string{"server:web-01", "vendor:hetzner", "server:staging-01"}) {
			t.Errorf("worst entities = %v, want web-01, hetzner, staging-01", got)
		}
		var rules []string
		for _, f := range c.Missing {
			rules = append(rules, f.Rule)
		}
		if !slices.Equal(rules, []string{"backup", "support-channel", "reviewed"}) {
			t.Errorf("missing = %v, heaviest first", rules)
		}
		if len(rep.Shared) != 2 || rep.Shared[0].Ref != "vendor:aws" || rep.Shared[0].Score != 33 || rep.Shared[1].Score != 50 {
			t.Errorf("shared = %v", rep.Shared)
		}
		if slices.ContainsFunc(c.Entities, func(e EntityScore) bool { return e.Ref == "vendor:aws" }) {
			t.Errorf("the unused shared vendor counts in acme")
		}
		if got := rep.Below(90); len(got) != 1 || got[0].Client != "acme" {
			t.Errorf("Below(90) = %v", got)
		}
		if got := rep.Below(85); len(got) != 0 {
			t.Errorf("Below(85) = %v, want none: 85 is not below 85", got)
		}
		var buf bytes.Buffer
		if err := rep.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		golden(t, "gaps-report.json", buf.Bytes())
	})
}

func TestExpiries(t *testing.T) {
	cfg := func(expires, autoRenew string) edit {
		s := "kind: Configuration\nid: cert\nname: Shop certificate\ntype: certificate\nreviewed: 2026-11-01\nexpires: " + expires + "\n"
		if autoRenew != "" {
			s += "autoRenew: " + autoRenew + "\n"
		}
		return edit{"clients/acme/configurations/cert.yaml", "", s}
	}
	cases := []struct {
		name  string
		edits []edit
		ref   string
		want  string // "" for no expiry; else severity + " " + message
		days  int
	}{
		{"config/later", []edit{cfg("2027-01-26", "")}, "configuration:cert", "", 0},
		{"config/window", []edit{cfg("2026-12-20", "false")}, "configuration:cert",
			"warning the certificate expires in 24 days (2026-12-20), and does not renew by itself", 24},
		{"config/window-unknown-renewal", []edit{cfg("2026-12-20", "")}, "configuration:cert",
			"warning the certificate expires in 24 days (2026-12-20)", 24},
		{"config/today", []edit{cfg("2026-11-26", "")}, "configuration:cert",
			"warning the certificate expires today (2026-11-26)", 0},
		{"config/expired", []edit{cfg("2026-11-14", "false")}, "configuration:cert",
			"error the certificate expired 12 days ago, on 2026-11-14", -12},
		{"config/auto-renew-window", []edit{cfg("2026-12-20", "true")}, "configuration:cert",
			"info the certificate expires in 24 days (2026-12-20) and should renew by itself (`autoRenew`): check that it did, then update `expires`", 24},
		{"config/auto-renew-expired", []edit{cfg("2026-11-25", "true")}, "configuration:cert",
			"error the certificate expired 1 day ago, on 2026-11-25, although `autoRenew` is on: the renewal failed or `expires` was not updated", -1},
		{"os/window", []edit{{"clients/acme/servers/staging-01.yaml", "environment: staging\n", "environment: staging\nos:\n  name: Ubuntu\n  version: \"22.04\"\n  eol: 2026-12-01\n"}},
			"server:staging-01", "warning Ubuntu 22.04 reaches end of life in 5 days (2026-12-01): plan the upgrade", 5},
		{"os/past", []edit{{"clients/acme/servers/staging-01.yaml", "environment: staging\n", "environment: staging\nos:\n  eol: 2025-11-26\n"}},
			"server:staging-01", "error the operating system reached end of life 365 days ago, on 2025-11-26: no more security updates", -365},
		{"vendor/later", nil, "vendor:payco", "", 0},
		{"vendor/window", []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2026-12-21"}},
			"vendor:payco", "warning the contract renews in 25 days, on 2026-12-21", 25},
		// Notice 90d: notice by 2027-01-04, warned 30d before that, from 2026-12-05.
		{"vendor/notice-later", []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2027-04-04\n  noticePeriod: 90d"}},
			"vendor:payco", "", 0},
		{"vendor/notice-window", []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2027-03-01\n  noticePeriod: 90d"}},
			"vendor:payco", "warning the contract renews in 95 days, on 2027-03-01; give notice (90d) by 2026-12-01, in 5 days", 95},
		{"vendor/notice-passed", []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2027-01-31\n  noticePeriod: 90d"}},
			"vendor:payco", "warning the contract renews in 66 days, on 2027-01-31; the last day to give notice (90d) was 2026-11-02, 24 days ago", 66},
		{"vendor/renewal-passed", []edit{{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2026-11-01"}},
			"vendor:payco", "error the contract renewal date 2026-11-01 passed 25 days ago: record whether it renewed or ended, and the next date in `contract.renewal`", -25},
		{"client/notice-window", []edit{{"clients/acme/client.yaml", "escalation:", "contract:\n  renewal: 2027-01-09\n  noticePeriod: 30d\nescalation:"}},
			"client:acme", "warning the contract renews in 44 days, on 2027-01-09; give notice (30d) by 2026-12-10, in 14 days", 44},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := Run(build(t, tc.edits...), nil, Options{Today: today})
			var got []Expiry
			for _, x := range rep.Expiries {
				if x.Ref == tc.ref {
					got = append(got, x)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("expiries = %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("expiries = %+v, want one", rep.Expiries)
			}
			if s := got[0].Severity.String() + " " + got[0].Message; s != tc.want || got[0].Days != tc.days {
				t.Errorf("got  %s (%d days)\nwant %s (%d days)", s, got[0].Days, tc.want, tc.days)
			}
			if got[0].Pos.Line == 0 {
				t.Errorf("expiry has no line: %v", got[0].Pos)
			}
		})
	}

	t.Run("window-policy", func(t *testing.T) {
		m := build(t, cfg("2026-12-20", ""), portfolioWith("policies:\n  expiryWarning: 2w\n"))
		opts, _ := OptionsFor(m.Repo.Portfolio, today)
		if rep := Run(m, nil, opts); len(rep.Expiries) != 0 {
			t.Errorf("with a 2w window, 24 days ahead warns: %+v", rep.Expiries)
		}
	})
	t.Run("order", func(t *testing.T) {
		m := build(t, cfg("2026-12-20", ""),
			edit{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2027-03-01\n  noticePeriod: 90d"},
			edit{"clients/acme/servers/staging-01.yaml", "environment: staging\n", "environment: staging\nos:\n  eol: 2025-11-26\n"})
		var got []string
		for _, x := range Run(m, nil, Options{Today: today}).Expiries {
			got = append(got, x.Ref+" "+x.Due())
		}
		want := []string{"server:staging-01 2025-11-26", "vendor:payco 2026-12-01", "configuration:cert 2026-12-20"}
		if !slices.Equal(got, want) {
			t.Errorf("order = %v, want %v (by the day to act)", got, want)
		}
	})
}

func TestStale(t *testing.T) {
	m := build(t,
		edit{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01", "reviewed: 2026-04-01"},
		edit{"clients/acme/services/shop.yaml", "reviewed: 2026-11-01\n", ""},
		edit{"clients/acme/integrations/payments.yaml", "reviewed: 2026-11-01\n", ""},
	)
	h := commits("clients/acme/services/shop.yaml", "2026-02-10")
	rep := Run(m, h, Options{Today: today})
	var got []string
	for _, s := range rep.Stale {
		got = append(got, s.Ref+" "+s.Since+" "+s.Basis)
	}
	// payments has neither a review nor a commit: never reviewed is a
	// readiness finding, not a stale item (there is no date to age).
	want := []string{"service:shop 2026-02-10 last commit", "server:staging-01 2026-04-01 reviewed"}
	if !slices.Equal(got, want) {
		t.Errorf("stale = %v, want %v", got, want)
	}
	if rep.Stale[0].Days != 289 {
		t.Errorf("shop stale for %d days, want 289", rep.Stale[0].Days)
	}

	opts := Options{Today: today, Disabled: map[string]bool{"reviewed": true}}
	if rep := Run(m, h, opts); len(rep.Stale) != 0 {
		t.Errorf("with rule reviewed disabled, stale = %v", rep.Stale)
	}
}

func TestDiagnostics(t *testing.T) {
	m := build(t,
		edit{"clients/acme/servers/staging-01.yaml", "reviewed: 2026-11-01", "reviewed: 2026-04-01"},
		edit{"clients/acme/servers/web-01.yaml", "  tool: Netdata\n", "  alertsTo: [ops@acme.example]\n"},
		edit{"vendors/hetzner.yaml", "support:\n  phone: +49 9831 505-0\n", ""},
		edit{"clients/acme/configurations/cert.yaml", "", "kind: Configuration\nid: cert\nname: Certificate\ntype: certificate\nreviewed: 2026-11-01\nexpires: 2026-11-20\n"},
		edit{"clients/acme/vendors/payco.yaml", "renewal: 2027-06-01", "renewal: 2026-12-21"},
		portfolioWith("readiness:\n  disable: [monitorin]\n"),
	)
	rep := Run(m, nil, Options{Today: today})
	var got []string
	for _, d := range rep.Diagnostics() {
		got = append(got, d.Pos().String()+" "+d.Severity.String()+" "+d.Code+" "+d.Message)
	}
	want := []string{
		"clients/acme/configurations/cert.yaml:6:1 error expired configuration:cert: the certificate expired 6 days ago, on 2026-11-20",
		"clients/acme/servers/staging-01.yaml:4:1 warning stale server:staging-01: last reviewed 2026-04-01, 239 days ago (policy: every 180d)",
		"clients/acme/servers/web-01.yaml:12:1 warning check-monitoring server:web-01: `monitoring` names no `tool` and no `checks`",
		"clients/acme/vendors/payco.yaml:8:3 warning expiry vendor:payco: the contract renews in 25 days, on 2026-12-21",
		`handover.yaml:5:13 warning unknown-readiness-rule unknown readiness rule "monitorin" (did you mean monitoring?): it is ignored`,
		"vendors/hetzner.yaml:1:1 warning check-support-channel vendor:hetzner: no support phone, email or portal",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	var buf bytes.Buffer
	if err := rep.Write(&buf, "github"); err != nil {
		t.Fatal(err)
	}
	if first := strings.SplitN(buf.String(), "\n", 2)[0]; first != "::error file=clients/acme/configurations/cert.yaml,line=6,col=1,title=expired::configuration:cert: the certificate expired 6 days ago, on 2026-11-20%0Arenew it, then set `expires` to the new date" {
		t.Errorf("github annotation = %q", first)
	}
	if err := rep.Write(&buf, "yaml"); err == nil || !strings.Contains(err.Error(), "known: text, markdown, json, github") {
		t.Errorf("unknown format error = %v", err)
	}
}

func TestWithPrefix(t *testing.T) {
	m := build(t, edit{"vendors/hetzner.yaml", "support:\n  phone: +49 9831 505-0\n", ""})
	rep := Run(m, nil, Options{Today: today}).WithPrefix("examples")
	for _, d := range rep.Diagnostics() {
		if !strings.HasPrefix(d.File, "examples/") {
			t.Errorf("diagnostic file %q has no prefix", d.File)
		}
	}
	if f := rep.Shared[0].Missing[0].Pos.File; f != "examples/vendors/hetzner.yaml" {
		t.Errorf("finding file = %q", f)
	}
}

// TestExamples checks the portfolio in examples/ as a consultant would
// read it on 2026-11-26, against golden reports (go test -update rewrites
// them).
func TestExamples(t *testing.T) {
	m, ds, err := generator.Validate(filepath.Join("..", "..", "examples"), generator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diag.HasErrors(ds, false) {
		t.Fatalf("examples do not validate: %v", ds)
	}
	opts, ods := OptionsFor(m.Repo.Portfolio, today)
	if len(ods) > 0 {
		t.Errorf("examples' handover.yaml: %v", ods)
	}
	rep := Run(m, nil, opts)
	for _, c := range rep.Clients {
		if c.Client == "fernhill-veterinary" {
			continue // deliberately incomplete: still onboarding
		}
		if c.Score < 85 {
			t.Errorf("%s scores %d: the real clients should score high", c.Client, c.Score)
		}
	}
	for _, f := range []struct {
		name   string
		format string
	}{{"examples-report.txt", "text"}, {"examples-report.md", "markdown"}} {
		t.Run(f.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := rep.Write(&buf, f.format); err != nil {
				t.Fatal(err)
			}
			golden(t, f.name, buf.Bytes())
		})
	}

	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Clients []struct {
			Missing []struct {
				Rule string `json:"rule"`
				Pos  struct {
					File string `json:"file"`
					Line int    `json:"line"`
				} `json:"pos"`
				Severity string `json:"severity"`
			} `json:"missing"`
		} `json:"clients"`
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	f := back.Clients[0].Missing[0]
	if f.Rule == "" || f.Pos.File == "" || f.Pos.Line == 0 || f.Severity != "warning" {
		t.Errorf("JSON finding = %+v", f)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}
