package generator

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handover-dev/handover/generator/diag"
	"github.com/handover-dev/handover/internal/testutil"
)

// TestBuildShowsGitHistory builds a copy of the examples committed to git in
// a subdirectory: entity pages show their last change, a multi-document
// file attributes commits to the document they changed, the changelog and
// the client's recent changes list the commits, and an uncommitted edit is
// marked.
func TestBuildShowsGitHistory(t *testing.T) {
	root := t.TempDir()
	r := testutil.NewGitRepo(t, root)
	dir := filepath.Join(root, "docs")
	src := testutil.CopyDir(t, filepath.Join("..", "examples"))
	if err := os.Rename(src, dir); err != nil {
		t.Fatal(err)
	}
	r.Git("add", ".")
	r.Commit("Ada Admin <ada@example.com>", "Import the handover documentation")
	web := filepath.Join(dir, "clients", "northwind-outfitters", "servers", "web-01.yaml")
	b, _ := os.ReadFile(web)
	r.Write("docs/clients/northwind-outfitters/servers/web-01.yaml", strings.Replace(string(b), "role:", "role: Shop (nginx, PHP-FPM) -", 1))
	r.Commit("Bo Builder <bo@example.com>", "Describe web-01's role")
	dns := filepath.Join(dir, "clients", "northwind-outfitters", "configurations", "dns.yaml")
	b, _ = os.ReadFile(dns)
	parts := strings.SplitN(string(b), "\n---\n", 2)
	r.Write("docs/clients/northwind-outfitters/configurations/dns.yaml", parts[0]+"\n---\n"+strings.Replace(parts[1], "name:", "notes: Checked after the move.\nname:", 1))
	r.Commit("Cy Checker <cy@example.com>", "Note the DNS check")
	// Uncommitted: the NAS of another client.
	nas := filepath.Join(dir, "clients", "brightsmile-dental", "servers", "nas-01.yaml")
	b, _ = os.ReadFile(nas)
	os.WriteFile(nas, append(b, []byte("# edited\n")...), 0o644)

	out := filepath.Join(t.TempDir(), "site")
	res, diags, err := Build(dir, out, false, Options{})
	if err != nil || diag.HasErrors(diags, false) || !res.Written {
		t.Fatalf("build: %v %v", err, diags)
	}
	if res.History == nil || res.History.Prefix != "docs" {
		t.Fatalf("history not read from the subdirectory: %+v", res.History)
	}
	var stages []string
	for _, tm := range res.Timings {
		stages = append(stages, tm.Stage)
	}
	if want := []string{"load", "validate", "resolve", "analyse", "enrich", "split", "render", "write"}; !slices.Equal(stages, want) {
		t.Errorf("stages %q, want %q", stages, want)
	}
	page := func(p string) string {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	webPage := page("clients/northwind-outfitters/servers/web-01.html")
	for _, want := range []string{"Last changed", "by Bo Builder", "Describe web-01&#39;s role", "2 changes in git",
		"/edit/main/docs/clients/northwind-outfitters/servers/web-01.yaml"} {
		if !strings.Contains(webPage, want) {
			t.Errorf("web-01 page lacks %q", want)
		}
	}
	// dns.yaml holds several documents: only the second got the DNS commit.
	first := firstDocID(t, parts[0])
	if p := page("clients/northwind-outfitters/configurations/" + first + ".html"); strings.Contains(p, "Note the DNS check") {
		t.Errorf("the first document of dns.yaml was credited with a commit that changed the second")
	}
	second := firstDocID(t, parts[1])
	if p := page("clients/northwind-outfitters/configurations/" + second + ".html"); !strings.Contains(p, "Note the DNS check") {
		t.Errorf("the second document of dns.yaml lacks its commit")
	}
	if p := page("changelog.html"); !strings.Contains(p, "Describe web-01&#39;s role") || !strings.Contains(p, "Import the handover documentation") {
		t.Errorf("changelog lacks the commits")
	}
	if p := page("clients/northwind-outfitters/index.html"); !strings.Contains(p, "Recent changes") || !strings.Contains(p, "Note the DNS check") {
		t.Errorf("client page lacks recent changes")
	}
	if p := page("clients/brightsmile-dental/servers/nas-01.html"); !strings.Contains(p, "uncommitted changes") {
		t.Errorf("the uncommitted edit is not marked")
	}
	if p := page("clients/brightsmile-dental/servers/pms-01.html"); strings.Contains(p, "uncommitted changes") {
		t.Errorf("a clean file is marked uncommitted")
	}
}

func firstDocID(t *testing.T, doc string) string {
	t.Helper()
	for _, line := range strings.Split(doc, "\n") {
		if id, ok := strings.CutPrefix(line, "id: "); ok {
			return strings.TrimSpace(id)
		}
	}
	t.Fatalf("no id in %q", doc)
	return ""
}
