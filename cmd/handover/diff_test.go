package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handover-dev/handover/internal/testutil"
)

// gitExamples commits a copy of the examples and tags it, then leaves
// uncommitted a new server and a changed backup schedule.
func gitExamples(t *testing.T) string {
	t.Helper()
	dir := copyExamples(t)
	r := testutil.NewGitRepo(t, dir)
	r.Git("add", ".")
	r.Commit("Ada Admin <ada@example.com>", "Import the handover documentation")
	r.Git("tag", "handover-2026")
	r.Write("clients/northwind-outfitters/servers/web-02.yaml",
		"kind: Server\nid: web-02\nname: Shop web server 2\nhostname: web-02.northwind.lan\nenvironment: production\n"+
			"location:\n  provider: vendor:hetzner\nmonitoring:\n  tool: Uptime Kuma\nbackup:\n  schedule: nightly\n")
	db := filepath.Join(dir, "clients/northwind-outfitters/servers/db-01.yaml")
	b, _ := os.ReadFile(db)
	r.Write("clients/northwind-outfitters/servers/db-01.yaml", strings.Replace(string(b), "  schedule: ", "  schedule: every 6 hours; was ", 1))
	return dir
}

func TestDiffCommand(t *testing.T) {
	dir := gitExamples(t)
	// Uncommitted, compared with the working tree by default.
	code, out, stderr := runCLI(t, "diff", "--from", "handover-2026", dir, "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"adds server `web-02` to Northwind Outfitters", "### Northwind Outfitters",
		"`backup.schedule`", "1 more entity now depends on shared vendor `hetzner`"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "diff", "--from", "handover-2026", "--to", "HEAD", dir)
	if code != 0 || !strings.Contains(out, "No changes") {
		t.Errorf("HEAD is the tag: exit %d\n%s", code, out)
	}
	code, _, stderr = runCLI(t, "diff", "--from", "no-such-tag", dir)
	if code != 1 || !strings.Contains(stderr, `unknown revision "no-such-tag"`) {
		t.Errorf("bad revision: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "diff", dir)
	if code != 2 || !strings.Contains(stderr, "--from is required") {
		t.Errorf("no --from: exit %d, %s", code, stderr)
	}
}

func TestBuildSince(t *testing.T) {
	dir := gitExamples(t)
	out := filepath.Join(t.TempDir(), "site")
	code, _, stderr := runCLI(t, "build", dir, "--out", out, "--since", "handover-2026")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "changes.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "What changed since handover-2026") || !strings.Contains(string(b), "<code>web-02</code>") {
		t.Errorf("changes page lacks the change:\n%s", b)
	}
}
