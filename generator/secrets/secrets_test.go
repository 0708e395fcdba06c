package secrets

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/generator/load"
	"github.com/handover-dev/handover/generator/model"
	"github.com/handover-dev/handover/internal/testutil"
)

// Fake secrets are assembled here rather than written out, so that no
// secret-shaped string sits in the repository.
var (
	awsKey    = "AKIA" + strings.Repeat("Q7", 8)
	ghToken   = "ghp_" + strings.Repeat("a1B2", 9)
	stripeKey = "sk_" + "live_" + strings.Repeat("Zx9", 8)
	slackTok  = "xoxb-" + "1234567890-" + strings.Repeat("abC", 6)
	jwt       = "eyJ" + strings.Repeat("hbGciOi", 2) + ".eyJ" + strings.Repeat("zdWIiOi", 2) + "." + strings.Repeat("SflKxw", 3)
	pemHeader = "-----BEGIN RSA " + "PRIVATE KEY-----"
	gcpKey    = "AIza" + strings.Repeat("Sy-9", 8) + "abc"
	glToken   = "glpat-" + strings.Repeat("xY3_", 6)
)

func scan(t *testing.T, file, content string) []string {
	t.Helper()
	dir := testutil.WriteFiles(t, map[string]string{"handover.yaml": "version: 1\n", file: content})
	repo, diags := load.Repo(dir, load.Options{})
	if len(diags) > 0 {
		t.Fatalf("load: %v", diags)
	}
	found := Repo(repo.Portfolio, repo.Docs, repo.Source)
	if whole := scanTrees(repo); fmt.Sprint(whole) != fmt.Sprint(found) {
		t.Errorf("the scan of the loaded documents differs from the scan of their whole trees:\n%v\n%v", found, whole)
	}
	var out []string
	for _, d := range found {
		out = append(out, fmt.Sprintf("%d:%d %s %s", d.Line, d.Column, d.Severity, d.Code))
		for _, secret := range []string{awsKey, ghToken, stripeKey, slackTok, jwt, gcpKey, glToken, "hunter2", "s3cr3t-P4ss", "Tr0ub4dor"} {
			if strings.Contains(d.Message+d.Hint, secret) || strings.Contains(d.Message+d.Hint, secret[:min(8, len(secret))]) {
				t.Errorf("the diagnostic echoes the secret: %s", d.Message)
			}
		}
	}
	return out
}

// scanTrees is Repo over documents that hold their whole trees, as they
// were before load detached them (model.Document.Detach): the scan of a
// detached document looks at its values first, and must miss nothing.
func scanTrees(repo *load.Result) []diag.Diagnostic {
	schemes := Schemes(repo.Portfolio)
	var out []diag.Diagnostic
	for _, d := range append([]*model.Document{repo.Portfolio}, repo.Docs...) {
		whole := &model.Document{File: d.File, Kind: d.Kind, ID: d.ID, Value: d.Value, Body: d.Body, BodyLine: d.BodyLine}
		d.WithTree(func(root *model.Node, comments map[*model.Node]string) {
			whole.Node, whole.Comments = root, comments
			out = append(out, Scan(whole, repo.Source(d.File), schemes)...)
		})
		if whole.Node == nil {
			out = append(out, Scan(whole, repo.Source(d.File), schemes)...)
		}
	}
	return out
}

func TestFindsSecrets(t *testing.T) {
	const server = "clients/acme/servers/web.yaml"
	cases := []struct {
		name, file, content string
		want                []string
	}{
		{"aws key in notes", server, "kind: Server\nid: web\nnotes: key " + awsKey + " for backups\n", []string{"3:12 error secret-aws-access-key"}},
		{"github token quoted", server, "kind: Server\nid: web\nnotes: \"" + ghToken + "\"\n", []string{"3:9 error secret-github-token"}},
		{"stripe key in settings", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  api: " + stripeKey + "\n", []string{"4:8 error secret-stripe-key"}},
		{"slack token in a list", server, "kind: Server\nid: web\naddresses:\n  - " + slackTok + "\n", []string{"4:5 error secret-slack-token"}},
		{"jwt", server, "kind: Server\nid: web\nnotes: " + jwt + "\n", []string{"3:8 error secret-jwt"}},
		{"gcp key", server, "kind: Server\nid: web\nnotes: " + gcpKey + "\n", []string{"3:8 error secret-gcp-api-key"}},
		{"gitlab token", server, "kind: Server\nid: web\nnotes: " + glToken + "\n", []string{"3:8 error secret-gitlab-token"}},
		{"private key in a block scalar", server, "kind: Server\nid: web\nnotes: |\n  Key for root:\n  " + pemHeader + "\n", []string{"5:3 error secret-private-key"}},
		{"url with password", server, "kind: Server\nid: web\nnotes: mysql://shop:hunter2@db-01:3306/shop\n", []string{"3:8 error secret-url-password"}},
		{"connection string", server, "kind: Server\nid: web\nnotes: Server=db;Database=x;User Id=sa;Password=Tr0ub4dor;\n", []string{"3:39 error secret-connection-string-password"}},
		{"password key with a literal", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  admin-password: s3cr3t-P4ss\n", []string{"4:19 error secret-secret-field"}},
		{"pin", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  alarm-pin: \"4711\"\n", []string{"4:15 error secret-secret-field"}},
		{"password key with a reference", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  admin-password: op://Acme/admin/password\n", nil},
		{"password key with prose", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  admin-password: kept in the office safe, ask Priya\n", nil},
		{"credential not a reference", server, "kind: Server\nid: web\naccess:\n  credential: hunter2\n", []string{"4:15 error secret-credential-not-reference"}},
		{"credential with an unknown scheme", server, "kind: Server\nid: web\naccess:\n  credential: lastpass://x/y\n", []string{"4:15 error secret-credential-not-reference"}},
		{"credential reference", server, "kind: Server\nid: web\naccess:\n  credential: op://Acme/web admin/password\n", nil},
		{"runbook body", "clients/acme/runbooks/r.md", "---\nkind: Runbook\nid: r\ntitle: R\n---\n# Steps\n\nRun with `AWS_ACCESS_KEY_ID=" + awsKey + "`\n", []string{"8:29 error secret-aws-access-key"}},
		{"allowed with a reason", server, "kind: Server\nid: web\nnotes: " + awsKey + " # handover:allow-secret AWS's documented example key\n", []string{"3:8 info secret-allowed"}},
		{"allowed above the key", server, "kind: Server\nid: web\n# handover:allow-secret public demo token\nnotes: " + ghToken + "\n", []string{"4:8 info secret-allowed"}},
		{"allowed without a reason", server, "kind: Server\nid: web\nnotes: " + awsKey + " # handover:allow-secret\n", []string{"3:8 error secret-allow-reason"}},
		{"allowed in a runbook", "clients/acme/runbooks/r.md", "---\nkind: Runbook\nid: r\ntitle: R\n---\n<!-- handover:allow-secret the vendor's published sandbox key -->\nUse " + stripeKey + ".\n", []string{"7:5 info secret-allowed"}},
		{"credential as a number", server, "kind: Server\nid: web\naccess:\n  credential: 1234\n", []string{"4:15 error secret-credential-not-reference"}},
		{"credential empty", server, "kind: Server\nid: web\naccess:\n  credential:\n", []string{"4:14 error secret-credential-not-reference"}},
		{"password key with a date", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  admin-password: 2024-01-01\n", nil},
		{"password key with a number", "clients/acme/c.yaml", "kind: Configuration\nid: c\nsettings:\n  alarm-pin: 4711\n", nil},
		{"token in a list of mappings", server, "kind: Server\nid: web\nservices:\n  - name: api\n    token: Zq8-k2Lp0xYt\n", []string{"5:12 error secret-secret-field"}},
		{"ordinary text", server, "kind: Server\nid: web\nnotes: The token ring network was replaced in 2019; see https://example.com/a:b@c\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := scan(t, tc.file, tc.content)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSchemesFromPortfolio(t *testing.T) {
	dir := testutil.WriteFiles(t, map[string]string{
		"handover.yaml":         "version: 1\npolicies:\n  credentialSchemes: [vault]\n",
		"clients/acme/web.yaml": "kind: Server\nid: web\naccess:\n  credential: op://Acme/x\n",
	})
	repo, _ := load.Repo(dir, load.Options{})
	ds := Repo(repo.Portfolio, repo.Docs, repo.Source)
	if len(ds) != 1 || ds[0].Code != "secret-credential-not-reference" || !strings.Contains(ds[0].Message, "vault://") {
		t.Errorf("diagnostics = %v", ds)
	}
}

// TestPatternAlsoBytes checks that every match of a pattern holds its
// also byte, from the expression itself: match skips the expression for a
// value without it, so a pattern edited to match without it would miss
// secrets silently.
func TestPatternAlsoBytes(t *testing.T) {
	var required func(re *syntax.Regexp, b rune) bool
	required = func(re *syntax.Regexp, b rune) bool {
		switch re.Op {
		case syntax.OpLiteral:
			return slices.Contains(re.Rune, b)
		case syntax.OpConcat:
			return slices.ContainsFunc(re.Sub, func(s *syntax.Regexp) bool { return required(s, b) })
		case syntax.OpAlternate:
			for _, s := range re.Sub {
				if !required(s, b) {
					return false
				}
			}
			return true
		case syntax.OpCapture, syntax.OpPlus:
			return required(re.Sub[0], b)
		case syntax.OpRepeat:
			return re.Min > 0 && required(re.Sub[0], b)
		}
		return false
	}
	checked := 0
	for _, p := range patterns {
		if p.also == 0 {
			continue
		}
		re, err := syntax.Parse(p.re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if !required(re.Simplify(), rune(p.also)) {
			t.Errorf("%s: a match of %s need not hold %q", p.rule, p.re, p.also)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no pattern has an also byte")
	}
	// The check itself: an expression that does not require the byte fails.
	re, _ := syntax.Parse(`(?i)password\s*[=:]\s*\S+`, syntax.Perl)
	if required(re.Simplify(), '=') {
		t.Error("required says = is required where : would do")
	}
}
