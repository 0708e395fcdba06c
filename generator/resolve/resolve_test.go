package resolve

import (
	"fmt"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/testutil"
)

func loadRepo(t *testing.T, files map[string]string) []*model.Document {
	t.Helper()
	files["handover.yaml"] = "version: 1\n"
	repo, diags := load.Repo(testutil.WriteFiles(t, files), load.Options{})
	if len(diags) > 0 {
		t.Fatalf("load: %v", diags)
	}
	return repo.Docs
}

const acme = "kind: Client\nid: acme\nname: Acme\n"

func TestChecks(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string // "file:line:col code message-part", "" for no diagnostic
	}{
		{"clean", map[string]string{
			"clients/acme/client.yaml":   acme,
			"vendors/aws.yaml":           "kind: Vendor\nid: aws\nname: AWS\n",
			"clients/acme/web.yaml":      "kind: Server\nid: web-01\nlocation:\n  provider: vendor:aws\n",
			"clients/acme/runbooks/r.md": "---\nkind: Runbook\nid: r\nappliesTo: [server:web-01]\n---\n",
		}, ""},
		{"dangling with closest id", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/web.yaml":    "kind: Server\nid: web-01\n---\nkind: Service\nid: shop\ndependsOn:\n  - server:web-1\n",
		}, "clients/acme/web.yaml:7:5 dangling-ref server:web-1 does not exist in client acme (did you mean server:web-01?)"},
		{"dangling lists known ids", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/web.yaml":    "kind: Server\nid: web-01\n---\nkind: Service\nid: shop\ndependsOn: [server:mail]\n",
		}, "clients/acme/web.yaml:6:13 dangling-ref server:mail does not exist in client acme"},
		{"other client's entity does not resolve", map[string]string{
			"clients/acme/client.yaml":   acme,
			"clients/bravo/client.yaml":  "kind: Client\nid: bravo\n",
			"clients/bravo/web.yaml":     "kind: Server\nid: web-01\n",
			"clients/acme/services.yaml": "kind: Service\nid: shop\ndependsOn: [server:web-01]\n",
		}, "clients/acme/services.yaml:3:13 dangling-ref server:web-01 does not exist in client acme"},
		{"duplicate across files", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/a.yaml":      "kind: Server\nid: web-01\n",
			"clients/acme/b.yaml":      "kind: Server\nid: web-01\n",
		}, "clients/acme/b.yaml:2:5 duplicate-id duplicate server id \"web-01\": also defined at clients/acme/a.yaml:2:5"},
		{"same id, other kind", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/a.yaml":      "kind: Server\nid: shop\n---\nkind: Service\nid: shop\n",
		}, ""},
		{"missing client", map[string]string{
			"clients/acme/web.yaml": "kind: Server\nid: web-01\n",
		}, "clients/acme/client.yaml:0:0 missing-client client folder clients/acme has no Client document"},
		{"two clients in one folder", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/other.yaml":  "kind: Client\nid: acme-two\n",
		}, "clients/acme/other.yaml:2:5 client-id-mismatch client id \"acme-two\" does not match its folder"},
		{"server outside a client", map[string]string{
			"servers/web.yaml": "kind: Server\nid: web-01\n",
		}, "servers/web.yaml:1:1 misplaced-entity a Server must be in a client folder"},
		{"client vendor shadows shared", map[string]string{
			"clients/acme/client.yaml": acme,
			"vendors/aws.yaml":         "kind: Vendor\nid: aws\n",
			"clients/acme/aws.yaml":    "kind: Vendor\nid: aws\n",
		}, "clients/acme/aws.yaml:2:5 vendor-shadows-shared vendor \"aws\" of client acme hides the shared vendor"},
		{"runbook link leaves the repository", map[string]string{
			"clients/acme/client.yaml":   acme,
			"clients/acme/runbooks/r.md": "---\nkind: Runbook\nid: r\n---\n# R\n\nSee [the keys](../../../../etc/passwd.md).\n",
		}, "clients/acme/runbooks/r.md:7:16 link-outside-repo link \"../../../../etc/passwd.md\" leaves the repository"},
		{"absolute link in notes", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/web.yaml":    "kind: Server\nid: web-01\nnotes: see [config](/etc/nginx/nginx.conf)\n",
		}, "clients/acme/web.yaml:3:8 link-outside-repo"},
		{"relative link inside the repository", map[string]string{
			"clients/acme/client.yaml":   acme,
			"clients/acme/runbooks/r.md": "---\nkind: Runbook\nid: r\n---\nSee [web](../servers/web.yaml) and [docs](https://example.com/a).\n",
		}, ""},
		{"self reference", map[string]string{
			"clients/acme/client.yaml": acme,
			"clients/acme/web.yaml":    "kind: Server\nid: web-01\ndependsOn: [server:web-01]\n",
		}, "clients/acme/web.yaml:3:13 self-reference dependsOn refers to itself"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := Docs(loadRepo(t, tc.files))
			diags = diag.Sort(diags)
			if tc.want == "" {
				if len(diags) > 0 {
					t.Errorf("unexpected diagnostics: %v", diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %v", len(diags), diags)
			}
			d := diags[0]
			got := fmt.Sprintf("%s:%d:%d %s %s", d.File, d.Line, d.Column, d.Code, d.Message)
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("got  %s\nwant %s…", got, tc.want)
			}
			if d.Hint == "" {
				t.Errorf("no hint")
			}
		})
	}
}
